from kopl_tui.app import KoplApp
from screens.kundentabelle import KundenTabelle
from screens.uebersicht import UebersichtScreen
from tests.ui.conftest import kunde_oeffnen


async def test_suche_filtert_beim_tippen(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        tabelle = app.screen.query_one("#kunden", KundenTabelle)
        alle = tabelle.anzahl
        assert alle == 32
        await pilot.press(*"musterfrau")
        await pilot.pause()
        assert 0 < tabelle.anzahl < alle
        assert all(tabelle.zellen(i)[1] == "Musterfrau" for i in range(tabelle.anzahl))
        assert "Musterfrau" in tabelle.render_line(1).text  # the first hit, under the header line
        await pilot.press(*["backspace"] * 10, *"100D000001")
        await pilot.pause()
        assert tabelle.anzahl == 1
        assert tabelle.render_line(1).text.split()[:3] == ["100D000001", "Beispiel", "Erika"]
        assert tabelle.render_line(2).text.strip() == ""


async def test_enter_oeffnet_akte_an_der_uebersicht(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Beispiel Erika")
        assert isinstance(app.screen, UebersichtScreen)
        assert app.akte.kunde.nachname == "Beispiel" and app.akte.kunde.vorname == "Erika"
        assert "100D000001" in app.sub_title


async def test_befehlspalette_fallmanagement_kooperationsplan(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Beispiel Erika")
        await pilot.press("f9")
        await pilot.pause()
        assert type(app.screen).__name__ == "FalluebersichtScreen"
        await pilot.press("ctrl+p")
        await pilot.press(*"Fallmanagement")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)


async def test_taste_f5_aus_der_kundenakte_zur_uebersicht(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Beispiel Erika")
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
