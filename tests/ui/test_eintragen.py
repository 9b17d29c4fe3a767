"""The test helper ``eintragen`` acts like typing: the screen reacts to the value (Changed), and what a
user could not type into a field does not get there either – the test fails instead."""

import pytest
from textual.widgets import Input

from kopl_tui.app import KoplApp
from tests.ui.conftest import auswahl, eintragen, kunde_oeffnen


async def test_eintragen_wie_getippt_und_nur_was_getippt_werden_kann(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Entwurf Kim")
        await pilot.press("n")
        await pilot.pause()
        maske = app.screen
        await auswahl(pilot, "Einverständnis")
        await eintragen(pilot, "#schlichtung_beginn", "02.11.2026")  # the mask follows it (§3.3)
        assert app.focused is maske.query_one("#schlichtung_beginn", Input)
        assert maske.query_one("#schlichtung_max_ende", Input).value == "30.11.2026"
        with pytest.raises(AssertionError, match="nimmt 'abc' nicht an"):  # the date field's filter
            await eintragen(pilot, "#gueltig_ab", "abc")
        assert maske.query_one("#gueltig_ab", Input).value == ""
        maske.query_one("#status").focus()
        await auswahl(pilot, "nur Aufforderung")  # locks both validity dates
        with pytest.raises(AssertionError, match="nimmt den Fokus nicht"):
            await eintragen(pilot, "#gueltig_ab", "01.12.2026")
        assert maske.query_one("#gueltig_ab", Input).value == ""
