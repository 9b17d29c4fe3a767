"""The columns of the guide's tables (§3.1 overview, §5 Fallübersicht) readable at 80×24.

The guide's labels are kept, long ones broken over two header lines; each column is as wide as its
longest label line or value, with one blank column after it, so the five columns take 77 cells:
an 80-column SSH window shows them all without scrolling sideways.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from kopl_tui.model import Status

DATUM_BREITE = len("TT.MM.JJJJ")  # also "Unbegrenzt"
STATUS_BREITE = max(len(status.value) for status in Status)
ABSTAND = 1  # blank cells after each column (DataTable's cell_padding is 0: it would add two)


@dataclass(frozen=True)
class Spalte:
    schluessel: str
    titel: str  # the guide's label, "\n" where the header line breaks
    werte_breite: int = DATUM_BREITE

    @property
    def breite(self) -> int:
        return max(self.werte_breite, *(cell_len(zeile) for zeile in self.titel.split("\n"))) + ABSTAND


def gesamtbreite(spalten: Sequence[Spalte]) -> int:
    return sum(spalte.breite for spalte in spalten)


def spalten_setzen(tabelle: DataTable, spalten: Sequence[Spalte]) -> None:
    """Replace the table's columns (and rows) by ``spalten``; header as high as the longest label."""
    tabelle.clear(columns=True)
    tabelle.header_height = max(spalte.titel.count("\n") + 1 for spalte in spalten)
    for spalte in spalten:
        tabelle.add_column(Text(spalte.titel), key=spalte.schluessel, width=spalte.breite)
