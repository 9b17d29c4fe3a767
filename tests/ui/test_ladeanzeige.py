"""The loading indicator (a table still loading, e.g. the Prüfliste checking every Akte) speaks
German and, with animations off as over SSH, stands still: Textual's repaints its unchanging text
16 times a second, ~17 KB/s to the terminal (kopl_tui/ausgabe.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import LoadingIndicator

from kopl_tui.app import KoplApp
from tests.conftest import HEUTE


@pytest.mark.parametrize("animationen", ["none", "full"])
async def test_ladeanzeige_deutsch_und_ohne_animationen_still(demo_ordner: Path, animationen: str) -> None:
    app = KoplApp(data_dir=demo_ordner, benutzer="tester", heute=HEUTE)
    async with app.run_test(size=(80, 24)) as pilot:
        app.animation_level = animationen
        anzeige = app.get_loading_widget()  # what Textual covers a loading widget with
        assert isinstance(anzeige, LoadingIndicator)
        await app.screen.mount(anzeige)
        await pilot.pause()
        await pilot.pause()
        if animationen == "none":
            assert anzeige.auto_refresh is None
            assert str(anzeige.render()) == "Wird geladen …"
        else:  # the moving dots, as Textual draws them
            assert anzeige.auto_refresh == pytest.approx(1 / 16)
            assert "Loading" not in str(anzeige.render())
