"""kopl_tui/drucken.py: lp (CUPS) with a stand-in ``lp`` on PATH that records what it was given."""

from __future__ import annotations

from pathlib import Path

import pytest

from kopl_tui.drucken import DruckFehler, drucken


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    datei = tmp_path / "brief.pdf"
    datei.write_bytes(b"%PDF-1.4\n")
    return datei


def lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, skript: str) -> Path:
    ordner = tmp_path / "bin"
    ordner.mkdir(exist_ok=True)
    programm = ordner / "lp"
    programm.write_text(f"#!/bin/sh\n{skript}\n")
    programm.chmod(0o755)
    monkeypatch.setenv("PATH", f"{ordner}:/usr/bin:/bin")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")  # lp answers in German then; we read its English (LC_ALL=C)
    return ordner


def test_lp_bekommt_drucker_und_pdf_und_meldet_die_auftragsnummer(tmp_path, monkeypatch, pdf):
    protokoll = tmp_path / "lp.txt"
    lp(tmp_path, monkeypatch, f'printf "%s\\n" "$@" "$LC_ALL" > {protokoll}\necho "request id is Q-1 (1 file(s))"')
    assert drucken(pdf, "Q", titel="Brief 4711") == "Q-1"
    assert protokoll.read_text().splitlines() == ["-d", "Q", "-t", "Brief 4711", str(pdf), "C"]
    assert drucken(pdf) == "Q-1"  # no printer named: CUPS' default
    assert protokoll.read_text().splitlines() == [str(pdf), "C"]


def test_lp_fehler_wird_gezeigt(tmp_path, monkeypatch, pdf):
    lp(tmp_path, monkeypatch, "echo 'lp: Error - The printer or class does not exist.' >&2; exit 1")
    with pytest.raises(DruckFehler, match="Drucken auf „Q“ fehlgeschlagen: lp: Error - The printer or class does not "
                                          "exist."):
        drucken(pdf, "Q")
    lp(tmp_path, monkeypatch, "echo 'lp: Error - no default destination available.' >&2; exit 1")
    with pytest.raises(DruckFehler, match="auf den Standarddrucker fehlgeschlagen: lp: Error - no default destination"):
        drucken(pdf)


def test_haengendes_lp_wird_nach_dem_zeitlimit_gemeldet(tmp_path, monkeypatch, pdf):
    lp(tmp_path, monkeypatch, "sleep 30")
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


@pytest.mark.parametrize("name", ["-o evil", "zwei Worte", "a/b", "#1", ""])
def test_ungueltiger_druckername_wird_nicht_an_lp_gegeben(tmp_path, monkeypatch, pdf, name):
    protokoll = tmp_path / "lp.txt"
    lp(tmp_path, monkeypatch, f"touch {protokoll}")
    with pytest.raises(DruckFehler, match="kein gültiger Druckername"):
        drucken(pdf, name)
    assert not protokoll.exists()
