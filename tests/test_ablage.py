"""The archive: Fertig → Ablegen / Abbrechen, index newest first, private files, optional PDF."""

from __future__ import annotations

import io
import json
import shutil
import stat
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document

from kopl_tui import briefe
from kopl_tui.ablage import Ablage, Entwurf, PdfFehler, pdf_umwandeln, soffice_pfad
from kopl_tui.briefe import BriefVerweigert
from kopl_tui.model import Kooperationsplan, Kunde, Status
from kopl_tui.store import Store, StoreFehler

from tests.conftest import HEUTE

VORLAGE = briefe.vorlage("Kooperationsplan")
UNTERSTUETZUNG = {"unterstuetzung_ergaenzung": "ein Bewerbungstraining beim Bildungsträger."}


@pytest.fixture
def kunde(kunde: Kunde) -> Kunde:
    return kunde.model_copy(update={"strasse": "Musterweg 1", "plz": "37073", "ort": "Göttingen"})


@pytest.fixture
def plan() -> Kooperationsplan:
    """With the guide's prefilled support text: its "XXXX" is an Ergänzung of the letter."""
    return Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2026, 10, 1), ziel="Lagerhelferin",
                            naechste_schritte="Bewerben")


def modus(pfad: Path) -> int:
    return stat.S_IMODE(pfad.stat().st_mode)


def fertig(ablage: Ablage, kunde: Kunde, plan: Kooperationsplan, jetzt: datetime | None = None) -> Entwurf:
    """What the document assistant's "Fertig" does: check, render, write the draft."""
    pruefung = briefe.pruefen(VORLAGE, kunde, plan, datum=HEUTE, ergaenzungen=UNTERSTUETZUNG)
    return ablage.entwurf_schreiben(kunde.kundennummer, VORLAGE, plan.id, briefe.erzeugen(pruefung, ablage.store.data_dir),
                                    HEUTE, jetzt=jetzt, ergaenzungen=pruefung.ergaenzungs_texte())


def test_fertig_dann_ablegen_schreibt_datei_indexeintrag_und_historie(store_mit_kunde: Store, kunde, plan):
    ablage = Ablage(store_mit_kunde)
    entwurf = fertig(ablage, kunde, plan)
    ergebnis = ablage.ablegen(entwurf, benutzer="ibeispiel", pdf=False)

    assert ergebnis.docx == entwurf.pfad and ergebnis.docx.parent == store_mit_kunde.data_dir / "ablage" / kunde.kundennummer
    assert "Musterfrau" in "\n".join(p.text for p in Document(io.BytesIO(ergebnis.docx.read_bytes())).paragraphs)
    [eintrag] = ablage.dokumente(kunde.kundennummer)
    assert (eintrag.vorlage, eintrag.titel, eintrag.plan_id, eintrag.datum, eintrag.benutzer, eintrag.datei) == (
        "kooperationsplan.docx", "Kooperationsplan", plan.id, HEUTE, "ibeispiel", ergebnis.docx.name)
    assert ablage.pfad(kunde.kundennummer, eintrag) == ergebnis.docx.resolve()
    [historie] = store_mit_kunde.akte_laden(kunde.kundennummer).historie
    assert (historie.aktion, historie.benutzer, historie.plan_id) == ("Brief abgelegt: Kooperationsplan", "ibeispiel",
                                                                      plan.id)
    assert historie.neu == {"datei": ergebnis.docx.name}


def test_ergaenzungen_bleiben_mit_dem_abgelegten_brief_im_index(store_mit_kunde: Store, kunde, plan):
    """The archive shows what was demanded: each Ergänzung with its label, as the letter printed it."""
    ablage = Ablage(store_mit_kunde)
    ablage.ablegen(fertig(ablage, kunde, plan), benutzer="ibeispiel", pdf=False)
    [eintrag] = Ablage(Store(store_mit_kunde.data_dir)).dokumente(kunde.kundennummer)  # read back from disk
    assert [(e.name, e.titel, e.wert) for e in eintrag.ergaenzungen] == [
        ("unterstuetzung_ergaenzung", "Unterstützung durch die Integrationsfachkraft (statt „XXXX“)",
         "ein Bewerbungstraining beim Bildungsträger.")]
    index = json.loads((ablage.ordner(kunde.kundennummer) / "index.json").read_text(encoding="utf-8"))
    [gespeichert] = index["dokumente"].values()
    assert gespeichert["ergaenzungen"][0]["wert"] == "ein Bewerbungstraining beim Bildungsträger."


def test_index_ohne_ergaenzungen_von_frueher_bleibt_lesbar(store_mit_kunde: Store, kunde, plan):
    ablage = Ablage(store_mit_kunde)
    ablage.ablegen(fertig(ablage, kunde, plan), benutzer="ibeispiel", pdf=False)
    pfad = ablage.ordner(kunde.kundennummer) / "index.json"
    index = json.loads(pfad.read_text(encoding="utf-8"))
    for eintrag in index["dokumente"].values():
        del eintrag["ergaenzungen"]
    pfad.write_text(json.dumps(index), encoding="utf-8")
    [eintrag] = ablage.dokumente(kunde.kundennummer)
    assert eintrag.ergaenzungen == []


def test_entwurf_mit_luecke_wird_nicht_abgelegt(store_mit_kunde: Store, kunde, plan):
    """Ablegen checks the file itself: a letter with a gap marker never reaches the archive."""
    ablage = Ablage(store_mit_kunde)
    pruefung = briefe.pruefen(VORLAGE, kunde, plan, datum=HEUTE)  # no Ergänzung: "XXXX" becomes a gap
    brief = briefe.entwerfen(pruefung, None)
    assert brief.luecken
    entwurf = ablage.entwurf_schreiben(kunde.kundennummer, VORLAGE, plan.id, brief.inhalt, HEUTE)
    with pytest.raises(BriefVerweigert) as fehler:
        ablage.ablegen(entwurf, benutzer="ibeispiel", pdf=False)
    assert fehler.value.meldungen == brief.gruende
    assert ablage.dokumente(kunde.kundennummer) == []
    assert store_mit_kunde.akte_laden(kunde.kundennummer).historie == []


def test_abbrechen_hinterlaesst_weder_datei_noch_indexeintrag(store_mit_kunde: Store, kunde, plan):
    ablage = Ablage(store_mit_kunde)
    entwurf = fertig(ablage, kunde, plan)
    assert entwurf.pfad.is_file()
    ablage.verwerfen(entwurf)
    assert not entwurf.pfad.exists()
    assert list(entwurf.pfad.parent.glob("*.docx")) == []
    assert ablage.dokumente(kunde.kundennummer) == []
    assert store_mit_kunde.akte_laden(kunde.kundennummer).historie == []
    with pytest.raises(StoreFehler, match="nicht mehr vorhanden"):
        ablage.ablegen(entwurf, benutzer="ibeispiel", pdf=False)


def test_dokumente_neueste_zuerst(store_mit_kunde: Store, kunde, plan):
    ablage = Ablage(store_mit_kunde)
    namen = []
    for stunde in (9, 10, 11):
        ergebnis = ablage.ablegen(fertig(ablage, kunde, plan, jetzt=datetime(2026, 11, 25, stunde)), "ibeispiel",
                                  pdf=False)
        namen.append(ergebnis.docx.name)
    assert [e.datei for e in ablage.dokumente(kunde.kundennummer)] == namen[::-1]


def test_zwei_briefe_in_derselben_sekunde_ueberschreiben_sich_nicht(store_mit_kunde: Store, kunde, plan):
    ablage = Ablage(store_mit_kunde)
    jetzt = datetime(2026, 11, 25, 9, 30, 0)
    erster, zweiter = fertig(ablage, kunde, plan, jetzt), fertig(ablage, kunde, plan, jetzt)
    assert erster.pfad != zweiter.pfad and erster.pfad.is_file() and zweiter.pfad.is_file()
    assert zweiter.pfad.name == "2026-11-25_093000_kooperationsplan-2.docx"


def test_abgelegte_briefe_sind_privat(store_mit_kunde: Store, kunde, plan):
    ablage = Ablage(store_mit_kunde)
    ergebnis = ablage.ablegen(fertig(ablage, kunde, plan), "ibeispiel", pdf=False)
    assert modus(ergebnis.docx) == 0o600
    assert modus(ergebnis.docx.parent / "index.json") == 0o600
    assert modus(ergebnis.docx.parent) == 0o700
    assert modus(ablage.wurzel) == 0o700


def test_kundennummer_wird_nie_zum_pfad_ausserhalb_der_ablage(store: Store):
    with pytest.raises(StoreFehler):
        Ablage(store).ordner("../../etc")


def test_ohne_libreoffice_wird_das_einmal_gemeldet_und_abgelegt(store_mit_kunde: Store, kunde, plan, tmp_path,
                                                               monkeypatch):
    leer = tmp_path / "leerer-pfad"
    leer.mkdir()
    monkeypatch.setenv("PATH", str(leer))
    assert soffice_pfad() is None
    ablage = Ablage(store_mit_kunde)
    erstes = ablage.ablegen(fertig(ablage, kunde, plan), "ibeispiel")
    zweites = ablage.ablegen(fertig(ablage, kunde, plan), "ibeispiel")
    assert erstes.pdf is None and "nicht installiert" in erstes.pdf_hinweis
    assert zweites.pdf is None and zweites.pdf_hinweis is None
    assert [e.pdf for e in ablage.dokumente(kunde.kundennummer)] == ["", ""]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) ist nicht installiert")
def test_mit_libreoffice_liegt_ein_pdf_neben_dem_docx(store_mit_kunde: Store, kunde, plan):
    ablage = Ablage(store_mit_kunde)
    ergebnis = ablage.ablegen(fertig(ablage, kunde, plan), "ibeispiel")
    assert ergebnis.pdf_hinweis is None
    assert ergebnis.pdf == ergebnis.docx.with_suffix(".pdf")
    assert ergebnis.pdf.read_bytes().startswith(b"%PDF")
    assert modus(ergebnis.pdf) == 0o600
    [eintrag] = ablage.dokumente(kunde.kundennummer)
    assert ablage.pdf_pfad(kunde.kundennummer, eintrag) == ergebnis.pdf.resolve()
    if shutil.which("pdftotext"):
        import subprocess

        text = subprocess.run(["pdftotext", str(ergebnis.pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Musterfrau" in text and "Kooperationsplan" in text and "unbegrenzt" in text


def _falsches_soffice(ordner: Path, skript: str) -> None:
    ordner.mkdir()
    programm = ordner / "soffice"
    programm.write_text(f"#!/bin/sh\n{skript}\n")
    programm.chmod(0o700)


def test_pdf_umwandlung_hat_ein_zeitlimit(tmp_path, monkeypatch):
    _falsches_soffice(tmp_path / "bin", "sleep 30")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    docx = tmp_path / "brief.docx"
    docx.write_bytes(b"x")
    with pytest.raises(PdfFehler, match="nicht innerhalb von 0.5 s"):
        pdf_umwandeln(docx, tmp_path / "brief.pdf", zeitlimit=0.5)
    assert not (tmp_path / "brief.pdf").exists()


def test_pdf_umwandlung_prueft_dass_das_pdf_existiert(tmp_path, monkeypatch):
    _falsches_soffice(tmp_path / "bin", "echo 'Error: source file could not be loaded' >&2; exit 0")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    docx = tmp_path / "brief.docx"
    docx.write_bytes(b"x")
    with pytest.raises(PdfFehler, match="kein PDF erzeugt \\(Error: source file could not be loaded\\)"):
        pdf_umwandeln(docx, tmp_path / "brief.pdf")
