"""kopl_tui/drucken.py: lp (CUPS) with a stand-in ``lp`` on PATH that records what it was given; the
printer from briefkopf.toml (the IFK's own over the data folder's default); the history line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kopl_tui.datenordner import BRIEFKOPF_DATEI
from kopl_tui.drucken import DruckFehler, brief_drucken, drucken, drucker_bestimmen
from kopl_tui.store import Store


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    datei = tmp_path / "brief.pdf"
    datei.write_bytes(b"%PDF-1.4\n")
    return datei


def lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, skript: str) -> Path:
    """A stand-in ``lp`` first on PATH (the real one, where installed, is never reached)."""
    ordner = tmp_path / "bin"
    ordner.mkdir(exist_ok=True)
    programm = ordner / "lp"
    programm.write_text(f"#!/bin/sh\n{skript}\n")
    programm.chmod(0o755)
    monkeypatch.setenv("PATH", f"{ordner}:/usr/bin:/bin")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")  # lp answers in German then; we read its English (LC_ALL=C)
    return ordner


def protokollierendes_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, auftrag: str = "Q-1") -> Path:
    """lp that writes its arguments, LC_ALL and the first bytes of the file it got, one a line."""
    protokoll = tmp_path / "lp.txt"
    lp(tmp_path, monkeypatch, f'printf "%s\\n" "$@" "$LC_ALL" > {protokoll}\n'
                              f'for a; do :; done; head -c 4 "$a" >> {protokoll}\n'
                              f'echo "request id is {auftrag} (1 file(s))"')
    return protokoll


def briefkopf(ordner: Path, text: str) -> None:
    ordner.mkdir(parents=True, exist_ok=True)
    (ordner / BRIEFKOPF_DATEI).write_text(text, encoding="utf-8")


def test_lp_bekommt_drucker_und_pdf_und_meldet_die_auftragsnummer(tmp_path, monkeypatch, pdf):
    protokoll = protokollierendes_lp(tmp_path, monkeypatch)
    assert drucken(pdf, "Q", titel="Brief 4711") == "Q-1"
    assert protokoll.read_text().splitlines() == ["-d", "Q", "-t", "Brief 4711", str(pdf), "C", "%PDF"]


def test_lp_fehler_wird_gezeigt(tmp_path, monkeypatch, pdf):
    lp(tmp_path, monkeypatch, "echo 'lp: Error - The printer or class does not exist.' >&2; exit 1")
    with pytest.raises(DruckFehler, match="Drucken auf „Q“ fehlgeschlagen: lp: Error - The printer or class does not "
                                          "exist."):
        drucken(pdf, "Q")


def test_haengendes_lp_wird_nach_dem_zeitlimit_gemeldet(tmp_path, monkeypatch, pdf):
    lp(tmp_path, monkeypatch, "exec sleep 30")
    with pytest.raises(DruckFehler, match="lp hat nicht innerhalb von 0.5 s geantwortet"):
        drucken(pdf, "Q", zeitlimit=0.5)


def test_ohne_auftragsnummer_kein_erfolg(tmp_path, monkeypatch, pdf):
    lp(tmp_path, monkeypatch, "echo 'etwas anderes'")
    with pytest.raises(DruckFehler, match="lp hat keine Auftragsnummer gemeldet: etwas anderes"):
        drucken(pdf, "Q")


def test_ohne_lp_sagt_es_was_fehlt(tmp_path, monkeypatch, pdf):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DruckFehler, match="lp \\(CUPS\\) ist auf diesem Rechner nicht installiert"):
        drucken(pdf, "Q")


@pytest.mark.parametrize("name", ["-o evil", "zwei Worte", "a/b", "#1", "", "a\x1bb", 'a"b'])
def test_ungueltiger_druckername_wird_nicht_an_lp_gegeben(tmp_path, monkeypatch, pdf, name):
    protokoll = tmp_path / "lp.txt"
    lp(tmp_path, monkeypatch, f"touch {protokoll}")
    with pytest.raises(DruckFehler, match="kein gültiger Druckername"):
        drucken(pdf, name)
    with pytest.raises(DruckFehler, match="kein gültiger Druckername"):
        drucker_bestimmen(tmp_path, "Ina Beispiel", name or "-")
    assert not protokoll.exists()


# ---- which printer: briefkopf.toml -----------------------------------------------------------------

def test_drucker_der_ifk_vor_dem_standard_des_datenordners(tmp_path):
    briefkopf(tmp_path, '[jobcenter]\ndrucker = "Buero-EG"\n\n[ifk."Ina Beispiel"]\ndrucker = "Etage2"\n\n'
                        '[ifk."Tom Muster"]\ntelefon = "0000 77"\n')
    assert drucker_bestimmen(tmp_path, "Ina Beispiel") == "Etage2"
    assert drucker_bestimmen(tmp_path, "Tom Muster") == "Buero-EG"  # an IFK without her own printer
    assert drucker_bestimmen(tmp_path, "") == "Buero-EG"
    assert drucker_bestimmen(tmp_path, "Ina Beispiel", "Anderer") == "Anderer"  # named on the command line


def test_ohne_drucker_sagt_es_welche_zeile_in_welche_datei(tmp_path):
    with pytest.raises(DruckFehler) as fehler:
        drucker_bestimmen(tmp_path, "Ina Beispiel")
    text = str(fehler.value)
    assert text.startswith(f"Kein Drucker eingerichtet. Bitte in {tmp_path / BRIEFKOPF_DATEI} eintragen")
    assert 'unter [jobcenter] die Zeile\n    drucker = "NAME"' in text
    assert 'nur für Briefe von Ina Beispiel unter [ifk."Ina Beispiel"] die Zeile\n    drucker = "NAME"' in text
    assert "lpstat -p" in text
    # What the message says to write works.
    briefkopf(tmp_path, '[ifk."Ina Beispiel"]\ndrucker = "NAME"\n')
    assert drucker_bestimmen(tmp_path, "Ina Beispiel") == "NAME"
    with pytest.raises(DruckFehler, match="Kein Drucker eingerichtet") as fehler:
        drucker_bestimmen(tmp_path, "")
    assert "[ifk." not in str(fehler.value)  # a customer without IFK: only the default helps


@pytest.mark.parametrize("zeile", ['drucker = "zwei Worte"', 'drucker = "-o x"', "drucker = 7", 'drucker = ""'])
def test_falscher_druckername_in_der_datei_wird_mit_datei_und_abschnitt_gemeldet(tmp_path, zeile):
    briefkopf(tmp_path, f'[ifk."Ina Beispiel"]\ntelefon = "1"\n{zeile}\n')
    with pytest.raises(DruckFehler) as fehler:
        drucker_bestimmen(tmp_path, "Ina Beispiel")
    assert str(tmp_path / BRIEFKOPF_DATEI) in str(fehler.value)
    assert 'unter [ifk."Ina Beispiel"] ist drucker = ' in str(fehler.value)
    assert "kein gültiger Druckername" in str(fehler.value)


# ---- print and note it ----------------------------------------------------------------------------

def test_brief_drucken_vermerkt_drucker_und_auftrag_in_der_historie(store_mit_kunde: Store, kunde, tmp_path,
                                                                    monkeypatch, pdf):
    briefkopf(store_mit_kunde.data_dir, '[jobcenter]\ndrucker = "Buero-EG"\n')
    protokoll = protokollierendes_lp(tmp_path, monkeypatch, auftrag="Buero-EG-42")
    gedruckt = brief_drucken(store_mit_kunde, kunde.kundennummer, pdf=pdf, ifk=kunde.ifk, benutzer="mueller",
                             titel="Kooperationsplan", vorlage_datei="kooperationsplan.docx", plan_id="p1",
                             datei="2026-11-25_120000_kooperationsplan.docx")
    assert (gedruckt.drucker, gedruckt.auftrag, gedruckt.historie_fehler) == ("Buero-EG", "Buero-EG-42", None)
    assert protokoll.read_text().splitlines() == ["-d", "Buero-EG", "-t", f"kooperationsplan {kunde.kundennummer}",
                                                  str(pdf), "C", "%PDF"]
    [zeile] = Store(store_mit_kunde.data_dir).historie(kunde.kundennummer)
    assert zeile.aktion == "Brief gedruckt: Kooperationsplan (Drucker Buero-EG, Auftrag Buero-EG-42)"
    assert (zeile.benutzer, zeile.plan_id) == ("mueller", "p1")
    assert zeile.neu == {"datei": "2026-11-25_120000_kooperationsplan.docx", "drucker": "Buero-EG",
                         "auftrag": "Buero-EG-42"}


def test_ohne_pdf_oder_bei_fehler_kein_druck_und_keine_historie(store_mit_kunde: Store, kunde, tmp_path,
                                                                monkeypatch, pdf):
    protokoll = protokollierendes_lp(tmp_path, monkeypatch)
    argumente = dict(ifk=kunde.ifk, benutzer="mueller", titel="T", vorlage_datei="t.docx", plan_id="p1")
    with pytest.raises(DruckFehler, match="Kein Drucker eingerichtet"):
        brief_drucken(store_mit_kunde, kunde.kundennummer, pdf=pdf, **argumente)
    briefkopf(store_mit_kunde.data_dir, '[jobcenter]\ndrucker = "Q"\n')
    with pytest.raises(DruckFehler, match="kein PDF, und lp druckt nur das PDF: beim Ablegen war LibreOffice"):
        brief_drucken(store_mit_kunde, kunde.kundennummer, pdf=None, **argumente)
    with pytest.raises(DruckFehler, match="nicht mehr vorhanden"):
        brief_drucken(store_mit_kunde, kunde.kundennummer, pdf=tmp_path / "weg.pdf", **argumente)
    assert not protokoll.exists()
    lp(tmp_path, monkeypatch, "echo 'lp: Destination \"Q\" is not accepting jobs.' >&2; exit 1")
    with pytest.raises(DruckFehler, match="Drucken auf „Q“ fehlgeschlagen: lp: Destination \"Q\" is not accepting"):
        brief_drucken(store_mit_kunde, kunde.kundennummer, pdf=pdf, **argumente)
    assert Store(store_mit_kunde.data_dir).historie(kunde.kundennummer) == []
