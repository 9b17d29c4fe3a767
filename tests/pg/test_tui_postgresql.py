"""The app itself on PostgreSQL, driven by the Pilot: open an Akte, edit, F2 and Strg+S; the
read-only view while another server's session holds the lock; a connection cut in the middle of
the final save (German message, the app keeps running, nothing half saved, saving again works);
a server that is not there at start."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from textual.widgets import TextArea

from kopl_tui.app import KoplApp
from kopl_tui.datenort import Datenort
from kopl_tui.demo import demo_jobcenter, schreiben
from kopl_tui.pg_store import PgStore
from kopl_tui.sitzung import Sitzung
from screens.auswahl_dialog import AuswahlDialog
from screens.maske import MaskeScreen
from screens.uebersicht import UebersichtScreen
from tests.conftest import HEUTE, WARTE_FRIST, bis
from tests.ui.conftest import kunde_oeffnen

NAME, NUMMER = "Mustermann Max", "100D000003"


@pytest.fixture
def pg_demo(pg_url: str, tmp_path: Path) -> Iterator[Datenort]:
    """The demo Jobcenter in a fresh database, its Dateiordner in tmp."""
    store = PgStore(pg_url, tmp_path / "dateien")
    schreiben(store, demo_jobcenter(HEUTE))
    store.schliessen()
    yield Datenort(tmp_path / "dateien", pg_url)


@pytest.fixture
def zweiter(pg_demo: Datenort) -> Iterator[PgStore]:
    """Another session on the same database (another application server)."""
    store = PgStore(pg_demo.adresse)
    yield store
    store.schliessen()


def test_sitzung_auf_postgresql_nimmt_alles_aus_der_datenbank(pg_demo: Datenort, zweiter: PgStore):
    """The facade the screens use, on a database: list, Akte with lock, save, Prüfliste."""
    sitzung = Sitzung(pg_demo, "tester", HEUTE)
    assert isinstance(sitzung.store, PgStore) and not sitzung.schulung
    liste, meldungen = sitzung.kundenliste()
    assert meldungen == [] and len(liste) == len(zweiter.kunden())
    akte = sitzung.akte_oeffnen(sitzung.kunde(NUMMER))
    assert not akte.schreibgeschuetzt and zweiter.sperre_lesen(NUMMER).benutzer == "tester"
    plan = akte.plaene[-1]
    sitzung.plan_uebernehmen(akte, plan, {"ziel": "aus der Sitzung"})
    sitzung.speichern(akte)
    assert ziel(zweiter, plan.id) == "aus der Sitzung"
    akte.schliessen()
    assert zweiter.sperre_lesen(NUMMER) is None
    befunde = sitzung.pruefliste()  # the demo has findings: an empty list would be the Dateiordner's
    assert befunde and befunde == _pruefliste(zweiter)


def _pruefliste(store: PgStore) -> list:
    from kopl_tui.pruefung import pruefliste

    return pruefliste(store, HEUTE)


async def ziel_aendern(app: KoplApp, pilot, text: str) -> str:
    """Open the newest plan in the mask, type before its Ziel, F2 (apply), Strg+S (final save)."""
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, MaskeScreen)
    plan_id = app.screen.plan.id
    feld = app.screen.query_one("#ziel", TextArea)
    feld.focus()
    feld.move_cursor((0, 0))
    await pilot.press(*text, "f2", "ctrl+s")
    await pilot.pause()
    return plan_id


def ziel(store: PgStore, plan_id: str) -> str:
    return next(p.ziel for p in store.akte_laden(NUMMER).plaene if p.id == plan_id)


async def test_bearbeiten_und_speichern_auf_postgresql(pg_demo: Datenort, zweiter: PgStore):
    app = KoplApp(sitzung=Sitzung(pg_demo, "tester", HEUTE))
    async with app.run_test(size=(100, 35), notifications=True) as pilot:
        assert len(app.kunden()) == len(demo_jobcenter(HEUTE))
        await kunde_oeffnen(pilot, NAME)
        assert isinstance(app.screen, UebersichtScreen) and app.akte.kunde.kundennummer == NUMMER
        assert zweiter.sperre_lesen(NUMMER).benutzer == "tester"
        version = zweiter.akte_laden(NUMMER).version
        plan_id = await ziel_aendern(app, pilot, "Geändert: ")
        assert ziel(zweiter, plan_id).startswith("Geändert: ")
        assert zweiter.akte_laden(NUMMER).version == version + 1
        assert zweiter.historie(NUMMER)[-1].aktion == "gespeichert"
        assert any(f"Kundenakte {NUMMER} gespeichert." in str(n.message) for n in app._notifications)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.akte is None
        assert zweiter.sperre_lesen(NUMMER) is None  # closing the Akte gave the lock back


async def test_von_anderem_server_gesperrt_nur_ansicht(pg_demo: Datenort, zweiter: PgStore):
    anna = zweiter.sperre_nehmen(NUMMER, "anna")  # anna edits it, from another server
    vorher = zweiter.akte_laden(NUMMER)
    app = KoplApp(data_dir=pg_demo, benutzer="bernd", heute=HEUTE)
    async with app.run_test(size=(100, 35), notifications=True) as pilot:
        await kunde_oeffnen(pilot, NAME)
        assert isinstance(app.screen, UebersichtScreen)
        assert app.akte.schreibgeschuetzt and "Akte wird bearbeitet von anna seit" in app.akte.grund
        assert "NUR ANSICHT" in app.sub_title
        assert any("anna" in str(n.message) for n in app._notifications)
        await ziel_aendern(app, pilot, "bernd: ")
        await pilot.press("escape", "escape")
        await pilot.pause()
    assert zweiter.akte_laden(NUMMER) == vorher
    assert zweiter.sperre_lesen(NUMMER).benutzer == "anna"
    anna.freigeben()


def _abschneiden_sobald_wartet(url: str, pid: int, fertig: threading.Event) -> None:
    """Cut the app's database session once its save waits for the row another session holds: the
    save has begun (lock checked, version update sent) and is cut in the middle."""
    with psycopg.connect(url, autocommit=True) as blick:
        bis(lambda: blick.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()[0]
            == "Lock", was="das Speichern wartet auf die gehaltene Zeile")
        blick.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
        fertig.set()


async def test_verbindung_bricht_beim_speichern_ab(pg_demo: Datenort, zweiter: PgStore):
    app = KoplApp(sitzung=Sitzung(pg_demo, "tester", HEUTE))
    async with app.run_test(size=(100, 35), notifications=True) as pilot:
        await kunde_oeffnen(pilot, NAME)
        vorher, historie = zweiter.akte_laden(NUMMER), zweiter.historie(NUMMER)
        pid = app.store.verbindung.info.backend_pid
        halter = psycopg.connect(pg_demo.adresse)  # holds the Akte's head row: the save will wait for it
        halter.execute("SELECT 1 FROM akten WHERE kundennummer = %s FOR UPDATE", (NUMMER,))
        abgeschnitten = threading.Event()
        faden = threading.Thread(target=_abschneiden_sobald_wartet, args=(pg_demo.adresse, pid, abgeschnitten))
        faden.start()
        plan_id = await ziel_aendern(app, pilot, "Abgebrochen: ")
        faden.join(WARTE_FRIST + 10)
        halter.rollback()
        halter.close()
        assert abgeschnitten.is_set()
        dialog = app.screen
        assert isinstance(dialog, AuswahlDialog) and dialog.id == "speichern-fehler"
        text = str(dialog.query_one("#frage").render())
        assert "Verbindung" in text and "abgebrochen" in text and "Nichts wurde halb gespeichert" in text
        assert zweiter.akte_laden(NUMMER) == vorher and zweiter.historie(NUMMER) == historie  # nothing half saved
        assert app.akte.ungespeichert and app.akte.plan(plan_id).ziel.startswith("Abgebrochen: ")
        await pilot.press("enter")  # OK: the app keeps running, the change is still there to save again
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert ziel(zweiter, plan_id).startswith("Abgebrochen: ")
        assert [e.aktion for e in zweiter.historie(NUMMER)][len(historie):] == ["Kooperationsplan geändert",
                                                                               "gespeichert"]
        assert zweiter.sperre_lesen(NUMMER).benutzer == "tester"  # the lock moved to the new session
        assert not app.akte.ungespeichert


async def test_server_nicht_erreichbar_beim_start(tmp_path: Path):
    ort = Datenort(tmp_path / "dateien", f"postgresql://kopl@/kopl?host={tmp_path}&connect_timeout=2")
    app = KoplApp(data_dir=ort, benutzer="tester", heute=HEUTE)
    async with app.run_test(size=(100, 35), notifications=True) as pilot:
        await pilot.pause()
        assert len(app.kunden()) == 0
        meldungen = [str(n.message) for n in app._notifications]
        assert any("ist nicht erreichbar" in m for m in meldungen), meldungen
        await pilot.press("q")
        await pilot.pause()
