"""``kopl-tui vorlagen-pruefen``: every catalogue template, as the app would use it, against the
context the app provides.

It checks the set in use: for each template the Jobcenter's own file from ``<data>/vorlagen/`` if
there is one, else the shipped one (`briefvorlagen.vorlagendatei`), and says which.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from kopl_tui.briefe import PLAN_FELDER, VORLAGEN, Vorlage, beispiel_kontext, ergaenzungs_abweichungen
from kopl_tui.briefvorlagen import VorlagenFehler, Vorlagendatei, platzhalter, rendern_datei, vorlagendatei


@dataclass(frozen=True)
class VorlagenBefund:
    """One catalogue template: the file in use and its problems (German; empty = in order)."""

    vorlage: Vorlage
    datei: Vorlagendatei
    probleme: list[str] = field(default_factory=list)


def _probleme(eintrag: Vorlage, datei: Vorlagendatei) -> list[str]:
    """The file exists and is undamaged (no duplicate zip entries); every placeholder is a context key; the template's plan
    fields and Ergänzungen are exactly those its catalogue entry declares (so the assistant lists
    and asks for what is printed); a trial render with full fictitious data succeeds (catches sandbox violations and
    unknown attributes or filters that parsing alone does not) and opens again in python-docx."""
    from docx import Document

    ctx = beispiel_kontext()
    try:
        benutzt = platzhalter(datei)
    except VorlagenFehler as fehler:
        return [str(fehler)]
    probleme = [f"unbekannter Platzhalter „{name}“." for name in sorted(benutzt - ctx.keys())]
    plan_benutzt = benutzt & PLAN_FELDER.keys()
    probleme += [f"Platzhalter „{name}“ ist im Katalog für diese Vorlage nicht vorgesehen."
                 for name in sorted(plan_benutzt - set(eintrag.felder))]
    probleme += [f"laut Katalog gehört „{name}“ in diese Vorlage, sie enthält den Platzhalter aber nicht."
                 for name in sorted(set(eintrag.felder) - plan_benutzt)]
    probleme += ergaenzungs_abweichungen(eintrag, benutzt)
    if benutzt - ctx.keys():
        return probleme
    try:
        brief = rendern_datei(datei, ctx)
    except VorlagenFehler as fehler:
        return [*probleme, str(fehler)]
    try:  # rendern_datei refuses duplicate entries; this is how a reader opens the letter
        Document(io.BytesIO(brief))
    except Exception as fehler:  # noqa: BLE001 - python-docx raises many kinds for a broken package
        probleme.append(f"der Probedruck lässt sich nicht wieder öffnen ({fehler}).")
    return probleme


def vorlagen_pruefen(eigene: Path | None) -> list[VorlagenBefund]:
    """All catalogue templates as resolved with the override folder ``eigene`` (None: shipped only)."""
    befunde = []
    for eintrag in VORLAGEN:
        datei = vorlagendatei(eintrag.datei, eigene)
        ort = f"Vorlage {eintrag.datei} („{eintrag.titel}“)"
        befunde.append(VorlagenBefund(eintrag, datei, [f"{ort}: {p}" for p in _probleme(eintrag, datei)]))
    return befunde


def fremde_dateien(eigene: Path | None) -> list[str]:
    """Files in the override folder that override nothing (e.g. a misspelt name): never used.
    Word's and LibreOffice's lock files (``~$…``, ``.~lock…``) are not mentioned."""
    if eigene is None or not Path(eigene).is_dir():
        return []
    bekannt = {eintrag.datei for eintrag in VORLAGEN}
    return sorted(p.name for p in Path(eigene).iterdir()
                  if p.is_file() and p.name not in bekannt and not p.name.startswith(("~$", ".")))
