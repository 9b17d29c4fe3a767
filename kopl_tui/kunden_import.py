"""Customers from a semicolon CSV (UTF-8, header, dates TT.MM.JJJJ): all rows or none."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from kopl_tui.model import Anrede, Kunde, meldungen
from kopl_tui.store import Store

KOPFZEILE = ["kundennummer", "anrede", "nachname", "vorname", "geburtsdatum", "bg_nummer", "ifk"]
_ANREDEN = {"frau": Anrede.FRAU, "herr": Anrede.HERR, "": Anrede.OHNE, "ohne anrede": Anrede.OHNE,
            "divers": Anrede.OHNE}


@dataclass
class ImportErgebnis:
    kunden: list[Kunde] = field(default_factory=list)
    fehler: list[str] = field(default_factory=list)  # "Zeile N: …", German


def lesen(datei: Path) -> ImportErgebnis:
    """Check every row; the result carries either customers or the list of bad lines."""
    ergebnis = ImportErgebnis()
    try:
        text = datei.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        ergebnis.fehler.append(f"{datei}: die Datei ist nicht in UTF-8 gespeichert.")
        return ergebnis
    except OSError as fehler:
        ergebnis.fehler.append(f"{datei}: kann nicht gelesen werden ({fehler.strerror}).")
        return ergebnis
    zeilen = csv.reader(text.splitlines(), delimiter=";")
    kopf = [spalte.strip().lower() for spalte in next(zeilen, [])]
    if kopf != KOPFZEILE:
        ergebnis.fehler.append(f"Zeile 1: die Kopfzeile muss „{';'.join(KOPFZEILE)}“ lauten.")
        return ergebnis
    gesehen: dict[str, int] = {}
    for nummer, zeile in enumerate(zeilen, start=2):
        if not any(teil.strip() for teil in zeile):
            continue
        if len(zeile) != len(KOPFZEILE):
            ergebnis.fehler.append(f"Zeile {nummer}: {len(zeile)} statt {len(KOPFZEILE)} Spalten.")
            continue
        werte = dict(zip(KOPFZEILE, (teil.strip() for teil in zeile), strict=True))
        anrede = _ANREDEN.get(werte["anrede"].lower())
        if anrede is None:
            ergebnis.fehler.append(f"Zeile {nummer}: Anrede „{werte['anrede']}“ (erlaubt: Frau, Herr, leer).")
            continue
        try:
            kunde = Kunde.model_validate({**werte, "anrede": anrede})
        except ValidationError as fehler:
            ergebnis.fehler.extend(f"Zeile {nummer}: {text}" for text in meldungen(fehler).values())
            continue
        if kunde.kundennummer in gesehen:
            ergebnis.fehler.append(f"Zeile {nummer}: Kundennummer {kunde.kundennummer} steht schon in "
                                   f"Zeile {gesehen[kunde.kundennummer]}.")
            continue
        gesehen[kunde.kundennummer] = nummer
        ergebnis.kunden.append(kunde)
    return ergebnis


def importieren(datei: Path, store: Store) -> ImportErgebnis:
    ergebnis = lesen(datei)
    if not ergebnis.fehler:
        store.kunden_schreiben(ergebnis.kunden)
    return ergebnis
