"""Search as you type over the customer list (one keystroke on 20,000 customers ≤ 50 ms: README, "Leistung").

Every word typed must occur in the Kundennummer, the Nachname or the Vorname, case-insensitive. The
lowercase keys come prepared with the list; a query that only narrows the previous one (the user
types on) searches the previous hits instead of all customers.
"""

from __future__ import annotations

from kopl_tui.kundenindex import Kundenliste


class Kundensuche:
    """The hits for a search text: row numbers of the list, in its order."""

    def __init__(self, liste: Kundenliste):
        self._schluessel = liste.schluessel
        self._woerter: list[str] = []
        self._alle = range(len(liste))
        self._treffer: range | list[int] = self._alle

    def treffer(self, suche: str) -> range | list[int]:
        woerter = suche.lower().split()
        # Each previous word inside one of the new words: every new hit was a previous hit.
        enger = all(any(alt in neu for neu in woerter) for alt in self._woerter)
        basis = self._treffer if enger else self._alle
        schluessel = self._schluessel
        for wort in woerter:
            basis = [nummer for nummer in basis if wort in schluessel[nummer]]
        self._woerter, self._treffer = woerter, basis
        return basis
