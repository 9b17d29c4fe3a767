"""The Prüfliste in the app (README, "Support"): it shows the findings of ``pruefen``, Enter leads to the Akte at the
finding's plan, and a finding fixed there is gone when the Akte is closed; SCHULUNG in the header."""

from pathlib import Path

from textual.widgets import DataTable

from kopl_tui.app import KoplApp
from kopl_tui.cli import main
from kopl_tui.datum import format_datum
from kopl_tui.pruefung import Pruefbefund, pruefliste
from kopl_tui.store import Store
from screens.kundenliste import KundenlisteScreen
from screens.maske import MaskeScreen
from screens.pruefliste import PrueflisteScreen
from screens.uebersicht import UebersichtScreen
from tests.conftest import HEUTE


async def pruefliste_oeffnen(app: KoplApp, pilot) -> PrueflisteScreen:
    """F8 in the customer list (the search field has focus), then wait for the sweep."""
    await pilot.press("f8")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, PrueflisteScreen)
    return app.screen


def zeilen(screen: PrueflisteScreen) -> list[list[str]]:
    tabelle = screen.query_one("#befunde", DataTable)
    return [[str(zelle) for zelle in tabelle.get_row_at(i)] for i in range(tabelle.row_count)]


def erwartet(befunde: list[Pruefbefund]) -> list[list[str]]:
    return [[b.kundennummer, b.name, format_datum(b.gueltig_ab), b.titel, b.meldung] for b in befunde]


def kopfzeile(app: KoplApp) -> str:
    return str(app.screen.query_one("HeaderTitle").render())


async def test_f8_in_der_kundenliste_zeigt_genau_die_befunde_von_pruefen(app: KoplApp, demo_ordner: Path):
    befunde = pruefliste(demo_ordner, HEUTE)
    assert any(b.regel == "ba_statistik_regel" and b.name == "Beispiel, Erika" for b in befunde)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await pruefliste_oeffnen(app, pilot)
        assert screen.befunde == befunde
        assert zeilen(screen) == erwartet(befunde)
        stand = str(screen.query_one("#stand").render())
        assert f"{len(befunde)} Befunde bei {len({b.kundennummer for b in befunde})} Akten" in stand
        assert screen.markierter_befund().meldung in str(screen.query_one("#meldung").render())


async def test_befehlspalette_pruefliste_und_escape_schliesst(app: KoplApp):
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("ctrl+p", *"Prüfliste")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PrueflisteScreen)
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, KundenlisteScreen)


async def test_ba_verstoss_aus_der_pruefliste_beheben(app: KoplApp, demo_ordner: Path):
    """Enter opens the Akte with the breaching plan marked; the fix (newest plan, F3, 1 = end the older
    one, Strg+S) is saved, and after Esc the Prüfliste no longer lists it, the cursor on that customer."""
    vorher = pruefliste(demo_ordner, HEUTE)
    ba = next(i for i, b in enumerate(vorher) if b.regel == "ba_statistik_regel")
    befund = vorher[ba]
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await pruefliste_oeffnen(app, pilot)
        await pilot.press(*["down"] * ba)
        assert screen.markierter_befund() == befund
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        assert app.akte.kunde.kundennummer == befund.kundennummer
        plaene = app.screen.query_one("#plaene", DataTable)
        assert plaene.coordinate_to_cell_key((plaene.cursor_row, 0)).row_key.value == befund.plan_id
        neuester = app.akte.plaene[0]
        assert neuester.id != befund.plan_id
        await pilot.press("ctrl+home", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MaskeScreen) and app.screen.plan.id == neuester.id
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen.id == "ba-vorschlag-dialog"
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        gespeichert = {p.id: p for p in Store(demo_ordner).akte_laden(befund.kundennummer).plaene}
        assert not gespeichert[befund.plan_id].ist_unbegrenzt
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PrueflisteScreen) and app.screen is screen
        nachher = pruefliste(demo_ordner, HEUTE)
        assert befund not in nachher and not any(b.regel == "ba_statistik_regel" for b in nachher)
        assert screen.befunde == nachher
        assert zeilen(screen) == erwartet(nachher)
        assert screen.markierter_befund().kundennummer == befund.kundennummer


async def test_pruefliste_nicht_aus_der_offenen_akte(app: KoplApp):
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press(*"Beispiel Erika", "enter")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        app.action_pruefliste()
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)


async def test_schulung_steht_im_kopf_nur_bei_schulungsdaten(app: KoplApp, tmp_path: Path):
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        assert "SCHULUNG" not in kopfzeile(app)
    assert main(["schulung", "--data", str(tmp_path / "raum"), "--teilnehmer", "1"]) == 0
    schulung = KoplApp(tmp_path / "raum" / "tn01", benutzer="tester", heute=HEUTE)
    async with schulung.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        assert "SCHULUNG" in kopfzeile(schulung)
        await pilot.press(*"Beispiel Erika", "enter")
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        assert type(schulung.screen).__name__ == "FalluebersichtScreen"
        assert "Fallübersicht" in kopfzeile(schulung) and "SCHULUNG" in kopfzeile(schulung)
