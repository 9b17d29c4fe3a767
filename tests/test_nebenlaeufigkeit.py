"""Several staff at once (README, "Zuverlässigkeit"): 8 real processes × 200 saves through Store/Kundenakte.

Each process owns one plan and sets its "gültig ab" to BASIS + n for its n-th save, so every applied
change is identifiable in the audit trail. Half of the processes take the Akte's edit lock for each
save, half do not (like support's CLI); both go through the version check. On a VersionKonflikt
the process reloads and applies its change again, counting the conflict.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from tests.kennzahlen import melden

from kopl_tui.akte import Kundenakte
from kopl_tui.datum import format_datum
from kopl_tui.model import Anrede, Kooperationsplan, Kunde, Status
from kopl_tui.sperre import AkteSperre, FremdeSperre
from kopl_tui.store import Store, VersionKonflikt

PROZESSE = 8
SPEICHERUNGEN = 200
BASIS = date(2001, 1, 1)
_FORK = multiprocessing.get_context("fork")  # real processes, without re-importing for each


def kunde_nr(i: int) -> Kunde:
    return Kunde(kundennummer=f"900D{i:06d}", anrede=Anrede.HERR, nachname=f"Test{i}", vorname="Paul",
                 geburtsdatum="01.01.1970", bg_nummer=f"90000//{i:07d}")


def gueltig_ab(n: int) -> date:
    return BASIS + timedelta(days=n)


def anlegen(store: Store, kunde: Kunde, anzahl_plaene: int) -> list[str]:
    """An Akte with one plan per process, saved once (version 1)."""
    akte = Kundenakte.oeffnen(store, kunde, "einrichtung")
    ids = []
    for _ in range(anzahl_plaene):
        plan = Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=gueltig_ab(-1), gueltig_bis=gueltig_ab(29))
        akte.uebernehmen(plan)
        ids.append(plan.id)
    akte.speichern()
    return ids


def aendern(akte: Kundenakte, plan_id: str, n: int) -> None:
    plan = akte.plan(plan_id)
    plan.gueltig_ab, plan.gueltig_bis = gueltig_ab(n), gueltig_ab(n + 30)
    akte.uebernehmen(plan)


def schreiber(data_dir: Path, kundennummer: str, plan_id: str, prozess: int, mit_sperre: bool,
              start, ergebnisse) -> None:  # noqa: ANN001 - multiprocessing Barrier and Queue
    """One staff member's process: SPEICHERUNGEN saves, each a new value for its own plan."""
    zahlen = Counter(speicherungen=0, konflikte=0, gesperrt_abgewiesen=0)
    try:
        store = Store(data_dir)
        kunde = store.kunde(kundennummer)
        benutzer = f"prozess{prozess}"
        start.wait()
        akte = Kundenakte.oeffnen(store, kunde, benutzer)
        for n in range(SPEICHERUNGEN):
            while True:
                sperre = AkteSperre.nehmen(store, kundennummer, benutzer) if mit_sperre else None
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


def laufen_lassen(store: Store, auftraege: list[tuple[str, str, bool]]) -> list[dict]:
    start = _FORK.Barrier(len(auftraege))
    ergebnisse = _FORK.Queue()
    prozesse = [_FORK.Process(target=schreiber, args=(store.data_dir, nr, plan_id, i, mit_sperre, start, ergebnisse))
                for i, (nr, plan_id, mit_sperre) in enumerate(auftraege)]
    for prozess in prozesse:
        prozess.start()
    gesammelt = [ergebnisse.get(timeout=120) for _ in prozesse]
    for prozess in prozesse:
        prozess.join(timeout=30)
    fehler = [tb for _, _, tb in gesammelt if tb]
    assert not fehler, fehler[0]
    assert all(p.exitcode == 0 for p in prozesse)
    return [zahlen for _, zahlen, _ in sorted(gesammelt, key=lambda e: e[0])]


def pruefen_genau_einmal(store: Store, kundennummer: str, plan_ids: list[str], erwartete_speicherungen: int) -> None:
    """Every applied change is in the audit trail exactly once, and each plan holds its last value."""
    stand = store.akte_laden(kundennummer)
    historie = store.historie(kundennummer)
    assert stand.version == 1 + erwartete_speicherungen  # one version per save, none lost, none twice
    plaene = {p.id: p for p in stand.plaene}
    assert set(plaene) == set(plan_ids)
    erwartet = [format_datum(gueltig_ab(n)) for n in range(SPEICHERUNGEN)]
    for plan_id in plan_ids:
        assert plaene[plan_id].gueltig_ab == gueltig_ab(SPEICHERUNGEN - 1)
        werte = [e.neu["gueltig_ab"] for e in historie
                 if e.plan_id == plan_id and e.aktion == "Kooperationsplan geändert"]
        assert Counter(werte) == Counter(erwartet)  # each of the 200 changes once, no more, no less
    assert sum(e.aktion == "gespeichert" for e in historie) == 1 + erwartete_speicherungen


def keine_datei_defekt(store: Store) -> int:
    """Every data file loads; no temp file is left behind by processes that ended normally."""
    assert len(store.kunden()) >= 1
    for nummer in store.akten_nummern():
        store.akte_laden(nummer)
    reste = [p for p in (*store.data_dir.iterdir(), *store.akten_dir.iterdir()) if p.name.startswith(".tmp-")]
    assert reste == []
    return len(store.akten_nummern())


def test_acht_prozesse_verschiedene_akten_nichts_verloren(store):
    kunden = [kunde_nr(i) for i in range(PROZESSE)]
    store.kunden_schreiben(kunden)
    plan_ids = [anlegen(store, kunde, 1)[0] for kunde in kunden]
    beginn = time.perf_counter()
    zahlen = laufen_lassen(store, [(k.kundennummer, plan_ids[i], i % 2 == 0) for i, k in enumerate(kunden)])
    dauer = time.perf_counter() - beginn
    for i, kunde in enumerate(kunden):
        pruefen_genau_einmal(store, kunde.kundennummer, [plan_ids[i]], SPEICHERUNGEN)
    assert sum(z["konflikte"] for z in zahlen) == 0  # nobody else writes these Akten
    dateien = keine_datei_defekt(store)
    melden("Nebenläufig, verschiedene Akten", Prozesse=PROZESSE, Speicherungen=sum(z["speicherungen"] for z in zahlen),
           Konflikte_gemeldet=0, Akten_geprüft=dateien, Fehler=0, Dauer=f"{dauer:.1f} s")


def test_acht_prozesse_selbe_akte_konflikte_gemeldet_nichts_verloren(store):
    kunde = kunde_nr(99)
    store.kunden_schreiben([kunde])
    plan_ids = anlegen(store, kunde, PROZESSE)
    beginn = time.perf_counter()
    zahlen = laufen_lassen(store, [(kunde.kundennummer, plan_ids[i], i % 2 == 0) for i in range(PROZESSE)])
    dauer = time.perf_counter() - beginn
    pruefen_genau_einmal(store, kunde.kundennummer, plan_ids, PROZESSE * SPEICHERUNGEN)
    konflikte = sum(z["konflikte"] for z in zahlen)
    abgewiesen = sum(z["gesperrt_abgewiesen"] for z in zahlen)
    assert konflikte > 0  # eight writers on one Akte: the version check must have spoken
    assert AkteSperre.lesen(store, kunde.kundennummer) is None  # every lock was given back
    keine_datei_defekt(store)
    melden("Nebenläufig, selbe Akte", Prozesse=PROZESSE, Speicherungen=sum(z["speicherungen"] for z in zahlen),
           Konflikte_gemeldet=konflikte, Sperre_abgewiesen=abgewiesen, Fehler=0, Dauer=f"{dauer:.1f} s")
