"""Print dropdowns, the document assistant (Ergänzungen, preview, refusals) and the archive, with the
keys of the keymap on the real demo data; files checked on disk, letters reopened with python-docx."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Input, OptionList, Select, Static

from kopl_tui import briefe, demo
from kopl_tui.ablage import Ablage
from kopl_tui.app import KoplApp
from kopl_tui.briefe import Abschnitt, vorlagen_fuer
from kopl_tui.ergaenzungen import Art
from kopl_tui.datum import format_datum
from kopl_tui.model import FELDNAMEN, KEIN_EINTRAG
from kopl_tui.store import Store
from screens.ablage import AblageScreen
from screens.auswahlfeld import Auswahlfeld
from screens.datum_input import DatumInput
from screens.dokument_assistent import DokumentAssistent
from screens.maske import DRUCKAUSWAHL, MaskeScreen
from screens.uebersicht import UebersichtScreen
from tests.conftest import HEUTE
from tests.test_briefe import DEMO_FALL, ERGAENZT, text_von
from tests.ui.conftest import auswahl, eintragen, kunde_oeffnen

FAELLE = {fall.kunde.nachname: fall for fall in reversed(demo.demo_jobcenter(HEUTE))}

GROESSE = (100, 35)


@pytest.fixture
def app(app: KoplApp) -> KoplApp:
    app.briefe_als_pdf = False  # LibreOffice needs ~2 s a letter; the PDF path has its own tests
    return app


def text(screen, selektor: str) -> str:
    return str(screen.query_one(selektor, Static).render())


def ablage_dateien(app: KoplApp, nummer: str) -> list[Path]:
    ordner = app.store.data_dir / "ablage" / nummer
    return sorted(ordner.glob("*.docx")) if ordner.is_dir() else []


def dokumente(app: KoplApp, nummer: str):
    return Ablage(Store(app.store.data_dir)).dokumente(nummer)  # a fresh reader: what is on disk



def eintraege(feld: Select) -> list[str]:
    """The entries of a dropdown as its list shows them, without the empty one at the top."""
    return [str(option.prompt) for option in feld.query_one(OptionList).options[1:]]

async def maske_oeffnen(pilot, suche: str) -> MaskeScreen:
    await kunde_oeffnen(pilot, suche)
    await pilot.press("enter")  # the newest plan
    await pilot.pause()
    assert isinstance(pilot.app.screen, MaskeScreen)
    return pilot.app.screen


async def vorlage_waehlen(pilot, maske: MaskeScreen, abschnitt: Abschnitt, suchtext: str) -> None:
    maske.query_one(f"#{DRUCKAUSWAHL[abschnitt][0]}", Select).focus()
    await auswahl(pilot, suchtext)


async def warten(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def drucken_bis_assistent(pilot, suche: str, abschnitt: Abschnitt, suchtext: str) -> DokumentAssistent:
    maske = await maske_oeffnen(pilot, suche)
    await vorlage_waehlen(pilot, maske, abschnitt, suchtext)
    await pilot.press("f7")
    await pilot.pause()
    assert isinstance(pilot.app.screen, DokumentAssistent)
    return pilot.app.screen


async def test_druckauswahl_je_abschnitt_wie_in_der_anleitung(app: KoplApp):
    """Labels, entries and prompt of the guide; placed last in each section (Tab top to bottom); not part
    of the plan (no "dirty" mask); F7 without a chosen template says what to do, with one it prints the
    section's own choice."""
    async with app.run_test(size=GROESSE) as pilot:
        maske = await maske_oeffnen(pilot, "Fiktiv Sabine")
        assert [label for _, label in DRUCKAUSWAHL.values()] == [
            "Kooperationsplan drucken:", "Aufforderung drucken:", "Druck Schlichtungsverfahren:"]
        for abschnitt, (feld, label) in DRUCKAUSWAHL.items():
            auswahl_feld = maske.query_one(f"#{feld}", Select)
            assert auswahl_feld.value is Select.NULL and auswahl_feld.prompt == KEIN_EINTRAG
            assert eintraege(auswahl_feld) == [v.titel for v in vorlagen_fuer(abschnitt)]
            assert str(maske.query_one(f"#feld_{feld} .feldname").render()) == label

        for vorher, danach in (("ueberprueft_am", "kooperationsplan_drucken"),
                               ("kooperationsplan_drucken", "tag_der_aufforderung"),
                               ("schritte", "aufforderung_drucken"),
                               ("aufforderung_drucken", "schlichtung_notwendig"),
                               ("einigung_erfolgt", "schlichtung_drucken")):
            maske.query_one(f"#{vorher}").focus()
            await pilot.press("tab")
            assert app.focused is not None and app.focused.id == danach, vorher

        await pilot.press("f7")
        await pilot.pause()
        assert app.screen is maske
        assert "Bitte zuerst eine Druckvorlage wählen" in text(maske, "#fehler_schlichtung_drucken")
        assert ablage_dateien(app, app.akte.kunde.kundennummer) == []

        await vorlage_waehlen(pilot, maske, Abschnitt.KOOPERATIONSPLAN, "Fortschreibung")
        assert maske.query_one("#kooperationsplan_drucken", Select).value == "kooperationsplan-fortschreibung.docx"
        assert not maske.offene_aenderungen() and "ungespeichert" not in app.sub_title
        assert text(maske, "#fehler_schlichtung_drucken") == ""

        # F7 prints the template of the section with the cursor, else the first chosen one.
        await vorlage_waehlen(pilot, maske, Abschnitt.SCHLICHTUNG, "Merkblatt")
        maske.query_one("#schlichtung_beginn").focus()
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, DokumentAssistent) and app.screen.vorlage.abschnitt is Abschnitt.SCHLICHTUNG
        await pilot.press("escape")
        await pilot.pause()
        maske.query_one("#schritte").focus()  # Aufforderung: nothing chosen there
        await pilot.press("f7")
        await pilot.pause()
        assert app.screen.vorlage.titel == "Kooperationsplan (Fortschreibung)"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is maske and ablage_dateien(app, app.akte.kunde.kundennummer) == []

        await pilot.press("escape")  # closes without the "Sicherheitsabfrage"
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)


async def ergaenzen(pilot, werte: dict[str, object] = ERGAENZT) -> None:
    """Fill the assistant's Ergänzungen through the widgets (typing is tested on its own)."""
    assistent = pilot.app.screen
    assert isinstance(assistent, DokumentAssistent)
    for ergaenzung in assistent.ergaenzungen:
        feld = assistent.query_one(f"#e_{ergaenzung.name}")
        feld.value = ergaenzung.eingabetext(werte[ergaenzung.name])  # type: ignore[attr-defined]
    await pilot.pause()


async def vorschau_und_fertig(pilot) -> None:
    """F2 Vorschau, then F2 Fertig (the draft is written)."""
    await pilot.press("f2")
    await warten(pilot)
    assert pilot.app.screen.schritt == "vorschau"
    await pilot.press("f2")
    await warten(pilot)


async def ablegen(pilot) -> str:
    """F7 → Ergänzungen → Vorschau (F2) → Fertig (F2) → Ablegen (F3); returns what the assistant
    shows, then Esc (Schließen)."""
    await pilot.press("f7")
    await pilot.pause()
    await ergaenzen(pilot)
    await vorschau_und_fertig(pilot)
    await pilot.press("f3")
    await warten(pilot)
    gezeigt = text(pilot.app.screen, "#datei")
    await pilot.press("escape")
    await pilot.pause()
    return gezeigt


async def test_fertig_und_ablegen_legt_den_brief_in_der_ablage_ab(app: KoplApp, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch):
    """The whole flow on a saved plan; the archive lists newest first with the file's path; on a
    machine without LibreOffice the app says so once and archives the .docx."""
    ohne_soffice = tmp_path / "bin"
    ohne_soffice.mkdir()
    monkeypatch.setenv("PATH", str(ohne_soffice))
    app.briefe_als_pdf = True
    async with app.run_test(size=GROESSE) as pilot:
        assistent = await drucken_bis_assistent(pilot, "Fiktiv Sabine", Abschnitt.KOOPERATIONSPLAN, "Kooperationsplan")
        maske = app.screen_stack[-2]
        kunde, plan = app.akte.kunde, app.akte.plaene[0]
        nummer = kunde.kundennummer
        # The check lists the values that will be merged.
        assert "Sabine Fiktiv" in text(assistent, "#wert_anschrift_name .text")
        assert text(assistent, "#wert_gueltig_ab .text") == format_datum(plan.gueltig_ab)
        assert text(assistent, "#wert_ziel .text") == plan.ziel
        assert not assistent.query(".wert.fehlt")
        assert "manuell erforderliche Eingaben" in text(assistent, "#hinweise")
        # The review date has passed: a warning, not a refusal (regel_ueberpruefung_nicht_verstrichen).
        assert "Überprüfung dieses Kooperationsplans war spätestens am" in text(assistent, "#warnungen")
        assert not assistent.query_one("#verweigert").display

        # The prefilled support text's "XXXX" is an Ergänzung, the field with the cursor (typing into
        # Ergänzungen: test_ergaenzung_falsch_getippt_meldung_am_feld).
        assert app.focused is assistent.query_one("#e_unterstuetzung_ergaenzung", Input)
        await eintragen(pilot, "#e_unterstuetzung_ergaenzung", "ein Bewerbungstraining.")
        await pilot.press("f2")  # Vorschau
        await warten(pilot)
        assert assistent.schritt == "vorschau"
        vorschau = text(assistent, "#brieftext")
        assert "Darüber hinaus unterstützt mich meine zuständige Integrationsfachkraft durch ein " \
               "Bewerbungstraining." in vorschau and "XXXX" not in vorschau
        await pilot.press("f2")  # Fertig
        await warten(pilot)
        [entwurf] = ablage_dateien(app, nummer)
        assert str(entwurf) in text(assistent, "#datei")
        assert dokumente(app, nummer) == []  # a draft, not archived yet

        await pilot.press("f3")  # Ablegen
        await warten(pilot)
        [eintrag] = dokumente(app, nummer)
        assert eintrag.titel == "Kooperationsplan" and eintrag.benutzer == "tester" and eintrag.plan_id == plan.id
        docx = app.store.data_dir / "ablage" / nummer / eintrag.datei
        assert docx == entwurf and f"Abgelegt: {docx}" in text(assistent, "#datei")
        assert "LibreOffice (soffice) ist nicht installiert" in text(assistent, "#datei")
        brief = text_von(docx.read_bytes())  # reopened with python-docx
        assert "Fiktiv" in brief and "Sabine" in brief and format_datum(plan.gueltig_ab) in brief
        assert "durch ein Bewerbungstraining." in brief and briefe.luecken(brief) == []
        assert [(e.name, e.wert) for e in eintrag.ergaenzungen] == [("unterstuetzung_ergaenzung",
                                                                      "ein Bewerbungstraining.")]
        assert any(h.aktion == "Brief abgelegt: Kooperationsplan" for h in Store(app.store.data_dir)
                   .akte_laden(nummer).historie)
        await pilot.press("escape")  # Schließen
        await pilot.pause()
        assert app.screen is maske

        await vorlage_waehlen(pilot, maske, Abschnitt.KOOPERATIONSPLAN, "Fortschreibung")
        assert "nicht installiert" not in await ablegen(pilot)  # said once per session

        await pilot.press("escape", "d")  # mask → overview → Dokumente
        await pilot.pause()
        ablage = app.screen
        assert isinstance(ablage, AblageScreen)
        tabelle = ablage.query_one("#dokumente", DataTable)
        eintraege = dokumente(app, nummer)
        assert [e.pdf for e in eintraege] == ["", ""]
        assert [str(tabelle.get_row_at(i)[1]) for i in range(tabelle.row_count)] == [
            "Kooperationsplan (Fortschreibung)", "Kooperationsplan"]
        assert [str(tabelle.get_row_at(i)[3]) for i in range(tabelle.row_count)] == [e.datei for e in eintraege]
        neuester = (app.store.data_dir / "ablage" / nummer / eintraege[0].datei).resolve()
        assert neuester.is_file() and str(neuester) in text(ablage, "#pfad")
        unterstuetzung = briefe.UNTERSTUETZUNG_ERGAENZUNG.titel
        assert text(ablage, "#ergaenzungen") == f"{unterstuetzung}: {ERGAENZT['unterstuetzung_ergaenzung']}"
        await pilot.press("down")
        await pilot.pause()
        assert eintraege[1].datei in text(ablage, "#pfad")
        assert text(ablage, "#ergaenzungen") == f"{unterstuetzung}: ein Bewerbungstraining."

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        await pilot.press("ctrl+p", *"Dokumente")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AblageScreen) and app.screen.query_one("#dokumente").row_count == 2


async def test_fertig_dann_abbrechen_hinterlaesst_nichts(app: KoplApp):
    async with app.run_test(size=GROESSE) as pilot:
        assistent = await drucken_bis_assistent(pilot, "Fiktiv Sabine", Abschnitt.KOOPERATIONSPLAN, "Kooperationsplan")
        nummer = app.akte.kunde.kundennummer
        await ergaenzen(pilot)
        await vorschau_und_fertig(pilot)
        [entwurf] = ablage_dateien(app, nummer)
        await pilot.press("escape")  # Abbrechen
        await pilot.pause()
        assert app.screen is not assistent and isinstance(app.screen, MaskeScreen)
        assert not entwurf.exists() and ablage_dateien(app, nummer) == []
        assert dokumente(app, nummer) == []
        assert not any("Brief" in h.aktion for h in Store(app.store.data_dir).akte_laden(nummer).historie)

        # Leaving the assistant another way (F5 to the overview) is Abbrechen too.
        await pilot.press("f7")
        await pilot.pause()
        await ergaenzen(pilot)
        await vorschau_und_fertig(pilot)
        assert len(ablage_dateien(app, nummer)) == 1
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        assert ablage_dateien(app, nummer) == [] and dokumente(app, nummer) == []


async def test_allgemein_ohne_schritte_wird_verweigert(app: KoplApp):
    async with app.run_test(size=GROESSE) as pilot:
        assistent = await drucken_bis_assistent(pilot, "Demoberg Lea", Abschnitt.AUFFORDERUNG, "Allgemein")
        assert "(Allgemein)" in assistent.vorlage.titel
        verweigert = text(assistent, "#verweigert")
        assert f"fehlt „{FELDNAMEN['schritte']}“" in verweigert and assistent.query_one("#verweigert").display
        assert assistent.query_one("#wert_schritte").has_class("fehlt")
        assert assistent.query_one("#vorschau", Button).disabled
        await pilot.press("f2")  # refused: no preview, nothing is written
        await warten(pilot)
        assert app.screen is assistent and assistent.schritt == "pruefung"
        assert ablage_dateien(app, app.akte.kunde.kundennummer) == []


async def test_drucken_mit_ungespeicherten_aenderungen_fragt_zuerst(app: KoplApp):
    async with app.run_test(size=GROESSE) as pilot:
        maske = await maske_oeffnen(pilot, "Fiktiv Sabine")
        nummer = app.akte.kunde.kundennummer
        maske.query_one("#ziel").focus()
        await pilot.press(*"Neu: ")
        await vorlage_waehlen(pilot, maske, Abschnitt.KOOPERATIONSPLAN, "Kooperationsplan")
        await pilot.press("f7")
        await pilot.pause()
        assert app.screen.id == "drucken-dialog"
        assert [str(b.label) for b in app.screen.query("Button")] == ["1 Speichern und drucken", "2 Abbrechen"]
        await pilot.press("2")  # Abbrechen: nothing printed, nothing applied or saved
        await pilot.pause()
        assert app.screen is maske and maske.offene_aenderungen()
        assert not Store(app.store.data_dir).akte_laden(nummer).plaene[0].ziel.startswith("Neu: ")
        assert ablage_dateien(app, nummer) == []

        await pilot.press("f7", "1")  # Speichern und drucken
        await pilot.pause()
        assert Store(app.store.data_dir).akte_laden(nummer).plaene[0].ziel.startswith("Neu: ")
        assert not maske.offene_aenderungen() and not app.akte.ungespeichert
        assert isinstance(app.screen, DokumentAssistent)
        assert text(app.screen, "#wert_ziel .text").startswith("Neu: ")


async def test_drucken_abgelehntes_uebernehmen_druckt_nicht(app: KoplApp):
    async with app.run_test(size=GROESSE) as pilot:
        await kunde_oeffnen(pilot, "Entwurf Kim")
        await pilot.press("n")  # a new plan without the Status (Pflichtfeld)
        await pilot.pause()
        maske = app.screen
        await vorlage_waehlen(pilot, maske, Abschnitt.KOOPERATIONSPLAN, "Kooperationsplan")
        await pilot.press("f7")
        await pilot.pause()
        assert app.screen.id == "drucken-dialog"
        await pilot.press("1")
        await pilot.pause()
        assert app.screen is maske and "Pflichtfeld" in text(maske, "#fehler_status")
        assert app.akte.plaene == [] and not app.store.akte_pfad(app.akte.kunde.kundennummer).exists()


def _assistent_80x24(snap_compare, demo_ordner: Path, suche: str, vorlage: str, vorschau: bool = False) -> bool:
    """The assistant as a user over SSH sees it at 80×24, for a demo customer's Aufforderung."""
    async def run_before(pilot) -> None:
        await maske_oeffnen(pilot, suche)
        await vorlage_waehlen(pilot, pilot.app.screen, Abschnitt.AUFFORDERUNG, vorlage)
        await pilot.press("f7")
        await pilot.pause()
        if vorschau:
            await pilot.press("f2")
            await warten(pilot)

    return snap_compare(KoplApp(data_dir=demo_ordner, benutzer="tester", heute=HEUTE), terminal_size=(80, 24),
                        run_before=run_before)


def test_snapshot_assistent_verweigert_80x24(snap_compare, demo_ordner: Path):
    """The refusal above the values, Vorschau greyed out."""
    assert _assistent_80x24(snap_compare, demo_ordner, "Demoberg Lea", "Allgemein")


def test_snapshot_assistent_ergaenzungen_80x24(snap_compare, demo_ordner: Path):
    """The Ergänzungen of the Maßnahme letter: inputs in a scroll area, buttons and keys visible."""
    assert _assistent_80x24(snap_compare, demo_ordner, "Schablone Olga", "Maßnahme")


def test_snapshot_assistent_vorschau_mit_luecken_80x24(snap_compare, demo_ordner: Path):
    """The preview before the Ergänzungen are in: what is still open above, Fertig greyed out."""
    assert _assistent_80x24(snap_compare, demo_ordner, "Demoberg Lea", "Bewerbung", vorschau=True)


# ---- Ergänzungen, preview, refusals: every template ---------------------------------------------

async def assistent_fuer(pilot, nachname: str, vorlage: briefe.Vorlage) -> DokumentAssistent:
    """The assistant for the newest plan of a demo customer; the template set in the section's dropdown
    (choosing it by typing is tested above)."""
    fall = FAELLE[nachname]
    maske = await maske_oeffnen(pilot, f"{fall.kunde.nachname} {fall.kunde.vorname}")
    maske.query_one(f"#{DRUCKAUSWAHL[vorlage.abschnitt][0]}", Select).value = vorlage.datei
    await pilot.pause()
    await pilot.press("f7")
    await pilot.pause()
    assert isinstance(pilot.app.screen, DokumentAssistent) and pilot.app.screen.vorlage == vorlage
    return pilot.app.screen


@pytest.mark.parametrize("vorlage", briefe.VORLAGEN, ids=lambda v: v.name)
async def test_jede_vorlage_ergaenzungen_vorschau_fertig_erst_ohne_luecke(app: KoplApp, vorlage: briefe.Vorlage):
    """Each template: its Ergänzungen as typed inputs; the preview from letterhead to the last
    Belehrung; Fertig refused while a gap is left; filed without any gap marker, values in the .docx
    and in the archive index."""
    async with app.run_test(size=GROESSE) as pilot:
        assistent = await assistent_fuer(pilot, DEMO_FALL[vorlage.name], vorlage)
        nummer = app.akte.kunde.kundennummer
        erwartet = vorlage.ergaenzungen_fuer(assistent.plan)
        assert assistent.ergaenzungen == erwartet
        assert [str(w.render()) for w in assistent.query(".ergaenzung .titel")] == [e.titel for e in erwartet]
        for ergaenzung in erwartet:
            feld = assistent.query_one(f"#e_{ergaenzung.name}")
            art = {Art.AUSWAHL: Auswahlfeld, Art.DATUM: DatumInput}.get(ergaenzung.art, Input)
            assert type(feld) is art, ergaenzung.name
            if isinstance(feld, Select):
                assert eintraege(feld) == list(ergaenzung.auswahl)

        await pilot.press("f2")  # Vorschau, still without the Ergänzungen
        await warten(pilot)
        assert assistent.schritt == "vorschau"
        vorschau = text(assistent, "#brieftext")
        assert vorschau.startswith("Jobcenter Landkreis Göttingen (Demo)")
        schluss = "Rechtsbehelfsbelehrung" if vorlage.abschnitt is Abschnitt.AUFFORDERUNG else "Mit freundlichen Grüßen"
        assert schluss in vorschau.splitlines()
        if erwartet:
            for ergaenzung in erwartet:
                assert f"[bitte ergänzen: {ergaenzung.titel}]" in vorschau
            assert "Noch offen im Brief" in text(assistent, "#verweigert")
            assert assistent.query_one("#fertig", Button).disabled
            await pilot.press("f2")  # Fertig: refused, nothing written
            await warten(pilot)
            assert assistent.schritt == "vorschau" and ablage_dateien(app, nummer) == []
            await pilot.press("f4")  # Zurück
            await pilot.pause()
            assert assistent.schritt == "pruefung"
            await ergaenzen(pilot)
            await pilot.press("f2")
            await warten(pilot)
            vorschau = text(assistent, "#brieftext")
        assert briefe.luecken(vorschau) == [] and not assistent.query_one("#verweigert").display
        await pilot.press("f2")  # Fertig
        await warten(pilot)
        assert assistent.schritt == "entwurf"
        await pilot.press("f3")  # Ablegen
        await warten(pilot)
        assert assistent.schritt == "abgelegt"

        [eintrag] = dokumente(app, nummer)
        brief = text_von((app.store.data_dir / "ablage" / nummer / eintrag.datei).read_bytes())
        assert briefe.luecken(brief) == [] and "[" not in brief
        for ergaenzung in erwartet:
            assert ergaenzung.drucktext(ERGAENZT[ergaenzung.name]) in brief, ergaenzung.name
        assert [(e.name, e.titel, e.wert) for e in eintrag.ergaenzungen] == [
            (e.name, e.titel, e.drucktext(ERGAENZT[e.name])) for e in erwartet]


@pytest.mark.parametrize(("nachname", "vorlage", "grund"), [
    ("Modell", "kooperationsplan-aufforderung-mit-rechtsfolgen",
     "setzt einen gemeinsam vereinbarten Kooperationsplan voraus (Status „Einverständnis“); dieser Plan hat den "
     "Status „in Bearbeitung“"),
    ("Modell", "kooperationsplan-aufforderung-mit-rechtsfolgen", "„Meine nächsten Schritte“ ist leer"),
    ("Probe", "kooperationsplan", "Bei Status „kein Einverständnis“ gibt es keinen gemeinsamen Kooperationsplan"),
    ("Erfunden", "kooperationsplan-aufforderung-ohne-rechtsfolgen", "Bei Status „nur Aufforderung“ gibt es keinen "
                                                                   "Kooperationsplan"),
    ("Ausgedacht", "aufforderung-jobfabrik", "„Frist zur Erledigung“ (16.11.2026) liegt vor dem Datum des "
                                             "Schreibens (25.11.2026)"),
])
async def test_falsche_briefe_werden_im_assistenten_verweigert(app: KoplApp, nachname, vorlage, grund):
    async with app.run_test(size=GROESSE) as pilot:
        assistent = await assistent_fuer(pilot, nachname, briefe.vorlage(vorlage))
        assert grund in text(assistent, "#verweigert") and assistent.query_one("#verweigert").display
        assert assistent.query_one("#vorschau", Button).disabled
        await pilot.press("f2")  # refused: no preview, no file
        await warten(pilot)
        assert assistent.schritt == "pruefung" and ablage_dateien(app, app.akte.kunde.kundennummer) == []


async def test_ergaenzung_falsch_getippt_meldung_am_feld(app: KoplApp):
    """Typed as a user would: a number out of range, a date that does not exist, a Beginn before the
    letter's date – each gets its German message at the field; the preview waits until they fit."""
    async with app.run_test(size=GROESSE) as pilot:
        assistent = await assistent_fuer(pilot, "Demoberg", briefe.vorlage("aufforderung-bewerbung"))
        anzahl = assistent.query_one("#e_bewerbungen_anzahl", Input)
        assert app.focused is anzahl
        await pilot.press(*"x0")  # letters are not taken; 0 is below the minimum
        await pilot.pause()
        assert anzahl.value == "0" and anzahl.has_class("-invalid")
        assert text(assistent, "#fehler_bewerbungen_anzahl") == ("„Anzahl der Bewerbungen (mindestens)“: bitte eine "
                                                                 "Zahl von 1 bis 50 angeben.")
        await pilot.press("f2")  # Vorschau refused, the cursor goes to the field
        await pilot.pause()
        assert assistent.schritt == "pruefung" and app.focused is anzahl
        await pilot.press("backspace", "4")
        await pilot.pause()
        assert not assistent.query_one("#fehler_bewerbungen_anzahl").display and not anzahl.has_class("-invalid")

    zweite = KoplApp(data_dir=app.data_dir, benutzer="tester", heute=HEUTE)  # an App runs once
    async with zweite.run_test(size=GROESSE) as pilot:
        assistent = await assistent_fuer(pilot, "Ausgedacht", briefe.vorlage("aufforderung-massnahme-stellenangebot"))
        beginn = assistent.query_one("#e_beginn", DatumInput)
        beginn.focus()
        await pilot.press(*"31.11.2026")
        await pilot.pause()
        assert text(assistent, "#fehler_beginn") == "„Beginn“: Den 31.11.2026 gibt es nicht (der Monat hat 30 Tage)."
        await pilot.press(*["backspace"] * 10, *"20.11.2026")
        await pilot.pause()
        meldung = "„Beginn“ (20.11.2026) liegt vor dem Datum des Schreibens (25.11.2026): bitte einen späteren Tag setzen."
        assert text(assistent, "#fehler_beginn") == meldung and meldung in text(assistent, "#verweigert")
        assert assistent.query_one("#vorschau", Button).disabled
