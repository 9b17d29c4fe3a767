"""Ergänzungen: the values the guide has staff type into the Word document by hand (§3.2:
"das erzeugte Word-Dokument [ist] auf manuell erforderliche Eingaben und Anpassungen zu prüfen").

Over SSH there is no Word, so each template declares these values in the catalogue as typed fields:
the document assistant shows them as inputs, ``kopl-tui brief --ergaenzung NAME=WERT`` takes them on
the command line. Both read typed text with ``Ergaenzung.lesen``, so a value means the same in either
place and a wrong one gets the same German message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kopl_tui.datum import DatumFehler, format_datum, parse_datum, zitat
from kopl_tui.model import Kooperationsplan, bereinige_text

ErgaenzungsWert = int | date | str
"""A checked value: a number, a date or a text (a choice is one of its texts)."""

XXXX = "XXXX"
"""The guide's placeholder in the prefilled "Das Jobcenter unterstützt mich durch" text (§3.1)."""
_XXXX_MIT_ANWEISUNG = re.compile(r"XXXX(\s*\[hier individuelle Ergänzungen vornehmen\])?")


class Art(StrEnum):
    ZAHL = "Zahl"
    DATUM = "Datum"
    TEXT = "Text"
    AUSWAHL = "Auswahl"


class ErgaenzungFehler(ValueError):
    """A typed value that does not fit its Ergänzung; the message is German and names the field."""


def ergaenzen_luecke(titel: str) -> str:
    """What the letter shows where an Ergänzung is still missing (Fertig is refused while it is there)."""
    return f"[bitte ergänzen: {titel}]"


@dataclass(frozen=True)
class Ergaenzung:
    """One value a template needs from the caseworker, typed and checked."""

    name: str
    """Placeholder in the template and the NAME of ``--ergaenzung NAME=WERT``."""
    titel: str
    art: Art = Art.TEXT
    auswahl: tuple[str, ...] = ()
    pflicht: bool = True
    beispiel: str = ""
    """Shown in the empty input (``z. B. …``)."""
    minimum: int = 1
    maximum: int = 50
    max_laenge: int = 200
    frist: bool = False
    """A day by which the customer must act or start: never before the letter's date."""
    ersetzt: str = ""
    """Plan text whose "XXXX" this value replaces, instead of a placeholder of its own."""

    def gilt_fuer(self, plan: Kooperationsplan) -> bool:
        """Whether this plan's letter needs it: an "XXXX" replacement only while the plan text has one."""
        return not self.ersetzt or XXXX in getattr(plan, self.ersetzt)

    def lesen(self, text: str) -> ErgaenzungsWert | None:
        """Typed text → value (None when empty); ErgaenzungFehler with a German message otherwise."""
        try:
            roh = bereinige_text(text).replace("\n", " ").replace("\t", " ").strip()
        except ValueError:  # not a text, or pasted megabytes
            raise ErgaenzungFehler(f"„{self.titel}“: höchstens {self.max_laenge} Zeichen.") from None
        if not roh:
            return None
        if self.art is Art.ZAHL:
            if not re.fullmatch(r"\d{1,6}", roh, flags=re.ASCII):
                raise ErgaenzungFehler(f"„{self.titel}“: bitte eine ganze Zahl angeben, nicht {zitat(roh)}.")
            zahl = int(roh)
            if not self.minimum <= zahl <= self.maximum:
                raise ErgaenzungFehler(f"„{self.titel}“: bitte eine Zahl von {self.minimum} bis {self.maximum} "
                                       "angeben.")
            return zahl
        if self.art is Art.DATUM:
            try:
                return parse_datum(roh)
            except DatumFehler as fehler:
                raise ErgaenzungFehler(f"„{self.titel}“: {fehler}") from None
        if self.art is Art.AUSWAHL:
            treffer = [w for w in self.auswahl if w.casefold() == roh.casefold()]
            if not treffer:
                moeglich = ", ".join(f"„{w}“" for w in self.auswahl)
                raise ErgaenzungFehler(f"„{self.titel}“: bitte eine der Möglichkeiten {moeglich} wählen.")
            return treffer[0]
        if len(roh) > self.max_laenge:
            raise ErgaenzungFehler(f"„{self.titel}“: höchstens {self.max_laenge} Zeichen (jetzt {len(roh)}).")
        return roh

    def drucktext(self, wert: ErgaenzungsWert | None) -> str:
        """The value as the letter prints it (dates TT.MM.JJJJ); the gap marker when it is missing."""
        if wert is None or wert == "":
            return ergaenzen_luecke(self.titel) if self.pflicht else ""
        return format_datum(wert) if isinstance(wert, date) else str(wert)

    def eingabetext(self, wert: ErgaenzungsWert | None) -> str:
        """The value as an input field shows it (the inverse of ``lesen``)."""
        return "" if wert is None else self.drucktext(wert)

    def beispielwert(self) -> ErgaenzungsWert:
        """A fitting fictitious value: what `vorlagen-pruefen` renders every template with."""
        if self.art is Art.ZAHL:
            return self.minimum
        if self.art is Art.DATUM:
            return date(2026, 2, 2)
        if self.art is Art.AUSWAHL:
            return self.auswahl[0]
        return f"Beispiel: {self.titel}"


def ersetze_xxxx(plantext: str, ergaenzung: str) -> str:
    """The prefilled support text with its "XXXX [hier individuelle Ergänzungen vornehmen]" replaced."""
    return _XXXX_MIT_ANWEISUNG.sub(lambda _treffer: ergaenzung, plantext)
