"""CSV import of customers: all rows or none, bad rows by line number; optional address columns;
an existing Kundennummer only with --aktualisieren (each change printed and in the history); ASCII
numbers only; a line break inside a field named by row and column. The CLI runs as a real process
(the installed ``kopl-tui``) on real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kopl_tui.cli import main
from kopl_tui.kunden_import import importieren
from kopl_tui.kundenindex import Kundenindex
from kopl_tui.model import Kunde
from kopl_tui.store import Store

KOPL_TUI = Path(sys.executable).with_name("kopl-tui")
KOPF = "kundennummer;anrede;nachname;vorname;geburtsdatum;bg_nummer;ifk\n"
KOPF_ANSCHRIFT = "kundennummer;anrede;nachname;vorname;geburtsdatum;bg_nummer;ifk;strasse;plz;ort\n"
ERIKA = "123D000001;Frau;Musterfrau;Erika;01.02.1980;12345//0000001;Ina Beispiel"


def kopl(*argumente: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KOPL_TUI), *map(str, argumente), "--benutzer", "support"],
                          capture_output=True, text=True, timeout=60, check=False)


def csv_datei(ordner: Path, inhalt: str, name: str = "kunden.csv") -> Path:
    datei = ordner / name
    datei.write_bytes(inhalt.encode("utf-8"))
    return datei


def kunden_json(store: Store) -> dict:
    return json.loads(store.kunden_datei.read_text(encoding="utf-8"))


def test_import_gute_datei(tmp_path, store):
    datei = tmp_path / "kunden.csv"
    datei.write_text(KOPF + "123D000001;Frau;Musterfrau;Erika;01.02.1980;12345//0000001;Ina Beispiel\n"
                     "123D000002;Herr;Mustermann;Max;31.12.1975;12345//0000002;Tom Muster\n", encoding="utf-8")
    ergebnis = importieren(datei, store)
    assert ergebnis.fehler == []
    assert [k.kundennummer for k in store.kunden()] == ["123D000001", "123D000002"]
    assert store.kunde("123D000002").geburtsdatum.isoformat() == "1975-12-31"


def test_import_fehlerhafte_zeilen_mit_zeilennummer_nichts_importiert(tmp_path, store, capsys):
    datei = tmp_path / "kunden.csv"
    datei.write_text(KOPF + "123D000001;Frau;Musterfrau;Erika;01.02.1980;12345//0000001;Ina\n"
                     "12D0001;Herr;Mustermann;Max;31.12.1975;12345//0000002;Tom\n"
                     "123D000003;Herr;Probe;Paul;31.02.1975;12345//0000003;Tom\n"
                     "123D000001;Frau;Doppelt;Dora;01.01.1990;12345//0000004;Ina\n"
                     "123D000005;Frau;Kurz\n", encoding="utf-8")
    assert main(["import-kunden", str(datei), "--data", str(store.data_dir)]) == 1
    fehler = capsys.readouterr().err
    assert "Zeile 3:" in fehler and "Kundennummer" in fehler
    assert "Zeile 4:" in fehler and "31.02.1975" in fehler
    assert "Zeile 5:" in fehler and "Zeile 2" in fehler
    assert "Zeile 6:" in fehler and "Spalten" in fehler
    assert "Zeile 2:" not in fehler.replace("Zeile 2\n", "").split("Zeile 5:")[0]
    assert store.ist_leer()


def test_import_falsche_kopfzeile(tmp_path, store):
    datei = tmp_path / "kunden.csv"
    datei.write_text("nr;name\n1;x\n", encoding="utf-8")
    assert "Kopfzeile" in importieren(datei, store).fehler[0]


# ---- address columns ------------------------------------------------------------------------------

def test_import_mit_anschrift_spalten_und_ohne(tmp_path, store):
    mit = csv_datei(tmp_path, KOPF_ANSCHRIFT + ERIKA + ";Musterweg 1;37073;Göttingen\n"
                    "123D000002;Herr;Mustermann;Max;31.12.1975;12345//0000002;Tom Muster;;;\n", "mit.csv")
    ohne = csv_datei(tmp_path, KOPF + "123D000003;Herr;Probe;Paul;03.04.1970;12345//0000003;Tom Muster\n", "ohne.csv")
    for datei in (mit, ohne):
        lauf = kopl("import-kunden", datei, "--data", store.data_dir)
        assert lauf.returncode == 0, lauf.stderr
        assert "Kunden importiert" in lauf.stdout
    kunden = {k.kundennummer: k for k in store.kunden()}
    erika = kunden["123D000001"]
    assert (erika.strasse, erika.plz, erika.ort, erika.plz_ort) == ("Musterweg 1", "37073", "Göttingen", "37073 Göttingen")
    assert (kunden["123D000002"].strasse, kunden["123D000002"].plz_ort) == ("", "")
    assert (kunden["123D000003"].strasse, kunden["123D000003"].plz_ort) == ("", "")
    gespeichert = {doc["kundennummer"]: doc for doc in kunden_json(store)["kunden"].values()}
    assert gespeichert["123D000001"]["plz"] == "37073" and "plz_ort" not in gespeichert["123D000001"]


@pytest.mark.parametrize(("anschrift", "meldung"), [
    (";Musterweg 1;3707;Göttingen", "PLZ „3707“ hat nicht das Format 12345"),
    (";Musterweg 1;37O73;Göttingen", "PLZ „37O73“"),
    (";Musterweg 1;３７０７３;Göttingen", "PLZ „３７０７３“"),  # full-width digits are no PLZ
    (";Musterweg 1;;Göttingen", "PLZ fehlt: eine Anschrift braucht Straße, PLZ und Ort."),
    (";;37073;Göttingen", "Straße fehlt"),
    (";Musterweg 1;37073;37073 Göttingen", "Ort „37073 Göttingen“: bitte nur den Ortsnamen eintragen"),
    (";Musterweg 1;37073;12", "Ort „12“"),
])
def test_import_anschrift_falsch_meldung_mit_zeile_nichts_importiert(tmp_path, store, anschrift, meldung):
    datei = csv_datei(tmp_path, KOPF_ANSCHRIFT + "123D000002;Herr;Gut;Max;31.12.1975;12345//0000002;Tom;;;\n"
                      + ERIKA + anschrift + "\n")
    lauf = kopl("import-kunden", datei, "--data", store.data_dir)
    assert lauf.returncode == 1, lauf.stdout
    assert f"Zeile 3: {meldung}" in lauf.stderr
    assert "Traceback" not in lauf.stderr and store.ist_leer()


def test_datenordner_mit_plz_ort_in_einem_feld_laedt_weiter(store):
    """kunden.json written when PLZ and Ort were one field: list, Akte and letters still work."""
    altes_format = {"kunden": {"1": {
        "id": "a1", "kundennummer": "123D000001", "anrede": "Frau", "nachname": "Alt", "vorname": "Anna",
        "geburtsdatum": "1980-02-01", "bg_nummer": "12345//0000001", "ifk": "Ina", "strasse": "Altweg 2",
        "plz_ort": "37073 Göttingen"}, "2": {
        "id": "a2", "kundennummer": "123D000002", "anrede": "Herr", "nachname": "Ohne", "vorname": "Otto",
        "geburtsdatum": "1980-02-01", "bg_nummer": "12345//0000002", "ifk": "Ina", "strasse": "", "plz_ort": "Hann. Münden"}}}
    store.kunden_datei.write_text(json.dumps(altes_format), encoding="utf-8")
    anna, otto = store.kunden()
    assert (anna.plz, anna.ort, anna.plz_ort) == ("37073", "Göttingen", "37073 Göttingen")
    assert (otto.plz, otto.ort, otto.plz_ort) == ("", "Hann. Münden", "Hann. Münden")
    for zeile in Kundenindex(store.data_dir).laden().zeilen():  # the customer list's path
        assert Kunde.model_validate(zeile.felder()) == {"123D000001": anna, "123D000002": otto}[zeile.kundennummer]
    store.kunden_schreiben([anna.model_copy(update={"strasse": "Neuweg 1"})])
    gespeichert = kunden_json(store)["kunden"]["1"]
    assert (gespeichert["plz"], gespeichert["ort"]) == ("37073", "Göttingen") and "plz_ort" not in gespeichert


# ---- existing customers: refused, or updated with --aktualisieren ----------------------------------------

def test_vorhandene_kundennummer_ohne_aktualisieren_abgelehnt_nichts_importiert(tmp_path, store):
    erste = csv_datei(tmp_path, KOPF_ANSCHRIFT + ERIKA + ";Musterweg 1;37073;Göttingen\n", "erste.csv")
    assert kopl("import-kunden", erste, "--data", store.data_dir).returncode == 0
    vorher = store.kunden_datei.read_bytes()
    zweite = csv_datei(tmp_path, KOPF + "123D000009;Herr;Neu;Nils;01.01.1990;12345//0000009;Tom\n"
                       "123D000001;Herr;Anders;Arne;05.05.1955;99999//0000099;Jemand\n", "zweite.csv")
    lauf = kopl("import-kunden", zweite, "--data", store.data_dir)
    assert lauf.returncode == 1, lauf.stdout
    assert "Nichts importiert" in lauf.stderr
    assert "Zeile 3: Kundennummer 123D000001 gibt es schon (Musterfrau, Erika)" in lauf.stderr
    assert "--aktualisieren" in lauf.stderr
    assert store.kunden_datei.read_bytes() == vorher  # nothing imported, not even the new customer
    assert store.historie("123D000001") == []


def test_aktualisieren_nennt_jede_aenderung_schreibt_historie_anschrift_bleibt(tmp_path, store):
    erste = csv_datei(tmp_path, KOPF_ANSCHRIFT + ERIKA + ";Musterweg 1;37073;Göttingen\n"
                      "123D000002;Herr;Mustermann;Max;31.12.1975;12345//0000002;Tom Muster;;;\n", "erste.csv")
    assert kopl("import-kunden", erste, "--data", store.data_dir).returncode == 0
    # without address columns, and with empty address cells: the stored address stays
    ohne_anschrift = csv_datei(tmp_path, KOPF + "123D000001;Frau;Musterfrau;Erika;01.02.1980;12345//0000777;"
                               "Uta Probe\n", "ohne.csv")
    lauf = kopl("import-kunden", ohne_anschrift, "--data", store.data_dir, "--aktualisieren")
    assert lauf.returncode == 0, lauf.stderr
    assert ("Zeile 2: 123D000001 (Musterfrau, Erika): BG-Nummer „12345//0000001“ → „12345//0000777“; "
            "Integrationsfachkraft „Ina Beispiel“ → „Uta Probe“") in lauf.stdout
    assert "1 Kunden importiert (0 neu, 1 aktualisiert)." in lauf.stdout
    leere_zellen = csv_datei(tmp_path, KOPF_ANSCHRIFT + "123D000001;;Musterfrau;;01.02.1980;12345//0000777;;;;\n"
                             "123D000002;Herr;Mustermann;Max;31.12.1975;12345//0000002;Tom Muster;Weg 5;37075;"
                             "Göttingen\n123D000003;Herr;Neu;Nils;01.01.1990;12345//0000003;Tom Muster;;;\n", "leer.csv")
    lauf = kopl("import-kunden", leere_zellen, "--data", store.data_dir, "--aktualisieren")
    assert lauf.returncode == 0, lauf.stderr
    assert "123D000001" not in lauf.stdout  # empty cells change nothing
    assert "Zeile 3: 123D000002 (Mustermann, Max): Straße „–“ → „Weg 5“; PLZ „–“ → „37075“; Ort „–“ → „Göttingen“" \
        in lauf.stdout
    assert "2 Kunden importiert (1 neu, 1 aktualisiert, 1 unverändert)." in lauf.stdout
    erika = store.kunde("123D000001")
    assert (erika.anrede.value, erika.vorname, erika.ifk) == ("Frau", "Erika", "Uta Probe")
    assert (erika.strasse, erika.plz_ort, erika.bg_nummer) == ("Musterweg 1", "37073 Göttingen", "12345//0000777")
    historie = store.historie("123D000001")
    assert len(historie) == 1
    eintrag = historie[0]
    assert (eintrag.benutzer, eintrag.aktion) == ("support", "Stammdaten geändert (Import ohne.csv)")
    assert eintrag.alt == {"bg_nummer": "12345//0000001", "ifk": "Ina Beispiel"}
    assert eintrag.neu == {"bg_nummer": "12345//0000777", "ifk": "Uta Probe"}
    assert store.historie("123D000002")[0].neu == {"strasse": "Weg 5", "plz": "37075", "ort": "Göttingen"}
    assert store.historie("123D000003") == []  # a new customer has no change to record
    assert not store.akte_laden("123D000001").stammdaten_offen  # the note is settled


# ---- ASCII numbers, line breaks ------------------------------------------------------------------------------

@pytest.mark.parametrize("zeile", [
    "१२३D४५६७८९;Frau;Devanagari;Dora;01.02.1980;12345//0000001;Ina",  # Devanagari digits
    "１２３D456789;Frau;Breit;Berta;01.02.1980;12345//0000001;Ina",  # full-width digits
    "123Ｄ456789;Frau;Breit;Berta;01.02.1980;12345//0000001;Ina",  # full-width letter
    "123D456789;Frau;Arabisch;Amal;01.02.1980;١٢٣٤٥//٠٠٠٠٠٠١;Ina",  # Arabic-Indic digits in the BG-Nummer
    "123D456789;Frau;Breit;Berta;01.02.1980;12345／／0000001;Ina",  # full-width solidus
])
def test_kundennummer_und_bg_nummer_nur_ascii(tmp_path, store, zeile):
    lauf = kopl("import-kunden", csv_datei(tmp_path, KOPF + zeile + "\n"), "--data", store.data_dir)
    assert lauf.returncode == 1, lauf.stdout
    assert "Zeile 2:" in lauf.stderr and "hat nicht das Format" in lauf.stderr
    assert store.ist_leer()


@pytest.mark.parametrize(("zeichen", "name"), [
    ("\u0085", "U+0085 NEL"), ("\u2028", "U+2028 LINE SEPARATOR"), ("\u2029", "U+2029 PARAGRAPH SEPARATOR"),
    ("\r", "U+000D CR"), ("\n", "U+000A LF"), ("\x0b", "U+000B VT"), ("\x0c", "U+000C FF"),
])
def test_zeilenumbruch_im_feld_meldung_mit_zeile_und_spalte(tmp_path, store, zeichen, name):
    datei = csv_datei(tmp_path, KOPF + "123D000001;Frau;Gut;Greta;01.02.1980;12345//0000001;Ina\n"
                      f'123D000002;Frau;"Mei{zeichen}er";Mia;01.02.1980;12345//0000002;Ina\n'
                      "123D000003;Frau;Gut;Gabi;01.02.1980;12345//0000003;Ina\n")
    lauf = kopl("import-kunden", datei, "--data", store.data_dir)
    assert lauf.returncode == 1, lauf.stdout
    assert f"Zeile 3, Spalte „nachname“: Zeilenumbruch im Feld ({name})" in lauf.stderr
    assert "Spalten" not in lauf.stderr  # the record was read as one, not broken apart
    assert "Zeile 4" not in lauf.stderr and store.ist_leer()


def test_zeilenumbruch_ohne_anfuehrungszeichen_und_in_der_kundennummer(tmp_path, store):
    datei = csv_datei(tmp_path, KOPF + "123D000001;Frau;Gut;Greta;01.02.1980;12345//0000001;Ina\u2028Probe\n"
                      "123D000002\u0085;Frau;Gut;Gabi;01.02.1980;12345//0000002;Ina\n")
    lauf = kopl("import-kunden", datei, "--data", store.data_dir)
    assert lauf.returncode == 1
    assert "Zeile 2, Spalte „ifk“: Zeilenumbruch im Feld (U+2028 LINE SEPARATOR)" in lauf.stderr
    assert "Zeile 3, Spalte „kundennummer“: Zeilenumbruch im Feld (U+0085 NEL)" in lauf.stderr
    assert store.ist_leer()
