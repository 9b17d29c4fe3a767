"""BA-statistics export (README, "Support"): the current plan's statistics fields per customer on a Stichtag.

The current plan is the one the Fallübersicht shows (guide §5, kopl_tui.regeln.aktueller_plan): a
Kooperationsplan, not an Aufforderung, valid on the day; fields as numbered there (17.6, 17.7).
Every customer gets a row, so the export can be matched against the index: a customer without a
current plan has the Kundennummer and empty fields. An Akte that cannot be read gets no row; it is
reported and the export goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from kopl_tui.bestand import bestand_lesen
from kopl_tui.csv_ausgabe import CsvSchreiber
from kopl_tui.datum import format_datum
from kopl_tui.model import UNBEGRENZT
from kopl_tui.regeln import aktueller_plan
from kopl_tui.speicher import Speicher
from kopl_tui.store import StoreFehler

KOPFZEILE = ("Kundennummer", "Kooperationsplan gültig ab (17.6)", "gültig bis (17.7)", "Status Kooperationsplan")


@dataclass(frozen=True)
class StatistikZeile:
    kundennummer: str
    gueltig_ab: str = ""
    gueltig_bis: str = ""  # TT.MM.JJJJ or "unbegrenzt", as the Fallübersicht writes it
    status: str = ""


def statistik(quelle: Speicher | Path, stichtag: date) -> Iterator[StatistikZeile | StoreFehler]:
    """One row per customer by Kundennummer; an unreadable file comes as its StoreFehler instead."""
    for akte in (bestand_lesen(quelle) if isinstance(quelle, Path) else quelle.bestand_lesen()):
        if akte.fehler is not None:
            yield akte.fehler
            continue
        plan = aktueller_plan(akte.plaene, stichtag)
        if plan is None:
            yield StatistikZeile(akte.kundennummer)
            continue
        bis = UNBEGRENZT if plan.gueltig_bis == UNBEGRENZT else format_datum(plan.gueltig_bis)
        yield StatistikZeile(akte.kundennummer, format_datum(plan.gueltig_ab), bis,
                             plan.status.value if plan.status else "")


def csv_schreiben(quelle: Speicher | Path, stichtag: date, ausgabe: TextIO, fehler_ausgabe: TextIO) -> int:
    """The CSV (semicolon, header) to ``ausgabe``, problems to ``fehler_ausgabe``; returns how many
    files could not be read (0: the export is complete)."""
    schreiber = CsvSchreiber(ausgabe)
    schreiber.zeile(KOPFZEILE)
    unlesbar = 0
    for eintrag in statistik(quelle, stichtag):
        if isinstance(eintrag, StoreFehler):
            unlesbar += 1
            print(eintrag, file=fehler_ausgabe)
        else:
            schreiber.zeile((eintrag.kundennummer, eintrag.gueltig_ab, eintrag.gueltig_bis, eintrag.status))
    return unlesbar
