"""User data is shown as typed on every screen, dialog and notification, never read as markup.

Textual reads ``[...]`` in most strings as markup: ``Mei[/er]`` ended the app with a MarkupError,
``[@click=app.quit]Klick[/]`` became a live link that quit without the save question, ``Kunde [Alt]``
lost its ``[Alt]``. Here customers with such names (imported through ``kopl-tui import-kunden``),
plans with such texts, a data folder, a user and an Ergänzung with such names go through every
screen and dialog of the app. On each one the rendered screen must show the texts literally, carry
no link (a segment with an ``@click`` action), and a click on the names must do nothing.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input, Select, TextArea

from kopl_tui.app import KoplApp
from kopl_tui.cli import main
from kopl_tui.model import UNBEGRENZT, Anrede, Kooperationsplan, Kunde, Status
from kopl_tui.sperre import AkteSperre
from kopl_tui.store import Store
from screens.ablage import AblageScreen
from screens.auswahlfeld import Auswahlfeld
from screens.dokument_assistent import DokumentAssistent
from screens.falluebersicht import FalluebersichtScreen
from screens.hilfe import HilfeScreen
from screens.historie import HistorieScreen
from screens.kundenliste import KundenlisteScreen
from screens.maske import MaskeScreen
from screens.pruefliste import PrueflisteScreen
from screens.stammdaten import StammdatenScreen
from screens.texteditor import TextEditorScreen
from screens.uebersicht import UebersichtScreen
from tests.conftest import HEUTE
from tests.ui.conftest import auswahl

GROESSE = (130, 42)
LINK = "[@click=app.quit]Klick[/]"
NUTZER = "[@click=app.quit]Mei[/er]"  # the user of the app (--benutzer): header, Historie, Ablage
FREMDER = "[@click=app.quit]Anna[/] [Alt]"  # holds the edit lock in the read-only case
ORDNERNAME = "[@click=app.quit]Daten [Alt]"  # paths in the Ablage and in error messages
IM_PFAD = ("[@click=app.quit]Daten", "[Alt]/ablage/")  # a long path may wrap at the blank

# Imported through the CLI as the bug report did (Mei[/er] crashed the app on the save question); the
# address, which the CSV has no columns for, is added afterwards (letters need it).
MEIER = Kunde(kundennummer="123D900001", anrede=Anrede.FRAU, nachname="Mei[/er]", vorname="[b]fett[/b]",
              geburtsdatum=date(1980, 2, 1), bg_nummer="12345//0900001", ifk="Kunde [Alt]",
              strasse="[i]Gasse[/i] 2", plz="37073", ort="[/]Ort")
# With a street and town (letters need them) and two unbegrenzt plans (the BA-rule dialogs).
KLICK = Kunde(kundennummer="123D900002", anrede=Anrede.HERR, nachname=LINK, vorname="[red]x",
              geburtsdatum=date(1975, 12, 31), bg_nummer="12345//0900002", ifk="\\[",
              strasse="[b]Weg[/b] 1", plz="37073", ort="[Alt]stadt")
ZIEL = "Ziel [/] mit [red]rot und \\[ Klammer"
SCHRITTE = f"{LINK} bewerben [Alt]"


def meier_plan() -> Kooperationsplan:
    return Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2026, 1, 5), ziel=ZIEL,
                            naechste_schritte=SCHRITTE, angelegt_von=NUTZER)


def klick_plaene() -> list[Kooperationsplan]:
    return [Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2026, 9, 1), gueltig_bis=UNBEGRENZT,
                             ziel=ZIEL, naechste_schritte=SCHRITTE, angelegt_von=NUTZER),
            Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 3, 1), gueltig_bis=UNBEGRENZT,
                             ziel="[/]", angelegt_von=NUTZER)]


@pytest.fixture
def ordner(tmp_path: Path) -> Path:
    """A real data folder whose own name is markup, filled through the CLI's import and the store."""
    daten = tmp_path / ORDNERNAME
    csv = tmp_path / "kunden.csv"
    csv.write_text("kundennummer;anrede;nachname;vorname;geburtsdatum;bg_nummer;ifk\n"
                   f"{MEIER.kundennummer};Frau;{MEIER.nachname};{MEIER.vorname};01.02.1980;{MEIER.bg_nummer};"
                   f"{MEIER.ifk}\n", encoding="utf-8")
    assert main(["import-kunden", str(csv), "--data", str(daten)]) == 0
    store = Store(daten)
    assert store.kunde(MEIER.kundennummer).nachname == MEIER.nachname
    store.kunden_schreiben([MEIER, KLICK])
    store.akte_speichern(MEIER.kundennummer, [meier_plan()], 0, NUTZER)
    store.akte_speichern(KLICK.kundennummer, klick_plaene(), 0, NUTZER)
    return daten


def neue_app(ordner: Path, benutzer: str = NUTZER) -> KoplApp:
    app = KoplApp(data_dir=ordner, benutzer=benutzer, heute=HEUTE)
    app.briefe_als_pdf = False  # LibreOffice's PDF has its own tests
    return app


# ---- what the screen shows ---------------------------------------------------------------------

def zeilen(app: KoplApp) -> list[str]:
    """The lines of the terminal as drawn now (screen, dialog, notifications)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def links(app: KoplApp) -> list[str]:
    """Texts drawn with a click action (a markup link). The app draws none of its own, so any is data."""
    return [segment.text for strip in app.screen._compositor.render_strips() for segment in strip
            if segment.style is not None and segment.style.meta and "@click" in segment.style.meta]


async def wie_getippt(pilot, *texte: str) -> None:
    """Every text stands on the screen as typed, and nothing on it is a link."""
    await pilot.pause()
    bild = "\n".join(zeilen(pilot.app))
    for text in texte:
        assert text in bild, f"{text!r} nicht wörtlich auf {type(pilot.app.screen).__name__}:\n{bild}"
    assert links(pilot.app) == []


async def klick_auf(pilot, text: str) -> None:
    """Click on ``text`` where the screen shows it: the app keeps running on the same screen."""
    app: KoplApp = pilot.app
    screen = app.screen
    for y, zeile in enumerate(zeilen(app)):
        if (x := zeile.find(text)) != -1:
            await pilot.click(offset=(cell_len(zeile[:x]) + 1, y))
            await pilot.pause()
            assert app.return_code is None and app.is_running, f"Klick auf {text!r} hat die App beendet"
            assert app.screen is screen, f"Klick auf {text!r} hat {type(app.screen).__name__} geöffnet"
            return
    raise AssertionError(f"{text!r} steht nicht auf dem Bildschirm")


async def oeffnen(pilot, suche: str) -> None:
    """Search the list as typed (brackets too) and open the first hit."""
    await pilot.press(*suche)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, UebersichtScreen)


# ---- the sweep -----------------------------------------------------------------------------------

async def test_liste_uebersicht_maske_editor_und_fragen(ordner: Path):
    """The reported case: Mei[/er] opened, Ziel changed, F3, Esc: the save question names the
    customer literally, a click on its text does nothing, the app keeps running."""
    app = neue_app(ordner)
    async with app.run_test(size=GROESSE, notifications=True) as pilot:
        assert isinstance(app.screen, KundenlisteScreen)
        await wie_getippt(pilot, "Mei[/er]", "[b]fett[/b]", "Kunde [Alt]", LINK, "[red]x", "\\[",
                          f"Benutzer: {NUTZER}")
        await klick_auf(pilot, "Mei")  # the header's user name

        await oeffnen(pilot, "mei[/")
        await wie_getippt(pilot, "[b]fett[/b] Mei[/er]", "IFK Kunde [Alt]", "gespeichert · 123D900001 · Mei[/er]")
        await klick_auf(pilot, "fett")

        await pilot.press("enter")  # the plan in the mask
        await pilot.pause()
        maske = app.screen
        assert isinstance(maske, MaskeScreen)
        assert maske.query_one("#ziel", TextArea).text == ZIEL
        await wie_getippt(pilot, "Mei[/er]")
        maske.query_one("#ziel", TextArea).focus()
        await pilot.press("f6")  # the full-screen editor
        await pilot.pause()
        assert isinstance(app.screen, TextEditorScreen)
        await wie_getippt(pilot, "Ziel [/] mit [red]rot")
        app.screen.query_one("#editor", TextArea).insert(" [Alt]")
        await pilot.press("escape")  # its question
        await wie_getippt(pilot, "Der Text wurde geändert")
        await pilot.press("1")  # Änderungen übernehmen
        await pilot.pause()
        assert app.screen is maske and maske.query_one("#ziel", TextArea).text.endswith(" [Alt]")

        await pilot.press("escape")  # Sicherheitsabfrage of the mask
        await wie_getippt(pilot, "Die Maske enthält Änderungen")
        await pilot.press("3")  # Zurück zur Maske
        await pilot.press("f3")  # Übernehmen & zurück
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        await wie_getippt(pilot, "Übernommen")  # the notification
        await pilot.press("escape")  # leave the Akte: the save question names the customer
        await pilot.pause()
        assert app.screen.id == "beenden-dialog"
        await wie_getippt(pilot, "Die Kundenakte Mei[/er], [b]fett[/b] hat ungespeicherte")
        await klick_auf(pilot, "Mei")
        await pilot.press("3")  # Abbrechen
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)

        await pilot.press("ctrl+s")
        await wie_getippt(pilot, "gespeichert · 123D900001 · Mei[/er]", "Kundenakte 123D900001 gespeichert.")
        await pilot.press("h")  # Historie: the user who saved, as typed
        await pilot.pause()
        assert isinstance(app.screen, HistorieScreen)
        await wie_getippt(pilot, NUTZER)
        await pilot.press("escape", "s")  # Stammdaten: address and IFK as stored
        await pilot.pause()
        assert isinstance(app.screen, StammdatenScreen)
        await wie_getippt(pilot, "[i]Gasse[/i] 2", "[/]Ort", "Kunde [Alt]", "Mei[/er]")
        await klick_auf(pilot, "Mei")
        await pilot.press("escape", "f9")  # Fallübersicht
        await pilot.pause()
        assert isinstance(app.screen, FalluebersichtScreen)
        await wie_getippt(pilot, "Mei[/er]")
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, KundenlisteScreen)
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    assert Store(ordner).akte_laden(MEIER.kundennummer).plaene[0].ziel == ZIEL + " [Alt]"


async def test_ba_regel_dialoge_und_pruefliste(ordner: Path):
    """The BA-rule refusal on saving and the offer to end the older plan name plans of a customer
    whose name is a link; the Prüfliste lists such customers and an unreadable file by its path;
    nothing there is clickable."""
    Store(ordner).akte_pfad(MEIER.kundennummer).write_text("{kaputt", encoding="utf-8")
    app = neue_app(ordner)
    async with app.run_test(size=GROESSE, notifications=True) as pilot:
        await pilot.press("f8")  # Prüfliste: the BA-rule finding of KLICK, Meier's unreadable file
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PrueflisteScreen)
        await wie_getippt(pilot, LINK, "Mei[/er]")
        gesehen = []
        for _ in range(app.screen.query_one("#befunde", DataTable).row_count):  # each finding's message below
            await wie_getippt(pilot)
            gesehen.append("\n".join(zeilen(app)))
            await pilot.press("down")
        assert any("quit]Daten [Alt]/akten/123D900001.json" in bild for bild in gesehen)
        await pilot.press("escape")
        await oeffnen(pilot, "[red]")
        await wie_getippt(pilot, f"[red]x {LINK}", "IFK \\[")
        await klick_auf(pilot, "Klick")
        await pilot.press("ctrl+s")  # refused: two unbegrenzt plans
        await pilot.pause()
        assert app.screen.id == "ba-dialog"
        await wie_getippt(pilot, "Speichern nicht möglich")
        await pilot.press("escape")
        await pilot.press("n")  # a new unbegrenzt plan: the offer to end the older ones
        await pilot.pause()
        maske = app.screen
        assert isinstance(maske, MaskeScreen)
        await wie_getippt(pilot, LINK)
        maske.query_one("#status", Select).value = Status.EINVERSTAENDNIS.value
        maske.query_one("#gueltig_ab", Input).value = "01.12.2026"
        maske.query_one("#ziel", TextArea).text = SCHRITTE
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen.id == "ba-vorschlag-dialog"
        await wie_getippt(pilot, "Kooperationsplan ab 01.09.2026 endet am 30.11.2026")
        await pilot.press("2")
        await pilot.pause()
        assert app.screen is maske
        await wie_getippt(pilot, LINK)


async def test_drucken_vorschau_und_ablage(ordner: Path):
    """The assistant, its preview and the archive show the customer, a typed Ergänzung, the user
    and the paths (in a folder named as markup) literally; so does the assistant's help its gap markers."""
    app = neue_app(ordner)
    ergaenzung = "[@click=app.quit]ein Training[/] [Alt]"
    async with app.run_test(size=(240, 50), notifications=True) as pilot:  # the help's longest line
        await oeffnen(pilot, "mei[/")
        await pilot.press("enter")
        await pilot.pause()
        maske = app.screen
        assert isinstance(maske, MaskeScreen)
        maske.query_one("#kooperationsplan_drucken", Select).focus()
        await auswahl(pilot, "Kooperationsplan")
        await pilot.press("f7")
        await pilot.pause()
        assistent = app.screen
        assert isinstance(assistent, DokumentAssistent)
        await wie_getippt(pilot, "Frau [b]fett[/b] Mei[/er]", "Mei[/er], [b]fett[/b] · 123D900001", "Kunde [Alt]",
                          "[i]Gasse[/i] 2", "37073 [/]Ort")
        await klick_auf(pilot, "fett")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HilfeScreen)
        await wie_getippt(pilot, "(„[fehlt: …]“, „[bitte ergänzen: …]“, „XXXX“)")
        await pilot.press("escape")
        assistent.query_one("#e_unterstuetzung_ergaenzung", Input).value = ergaenzung
        await pilot.press("f2")  # Vorschau
        await app.workers.wait_for_complete()
        await wie_getippt(pilot, "Frau [b]fett[/b] Mei[/er]", "Sehr geehrte Frau Mei[/er],")
        gelesen = []
        for _ in range(6):  # the whole letter, page by page; a click on the link's text does nothing
            await wie_getippt(pilot)
            gelesen.append(bild := "\n".join(zeilen(app)))
            if LINK in bild:
                await klick_auf(pilot, LINK)
            await pilot.press("pagedown")
        for text in ("Ziel [/] mit [red]rot", LINK, ergaenzung):
            assert text in "\n".join(gelesen)
        await pilot.press("f2")  # Fertig
        await app.workers.wait_for_complete()
        app.clear_notifications()  # the toasts would cover the path
        await wie_getippt(pilot, *IM_PFAD)
        await pilot.press("f3")  # Ablegen
        await app.workers.wait_for_complete()
        await wie_getippt(pilot, "Kooperationsplan abgelegt.")
        app.clear_notifications()
        await wie_getippt(pilot, *IM_PFAD)
        await klick_auf(pilot, "Daten")
        await pilot.press("escape", "escape", "d")  # assistant → mask → overview → Dokumente
        await pilot.pause()
        assert isinstance(app.screen, AblageScreen)
        assert app.screen.query_one("#dokumente", DataTable).row_count == 1
        await wie_getippt(pilot, "Mei[/er], [b]fett[/b]", *IM_PFAD, NUTZER, ergaenzung)
        await klick_auf(pilot, "Daten")
        await pilot.press("escape", "h")
        await pilot.pause()
        await wie_getippt(pilot, NUTZER)


async def test_nur_ansicht_nennt_den_fremden_benutzer_woertlich(ordner: Path):
    """A lock held by a user named as markup: the read-only message names them as typed."""
    fremd = AkteSperre.nehmen(Store(ordner), KLICK.kundennummer, FREMDER)
    app = neue_app(ordner, benutzer="bernd")
    try:
        async with app.run_test(size=GROESSE, notifications=True) as pilot:
            await oeffnen(pilot, "[red]")
            assert app.akte.schreibgeschuetzt
            await wie_getippt(pilot, f"Akte wird bearbeitet von {FREMDER}", "NUR ANSICHT")
            await klick_auf(pilot, "Anna")
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, KundenlisteScreen)
    finally:
        fremd.freigeben()


async def test_meldungen_zitieren_eingaben_und_pfade_woertlich(ordner: Path):
    """Messages that quote a stored value or name a file (in a folder named as markup): a
    notification for a bad index row, the dialog for an unreadable Akte, the notification for an
    unreadable customer index."""
    kunden_datei = ordner / "kunden.json"
    daten = json.loads(kunden_datei.read_text(encoding="utf-8"))
    zeile = next(z for z in daten["kunden"].values() if z["kundennummer"] == KLICK.kundennummer)
    zeile["geburtsdatum"] = "[/x] [@click=app.quit]y"
    kunden_datei.write_text(json.dumps(daten), encoding="utf-8")
    Store(ordner).akte_pfad(MEIER.kundennummer).write_text("{kaputt", encoding="utf-8")
    app = neue_app(ordner)
    async with app.run_test(size=GROESSE, notifications=True) as pilot:
        await pilot.press(*"[red]", "enter")
        await wie_getippt(pilot, "„[/x] [@click=app.quit]y“")
        assert app.akte is None and isinstance(app.screen, KundenlisteScreen)
        await klick_auf(pilot, "„[/x]")  # in the notification
        app.screen.query_one("#suche", Input).value = ""
        await pilot.press(*"mei", "enter")
        await pilot.pause()
        assert app.screen.id == "oeffnen-fehler"
        await wie_getippt(pilot, "Akte kann nicht geöffnet werden", "quit]Daten [Alt]/akten/123D900001.json")
        await klick_auf(pilot, "Daten")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, KundenlisteScreen)

    kunden_datei.write_text("{kaputt", encoding="utf-8")
    app = neue_app(ordner)
    async with app.run_test(size=GROESSE, notifications=True) as pilot:
        await wie_getippt(pilot, "Kundenindex", "kunden.json")
        assert app._notifications and app.return_code is None


async def test_auswahlfeld_zeigt_eintraege_wie_geschrieben():
    """A dropdown's entries as written, none a link; typed letters still find them."""
    class Probe(App[None]):
        def compose(self) -> ComposeResult:
            yield Auswahlfeld([("Mei[/er]", "meier"), (LINK, "link"), ("Kunde [Alt]", "kunde")], id="feld")

    app = Probe()
    async with app.run_test(size=(60, 14)) as pilot:
        feld = app.query_one("#feld", Auswahlfeld)
        feld.focus()
        await pilot.press("k")  # opens the list; "Kunde [Alt]" starts with it
        await wie_getippt(pilot, "Mei[/er]", LINK, "Kunde [Alt]")  # no link among them
        await pilot.press("enter")
        await wie_getippt(pilot, "Kunde [Alt]")
        assert feld.value == "kunde"


async def test_fehler_beim_drucken_nennen_den_pfad_woertlich(ordner: Path, tmp_path: Path):
    """A letter that cannot be written or filed (a link where the customer's Ablage folder or its
    index should be: never followed): the messages name the path in the folder named as markup."""
    app = neue_app(ordner)
    ablage = ordner / "ablage" / MEIER.kundennummer
    anderswo = tmp_path / "anderswo"
    anderswo.mkdir()
    async with app.run_test(size=GROESSE, notifications=True) as pilot:
        await oeffnen(pilot, "mei[/")
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#kooperationsplan_drucken", Select).focus()
        await auswahl(pilot, "Kooperationsplan")
        await pilot.press("f7")
        await pilot.pause()
        assistent = app.screen
        assert isinstance(assistent, DokumentAssistent)
        assistent.query_one("#e_unterstuetzung_ergaenzung", Input).value = "ein Training"
        await pilot.press("f2")  # Vorschau
        await app.workers.wait_for_complete()
        app.clear_notifications()

        ablage.parent.mkdir(exist_ok=True)
        ablage.symlink_to(anderswo, target_is_directory=True)
        await pilot.press("f2")  # Fertig: refused
        await app.workers.wait_for_complete()
        await wie_getippt(pilot, "Brief nicht erzeugt", "Nicht erzeugt:", "quit]Daten")
        await klick_auf(pilot, "Daten")
        assert list(anderswo.iterdir()) == []

        ablage.unlink()
        app.clear_notifications()
        await pilot.press("f2")  # Fertig
        await app.workers.wait_for_complete()
        index = ablage / "index.json"
        index.unlink(missing_ok=True)
        index.symlink_to(anderswo / "index.json")
        await pilot.press("f3")  # Ablegen: refused
        await app.workers.wait_for_complete()
        await wie_getippt(pilot, "Nicht abgelegt", "quit]Daten")
        await klick_auf(pilot, "Daten")
        assert list(anderswo.iterdir()) == []
