"""Customer list and footer as made fast for 20,000 customers (README, "Leistung"): names shown as typed, an index row checked when
opened, the overview reused for the next Akte, the footer following the bindings."""

from __future__ import annotations

import json


from kopl_tui.app import KoplApp
from kopl_tui.model import Anrede, Kunde
from kopl_tui.store import Store
from screens.kundenliste import KundenlisteScreen
from screens.kundentabelle import KundenTabelle
from screens.uebersicht import UebersichtScreen
from tests.conftest import HEUTE
from tests.ui.conftest import kunde_oeffnen


def tasten(app: KoplApp) -> dict[str, bool]:
    """Footer keys of the current screen: action → enabled."""
    return {taste.action: not taste.has_class("-disabled") for taste in app.screen.query("FooterKey")}


async def test_namen_mit_eckigen_klammern_erscheinen_wie_getippt(demo_ordner):
    Store(demo_ordner).kunden_schreiben([Kunde(
        kundennummer="123D000777", anrede=Anrede.FRAU, nachname="Klammer [/b] [red]", vorname="Ida",
        geburtsdatum="01.01.1990", bg_nummer="12345//0000777")])
    app = KoplApp(data_dir=demo_ordner, benutzer="tester", heute=HEUTE)
    async with app.run_test(size=(100, 35)) as pilot:
        await pilot.press(*"klammer")
        await pilot.pause()
        tabelle = app.screen.query_one("#kunden", KundenTabelle)
        assert tabelle.anzahl == 1
        assert tabelle.zellen(0)[1] == "Klammer [/b] [red]"
        assert "Klammer [/b] [red]" in tabelle.render_line(1).text  # as drawn
        await pilot.press("enter")
        await pilot.pause()
        assert app.akte.kunde.nachname == "Klammer [/b] [red]"


async def test_ungueltige_indexzeile_wird_beim_oeffnen_gemeldet(demo_ordner):
    kunden_datei = demo_ordner / "kunden.json"
    daten = json.loads(kunden_datei.read_text(encoding="utf-8"))
    zeile = next(z for z in daten["kunden"].values() if z["nachname"] == "Probe")
    zeile["geburtsdatum"] = "31.02.1980"
    kunden_datei.write_text(json.dumps(daten), encoding="utf-8")
    app = KoplApp(data_dir=demo_ordner, benutzer="tester", heute=HEUTE)
    async with app.run_test(size=(100, 35), notifications=True) as pilot:
        await kunde_oeffnen(pilot, "Probe Paul")
        assert app.akte is None and isinstance(app.screen, KundenlisteScreen)
        assert any("31.02.1980" in str(n.message) for n in app._notifications)


async def test_zweite_akte_in_derselben_uebersicht_mit_ihren_plaenen(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Mustermann Max")
        erste = app.screen
        assert erste.query_one("#plaene").row_count == 2
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("f4", "escape")
        await pilot.pause()
        await pilot.press(*["backspace"] * 14)
        await kunde_oeffnen(pilot, "Entwurf Kim")
        assert app.screen is erste and isinstance(erste, UebersichtScreen)
        assert erste.query_one("#plaene").row_count == 0
        assert "Entwurf" in str(erste.query_one("#kunde").render())


async def test_fusszeile_folgt_loeschmarke_und_akte(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        assert "speichern" not in tasten(app)  # no Akte open: hidden
        await kunde_oeffnen(pilot, "Mustermann Max")
        await pilot.pause()
        assert tasten(app)["speichern"] and "uebernehmen" not in tasten(app)  # hidden until a row is marked
        await pilot.press("delete")
        await pilot.pause()
        assert tasten(app)["uebernehmen"] and tasten(app)["verwerfen"]
        await pilot.press("f4", "escape")
        await pilot.pause()
        assert isinstance(app.screen, KundenlisteScreen) and "speichern" not in tasten(app)
