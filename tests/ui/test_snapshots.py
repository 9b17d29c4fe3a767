"""What a user sees, at 100×35 and 80×24 (pytest-textual-snapshot; update with --snapshot-update)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from kopl_tui.app import KoplApp
from tests.conftest import HEUTE

GROESSEN = [(100, 35), (80, 24)]


def _app(demo_ordner: Path) -> KoplApp:
    return KoplApp(data_dir=demo_ordner, benutzer="tester", heute=HEUTE)


async def _ohne_blinken(pilot) -> None:
    for widget in pilot.app.screen.query("Input, TextArea"):
        assert isinstance(widget, Input | TextArea)
        widget.cursor_blink = False
    await pilot.pause()


def _vorher(*tasten: str):
    async def run_before(pilot) -> None:
        await _ohne_blinken(pilot)
        for taste in tasten:
            await pilot.press(*taste) if len(taste) > 1 and " " in taste else await pilot.press(taste)
            await pilot.pause()
        await _ohne_blinken(pilot)

    return run_before


@pytest.mark.parametrize("groesse", GROESSEN)
def test_snapshot_kundenliste(snap_compare, demo_ordner, groesse):
    assert snap_compare(_app(demo_ordner), terminal_size=groesse, run_before=_vorher())


@pytest.mark.parametrize("groesse", GROESSEN)
def test_snapshot_uebersicht_mit_ba_verstoss(snap_compare, demo_ordner, groesse):
    assert snap_compare(_app(demo_ordner), terminal_size=groesse,
                        run_before=_vorher("Beispiel Erika", "enter"))


@pytest.mark.parametrize("groesse", GROESSEN)
def test_snapshot_verwerfen_dialog(snap_compare, demo_ordner, groesse):
    assert snap_compare(_app(demo_ordner), terminal_size=groesse,
                        run_before=_vorher("Mustermann Max", "enter", "delete", "escape"))


@pytest.mark.parametrize("groesse", GROESSEN)
def test_snapshot_falluebersicht(snap_compare, demo_ordner, groesse):
    assert snap_compare(_app(demo_ordner), terminal_size=groesse,
                        run_before=_vorher("Mustermann Max", "enter", "f9"))


@pytest.mark.parametrize("groesse", GROESSEN)
def test_snapshot_maske_oben(snap_compare, demo_ordner, groesse):
    assert snap_compare(_app(demo_ordner), terminal_size=groesse,
                        run_before=_vorher("Testweg Fatma", "enter", "down", "enter"))


@pytest.mark.parametrize("groesse", GROESSEN)
def test_snapshot_maske_unten(snap_compare, demo_ordner, groesse):
    """The whole mask is reachable at 80×24: Shift+Tab from the first field goes to the last one."""
    assert snap_compare(_app(demo_ordner), terminal_size=groesse,
                        run_before=_vorher("Testweg Fatma", "enter", "down", "enter", "shift+tab"))


def test_snapshot_uebersicht_mit_hinweisspalte_120x40(snap_compare, demo_ordner):
    """Where the terminal is wide enough, the overview adds a Hinweis column to the guide's five."""
    assert snap_compare(_app(demo_ordner), terminal_size=(120, 40), run_before=_vorher("Beispiel Erika", "enter"))


@pytest.mark.parametrize("groesse", GROESSEN)
def test_snapshot_ba_angebot_mit_meldung(snap_compare, demo_ordner, groesse):
    """The BA-rule offer right after Übernehmen: "Nein" preselected, the toast at the top, clear of the
    buttons."""
    async def run_before(pilot) -> None:
        await _ohne_blinken(pilot)
        await pilot.press(*"Fiktiv Sabine", "enter", "n", "k", "enter", "tab", "tab", "tab", "tab", *"01.12.2026")
        await _ohne_blinken(pilot)
        await pilot.press("f2")
        await pilot.pause()

    assert snap_compare(_app(demo_ordner), terminal_size=groesse, run_before=run_before)
