"""No blinking text cursor unless asked for (``--blinken`` / ``KOPL_BLINKEN=1``): a blinking cursor
repaints its field twice a second, bytes over SSH for nothing (README "Kapazität"). Set app-wide,
for every text field that gets the focus: the search field, the mask's free texts, the palette."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from kopl_tui.app import KoplApp
from kopl_tui.cli import _parser
from tests.conftest import HEUTE
from tests.ui.conftest import kunde_oeffnen


@pytest.mark.parametrize("blinken", [False, True])
async def test_cursor_blinkt_nur_auf_wunsch(demo_ordner: Path, blinken: bool) -> None:
    app = KoplApp(data_dir=demo_ordner, benutzer="tester", heute=HEUTE, blinken=blinken)
    async with app.run_test(size=(100, 35)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.cursor_blink is blinken
        await kunde_oeffnen(pilot, "Beispiel Erika")
        await pilot.press("b")
        await pilot.pause()
        for _ in range(6):  # from the Status field to the first free text
            if isinstance(app.focused, TextArea):
                break
            await pilot.press("tab")
            await pilot.pause()
        assert isinstance(app.focused, TextArea) and app.focused.cursor_blink is blinken
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.cursor_blink is blinken


def test_blinken_ist_eine_option_der_oberflaeche() -> None:
    assert _parser().parse_args(["--blinken"]).blinken is True
    assert _parser().parse_args([]).blinken is False
