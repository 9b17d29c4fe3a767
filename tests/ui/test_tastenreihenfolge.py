"""Keys that arrive together (SSH on a slow line, a fast typist) are applied in the order typed, also
Backspace, arrows and Strg+U between characters (screens/textfelder.py). The keys are handed to the
app as its terminal driver hands them over, one after the other without waiting in between."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

from kopl_tui.app import KoplApp
from screens.kundentabelle import KundenTabelle
from tests.ui.test_anleitung_beispiele import maske_zeile

ZEICHEN = {"ctrl+u": "\x15", "backspace": "\x7f", "space": " "}


async def schwall(pilot, *tasten: str) -> None:  # noqa: ANN001
    """All ``tasten`` posted to the app at once, then wait until it has handled them."""
    for taste in tasten:
        zeichen = ZEICHEN.get(taste, taste if len(taste) == 1 else None)
        pilot.app.post_message(events.Key(taste, zeichen))
    await pilot.pause()
    await pilot.pause()


def test_textuals_tastenzuordnung_je_widget_gibt_es_noch():
    """screens/textfelder.py reads a field's own bindings where Textual's ``App._check_bindings`` does."""
    assert [b.action for b in Input()._bindings.key_to_bindings["backspace"]] == ["delete_left"]
    assert [b.action for b in TextArea()._bindings.key_to_bindings["backspace"]] == ["delete_left"]


async def test_strg_u_und_neues_suchwort_zusammen(app: KoplApp):
    async with app.run_test(size=(80, 24)) as pilot:
        await schwall(pilot, *"ab")
        await schwall(pilot, "ctrl+u", *"musterfrau")
        suche = app.screen.query_one("#suche", Input)
        assert suche.value == "musterfrau"
        tabelle = app.screen.query_one("#kunden", KundenTabelle)
        assert tabelle.anzahl > 0 and all(tabelle.zellen(i)[1] == "Musterfrau" for i in range(tabelle.anzahl))


async def test_korrektur_in_der_suche(app: KoplApp):
    async with app.run_test(size=(80, 24)) as pilot:
        await schwall(pilot, *"musterfrua", "backspace", "backspace", *"au", "home", "delete", "M")
        assert app.screen.query_one("#suche", Input).value == "Musterfrau"


async def test_korrektur_im_freitext_der_maske(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        maske = await maske_zeile(pilot, "Fiktiv Sabine", 1)
        ziel = maske.query_one("#ziel", TextArea)
        ziel.focus()
        await pilot.pause()
        vorher = ziel.text
        await schwall(pilot, "end", *" abc", "backspace", "d", "left", "left", "x")
        assert ziel.text == vorher + " axbd"
