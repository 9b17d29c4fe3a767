"""Every screen readable at 80×24 (the size of many SSH windows) and at 120×40; German throughout."""

import pytest
from rich.cells import cell_len
from textual.command import CommandInput, CommandPalette
from textual.widgets import DataTable, Select

from kopl_tui.app import KoplApp
from kopl_tui.demo import DemoKunde, demo_jobcenter, schreiben
from kopl_tui.store import Store
from screens.falluebersicht import FalluebersichtScreen
from screens.maske import MaskeScreen
from tests.conftest import HEUTE
from tests.ui.conftest import auswahl, eintragen, kunde_oeffnen

GROESSEN = [(80, 24), (120, 40)]
# The guide's column labels (§3.1 example table, §5 Fallübersicht).
UEBERSICHT = ["Status Kooperationsplan", "Kooperationsplan gültig ab", "gültig bis", "Tag der Aufforderung:",
              "Beginn Schlichtungsverfahren"]
FALLUEBERSICHT = ["Status Kooperationsplan", "Kooperationsplan gültig ab (17.6)", "gültig bis (17.7)",
                  "Tag der Aufforderung:", "Beginn Schlichtungsverfahren"]


def beschriftung(label: object) -> str:
    """A two-line header label read as one line: "Schlich-" + "tungsverfahren" → "Schlichtungsverfahren"."""
    return str(label).replace("-\n", "").replace("\n", " ")


def ganz_lesbar(tabelle: DataTable) -> None:
    """No sideways scrolling, and every label line and value fits its column (nothing cut off)."""
    assert tabelle.max_scroll_x == 0 and tabelle.virtual_size.width <= tabelle.scrollable_content_region.width
    for spalte in tabelle.columns.values():
        breite = spalte.get_render_width(tabelle)
        assert all(cell_len(zeile) < breite for zeile in str(spalte.label).split("\n")), spalte.label
        for zeile in range(tabelle.row_count):
            wert = str(tabelle.get_cell(list(tabelle.rows)[zeile], spalte.key))
            assert cell_len(wert) < breite, wert


def tasten_im_bild(app: KoplApp) -> dict[str, str]:
    """Footer keys wholly on the screen: action → label."""
    breite, hoehe = app.size
    return {taste.action: taste.description for taste in app.screen.query("FooterKey")
            if taste.region.right <= breite and 0 <= taste.region.y < hoehe and taste.region.width > 0}


def meldungen_frei_von_knoepfen(app: KoplApp, knoepfe: int) -> None:
    """The visible part of every toast (the rack may scroll) lies apart from every button."""
    rack = app.screen.query_one("#textual-toastrack").region
    toasts, buttons = list(app.screen.query("Toast")), list(app.screen.query("Button"))
    assert toasts and len(buttons) == knoepfe
    assert not any(t.region.intersection(rack).overlaps(b.region) for t in toasts for b in buttons)
    # shown once, by the dialog: the screen still visible around it does not show them a second time
    assert not app.screen_stack[-2].query_one("#textual-toastrack").display


def kopf_zeigt(app: KoplApp, text: str) -> bool:
    """The header shows ``text`` whole: the centred title is cut at the right where too long."""
    titel = app.screen.query_one("HeaderTitle")
    inhalt = str(titel.render())
    if text not in inhalt:
        return False
    ende = cell_len(inhalt[:inhalt.index(text) + len(text)])
    return cell_len(inhalt) <= titel.size.width or ende < titel.size.width


@pytest.mark.parametrize("groesse", GROESSEN)
async def test_uebersicht_spalten_der_anleitung_ohne_seitliches_blaettern(app: KoplApp, groesse):
    async with app.run_test(size=groesse) as pilot:
        await kunde_oeffnen(pilot, "Beispiel Erika")
        tabelle = app.screen.query_one("#plaene", DataTable)
        await pilot.pause()
        labels = [beschriftung(spalte.label) for spalte in tabelle.columns.values()]
        assert labels[:5] == UEBERSICHT
        assert (labels[5:] == ["Hinweis"]) == (groesse == (120, 40))  # the Hinweis column where it fits
        assert tabelle.row_count == 4
        ganz_lesbar(tabelle)
        assert "BA-Regel: mehr als ein unbegrenzter Plan" in str(app.screen.query_one("#zeilen_hinweis").render())
        await pilot.press("delete")  # a "gelöscht" row, and the keys for it in the footer
        await pilot.pause()
        ganz_lesbar(tabelle)
        assert {"uebernehmen", "uebernehmen_schliessen", "verwerfen", "hilfe"} <= tasten_im_bild(app).keys()


@pytest.mark.parametrize("groesse", GROESSEN)
async def test_falluebersicht_alle_fuenf_spalten(app: KoplApp, groesse):
    async with app.run_test(size=groesse) as pilot:
        await kunde_oeffnen(pilot, "Beispiel Erika")
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, FalluebersichtScreen)
        tabelle = app.screen.query_one("#aktuell", DataTable)
        assert [beschriftung(spalte.label) for spalte in tabelle.columns.values()] == FALLUEBERSICHT
        assert [str(zelle) for zelle in tabelle.get_row_at(0)] == ["Einverständnis", "07.01.2025", "unbegrenzt",
                                                                    "-", "-"]
        ganz_lesbar(tabelle)
        assert {"schliessen", "hilfe"} <= tasten_im_bild(app).keys()


@pytest.mark.parametrize("groesse", GROESSEN)
async def test_kopf_zeigt_kundennummer_ganz(tmp_path, groesse):
    """A long name is cut at the end of the header, never the Kundennummer before it."""
    faelle = demo_jobcenter(HEUTE)
    lang = faelle[0].kunde.model_copy(update={"nachname": "Beispiel-Großmann-Überlänge", "vorname": "Erika-Marie"})
    schreiben(Store(tmp_path / "demo"), [DemoKunde(lang, faelle[0].plaene), *faelle[1:]])
    app = KoplApp(data_dir=tmp_path / "demo", benutzer="tester", heute=HEUTE)
    async with app.run_test(size=groesse) as pilot:
        await kunde_oeffnen(pilot, "Überlänge")
        assert kopf_zeigt(app, "100D000001")
        await pilot.press("down", "enter")  # the plan without status: "Kooperationsplan bearbeiten"
        await pilot.pause()
        assert isinstance(app.screen, MaskeScreen)
        assert kopf_zeigt(app, "gespeichert · 100D000001")
        await pilot.press("escape", "n")  # "Neuer Kooperationsplan", then unsaved
        await pilot.pause()
        await auswahl(pilot, "Einverständnis")
        assert kopf_zeigt(app, "● ungespeichert · 100D000001")


@pytest.mark.parametrize("groesse", GROESSEN)
async def test_fusszeile_zeigt_tasten_des_bildschirms_und_f1_hilfe(app: KoplApp, groesse):
    async with app.run_test(size=groesse) as pilot:
        await pilot.pause()
        assert {"zur_liste", "screen.oeffnen", "suche", "app.pruefliste", "hilfe"} <= tasten_im_bild(app).keys()
        await kunde_oeffnen(pilot, "Beispiel Erika")
        uebersicht = {"neu", "bearbeiten", "loeschen", "schliessen", "historie", "app.dokumente", "hilfe"}
        assert uebersicht <= tasten_im_bild(app).keys()
        await pilot.press("enter")
        await pilot.pause()
        maske = {"uebernehmen", "uebernehmen_zurueck", "verwerfen", "drucken", "schliessen", "hilfe"}
        assert maske <= tasten_im_bild(app).keys()
        app.screen.query_one("#ziel").focus()  # in a free text also F6 Editor
        await pilot.pause()
        assert maske | {"editor"} <= tasten_im_bild(app).keys()
        assert tasten_im_bild(app)["hilfe"] == "Hilfe"
        # the mask keeps its last line above the footer: the footer does not cover the form
        assert app.screen.query_one("#maske").region.bottom <= app.screen.query_one("Fusszeile").region.y


@pytest.mark.parametrize("groesse", GROESSEN)
async def test_meldungen_verdecken_keine_knoepfe_eines_dialogs(app: KoplApp, groesse):
    async with app.run_test(size=groesse, notifications=True) as pilot:
        await kunde_oeffnen(pilot, "Fiktiv Sabine")  # one unbegrenzt plan: a new one brings the BA offer
        await pilot.press("n")
        await pilot.pause()
        await auswahl(pilot, "Einverständnis")
        await eintragen(pilot, "#gueltig_ab", "01.12.2026")
        await pilot.press("f2")  # "Übernommen" toast and the BA-rule dialog
        await pilot.pause(0.3)
        await pilot.pause()
        assert app.screen.id == "ba-vorschlag-dialog"
        meldungen_frei_von_knoepfen(app, 2)
        await pilot.press("escape")  # no decision: a warning toast more
        await pilot.pause()
        assert app.screen.query_one("#textual-toastrack").display  # the mask shows its toasts again
        app.screen.query_one("#ziel").focus()
        await pilot.press(*"neu", "escape")  # an open change: Esc asks (Sicherheitsabfrage)
        for _ in range(2):
            app.notify("Eine lange Meldung " * 8, title="Test", severity="error", timeout=30)
        await pilot.pause(0.3)
        await pilot.pause()
        assert app.screen.id == "verwerfen-dialog"
        assert len(app.screen.query("Toast")) >= 4
        meldungen_frei_von_knoepfen(app, 3)


async def test_keine_englischen_texte_von_textual(app: KoplApp):
    async with app.run_test(size=(80, 24)) as pilot:
        await kunde_oeffnen(pilot, "Entwurf Kim")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen.focused, Select)
        await pilot.press("enter")  # the open list's key in the footer
        await pilot.pause()
        texte = tasten_im_bild(app)
        assert texte["dismiss"] == "Liste schließen" and "Dismiss menu" not in texte.values()
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).placeholder == "Befehl suchen …"
        titel = [befehl.title for befehl in app.get_system_commands(app.screen)]
        assert "Farbschema" in titel
        assert not {"Screenshot", "Theme", "Keys", "Quit", "Maximize"} & set(titel)
        await pilot.press(*"Farbschema")
        await pilot.pause(0.3)  # the palette searches in a worker
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(CommandInput).placeholder == "Farbschema suchen …"


async def test_name_des_feldes_mit_dem_fokus_hebt_sich_ab(app: KoplApp):
    """Keyboard only: where the focus is shows at a glance — the focused field's name is bold in the
    accent colour, and only that one (a compact field's own focus shade is a few RGB steps)."""
    async with app.run_test(size=(80, 24)) as pilot:
        await kunde_oeffnen(pilot, "Mustermann Max")
        await pilot.press("enter")
        await pilot.pause()
        maske = app.screen
        assert isinstance(maske, MaskeScreen)

        def hervorgehoben() -> list[str]:
            return [name.parent.id for name in maske.query(".feld > .feldname") if name.rich_style.bold]

        assert app.focused.id == "status" and hervorgehoben() == ["feld_status"]
        await pilot.press("tab")
        assert app.focused.id == "ziel" and hervorgehoben() == ["feld_ziel"]
