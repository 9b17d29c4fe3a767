"""Several staff at once on both stores: 8 real processes × 200 saves through the Kundenakte, as
tests/test_nebenlaeufigkeit.py does for the folder (its Akte set-up and checks are reused here).

Half of the processes take the Akte's edit lock for each save, half do not (like support's
command line); both go through the version check. On a VersionKonflikt a process reloads and
applies its change again, counting the conflict.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from collections import Counter

from kopl_tui.akte import Kundenakte
from kopl_tui.sperre import FremdeSperre
from kopl_tui.store import VersionKonflikt
from tests.kennzahlen import melden
from kopl_tui.speicher import Speicher
from tests.pg.backend import Backend, store_fuer
from tests.test_nebenlaeufigkeit import PROZESSE, SPEICHERUNGEN, aendern, anlegen, kunde_nr, pruefen_genau_einmal

_FORK = multiprocessing.get_context("fork")  # real processes, without re-importing for each


def schreiber(ort: str, kundennummer: str, plan_id: str, prozess: int, mit_sperre: bool,
              start, ergebnisse) -> None:  # noqa: ANN001 - multiprocessing Barrier and Queue
    """One staff member's process: SPEICHERUNGEN saves, each a new value for its own plan."""
    zahlen = Counter(speicherungen=0, konflikte=0, gesperrt_abgewiesen=0)
    try:
        store = store_fuer(ort)
        kunde = store.kunde(kundennummer)
        benutzer = f"prozess{prozess}"
        start.wait()
        akte = Kundenakte.oeffnen(store, kunde, benutzer)
        for n in range(SPEICHERUNGEN):
            while True:
                sperre = store.sperre_nehmen(kundennummer, benutzer) if mit_sperre else None
                if isinstance(sperre, FremdeSperre):
                    assert sperre.inhaber.benutzer.startswith("prozess") and "bearbeitet von" in sperre.meldung
                    zahlen["gesperrt_abgewiesen"] += 1
                    time.sleep(0.005)
                    continue
                try:
                    aendern(akte, plan_id, n)
                    akte.speichern()
                    zahlen["speicherungen"] += 1
                    break
                except VersionKonflikt as konflikt:
                    assert "neu laden" in str(konflikt)
                    zahlen["konflikte"] += 1
                    akte.neu_laden()
                finally:
                    if sperre is not None:
                        sperre.freigeben()
        ergebnisse.put((prozess, dict(zahlen), None))
    except BaseException:  # noqa: BLE001 - reported to the parent, which fails the test
        ergebnisse.put((prozess, dict(zahlen), traceback.format_exc()))


def laufen_lassen(backend: Backend, auftraege: list[tuple[str, str, bool]]) -> list[dict]:
    start = _FORK.Barrier(len(auftraege))
    ergebnisse = _FORK.Queue()
    prozesse = [_FORK.Process(target=schreiber, args=(backend.ort, nr, plan_id, i, mit_sperre, start, ergebnisse))
                for i, (nr, plan_id, mit_sperre) in enumerate(auftraege)]
    for prozess in prozesse:
        prozess.start()
    gesammelt = [ergebnisse.get(timeout=300) for _ in prozesse]
    for prozess in prozesse:
        prozess.join(timeout=30)
    fehler = [tb for _, _, tb in gesammelt if tb]
    assert not fehler, fehler[0]
    assert all(p.exitcode == 0 for p in prozesse)
    return [zahlen for _, zahlen, _ in sorted(gesammelt, key=lambda e: e[0])]


def alles_lesbar(store: Speicher) -> int:
    """Every Akte loads; returns how many there are."""
    assert len(store.kunden()) >= 1
    for nummer in store.akten_nummern():
        store.akte_laden(nummer)
    return len(store.akten_nummern())


def test_acht_prozesse_verschiedene_akten_nichts_verloren(backend):
    store = backend.store()
    kunden = [kunde_nr(i) for i in range(PROZESSE)]
    store.kunden_schreiben(kunden)
    plan_ids = [anlegen(store, kunde, 1)[0] for kunde in kunden]
    beginn = time.perf_counter()
    zahlen = laufen_lassen(backend, [(k.kundennummer, plan_ids[i], i % 2 == 0) for i, k in enumerate(kunden)])
    dauer = time.perf_counter() - beginn
    for i, kunde in enumerate(kunden):
        pruefen_genau_einmal(store, kunde.kundennummer, [plan_ids[i]], SPEICHERUNGEN)
    assert sum(z["konflikte"] for z in zahlen) == 0  # nobody else writes these Akten
    akten = alles_lesbar(store)
    melden(f"Nebenläufig, verschiedene Akten ({backend.art})", Prozesse=PROZESSE,
           Speicherungen=sum(z["speicherungen"] for z in zahlen), Konflikte_gemeldet=0, Akten_geprüft=akten, Fehler=0,
           Dauer=f"{dauer:.1f} s")


def test_acht_prozesse_selbe_akte_konflikte_gemeldet_nichts_verloren(backend):
    store = backend.store()
    kunde = kunde_nr(99)
    store.kunden_schreiben([kunde])
    plan_ids = anlegen(store, kunde, PROZESSE)
    beginn = time.perf_counter()
    zahlen = laufen_lassen(backend, [(kunde.kundennummer, plan_ids[i], i % 2 == 0) for i in range(PROZESSE)])
    dauer = time.perf_counter() - beginn
    pruefen_genau_einmal(store, kunde.kundennummer, plan_ids, PROZESSE * SPEICHERUNGEN)
    konflikte = sum(z["konflikte"] for z in zahlen)
    abgewiesen = sum(z["gesperrt_abgewiesen"] for z in zahlen)
    assert konflikte > 0  # eight writers on one Akte: the version check must have spoken
    assert store.sperre_lesen(kunde.kundennummer) is None  # every lock was given back
    alles_lesbar(store)
    melden(f"Nebenläufig, selbe Akte ({backend.art})", Prozesse=PROZESSE,
           Speicherungen=sum(z["speicherungen"] for z in zahlen), Konflikte_gemeldet=konflikte,
           Sperre_abgewiesen=abgewiesen, Fehler=0, Dauer=f"{dauer:.1f} s")
