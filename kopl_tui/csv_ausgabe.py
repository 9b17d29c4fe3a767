"""CSV for spreadsheets, safe to open: the one writer every export of the app uses.

Support opens these files in Excel or LibreOffice. A cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return may be taken for a formula there (CSV injection, OWASP; CWE-1236):
a customer imported as ``=HYPERLINK("http://…")`` would become a live link, ``@SUM(1+1)`` a
calculation. Such a cell gets a leading apostrophe, which spreadsheets read as "this is text".
Numbers are never written as cells here, so no negative number is turned into text by this.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

FORMEL_ANFAENGE = ("=", "+", "-", "@", "\t", "\r")


def zelle(wert: object) -> str:
    """One cell as text, neutralised if a spreadsheet could take it for a formula."""
    text = "" if wert is None else str(wert)
    return f"'{text}" if text.startswith(FORMEL_ANFAENGE) else text


class CsvSchreiber:
    """Semicolon CSV (as German spreadsheets expect), ``\n`` line ends, every cell through ``zelle``.

    A row with a carriage return in a cell is written with every cell quoted: ``QUOTE_MINIMAL``
    quotes only for the characters of the line end (``\n``), and a bare CR would end the row in a
    spreadsheet, so that what follows it started a new row, and a new cell, unneutralised."""

    def __init__(self, ausgabe: TextIO):
        self._schreiber = csv.writer(ausgabe, delimiter=";", lineterminator="\n")
        self._alle_in_anfuehrung = csv.writer(ausgabe, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_ALL)

    def zeile(self, werte: Iterable[object]) -> None:
        zellen = [zelle(wert) for wert in werte]
        schreiber = self._alle_in_anfuehrung if any("\r" in z for z in zellen) else self._schreiber
        schreiber.writerow(zellen)
