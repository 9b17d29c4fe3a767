"""PostgreSQL's own failure cases: a connection cut in the middle of a save or while holding the
edit lock, a missing or foreign schema, an unreachable server, a wrong password, missing rights, a
row that does not fit the model, another server's lock. Always a German StoreFehler, nothing half
saved."""

from __future__ import annotations

import threading
from datetime import date, datetime, timezone

import psycopg
import pytest

from kopl_tui import pg_schema
from kopl_tui.akte import SperreVerloren, akte_oeffnen
from kopl_tui.model import HistorienEintrag, Kooperationsplan, Status
from kopl_tui.pg_store import DatensatzDefekt, PgSperre, PgStore
from kopl_tui.pg_verbindung import (
    AdresseUngueltig,
    AnmeldungAbgelehnt,
    NichtErreichbar,
    RechteFehlen,
    SchemaFehlt,
    VerbindungAbgebrochen,
    ist_postgresql,
)
from kopl_tui.sperre import FremdeSperre
from kopl_tui.store import DateiDefekt, StoreFehler, VersionKonflikt
from tests.conftest import bis
from tests.pg.server import OHNE_RECHTE, PASSWORT, PASSWORT_ROLLE, PgServer

NR = "123D456789"


def plan(ziel: str) -> Kooperationsplan:
    return Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 1, 7), ziel=ziel)


@pytest.fixture
def store(pg_url, kunde):
    store = PgStore(pg_url)
    store.kunden_schreiben([kunde])
    yield store
    store.schliessen()


@pytest.fixture
def zweiter(pg_url):
    """Another app session (its own connection), e.g. on a second server."""
    store = PgStore(pg_url)
    yield store
    store.schliessen()


def beenden(url: str, backend_pid: int) -> None:
    """What a database administrator, a restart or a network cut does to a session."""
    with psycopg.connect(url, autocommit=True) as verbindung:
        assert verbindung.execute("SELECT pg_terminate_backend(%s, 5000)", (backend_pid,)).fetchone()[0]


def stand(store: PgStore) -> tuple:
    akte = store.akte_laden(NR)
    return akte.version, akte.plaene, store.historie(NR)


def test_verbindung_bricht_mitten_im_speichern_ab_nichts_halb_gespeichert(store, kunde, pg_url, zweiter):
    akte = akte_oeffnen(store, kunde, "anna")
    akte.uebernehmen(plan("gespeichert"))
    akte.speichern()
    vorher = stand(zweiter)
    geaendert = akte.plan(akte.plaene[0].id)
    geaendert.ziel = "nie halb"
    akte.uebernehmen(geaendert)
    pid = store.verbindung.info.backend_pid
    fehler: list[BaseException] = []
    with psycopg.connect(pg_url, autocommit=True) as blockade, psycopg.connect(pg_url, autocommit=True) as blick:
        with blockade.transaction():
            # the save gets past the version check and the plans, then waits to append its history
            blockade.execute("LOCK TABLE historie IN EXCLUSIVE MODE")
            faden = threading.Thread(target=lambda: _speichern(akte, fehler))
            faden.start()

            def wartet_an_der_historie() -> bool:
                ereignis, anfrage = blick.execute("SELECT wait_event_type, query FROM pg_stat_activity WHERE pid = %s",
                                                  (pid,)).fetchone()
                return ereignis == "Lock" and "INSERT INTO historie" in anfrage

            bis(wartet_an_der_historie, was="das Speichern wartet an der Historie")
            assert blockade.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,)).fetchone()[0]
        faden.join(20)
    assert len(fehler) == 1 and isinstance(fehler[0], VerbindungAbgebrochen), fehler
    assert not fehler[0].ungewiss
    assert "die Verbindung zur Datenbank" in str(fehler[0]) and "Nichts wurde halb gespeichert" in str(fehler[0])
    assert stand(zweiter) == vorher  # neither the new version nor the plans nor a history line
    assert akte.ungespeichert  # the user's work is still there, to be saved again
    akte.speichern()  # a new session; nobody took the lock meanwhile, so it moves along
    assert [p.ziel for p in zweiter.akte_laden(NR).plaene] == ["nie halb"] and zweiter.akte_laden(NR).version == 2
    assert isinstance(zweiter.sperre_nehmen(NR, "bernd"), FremdeSperre)  # the lock lives with the new session
    akte.schliessen()


def _speichern(akte, fehler: list[BaseException]) -> None:  # noqa: ANN001
    try:
        akte.speichern()
    except BaseException as f:  # noqa: BLE001 - handed to the test
        fehler.append(f)


def test_verbindung_weg_waehrend_der_sperre_andere_uebernehmen(store, kunde, pg_url, zweiter):
    anna = akte_oeffnen(store, kunde, "anna")
    anna.uebernehmen(plan("von anna"))
    beenden(pg_url, store.verbindung.info.backend_pid)
    bernd = akte_oeffnen(zweiter, kunde, "bernd")  # anna's session is gone: her lock is taken over
    assert not bernd.schreibgeschuetzt
    assert zweiter.historie(NR)[-1].aktion.startswith("Bearbeitungssperre übernommen: Sitzung von anna")
    with pytest.raises(SperreVerloren, match="Akte wird bearbeitet von bernd"):
        anna.speichern()
    assert anna.schreibgeschuetzt and zweiter.akte_laden(NR).version == 0
    bernd.schliessen()


def test_verbindung_weg_im_leerlauf_speichern_geht_weiter(store, kunde, pg_url, zweiter):
    """A server restart or an administrator ends an idle session: the next step opens a new one."""
    akte = akte_oeffnen(store, kunde, "anna")
    alt = store.verbindung.info.backend_pid
    beenden(pg_url, alt)
    akte.uebernehmen(plan("nach dem Abbruch"))
    akte.speichern()
    assert store.verbindung.info.backend_pid != alt
    assert zweiter.akte_laden(NR).version == 1
    assert isinstance(zweiter.sperre_nehmen(NR, "bernd"), FremdeSperre)
    akte.schliessen()


def sperrzeile(verbindung: psycopg.Connection, rechner: str, pid: int) -> None:
    """A lock as another application server writes it, held by ``verbindung``'s session."""
    verbindung.execute(
        "INSERT INTO sperren (kundennummer, kennung, benutzer, rechner, pid, prozessstart, seit, backend_pid, "
        "backend_start) VALUES (%s, 'x', 'carla', %s, %s, NULL, '2026-11-24T08:15:00+01:00', pg_backend_pid(), "
        "(SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()))", (NR, rechner, pid))


def test_sperre_eines_anderen_servers_gilt_solange_seine_sitzung_lebt(store, pg_url):
    anderer = psycopg.connect(pg_url, autocommit=True)
    sperrzeile(anderer, "anderer-server", 4711)
    ergebnis = store.sperre_nehmen(NR, "bernd")
    assert isinstance(ergebnis, FremdeSperre)
    ortszeit = datetime.fromisoformat("2026-11-24T08:15:00+01:00").astimezone()
    assert ergebnis.meldung == f"Akte wird bearbeitet von carla (auf anderer-server) seit {ortszeit:%d.%m.%Y, %H:%M} Uhr."
    assert store.historie(NR) == []
    anderer.close()  # that server's session ends (crash, cut network): the database knows it
    ergebnis = bis(lambda: s if isinstance(s := store.sperre_nehmen(NR, "bernd"), PgSperre) else None,
                   was="Sperre der beendeten Sitzung frei")
    assert ergebnis.uebernommen.rechner == "anderer-server"
    assert store.historie(NR)[-1].aktion.startswith(
        "Bearbeitungssperre übernommen: Sitzung von carla (Prozess 4711 auf anderer-server, gesperrt seit 24.11.2026")
    ergebnis.freigeben()


def test_wiederverwendete_backend_pid_gilt_nicht_als_inhaber(store, pg_url):
    """The pid lives, but as another session than the one that took the lock (other start time)."""
    with psycopg.connect(pg_url, autocommit=True) as anderer:
        sperrzeile(anderer, "anderer-server", 4711)
        anderer.execute("UPDATE sperren SET backend_start = backend_start - interval '1 hour'")
        assert isinstance(store.sperre_nehmen(NR, "bernd"), PgSperre)


def test_uebernahme_scheitert_ganz_wenn_die_historie_nicht_geschrieben_werden_kann(store, pg_url):
    with psycopg.connect(pg_url, autocommit=True) as anderer:
        sperrzeile(anderer, "anderer-server", 4711)
        anderer.execute("UPDATE sperren SET backend_pid = 0")  # no such session: ended
        anderer.execute("ALTER TABLE historie ADD CONSTRAINT keine_notizen CHECK (aktion NOT LIKE 'Bearbeitung%')")
        with pytest.raises(StoreFehler, match="Die Datenbank meldet|nicht möglich"):
            store.sperre_nehmen(NR, "bernd")
        assert store.sperre_lesen(NR).benutzer == "carla"  # the old lock stays, as without the attempt


def test_historie_laesst_sich_nicht_aendern_oder_loeschen(store, pg_url):
    store.historie_anhaengen(NR, [HistorienEintrag(zeit=datetime.now(timezone.utc), benutzer="a", aktion="Notiz")])
    with psycopg.connect(pg_url, autocommit=True) as verbindung:
        for befehl in ("UPDATE historie SET aktion = 'gefälscht'", "DELETE FROM historie"):
            with pytest.raises(psycopg.errors.RestrictViolation, match="nur ergänzt"):
                verbindung.execute(befehl)
    assert [e.aktion for e in store.historie(NR)] == ["Notiz"]


def test_datensatz_der_nicht_zum_modell_passt(store, pg_url):
    store.akte_speichern(NR, [plan("x")], 0, "anna")
    with psycopg.connect(pg_url, autocommit=True) as verbindung:
        verbindung.execute("""UPDATE plaene SET daten = jsonb_set(daten, '{gueltig_ab}', '"31.02.2025"')""")
    with pytest.raises(DateiDefekt) as info:
        store.akte_laden(NR)
    assert isinstance(info.value, DatensatzDefekt)
    assert str(info.value).startswith(f"Der Datensatz plaene/{NR} in der Datenbank kann nicht gelesen werden")
    gelesen = [a for a in store.bestand_lesen() if a.kundennummer == NR]
    assert gelesen[0].fehler is not None and gelesen[0].plaene == ()


def test_fehlendes_schema_nennt_datenbank_anlegen(pg_leer):
    store = PgStore(pg_leer)
    with pytest.raises(SchemaFehlt, match="noch nicht eingerichtet. Bitte einmal „kopl-tui datenbank-anlegen"):
        store.kunden()


def test_aelteres_schema_nennt_datenbank_anlegen_neueres_aktualisieren(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as verbindung:
        verbindung.execute("DELETE FROM schema_version")
        verbindung.execute("INSERT INTO schema_version (version, titel) VALUES (0, 'alt')")
        with pytest.raises(SchemaFehlt, match="Schema-Stand 0, dieses Programm braucht Stand"):
            PgStore(pg_url).kunden()
        verbindung.execute("INSERT INTO schema_version (version, titel) VALUES (%s, 'neu')", (pg_schema.AKTUELL + 1,))
        with pytest.raises(StoreFehler, match="Bitte kopl-tui auf allen Servern aktualisieren"):
            PgStore(pg_url).kunden()


def test_nicht_erreichbar_und_anmeldung_deutsch(pg_server: PgServer, tmp_path, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    with pytest.raises(NichtErreichbar, match="nicht erreichbar"):
        PgStore(f"postgresql://kopl@/kopl?host={tmp_path}").kunden()
    with pytest.raises(AnmeldungAbgelehnt, match="Passwort falsch oder nicht hinterlegt"):
        PgStore(pg_server.url("postgres", PASSWORT_ROLLE)).kunden()
    monkeypatch.setenv("PGPASSWORD", PASSWORT)
    with pytest.raises(SchemaFehlt):  # logged in: the database "postgres" just has no kopl-tui tables
        PgStore(pg_server.url("postgres", PASSWORT_ROLLE)).kunden()


def test_fehlende_rechte_auf_die_tabellen(pg_server: PgServer, pg_url):
    datenbank = psycopg.conninfo.conninfo_to_dict(pg_url)["dbname"]
    pg_server.admin(f"GRANT CONNECT ON DATABASE {datenbank} TO {OHNE_RECHTE}")
    with pytest.raises(RechteFehlen, match="der Rolle fehlen Rechte"):
        PgStore(pg_server.url(datenbank, OHNE_RECHTE)).kunden()


def test_adresse_ist_postgresql_und_ohne_passwort():
    assert ist_postgresql("postgresql://kopl@db1/kopl") and ist_postgresql(" POSTGRES://x")
    assert not ist_postgresql("/srv/kopl/daten") and not ist_postgresql(None) and not ist_postgresql("")
    with pytest.raises(AdresseUngueltig, match="enthält ein Passwort") as info:
        PgStore("postgresql://kopl:geheim@db1/kopl")
    assert "geheim" not in str(info.value)
    with pytest.raises(AdresseUngueltig, match="enthält ein Passwort"):
        PgStore("postgresql://kopl@db1/kopl?password=geheim")
    with pytest.raises(AdresseUngueltig, match="ungültig"):
        PgStore("postgresql://kopl@db1:keinport/kopl?x=y=z")


def test_sitzung_wartet_begrenzt_und_nennt_sich(store):
    """A save waits at most 10 s for another session's row lock (then a German message, as the
    folder's file lock); the DBA sees the app by name in pg_stat_activity."""
    verbindung = store.verbindung
    assert verbindung.execute("SHOW lock_timeout").fetchone()[0] == "10s"
    assert verbindung.execute("SHOW application_name").fetchone()[0] == "kopl-tui"


def test_speichern_wartet_auf_fremde_zeilensperre_hoechstens_die_wartezeit(store, pg_url):
    store.akte_speichern(NR, [plan("erster")], 0, "anna")
    store.verbindung.execute("SET lock_timeout = 200")  # 0.2 s instead of 10 for the test
    with psycopg.connect(pg_url, autocommit=True) as anderer:
        with anderer.transaction():  # e.g. a DBA's long-running UPDATE of that Akte
            anderer.execute("SELECT 1 FROM akten WHERE kundennummer = %s FOR UPDATE", (NR,))
            with pytest.raises(StoreFehler, match="von einer anderen Sitzung gespeichert; bitte später erneut"):
                store.akte_speichern(NR, [plan("zweiter")], 1, "anna")
    assert [p.ziel for p in store.akte_laden(NR).plaene] == ["erster"]
    store.akte_speichern(NR, [plan("zweiter")], 1, "anna")
    assert store.akte_laden(NR).version == 2


@pytest.fixture
def commit_haengt(pg_server: PgServer):
    """COMMIT waits for a synchronous standby that does not exist: the moment between "sent" and
    "confirmed" held open, as a network cut can hit it."""
    pg_server.admin("ALTER SYSTEM SET synchronous_standby_names = 'gibt_es_nicht'", "SELECT pg_reload_conf()")
    try:
        yield
    finally:
        pg_server.admin("ALTER SYSTEM RESET synchronous_standby_names", "SELECT pg_reload_conf()")


def test_abbruch_beim_abschliessen_sagt_ungewiss_und_neu_laden_zeigt_den_stand(store, kunde, pg_url, zweiter,
                                                                              commit_haengt):
    akte = akte_oeffnen(store, kunde, "anna")
    akte.uebernehmen(plan("vielleicht"))
    store.verbindung.execute("SET synchronous_commit = on")
    pid = store.verbindung.info.backend_pid
    fehler: list[BaseException] = []
    faden = threading.Thread(target=lambda: _speichern(akte, fehler))
    with psycopg.connect(pg_url, autocommit=True) as blick:
        faden.start()
        bis(lambda: blick.execute("SELECT wait_event FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()[0]
            == "SyncRep", was="COMMIT wartet auf den Standby")
        assert blick.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,)).fetchone()[0]
    faden.join(20)
    assert len(fehler) == 1 and isinstance(fehler[0], VerbindungAbgebrochen) and fehler[0].ungewiss, fehler
    assert "Ob gespeichert wurde, ist ungewiss: bitte die Akte neu laden" in str(fehler[0])
    # here the server had committed: the whole save is there, plans and history together
    gespeichert = zweiter.akte_laden(NR)
    assert gespeichert.version == 1 and [p.ziel for p in gespeichert.plaene] == ["vielleicht"]
    assert [e.aktion for e in zweiter.historie(NR)] == ["Kooperationsplan angelegt", "gespeichert"]
    with pytest.raises(VersionKonflikt):  # saving again writes nothing twice
        akte.speichern()
    akte.neu_laden()
    assert not akte.schreibgeschuetzt and [p.ziel for p in akte.plaene] == ["vielleicht"]
    akte.schliessen()
