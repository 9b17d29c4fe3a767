"""Which template file a letter uses (shipped or the Jobcenter's own), rendering it safely, and
`kopl-tui vorlagen-pruefen`; letters read back with python-docx."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from jinja2.exceptions import SecurityError

from kopl_tui import briefe
from kopl_tui.briefvorlagen import (VorlagenFehler, VorlagenSicherheitsFehler, doppelte_eintraege, eigener_ordner,
                                    rendern_datei, vorlagendatei)
from kopl_tui.vorlagenpruefung import vorlagen_pruefen
from tests.conftest import HEUTE
from tests.test_briefe import eigene_vorlage, kp_plan, text_von

REPO_VORLAGEN = Path(__file__).resolve().parent.parent / "vorlagen"
EIGENER_SATZ = "Sprechzeiten des Jobcenters Musterstadt: montags bis freitags 8 bis 12 Uhr."


def bearbeitete_kopie(ziel: Path, datei: str = "kooperationsplan.docx") -> Path:
    """A shipped template as a Jobcenter edits it: one paragraph added, saved by python-docx."""
    doc = Document(str(REPO_VORLAGEN / datei))
    doc.add_paragraph(EIGENER_SATZ)
    ziel.mkdir(parents=True, exist_ok=True)
    doc.save(str(ziel / datei))
    return ziel / datei


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kopl_tui", "vorlagen-pruefen", *args],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


# ---- which file ---------------------------------------------------------------------------------

def test_ohne_eigene_vorlagen_gelten_die_mitgelieferten_aus_dem_paket(tmp_path):
    for vorlage in briefe.VORLAGEN:
        datei = vorlagendatei(vorlage.datei, eigener_ordner(tmp_path / "daten"))
        assert not datei.eigene and datei.herkunft == "mitgeliefert"
        assert datei.pfad.read_bytes() == (REPO_VORLAGEN / vorlage.datei).read_bytes()


def test_eigene_vorlage_im_datenordner_gewinnt_datei_fuer_datei(tmp_path, kunde):
    daten = tmp_path / "daten"
    bearbeitete_kopie(eigener_ordner(daten))
    assert vorlagendatei("kooperationsplan.docx", eigener_ordner(daten)).eigene
    assert not vorlagendatei("kooperationsplan-fortschreibung.docx", eigener_ordner(daten)).eigene

    def brief(titel: str) -> str:
        pruefung = briefe.pruefen(briefe.vorlage(titel), kunde, kp_plan(), datum=HEUTE)
        return briefe.entwerfen(pruefung, daten).text  # which file, not whether the letter is complete

    eigener = brief("Kooperationsplan")
    assert EIGENER_SATZ in eigener and "Musterfrau" in eigener  # rendered, not copied
    assert EIGENER_SATZ not in brief("Kooperationsplan (Fortschreibung)")
    assert EIGENER_SATZ not in briefe.entwerfen(
        briefe.pruefen(briefe.vorlage("Kooperationsplan"), kunde, kp_plan(), datum=HEUTE), None).text


# ---- templates are code: sandbox, strictness --------------------------------------------------

@pytest.mark.parametrize("ort", ["absatz", "eigenschaft"])
def test_feindliche_vorlage_loest_sicherheitsfehler_aus(tmp_path, ort):
    angriff = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"
    pfad = eigene_vorlage(tmp_path / "boese.docx", angriff if ort == "absatz" else "harmlos",
                          titel=angriff if ort == "eigenschaft" else "")
    with pytest.raises(VorlagenSicherheitsFehler) as fehler:
        rendern_datei(pfad, briefe.beispiel_kontext())
    assert isinstance(fehler.value.__cause__, SecurityError)


def test_unbekannter_platzhalter_ist_ein_fehler_kein_leerer_text(tmp_path):
    pfad = eigene_vorlage(tmp_path / "t.docx", "Hallo {{ gibt_es_nicht }}")
    with pytest.raises(VorlagenFehler, match="unbekannten Platzhalter"):
        rendern_datei(pfad, briefe.beispiel_kontext())


def test_fehlende_vorlagendatei_ist_ein_fehler(tmp_path):
    with pytest.raises(VorlagenFehler, match="fehlt"):
        rendern_datei(tmp_path / "gibt-es-nicht.docx", briefe.beispiel_kontext())


def test_keine_word_datei_ist_ein_fehler(tmp_path):
    pfad = tmp_path / "kooperationsplan.docx"
    pfad.write_text("kein zip")
    with pytest.raises(VorlagenFehler, match="kein lesbares Word-Dokument"):
        rendern_datei(pfad, briefe.beispiel_kontext())


# ---- no damaged documents ---------------------------------------------------------------------

def mit_doppeltem_eintrag(quelle: Path, ziel: Path, eintrag: str) -> Path:
    """A copy of ``quelle`` whose zip holds ``eintrag`` twice (as some tools write after an edit)."""
    with zipfile.ZipFile(quelle) as alt, zipfile.ZipFile(ziel, "w") as neu:
        for info in alt.infolist():
            neu.writestr(info, alt.read(info))
        with pytest.warns(UserWarning, match="Duplicate name"):
            neu.writestr(eintrag, alt.read(eintrag))
    return ziel


def mit_libreoffice_beziehung(quelle: Path, ziel: Path) -> Path:
    """A copy with the core-properties relationship type LibreOffice writes ("officedocument")."""
    with zipfile.ZipFile(quelle) as alt, zipfile.ZipFile(ziel, "w") as neu:
        for info in alt.infolist():
            daten = alt.read(info)
            if info.filename == "_rels/.rels":
                daten = daten.replace(b"package/2006/relationships/metadata/core-properties",
                                      b"officedocument/2006/relationships/metadata/core-properties")
                assert b"officedocument/2006" in daten
            neu.writestr(info, daten)
    return ziel


def assert_gueltiger_brief(inhalt: bytes) -> None:
    assert doppelte_eintraege(inhalt) == []
    doc = Document(io.BytesIO(inhalt))
    assert doc.core_properties.title == "Kooperationsplan"
    assert "Sehr geehrte Frau Beispiel," in text_von(inhalt)


def test_vorlage_mit_doppeltem_eintrag_wird_mit_namen_abgelehnt(tmp_path):
    pfad = mit_doppeltem_eintrag(REPO_VORLAGEN / "kooperationsplan.docx", tmp_path / "kooperationsplan.docx",
                                 "docProps/core.xml")
    assert doppelte_eintraege(pfad.read_bytes()) == ["docProps/core.xml"]
    with pytest.raises(VorlagenFehler, match="beschädigt: der Eintrag „docProps/core.xml“ kommt in der Datei doppelt"):
        rendern_datei(pfad, briefe.beispiel_kontext())
    [befund] = [b for b in vorlagen_pruefen(tmp_path) if b.vorlage.datei == "kooperationsplan.docx"]
    assert befund.datei.eigene
    assert befund.probleme == [
        "Vorlage kooperationsplan.docx („Kooperationsplan“): Die Vorlage kooperationsplan.docx ist beschädigt: der "
        "Eintrag „docProps/core.xml“ kommt in der Datei doppelt vor. Bitte die Vorlage in Word öffnen und neu "
        "speichern (oder die mitgelieferte nehmen)."]


def test_libreoffice_beziehungstyp_ergibt_keinen_doppelten_eintrag(tmp_path):
    pfad = mit_libreoffice_beziehung(REPO_VORLAGEN / "kooperationsplan.docx", tmp_path / "kooperationsplan.docx")
    assert_gueltiger_brief(rendern_datei(pfad, briefe.beispiel_kontext()))
    assert [b.probleme for b in vorlagen_pruefen(tmp_path)] == [[]] * len(briefe.VORLAGEN)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) ist nicht installiert")
def test_in_libreoffice_neu_gespeicherte_vorlage_ergibt_gueltigen_brief(tmp_path):
    """docx → docx in real LibreOffice, unchanged: the letter from it has each zip entry once."""
    ausgabe = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}",
                    "--convert-to", "docx:Office Open XML Text", "--outdir", str(ausgabe),
                    str(REPO_VORLAGEN / "kooperationsplan.docx")], check=True, capture_output=True, timeout=180)
    pfad = ausgabe / "kooperationsplan.docx"
    assert b"officedocument/2006/relationships/metadata/core-properties" in \
        zipfile.ZipFile(pfad).read("_rels/.rels")  # the case the normalisation is for
    assert_gueltiger_brief(rendern_datei(pfad, briefe.beispiel_kontext()))
    [befund] = [b for b in vorlagen_pruefen(ausgabe) if b.vorlage.datei == "kooperationsplan.docx"]
    assert befund.datei.eigene and befund.probleme == []


# ---- kopl-tui vorlagen-pruefen -------------------------------------------------------------

def test_vorlagen_pruefen_nennt_fuer_jede_vorlage_die_verwendete_datei(tmp_path):
    daten = tmp_path / "daten"
    ergebnis = cli("--data", str(daten))
    assert ergebnis.returncode == 0, ergebnis.stderr
    for vorlage in briefe.VORLAGEN:
        assert f"  {vorlage.datei}: mitgeliefert (" in ergebnis.stdout
    assert f"Eigene Vorlagen: {daten / 'vorlagen'} (nicht vorhanden)" in ergebnis.stdout
    assert f"{len(briefe.VORLAGEN)} Vorlagen geprüft (0 eigene, 9 mitgelieferte): alle in Ordnung." in ergebnis.stdout

    eigene = bearbeitete_kopie(eigener_ordner(daten))
    (eigener_ordner(daten) / "kooperationplan.docx").write_bytes(eigene.read_bytes())  # misspelt: used by nothing
    (eigener_ordner(daten) / "~$operationsplan.docx").write_bytes(b"Word lock file")
    ergebnis = cli("--data", str(daten))
    assert ergebnis.returncode == 0, ergebnis.stderr
    assert f"  kooperationsplan.docx: eigene Vorlage ({eigene})" in ergebnis.stdout
    assert "  kooperationsplan-fortschreibung.docx: mitgeliefert (" in ergebnis.stdout
    assert "Hinweis: kooperationplan.docx in" in ergebnis.stdout and "~$" not in ergebnis.stdout
    assert "(1 eigene, 8 mitgelieferte)" in ergebnis.stdout


def test_vorlagen_pruefen_scheitert_an_unbekanntem_platzhalter(tmp_path):
    ordner = tmp_path / "eigene"
    ordner.mkdir()
    eigene_vorlage(ordner / "aufforderung-bewerbung.docx",
                   "{{ briefanrede }} {{ tag_der_aufforderung }}", "{{ frist_zur_erledigung }} {{ gehalt_wunsch }}")
    ergebnis = cli("--vorlagen", str(ordner))
    assert ergebnis.returncode == 1
    assert "  aufforderung-bewerbung.docx: eigene Vorlage" in ergebnis.stdout and "– FEHLER" in ergebnis.stdout
    assert "Vorlage aufforderung-bewerbung.docx" in ergebnis.stderr
    assert "unbekannter Platzhalter „gehalt_wunsch“" in ergebnis.stderr


def test_vorlagen_pruefen_mit_unbekanntem_ordner_ist_ein_aufruffehler(tmp_path):
    ergebnis = cli("--vorlagen", str(tmp_path / "gibt-es-nicht"))
    assert ergebnis.returncode == 2 and "existiert nicht" in ergebnis.stderr and "Traceback" not in ergebnis.stderr


def test_vorlagen_pruefen_meldet_katalogabweichung_und_sandbox(tmp_path):
    eigene_vorlage(tmp_path / "aufforderung-allgemein.docx", "{{ tag_der_aufforderung }} {{ frist_zur_erledigung }}",
                   "{{ ziel }}")
    eigene_vorlage(tmp_path / "aufforderung-jobfabrik.docx", "{{ tag_der_aufforderung }} {{ frist_zur_erledigung }}",
                   "{{ cycler.__init__.__globals__ }}")
    probleme = [p for befund in vorlagen_pruefen(tmp_path) for p in befund.probleme]
    assert any("aufforderung-allgemein.docx" in p and "„ziel“ ist im Katalog für diese Vorlage nicht vorgesehen"
               in p for p in probleme)
    assert any("aufforderung-allgemein.docx" in p and "„schritte“" in p and "enthält den Platzhalter aber nicht"
               in p for p in probleme)
    assert any("aufforderung-jobfabrik.docx" in p and "unerlaubten Zugriff" in p for p in probleme)
    fehlende_ergaenzungen = [p for p in probleme if "aufforderung-jobfabrik.docx" in p and "die Ergänzung" in p]
    assert [re.search(r"Ergänzung „(\w+)“", p).group(1) for p in fehlende_ergaenzungen] == [
        "ansprechperson", "beginn", "ort"]
    assert len(probleme) == 6


def test_vorlagen_pruefen_meldet_ergaenzung_die_der_katalog_nicht_abfragt(tmp_path):
    """An Ergänzung placeholder in a template whose entry does not ask for it would print a gap for ever."""
    eigene_vorlage(tmp_path / "aufforderung-allgemein.docx", "{{ tag_der_aufforderung }} {{ frist_zur_erledigung }}",
                   "{{ schritte }} Beginn: {{ beginn }}")
    assert [p for befund in vorlagen_pruefen(tmp_path) for p in befund.probleme] == [
        "Vorlage aufforderung-allgemein.docx („§15 SGB II Aufforderung ohne Kooperationsplan (Allgemein)“): "
        "Platzhalter „beginn“ ist eine Ergänzung, die der Katalog für diese Vorlage nicht abfragt."]
