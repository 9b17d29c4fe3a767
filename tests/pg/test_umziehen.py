"""``kopl-tui umziehen`` and the support commands on a database: the real CLI as a subprocess,
a demo Jobcenter with a filed letter moved folder → PostgreSQL → folder and compared with what it
was, field by field."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from kopl_tui import demo
from kopl_tui.ablage import Ablage
from kopl_tui.pg_store import PgStore
from kopl_tui.store import Store
from tests.pg.test_datenbank_anlegen import kopl, ohne_traceback

HEUTE = date.today()
FAELLE = demo.demo_jobcenter(HEUTE)
BEWERBUNG = ["--ergaenzung", "bewerbungen_anzahl=4", "--ergaenzung", "bewerbungen_zeitraum=je Kalenderwoche",
             "--ergaenzung", "taetigkeit=Helfer/in im Lager & Versand"]
DEMOBERG = next(f.kunde.kundennummer for f in FAELLE if f.kunde.nachname == "Demoberg")


def ohne_pdf(tmp_path: Path) -> dict[str, str]:
    """PATH without LibreOffice: filing stores the .docx only (a PDF takes seconds)."""
    leer = tmp_path / "leer"
    leer.mkdir(exist_ok=True)
    return {"PATH": str(leer)}


@pytest.fixture
def ordner(tmp_path: Path) -> Path:
    """A demo data folder with one filed letter."""
    daten = tmp_path / "quelle"
    assert kopl("demo", "--data", str(daten)).returncode == 0
    abgelegt = kopl("brief", DEMOBERG, "aufforderung-bewerbung", "--data", str(daten), "--benutzer", "support1",
                    "--ablegen", *BEWERBUNG, umgebung=ohne_pdf(tmp_path))
    assert abgelegt.returncode == 0, abgelegt.stderr
    return daten


def bestand(store: Store | PgStore) -> dict:
    """Everything a data set holds, as comparable values (the saved state's version aside)."""
    ablage = Ablage(store)
    staende = {nr: store.akte_laden(nr) for nr in store.akten_nummern()}
    return {
        "kunden": [k.model_dump(mode="json") for k in store.kunden()],
        "akten": {nr: {"plaene": [p.model_dump(mode="json") for p in stand.plaene],
                       "historie": [e.model_dump(mode="json") for e in stand.historie],
                       "geaendert_von": stand.geaendert_von}
                  for nr, stand in staende.items()},
        "ablage": {k.kundennummer: [e.model_dump(mode="json") for e in ablage.dokumente(k.kundennummer)]
                   for k in store.kunden()},
    }


def pruefen_json(*argumente: str) -> list[dict]:
    ergebnis = kopl("pruefen", "--format", "json", *argumente)
    ohne_traceback(ergebnis)
    assert ergebnis.returncode in (0, 1), ergebnis.stderr
    return json.loads(ergebnis.stdout)["befunde"]


def test_ordner_nach_postgresql_und_zurueck_ist_derselbe_bestand(ordner: Path, pg_url: str, tmp_path: Path):
    dateien_pg, zurueck = tmp_path / "dateien-pg", tmp_path / "zurueck"
    hin = kopl("umziehen", "--von", str(ordner), "--nach", pg_url, "--dateien-nach", str(dateien_pg))
    ohne_traceback(hin)
    assert hin.returncode == 0, hin.stderr
    anzahl = len(FAELLE)
    akten = len(Store(ordner).akten_nummern())
    assert f"{anzahl} Kunden, {akten} Akten" in hin.stdout and "1 abgelegte Briefe, 1 Dateien" in hin.stdout
    assert "„pruefen“ findet auf beiden Seiten dieselben" in hin.stdout

    # the support commands work on the database as on the folder
    assert pruefen_json("--data", pg_url) == pruefen_json("--data", str(ordner))
    stichtag = ["--stichtag", HEUTE.strftime("%d.%m.%Y")]
    statistik_pg = kopl("statistik", "--data", pg_url, *stichtag)
    assert statistik_pg.returncode == 0, statistik_pg.stderr
    assert statistik_pg.stdout == kopl("statistik", "--data", str(ordner), *stichtag).stdout

    rueck = kopl("umziehen", "--von", pg_url, "--dateien-von", str(dateien_pg), "--nach", str(zurueck))
    assert rueck.returncode == 0, rueck.stderr

    quelle, pg, ziel = Store(ordner), PgStore(pg_url, dateien_pg), Store(zurueck)
    try:
        vorher = bestand(quelle)
        assert bestand(pg) == vorher
        assert bestand(ziel) == vorher
    finally:
        pg.schliessen()
    assert vorher["akten"][DEMOBERG]["historie"][-1]["aktion"].startswith("Brief abgelegt")
    eintrag = vorher["ablage"][DEMOBERG][0]
    for ort in (dateien_pg, zurueck):  # the letter's file went along, byte for byte
        assert (ort / "ablage" / DEMOBERG / eintrag["datei"]).read_bytes() == \
            (ordner / "ablage" / DEMOBERG / eintrag["datei"]).read_bytes()
    assert pruefen_json("--data", str(zurueck)) == pruefen_json("--data", str(ordner))


def test_ziel_mit_daten_nur_mit_ueberschreiben(ordner: Path, pg_url: str, tmp_path: Path):
    dateien = ["--dateien-nach", str(tmp_path / "dateien")]
    assert kopl("umziehen", "--von", str(ordner), "--nach", pg_url, *dateien).returncode == 0
    store = PgStore(pg_url)
    try:
        store.kunden_schreiben([store.kunden()[0].model_copy(update={"vorname": "Geändert"})])
        nochmal = kopl("umziehen", "--von", str(ordner), "--nach", pg_url, *dateien)
        ohne_traceback(nochmal)
        assert nochmal.returncode == 1
        assert "enthält schon Daten. Nichts wurde geschrieben; --ueberschreiben löscht sie vorher." in nochmal.stderr
        assert store.kunden()[0].vorname == "Geändert"
        ueber = kopl("umziehen", "--von", str(ordner), "--nach", pg_url, *dateien, "--ueberschreiben")
        assert ueber.returncode == 0, ueber.stderr
        assert store.kunden()[0].vorname == Store(ordner).kunden()[0].vorname
    finally:
        store.schliessen()


def test_unlesbare_akte_wird_nicht_umgezogen(ordner: Path, pg_url: str, tmp_path: Path):
    (ordner / "akten" / f"{DEMOBERG}.json").write_text("{kaputt", encoding="utf-8")
    ergebnis = kopl("umziehen", "--von", str(ordner), "--nach", pg_url, "--dateien-nach", str(tmp_path / "d"))
    ohne_traceback(ergebnis)
    assert ergebnis.returncode == 1
    assert f"1 Akte(n) in {ordner} sind unlesbar ({DEMOBERG})" in ergebnis.stderr and "Nichts wurde geschrieben" \
        in ergebnis.stderr
    store = PgStore(pg_url)
    try:
        assert store.ist_leer()
    finally:
        store.schliessen()


def test_gesperrte_akte_verhindert_den_umzug(ordner: Path, pg_url: str, tmp_path: Path):
    with Store(ordner).sperre_nehmen(DEMOBERG, "anna"):
        ergebnis = kopl("umziehen", "--von", str(ordner), "--nach", pg_url, "--dateien-nach", str(tmp_path / "d"))
    ohne_traceback(ergebnis)
    assert ergebnis.returncode == 1 and f"Die Akte {DEMOBERG} wird gerade bearbeitet (anna" in ergebnis.stderr


@pytest.mark.parametrize("befehl", [("demo",), ("pruefen",), ("statistik", "--stichtag", "01.01.2026"),
                                    ("import-kunden", "x.csv"), ("sperre-aufheben", "123D456789"), ()])
def test_adresse_mit_passwort_abgelehnt_ohne_es_zu_nennen(befehl: tuple[str, ...]):
    ergebnis = kopl(*befehl, "--data", "postgresql://kopl:geheim123@localhost/kopl")
    ohne_traceback(ergebnis)
    assert ergebnis.returncode == 2
    assert "Die Datenbank-Adresse enthält ein Passwort. Es darf dort nicht stehen" in ergebnis.stderr
    assert "geheim123" not in ergebnis.stderr + ergebnis.stdout


def test_schulung_nur_im_ordner(pg_url: str):
    ergebnis = kopl("schulung", "--teilnehmer", "2", "--data", pg_url)
    assert ergebnis.returncode == 2 and "Schulungsdaten liegen immer in einem Ordner" in ergebnis.stderr


def test_befehle_auf_der_datenbank(pg_url: str, tmp_path: Path):
    """demo, import-kunden, brief (filing into the Dateiordner), sperre-aufheben on a database."""
    dateien = ["--dateien", str(tmp_path / "dateien")]
    angelegt = kopl("demo", "--data", pg_url, *dateien)
    assert angelegt.returncode == 0 and f"Demo-Jobcenter mit {len(FAELLE)} Kunden in Datenbank „" in angelegt.stdout
    assert kopl("demo", "--data", pg_url, "--wenn-leer").returncode == 0
    csv = tmp_path / "neu.csv"
    csv.write_text("kundennummer;anrede;nachname;vorname;geburtsdatum;bg_nummer;ifk\n"
                   "987Z654321;Herr;Neumann;Nils;03.04.1990;12345//0009999;Ina Beispiel\n", encoding="utf-8")
    importiert = kopl("import-kunden", str(csv), "--data", pg_url)
    assert importiert.returncode == 0 and "1 Kunden importiert" in importiert.stdout, importiert.stderr
    abgelegt = kopl("brief", DEMOBERG, "aufforderung-bewerbung", "--data", pg_url, *dateien, "--benutzer", "s1",
                    "--ablegen", *BEWERBUNG, umgebung=ohne_pdf(tmp_path))
    assert abgelegt.returncode == 0, abgelegt.stderr
    store = PgStore(pg_url, tmp_path / "dateien")
    try:
        assert store.kunde("987Z654321").nachname == "Neumann"
        eintrag = store.ablage_dokumente(DEMOBERG)[0]
        assert (tmp_path / "dateien" / "ablage" / DEMOBERG / eintrag.datei).is_file()
        assert store.historie(DEMOBERG)[-1].aktion.startswith("Brief abgelegt")
        sperre = store.sperre_nehmen(DEMOBERG, "anna")
        aktiv = kopl("sperre-aufheben", DEMOBERG, "--data", pg_url, "--benutzer", "support1")
        assert aktiv.returncode == 1 and "anna" in aktiv.stderr, aktiv.stderr
        erzwungen = kopl("sperre-aufheben", DEMOBERG, "--data", pg_url, "--benutzer", "support1", "--erzwingen")
        assert erzwungen.returncode == 0 and "Sperre von anna" in erzwungen.stdout, erzwungen.stderr
        assert store.sperre_lesen(DEMOBERG) is None
        sperre.freigeben()
    finally:
        store.schliessen()
    beiseite = kopl("akte-beiseite", DEMOBERG, "--data", pg_url)
    assert beiseite.returncode == 1 and "akte-beiseite gilt nur für einen Datenordner" in beiseite.stderr


def test_datenbank_nicht_erreichbar_deutsch_exit_2(tmp_path: Path):
    url = f"postgresql://kopl@/kopl?host={tmp_path}"  # no server listens there
    for befehl in (("demo",), ("pruefen",), ("statistik", "--stichtag", "01.01.2026")):
        ergebnis = kopl(*befehl, "--data", url, "--dateien", str(tmp_path / "d"))
        ohne_traceback(ergebnis)
        assert ergebnis.returncode == 2 and "ist nicht erreichbar" in ergebnis.stderr, (befehl, ergebnis.stderr)
    assert not os.path.exists(tmp_path / "d" / "ablage")


def test_serve_gibt_jedem_tab_adresse_und_dateiordner(tmp_path: Path):
    """``kopl-tui serve --data postgresql://…``: each browser tab's app gets the database and its
    Dateiordner (never a password: the address has none)."""
    import shlex

    from kopl_tui.datenort import datenort
    from kopl_tui.serve import app_befehl

    url = "postgresql://kopl@db1.example.org:5432/kopl?sslmode=verify-full"
    teile = shlex.split(app_befehl(datenort(url, tmp_path / "dateien"), "anna"))
    assert teile[teile.index("--data") + 1] == url
    assert teile[teile.index("--dateien") + 1] == str((tmp_path / "dateien").resolve())
    assert teile[-2:] == ["--benutzer", "anna"]


def test_dateien_nur_mit_datenbank(tmp_path: Path):
    ergebnis = kopl("pruefen", "--data", str(tmp_path), "--dateien", str(tmp_path / "d"))
    assert ergebnis.returncode == 2 and "--dateien gilt nur mit einer Datenbank" in ergebnis.stderr
    rueck = kopl("umziehen", "--von", str(tmp_path / "a"), "--dateien-von", str(tmp_path / "d"), "--nach",
                 str(tmp_path / "b"))
    assert rueck.returncode == 2 and "--dateien gilt nur mit einer Datenbank" in rueck.stderr
