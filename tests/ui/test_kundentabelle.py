"""The customer list's table (screens/kundentabelle.py): every hit reachable with the keys of F1,
what is drawn is the row the cursor is on, Enter and a click open it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from kopl_tui.app import KoplApp
from kopl_tui.model import Anrede, Kunde
from kopl_tui.store import Store
from screens.kundentabelle import KundenTabelle
from screens.uebersicht import UebersichtScreen
from tests.conftest import HEUTE


def gezeichnet(tabelle: KundenTabelle) -> list[str]:
    """The table's lines as on the terminal (header first)."""
    return [tabelle.render_line(y).text for y in range(tabelle.scrollable_content_region.height)]


def cursor_gezeichnet(tabelle: KundenTabelle) -> str:
    """The Kundennummer on the line drawn in the cursor's style."""
    stil = tabelle.get_component_rich_style("kundentabelle--cursor")
    zeilen = [tabelle.render_line(y) for y in range(1, tabelle.scrollable_content_region.height)]
    markiert = [z.text.split()[0] for z in zeilen if z.text.strip() and next(iter(z)).style == stil]
    assert len(markiert) == 1, markiert
    return markiert[0]


async def test_pfeile_bild_pos1_ende_und_zurueck_ins_suchfeld(app: KoplApp):
    async with app.run_test(size=(80, 24)) as pilot:
        tabelle = app.screen.query_one("#kunden", KundenTabelle)
        await pilot.press("down")  # from the search field into the list
        assert tabelle.has_focus and tabelle.cursor_zeile == 0
        sichtbar = tabelle.scrollable_content_region.height - 1
        assert tabelle.anzahl == 32 > sichtbar
        await pilot.press("down", "down")
        await pilot.pause()
        assert cursor_gezeichnet(tabelle) == tabelle.zellen(2)[0]
        await pilot.press("end")
        await pilot.pause()
        assert tabelle.cursor_zeile == 31
        assert gezeichnet(tabelle)[-1].split()[0] == tabelle.zellen(31)[0] == cursor_gezeichnet(tabelle)
        assert gezeichnet(tabelle)[0].split()[:2] == ["Kundennummer", "Name"]  # the header stays
        await pilot.press("home", "pagedown")
        await pilot.pause()
        assert tabelle.cursor_zeile == sichtbar
        assert cursor_gezeichnet(tabelle) == tabelle.zellen(sichtbar)[0]
        await pilot.press("pageup", "up")  # above the first row: back into the search field
        assert app.screen.query_one("#suche", Input).has_focus
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        assert app.akte.kunde.kundennummer == tabelle.zellen(2)[0]


async def test_klick_markiert_zweiter_klick_oeffnet(app: KoplApp):
    async with app.run_test(size=(80, 24)) as pilot:
        tabelle = app.screen.query_one("#kunden", KundenTabelle)
        await pilot.click("#kunden", offset=(3, 4))  # line 4: the header, then rows 0, 1, 2, 3
        await pilot.pause()
        assert tabelle.cursor_zeile == 3 and isinstance(app.screen.query_one("#kunden"), KundenTabelle)
        await pilot.click("#kunden", offset=(3, 0))  # the header opens nothing
        await pilot.click("#kunden", offset=(3, 4))
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        assert app.akte.kunde.kundennummer == tabelle.zellen(3)[0]


async def test_jeder_treffer_erreichbar_auch_ueber_fuenfzig(tmp_path: Path):
    ordner = tmp_path / "viele"
    Store(ordner).kunden_schreiben([Kunde(
        kundennummer=f"123D{nummer:06d}", anrede=Anrede.FRAU, nachname=f"Muster{nummer:03d}", vorname="Ida",
        geburtsdatum="01.01.1990", bg_nummer=f"12345//{nummer:07d}") for nummer in range(1, 121)])
    app = KoplApp(data_dir=ordner, benutzer="tester", heute=HEUTE)
    async with app.run_test(size=(80, 24)) as pilot:
        tabelle = app.screen.query_one("#kunden", KundenTabelle)
        await pilot.press(*"muster1")  # Muster100 … Muster120
        await pilot.pause()
        assert str(app.screen.query_one("#treffer", Static).render()) == "21 von 120 Kunden"
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert str(app.screen.query_one("#treffer", Static).render()) == "120 von 120 Kunden"
        await pilot.press("down", "end")
        await pilot.pause()
        assert gezeichnet(tabelle)[-1].split()[:2] == ["123D000120", "Muster120"]
