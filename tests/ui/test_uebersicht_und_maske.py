"""Walk-through of the guide (§3–§5) with the keys of the keymap, files checked on disk."""

from datetime import date

from textual.widgets import DataTable, Input, Select

from kopl_tui.app import KoplApp
from kopl_tui.model import UNBEGRENZT, Status
from kopl_tui.store import Store
from screens.maske import MaskeScreen
from screens.uebersicht import UebersichtScreen
from tests.ui.conftest import auswahl, kunde_oeffnen


def gespeichert(app: KoplApp, kundennummer: str):
    return Store(app.store.data_dir).akte_laden(kundennummer)


async def test_plan_anlegen_uebernehmen_und_speichern(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Entwurf Kim")
        nummer = app.akte.kunde.kundennummer
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MaskeScreen)
        maske = app.screen
        assert maske.query_one("#status", Select).value is Select.NULL
        assert maske.query_one("#gueltig_bis", Input).value == "unbegrenzt"
        await auswahl(pilot, "Einverständnis")
        assert maske.query_one("#status", Select).value == "Einverständnis"
        await pilot.press("tab", *"Ziel: Arbeit", "tab", *"Bewerbungen", "tab", "tab", *"01.12.2026")
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        assert gespeichert(app, nummer).plaene == []  # applied, not yet saved (§5)
        assert "ungespeichert" in app.sub_title
        await pilot.press("ctrl+s")
        await pilot.pause()
        plaene = gespeichert(app, nummer).plaene
        assert len(plaene) == 1
        assert plaene[0].status is Status.EINVERSTAENDNIS and plaene[0].gueltig_ab == date(2026, 12, 1)
        assert plaene[0].gueltig_bis == UNBEGRENZT and plaene[0].ziel == "Ziel: Arbeit"
        assert plaene[0].naechste_schritte == "Bewerbungen" and plaene[0].angelegt_von == "tester"
        assert "gespeichert" in app.sub_title and "ungespeichert" not in app.sub_title


async def test_status_pflichtfeld_in_der_maske(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Entwurf Kim")
        await pilot.press("n", "f2")
        await pilot.pause()
        maske = app.screen
        assert isinstance(maske, MaskeScreen)
        assert "Pflichtfeld" in str(maske.query_one("#fehler_status").render())
        assert app.akte.plaene == []


async def test_plan_bearbeiten(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Fiktiv Sabine")
        nummer = app.akte.kunde.kundennummer
        await pilot.press("enter")
        await pilot.pause()
        maske = app.screen
        assert isinstance(maske, MaskeScreen)
        maske.query_one("#ueberprueft_am", Input).focus()
        await pilot.press(*"20.11.2026", "f3")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert gespeichert(app, nummer).plaene[0].ueberprueft_am == date(2026, 11, 20)


async def test_loeschen_und_verwerfen_stellt_her(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Mustermann Max")
        tabelle = app.screen.query_one("#plaene")
        assert tabelle.row_count == 2
        await pilot.press("delete")
        await pilot.pause()
        erste = app.akte.plaene[0].id
        assert app.akte.ist_loeschmarkiert(erste)
        assert "gelöscht" in str(tabelle.get_row_at(0)[-1])
        await pilot.press("f4")
        await pilot.pause()
        assert not app.akte.ist_loeschmarkiert(erste) and tabelle.row_count == 2
        assert "gelöscht" not in str(tabelle.get_row_at(0)[-1])


async def test_loeschen_uebernehmen_und_speichern(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Mustermann Max")
        nummer = app.akte.kunde.kundennummer
        weg = app.akte.plaene[0].id
        await pilot.press("delete", "f2", "ctrl+s")
        await pilot.pause()
        assert [p.id for p in gespeichert(app, nummer).plaene] != [] and weg not in {
            p.id for p in gespeichert(app, nummer).plaene}


async def test_schliessen_mit_loeschmarke_fragt_drei_moeglichkeiten(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Mustermann Max")
        await pilot.press("delete", "escape")
        await pilot.pause()
        assert app.screen.id == "verwerfen-dialog"
        texte = [str(b.label) for b in app.screen.query("Button")]
        assert texte == ["1 Änderungen übernehmen", "2 Änderungen verwerfen", "3 Zurück zur Maske"]
        await pilot.press("3")  # Zurück zur Maske
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen) and app.akte.hat_loeschmarken
        await pilot.press("escape", "2")  # Änderungen verwerfen: plan stays, overview closes
        await pilot.pause()
        assert app.akte is None
        assert len(Store(app.store.data_dir).akte_laden("100D000003").plaene) == 2


async def _maske_mit_aenderung(pilot, app: KoplApp) -> MaskeScreen:
    await kunde_oeffnen(pilot, "Fiktiv Sabine")
    await pilot.press("enter")
    await pilot.pause()
    maske = app.screen
    assert isinstance(maske, MaskeScreen)
    maske.query_one("#ziel").focus()
    await pilot.press(*" ergänzt")
    await pilot.press("escape")
    await pilot.pause()
    assert app.screen.id == "verwerfen-dialog"
    return maske


async def test_esc_maske_aenderungen_uebernehmen(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await _maske_mit_aenderung(pilot, app)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        assert app.akte.plaene[0].ziel.startswith(" ergänzt") and app.akte.ungespeichert


async def test_esc_maske_aenderungen_verwerfen(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await _maske_mit_aenderung(pilot, app)
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        assert not app.akte.plaene[0].ziel.startswith(" ergänzt") and not app.akte.ungespeichert


async def test_esc_maske_zurueck_zur_maske(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        maske = await _maske_mit_aenderung(pilot, app)
        await pilot.press("3")
        await pilot.pause()
        assert app.screen is maske and maske.offene_aenderungen()
        assert maske.query_one("#ziel").text.startswith(" ergänzt")


async def test_nur_aufforderung_sperrt_gueltigkeit_in_der_maske(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Entwurf Kim")
        await pilot.press("n")
        await pilot.pause()
        maske = app.screen
        await auswahl(pilot, "nur Aufforderung")
        ab, bis = maske.query_one("#gueltig_ab", Input), maske.query_one("#gueltig_bis", Input)
        assert ab.disabled and bis.disabled and ab.value == "" and bis.value == ""
        maske.query_one("#tag_der_aufforderung", Input).focus()
        await pilot.press(*"20.11.2026", "tab", *"04.12.2026", "f3")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        plan = app.akte.plaene[0]
        assert plan.status is Status.NUR_AUFFORDERUNG and plan.gueltig_ab is None and plan.gueltig_bis is None


async def test_falsches_datum_wird_abgewiesen_nichts_geschrieben(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Entwurf Kim")
        nummer = app.akte.kunde.kundennummer
        await pilot.press("n")
        await pilot.pause()
        maske = app.screen
        await auswahl(pilot, "Einverständnis")
        maske.query_one("#gueltig_ab", Input).focus()
        await pilot.press(*"31.02.2026")
        await pilot.pause()
        assert "gibt es nicht" in str(maske.query_one("#fehler_gueltig_ab").render())
        await pilot.press("f3", "ctrl+s")
        await pilot.pause()
        assert app.screen is maske
        assert app.akte.plaene == []
        assert not app.store.akte_pfad(nummer).exists()
        assert maske.query_one("#gueltig_ab", Input).value == "31.02.2026"  # nothing typed is lost


async def test_ba_regel_beenden_angebot_ja(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Beispiel Erika")
        assert len(app.akte.ba_verstoesse()) == 2
        await pilot.press("enter")  # newest: Einverständnis 07.01.2025 – unbegrenzt
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen.id == "ba-vorschlag-dialog"
        assert "06.01.2025" in str(app.screen.query_one("#frage").render())
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        assert app.akte.ba_verstoesse() == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        bis = sorted((p.gueltig_ab, p.gueltig_bis) for p in gespeichert(app, "100D000001").plaene)
        assert bis[2] == (date(2024, 11, 1), date(2025, 1, 6))


async def test_ba_regel_beenden_angebot_nein_uebersicht_zeigt_verstoss(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Beispiel Erika")
        await pilot.press("enter", "f3")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        assert "BA-Regel" in str(app.screen.query_one("#plaene").get_row_at(0)[-1])
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.id == "ba-dialog"
        text = str(app.screen.query_one("#frage").render())
        assert "01.11.2024" in text and "07.01.2025" in text


async def test_beenden_mit_ungespeicherten_aenderungen_fragt(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Mustermann Max")
        await pilot.press("delete", "f2", "ctrl+q")
        await pilot.pause()
        assert app.screen.id == "beenden-dialog"
        assert [str(b.label) for b in app.screen.query("Button")] == ["1 Speichern", "2 Verwerfen", "3 Abbrechen"]
        await pilot.press("3")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, UebersichtScreen)
        await pilot.press("ctrl+q", "1")
        await pilot.pause()
    assert len(Store(app.store.data_dir).akte_laden("100D000003").plaene) == 1


async def test_schlichtung_max_ende_fuellt_sich(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Entwurf Kim")
        await pilot.press("n")
        await pilot.pause()
        maske = app.screen
        maske.query_one("#schlichtung_beginn", Input).focus()
        await pilot.press(*"02.11.2026")
        await pilot.pause()
        assert maske.query_one("#schlichtung_max_ende", Input).value == "30.11.2026"


async def test_editor_f6_und_speicherabfrage(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Entwurf Kim")
        await pilot.press("n")
        await pilot.pause()
        maske = app.screen
        maske.query_one("#ziel").focus()
        await pilot.press("f6")
        await pilot.pause()
        assert type(app.screen).__name__ == "TextEditorScreen"
        await pilot.press(*"Langer Text", "enter", *"Zeile 2", "escape")
        await pilot.pause()
        assert app.screen.id == "editor-dialog"
        await pilot.press("1")
        await pilot.pause()
        assert app.screen is maske
        assert maske.query_one("#ziel").text == "Langer Text\nZeile 2"


async def test_historie_zeigt_aenderungen_mit_alt_neu(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Beispiel Erika")
        await pilot.press("enter", "f3", "1", "ctrl+s")  # end the older plan (BA-rule offer), save
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert type(app.screen).__name__ == "HistorieScreen"
        tabelle = app.screen.query_one("#historie")
        zeilen = [[str(z) for z in tabelle.get_row_at(i)] for i in range(tabelle.row_count)]
        assert any(z[1] == "tester" and z[2] == "gespeichert" for z in zeilen)
        assert any(z[2] == "Kooperationsplan geändert" and "bis: Unbegrenzt → 06.01.2025" in z[3] for z in zeilen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)


async def test_zeile_einer_anderen_akte_bewirkt_nichts(app: KoplApp):
    """The overview is built once and refilled per Akte: a key typed ahead that reaches it before the
    refill must not act on the Akte shown before (it ended the session with a KeyError under load)."""
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Beispiel Erika")
        fremd = app.akte.plaene[0].id
        uebersicht = app.screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.akte is None
        uebersicht.beginnen_bei(None)  # what opening the next Akte does before showing the screen
        assert uebersicht.query_one("#plaene", DataTable).row_count == 0
        await kunde_oeffnen(pilot, "Mustermann Max")
        assert app.screen is uebersicht and not app.akte.hat_plan(fremd)
        tabelle = uebersicht.query_one("#plaene", DataTable)
        tabelle.add_row(*["x"] * len(tabelle.columns), key=fremd)  # as if left from the Akte before
        tabelle.move_cursor(row=tabelle.row_count - 1)
        await pilot.press("enter", "delete")
        await pilot.pause()
        assert app.screen is uebersicht and not app.akte.ungespeichert


async def test_strg_pos1_und_strg_ende_im_freitext_und_im_editor(app: KoplApp):
    """Strg+Pos1/Strg+Ende go to the start/end of the whole text (Pos1/Ende: of the line), in the
    mask's free text and in the F6 editor."""
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Entwurf Kim")
        await pilot.press("n")
        await pilot.pause()
        maske = app.screen
        ziel = maske.query_one("#ziel")
        ziel.focus()
        await pilot.press(*"eins", "enter", *"zwei", "enter", *"drei", "up", "home")
        await pilot.press("ctrl+home", "A", "ctrl+end", "Z")
        assert ziel.text == "Aeins\nzwei\ndreiZ"
        await pilot.press("f6")
        await pilot.pause()
        editor = app.screen.query_one("#editor")
        await pilot.press("ctrl+home", "<", "ctrl+end", ">")
        assert editor.text == "<Aeins\nzwei\ndreiZ>"
