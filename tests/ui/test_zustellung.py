"""A filed letter leaves the app: F7 prints its PDF through lp (assistant after "Ablegen", Dokumente
screen), F8 downloads it in the browser. Outside programs are stand-ins on PATH that record what they
got: ``lp`` (an outside program, README "Briefe drucken") and ``soffice`` (writes a small PDF, instead of ~2 s of LibreOffice)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Static

from kopl_tui import app as app_modul
from kopl_tui import drucken
from kopl_tui.app import KoplApp
from kopl_tui.briefe import Abschnitt
from kopl_tui.store import Store
from screens.ablage import AblageScreen
from screens.dokument_assistent import DokumentAssistent
from tests.conftest import HEUTE
from tests.ui.test_drucken import FAELLE, GROESSE, dokumente, drucken_bis_assistent, ergaenzen, maske_oeffnen, text, \
    vorlage_waehlen, vorschau_und_fertig, warten

FIKTIV = "Fiktiv Sabine"


@pytest.fixture
def bin_ordner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PATH with a stand-in soffice (a small PDF into --outdir) and nothing else of the system's."""
    ordner = tmp_path / "bin"
    ordner.mkdir()
    soffice = ordner / "soffice"
    soffice.write_text('#!/bin/sh\nwhile [ $# -gt 1 ]; do [ "$1" = --outdir ] && aus=$2; shift; done\n'
                       'printf "%%PDF-1.4 stand-in\\n" > "$aus/$(basename "$1" .docx).pdf"\n')
    soffice.chmod(0o755)
    monkeypatch.setenv("PATH", f"{ordner}:/usr/bin:/bin")
    return ordner


def lp(bin_ordner: Path, skript: str) -> None:
    programm = bin_ordner / "lp"
    programm.write_text(f"#!/bin/sh\n{skript}\n")
    programm.chmod(0o755)


def protokollierendes_lp(bin_ordner: Path, auftrag: str) -> Path:
    protokoll = bin_ordner.parent / "lp.txt"
    lp(bin_ordner, f'printf "%s\\n" "$@" > {protokoll}\nfor a; do :; done; head -c 4 "$a" >> {protokoll}\n'
                   f'echo "request id is {auftrag} (1 file(s))"')
    return protokoll


def briefkopf(app: KoplApp, text: str) -> Path:
    datei = app.data_dir / "briefkopf.toml"
    datei.write_text(text, encoding="utf-8")
    return datei


def gedruckt_in_der_historie(app: KoplApp) -> list[str]:
    nummer = app.akte.kunde.kundennummer
    return [h.aktion for h in Store(app.data_dir).historie(nummer) if h.aktion.startswith("Brief gedruckt")]


async def ablegen_im_assistenten(pilot) -> DokumentAssistent:
    """Kooperationsplan of Sabine Fiktiv: F7 in the mask → Ergänzungen → F2 Vorschau → F2 Fertig → F3 Ablegen."""
    assistent = await drucken_bis_assistent(pilot, FIKTIV, Abschnitt.KOOPERATIONSPLAN, "Kooperationsplan")
    await ergaenzen(pilot)
    await vorschau_und_fertig(pilot)
    await pilot.press("f3")
    await warten(pilot)
    assert assistent.schritt == "abgelegt"
    return assistent


def tasten(screen) -> dict[str, bool | None]:
    """The footer's view: which of F7/F8 are shown (True), greyed (None) or hidden (False)."""
    return {aktion: screen.check_action(aktion, ()) for aktion in ("drucken", "herunterladen")}


async def test_nach_dem_ablegen_druckt_f7_das_pdf_an_den_drucker_der_ifk(app: KoplApp, bin_ordner: Path):
    """Printer from briefkopf.toml, the IFK's own over the default; lp gets it and the PDF; the job id is
    shown and noted in the history. F8 is not offered in a terminal."""
    app.briefe_als_pdf = True
    protokoll = protokollierendes_lp(bin_ordner, "IFK-Drucker-7")
    ifk = FAELLE["Fiktiv"].kunde.ifk
    briefkopf(app, f'[jobcenter]\ndrucker = "Standard"\n\n[ifk."{ifk}"]\ndrucker = "IFK-Drucker"\n')
    async with app.run_test(size=GROESSE) as pilot:
        assistent = await ablegen_im_assistenten(pilot)
        nummer = app.akte.kunde.kundennummer
        [eintrag] = dokumente(app, nummer)
        pdf = app.data_dir / "ablage" / nummer / eintrag.pdf
        assert pdf.is_file() and "Drucken (F7): an den Drucker „IFK-Drucker“." in text(assistent, "#datei")
        assert tasten(assistent) == {"drucken": True, "herunterladen": False}
        assert not assistent.query_one("#herunterladen", Button).display

        await pilot.press("f7")
        await warten(pilot)
        assert protokoll.read_text().splitlines() == ["-d", "IFK-Drucker", "-t", f"kooperationsplan {nummer}",
                                                      str(pdf), "%PDF"]
        assert "Gedruckt: „Kooperationsplan“ an „IFK-Drucker“, Auftrag IFK-Drucker-7." in text(assistent, "#datei")
        assert f"Abgelegt: {app.data_dir / 'ablage' / nummer / eintrag.datei}" in text(assistent, "#datei")
        assert not assistent.druckt and not assistent.query_one("#drucken", Button).disabled  # again, if wanted
        assert gedruckt_in_der_historie(app) == ["Brief gedruckt: Kooperationsplan (Drucker IFK-Drucker, "
                                                 "Auftrag IFK-Drucker-7)"]


async def test_ohne_pdf_ist_f7_gesperrt_und_sagt_warum(app: KoplApp, tmp_path: Path, monkeypatch):
    """LibreOffice missing: the letter is filed as .docx only; lp needs the PDF, so F7 is greyed."""
    leer = tmp_path / "leer"
    leer.mkdir()
    monkeypatch.setenv("PATH", str(leer))
    app.briefe_als_pdf = True
    async with app.run_test(size=GROESSE) as pilot:
        assistent = await ablegen_im_assistenten(pilot)
        assert tasten(assistent)["drucken"] is None and assistent.query_one("#drucken", Button).disabled
        assert "Drucken (F7) geht nicht: zu diesem Brief gibt es kein PDF" in text(assistent, "#datei")
        await pilot.press("f7")
        await warten(pilot)
        assert gedruckt_in_der_historie(app) == []

        await pilot.press("escape", "escape", "d")  # assistant → mask → overview → Dokumente
        await pilot.pause()
        ablage = app.screen
        assert isinstance(ablage, AblageScreen)
        assert tasten(ablage)["drucken"] is None
        assert "kein PDF" in text(ablage, "#pfad")


async def test_dokumente_f7_zeigt_einrichtung_fehler_und_zeitlimit(app: KoplApp, bin_ordner: Path, monkeypatch):
    """On the Dokumente screen: no printer configured → where to add which line; lp failing, hanging or
    missing → its German message; nothing in the history. Then it works, and SFTP shows the relative path."""
    app.briefe_als_pdf = True
    async with app.run_test(size=GROESSE) as pilot:
        await ablegen_im_assistenten(pilot)
        await pilot.press("escape", "escape", "d")  # Schließen → mask, Esc → overview, d → Dokumente
        await pilot.pause()
        ablage = app.screen
        assert isinstance(ablage, AblageScreen)
        nummer = app.akte.kunde.kundennummer
        [eintrag] = dokumente(app, nummer)
        pfad = text(ablage, "#pfad")
        assert f"SFTP:  {nummer}/{eintrag.datei}\n       {nummer}/{eintrag.pdf}\n" in pfad
        assert "noch kein Drucker eingerichtet" in pfad
        assert tasten(ablage) == {"drucken": True, "herunterladen": False}

        async def f7() -> str:
            await pilot.press("f7")
            await warten(pilot)
            return text(ablage, "#zustellung")

        gezeigt = await f7()  # the missing printer is said before anything else
        datei = app.data_dir / "briefkopf.toml"
        assert gezeigt.startswith(f"Nicht gedruckt: Kein Drucker eingerichtet. Bitte in {datei} eintragen")
        assert f'[ifk."{app.akte.kunde.ifk}"] die Zeile\n    drucker = "NAME"' in gezeigt

        briefkopf(app, '[jobcenter]\ndrucker = "Buero EG"\n')
        assert "kein gültiger Druckername" in await f7()
        briefkopf(app, '[jobcenter]\ndrucker = "Buero-EG"\n')
        monkeypatch.setenv("PATH", str(bin_ordner))  # without /usr/bin: no lp, also where CUPS is installed
        assert "Das Druckprogramm lp (CUPS) ist auf diesem Rechner nicht installiert" in await f7()
        monkeypatch.setenv("PATH", f"{bin_ordner}:/usr/bin:/bin")
        lp(bin_ordner, "echo 'lp: Error - The printer or class does not exist.' >&2; exit 1")
        assert await f7() == ("Nicht gedruckt: Drucken auf „Buero-EG“ fehlgeschlagen: lp: Error - The printer or "
                              "class does not exist. – CUPS kennt diesen Drucker nicht: den Namen prüfen (`lpstat -p` "
                              "zeigt die Drucker) oder ob der Druckdienst läuft (`lpstat -r`).")
        lp(bin_ordner, "exec sleep 30")
        monkeypatch.setattr(drucken, "LP_ZEITLIMIT", 0.5)
        assert "Nicht gedruckt: lp hat nicht innerhalb von 0.5 s geantwortet" in await f7()
        assert ablage.query_one("#zustellung", Static).has_class("fehler")
        assert gedruckt_in_der_historie(app) == []

        protokoll = protokollierendes_lp(bin_ordner, "Buero-EG-1")
        assert await f7() == "Gedruckt: „Kooperationsplan“ an „Buero-EG“, Auftrag Buero-EG-1."
        assert protokoll.read_text().splitlines()[:2] == ["-d", "Buero-EG"]
        assert gedruckt_in_der_historie(app) == ["Brief gedruckt: Kooperationsplan (Drucker Buero-EG, Auftrag "
                                                 "Buero-EG-1)"]
        await pilot.press("escape", "h")  # the overview's Historie shows it
        await pilot.pause()
        zeilen = app.screen.query_one("#historie", DataTable)
        assert "Brief gedruckt: Kooperationsplan (Drucker Buero-EG, Auftrag Buero-EG-1)" in [
            str(zeilen.get_row_at(i)[2]) for i in range(zeilen.row_count)]


class BrowserApp(KoplApp):
    """The app as under ``kopl-tui serve`` (Textual's web driver): ``is_web``, and Textual's delivery
    observed instead of run (the headless test driver has no browser to deliver to)."""

    CSS_PATH = Path(app_modul.__file__).with_name(KoplApp.CSS_PATH)  # relative paths follow the subclass

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.geliefert: list[tuple[bytes, dict]] = []

    @property
    def is_web(self) -> bool:
        return True

    def deliver_binary(self, path_or_file, **optionen) -> str | None:  # noqa: ANN001
        assert isinstance(path_or_file, io.BytesIO)
        self.geliefert.append((path_or_file.getvalue(), optionen))
        return f"schluessel-{len(self.geliefert)}"


async def test_im_browser_laedt_f8_pdf_oder_word_dokument_herunter(demo_ordner: Path, bin_ordner: Path):
    """After "Ablegen" and on the Dokumente screen: F8 asks which file, then Textual's delivery gets the
    letter's bytes under an ASCII name without blanks (textual-serve does not quote it)."""
    app = BrowserApp(data_dir=demo_ordner, benutzer="tester", heute=HEUTE)
    async with app.run_test(size=GROESSE) as pilot:
        assistent = await ablegen_im_assistenten(pilot)
        nummer = app.akte.kunde.kundennummer
        [eintrag] = dokumente(app, nummer)
        ordner = app.data_dir / "ablage" / nummer
        assert tasten(assistent)["herunterladen"] is True and assistent.query_one("#herunterladen", Button).display
        assert "Herunterladen (F8)" in text(assistent, "#datei")

        await pilot.press("f8")
        await pilot.pause()
        assert app.screen.id == "herunterladen-dialog"
        assert [str(b.label) for b in app.screen.query(Button)] == ["1 PDF", "2 Word-Dokument (.docx)", "3 Abbrechen"]
        await pilot.press("2")
        await pilot.pause()
        [(inhalt, optionen)] = app.geliefert
        assert inhalt == (ordner / eintrag.datei).read_bytes() and inhalt.startswith(b"PK")
        assert optionen["save_filename"] == f"{nummer}_{eintrag.datei}" == optionen["name"]
        assert optionen["save_filename"].isascii() and " " not in optionen["save_filename"]
        assert f"Herunterladen: {nummer}_{eintrag.datei}" in text(assistent, "#datei")

        await pilot.press("escape", "escape", "d")  # Schließen → mask, Esc → overview, d → Dokumente
        await pilot.pause()
        assert isinstance(app.screen, AblageScreen) and tasten(app.screen)["herunterladen"] is True
        await pilot.press("f8", "1")
        await pilot.pause()
        inhalt, optionen = app.geliefert[-1]
        assert inhalt == (ordner / eintrag.pdf).read_bytes() == b"%PDF-1.4 stand-in\n"
        assert optionen["save_filename"] == f"{nummer}_{eintrag.pdf}"
        await pilot.press("f8", "3")  # Abbrechen: nothing delivered
        await pilot.pause()
        assert len(app.geliefert) == 2 and isinstance(app.screen, AblageScreen)


async def test_im_terminal_kein_herunterladen(app: KoplApp):
    """No browser, no download key: F8 does nothing, the footer does not show it."""
    async with app.run_test(size=GROESSE) as pilot:
        await maske_oeffnen(pilot, FIKTIV)
        await pilot.press("escape", "d")
        await pilot.pause()
        assert isinstance(app.screen, AblageScreen)
        assert app.screen.check_action("herunterladen", ()) is False
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, AblageScreen)


async def test_abgebrochenes_herunterladen_wird_gemeldet(app: KoplApp):
    """Textual reports a broken-off browser download (tab closed mid-way) only to the App."""
    from textual.events import DeliveryFailed

    async with app.run_test(size=GROESSE) as pilot:
        app.post_message(DeliveryFailed("schluessel", ConnectionResetError("Verbindung getrennt"),
                                        name="100D000003_[b]brief[/b].pdf"))
        await pilot.pause()
        [meldung] = list(app._notifications)
        assert meldung.severity == "error" and "100D000003_[b]brief[/b].pdf" in meldung.message
        assert "fehlgeschlagen: Verbindung getrennt" in meldung.message
