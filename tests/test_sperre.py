"""The Akte edit lock (README, "Zuverlässigkeit"): one editor, everyone else read-only; stale locks taken over."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import signal
import stat
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from tests.conftest import bis
from tests.kennzahlen import melden

from kopl_tui.akte import Kundenakte, NurLesen
from kopl_tui.model import Kooperationsplan, Status
from kopl_tui.akte import akte_oeffnen
from kopl_tui.sperre import AkteSperre, FremdeSperre, Sperre, SperrInhaber
from kopl_tui.store import DateiDefekt, Store

_FORK = multiprocessing.get_context("fork")
NR = "123D456789"


def halter(data_dir, benutzer: str, bereit, ende: Path) -> None:  # noqa: ANN001 - multiprocessing Event
    """Another staff member's session: opens the Akte for editing, keeps it open until ``ende``
    exists, then closes it."""
    store = Store(data_dir)
    akte = akte_oeffnen(store, store.kunde(NR), benutzer)
    assert not akte.schreibgeschuetzt
    bereit.set()
    bis(ende.exists, was="Ende der Sitzung")
    akte.schliessen()


class Sitzung:
    """Anna's session in a real second process."""

    def __init__(self, store: Store, ende: Path):
        bereit = _FORK.Event()
        self.ende = ende
        self.prozess = _FORK.Process(target=halter, args=(store.data_dir, "anna", bereit, ende))
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


@pytest.fixture
def andere_sitzung(store_mit_kunde, tmp_path):
    sitzung = Sitzung(store_mit_kunde, tmp_path / "ende")
    yield sitzung
    if sitzung.prozess.is_alive():
        sitzung.toeten()
    sitzung.prozess.join(10)


def plan() -> Kooperationsplan:
    return Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 1, 7))


def test_zweiter_oeffner_sieht_wer_seit_wann_und_bekommt_nur_ansicht(store_mit_kunde, kunde, andere_sitzung):
    akte = akte_oeffnen(store_mit_kunde, kunde, "bernd")
    assert akte.schreibgeschuetzt and akte.sperre is None
    assert re.fullmatch(r"Akte wird bearbeitet von anna seit \d\d:\d\d Uhr\.", akte.grund)
    ergebnis = AkteSperre.nehmen(store_mit_kunde, NR, "bernd")
    assert isinstance(ergebnis, FremdeSperre) and ergebnis.inhaber.pid == andere_sitzung.pid
    with pytest.raises(NurLesen, match="Akte wird bearbeitet von anna seit .* nur zum Ansehen geöffnet"):
        akte.uebernehmen(plan())
    with pytest.raises(NurLesen):
        akte.speichern()
    assert akte.plaene == [] and store_mit_kunde.akte_laden(NR).version == 0


def test_nach_dem_schliessen_des_anderen_bearbeitbar(store_mit_kunde, kunde, andere_sitzung):
    assert akte_oeffnen(store_mit_kunde, kunde, "bernd").schreibgeschuetzt
    andere_sitzung.schliessen()
    assert AkteSperre.lesen(store_mit_kunde, NR) is None  # closing gave it back
    akte = akte_oeffnen(store_mit_kunde, kunde, "bernd")
    assert not akte.schreibgeschuetzt and AkteSperre.lesen(store_mit_kunde, NR).benutzer == "bernd"
    akte.uebernehmen(plan())
    akte.speichern()
    akte.schliessen()
    assert AkteSperre.lesen(store_mit_kunde, NR) is None
    assert not [e for e in store_mit_kunde.historie(NR) if "Bearbeitungssperre" in e.aktion]  # nothing taken over


def test_verwaiste_sperre_eines_toten_prozesses_wird_uebernommen_mit_protokoll(store_mit_kunde, kunde,
                                                                               andere_sitzung):
    andere_sitzung.toeten()
    assert AkteSperre.lesen(store_mit_kunde, NR).benutzer == "anna"  # left behind
    ergebnis = AkteSperre.nehmen(store_mit_kunde, NR, "bernd")
    assert isinstance(ergebnis, Sperre) and ergebnis.uebernommen.benutzer == "anna"
    notiz = store_mit_kunde.historie(NR)[-1]
    assert notiz.benutzer == "bernd"
    assert notiz.aktion.startswith("Bearbeitungssperre übernommen: Sitzung von anna (Prozess ")
    ergebnis.freigeben()
    melden("Sperre", zweiter_Öffner_nur_Ansicht="ja", tote_Sperre_übernommen="ja", Protokolleintrag="ja", Fehler=0)


def test_noch_nicht_abgeholter_toter_prozess_gilt_als_beendet(store_mit_kunde, kunde, andere_sitzung):
    andere_sitzung.toeten(abholen=False)  # its parent has not reaped it: a zombie with a live pid
    bis(lambda: Path(f"/proc/{andere_sitzung.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z",
        was="Zombie")
    assert isinstance(AkteSperre.nehmen(store_mit_kunde, NR, "bernd"), Sperre)


def sperrdatei_schreiben(store: Store, **werte) -> None:
    inhaber = {"benutzer": "carla", "rechner": "anderer-server", "pid": 999_999_999, "seit": "2026-11-24T08:15:00+01:00",
               "prozessstart": None, "kennung": "x"} | werte
    store.anlegen()
    AkteSperre.pfad(store, NR).write_text(json.dumps(inhaber), encoding="utf-8")


def test_sperre_eines_anderen_rechners_wird_nie_uebernommen(store_mit_kunde):
    sperrdatei_schreiben(store_mit_kunde)
    vorher = AkteSperre.pfad(store_mit_kunde, NR).read_bytes()
    ergebnis = AkteSperre.nehmen(store_mit_kunde, NR, "bernd")
    assert isinstance(ergebnis, FremdeSperre)
    ortszeit = datetime.fromisoformat("2026-11-24T08:15:00+01:00").astimezone()
    assert ergebnis.meldung == (f"Akte wird bearbeitet von carla (auf anderer-server) seit "
                                f"{ortszeit:%d.%m.%Y, %H:%M} Uhr.")
    assert AkteSperre.pfad(store_mit_kunde, NR).read_bytes() == vorher
    assert store_mit_kunde.historie(NR) == []


def test_support_hebt_fremde_sperre_von_hand_auf_mit_protokoll(store_mit_kunde, kunde):
    sperrdatei_schreiben(store_mit_kunde)
    ergebnis = subprocess.run([sys.executable, "-m", "kopl_tui", "sperre-aufheben", NR, "--data",
                               str(store_mit_kunde.data_dir), "--benutzer", "support"],
                              capture_output=True, text=True, timeout=60)
    assert ergebnis.returncode == 0, ergebnis.stderr
    assert "Sperre von carla" in ergebnis.stdout
    assert AkteSperre.lesen(store_mit_kunde, NR) is None
    assert store_mit_kunde.historie(NR)[-1].aktion.startswith("Bearbeitungssperre aufgehoben: carla")
    assert not akte_oeffnen(store_mit_kunde, kunde, "bernd").schreibgeschuetzt


def test_wiederverwendete_pid_gilt_nicht_als_inhaber(store_mit_kunde):
    """The pid lives, but it is another process than the one that took the lock (other start time)."""
    hier = SperrInhaber.hier("x")
    sperrdatei_schreiben(store_mit_kunde, rechner=hier.rechner, pid=os.getpid(), prozessstart="1")
    assert isinstance(AkteSperre.nehmen(store_mit_kunde, NR, "bernd"), Sperre)


def test_eigene_lebende_sperre_desselben_rechners_bleibt(store_mit_kunde):
    erste = AkteSperre.nehmen(store_mit_kunde, NR, "anna")
    assert isinstance(erste, Sperre)
    zweite = AkteSperre.nehmen(store_mit_kunde, NR, "bernd")
    assert isinstance(zweite, FremdeSperre) and zweite.inhaber.benutzer == "anna"
    erste.freigeben()


def test_unlesbare_sperrdatei_gilt_als_fremd_unbekannt(store_mit_kunde):
    store_mit_kunde.anlegen()
    AkteSperre.pfad(store_mit_kunde, NR).write_bytes(b"\x00kaputt")
    ergebnis = AkteSperre.nehmen(store_mit_kunde, NR, "bernd")
    assert isinstance(ergebnis, FremdeSperre) and "bearbeitet von unbekannt" in ergebnis.meldung


def test_uebernahme_bei_defekter_akte_meldet_und_laesst_sperre_stehen(store_mit_kunde):
    hier = SperrInhaber.hier("x")
    sperrdatei_schreiben(store_mit_kunde, rechner=hier.rechner, pid=999_999_999)
    store_mit_kunde.akte_pfad(NR).write_text("{kaputt", encoding="utf-8")
    with pytest.raises(DateiDefekt):
        AkteSperre.nehmen(store_mit_kunde, NR, "bernd")
    assert AkteSperre.lesen(store_mit_kunde, NR).benutzer == "carla"


def test_sperrdateien_und_alle_daten_0600_unabhaengig_von_umask(store_mit_kunde, kunde):
    alt = os.umask(0)
    try:
        akte = akte_oeffnen(store_mit_kunde, kunde, "anna")
        akte.uebernehmen(plan())
        akte.speichern()
        dateien = [*store_mit_kunde.data_dir.iterdir(), *store_mit_kunde.akten_dir.iterdir()]
        modi = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in dateien}
        akte.schliessen()
    finally:
        os.umask(alt)
    assert {f"{NR}.sperre", f"{NR}.sperre.lock", f"{NR}.json", f"{NR}.json.lock", f"{NR}.historie.jsonl",
            "kunden.json", "kunden.json.lock"} <= set(modi)
    assert modi == {name: "0o700" if name == "akten" else "0o600" for name in modi}


def test_schliessen_und_with_geben_die_sperre_zurueck(store_mit_kunde, kunde):
    akte = akte_oeffnen(store_mit_kunde, kunde, "anna")
    assert AkteSperre.lesen(store_mit_kunde, NR).benutzer == "anna"
    akte.schliessen()
    assert AkteSperre.lesen(store_mit_kunde, NR) is None
    akte.schliessen()  # twice is harmless
    with akte_oeffnen(store_mit_kunde, kunde, "anna"):
        assert AkteSperre.lesen(store_mit_kunde, NR) is not None
    assert AkteSperre.lesen(store_mit_kunde, NR) is None


@pytest.mark.parametrize("ende", ["sys.exit(0)", "raise RuntimeError('Absturz im Programm')"])
def test_normales_programmende_gibt_die_sperre_zurueck(store_mit_kunde, ende):
    skript = ("import sys; from pathlib import Path; from kopl_tui.store import Store; "
              "from kopl_tui.sperre import AkteSperre; "
              f"s = AkteSperre.nehmen(Store(Path({str(store_mit_kunde.data_dir)!r})), {NR!r}, 'anna'); "
              f"assert type(s).__name__ == 'Sperre'; {ende}")
    ergebnis = subprocess.run([sys.executable, "-c", skript], capture_output=True, text=True, timeout=60)
    assert "AssertionError" not in ergebnis.stderr
    assert AkteSperre.lesen(store_mit_kunde, NR) is None


def test_freigeben_loescht_keine_sperre_eines_anderen(store_mit_kunde):
    erste = AkteSperre.nehmen(store_mit_kunde, NR, "anna")
    AkteSperre.aufheben(store_mit_kunde, NR, "support", erzwingen=True)
    zweite = AkteSperre.nehmen(store_mit_kunde, NR, "bernd")
    erste.freigeben()
    assert AkteSperre.lesen(store_mit_kunde, NR).benutzer == "bernd"
    zweite.freigeben()


def test_nur_ansicht_verweigert_jede_aenderung_deutsch(store_mit_kunde, kunde):
    store_mit_kunde.akte_speichern(NR, [plan()], 0, "anna")
    akte = Kundenakte.oeffnen(store_mit_kunde, kunde, "bernd", schreibgeschuetzt=True, grund="Test.")
    vorhanden = akte.plaene[0]
    for versuch in (lambda: akte.uebernehmen(plan()), lambda: akte.loeschen_markieren(vorhanden.id),
                    akte.loeschmarken_uebernehmen, lambda: akte.vorschlaege_anwenden([]), akte.speichern):
        with pytest.raises(NurLesen, match="^Test. Die Akte ist nur zum Ansehen geöffnet; Änderungen sind nicht"):
            versuch()
    assert not akte.ist_loeschmarkiert(vorhanden.id) and akte.plaene == [vorhanden]
    akte.neu_laden()  # looking again is allowed
    assert akte.plan(vorhanden.id) == vorhanden
