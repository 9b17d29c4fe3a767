"""Crash safety (README, "Zuverlässigkeit"): a process killed with SIGKILL at any moment of its work loses nothing
that was saved and leaves no broken file.

A child process takes the Akte's edit lock (taking over the lock of the child killed before it),
then saves again and again; after each save returns it logs the version to a side file. The
parent kills it after a random delay, restarts it, and checks after every kill that the data
loads and holds the last completed save: the last one logged or seen after an earlier kill, or the
one after it, whose save had returned when the kill came before its log line.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from datetime import date
from pathlib import Path

from tests.kennzahlen import melden

from kopl_tui.akte import Kundenakte
from kopl_tui.model import Kooperationsplan, Status
from kopl_tui.sperre import AkteSperre, Sperre
from kopl_tui.store import Store

ZIEL_SPEICHERUNGEN = 200
MINDESTENS_KILLS = 50
HOECHSTENS_KILLS = 1000
_FORK = multiprocessing.get_context("fork")


def ziel_text(version: int) -> str:
    return f"Stand {version}"


def kind(data_dir: Path, kundennummer: str, plan_id: str, protokoll: Path) -> None:
    """Saves until killed; a version is logged only after its save has returned."""
    store = Store(data_dir)
    kunde = store.kunde(kundennummer)
    sperre = AkteSperre.nehmen(store, kundennummer, "kind")
    assert isinstance(sperre, Sperre), sperre  # the killed predecessor's lock is taken over
    akte = Kundenakte.oeffnen(store, kunde, "kind")
    fd = os.open(protokoll, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    while True:
        plan = akte.plan(plan_id)
        plan.ziel = ziel_text(akte.version + 1)
        akte.uebernehmen(plan)
        akte.speichern()
        os.write(fd, f"{akte.version}\n".encode())


def letzte_protokollierte(protokoll: Path, anfang: int) -> int:
    zeilen = protokoll.read_text().split() if protokoll.exists() else []
    return int(zeilen[-1]) if zeilen else anfang


def test_sigkill_an_zufaelligen_stellen_daten_laden_und_letzter_stand_erhalten(store_mit_kunde, kunde, tmp_path):
    akte = Kundenakte.oeffnen(store_mit_kunde, kunde, "einrichtung")
    plan = Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 1, 7), ziel=ziel_text(1))
    akte.uebernehmen(plan)
    akte.speichern()
    protokoll = tmp_path / "protokoll.txt"
    saat = int.from_bytes(os.urandom(4), "big")
    zufall = random.Random(saat)
    kills = tempdateien = nachgeholt = 0
    abgeschlossen = 1  # the newest version known to be completely saved
    while (abgeschlossen - 1 < ZIEL_SPEICHERUNGEN or kills < MINDESTENS_KILLS) and kills < HOECHSTENS_KILLS:
        prozess = _FORK.Process(target=kind, args=(store_mit_kunde.data_dir, kunde.kundennummer, plan.id, protokoll))
        prozess.start()
        time.sleep(zufall.uniform(0, 0.08))  # during start, lock take-over or a save
        os.kill(prozess.pid, signal.SIGKILL)
        prozess.join()
        assert prozess.exitcode == -signal.SIGKILL, f"Kind endete selbst mit {prozess.exitcode} (Saat {saat})"
        kills += 1

        frisch = Store(store_mit_kunde.data_dir)  # as a newly started app would
        tempdateien += len(frisch.aufraeumen())
        stand = frisch.akte_laden(kunde.kundennummer)
        abgeschlossen = max(abgeschlossen, letzte_protokollierte(protokoll, 1))
        # the last completed save is there; at most one more, whose save returned before the log line
        assert stand.version in (abgeschlossen, abgeschlossen + 1), (saat, stand.version, abgeschlossen)
        nachgeholt += stand.version == abgeschlossen + 1
        abgeschlossen = stand.version
        assert stand.plaene[0].ziel == ziel_text(stand.version), saat  # content and version belong together
        assert len(frisch.historie(kunde.kundennummer)) >= 2 * (stand.version - 1)
        assert frisch.kunden() == [kunde]
        assert not [p for p in frisch.akten_dir.iterdir() if p.name.startswith(".tmp-")]
    gespeichert = abgeschlossen - 1
    assert gespeichert >= ZIEL_SPEICHERUNGEN, (saat, kills)
    historie = store_mit_kunde.historie(kunde.kundennummer)
    uebernahmen = sum(e.aktion.startswith("Bearbeitungssperre übernommen") for e in historie)
    assert 1 <= uebernahmen <= kills
    melden("SIGKILL während des Speicherns", Kills=kills, Speicherungen_abgeschlossen=gespeichert,
           davon_erst_nach_Kill_protokolliert=nachgeholt, Tempdateien_aufgeräumt=tempdateien,
           Sperren_übernommen=uebernahmen, defekte_Dateien=0, Fehler=0, Zufallssaat=saat)
