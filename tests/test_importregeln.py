"""The seam between screens and domain, enforced: a screen imports only the session facade, the
domain exceptions, model types, the keymap, date formatting, Textual (with Rich, which it draws
with), other screens and the standard library – and the app shell, for the type of ``self.app``.
Every import counts, also one only for type hints."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

WURZEL = Path(__file__).resolve().parent.parent
SCREENS = sorted((WURZEL / "screens").glob("*.py"))
ERLAUBT_KOPL = {"kopl_tui.sitzung", "kopl_tui.fehler", "kopl_tui.model", "kopl_tui.keymap", "kopl_tui.datum",
                "kopl_tui.app"}
ERLAUBT_FREMD = {"textual", "rich", "screens"}


def _importe(pfad: Path) -> list[tuple[int, str]]:
    baum = ast.parse(pfad.read_text(encoding="utf-8"), filename=str(pfad))
    gefunden: list[tuple[int, str]] = []
    for knoten in ast.walk(baum):
        if isinstance(knoten, ast.Import):
            gefunden += [(knoten.lineno, alias.name) for alias in knoten.names]
        elif isinstance(knoten, ast.ImportFrom):
            if knoten.level:  # relative: inside screens/
                gefunden.append((knoten.lineno, "screens"))
            elif knoten.module == "kopl_tui":  # from kopl_tui import store
                gefunden += [(knoten.lineno, f"kopl_tui.{alias.name}") for alias in knoten.names]
            else:
                gefunden.append((knoten.lineno, knoten.module or ""))
    return gefunden


def verstoesse(pfad: Path) -> list[str]:
    """The imports of one screen module that break the rule, as "file:line module"."""
    falsch = []
    for zeile, modul in _importe(pfad):
        oben = modul.split(".")[0]
        if modul.startswith("kopl_tui"):
            ok = modul in ERLAUBT_KOPL
        else:
            ok = oben in ERLAUBT_FREMD or oben in sys.stdlib_module_names or oben == "__future__"
        if not ok:
            falsch.append(f"{pfad.name}:{zeile} {modul}")
    return falsch


@pytest.mark.parametrize("pfad", SCREENS, ids=lambda p: p.name)
def test_screen_importiert_nur_fassade_fehler_modell_keymap_datum(pfad: Path):
    assert verstoesse(pfad) == []


def test_regel_erkennt_verbotene_importe(tmp_path: Path):
    """The check itself: pydantic, the store, file modules and a TYPE_CHECKING import are caught."""
    probe = tmp_path / "probe.py"
    probe.write_text("from typing import TYPE_CHECKING\nimport pydantic\nfrom kopl_tui import dateien\n"
                     "from kopl_tui.store import Store\nif TYPE_CHECKING:\n    from kopl_tui.ablage import Ablage\n"
                     "def f():\n    from kopl_tui.sperre import AkteSperre\n    import tinydb\n"
                     "from kopl_tui.sitzung import Sitzung\nfrom kopl_tui.model import Kunde\nimport json\n"
                     "from textual.widgets import Input\n", encoding="utf-8")
    assert verstoesse(probe) == ["probe.py:2 pydantic", "probe.py:3 kopl_tui.dateien", "probe.py:4 kopl_tui.store",
                                 "probe.py:6 kopl_tui.ablage", "probe.py:8 kopl_tui.sperre", "probe.py:9 tinydb"]


def test_screens_gibt_es():
    assert len(SCREENS) > 10
