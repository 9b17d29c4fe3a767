"""docs/architektur.md matches the code: every module of kopl_tui/ and screens/ has its line there,
every module the page names exists, and every rule of ``regeln.REGELN`` stands in its rule table with
the guide section the table gives it.

The page's format, kept simple so a new module is one new line: under the headings ``### kopl_tui/``
and ``### screens/`` one bullet per module, starting with its file name in backticks; the rule table
has one row per rule, its name in backticks in the first column and its section in the second."""

from __future__ import annotations

import re
from pathlib import Path

from kopl_tui.regeln import REGELN

WURZEL = Path(__file__).resolve().parent.parent
DOKU = WURZEL / "docs" / "architektur.md"
PAKETE = ("kopl_tui", "screens")

_ABSCHNITT = re.compile(r"^### (\w+)/\s*$")
_MODUL_ZEILE = re.compile(r"^- `(\w+\.py)`")
_PFAD = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)+\w+\.py)\b")
_DATEINAME = re.compile(r"(?<![\w/.*-])(\w+\.py)\b")
_REGEL_ZEILE = re.compile(r"^\|\s*`(\w+)`\s*\|([^|]*)\|")


def module(wurzel: Path, paket: str) -> set[str]:
    """The module files of a package that the page must name."""
    return {p.name for p in (wurzel / paket).glob("*.py") if p.name not in ("__init__.py", "__main__.py")}


def modulzeilen(text: str) -> dict[str, list[str]]:
    """The file names of the module bullets, per package heading, in page order."""
    gefunden: dict[str, list[str]] = {}
    paket = None
    for zeile in text.splitlines():
        if zeile.startswith("#"):
            treffer = _ABSCHNITT.match(zeile)
            paket = treffer.group(1) if treffer and treffer.group(1) in PAKETE else None
            if paket:
                gefunden.setdefault(paket, [])
        elif paket and (treffer := _MODUL_ZEILE.match(zeile)):
            gefunden[paket].append(treffer.group(1))
    return gefunden


def modul_abweichungen(text: str, wurzel: Path) -> list[str]:
    """Modules without their line, lines without their module, and any ``….py`` the page names that
    does not exist (a path from the repository's root, or a bare name in kopl_tui/ or screens/)."""
    fehler: list[str] = []
    zeilen = modulzeilen(text)
    for paket in PAKETE:
        genannt = zeilen.get(paket, [])
        vorhanden = module(wurzel, paket)
        fehler += [f"{paket}/{name}: keine Zeile" for name in sorted(vorhanden - set(genannt))]
        fehler += [f"{paket}/{name}: gibt es nicht" for name in genannt if name not in vorhanden]
        fehler += [f"{paket}/{name}: doppelt" for name in sorted({n for n in genannt if genannt.count(n) > 1})]
    for pfad in sorted(set(_PFAD.findall(text))):
        if not (wurzel / pfad).is_file():
            fehler.append(f"{pfad}: gibt es nicht")
    alle = set().union(*(module(wurzel, paket) for paket in PAKETE))
    for name in sorted(set(_DATEINAME.findall(text))):
        if name not in alle:
            fehler.append(f"{name}: gibt es nicht")
    return fehler


def regel_abweichungen(text: str) -> list[str]:
    """Rules of REGELN missing from the table or with another section there, and rows for no rule."""
    zeilen = {m.group(1): m.group(2).strip() for m in map(_REGEL_ZEILE.match, text.splitlines()) if m}
    fehler: list[str] = []
    for regel in REGELN:
        if regel.name not in zeilen:
            fehler.append(f"{regel.name}: fehlt in der Regeltabelle")
        elif zeilen[regel.name] != regel.abschnitt:
            fehler.append(f"{regel.name}: Abschnitt {zeilen[regel.name]!r}, in REGELN {regel.abschnitt!r}")
    namen = {regel.name for regel in REGELN}
    fehler += [f"{name}: keine Regel in REGELN" for name in sorted(set(zeilen) - namen)]
    return fehler


def test_jedes_modul_steht_in_der_architektur_und_jedes_genannte_gibt_es():
    assert modul_abweichungen(DOKU.read_text(encoding="utf-8"), WURZEL) == []


def test_jede_regel_steht_mit_ihrem_abschnitt_in_der_architektur():
    assert regel_abweichungen(DOKU.read_text(encoding="utf-8")) == []


def test_pruefung_findet_fehlende_und_erfundene_module_und_regeln():
    """The checks themselves: a dropped line, an invented module, a wrong section are all caught."""
    text = DOKU.read_text(encoding="utf-8")
    ohne_sitzung = "\n".join(z for z in text.splitlines() if not z.startswith("- `sitzung.py`"))
    assert "kopl_tui/sitzung.py: keine Zeile" in modul_abweichungen(ohne_sitzung, WURZEL)
    erfunden = text.replace("### screens/\n", "### screens/\n\n- `gibtsnicht.py` – erfunden.\n")
    assert modul_abweichungen(erfunden, WURZEL) == ["screens/gibtsnicht.py: gibt es nicht",
                                                    "gibtsnicht.py: gibt es nicht"]
    assert modul_abweichungen(text + "\nSiehe screens/weg.py.\n", WURZEL) == ["screens/weg.py: gibt es nicht"]
    regel = REGELN[0]
    falsch = text.replace(f"| `{regel.name}` | {regel.abschnitt} |", f"| `{regel.name}` | §99 |")
    assert regel_abweichungen(falsch) == [f"{regel.name}: Abschnitt '§99', in REGELN {regel.abschnitt!r}"]
    ohne = "\n".join(z for z in text.splitlines() if not z.startswith(f"| `{regel.name}`"))
    assert regel_abweichungen(ohne) == [f"{regel.name}: fehlt in der Regeltabelle"]
