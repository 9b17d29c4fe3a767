"""Support's check list (README, "Support"): every BA-rule breach and plausibility problem, per
customer and plan.

The same findings feed ``kopl-tui pruefen`` and the Prüfliste screen. Which rules, in which order,
with which title: the table in kopl_tui/regeln.py (``pruefliste``); what needs a reference day (a
Schlichtung past its four weeks, an overdue review) is checked against a Stichtag. An Akte that
cannot be read is a finding of its own, and the sweep goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from kopl_tui.bestand import GeleseneAkte, Plan, bestand_lesen
from kopl_tui.csv_ausgabe import CsvSchreiber
from kopl_tui.datum import format_datum
from kopl_tui.regeln import (
    BA_REGEL_GRUND,
    Art,
    ba_regel_verstoesse,
    pruefliste_regeln,
    sortiert_neueste_zuerst,
    vorschlag_aeltere_beenden,
)
from kopl_tui.speicher import Speicher
from kopl_tui.store import DateiDefekt

# Rule name → short German title, in the order findings of one plan are listed (legend/filter of the
# Prüfliste): the table's.
REGELN: dict[str, str] = {regel.name: regel.titel for regel in pruefliste_regeln()}
_PLAN_REGELN = [r for r in pruefliste_regeln() if r.art is not Art.BESTAND]


@dataclass(frozen=True)
class Pruefbefund:
    """One finding. ``plan_id`` is "" when it concerns the whole Akte (or the index: kundennummer "")."""

    kundennummer: str
    name: str
    plan_id: str
    gueltig_ab: date | None
    regel: str
    meldung: str

    @property
    def titel(self) -> str:
        return REGELN.get(self.regel, self.regel)

    def als_dict(self) -> dict[str, str]:
        """Flat, JSON-ready: dates ISO as on disk."""
        werte = asdict(self)
        werte["gueltig_ab"] = self.gueltig_ab.isoformat() if self.gueltig_ab else ""
        return werte


def _ba_regel(plaene: list[Plan]) -> dict[str, str]:
    """§3.1 BA-Statistik-Regel: plan id → message for every unbegrenzt plan but the newest, which is
    the one that stays; with the proposal of kopl_tui.regeln where there is one."""
    verstoesse = ba_regel_verstoesse(plaene)
    if not verstoesse:
        return {}
    neuester, aeltere = verstoesse[0], verstoesse[1:]
    vorschlaege = {v.plan_id: v for v in vorschlag_aeltere_beenden(aeltere, neuester)}
    ab_neu = format_datum(neuester.gueltig_ab, "(ohne Datum)")
    meldungen = {}
    for plan in aeltere:
        text = f"{BA_REGEL_GRUND} Neben dem Plan ab {ab_neu} ist auch dieser noch unbegrenzt."
        if plan.id in vorschlaege:
            text += f" „gültig bis“ auf den {format_datum(vorschlaege[plan.id].neues_gueltig_bis)} setzen."
        else:
            text += " Bitte klären, welcher Plan gilt, und beim anderen „gültig bis“ setzen."
        meldungen[plan.id] = text
    return meldungen


def akte_pruefen(kundennummer: str, name: str, plaene: Iterable[Plan], stichtag: date) -> list[Pruefbefund]:
    """All findings of one customer's plans, newest plan first, in REGELN order within a plan.
    Takes Kooperationsplan objects too, so a screen can re-check an Akte it has open."""
    plaene = sortiert_neueste_zuerst(plaene)
    ba = _ba_regel(plaene)
    befunde = []
    for plan in plaene:
        treffer: list[tuple[str, str]] = []
        for regel in _PLAN_REGELN:
            if regel.art is Art.AKTE:
                treffer += [(regel.name, ba[plan.id])] if plan.id in ba else []
            elif regel.art is Art.STICHTAG:
                meldung = regel.funktion(plan, stichtag) if regel.funktion else None
                treffer += [(regel.name, meldung)] if meldung else []
            elif regel.funktion is not None:
                treffer += [(b.regel, b.meldung) for b in regel.funktion(plan)]
        befunde += [Pruefbefund(kundennummer, name, plan.id, plan.gueltig_ab, regel, meldung)
                    for regel, meldung in treffer]
    return befunde


def _akte_befunde(akte: GeleseneAkte, stichtag: date) -> list[Pruefbefund]:
    if akte.fehler is not None:
        grund = akte.fehler.grund if isinstance(akte.fehler, DateiDefekt) else str(akte.fehler)
        pfad = f" ({akte.fehler.pfad})" if isinstance(akte.fehler, DateiDefekt) else ""
        was = "Der Kundenindex" if not akte.kundennummer else "Die Akte"
        return [Pruefbefund(akte.kundennummer, akte.name, "", None, "datei_unlesbar",
                            f"{was} kann nicht gelesen werden: {grund}{pfad}. Die Datei wurde nicht verändert.")]
    befunde = []
    if not akte.im_index:
        befunde.append(Pruefbefund(akte.kundennummer, "", "", None, "akte_ohne_kunde",
                                   "Zu dieser Akte gibt es keinen Kunden im Kundenindex; sie erscheint in "
                                   "keiner Kundenliste."))
    return befunde + akte_pruefen(akte.kundennummer, akte.name, akte.plaene, stichtag)


def pruefen(quelle: Speicher | Path, stichtag: date | None = None) -> Iterator[Pruefbefund]:
    """Every finding of a store (or the data folder at that path), by Kundennummer; read-only, each
    file read once. ``stichtag`` is the day overdue reviews and Schlichtungen are judged by
    (default: today)."""
    tag = stichtag or date.today()
    for akte in (bestand_lesen(quelle) if isinstance(quelle, Path) else quelle.bestand_lesen()):
        yield from _akte_befunde(akte, tag)


def pruefliste(quelle: Speicher | Path, stichtag: date | None = None) -> list[Pruefbefund]:
    """The findings as a list, for a screen (call it in a worker thread: ~1 s for 20,000 customers)."""
    return list(pruefen(quelle, stichtag))


def zusammenfassung(befunde: list[Pruefbefund], stichtag: date) -> str:
    if not befunde:
        return f"Keine Befunde (Stichtag {format_datum(stichtag)})."
    kunden = len({b.kundennummer for b in befunde})
    return (f"{len(befunde)} Befund{'e' if len(befunde) != 1 else ''} bei {kunden} "
            f"Akte{'n' if kunden != 1 else ''} (Stichtag {format_datum(stichtag)}).")


# ---- output of `kopl-tui pruefen` -------------------------------------------------------------
CSV_SPALTEN = ("kundennummer", "name", "plan_id", "gueltig_ab", "regel", "meldung")


def als_text(befunde: list[Pruefbefund], stichtag: date) -> str:
    """Grouped by customer, for reading in a terminal."""
    zeilen: list[str] = []
    vorher = None
    for b in befunde:
        if b.kundennummer != vorher or not zeilen:
            vorher = b.kundennummer
            zeilen.append(f"{b.kundennummer or 'Kundenindex'}  {b.name}".rstrip())
        wo = (f"Plan ab {format_datum(b.gueltig_ab)}" if b.gueltig_ab else "Plan ohne „gültig ab“") if b.plan_id \
            else "Akte"
        zeilen.append(f"  {wo}: {b.meldung}")
    zeilen.append(zusammenfassung(befunde, stichtag))
    return "\n".join(zeilen) + "\n"


def als_csv(befunde: list[Pruefbefund], ausgabe: TextIO) -> None:
    """Semicolon CSV with header, dates TT.MM.JJJJ (as support opens it in a spreadsheet)."""
    schreiber = CsvSchreiber(ausgabe)  # names are user data: neutralised for the spreadsheet
    schreiber.zeile(CSV_SPALTEN)
    for b in befunde:
        schreiber.zeile([b.kundennummer, b.name, b.plan_id, format_datum(b.gueltig_ab), b.regel, b.meldung])


def als_json(befunde: list[Pruefbefund], stichtag: date) -> str:
    """For scripts: ISO dates, rule names as in REGELN."""
    return json.dumps({"stichtag": stichtag.isoformat(), "anzahl": len(befunde),
                       "befunde": [b.als_dict() for b in befunde]}, ensure_ascii=False, indent=2) + "\n"
