"""`kopl-tui pruefen` and the Prüfliste API: exactly the seeded breaches, read-only, defects reported."""

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kopl_tui.cli import main
from kopl_tui.demo import demo_jobcenter, schreiben, zufalls_faelle
from kopl_tui.model import Anrede, JaNein, Kooperationsplan, Kunde, Status
from kopl_tui.pruefung import REGELN, akte_pruefen, pruefliste
from kopl_tui.store import Store

STICHTAG = date(2026, 11, 25)


def kunde(nr: str, nachname: str = "Seedfall") -> Kunde:
    return Kunde(kundennummer=nr, anrede=Anrede.FRAU, nachname=nachname, vorname="Eva",
                 geburtsdatum="01.02.1980", bg_nummer="12345//0001234")


def plan(**werte) -> Kooperationsplan:
    werte.setdefault("status", Status.EINVERSTAENDNIS)
    return Kooperationsplan(**werte)


def sauberer_bestand(ziel: Path) -> Store:
    """Ordinary generated customers: nothing for `pruefen` to find."""
    store = Store(ziel)
    schreiben(store, zufalls_faelle(40, 90, STICHTAG, seed=3, start_nr=100))
    return store


def einstreuen(store: Store) -> None:
    """One customer per rule, plus the boundary cases that must not be found."""
    seeds = {
        "200D000001": [plan(gueltig_ab=date(2026, 1, 1), ueberprueft_am=date(2026, 10, 1)),
                       plan(gueltig_ab=date(2026, 6, 1), ueberprueft_am=date(2026, 10, 1))],
        "200D000002": [plan(gueltig_ab=date(2026, 10, 1), gueltig_bis=date(2026, 9, 30))],
        "200D000003": [plan(gueltig_ab=date(2026, 10, 1), tag_der_aufforderung=date(2026, 11, 10),
                            frist_zur_erledigung=date(2026, 11, 1))],
        "200D000004": [plan(status=Status.KEIN_EINVERSTAENDNIS, gueltig_ab=date(2026, 10, 1),
                            schlichtung_notwendig=JaNein.JA, schlichtung_beginn=date(2026, 10, 27))],
        "200D000005": [plan(gueltig_ab=date(2026, 3, 1))],
        "200D000006": [plan(status=Status.NUR_AUFFORDERUNG, gueltig_ab=date(2026, 11, 2), gueltig_bis=None,
                            tag_der_aufforderung=date(2026, 11, 2), frist_zur_erledigung=date(2026, 11, 20))],
        "200D000009": [plan(status=None, gueltig_ab=date(2026, 10, 1))],  # migrated (guide §2)
        # boundaries: four weeks exactly (max. Ende = Stichtag) and review due on the Stichtag are fine
        "200D000011": [plan(status=Status.KEIN_EINVERSTAENDNIS, gueltig_ab=date(2026, 10, 1),
                            schlichtung_notwendig=JaNein.JA, schlichtung_beginn=date(2026, 10, 28))],
        "200D000012": [plan(gueltig_ab=date(2026, 5, 25))],
        # an ended old plan beside the unbegrenzt one is no BA breach; a finished Schlichtung is fine
        "200D000013": [plan(gueltig_ab=date(2025, 1, 1), gueltig_bis=date(2026, 5, 31)),
                       plan(status=Status.KEIN_EINVERSTAENDNIS, gueltig_ab=date(2026, 6, 1),
                            ueberprueft_am=date(2026, 11, 1), schlichtung_notwendig=JaNein.JA,
                            schlichtung_beginn=date(2026, 6, 1), schlichtung_ergebnis=date(2026, 6, 20),
                            einigung_erfolgt=JaNein.JA)],
    }
    store.kunden_schreiben([kunde(nr) for nr in [*seeds, "200D000007"]])
    for nr, plaene in seeds.items():
        store.akte_speichern(nr, plaene, 0, "seed")
    store.akte_pfad("200D000007").write_bytes(b'{"plaene": {"1": {"id": "x", ')  # cut off mid-write
    Store(store.data_dir).akte_speichern("200D000008", [plan(gueltig_ab=date(2026, 11, 1))], 0, "seed")


ERWARTET = {
    ("200D000001", "ba_statistik_regel"),
    ("200D000002", "gueltig_bis_nicht_vor_ab"),
    ("200D000003", "frist_nach_tag"),
    ("200D000004", "schlichtung_ohne_ergebnis"),
    ("200D000005", "ueberpruefung_ueberfaellig"),
    ("200D000006", "nur_aufforderung_sperrt_gueltigkeit"),
    ("200D000007", "datei_unlesbar"),
    ("200D000008", "akte_ohne_kunde"),
    ("200D000009", "plan_ohne_status"),
}


@pytest.fixture
def bestand(tmp_path) -> Store:
    store = sauberer_bestand(tmp_path / "daten")
    einstreuen(store)
    return store


def pruefen_json(data_dir: Path, capsys) -> tuple[int, dict]:
    code = main(["pruefen", "--data", str(data_dir), "--stichtag", "25.11.2026", "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_pruefen_findet_genau_die_eingestreuten_verstoesse(bestand, capsys):
    code, bericht = pruefen_json(bestand.data_dir, capsys)
    assert code == 1
    assert {(b["kundennummer"], b["regel"]) for b in bericht["befunde"]} == ERWARTET
    assert bericht["stichtag"] == "2026-11-25" and bericht["anzahl"] == len(bericht["befunde"])
    assert {b["regel"] for b in bericht["befunde"]} <= REGELN.keys()


def test_ba_regel_nennt_den_aelteren_plan_und_den_vortag(bestand):
    (befund,) = [b for b in pruefliste(bestand.data_dir, STICHTAG) if b.regel == "ba_statistik_regel"]
    aelterer = next(p for p in bestand.akte_laden("200D000001").plaene if p.gueltig_ab == date(2026, 1, 1))
    assert (befund.plan_id, befund.gueltig_ab, befund.name) == (aelterer.id, date(2026, 1, 1), "Seedfall, Eva")
    assert "31.05.2026" in befund.meldung


def test_pruefen_ohne_befunde_exit_0(tmp_path, capsys):
    store = sauberer_bestand(tmp_path / "daten")
    assert main(["pruefen", "--data", str(store.data_dir), "--stichtag", "25.11.2026"]) == 0
    assert capsys.readouterr().out == "Keine Befunde (Stichtag 25.11.2026).\n"
    code, bericht = pruefen_json(store.data_dir, capsys)
    assert (code, bericht["befunde"]) == (0, [])


def test_pruefen_csv_und_json_enthalten_dieselben_befunde(bestand, capsys):
    _, bericht = pruefen_json(bestand.data_dir, capsys)
    assert main(["pruefen", "--data", str(bestand.data_dir), "--stichtag", "25.11.2026", "--format", "csv"]) == 1
    zeilen = list(csv.DictReader(io.StringIO(capsys.readouterr().out), delimiter=";"))
    assert [(z["kundennummer"], z["plan_id"], z["regel"], z["meldung"]) for z in zeilen] == [
        (b["kundennummer"], b["plan_id"], b["regel"], b["meldung"]) for b in bericht["befunde"]]
    ab = {z["kundennummer"]: z["gueltig_ab"] for z in zeilen if z["regel"] == "gueltig_bis_nicht_vor_ab"}
    assert ab == {"200D000002": "01.10.2026"}
    assert {b["kundennummer"]: b["gueltig_ab"] for b in bericht["befunde"]
            if b["regel"] == "gueltig_bis_nicht_vor_ab"} == {"200D000002": "2026-10-01"}


def test_textausgabe_gruppiert_nach_kunde_mit_zusammenfassung(bestand, capsys):
    main(["pruefen", "--data", str(bestand.data_dir), "--stichtag", "25.11.2026"])
    text = capsys.readouterr().out
    assert "200D000002  Seedfall, Eva\n  Plan ab 01.10.2026: „gültig bis“ (30.09.2026) liegt vor" in text
    assert text.endswith(f"{len(ERWARTET)} Befunde bei {len(ERWARTET)} Akten (Stichtag 25.11.2026).\n")


def schnappschuss(ordner: Path) -> dict[str, tuple[bytes, int, int]]:
    return {str(p.relative_to(ordner)): (p.read_bytes() if p.is_file() else b"", p.stat().st_mode, p.stat().st_mtime_ns)
            for p in sorted(ordner.rglob("*"))}


def test_pruefen_und_statistik_aendern_nichts(bestand, capsys):
    vorher = schnappschuss(bestand.data_dir)
    main(["pruefen", "--data", str(bestand.data_dir)])
    main(["statistik", "--data", str(bestand.data_dir), "--stichtag", "25.11.2026"])
    capsys.readouterr()
    assert schnappschuss(bestand.data_dir) == vorher


def test_datei_unlesbar_akte_wird_gemeldet_und_der_rest_geprueft(bestand):
    befunde = pruefliste(bestand.data_dir, STICHTAG)
    (defekt,) = [b for b in befunde if b.regel == "datei_unlesbar"]
    assert defekt.kundennummer == "200D000007" and "kein gültiges JSON" in defekt.meldung
    assert any(b.kundennummer == "200D000008" for b in befunde)  # sorted after the defect: still checked


def test_datei_unlesbar_kundenindex_wird_gemeldet_und_die_akten_geprueft(bestand):
    bestand.kunden_datei.write_text("", encoding="utf-8")
    befunde = pruefliste(bestand.data_dir, STICHTAG)
    assert befunde[0].regel == "datei_unlesbar" and befunde[0].kundennummer == ""
    assert "leer" in befunde[0].meldung
    assert ("200D000005", "ueberpruefung_ueberfaellig") in {(b.kundennummer, b.regel) for b in befunde}


def test_ungueltige_planwerte_sind_ein_befund_mit_dem_feld(bestand):
    pfad = bestand.akte_pfad("200D000005")
    daten = json.loads(pfad.read_text(encoding="utf-8"))
    daten["plaene"]["1"]["gueltig_ab"] = "2026-02-31"
    pfad.write_text(json.dumps(daten), encoding="utf-8")
    (befund,) = [b for b in pruefliste(bestand.data_dir, STICHTAG) if b.kundennummer == "200D000005"]
    assert befund.regel == "datei_unlesbar"
    assert "Kooperationsplan gültig ab" in befund.meldung and "2026-02-31" in befund.meldung


def test_was_die_app_laedt_prueft_auch_der_schnelle_weg(bestand):
    """Values the model accepts but the strict fast path does not ("Unbegrenzt", "" for no status)
    go the Store's way and are checked like any other plan."""
    pfad = bestand.akte_pfad("200D000001")
    daten = json.loads(pfad.read_text(encoding="utf-8"))
    for eintrag in daten["plaene"].values():
        eintrag["gueltig_bis"], eintrag["status"] = "Unbegrenzt", ""
    pfad.write_text(json.dumps(daten), encoding="utf-8")
    befunde = [(b.kundennummer, b.regel) for b in pruefliste(bestand.data_dir, STICHTAG)]
    assert ("200D000001", "ba_statistik_regel") in befunde
    assert ("200D000001", "datei_unlesbar") not in befunde


def test_akte_pruefen_gleich_fuer_gespeicherte_und_geoeffnete_akte(bestand):
    """The screen re-checks an open Akte (Kooperationsplan objects) with the same result."""
    store = Store(bestand.data_dir)
    aus_bestand = [b for b in pruefliste(store.data_dir, STICHTAG) if b.kundennummer.startswith("200D00000")
                   and b.regel not in ("datei_unlesbar", "akte_ohne_kunde")]
    geoeffnet = [b for nr in sorted({b.kundennummer for b in aus_bestand})
                 for b in akte_pruefen(nr, "Seedfall, Eva", store.akte_laden(nr).plaene, STICHTAG)]
    assert geoeffnet == aus_bestand


def test_demo_jobcenter_zeigt_die_faelle_der_anleitung(tmp_path):
    schreiben(Store(tmp_path / "demo"), demo_jobcenter(STICHTAG))
    befunde = {(b.kundennummer, b.name, b.regel) for b in pruefliste(tmp_path / "demo", STICHTAG)}
    assert befunde == {
        ("100D000001", "Beispiel, Erika", "ba_statistik_regel"),  # the guide's overview example
        ("100D000001", "Beispiel, Erika", "ueberpruefung_ueberfaellig"),
        ("100D000001", "Beispiel, Erika", "plan_ohne_status"),  # §2: migrated plans, to be completed
        ("100D000006", "Platzhalter, Jonas", "schlichtung_ohne_ergebnis"),
        ("100D000007", "Fiktiv, Sabine", "ueberpruefung_ueberfaellig"),
    }


def test_aufruffehler_exit_2(tmp_path, bestand):
    with pytest.raises(SystemExit) as ende:
        main(["pruefen", "--data", str(bestand.data_dir), "--stichtag", "31.02.2026"])
    assert ende.value.code == 2
    with pytest.raises(SystemExit) as ende:
        main(["pruefen", "--data", str(bestand.data_dir), "--format", "xml"])
    assert ende.value.code == 2
    assert main(["pruefen", "--data", str(tmp_path / "gibt-es-nicht")]) == 2


def test_pruefen_als_programm_exit_code_und_ausgabe(bestand):
    lauf = subprocess.run([sys.executable, "-m", "kopl_tui", "pruefen", "--data", str(bestand.data_dir),
                           "--stichtag", "25.11.2026", "--format", "csv"],
                          capture_output=True, text=True, encoding="utf-8", check=False,
                          env={**os.environ, "LC_ALL": "C"})
    assert lauf.returncode == 1, lauf.stderr
    assert {(z["kundennummer"], z["regel"]) for z in csv.DictReader(io.StringIO(lauf.stdout), delimiter=";")} \
        == ERWARTET

