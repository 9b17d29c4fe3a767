"""CSV injection: no cell of a CSV the app writes is taken for a formula by a spreadsheet (OWASP:
cells starting with =, +, -, @, tab or CR get a leading apostrophe)."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kopl_tui import csv_ausgabe
from kopl_tui.model import Anrede, Kooperationsplan, Kunde, Status
from kopl_tui.store import AtomicJSONStorage, Store

STICHTAG = "25.11.2026"
ANGRIFFE = {  # Kundennummer → Nachname as an attacker would import it
    "400D000001": '=HYPERLINK("http://x")',
    "400D000002": "@SUM(1+1)",
    "400D000003": "+49 170 1234567",
    "400D000004": "-2+3",
    "400D000005": "Harmlos=Name",
}
VON_HAND = {"400D000006": "\tcmd|' /C calc'!A0", "400D000007": "\r=1+1",  # kunden.json edited by hand
            "400D000008": "Mitten\r=1+1"}  # a bare CR would start a new row (and cell) in a spreadsheet


@pytest.fixture
def bestand(tmp_path: Path) -> Store:
    store = Store(tmp_path / "daten")
    kunden = [Kunde(kundennummer=nr, anrede=Anrede.FRAU, nachname=name, vorname="Eva", geburtsdatum="01.02.1980",
                    bg_nummer="12345//0001234") for nr, name in ANGRIFFE.items()]
    store.kunden_schreiben(kunden)
    roh = AtomicJSONStorage(store.kunden_datei).read()
    for nummer, (nr, name) in enumerate(VON_HAND.items(), start=100):  # past the model, as a hand edit would
        roh["kunden"][str(nummer)] = {**roh["kunden"]["1"], "kundennummer": nr, "nachname": name}
    AtomicJSONStorage(store.kunden_datei).write(roh)
    for nr in [*ANGRIFFE, *VON_HAND]:  # review overdue on the Stichtag: one finding each
        plan = Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2026, 3, 1), ziel="x")
        store.akte_speichern(nr, [plan], 0, "test")
    return store


def programm(*argumente: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kopl_tui", *argumente], capture_output=True, text=True,
                          encoding="utf-8", check=False, env={**os.environ, "LC_ALL": "C"})


def test_pruefen_csv_neutralisiert_formeln_in_namen(bestand, tmp_path):
    """As support does it: `pruefen --format csv > befunde.csv`, then open it in a spreadsheet."""
    datei = tmp_path / "befunde.csv"
    with datei.open("w", encoding="utf-8") as ausgabe:
        lauf = subprocess.run([sys.executable, "-m", "kopl_tui", "pruefen", "--data", str(bestand.data_dir),
                               "--stichtag", STICHTAG, "--format", "csv"], stdout=ausgabe, stderr=subprocess.PIPE,
                              text=True, check=False)
    assert lauf.returncode == 1, lauf.stderr
    with datei.open(encoding="utf-8", newline="") as eingabe:
        zeilen = {z["kundennummer"]: z for z in csv.DictReader(eingabe, delimiter=";")}
    assert zeilen["400D000001"]["name"] == "'=HYPERLINK(\"http://x\"), Eva"
    assert zeilen["400D000002"]["name"] == "'@SUM(1+1), Eva"
    assert zeilen["400D000003"]["name"] == "'+49 170 1234567, Eva"
    assert zeilen["400D000004"]["name"] == "'-2+3, Eva"
    assert zeilen["400D000005"]["name"] == "Harmlos=Name, Eva"  # only the first character counts
    assert zeilen["400D000006"]["name"] == "'\tcmd|' /C calc'!A0, Eva"
    assert zeilen["400D000007"]["name"] == "'\r=1+1, Eva"
    assert zeilen["400D000008"]["name"] == "Mitten\r=1+1, Eva"
    assert len(zeilen) == len(ANGRIFFE) + len(VON_HAND)  # no row was split
    for zeile in zeilen.values():  # no cell at all starts like a formula
        assert not any(wert.startswith(csv_ausgabe.FORMEL_ANFAENGE) for wert in zeile.values()), zeile


def test_statistik_csv_ueber_denselben_schreiber(bestand):
    lauf = programm("statistik", "--data", str(bestand.data_dir), "--stichtag", STICHTAG)
    assert lauf.returncode == 0, lauf.stderr
    zeilen = list(csv.reader(io.StringIO(lauf.stdout), delimiter=";"))
    assert len(zeilen) == 1 + len(ANGRIFFE) + len(VON_HAND)
    assert all(not wert.startswith(csv_ausgabe.FORMEL_ANFAENGE) for zeile in zeilen for wert in zeile)


@pytest.mark.parametrize("wert, erwartet", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Meier", "Meier"), ("", ""), (None, ""), ("a=b", "a=b"), (" =1", " =1"), ("'=1", "'=1"),
])
def test_zelle(wert, erwartet):
    assert csv_ausgabe.zelle(wert) == erwartet


def test_jede_csv_der_app_geht_durch_den_einen_schreiber():
    """One function neutralises every export: no other module builds its own csv.writer."""
    wurzel = Path(csv_ausgabe.__file__).parent.parent
    eigene = [p for ordner in ("kopl_tui", "screens") for p in (wurzel / ordner).glob("*.py")]
    schreiber = [p.name for p in eigene if re.search(r"csv\.(writer|DictWriter)\(", p.read_text(encoding="utf-8"))]
    assert schreiber == ["csv_ausgabe.py"]
