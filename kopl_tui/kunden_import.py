"""Customers from a semicolon CSV (UTF-8, header, dates TT.MM.JJJJ): all rows or none.

Columns ``kundennummer;anrede;nachname;vorname;geburtsdatum;bg_nummer;ifk``, optionally followed by
``strasse;plz;ort``. A Kundennummer already in the data folder is a refused row unless the import
updates (``aktualisieren``): then the row's non-empty cells replace the stored values, field by
field; an empty cell or a missing column never blanks what is stored. Each change goes into the
customer's history with old → new (store.py: ``Store.kunden_importieren``).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from kopl_tui.datum import jetzt
from kopl_tui.model import FELDNAMEN, Anrede, HistorienEintrag, Kunde, meldungen
from kopl_tui.store import StammdatenAenderung, StammdatenKonflikt, Store

KOPFZEILE = ["kundennummer", "anrede", "nachname", "vorname", "geburtsdatum", "bg_nummer", "ifk"]
ANSCHRIFT = ["strasse", "plz", "ort"]
KOPFZEILEN = (KOPFZEILE, KOPFZEILE + ANSCHRIFT)
_ANREDEN = {"frau": Anrede.FRAU, "herr": Anrede.HERR, "": Anrede.OHNE, "ohne anrede": Anrede.OHNE,
            "divers": Anrede.OHNE}
IMPORT_FELDER = tuple(spalte for spalte in KOPFZEILEN[-1] if spalte != "kundennummer")
"""The fields an import may change of a stored customer (the Kundennummer identifies it)."""
# Where str.splitlines() breaks a line: CR, LF, VT, FF, the information separators, NEL, U+2028/2029.
# csv only ends a record at CR/LF outside quotes; any of these inside a field is an error.
_ZEILENUMBRUCH = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


@dataclass
class Aktualisierung:
    """A stored customer the import changes, and which fields."""

    zeile: int
    vorher: Kunde
    nachher: Kunde
    felder: list[str]

    def text(self) -> str:
        """One line for the command line: "Zeile 3: 123D456789 (Muster, Max): BG-Nummer 1 → 2; …"."""
        alt, neu = self.vorher.anzeigewerte(self.felder), self.nachher.anzeigewerte(self.felder)
        aenderungen = "; ".join(f"{FELDNAMEN[f]} „{alt[f] or '–'}“ → „{neu[f] or '–'}“" for f in self.felder)
        return f"Zeile {self.zeile}: {self.vorher.kundennummer} ({self.vorher.name}): {aenderungen}"


@dataclass
class ImportErgebnis:
    kunden: list[Kunde] = field(default_factory=list)
    """New customers."""
    aktualisiert: list[Aktualisierung] = field(default_factory=list)
    unveraendert: int = 0
    fehler: list[str] = field(default_factory=list)  # "Zeile N: …", German
    historie_offen: list[str] = field(default_factory=list)
    """Customers whose history entry is written when their Akte is next opened (store.py)."""


@dataclass
class _Zeile:
    nummer: int
    kunde: Kunde
    gefuellt: set[str]  # the columns with a non-empty cell


def _zeilen(text: str) -> tuple[list[str] | None, list[tuple[int, list[str]]], list[str]]:
    """Header, records with the line they start on, and what could not be read. Records are split
    by the csv module (quoted fields may hold line breaks, which the checks then report)."""
    leser = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    kopf: list[str] | None = None
    zeilen: list[tuple[int, list[str]]] = []
    fehler: list[str] = []
    while True:
        anfang = leser.line_num + 1
        try:
            zeile = next(leser)
        except StopIteration:
            break
        except csv.Error:
            fehler.append(f"Zeile {anfang}: lässt sich nicht als CSV lesen (ein Feld ist zu lang oder ein "
                          "Anführungszeichen nicht geschlossen).")
            break
        if kopf is None:
            kopf = [spalte.strip().lower() for spalte in zeile]
        else:
            zeilen.append((anfang, zeile))
    return kopf, zeilen, fehler


_STEUERNAMEN = {"\n": "LF", "\r": "CR", "\x0b": "VT", "\x0c": "FF", "\x1c": "FS", "\x1d": "GS", "\x1e": "RS",
                "\x85": "NEL"}


def _zeilenumbruch(nummer: int, spalte: str, wert: str) -> str | None:
    """The message for a line break inside a field, naming row, column and the character."""
    treffer = _ZEILENUMBRUCH.search(wert)
    if treffer is None:
        return None
    zeichen = treffer.group()
    name = _STEUERNAMEN.get(zeichen) or unicodedata.name(zeichen)
    return (f"Zeile {nummer}, Spalte „{spalte}“: Zeilenumbruch im Feld (U+{ord(zeichen):04X} {name}); "
            "jedes Feld muss in einer Zeile stehen.")


def _kunde(nummer: int, kopf: list[str], zeile: list[str], ergebnis: ImportErgebnis) -> _Zeile | None:
    """One record checked on its own: columns, line breaks, types and the input rules."""
    if len(zeile) != len(kopf):
        ergebnis.fehler.append(f"Zeile {nummer}: {len(zeile)} statt {len(kopf)} Spalten.")
        return None
    umbrueche = [m for spalte, wert in zip(kopf, zeile, strict=True) if (m := _zeilenumbruch(nummer, spalte, wert))]
    if umbrueche:
        ergebnis.fehler.extend(umbrueche)
        return None
    werte = dict(zip(kopf, (teil.strip() for teil in zeile), strict=True))
    anrede = _ANREDEN.get(werte["anrede"].lower())
    if anrede is None:
        ergebnis.fehler.append(f"Zeile {nummer}: Anrede „{werte['anrede']}“ (erlaubt: Frau, Herr, leer).")
        return None
    try:
        kunde = Kunde.model_validate({**werte, "anrede": anrede})
    except ValidationError as fehler:
        ergebnis.fehler.extend(f"Zeile {nummer}: {text}" for text in meldungen(fehler).values())
        return None
    befunde = kunde.befunde()
    if befunde:
        ergebnis.fehler.extend(f"Zeile {nummer}: {befund.meldung}" for befund in befunde)
        return None
    return _Zeile(nummer, kunde, {spalte for spalte, wert in werte.items() if wert})


def _aktualisiert(zeile: _Zeile, vorher: Kunde) -> Aktualisierung:
    """The stored customer with the row's filled cells (an empty one keeps the stored value)."""
    neu = {spalte: getattr(zeile.kunde, spalte) for spalte in IMPORT_FELDER if spalte in zeile.gefuellt}
    nachher = Kunde.model_validate({**vorher.model_dump(), **neu})
    felder = [f for f in IMPORT_FELDER if getattr(vorher, f) != getattr(nachher, f)]
    return Aktualisierung(zeile.nummer, vorher, nachher, felder)


def lesen(datei: Path, store: Store, aktualisieren: bool = False) -> ImportErgebnis:
    """Check every row against the file and the data folder; the result carries either what to
    write or the list of bad lines."""
    ergebnis = ImportErgebnis()
    try:
        text = datei.read_bytes().decode("utf-8-sig")  # line ends as they are: csv tells records from fields
    except UnicodeDecodeError:
        ergebnis.fehler.append(f"{datei}: die Datei ist nicht in UTF-8 gespeichert.")
        return ergebnis
    except OSError as fehler:
        ergebnis.fehler.append(f"{datei}: kann nicht gelesen werden ({fehler.strerror}).")
        return ergebnis
    kopf, rohzeilen, ergebnis.fehler = _zeilen(text)
    if kopf not in KOPFZEILEN:
        ergebnis.fehler.insert(0, f"Zeile 1: die Kopfzeile muss „{';'.join(KOPFZEILE)}“ lauten, mit Anschrift "
                                  f"„{';'.join(KOPFZEILEN[-1])}“.")
        return ergebnis
    zeilen: list[_Zeile] = []
    gesehen: dict[str, int] = {}
    for nummer, rohzeile in rohzeilen:
        if not any(teil.strip() for teil in rohzeile):
            continue
        zeile = _kunde(nummer, kopf, rohzeile, ergebnis)
        if zeile is None:
            continue
        kundennummer = zeile.kunde.kundennummer
        if kundennummer in gesehen:
            ergebnis.fehler.append(f"Zeile {nummer}: Kundennummer {kundennummer} steht schon in "
                                   f"Zeile {gesehen[kundennummer]}.")
            continue
        gesehen[kundennummer] = nummer
        zeilen.append(zeile)
    vorhanden = store.kunden_zu(set(gesehen))
    for zeile in zeilen:
        vorher = vorhanden.get(zeile.kunde.kundennummer)
        if vorher is None:
            ergebnis.kunden.append(zeile.kunde)
        elif not aktualisieren:
            ergebnis.fehler.append(f"Zeile {zeile.nummer}: Kundennummer {vorher.kundennummer} gibt es schon "
                                   f"({vorher.name}); ein vorhandener Kunde wird nur mit --aktualisieren geändert.")
        elif (aktualisierung := _aktualisiert(zeile, vorher)).felder:
            ergebnis.aktualisiert.append(aktualisierung)
        else:
            ergebnis.unveraendert += 1
    return ergebnis


def importieren(datei: Path, store: Store, aktualisieren: bool = False, benutzer: str = "import") -> ImportErgebnis:
    """Check, then write all at once (nothing when any row is bad)."""
    ergebnis = lesen(datei, store, aktualisieren)
    if ergebnis.fehler:
        return ergebnis
    zeit = jetzt()
    aenderungen = []
    for aktualisierung in ergebnis.aktualisiert:
        eintrag = HistorienEintrag(zeit=zeit, benutzer=benutzer, aktion=f"Stammdaten geändert (Import {datei.name})",
                                   alt=aktualisierung.vorher.anzeigewerte(aktualisierung.felder),
                                   neu=aktualisierung.nachher.anzeigewerte(aktualisierung.felder))
        aenderung = StammdatenAenderung.zwischen(aktualisierung.vorher, aktualisierung.nachher, IMPORT_FELDER, eintrag)
        assert aenderung is not None
        aenderungen.append(aenderung)
    try:
        ergebnis.historie_offen = store.kunden_importieren(ergebnis.kunden, aenderungen)
    except StammdatenKonflikt as konflikt:
        ergebnis.fehler.append(str(konflikt))
    return ergebnis
