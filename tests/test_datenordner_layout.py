"""One owner of the data folder's layout (kopl_tui/datenordner.py): no other module of the app spells a
data file's name, so a second backend or a changed layout touches one module (README, "Datenablage").

A name is "spelled" when a string constant without blanks contains it ("kunden.json*", ".sperre",
f"{nummer}.json" …), or when a folder or marker name ("akten", "ablage", "SCHULUNG") is joined into a
path (``daten / "akten"``, ``Path(…, "ablage")``). Messages may name a file in prose: they are text
for the user, not a path. Docstrings are not looked at."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kopl_tui import datenordner

WURZEL = Path(__file__).resolve().parent.parent
EIGENTUEMER = WURZEL / "kopl_tui" / "datenordner.py"
DATEINAMEN = (datenordner.KUNDEN_DATEI, datenordner.HISTORIE_ENDUNG, datenordner.SPERR_ENDUNG,
              datenordner.KURZSPERRE_ENDUNG, datenordner.ABLAGE_INDEX, datenordner.ENTWUERFE,
              datenordner.BRIEFKOPF_DATEI, datenordner.SERVE_MUSTER, ".sitzung", datenordner.DEFEKT_ZUSATZ,
              datenordner.AKTE_ENDUNG, ".cache")
ORDNERNAMEN = (datenordner.AKTEN, datenordner.ABLAGE, datenordner.VORLAGEN, datenordner.SCHULUNG_MARKER)


def _module() -> list[Path]:
    return sorted(p for ordner in ("kopl_tui", "screens") for p in (WURZEL / ordner).rglob("*.py") if p != EIGENTUEMER)


def _docstrings(baum: ast.AST) -> set[int]:
    ids = set()
    for knoten in ast.walk(baum):
        if isinstance(knoten, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and knoten.body:
            erster = knoten.body[0]
            if isinstance(erster, ast.Expr) and isinstance(erster.value, ast.Constant):
                ids.add(id(erster.value))
    return ids


def _im_pfad(knoten: ast.AST, eltern: dict[int, ast.AST]) -> bool:
    """Whether a constant is a path component: an operand of ``/`` or an argument of Path()/joinpath()."""
    oben = eltern.get(id(knoten))
    if isinstance(oben, ast.BinOp) and isinstance(oben.op, ast.Div):
        return True
    if isinstance(oben, ast.Call):
        name = oben.func.attr if isinstance(oben.func, ast.Attribute) else getattr(oben.func, "id", "")
        return name in ("Path", "joinpath", "glob", "rglob", "with_suffix", "with_name")
    return False


def verstoesse(pfad: Path) -> list[str]:
    baum = ast.parse(pfad.read_text(encoding="utf-8"))
    docstrings = _docstrings(baum)
    eltern = {id(kind): knoten for knoten in ast.walk(baum) for kind in ast.iter_child_nodes(knoten)}
    gefunden = []
    for knoten in ast.walk(baum):
        if not (isinstance(knoten, ast.Constant) and isinstance(knoten.value, str)) or id(knoten) in docstrings:
            continue
        text = knoten.value
        if text.startswith(("kopl_tui.", "screens.")):
            continue  # a module's name, as sys.modules knows it
        if not any(zeichen.isspace() for zeichen in text) and any(name in text for name in DATEINAMEN):
            gefunden.append(f"{pfad.relative_to(WURZEL)}:{knoten.lineno}: {text!r}")
        elif text in ORDNERNAMEN and _im_pfad(knoten, eltern):
            gefunden.append(f"{pfad.relative_to(WURZEL)}:{knoten.lineno}: {text!r} als Pfad")
    return gefunden


def test_nur_der_datenordner_kennt_die_dateinamen():
    alle = [v for pfad in _module() for v in verstoesse(pfad)]
    assert alle == [], "Dateinamen des Datenordners außerhalb von kopl_tui/datenordner.py:\n" + "\n".join(alle)


@pytest.mark.parametrize("quelle", ['daten / "kunden.json"', 'Path(d, "akten")', 'p.glob("*.sperre")',
                                    'f"{nummer}.historie.jsonl"', 'x.with_suffix(".json")'])
def test_der_waechter_findet_eine_schreibweise(tmp_path, quelle):
    """The check itself can fail: each way of spelling a name is found."""
    modul = tmp_path / "modul.py"
    modul.write_text(f"from pathlib import Path\nwert = {quelle}\n", encoding="utf-8")
    global WURZEL
    alt, WURZEL = WURZEL, tmp_path
    try:
        assert verstoesse(modul)
    finally:
        WURZEL = alt


def test_meldungen_duerfen_eine_datei_nennen(tmp_path):
    modul = tmp_path / "modul.py"
    modul.write_text('text = "Die Stammdaten (kunden.json ließ sich nicht schreiben)."\n', encoding="utf-8")
    global WURZEL
    alt, WURZEL = WURZEL, tmp_path
    try:
        assert verstoesse(modul) == []
    finally:
        WURZEL = alt
