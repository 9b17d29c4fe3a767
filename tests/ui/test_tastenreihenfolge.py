"""Keys that arrive together (SSH on a slow line, a fast typist) are applied in the order typed
(screens/tastenfolge.py): Backspace, arrows and Strg+U between characters; keys after one that moves
the focus or opens a screen go where that key led; keys typed while an Akte opens act on it once it
is there. The keys are handed to the app as its terminal driver hands them over, one after the other
without waiting in between."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

from kopl_tui.app import KoplApp
from screens.auswahl_dialog import AuswahlDialog
from screens.kundenliste import KundenlisteScreen
from screens.kundentabelle import KundenTabelle
from screens.maske import MaskeScreen
from screens.uebersicht import UebersichtScreen
from tests.ui.conftest import akte_abwarten, nicht_auf_akte_warten
from tests.ui.test_anleitung_beispiele import maske_zeile

ZEICHEN = {"ctrl+u": "\x15", "ctrl+f": "\x06", "backspace": "\x7f", "space": " ", "enter": "\r",
           "escape": "\x1b"}


async def schwall(pilot, *tasten: str | events.Paste) -> None:  # noqa: ANN001
    """All ``tasten`` posted to the app at once, then wait until it has handled them."""
    for taste in tasten:
        if isinstance(taste, events.Paste):
            pilot.app.post_message(taste)
            continue
        zeichen = ZEICHEN.get(taste, taste if len(taste) == 1 else None)
        pilot.app.post_message(events.Key(taste, zeichen))
    await pilot.pause()
    await pilot.pause()


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


async def test_strg_f_in_der_liste_und_gleich_das_suchwort(app: KoplApp):
    """Strg+F moves the focus from the list to the search: the word typed right after it goes there."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down")
        assert isinstance(app.focused, KundenTabelle)
        await schwall(pilot, "ctrl+f", "ctrl+u", *"musterfrau")
        assert app.screen.query_one("#suche", Input).value == "musterfrau"


async def test_strg_f_in_der_liste_und_gleich_eingefuegt(app: KoplApp):
    """A paste right after Strg+F (a Kundennummer copied from a ticket) lands in the search too."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down")
        assert isinstance(app.focused, KundenTabelle)
        await schwall(pilot, "ctrl+f", "ctrl+u", events.Paste("100D000003"))
        assert app.screen.query_one("#suche", Input).value == "100D000003"


async def test_enter_enter_oeffnet_kunde_und_neuesten_plan(app: KoplApp):
    """The second Enter, typed while the Akte is being opened, opens the newest plan in the mask."""
    async with app.run_test(size=(100, 35)) as pilot:
        await schwall(pilot, *"Mustermann Max")
        with nicht_auf_akte_warten():
            await schwall(pilot, "enter", "enter")
            await akte_abwarten(pilot)
            await pilot.pause()
        assert isinstance(app.screen, MaskeScreen) and app.akte.kunde.kundennummer == "100D000003"


async def test_antwort_per_knopf_und_weiter_tippen(app: KoplApp):
    """Enter on a dialog's button closes it through the button's message; what follows goes to the
    screen below, not to the closing dialog."""
    async with app.run_test(size=(100, 35)) as pilot:
        maske = await maske_zeile(pilot, "Mustermann Max", 1)
        maske.query_one("#ziel", TextArea).focus()
        await pilot.press(*"neu", "f3")  # something typed, applied with F3: unsaved
        assert isinstance(app.screen, UebersichtScreen) and app.akte.ungespeichert
        await schwall(pilot, "escape", "down", "enter", "ctrl+u", *"fiktiv")
        assert isinstance(app.screen, KundenlisteScreen) and app.akte is None
        assert app.screen.query_one("#suche", Input).value == "fiktiv"


async def test_fehler_nach_dem_warten_verwirft_die_vorausgetippten_tasten(app: KoplApp, demo_ordner):
    """An error that comes after waiting is not answered by keys typed before it showed."""
    from kopl_tui.store import Store

    akte = Store(demo_ordner).akte_pfad("100D000003")
    async with app.run_test(size=(100, 35)) as pilot:
        await schwall(pilot, *"Mustermann Max")
        akte.write_text("kaputt", encoding="utf-8")
        with nicht_auf_akte_warten():
            await schwall(pilot, "enter", "enter")
            await akte_abwarten(pilot)
            await pilot.pause()
        assert isinstance(app.screen, AuswahlDialog) and app.screen.id == "oeffnen-fehler"



async def test_eine_verlorene_runde_haelt_die_tasten_nicht_auf():
    """The message behind a key can be lost: the widget it waits in goes away before passing it on
    (a dialog closed meanwhile). The keys after it go on all the same, to the widget focused now."""
    from textual.app import App
    from textual.widget import Widget

    from screens.tastenfolge import TasteErledigt, Tastenfolge

    class Weg(Widget, can_focus=True):
        """Goes away with the message behind its key, as a closed dialog's button would."""

        async def on_taste_erledigt(self, nachricht: TasteErledigt) -> None:
            nachricht.stop()
            self.screen.query_one(Input).focus()
            await self.remove()

    class Probe(Tastenfolge, App[None]):
        def compose(self):  # noqa: ANN202
            yield Weg()
            yield Input()

    app = Probe()
    async with app.run_test() as pilot:
        app.query_one(Weg).focus()
        await pilot.pause()
        await schwall(pilot, "x", *"weiter")
        await pilot.pause(0.3)  # the watch looks every 50 ms
        assert not app.query(Weg) and app.query_one(Input).value == "weiter"
