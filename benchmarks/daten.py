"""Synthetic data folders for `make bench`, built with the project's own generator (kopl_tui.demo).

Two sizes: 100 customers with 1,000 plans (the small store) and 20,000 customers with 100,000 plans
(a large county's Jobcenter). Texts are 200–800 characters, every plan has its history line, the
seed is fixed. Each folder's first customer is the same "Messkunde" with the same five plans, so the
save measured in both stores writes the same Akte.

The customer index is written through ``Store.kunden_schreiben`` (one atomic write). The 20,000
Akten are written here without the per-file fsync and lock of ``Store.akte_speichern`` (that path
would take minutes): the content is the dict ``akte_speichern`` builds, dumped the way
``AtomicJSONStorage.write`` dumps it, and the folder is checked by reading it back through
``Store.akte_laden``. A folder is built once and kept under benchmarks/results/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from kopl_tui import demo
from kopl_tui.kundenindex import Kundenindex
from kopl_tui.model import HistorienEintrag
from kopl_tui.store import Store

ERGEBNISSE = Path(__file__).resolve().parent / "results"
STICHTAG = date(2025, 6, 2)  # fixed, so a folder and its figures do not depend on the day of the run
SEED = 6
FORMAT = 2  # raise when the folder layout changes: cached folders are then rebuilt


@dataclass(frozen=True)
class Groesse:
    kunden: int
    plaene: int

    @property
    def name(self) -> str:
        return f"bench-{self.kunden}-kunden-{self.plaene}-plaene"

    @property
    def ordner(self) -> Path:
        return ERGEBNISSE / self.name


KLEIN = Groesse(100, 1_000)
GROSS = Groesse(20_000, 100_000)
MESSKUNDE_PLAENE = 5


def messkunde() -> demo.DemoKunde:
    """The customer whose Akte is saved in both stores (same plans, same texts)."""
    return demo.zufalls_faelle(1, MESSKUNDE_PLAENE, STICHTAG, seed=SEED, start_nr=1, lange_texte=True)[0]


def faelle(groesse: Groesse) -> list[demo.DemoKunde]:
    weitere = demo.zufalls_faelle(groesse.kunden - 1, groesse.plaene - MESSKUNDE_PLAENE, STICHTAG,
                                  seed=SEED + 1, start_nr=2, lange_texte=True)
    return [messkunde(), *weitere]


def _akte_json(fall: demo.DemoKunde, zeit: datetime) -> str:
    """What ``Store.akte_speichern`` writes for a first save with one history line per plan."""
    historie = [HistorienEintrag(zeit=zeit, benutzer="demo", aktion="Kooperationsplan angelegt", plan_id=p.id,
                                 neu=p.statistik_felder()).model_dump(mode="json") for p in fall.plaene]
    historie.append(HistorienEintrag(zeit=zeit, benutzer="demo", aktion="gespeichert").model_dump(mode="json"))
    daten = {
        "akte": {"1": {"kundennummer": fall.kunde.kundennummer, "version": 1, "geaendert_am": zeit.isoformat(),
                       "geaendert_von": "demo"}},
        "plaene": {str(i): p.model_dump(mode="json") for i, p in enumerate(fall.plaene, 1)},
        "historie": {str(i): e for i, e in enumerate(historie, 1)},
    }
    return json.dumps(daten, ensure_ascii=False, separators=(",", ":"))


def _aufbauen(groesse: Groesse, ziel: Path) -> None:
    alle = faelle(groesse)
    store = Store(ziel).anlegen()
    store.kunden_schreiben([f.kunde for f in alle])
    zeit = datetime(2025, 6, 1, 8, 0, tzinfo=timezone.utc)
    for fall in alle:
        if fall.plaene:
            pfad = store.akte_pfad(fall.kunde.kundennummer)
            with open(pfad, "w", encoding="utf-8") as datei:
                datei.write(_akte_json(fall, zeit))
            os.chmod(pfad, 0o600)
    os.sync()
    # Read back through the app's own path: the fast writer must produce what the Store reads.
    for fall in (alle[0], alle[len(alle) // 2], alle[-1]):
        stand = store.akte_laden(fall.kunde.kundennummer)
        assert [p.model_dump() for p in stand.plaene] == [p.model_dump() for p in fall.plaene], fall.kunde
        assert stand.version == 1
    assert len(store.kunden()) == groesse.kunden
    index = Kundenindex(ziel)  # as after the app's first start: the customer list's cache is there
    index.laden()
    index.cache_schreiben()


def bereitstellen(groesse: Groesse, neu: bool = False) -> tuple[Path, float | None]:
    """The folder for ``groesse``; built (seconds returned) unless a complete one is cached."""
    marke = groesse.ordner / "ERZEUGT"
    erwartet = f"{FORMAT} {SEED} {STICHTAG.isoformat()}"
    if not neu and marke.exists() and marke.read_text(encoding="utf-8") == erwartet:
        return groesse.ordner, None
    start = time.perf_counter()
    shutil.rmtree(groesse.ordner, ignore_errors=True)
    zwischen = groesse.ordner.with_name(groesse.ordner.name + ".im-aufbau")
    shutil.rmtree(zwischen, ignore_errors=True)
    _aufbauen(groesse, zwischen)
    (zwischen / "ERZEUGT").write_text(erwartet, encoding="utf-8")
    zwischen.rename(groesse.ordner)
    return groesse.ordner, time.perf_counter() - start


if __name__ == "__main__":  # run.py builds the folders in a child: its own process stays small
    import sys

    for groesse in (KLEIN, GROSS):
        _, sekunden = bereitstellen(groesse, neu="--neu" in sys.argv)
        if sekunden is not None:
            print(f"Datenordner {groesse.kunden} Kunden / {groesse.plaene} Pläne erzeugt in {sekunden:.1f} s")
