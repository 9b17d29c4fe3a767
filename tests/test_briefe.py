"""Letters: catalogue, check before printing, sandboxed rendering of the real templates."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document

from kopl_tui import briefe, demo
from kopl_tui.briefe import Abschnitt, BriefVerweigert
from kopl_tui.briefkopf import Briefkopf
from kopl_tui.datum import format_datum
from kopl_tui.ergaenzungen import ersetze_xxxx
from kopl_tui.model import UNBEGRENZT, Anrede, JaNein, Kooperationsplan, Kunde, Status

from tests.conftest import HEUTE

# Which demo customer of the guide's situations (demo.besondere_faelle) each template is printed for.
DEMO_FALL = {
    "kooperationsplan": "Mustermann",
    "kooperationsplan-fortschreibung": "Testweg",
    "aufforderung-allgemein": "Erfunden",
    "aufforderung-bewerbung": "Demoberg",
    "aufforderung-jobfabrik": "Demoberg",  # Ausgedacht's Frist has passed: refused (test_frist_nicht_vor_briefdatum)
    "aufforderung-massnahme-stellenangebot": "Schablone",
    "kooperationsplan-aufforderung-mit-rechtsfolgen": "Vorlage",
    "kooperationsplan-aufforderung-ohne-rechtsfolgen": "Vorlage",  # Modell has no "nächste Schritte" yet
    "schlichtungsverfahren-merkblatt": "Probe",
}
# What a caseworker types for each Ergänzung of the catalogue (typed values, as Ergaenzung.lesen returns them).
ERGAENZT: dict[str, object] = {
    "unterstuetzung_ergaenzung": "die Vermittlung in ein Bewerbungstraining & Hilfe bei <Unterlagen>.",
    "bewerbungen_anzahl": 4,
    "bewerbungen_zeitraum": "je Kalenderwoche",
    "taetigkeit": "Helfer/in im Lager",
    "beginn": HEUTE + timedelta(days=7),
    "ort": "JobFabrik, Beispielweg 3, 37073 Göttingen",
    "ansprechperson": "Frau Probe, Telefon 0551 000000-33",
    "angebot": "Maßnahme und Stellenangebot",
    "angebot_bezeichnung": "Bewerbungstraining; Stelle Helfer/in Lager",
    "angebot_traeger": "Bildungsträger Muster gGmbH; Muster-Logistik GmbH",
    "schritt": "Bewerbung als Helfer/in Lager bei der Muster-Logistik GmbH, Göttingen",
    "nachweis": "Kopie der Bewerbung oder Antwort des Arbeitgebers",
}
DATUMSFELDER = ("gueltig_ab", "ueberpruefung_faellig_am", "tag_der_aufforderung", "frist_zur_erledigung",
                "schlichtung_beginn", "schlichtung_max_ende")


@pytest.fixture(scope="module")
def demo_faelle() -> dict[str, demo.DemoKunde]:
    # reversed: the first customer with a surname wins (the guide's situations come first)
    return {fall.kunde.nachname: fall for fall in reversed(demo.demo_jobcenter(HEUTE))}


def text_von(inhalt: bytes) -> str:
    """All visible text: body paragraphs, table cells, header and footer."""
    doc = Document(io.BytesIO(inhalt))
    teile = [p.text for p in doc.paragraphs]
    for tabelle in doc.tables:
        for zeile in tabelle.rows:
            teile.extend(zelle.text for zelle in zeile.cells)
    for abschnitt in doc.sections:
        teile.extend(p.text for p in abschnitt.header.paragraphs)
        teile.extend(p.text for p in abschnitt.footer.paragraphs)
    return "\n".join(teile)


def xml_von(inhalt: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(inhalt)).read("word/document.xml").decode("utf-8")


def drucken(vorlage: briefe.Vorlage, kunde: Kunde, plan: Kooperationsplan,
            ergaenzungen: dict[str, object] | None = None) -> tuple[briefe.Pruefung, bytes]:
    pruefung = briefe.pruefen(vorlage, kunde, plan, datum=HEUTE, ergaenzungen=ERGAENZT if ergaenzungen is None
                              else ergaenzungen)
    return pruefung, briefe.erzeugen(pruefung, None)


def eigene_vorlage(pfad: Path, *absaetze: str, titel: str = "") -> Path:
    doc = Document()
    for absatz in absaetze:
        doc.add_paragraph(absatz)
    doc.core_properties.title = titel
    doc.save(pfad)
    return pfad


def kp_plan(**werte: object) -> Kooperationsplan:
    basis = dict(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2026, 10, 1), ziel="Ein Ziel",
                 naechste_schritte="Erste Schritte", unterstuetzung="Beratung")
    return Kooperationsplan.model_validate({**basis, **werte})


# ---- the catalogue ------------------------------------------------------------------------

def test_katalog_titel_wie_in_den_druck_dropdowns_der_anleitung():
    assert [v.titel for v in briefe.vorlagen_fuer(Abschnitt.KOOPERATIONSPLAN)] == [
        "Kooperationsplan", "Kooperationsplan (Fortschreibung)"]
    assert [v.titel for v in briefe.vorlagen_fuer("aufforderung")] == [
        "§15 SGB II Aufforderung ohne Kooperationsplan (Allgemein)",
        "§15 SGB II Aufforderung ohne Kooperationsplan (Bewerbung)",
        "§15 SGB II Aufforderung ohne Kooperationsplan (JobFabrik)",
        "§15 SGB II Aufforderung ohne Kooperationsplan (Maßnahme-/und oder Stellenangebot)",
        "§15 SGB II Kooperationsplan Aufforderung mit Rechtsfolgen",
        "§15 SGB II Kooperationsplan Aufforderung ohne Rechtsfolgen",
    ]
    assert [v.titel for v in briefe.vorlagen_fuer(Abschnitt.SCHLICHTUNG)] == [
        "§15a SGB II Schlichtungsverfahren Merkblatt"]


def test_katalog_rechtsfolgenbelehrung_nur_wo_das_gesetz_sie_verlangt():
    mit = {v.titel for v in briefe.VORLAGEN if v.rechtsfolgenbelehrung}
    assert mit == {v.titel for v in briefe.vorlagen_fuer(Abschnitt.AUFFORDERUNG)} - {
        "§15 SGB II Kooperationsplan Aufforderung ohne Rechtsfolgen"}


def test_jede_katalogvorlage_liegt_als_docx_in_vorlagen():
    for vorlage in briefe.VORLAGEN:
        assert (Path(__file__).resolve().parent.parent / "vorlagen" / vorlage.datei).is_file(), vorlage.datei
    assert briefe.vorlage("Kooperationsplan").datei == "kooperationsplan.docx"
    with pytest.raises(KeyError):
        briefe.vorlage("Unbekannt")


def test_kontext_liefert_genau_die_schluessel_des_katalogs():
    assert set(briefe.beispiel_kontext()) == (set(briefe.BRIEF_FELDER) | set(briefe.PLAN_FELDER)
                                              | briefe.ERGAENZUNGS_PLATZHALTER)
    assert set(ERGAENZT) == set(briefe.ERGAENZUNGEN)  # the tests below cover every Ergänzung


def test_docxtpl_wird_erst_beim_rendern_importiert():
    ergebnis = subprocess.run([sys.executable, "-c", "import sys, kopl_tui.briefe, kopl_tui.ablage; "
                               "print('docxtpl' in sys.modules, 'jinja2' in sys.modules)"],
                              capture_output=True, text=True, check=True)
    assert ergebnis.stdout.split() == ["False", "False"]


# ---- every template with a plan from the demo data ------------------------------------------

@pytest.mark.parametrize("vorlage", briefe.VORLAGEN, ids=lambda v: v.name)
def test_jede_vorlage_mit_demoplan(vorlage: briefe.Vorlage, demo_faelle):
    fall = demo_faelle[DEMO_FALL[vorlage.name]]
    plan = fall.plaene[-1]
    pruefung, inhalt = drucken(vorlage, fall.kunde, plan)
    text = text_von(inhalt)

    kunde = fall.kunde
    for wert in (kunde.vorname, kunde.nachname, kunde.kundennummer, kunde.bg_nummer, kunde.strasse, kunde.plz_ort,
                 kunde.ifk, "Jobcenter Landkreis Göttingen (Demo)", format_datum(HEUTE)):
        assert wert in text, wert
    anrede = "Sehr geehrte Frau" if kunde.anrede is Anrede.FRAU else "Sehr geehrter Herr"
    assert f"{anrede} {kunde.nachname}," in text
    for feld in DATUMSFELDER:
        if feld in vorlage.felder and getattr(plan, feld, None):
            assert format_datum(getattr(plan, feld)) in text, feld
    assert re.search(r"\d{4}-\d{2}-\d{2}", text) is None  # no ISO dates in a letter
    assert re.search(r"\b(None|True|False)\b", text) is None
    ueberschriften = set(text.splitlines())
    assert ("Rechtsfolgenbelehrung" in ueberschriften) is vorlage.rechtsfolgenbelehrung
    assert ("Rechtsbehelfsbelehrung" in ueberschriften) is (vorlage.abschnitt is Abschnitt.AUFFORDERUNG)
    assert pruefung.fehlend == [] and briefe.luecken(text) == [] and "[" not in text
    assert "{{" not in text and "{%" not in text
    for ergaenzung in pruefung.ergaenzungen:  # every Ergänzung printed as typed (dates TT.MM.JJJJ)
        assert ergaenzung.drucktext(ERGAENZT[ergaenzung.name]) in text, ergaenzung.name
    assert [name for name, _, _ in pruefung.ergaenzungs_texte()] == [e.name for e in pruefung.ergaenzungen]


@pytest.mark.parametrize("vorlage", [v for v in briefe.VORLAGEN if v.ergaenzungen], ids=lambda v: v.name)
def test_fehlende_ergaenzung_bleibt_luecke_und_verweigert_fertig(vorlage: briefe.Vorlage, demo_faelle):
    """Without its Ergänzungen a letter shows "[bitte ergänzen: …]" where each goes, and is not finished."""
    fall = demo_faelle[DEMO_FALL[vorlage.name]]
    plan = fall.plaene[-1]
    pruefung = briefe.pruefen(vorlage, fall.kunde, plan, datum=HEUTE)
    assert pruefung.ok and pruefung.ergaenzungen == vorlage.ergaenzungen_fuer(plan) != ()
    brief = briefe.entwerfen(pruefung, None)
    assert brief.luecken == [f"[bitte ergänzen: {e.titel}]" for e in pruefung.ergaenzungen]
    with pytest.raises(BriefVerweigert) as fehler:
        briefe.erzeugen(pruefung, None)
    assert fehler.value.meldungen == brief.gruende
    assert all(m.startswith("Im Brief steht noch „[bitte ergänzen: ") for m in brief.gruende)


def test_kooperationsplan_zeigt_texte_gueltigkeit_und_ueberpruefung(demo_faelle):
    plan = demo_faelle["Mustermann"].plaene[-1]
    _, inhalt = drucken(briefe.vorlage("Kooperationsplan"), demo_faelle["Mustermann"].kunde, plan)
    text = text_von(inhalt)
    assert plan.gueltig_bis == UNBEGRENZT
    assert "Gültig bis: unbegrenzt" in text
    assert f"Gültig ab: {format_datum(plan.gueltig_ab)}" in text
    assert f"spätestens am {format_datum(plan.ueberpruefung_faellig_am)}" in text
    for freitext in (plan.ziel, plan.naechste_schritte):
        assert freitext in text
    assert "XXXX" in plan.unterstuetzung and "XXXX" not in text  # the guide's placeholder, replaced
    assert ersetze_xxxx(plan.unterstuetzung, str(ERGAENZT["unterstuetzung_ergaenzung"])) in text
    assert "durch die Vermittlung in ein Bewerbungstraining & Hilfe bei <Unterlagen>." in text
    assert "gemeinsam vereinbart" in text and "Entwurf" not in text


def test_allgemein_uebernimmt_schritte_mit_zeilenumbruechen(demo_faelle):
    fall = demo_faelle["Erfunden"]
    plan = fall.plaene[-1]
    assert plan.schritte.count("\n") == 2
    _, inhalt = drucken(briefe.vorlage("aufforderung-allgemein"), fall.kunde, plan)
    assert plan.schritte in text_von(inhalt)  # python-docx reads <w:br/> back as "\n"
    absatz = next(p for p in re.findall(r"<w:p[ >].*?</w:p>", xml_von(inhalt), flags=re.S) if "Helfer/in Lager" in p)
    assert absatz.count("<w:br/>") == 2


def test_nutzertext_kommt_woertlich_und_wird_nie_ausgewertet(kunde):
    boese = "A & B < C > D \" ' {{ 7*7 }} {% if true %}wahr{% endif %} {_{ x }_} {#kommentar#}"
    plan = Kooperationsplan(status=Status.NUR_AUFFORDERUNG, gueltig_bis=None, tag_der_aufforderung=date(2026, 11, 20),
                            frist_zur_erledigung=date(2026, 12, 4), schritte=boese)
    kunde = kunde.model_copy(update={"nachname": "Muster & Söhne <GmbH>", "strasse": "Weg \"7\" & 'Hof'",
                                     "plz": "37073", "ort": "Göttingen"})
    _, inhalt = drucken(briefe.vorlage("aufforderung-allgemein"), kunde, plan)
    text = text_von(inhalt)
    assert boese in text
    assert "49" not in text and "wahr " not in text
    absaetze = [p.text for p in Document(io.BytesIO(inhalt)).paragraphs]  # & inside the address frame
    assert "Frau Erika Muster & Söhne <GmbH>" in absaetze
    assert "Weg \"7\" & 'Hof'" in absaetze


def test_crlf_und_steuerzeichen_werden_vor_dem_rendern_bereinigt(tmp_path, kunde):
    ctx = briefe.beispiel_kontext()
    ctx["schritte"] = "Zeile1\r\nZeile2\aZeile3\fZeile4\x0bZeile5\tTab"
    pfad = eigene_vorlage(tmp_path / "t.docx", "Vorher", "{{ schritte }}", "Nachher")
    inhalt = briefe.rendern_datei(pfad, ctx)
    xml = xml_von(inhalt)
    assert "\r" not in xml and 'w:type="page"' not in xml
    assert [p.text for p in Document(io.BytesIO(inhalt)).paragraphs] == [
        "Vorher", "Zeile1\nZeile2Zeile3Zeile4Zeile5\tTab", "Nachher"]


def test_fehlender_wert_ist_sichtbare_luecke_nie_none_und_verweigert_fertig(kunde):
    plan = kp_plan(ziel="", gueltig_bis=UNBEGRENZT)
    vorlage = briefe.vorlage("Kooperationsplan")
    pruefung = briefe.pruefen(vorlage, kunde, plan, datum=HEUTE)  # the fixture customer has no address
    brief = briefe.entwerfen(pruefung, None)  # the preview shows the gaps where they are
    assert "[fehlt: Straße]" in brief.text and "[fehlt: PLZ und Ort]" in brief.text and "[fehlt: Ziel]" in brief.text
    assert "None" not in brief.text
    assert pruefung.ok
    assert {w.titel for w in pruefung.fehlend} == {"Straße", "PLZ und Ort", "Ziel"}
    assert any("„Ziel“ fehlt" in h for h in pruefung.hinweise)
    with pytest.raises(BriefVerweigert) as fehler:
        briefe.erzeugen(pruefung, None)
    assert fehler.value.meldungen == ["Im Brief steht noch „[fehlt: Straße]“.", "Im Brief steht noch „[fehlt: PLZ und "
                                      "Ort]“.", "Im Brief steht noch „[fehlt: Ziel]“."]


def test_pruefen_listet_die_werte_die_eingemischt_werden(demo_faelle):
    fall = demo_faelle["Vorlage"]
    plan = fall.plaene[-1]
    pruefung = briefe.pruefen(briefe.vorlage("kooperationsplan-aufforderung-mit-rechtsfolgen"), fall.kunde, plan,
                              datum=HEUTE)
    werte = {w.titel: w.text for w in pruefung.werte}
    assert werte["Tag der Aufforderung"] == format_datum(plan.tag_der_aufforderung)
    assert werte["Frist zur Erledigung"] == format_datum(plan.frist_zur_erledigung)
    assert werte["Kundennummer"] == fall.kunde.kundennummer
    assert werte["Datum des Schreibens"] == format_datum(HEUTE)
    assert [e.name for e in pruefung.ergaenzungen] == ["schritt", "nachweis"]


# ---- refusals ------------------------------------------------------------------------------

def test_allgemein_ohne_schritte_wird_verweigert(kunde):
    plan = Kooperationsplan(status=Status.NUR_AUFFORDERUNG, gueltig_bis=None, tag_der_aufforderung=date(2026, 11, 20),
                            frist_zur_erledigung=date(2026, 12, 4))
    vorlage = briefe.vorlage("§15 SGB II Aufforderung ohne Kooperationsplan (Allgemein)")
    pruefung = briefe.pruefen(vorlage, kunde, plan)
    assert not pruefung.ok
    assert pruefung.verweigert == ["Für „§15 SGB II Aufforderung ohne Kooperationsplan (Allgemein)“ fehlt "
                                   "„Schritte (Aufforderung)“: bitte zuerst ausfüllen."]
    with pytest.raises(BriefVerweigert) as fehler:
        briefe.erzeugen(pruefung, None)
    assert fehler.value.meldungen == pruefung.verweigert


@pytest.mark.parametrize("vorlage", briefe.vorlagen_fuer(Abschnitt.AUFFORDERUNG), ids=lambda v: v.name)
def test_aufforderung_ohne_tag_und_frist_wird_verweigert(vorlage, kunde):
    pruefung = briefe.pruefen(vorlage, kunde, kp_plan(schritte="Etwas tun"))
    assert not pruefung.ok
    assert any("„Tag der Aufforderung“" in m for m in pruefung.verweigert)
    assert any("„Frist zur Erledigung“" in m for m in pruefung.verweigert)


def test_frist_vor_tag_der_aufforderung_wird_verweigert(kunde):
    plan = kp_plan(tag_der_aufforderung=date(2026, 11, 20), frist_zur_erledigung=date(2026, 11, 10))
    pruefung = briefe.pruefen(briefe.vorlage("kooperationsplan-aufforderung-mit-rechtsfolgen"), kunde, plan,
                              datum=date(2026, 11, 1))
    assert pruefung.verweigert == ["„Frist zur Erledigung“ (10.11.2026) liegt vor dem „Tag der Aufforderung“ "
                                   "(20.11.2026); sie muss danach liegen."]


@pytest.mark.parametrize("name", ["kooperationsplan", "kooperationsplan-aufforderung-ohne-rechtsfolgen"])
def test_bei_nur_aufforderung_kein_kooperationsplan_brief(name, kunde):
    plan = Kooperationsplan(status=Status.NUR_AUFFORDERUNG, gueltig_bis=None, tag_der_aufforderung=date(2026, 11, 20),
                            frist_zur_erledigung=date(2026, 12, 4))
    pruefung = briefe.pruefen(briefe.vorlage(name), kunde, plan)
    [meldung] = pruefung.verweigert
    assert "nur Aufforderung" in meldung


def test_aufforderung_ohne_kooperationsplan_bei_bestehendem_plan_gibt_hinweis(kunde):
    plan = kp_plan(tag_der_aufforderung=date(2026, 11, 20), frist_zur_erledigung=date(2026, 12, 4))
    pruefung = briefe.pruefen(briefe.vorlage("aufforderung-bewerbung"), kunde, plan, datum=HEUTE)
    assert pruefung.ok
    assert any("besteht ein Kooperationsplan" in h for h in pruefung.hinweise)


# ---- Anrede, Merkblatt --------------------------------------------------------------------

@pytest.mark.parametrize(("anrede", "erwartet", "anschrift"), [
    (Anrede.FRAU, "Sehr geehrte Frau Musterfrau,", "Frau Erika Musterfrau"),
    (Anrede.HERR, "Sehr geehrter Herr Musterfrau,", "Herr Erika Musterfrau"),
    (Anrede.OHNE, "Guten Tag Erika Musterfrau,", "Erika Musterfrau"),
])
def test_briefanrede_nach_anrede(anrede, erwartet, anschrift, kunde):
    ctx = briefe.kontext(kunde.model_copy(update={"anrede": anrede}), kp_plan(), ifk="Ina Beispiel",
                         briefkopf=Briefkopf(), datum=HEUTE)
    assert ctx["briefanrede"] == erwartet
    assert ctx["anschrift_name"] == anschrift


def test_merkblatt_nennt_beginn_und_max_ende_nur_wenn_begonnen(kunde):
    kunde = kunde.model_copy(update={"strasse": "Musterweg 1", "plz": "37073", "ort": "Göttingen"})
    vorlage = briefe.vorlage("schlichtungsverfahren-merkblatt")
    beginn = date(2026, 11, 2)
    _, mit = drucken(vorlage, kunde, kp_plan(schlichtung_notwendig=JaNein.JA, schlichtung_beginn=beginn))
    text = text_von(mit)
    assert "begonnen am: 02.11.2026" in text
    assert f"spätestens am: {format_datum(beginn + timedelta(days=28))}" in text
    for punkt in ("vier Wochen", "freiwillig", "Lösungsvorschlag", "keine Weisungen", "formlos verlangen"):
        assert punkt in text
    pruefung, ohne = drucken(vorlage, kunde, kp_plan())
    assert "begonnen am" not in text_von(ohne) and "[fehlt" not in text_von(ohne)
    assert pruefung.fehlend == []
