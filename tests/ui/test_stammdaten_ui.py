"""The Stammdaten screen, driven with the documented keys: a customer imported without address gets
one under the Akte's edit lock, saved with Strg+S, old → new in the history, the customer list and
the letter assistant show it; read-only while another session holds the lock; bad input gets its
message at the field and nothing is applied."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static

from kopl_tui.app import KoplApp
from kopl_tui.briefe import Abschnitt
from kopl_tui.kunden_import import importieren
from kopl_tui.sperre import AkteSperre
from kopl_tui.store import Store
from screens.auswahl_dialog import AuswahlDialog
from screens.dokument_assistent import DokumentAssistent
from screens.historie import HistorieScreen
from screens.kundenliste import KundenlisteScreen
from screens.kundentabelle import KundenTabelle
from screens.maske import MaskeScreen
from screens.stammdaten import StammdatenScreen
from screens.uebersicht import UebersichtScreen
from tests.conftest import HEUTE
from tests.ui.conftest import eintragen, kunde_oeffnen
from tests.ui.test_drucken import vorlage_waehlen, warten

NR = "500D000001"
NAME = "[@click=app.quit]Ohne[/] Anschrift"  # markup in a name stays text on every screen


def importiert_ohne_anschrift(ordner: Path, tmp_path: Path) -> Store:
    datei = tmp_path / "neu.csv"
    datei.write_text("kundennummer;anrede;nachname;vorname;geburtsdatum;bg_nummer;ifk\n"
                     f"{NR};Frau;{NAME};Olga;03.04.1985;12345//0000500;Ina Beispiel\n", encoding="utf-8")
    store = Store(ordner)
    assert importieren(datei, store).fehler == []
    return store


def text(screen, selektor: str) -> str:
    return str(screen.query_one(selektor, Static).render())


async def eintippen(pilot, wert: str) -> None:
    """The field with the cursor then holds ``wert`` (``eintragen``: master data are the subject here,
    not typing them)."""
    feld = pilot.app.focused
    assert feld is not None and feld.id, feld
    await eintragen(pilot, f"#{feld.id}", wert)


async def stammdaten_eintippen(pilot, **werte: str) -> None:
    """The fields top to bottom with Tab, as a keyboard user goes through them."""
    for nummer, feld in enumerate(("strasse", "plz", "ort", "bg_nummer", "ifk")):
        assert pilot.app.focused is pilot.app.screen.query_one(f"#{feld}", Input), (feld, pilot.app.focused)
        if feld in werte:
            await eintippen(pilot, werte[feld])
        if nummer < 4:
            await pilot.press("tab")
    await pilot.pause()


async def test_stammdaten_korrigiert_unter_sperre_gespeichert_mit_historie_und_kundenliste(demo_ordner, tmp_path):
    store = importiert_ohne_anschrift(demo_ordner, tmp_path)
    app = KoplApp(data_dir=demo_ordner, benutzer="mueller", heute=HEUTE)
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, NR)
        assert isinstance(app.screen, UebersichtScreen) and not app.akte.schreibgeschuetzt
        assert AkteSperre.lesen(store, NR).benutzer == "mueller"  # edited under the Akte's lock
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StammdatenScreen) and screen.title == "Stammdaten"
        assert f"Frau Olga {NAME} · Kundennummer {NR} · geboren am 03.04.1985" == text(screen, "#kunde")
        await stammdaten_eintippen(pilot, strasse="Musterweg 7", plz="37073", ort="Göttingen",
                                   bg_nummer="12345//0000777", ifk="Uta Probe")
        await pilot.press("f3")  # Übernehmen & zurück
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        assert "BG 12345//0000777 · IFK Uta Probe" in text(app.screen, "#kunde")
        assert app.sub_title.startswith("● ungespeichert")
        assert Store(demo_ordner).kunde(NR).strasse == ""  # applied, not saved yet
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.sub_title.startswith("gespeichert")
        gespeichert = Store(demo_ordner).kunde(NR)
        assert (gespeichert.strasse, gespeichert.plz_ort) == ("Musterweg 7", "37073 Göttingen")
        assert (gespeichert.bg_nummer, gespeichert.ifk, gespeichert.nachname) == ("12345//0000777", "Uta Probe", NAME)
        eintrag, = [e for e in Store(demo_ordner).historie(NR) if e.aktion == "Stammdaten geändert"]
        assert eintrag.benutzer == "mueller"
        assert eintrag.alt == {"strasse": "", "plz": "", "ort": "", "bg_nummer": "12345//0000500", "ifk": "Ina Beispiel"}
        assert eintrag.neu == {"strasse": "Musterweg 7", "plz": "37073", "ort": "Göttingen",
                               "bg_nummer": "12345//0000777", "ifk": "Uta Probe"}
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistorieScreen)
        tabelle = app.screen.query_one("#historie", DataTable)
        zeilen = [[str(zelle) for zelle in tabelle.get_row_at(nummer)] for nummer in range(tabelle.row_count)]
        zeile = next(z for z in zeilen if z[2] == "Stammdaten geändert")
        assert zeile[1] == "mueller"
        assert "Straße: – → Musterweg 7; PLZ: – → 37073; Ort: – → Göttingen; " \
               "BG-Nummer: 12345//0000500 → 12345//0000777; Integrationsfachkraft: Ina Beispiel → Uta Probe" == zeile[3]
        await pilot.press("escape", "escape")  # Historie, then the Akte
        await pilot.pause()
        assert isinstance(app.screen, KundenlisteScreen) and app.akte is None
        liste = app.screen.query_one("#kunden", KundenTabelle)
        assert liste.zellen(0)[0::4] == (NR, "Uta Probe")  # the list shows it
    assert AkteSperre.lesen(store, NR) is None


async def test_stammdaten_nur_ansicht_wenn_eine_andere_sitzung_die_akte_bearbeitet(demo_ordner, tmp_path):
    store = importiert_ohne_anschrift(demo_ordner, tmp_path)
    anna = AkteSperre.nehmen(store, NR, "anna")
    vorher = store.kunden_datei.read_bytes()
    app = KoplApp(data_dir=demo_ordner, benutzer="bernd", heute=HEUTE)
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, NR)
        assert app.akte.schreibgeschuetzt
        await pilot.press("ctrl+p", *"Stammdaten")  # the command palette reaches it too
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StammdatenScreen)
        assert screen.title == "Stammdaten ansehen (nur Ansicht)"
        assert "Akte wird bearbeitet von anna" in text(screen, "#nur_ansicht")
        assert all(eingabe.disabled for eingabe in screen.query(Input))
        screen.query_one("#strasse", Input).value = "Hintertür 1"  # even a value set some other way
        await pilot.press("f2", "f3", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StammdatenScreen) and not app.akte.ungespeichert
        await pilot.press("escape")  # nothing to ask: nothing can be applied here
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
    assert store.kunden_datei.read_bytes() == vorher and store.historie(NR) == []
    assert AkteSperre.lesen(store, NR).benutzer == "anna"
    anna.freigeben()


async def test_stammdaten_falsche_eingaben_meldung_am_feld_nichts_uebernommen(demo_ordner, tmp_path):
    importiert_ohne_anschrift(demo_ordner, tmp_path)
    app = KoplApp(data_dir=demo_ordner, benutzer="mueller", heute=HEUTE)
    async with app.run_test(size=(80, 24)) as pilot:
        await kunde_oeffnen(pilot, NR)
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        await stammdaten_eintippen(pilot, strasse="Musterweg 7", plz="3707", ort="37073 Göttingen",
                                   bg_nummer="12345/777")
        await pilot.press("f2")
        await pilot.pause()
        assert text(screen, "#fehler_plz") == "PLZ „3707“ hat nicht das Format 12345 (fünf Ziffern)."
        assert text(screen, "#fehler_bg_nummer") == "BG-Nummer „12345/777“ hat nicht das Format 12345//0001234 (Ziffern 0–9)."
        assert text(screen, "#fehler_strasse") == "" and text(screen, "#fehler_ifk") == ""
        assert app.focused is screen.query_one("#plz", Input)  # the first field with a message
        assert not app.akte.stammdaten_ungespeichert
        await eintippen(pilot, "37073")
        await pilot.press("tab", "tab")
        await eintippen(pilot, "12345//0000777")
        await pilot.press("f2")
        await pilot.pause()
        assert text(screen, "#fehler_plz") == ""  # the type is right now; the rule on the Ort remains
        assert text(screen, "#fehler_ort") == "Ort „37073 Göttingen“: bitte nur den Ortsnamen eintragen (die PLZ hat " \
                                              "ein eigenes Feld)."
        screen.query_one("#ort", Input).focus()
        await eintippen(pilot, "")
        await pilot.press("f2")
        await pilot.pause()
        assert text(screen, "#fehler_ort") == "Ort fehlt: eine Anschrift braucht Straße, PLZ und Ort."
        assert not app.akte.stammdaten_ungespeichert and isinstance(app.screen, StammdatenScreen)
        await pilot.press("escape")  # typed but not applied: the guide's question
        await pilot.pause()
        assert isinstance(app.screen, AuswahlDialog) and app.screen.id == "verwerfen-dialog"
        await pilot.press("2")  # Änderungen verwerfen
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        assert app.akte.kunde.strasse == "" and not app.akte.ungespeichert


async def test_briefassistent_zeigt_die_korrigierte_anschrift(demo_ordner):
    """A customer without address: the letter shows the gap; after the correction (F7 saves it first,
    guide §3.1) the assistant merges the address."""
    store = Store(demo_ordner)
    sabine = next(k for k in store.kunden() if k.name == "Fiktiv, Sabine")
    store.kunden_schreiben([sabine.model_copy(update={"strasse": "", "plz": "", "ort": ""})])
    app = KoplApp(data_dir=demo_ordner, benutzer="mueller", heute=HEUTE)
    app.briefe_als_pdf = False
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Fiktiv Sabine")
        await pilot.press("enter")
        await pilot.pause()
        await vorlage_waehlen(pilot, app.screen, Abschnitt.KOOPERATIONSPLAN, "Kooperationsplan")
        await pilot.press("f7")
        await pilot.pause()
        assistent = app.screen
        assert isinstance(assistent, DokumentAssistent)
        assert text(assistent, "#wert_strasse .text") == "⚠ fehlt"
        await pilot.press("escape", "escape")  # Abbrechen, then close the mask
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await stammdaten_eintippen(pilot, strasse="Neuer Weg 9", plz="37085", ort="Göttingen")
        await pilot.press("f3", "enter")
        await pilot.pause()
        maske = app.screen
        assert isinstance(maske, MaskeScreen)
        await vorlage_waehlen(pilot, maske, Abschnitt.KOOPERATIONSPLAN, "Kooperationsplan")
        await pilot.press("f7")  # unsaved master data: the save question first
        await pilot.pause()
        assert isinstance(app.screen, AuswahlDialog) and app.screen.id == "drucken-dialog"
        await pilot.press("1")
        await warten(pilot)
        assistent = app.screen
        assert isinstance(assistent, DokumentAssistent)
        assert text(assistent, "#wert_strasse .text") == "Neuer Weg 9"
        assert text(assistent, "#wert_plz_ort .text") == "37085 Göttingen"
        assert not assistent.query("#wert_strasse.fehlt, #wert_plz_ort.fehlt")
    assert Store(demo_ordner).kunde(sabine.kundennummer).strasse == "Neuer Weg 9"


def test_snapshot_stammdaten_mit_meldung_80x24(snap_compare, demo_ordner):
    """What staff see at 80×24: the customer, the fields, a message at the PLZ, the keys."""
    async def vorher(pilot) -> None:
        await kunde_oeffnen(pilot, "Mustermann Max")
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("tab")
        await eintippen(pilot, "3707")
        await pilot.press("f2")
        await pilot.pause()
        for eingabe in pilot.app.screen.query(Input):
            eingabe.cursor_blink = False
        await pilot.pause()

    app = KoplApp(data_dir=demo_ordner, benutzer="tester", heute=HEUTE)
    assert snap_compare(app, terminal_size=(80, 24), run_before=vorher)
