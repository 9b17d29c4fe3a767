"""``kopl-tui datenbank-anlegen``: creates and migrates the schema (versioned, idempotent), and
every way it can fail ends with a German message and exit code 2, never a traceback, never the
password."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import psycopg
import pytest

from kopl_tui import pg_schema
from kopl_tui.model import HistorienEintrag
from kopl_tui.pg_store import PgStore
from kopl_tui.pg_verbindung import verbinden
from tests.pg.server import OHNE_RECHTE, PASSWORT, PASSWORT_ROLLE, PgServer

WURZEL = Path(__file__).resolve().parents[2]
TABELLEN = {"schema_version", "kunden", "akten", "plaene", "historie", "ablage", "sperren"}


def kopl(*argumente: str, umgebung: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k != "KOPL_DATA"}
    return subprocess.run([sys.executable, "-m", "kopl_tui", *argumente], capture_output=True, text=True,
                          timeout=60, cwd=WURZEL, env=env | (umgebung or {}))


def ohne_traceback(ergebnis: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in ergebnis.stderr + ergebnis.stdout, ergebnis.stderr


def datenbank_name(url: str) -> str:
    return psycopg.conninfo.conninfo_to_dict(url)["dbname"]


def tabellen(url: str) -> set[str]:
    with psycopg.connect(url) as verbindung:
        return {z[0] for z in verbindung.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()}


def test_legt_an_und_zweiter_aufruf_aendert_nichts(pg_leer):
    erste = kopl("datenbank-anlegen", "--data", pg_leer)
    assert erste.returncode == 0, erste.stderr
    assert erste.stdout.startswith("Datenbank „test_") and f"Schema angelegt, Stand {pg_schema.AKTUELL}." \
        in erste.stdout
    assert tabellen(pg_leer) == TABELLEN
    with psycopg.connect(pg_leer) as verbindung:
        eigentuemer = {z[0] for z in verbindung.execute(
            "SELECT tableowner FROM pg_tables WHERE schemaname = 'public'").fetchall()}
        assert eigentuemer == {"kopl"}  # the app's own, unprivileged role did it all (pg_trgm is trusted)
        vorher = verbindung.execute("SELECT version, angewendet_am FROM schema_version").fetchall()
    zweite = kopl("datenbank-anlegen", "--data", pg_leer)
    assert zweite.returncode == 0 and f"bereits auf dem aktuellen Stand {pg_schema.AKTUELL}; nichts geändert" \
        in zweite.stdout
    with psycopg.connect(pg_leer) as verbindung:
        assert verbindung.execute("SELECT version, angewendet_am FROM schema_version").fetchall() == vorher


def test_jeder_schritt_ganz_oder_gar_nicht(pg_leer):
    """A step that fails leaves the database at the step before, with nothing of the failed one."""
    kaputt = (*pg_schema.SCHRITTE, pg_schema.Schritt(
        pg_schema.AKTUELL + 1, "fehlerhaft", "CREATE TABLE halb (x int); SELECT 1 / 0;"))
    with verbinden(pg_leer) as verbindung:
        with pytest.raises(psycopg.errors.DivisionByZero):
            pg_schema.migrieren(verbindung, kaputt)
        assert pg_schema.stand(verbindung) == pg_schema.AKTUELL
        assert "halb" not in tabellen(pg_leer)
        assert pg_schema.migrieren(verbindung) == (pg_schema.AKTUELL, pg_schema.AKTUELL)


def test_neuerer_stand_der_datenbank_wird_nicht_angefasst(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as verbindung:
        verbindung.execute("INSERT INTO schema_version (version, titel) VALUES (%s, 'künftig')",
                           (pg_schema.AKTUELL + 1,))
    ergebnis = kopl("datenbank-anlegen", "--data", pg_url)
    ohne_traceback(ergebnis)
    assert ergebnis.returncode == 2 and f"Schema-Stand {pg_schema.AKTUELL + 1}" in ergebnis.stderr
    assert "kopl-tui auf allen Servern aktualisieren" in ergebnis.stderr


def test_server_nicht_erreichbar(tmp_path):
    for url in (f"postgresql://kopl@/kopl?host={tmp_path}", "postgresql://kopl@127.0.0.1:1/kopl"):
        ergebnis = kopl("datenbank-anlegen", "--data", url)
        ohne_traceback(ergebnis)
        assert ergebnis.returncode == 2 and ergebnis.stdout == ""
        assert "ist nicht erreichbar: läuft der Server, und stimmen Rechner und Port?" in ergebnis.stderr


@pytest.mark.parametrize("umgebung", [{}, {"PGPASSWORD": "falsch-geraten"}], ids=["ohne", "falsch"])
def test_passwort_falsch_oder_fehlt(pg_server: PgServer, umgebung):
    ergebnis = kopl("datenbank-anlegen", "--data", pg_server.url("postgres", PASSWORT_ROLLE), umgebung=umgebung)
    ohne_traceback(ergebnis)
    assert ergebnis.returncode == 2
    assert "Anmeldung an der Datenbank „postgres“" in ergebnis.stderr and "~/.pgpass" in ergebnis.stderr
    assert "falsch-geraten" not in ergebnis.stderr + ergebnis.stdout


def test_passwort_aus_pgpass_und_nur_mit_rechten_0600(pg_server: PgServer, pg_leer, tmp_path):
    """libpq reads the password file; one that others could read is ignored (so the login fails)."""
    datenbank = datenbank_name(pg_leer)
    pg_server.admin(f"GRANT CONNECT, CREATE ON DATABASE {datenbank} TO {PASSWORT_ROLLE}")
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"*:*:*:{PASSWORT_ROLLE}:{PASSWORT}\n")
    pgpass.chmod(0o644)
    url = pg_server.url(datenbank, PASSWORT_ROLLE)
    offen = kopl("datenbank-anlegen", "--data", url, umgebung={"PGPASSFILE": str(pgpass)})
    assert offen.returncode == 2 and "Anmeldung an der" in offen.stderr
    pgpass.chmod(0o600)
    ergebnis = kopl("datenbank-anlegen", "--data", url, umgebung={"PGPASSFILE": str(pgpass)})
    ohne_traceback(ergebnis)
    assert ergebnis.returncode == 2 and "der Rolle fehlen Rechte" in ergebnis.stderr  # logged in, but not the owner
    assert PASSWORT not in ergebnis.stderr + ergebnis.stdout + offen.stderr + offen.stdout


def test_passwort_in_der_adresse_wird_abgewiesen(pg_server: PgServer):
    url = pg_server.url().replace("postgres@", f"postgres:{PASSWORT}@")
    ergebnis = kopl("datenbank-anlegen", "--data", url)
    ohne_traceback(ergebnis)
    assert ergebnis.returncode == 2 and "enthält ein Passwort" in ergebnis.stderr and "~/.pgpass" in ergebnis.stderr
    assert PASSWORT not in ergebnis.stderr + ergebnis.stdout


def test_fehlende_rechte(pg_server: PgServer, pg_leer):
    datenbank = datenbank_name(pg_leer)
    url = pg_server.url(datenbank, OHNE_RECHTE)
    ohne_connect = kopl("datenbank-anlegen", "--data", url)
    ohne_traceback(ohne_connect)
    assert ohne_connect.returncode == 2 and "darf sich nicht mit der Datenbank" in ohne_connect.stderr
    pg_server.admin(f"GRANT CONNECT ON DATABASE {datenbank} TO {OHNE_RECHTE}")
    ohne_create = kopl("datenbank-anlegen", "--data", url)
    ohne_traceback(ohne_create)
    assert ohne_create.returncode == 2 and "der Rolle fehlen Rechte" in ohne_create.stderr
    assert tabellen(pg_leer) <= {"schema_version"}  # nothing of the step itself


def test_datenbank_gibt_es_nicht(pg_server: PgServer):
    ergebnis = kopl("datenbank-anlegen", "--data", pg_server.url("gibt_es_nicht"))
    ohne_traceback(ergebnis)
    assert ergebnis.returncode == 2 and "Die Datenbank „gibt_es_nicht“" in ergebnis.stderr


def test_ohne_adresse_und_andere_befehle_vor_dem_einrichten(tmp_path, pg_leer):
    ergebnis = kopl("datenbank-anlegen", "--data", str(tmp_path))
    assert ergebnis.returncode == 2 and "--data postgresql://" in ergebnis.stderr
    csv = tmp_path / "x.csv"
    csv.write_text("kundennummer;anrede;nachname;vorname;geburtsdatum;bg_nummer;ifk\n"
                   "987Z654321;Herr;Neumann;Nils;03.04.1990;12345//0009999;Ina Beispiel\n", encoding="utf-8")
    for befehl in (["demo"], ["pruefen"], ["import-kunden", str(csv)], ["sperre-aufheben", "123D456789"]):
        ergebnis = kopl(*befehl, "--data", pg_leer, "--dateien", str(tmp_path / "dateien"))
        ohne_traceback(ergebnis)
        assert ergebnis.returncode == 2, (befehl, ergebnis.stderr)
        assert "ist für kopl-tui noch nicht eingerichtet" in ergebnis.stderr and "kopl-tui datenbank-anlegen" \
            in ergebnis.stderr, (befehl, ergebnis.stderr)
    assert tabellen(pg_leer) == set()  # nothing was created on the way
    assert not (WURZEL / "postgresql:").exists()


def test_sicherung_mit_pg_dump_und_zurueckspielen_wie_im_readme(pg_server: PgServer, pg_url, pg_leer, kunde, tmp_path):
    """README "Mehrere Server": the app's own role dumps its database and restores it into an
    empty one; the restored copy is at the current schema step and holds the same data."""
    quelle = PgStore(pg_url)
    quelle.kunden_schreiben([kunde])
    quelle.historie_anhaengen(kunde.kundennummer, [HistorienEintrag(zeit=datetime.now(timezone.utc), benutzer="a",
                                                                    aktion="Notiz")])
    datei = tmp_path / "kopl.dump"
    subprocess.run([str(pg_server.programme / "pg_dump"), "--format=custom", f"--file={datei}", pg_url],
                   check=True, capture_output=True, timeout=60)
    subprocess.run([str(pg_server.programme / "pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={pg_leer}",
                    str(datei)], check=True, capture_output=True, timeout=60)
    kopie = PgStore(pg_leer)
    assert kopie.kunden() == quelle.kunden() and kopie.historie(kunde.kundennummer) == quelle.historie(
        kunde.kundennummer)
    nochmal = kopl("datenbank-anlegen", "--data", pg_leer)
    assert nochmal.returncode == 0 and "nichts geändert" in nochmal.stdout
    kopie.schliessen()
    quelle.schliessen()


def test_mit_datenordner_wird_psycopg_nie_geladen(tmp_path):
    """The TUI's start-up path and every folder command stay as fast as before: the database
    driver is imported only when --data names a database."""
    skript = ("import sys; from kopl_tui import cli, app, store, sperre, akte; "
              f"code = cli.main(['demo', '--data', {str(tmp_path / 'd')!r}]); "
              f"code += cli.main(['pruefen', '--data', {str(tmp_path / 'd')!r}]) and 0; "
              "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('psycopg', 'psycopg_binary')))")
    ergebnis = subprocess.run([sys.executable, "-c", skript], capture_output=True, text=True, timeout=120, cwd=WURZEL)
    assert ergebnis.returncode == 0, ergebnis.stderr
    assert ergebnis.stdout.strip().splitlines()[-1] == "0 []"


def test_stand_1_auf_2_teilt_plz_ort_wie_das_datenmodell(pg_leer):
    """A database set up before PLZ and Ort were two fields: the step splits them as model.Kunde
    splits a former ``plz_ort`` of a data folder, and the customers read the same afterwards."""
    with verbinden(pg_leer) as verbindung:
        assert pg_schema.migrieren(verbindung, pg_schema.SCHRITTE[:1]) == (0, 1)
        for nummer, plz_ort in (("123D000001", "37073 Göttingen"), ("123D000002", "Hann. Münden"),
                                ("123D000003", "37073"), ("123D000004", "")):
            verbindung.execute("INSERT INTO kunden (kundennummer, id, anrede, nachname, vorname, geburtsdatum, "
                               "bg_nummer, plz_ort) VALUES (%s, %s, 'Frau', 'A', 'B', '1980-02-01', "
                               "'12345//0001234', %s)", (nummer, nummer, plz_ort))
    ergebnis = kopl("datenbank-anlegen", "--data", pg_leer)
    assert ergebnis.returncode == 0 and "von Stand 1 auf Stand 2 gebracht" in ergebnis.stdout, ergebnis.stderr
    store = PgStore(pg_leer)
    try:
        assert [(k.plz, k.ort) for k in store.kunden()] == [("37073", "Göttingen"), ("", "Hann. Münden"),
                                                             ("37073", ""), ("", "")]
        assert store.kundenliste().zeile(0).plz == "37073"
    finally:
        store.schliessen()
