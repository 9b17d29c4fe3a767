"""`kopl-tui brief`: the real console script of the worktree's venv as a subprocess, on a demo data folder
made for today (the letter is dated today, like in the app)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document

from kopl_tui import briefe, demo
from kopl_tui.ablage import Ablage
from kopl_tui.datum import format_datum
from kopl_tui.store import Store
from tests.test_briefe import ERGAENZT, text_von

KOPL_TUI = Path(sys.executable).with_name("kopl-tui")
HEUTE = date.today()
FAELLE = {fall.kunde.nachname: fall for fall in reversed(demo.demo_jobcenter(HEUTE))}
BEWERBUNG = ["--ergaenzung", "bewerbungen_anzahl=4", "--ergaenzung", "bewerbungen_zeitraum=je Kalenderwoche",
             "--ergaenzung", "taetigkeit=Helfer/in im Lager & Versand"]


@pytest.fixture(scope="module")
def vorlage_daten(tmp_path_factory) -> Path:
    ordner = tmp_path_factory.mktemp("brief") / "demo"
    demo.schreiben(Store(ordner), demo.demo_jobcenter(HEUTE))
    return ordner


@pytest.fixture
def daten(vorlage_daten: Path, tmp_path: Path) -> Path:
    """A fresh copy per test: filing changes the folder."""
    ziel = tmp_path / "daten"
    shutil.copytree(vorlage_daten, ziel)
    return ziel


@pytest.fixture
def ohne_soffice(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH has neither LibreOffice nor lp (the console script finds its Python by path)."""
    leer = tmp_path / "leer"
    leer.mkdir()
    return {**os.environ, "PATH": str(leer)}


def brief(daten: Path, nachname: str, vorlage: str, *args: str, env: dict[str, str] | None = None,
          ) -> subprocess.CompletedProcess[str]:
    assert KOPL_TUI.is_file(), f"{KOPL_TUI} fehlt: make test legt die venv an"
    befehl = [str(KOPL_TUI), "brief", FAELLE[nachname].kunde.kundennummer, vorlage, "--data", str(daten),
              "--benutzer", "support1", *args]
    return subprocess.run(befehl, capture_output=True, text=True, timeout=120, env=env)


def plaene(daten: Path, nachname: str):
    """The customer's plans as stored (their ids are made when the folder is written), oldest first."""
    return sorted(Store(daten).akte_laden(FAELLE[nachname].kunde.kundennummer).plaene,
                  key=lambda p: (p.gueltig_ab or p.tag_der_aufforderung))


def ablage_leer(daten: Path) -> bool:
    return not any((daten / "ablage").rglob("*")) if (daten / "ablage").exists() else True


def test_brief_ohne_ausgabe_zeigt_den_brieftext(daten: Path):
    ergebnis = brief(daten, "Demoberg", "aufforderung-bewerbung", *BEWERBUNG)
    assert ergebnis.returncode == 0, ergebnis.stderr
    text = ergebnis.stdout
    assert text.startswith("Jobcenter Landkreis Göttingen (Demo)")
    fall = FAELLE["Demoberg"]
    assert (f"Bewerben Sie sich in der Zeit vom {format_datum(HEUTE)} bis zum "
            f"{format_datum(fall.plaene[-1].frist_zur_erledigung)} auf mindestens 4 Stellen je Kalenderwoche als "
            "Helfer/in im Lager & Versand.") in text
    assert "Rechtsbehelfsbelehrung" in text and briefe.luecken(text) == []
    assert f"Plan {plaene(daten, 'Demoberg')[-1].id}: Status „nur Aufforderung“" in ergebnis.stderr
    assert ablage_leer(daten)


def test_brief_fehlende_ergaenzung_exit_1_mit_jedem_grund(daten: Path):
    ergebnis = brief(daten, "Demoberg", "aufforderung-bewerbung", "--ergaenzung", "bewerbungen_anzahl=4")
    assert ergebnis.returncode == 1 and ergebnis.stdout == ""
    assert "  ✗ Im Brief steht noch „[bitte ergänzen: Anzahl gilt]“." in ergebnis.stderr
    assert "  ✗ Im Brief steht noch „[bitte ergänzen: Tätigkeit oder Stellenbereich]“." in ergebnis.stderr
    assert "Anzahl der Bewerbungen" not in ergebnis.stderr
    assert "Fehlende Ergänzungen: --ergaenzung bewerbungen_zeitraum=… --ergaenzung taetigkeit=…" in ergebnis.stderr
    assert ablage_leer(daten)


@pytest.mark.parametrize(("args", "meldung"), [
    (("gibt-es-nicht",), "Eine Vorlage „gibt-es-nicht“ gibt es nicht. Vorlagen (Name, Titel) und ihre Ergänzungen:"),
    (("aufforderung-bewerbung", "--ergaenzung", "gehalt=3000"),
     "Die Vorlage „§15 SGB II Aufforderung ohne Kooperationsplan (Bewerbung)“ kennt keine Ergänzung „gehalt“"),
    (("aufforderung-bewerbung", "--ergaenzung", "bewerbungen_anzahl=vier"),
     "„Anzahl der Bewerbungen (mindestens)“: bitte eine ganze Zahl angeben, nicht „vier“."),
    (("aufforderung-bewerbung", "--ergaenzung", "bewerbungen_zeitraum=täglich"),
     "„Anzahl gilt“: bitte eine der Möglichkeiten „je Kalenderwoche“, „je Kalendermonat“, „insgesamt“ wählen."),
    (("aufforderung-jobfabrik", "--ergaenzung", "beginn=31.11.2030"), "„Beginn“: Den 31.11.2030 gibt es nicht"),
    (("aufforderung-bewerbung", "--ergaenzung", "bewerbungen_anzahl"), "bitte als NAME=WERT angeben"),
    (("aufforderung-bewerbung", "--plan", "ffff"), "--plan „ffff“ passt auf keinen Plan"),
])
def test_brief_aufruffehler_exit_2_mit_deutscher_meldung(daten: Path, args, meldung):
    ergebnis = brief(daten, "Demoberg", *args)
    assert ergebnis.returncode == 2, ergebnis.stderr
    assert meldung in ergebnis.stderr and "Traceback" not in ergebnis.stderr
    assert ablage_leer(daten)


def test_brief_unbekannter_kunde_exit_2(daten: Path):
    ergebnis = subprocess.run([str(KOPL_TUI), "brief", "999Z999999", "kooperationsplan", "--data", str(daten)],
                              capture_output=True, text=True, timeout=60)
    assert ergebnis.returncode == 2
    assert "Einen Kunden mit der Kundennummer „999Z999999“ gibt es in" in ergebnis.stderr


@pytest.mark.parametrize(("nachname", "vorlage", "args", "gruende"), [
    ("Modell", "kooperationsplan-aufforderung-mit-rechtsfolgen", ("--ergaenzung", "schritt=Bewerben"), [
        "setzt einen gemeinsam vereinbarten Kooperationsplan voraus (Status „Einverständnis“); dieser Plan hat den "
        "Status „in Bearbeitung“", "„Meine nächsten Schritte“ ist leer"]),
    ("Probe", "Kooperationsplan", (), ["Bei Status „kein Einverständnis“ gibt es keinen gemeinsamen Kooperationsplan"]),
    ("Erfunden", "kooperationsplan-aufforderung-ohne-rechtsfolgen", (),
     ["Bei Status „nur Aufforderung“ gibt es keinen Kooperationsplan"]),
    ("Ausgedacht", "aufforderung-jobfabrik", ("--ergaenzung", "ort=Werkhof", "--ergaenzung", "ansprechperson=Herr Muster",
                                              "--ergaenzung", f"beginn={format_datum(HEUTE - timedelta(days=1))}"), [
        f"„Frist zur Erledigung“ ({format_datum(HEUTE - timedelta(days=9))}) liegt vor dem Datum des Schreibens "
        f"({format_datum(HEUTE)})",
        f"„Beginn“ ({format_datum(HEUTE - timedelta(days=1))}) liegt vor dem Datum des Schreibens"]),
])
def test_brief_falsche_briefe_exit_1_mit_jedem_grund(daten: Path, nachname, vorlage, args, gruende):
    ergebnis = brief(daten, nachname, vorlage, *args, "--ablegen")
    assert ergebnis.returncode == 1, ergebnis.stdout
    for grund in gruende:
        assert grund in ergebnis.stderr
    assert ablage_leer(daten) and ergebnis.stdout == ""


def test_brief_warnt_bei_verstrichener_ueberpruefung(daten: Path):
    ergebnis = brief(daten, "Fiktiv", "kooperationsplan", "--ergaenzung", "unterstuetzung_ergaenzung=ein Training.")
    assert ergebnis.returncode == 0
    assert "Warnung: Die Überprüfung dieses Kooperationsplans war spätestens am" in ergebnis.stderr
    assert "durch ein Training." in ergebnis.stdout


def test_brief_ablegen_und_ausgabe_wie_der_assistent(daten: Path, tmp_path: Path, ohne_soffice):
    """The same archive entry (Ergänzungen included) and history line as the assistant's Ablegen; the
    .docx of --ausgabe is the filed letter."""
    ausgabe = tmp_path / "brief.docx"
    ergebnis = brief(daten, "Demoberg", "aufforderung-bewerbung", *BEWERBUNG, "--ablegen", "--ausgabe", str(ausgabe),
                     env=ohne_soffice)
    assert ergebnis.returncode == 0, ergebnis.stderr
    assert "LibreOffice (soffice) ist nicht installiert" in ergebnis.stderr
    fall = FAELLE["Demoberg"]
    nummer = fall.kunde.kundennummer
    [eintrag] = Ablage(Store(daten)).dokumente(nummer)
    assert (eintrag.vorlage, eintrag.titel, eintrag.plan_id, eintrag.datum, eintrag.benutzer, eintrag.pdf) == (
        "aufforderung-bewerbung.docx", "§15 SGB II Aufforderung ohne Kooperationsplan (Bewerbung)",
        plaene(daten, "Demoberg")[-1].id,
        HEUTE, "support1", "")
    assert [(e.name, e.wert) for e in eintrag.ergaenzungen] == [
        ("bewerbungen_anzahl", "4"), ("bewerbungen_zeitraum", "je Kalenderwoche"),
        ("taetigkeit", "Helfer/in im Lager & Versand")]
    abgelegt = daten / "ablage" / nummer / eintrag.datei
    assert f"Abgelegt: {abgelegt}" in ergebnis.stdout and f"Word-Dokument geschrieben: {ausgabe}" in ergebnis.stdout
    assert abgelegt.read_bytes() == ausgabe.read_bytes()
    text = text_von(ausgabe.read_bytes())
    assert "auf mindestens 4 Stellen je Kalenderwoche als Helfer/in im Lager & Versand" in text
    assert briefe.luecken(text) == []
    historie = [json.loads(z) for z in (daten / "akten" / f"{nummer}.historie.jsonl").read_text().splitlines()]
    assert historie[-1]["aktion"] == "Brief abgelegt: §15 SGB II Aufforderung ohne Kooperationsplan (Bewerbung)"
    assert (historie[-1]["benutzer"], historie[-1]["neu"]) == ("support1", {"datei": eintrag.datei})


def test_brief_vorlage_auch_per_titel_und_plan_per_kennungsanfang(daten: Path, tmp_path: Path, ohne_soffice):
    alt, aktuell = plaene(daten, "Mustermann")  # two plans: the older, ended one is chosen by --plan
    ausgabe = tmp_path / "alt.docx"
    ergebnis = brief(daten, "Mustermann", "Kooperationsplan", "--plan", alt.id[:8], "--ausgabe", str(ausgabe),
                     "--ergaenzung", f"unterstuetzung_ergaenzung={ERGAENZT['unterstuetzung_ergaenzung']}",
                     env=ohne_soffice)
    assert ergebnis.returncode == 0, ergebnis.stderr
    assert f"Gültig ab: {format_datum(alt.gueltig_ab)}" in text_von(ausgabe.read_bytes())
    # Without --plan a plan letter takes the current plan.
    ergebnis = brief(daten, "Mustermann", "kooperationsplan", "--ergaenzung", "unterstuetzung_ergaenzung=Training.",
                     env=ohne_soffice)
    assert f"Gültig ab: {format_datum(aktuell.gueltig_ab)}" in ergebnis.stdout


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) ist nicht installiert")
def test_brief_drucken_gibt_das_pdf_an_lp(daten: Path, tmp_path: Path):
    """A stand-in lp on PATH records its arguments and the file it got; the PDF comes from LibreOffice."""
    bin_ordner = tmp_path / "bin"
    bin_ordner.mkdir()
    protokoll = tmp_path / "lp.txt"
    lp = bin_ordner / "lp"
    lp.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" "LC_ALL=$LC_ALL" > {protokoll}\n'
                  f'for a; do :; done; head -c 4 "$a" >> {protokoll}\n'
                  'echo "request id is KoplPDF-17 (1 file(s))"\n')
    lp.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_ordner}:{os.environ['PATH']}"}
    ergebnis = brief(daten, "Demoberg", "aufforderung-bewerbung", *BEWERBUNG, "--drucken", "KoplPDF", env=env)
    assert ergebnis.returncode == 0, ergebnis.stderr
    assert "Gedruckt: Auftrag KoplPDF-17 an KoplPDF." in ergebnis.stdout
    zeilen = protokoll.read_text().splitlines()
    assert zeilen[:2] == ["-d", "KoplPDF"] and zeilen[-2] == "LC_ALL=C" and zeilen[-1] == "%PDF"
    assert zeilen[-3].endswith(".pdf") and not Path(zeilen[-3]).exists()  # a temp PDF, removed after printing
    assert ablage_leer(daten)

    lp.write_text("#!/bin/sh\necho 'lp: Error - The printer or class does not exist.' >&2\nexit 1\n")
    ergebnis = brief(daten, "Demoberg", "aufforderung-bewerbung", *BEWERBUNG, "--drucken", "Fehlt", env=env)
    assert ergebnis.returncode == 1
    assert ("Nicht gedruckt: Drucken auf „Fehlt“ fehlgeschlagen: lp: Error - The printer or class does not exist."
            in ergebnis.stderr)


def lp_auf_path(tmp_path: Path, skript: str) -> dict[str, str]:
    """An environment with a stand-in lp first on PATH."""
    bin_ordner = tmp_path / "bin"
    bin_ordner.mkdir(exist_ok=True)
    lp = bin_ordner / "lp"
    lp.write_text(f"#!/bin/sh\n{skript}\n")
    lp.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_ordner}:{os.environ['PATH']}"}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) ist nicht installiert")
def test_brief_drucken_ohne_namen_nimmt_den_drucker_der_ifk_und_vermerkt_ihn(daten: Path, tmp_path: Path):
    """The same resolution as the app: the IFK's printer from briefkopf.toml over the default; filed and
    printed, both in the history."""
    ifk = FAELLE["Demoberg"].kunde.ifk
    (daten / "briefkopf.toml").write_text(f'[jobcenter]\ndrucker = "Standard"\n\n[ifk."{ifk}"]\n'
                                          'drucker = "IFK-Drucker"\n', encoding="utf-8")
    protokoll = tmp_path / "lp.txt"
    env = lp_auf_path(tmp_path, f'printf "%s\\n" "$@" > {protokoll}\necho "request id is IFK-Drucker-3 (1 file(s))"')
    ergebnis = brief(daten, "Demoberg", "aufforderung-bewerbung", *BEWERBUNG, "--ablegen", "--drucken", env=env)
    assert ergebnis.returncode == 0, ergebnis.stderr
    assert "Gedruckt: Auftrag IFK-Drucker-3 an IFK-Drucker." in ergebnis.stdout
    nummer = FAELLE["Demoberg"].kunde.kundennummer
    [eintrag] = Ablage(Store(daten)).dokumente(nummer)
    zeilen = protokoll.read_text().splitlines()
    assert zeilen[:2] == ["-d", "IFK-Drucker"] and zeilen[-1] == str(daten / "ablage" / nummer / eintrag.pdf)
    aktionen = [h.aktion for h in Store(daten).historie(nummer)][-2:]
    assert aktionen == [f"Brief abgelegt: {eintrag.titel}",
                        f"Brief gedruckt: {eintrag.titel} (Drucker IFK-Drucker, Auftrag IFK-Drucker-3)"]


def test_brief_drucken_ohne_drucker_oder_lp_legt_nichts_ab(daten: Path, tmp_path: Path):
    """No printer configured, lp missing or LibreOffice missing: refused before anything is filed, with what to do."""
    env = lp_auf_path(tmp_path, 'echo "request id is Q-1 (1 file(s))"')
    ergebnis = brief(daten, "Demoberg", "aufforderung-bewerbung", *BEWERBUNG, "--ablegen", "--drucken", env=env)
    assert ergebnis.returncode == 1
    assert f"Nicht gedruckt: Kein Drucker eingerichtet. Bitte in {daten / 'briefkopf.toml'} eintragen" in ergebnis.stderr
    assert 'drucker = "NAME"' in ergebnis.stderr
    (daten / "briefkopf.toml").write_text('[jobcenter]\ndrucker = "Q"\n', encoding="utf-8")
    leer = tmp_path / "leer"
    leer.mkdir()
    ergebnis = brief(daten, "Demoberg", "aufforderung-bewerbung", *BEWERBUNG, "--ablegen", "--drucken",
                     env={**os.environ, "PATH": str(leer)})
    assert ergebnis.returncode == 1 and "Nicht gedruckt: Das Druckprogramm lp (CUPS) ist" in ergebnis.stderr
    ohne_soffice = {**os.environ, "PATH": str(tmp_path / "bin")}  # the stand-in lp only
    ergebnis = brief(daten, "Demoberg", "aufforderung-bewerbung", *BEWERBUNG, "--ablegen", "--drucken",
                     env=ohne_soffice)
    assert ergebnis.returncode == 1 and "LibreOffice (soffice) ist nicht installiert, und lp druckt nur das PDF" \
        in ergebnis.stderr
    assert ablage_leer(daten)
    assert not any(h.aktion.startswith("Brief") for h in Store(daten).historie(FAELLE["Demoberg"].kunde.kundennummer))


def test_docx_der_ausgabe_ist_ein_gueltiges_word_dokument(daten: Path, tmp_path: Path, ohne_soffice):
    ausgabe = tmp_path / "b.docx"
    assert brief(daten, "Probe", "schlichtungsverfahren-merkblatt", "--ausgabe", str(ausgabe),
                 env=ohne_soffice).returncode == 0
    assert "Schlichtungsverfahren" in "\n".join(p.text for p in Document(io.BytesIO(ausgabe.read_bytes())).paragraphs)
