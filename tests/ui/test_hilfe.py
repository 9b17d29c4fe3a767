"""F1 Hilfe lists every key of the current screen (from the one keymap) and the app-wide keys."""

from kopl_tui.app import KoplApp
from kopl_tui.keymap import anzeige, tasten_fuer
from tests.ui.conftest import kunde_oeffnen


def hilfe_zeilen(app: KoplApp) -> set[tuple[str, str]]:
    tabelle = app.screen.query_one("#tasten")
    return {(str(tabelle.get_row_at(i)[0]), str(tabelle.get_row_at(i)[1])) for i in range(tabelle.row_count)}


async def test_f1_hilfe_zeigt_tasten_der_maske(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Entwurf Kim")
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HilfeScreen"
        zeilen = hilfe_zeilen(app)
        for ort in ("maske", "app"):
            for taste in tasten_fuer(ort):
                assert (anzeige(taste), taste.text) in zeilen
        assert ("n", "Neu") not in zeilen  # overview keys are not offered in the mask
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "MaskeScreen"


async def test_f1_hilfe_in_der_uebersicht(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Beispiel Erika")
        await pilot.press("f1")
        await pilot.pause()
        zeilen = hilfe_zeilen(app)
        assert ("n", "Neu") in zeilen and ("Entf", "Löschen") in zeilen and ("F9", "Fallübersicht") in zeilen
        assert ("Enter", "Bearbeiten") in zeilen


async def test_beenden_ohne_aenderungen_fragt_nicht(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Beispiel Erika")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running


async def test_hilfe_bei_80x24_jede_bedeutung_ganz_ohne_seitliches_blaettern(app: KoplApp):
    """At 80×24 the meanings wrap inside the frame instead of being cut at its edge."""
    async with app.run_test(size=(80, 24)) as pilot:
        await kunde_oeffnen(pilot, "Beispiel Erika")
        await pilot.press("f1")
        await pilot.pause()
        tabelle = app.screen.query_one("#tasten")
        rahmen = app.screen.query_one("#rahmen")
        assert tabelle.max_scroll_x == 0 and rahmen.max_scroll_x == 0
        assert tabelle.virtual_size.width <= tabelle.scrollable_content_region.width
        bedeutungen = [str(tabelle.get_row_at(i)[2]) for i in range(tabelle.row_count)]
        lang = max(range(len(bedeutungen)), key=lambda i: len(bedeutungen[i]))
        assert tabelle.ordered_rows[lang].height >= 2  # the longest meaning wraps
