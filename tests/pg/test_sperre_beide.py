"""The Akte edit lock on both stores (the folder's own tests: tests/test_sperre.py,
tests/test_sitzung_sperre.py): one editor, everyone else read-only; the lock of an ended session
is taken over with a note; support lifts locks by hand; a session that lost its lock never writes."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kopl_tui.akte import NurLesen, SperreVerloren, akte_oeffnen
from kopl_tui.model import Kooperationsplan, Status
from kopl_tui.pg_store import PgSperre, PgStore
from kopl_tui.sperre import FremdeSperre, Sperre, SperreAktiv
from tests.conftest import bis
from tests.pg.backend import Backend, store_fuer

_FORK = multiprocessing.get_context("fork")
NR = "123D456789"
WURZEL = Path(__file__).resolve().parents[2]


def halter(ort: str, benutzer: str, bereit, ende: Path) -> None:  # noqa: ANN001 - multiprocessing Event
    """Another staff member's session: opens the Akte for editing, keeps it open until ``ende``
    exists, then closes it."""
    store = store_fuer(ort)
    akte = akte_oeffnen(store, store.kunde(NR), benutzer)
    assert not akte.schreibgeschuetzt
    bereit.set()
    bis(ende.exists, was="Ende der Sitzung")
    akte.schliessen()


class Sitzung:
    """Anna's session in a real second process."""

    def __init__(self, backend: Backend, ende: Path):
        bereit = _FORK.Event()
        self.ende = ende
        self.prozess = _FORK.Process(target=halter, args=(backend.ort, "anna", bereit, ende))
        self.prozess.start()
        assert bereit.wait(20)

    @property
    def pid(self) -> int:
        return self.prozess.pid

    def schliessen(self) -> None:
        self.ende.touch()
        self.prozess.join(20)
        assert self.prozess.exitcode == 0

    def toeten(self, abholen: bool = True) -> None:
        os.kill(self.pid, signal.SIGKILL)  # lost SSH connection, closed laptop lid
        if abholen:
            self.prozess.join(10)


def sitzung_beendet(store, kundennummer: str = NR) -> None:  # noqa: ANN001 - either store
    """On PostgreSQL a killed client's database session ends a moment after the client (the server
    reads end-of-file on the socket, rolls back, exits): wait for that, at most 10 s. The folder's
    lock is the kernel's and is free at once."""
    if not isinstance(store, PgStore):
        return
    bis(lambda: not store.verbindung.execute(
        "SELECT 1 FROM sperren s JOIN pg_stat_activity a ON a.pid = s.backend_pid "
        "WHERE s.kundennummer = %s", (kundennummer,)).fetchone(), was="die Datenbanksitzung des getöteten Prozesses endet")


@pytest.fixture
def store(backend, kunde):
    store = backend.store()
    store.kunden_schreiben([kunde])
    return store


@pytest.fixture
def andere_sitzung(store, backend, tmp_path):
    sitzung = Sitzung(backend, tmp_path / "ende")
    yield sitzung
    if sitzung.prozess.is_alive():
        sitzung.toeten()
    sitzung.prozess.join(10)


def plan(ziel: str = "") -> Kooperationsplan:
    return Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 1, 7), ziel=ziel)


def test_zweiter_oeffner_sieht_wer_seit_wann_und_bekommt_nur_ansicht(store, kunde, andere_sitzung):
    akte = akte_oeffnen(store, kunde, "bernd")
    assert akte.schreibgeschuetzt and akte.sperre is None
    assert re.fullmatch(r"Akte wird bearbeitet von anna seit \d\d:\d\d Uhr\.", akte.grund)
    ergebnis = store.sperre_nehmen(NR, "bernd")
    assert isinstance(ergebnis, FremdeSperre) and ergebnis.inhaber.pid == andere_sitzung.pid
    with pytest.raises(NurLesen, match="Akte wird bearbeitet von anna seit .* nur zum Ansehen geöffnet"):
        akte.uebernehmen(plan())
    with pytest.raises(NurLesen):
        akte.speichern()
    assert akte.plaene == [] and store.akte_laden(NR).version == 0


def test_nach_dem_schliessen_des_anderen_bearbeitbar(store, kunde, andere_sitzung):
    assert akte_oeffnen(store, kunde, "bernd").schreibgeschuetzt
    andere_sitzung.schliessen()
    assert store.sperre_lesen(NR) is None  # closing gave it back
    akte = akte_oeffnen(store, kunde, "bernd")
    assert not akte.schreibgeschuetzt and store.sperre_lesen(NR).benutzer == "bernd"
    akte.uebernehmen(plan())
    akte.speichern()
    akte.schliessen()
    assert store.sperre_lesen(NR) is None
    assert not [e for e in store.historie(NR) if "Bearbeitungssperre" in e.aktion]  # nothing taken over


def test_verwaiste_sperre_eines_toten_prozesses_wird_uebernommen_mit_protokoll(store, andere_sitzung):
    andere_sitzung.toeten()
    sitzung_beendet(store)
    assert store.sperre_lesen(NR).benutzer == "anna"  # left behind
    ergebnis = store.sperre_nehmen(NR, "bernd")
    assert isinstance(ergebnis, (Sperre, PgSperre)) and ergebnis.uebernommen.benutzer == "anna"
    notiz = store.historie(NR)[-1]
    assert notiz.benutzer == "bernd"
    assert notiz.aktion.startswith(f"Bearbeitungssperre übernommen: Sitzung von anna (Prozess {andere_sitzung.pid} ")
    ergebnis.freigeben()


def test_noch_nicht_abgeholter_toter_prozess_gilt_als_beendet(store, andere_sitzung):
    andere_sitzung.toeten(abholen=False)  # its parent has not reaped it: a zombie with a live pid
    bis(lambda: Path(f"/proc/{andere_sitzung.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z",
        was="Zombie")
    sitzung_beendet(store)
    assert isinstance(store.sperre_nehmen(NR, "bernd"), (Sperre, PgSperre))


def test_eigene_lebende_sperre_bleibt(store):
    erste = store.sperre_nehmen(NR, "anna")
    assert isinstance(erste, (Sperre, PgSperre))
    zweite = store.sperre_nehmen(NR, "bernd")
    assert isinstance(zweite, FremdeSperre) and zweite.inhaber.benutzer == "anna"
    erste.freigeben()
    assert store.sperre_lesen(NR) is None


def test_schliessen_und_with_geben_die_sperre_zurueck(store, kunde):
    akte = akte_oeffnen(store, kunde, "anna")
    assert store.sperre_lesen(NR).benutzer == "anna"
    akte.schliessen()
    assert store.sperre_lesen(NR) is None
    akte.schliessen()  # twice is harmless
    with akte_oeffnen(store, kunde, "anna"):
        assert store.sperre_lesen(NR) is not None
    assert store.sperre_lesen(NR) is None


@pytest.mark.parametrize("ende", ["sys.exit(0)", "raise RuntimeError('Absturz im Programm')"])
def test_normales_programmende_gibt_die_sperre_zurueck(store, backend, ende):
    skript = ("import sys; from tests.pg.backend import store_fuer; "
              f"s = store_fuer({backend.ort!r}).sperre_nehmen({NR!r}, 'anna'); "
              f"assert type(s).__name__ in ('Sperre', 'PgSperre'), s; {ende}")
    ergebnis = subprocess.run([sys.executable, "-c", skript], capture_output=True, text=True, timeout=60, cwd=WURZEL)
    assert "AssertionError" not in ergebnis.stderr, ergebnis.stderr
    assert ("Absturz im Programm" in ergebnis.stderr) == ("raise" in ende), ergebnis.stderr
    assert store.sperre_lesen(NR) is None  # given back, not left behind to be taken over
    assert store.historie(NR) == []


def test_freigeben_loescht_keine_sperre_eines_anderen(store):
    erste = store.sperre_nehmen(NR, "anna")
    store.sperre_aufheben(NR, "support", erzwingen=True)
    zweite = store.sperre_nehmen(NR, "bernd")
    erste.freigeben()
    assert store.sperre_lesen(NR).benutzer == "bernd"
    zweite.freigeben()


def test_nach_erzwungenem_aufheben_schreibt_die_alte_sitzung_nie(store, kunde):
    anna = akte_oeffnen(store, kunde, "anna")
    anna.uebernehmen(plan("von anna"))
    assert store.sperre_aufheben(NR, "support", erzwingen=True).benutzer == "anna"
    bernd = akte_oeffnen(store, kunde, "bernd")
    assert not bernd.schreibgeschuetzt
    with pytest.raises(SperreVerloren, match=r"Ihre Bearbeitungssperre .* wurde aufgehoben\. Akte wird bearbeitet "
                                             r"von bernd seit .* nicht gespeichert"):
        anna.speichern()
    assert store.akte_laden(NR).version == 0 and store.akte_laden(NR).plaene == []
    assert anna.schreibgeschuetzt and "bernd" in anna.grund and anna.plaene == []  # shows the stored state
    anna.schliessen()  # never deletes bernd's lock
    assert store.sperre_lesen(NR).benutzer == "bernd"
    bernd.uebernehmen(plan("von bernd"))
    bernd.speichern()
    assert [p.ziel for p in store.akte_laden(NR).plaene] == ["von bernd"]
    bernd.schliessen()


def test_neu_laden_bemerkt_die_verlorene_sperre(store, kunde):
    anna = akte_oeffnen(store, kunde, "anna")
    store.sperre_aufheben(NR, "support", erzwingen=True)
    anna.neu_laden()
    assert anna.schreibgeschuetzt and "aufgehoben" in anna.grund


def test_sperre_aufheben_verweigert_eine_lebende_sitzung(store, andere_sitzung):
    with pytest.raises(SperreAktiv, match=f"anna \\(Prozess {andere_sitzung.pid} auf .*--erzwingen"):
        store.sperre_aufheben(NR, "support")
    assert store.sperre_lesen(NR).pid == andere_sitzung.pid
    assert not [e for e in store.historie(NR) if "aufgehoben" in e.aktion]
    assert store.sperre_aufheben(NR, "support", erzwingen=True).pid == andere_sitzung.pid
    assert store.sperre_lesen(NR) is None
    assert store.historie(NR)[-1].aktion.startswith("Bearbeitungssperre aufgehoben (erzwungen): anna")


def test_sperre_einer_beendeten_sitzung_ohne_erzwingen(store, andere_sitzung):
    andere_sitzung.toeten()
    sitzung_beendet(store)
    assert store.sperre_aufheben(NR, "support").benutzer == "anna"
    assert store.historie(NR)[-1].aktion.startswith("Bearbeitungssperre aufgehoben: anna")
    assert store.sperre_lesen(NR) is None
