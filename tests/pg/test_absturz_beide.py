"""Crash safety on both stores (the folder's own test: tests/test_absturz.py): a process killed
with SIGKILL at any moment of its work loses nothing that was saved and leaves nothing half saved.

A child process takes the Akte's edit lock (taking over the lock of the child killed before it),
then saves again and again; after each save returns it logs the version to a side file. The
parent kills it after a random delay, starts the next, and checks after every kill that the data
loads and holds the last completed save: the last one logged or seen after an earlier kill, or
the one after it, whose save had returned (or whose commit had reached the server) when the kill
came before its log line.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from datetime import date
from pathlib import Path

from kopl_tui.akte import Kundenakte
from kopl_tui.model import Kooperationsplan, Status
from kopl_tui.sperre import FremdeSperre
from kopl_tui.store import Store
from tests.conftest import bis
from tests.kennzahlen import melden
from kopl_tui.speicher import Speicher
from tests.pg.backend import store_fuer
from tests.test_absturz import HOECHSTENS_KILLS, MINDESTENS_KILLS, ZIEL_SPEICHERUNGEN, letzte_protokollierte, ziel_text

_FORK = multiprocessing.get_context("fork")


def kind(ort: str, kundennummer: str, plan_id: str, protokoll: Path) -> None:
    """Saves until killed; a version is logged only after its save has returned."""
    store = store_fuer(ort)
    kunde = store.kunde(kundennummer)
    # the killed predecessor's database session ends a moment after it
    sperre = bis(lambda: None if isinstance(s := store.sperre_nehmen(kundennummer, "kind"), FremdeSperre) else s,
                 was="Sperre des getöteten Vorgängers frei")
    akte = Kundenakte.oeffnen(store, kunde, "kind")
    akte.sperre = sperre
    fd = os.open(protokoll, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    while True:
        plan = akte.plan(plan_id)
        plan.ziel = ziel_text(akte.version + 1)
        akte.uebernehmen(plan)
        akte.speichern()
        os.write(fd, f"{akte.version}\n".encode())


def test_sigkill_an_zufaelligen_stellen_nichts_halb_gespeichert(backend, kunde, tmp_path):
    store = backend.store()
    store.kunden_schreiben([kunde])
    akte = Kundenakte.oeffnen(store, kunde, "einrichtung")
    plan = Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 1, 7), ziel=ziel_text(1))
    akte.uebernehmen(plan)
    akte.speichern()
    protokoll = tmp_path / "protokoll.txt"
    saat = int.from_bytes(os.urandom(4), "big")
    zufall = random.Random(saat)
    kills = nachgeholt = 0
    abgeschlossen = 1  # the newest version known to be completely saved
    while (abgeschlossen - 1 < ZIEL_SPEICHERUNGEN or kills < MINDESTENS_KILLS) and kills < HOECHSTENS_KILLS:
        prozess = _FORK.Process(target=kind, args=(backend.ort, kunde.kundennummer, plan.id, protokoll))
        prozess.start()
        time.sleep(zufall.uniform(0, 0.08))  # during start, lock take-over or a save
        os.kill(prozess.pid, signal.SIGKILL)
        prozess.join()
        assert prozess.exitcode == -signal.SIGKILL, f"Kind endete selbst mit {prozess.exitcode} (Saat {saat})"
        kills += 1

        frisch: Speicher = store_fuer(backend.ort)  # as a newly started app would
        try:
            frisch.aufraeumen()
            stand = frisch.akte_laden(kunde.kundennummer)
            abgeschlossen = max(abgeschlossen, letzte_protokollierte(protokoll, 1))
            # the last completed save is there; at most one more, whose save returned before the log line
            assert stand.version in (abgeschlossen, abgeschlossen + 1), (saat, stand.version, abgeschlossen)
            nachgeholt += stand.version == abgeschlossen + 1
            abgeschlossen = stand.version
            assert stand.plaene[0].ziel == ziel_text(stand.version), saat  # content and version belong together
            historie = frisch.historie(kunde.kundennummer)
            assert sum(e.aktion == "gespeichert" for e in historie) == stand.version  # one line per save, none half
            assert frisch.kunden() == [kunde]
            if isinstance(frisch, Store):
                assert not [p for p in frisch.akten_dir.iterdir() if p.name.startswith(".tmp-")]
        finally:
            if not isinstance(frisch, Store):
                frisch.schliessen()
    gespeichert = abgeschlossen - 1
    assert gespeichert >= ZIEL_SPEICHERUNGEN, (saat, kills)
    historie = store.historie(kunde.kundennummer)
    uebernahmen = sum(e.aktion.startswith("Bearbeitungssperre übernommen") for e in historie)
    assert 1 <= uebernahmen <= kills
    melden(f"SIGKILL während des Speicherns ({backend.art})", Kills=kills, Speicherungen_abgeschlossen=gespeichert,
           davon_erst_nach_Kill_protokolliert=nachgeholt, Sperren_übernommen=uebernahmen, Fehler=0,
           Zufallssaat=saat)
