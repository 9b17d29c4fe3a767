"""Filing letters while sessions are killed (SIGKILL): afterwards the start-up clean-up leaves no draft
without index entry, no temp file under ablage/, and every index entry with exactly one history line
(or neither); a draft of a session that is still running is never touched. Real processes, real
kills, real files."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from tests.kennzahlen import melden
from tests.test_ablage import UNTERSTUETZUNG

from kopl_tui import briefe
from kopl_tui.ablage import ABGELEGT, Ablage
from kopl_tui.datenordner import ENTWUERFE
from kopl_tui.dateien import TEMP_PRAEFIX
from kopl_tui.model import Kooperationsplan, Kunde, Status
from kopl_tui.datenordner import gesperrt
from kopl_tui.store import Store, StoreFehler

HEUTE = date(2026, 11, 25)
VORLAGE = briefe.vorlage("Kooperationsplan")
MINDESTENS_KILLS = 40
MINDESTENS_ABGELEGT = 60
HOECHSTENS_KILLS = 400
_FORK = multiprocessing.get_context("fork")


@pytest.fixture
def kunde(kunde: Kunde) -> Kunde:
    """With an address: a letter with a gap is never filed."""
    return kunde.model_copy(update={"strasse": "Musterweg 1", "plz": "37073", "ort": "Göttingen"})


@pytest.fixture
def plan(store_mit_kunde, kunde) -> Kooperationsplan:
    plan = Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2026, 10, 1), ziel="Lagerhelferin",
                            naechste_schritte="Bewerben")
    store_mit_kunde.akte_speichern(kunde.kundennummer, [plan], 0, "einrichtung")
    return plan


@pytest.fixture
def brief(kunde, plan) -> bytes:
    return briefe.erzeugen(briefe.pruefen(VORLAGE, kunde, plan, datum=HEUTE, ergaenzungen=UNTERSTUETZUNG), None)


def ablegen_bis_zum_kill(data_dir: Path, kundennummer: str, plan_id: str, inhalt: bytes, protokoll: Path) -> None:
    """Fertig and Ablegen again and again, as fast as it goes; logs each letter once filed."""
    ablage = Ablage(Store(data_dir))
    fd = os.open(protokoll, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    while True:
        entwurf = ablage.entwurf_schreiben(kundennummer, VORLAGE, plan_id, inhalt, HEUTE)
        ergebnis = ablage.ablegen(entwurf, "kind", pdf=False)
        os.write(fd, f"{ergebnis.eintrag.datei}\n".encode())


def entwurf_halten(data_dir: Path, kundennummer: str, plan_id: str, inhalt: bytes, melden_an) -> None:  # noqa: ANN001
    """A session between "Fertig" and "Ablegen": the user is checking the letter in Word."""
    entwurf = Ablage(Store(data_dir)).entwurf_schreiben(kundennummer, VORLAGE, plan_id, inhalt, HEUTE)
    melden_an.send(str(entwurf.pfad))
    time.sleep(600)


def ablegen_und_melden(data_dir: Path, kundennummer: str, plan_id: str, inhalt: bytes) -> None:
    ablage = Ablage(Store(data_dir))
    ablage.ablegen(ablage.entwurf_schreiben(kundennummer, VORLAGE, plan_id, inhalt, HEUTE), "kind", pdf=False)


def bestand(store: Store, kundennummer: str) -> dict[str, object]:
    """What is on disk under ablage/ and in the history, counted."""
    ablage = Ablage(store)
    ordner = ablage.ordner(kundennummer)
    namen = sorted(os.listdir(ordner)) if ordner.is_dir() else []
    eintraege = [e.datei for e in ablage.dokumente(kundennummer)]
    zeilen = Counter(e.neu.get("datei") for e in store.historie(kundennummer) if e.aktion.startswith(ABGELEGT))
    return {
        "docx": {n for n in namen if n.endswith(".docx")},
        "eintraege": eintraege,
        "historie": zeilen,
        "temp": [n for n in [*namen, *(os.listdir(ablage.wurzel) if ablage.wurzel.is_dir() else [])]
                 if n.startswith(TEMP_PRAEFIX)],
        "marken": os.listdir(ablage.wurzel / ENTWUERFE) if (ablage.wurzel / ENTWUERFE).is_dir() else [],
        "nachgetragen": sum("nachgetragen" in e.aktion for e in store.historie(kundennummer)),
    }


def test_sigkill_beim_ablegen_hinterlaesst_nach_dem_aufraeumen_nichts_halbes(store_mit_kunde, kunde, plan, brief,
                                                                            tmp_path):
    protokoll = tmp_path / "abgelegt.txt"
    saat = int.from_bytes(os.urandom(4), "big")
    zufall = random.Random(saat)
    kills = entfernt = 0
    abgelegt: list[str] = []
    # The kill falls anywhere in up to three filings, however fast this machine is just now (a filing
    # reads the letter back for the gap check: on a loaded machine that alone can take 0.1 s).
    ablage, beginn = Ablage(store_mit_kunde), time.monotonic()
    ablage.ablegen(ablage.entwurf_schreiben(kunde.kundennummer, VORLAGE, plan.id, brief, HEUTE), "messung", pdf=False)
    fenster = max(0.15, 3 * (time.monotonic() - beginn))
    while (kills < MINDESTENS_KILLS or len(abgelegt) < MINDESTENS_ABGELEGT) and kills < HOECHSTENS_KILLS:
        kind = _FORK.Process(target=ablegen_bis_zum_kill,
                             args=(store_mit_kunde.data_dir, kunde.kundennummer, plan.id, brief, protokoll))
        kind.start()
        time.sleep(zufall.uniform(0.01, fenster))
        os.kill(kind.pid, signal.SIGKILL)
        kind.join()
        assert kind.exitcode == -signal.SIGKILL, f"Kind endete selbst mit {kind.exitcode} (Saat {saat})"
        kills += 1

        entfernt += len(Store(store_mit_kunde.data_dir).aufraeumen())  # as a newly started app would
        stand = bestand(store_mit_kunde, kunde.kundennummer)
        abgelegt = protokoll.read_text().split() if protokoll.exists() else []
        assert stand["docx"] == set(stand["eintraege"]), saat  # no draft without entry, no entry without file
        assert len(stand["eintraege"]) == len(set(stand["eintraege"])), saat
        assert stand["historie"] == Counter(stand["eintraege"]), saat  # each entry exactly one history line
        assert set(abgelegt) <= set(stand["eintraege"]), saat  # what a session saw filed stays filed
        assert stand["temp"] == [] and stand["marken"] == [], (saat, stand)
    assert len(abgelegt) >= MINDESTENS_ABGELEGT, (saat, kills)
    assert store_mit_kunde.akte_laden(kunde.kundennummer).version == 1  # the plans were never touched
    melden("SIGKILL während des Ablegens", Kills=kills, Briefe_abgelegt=len(stand["eintraege"]),
           davon_erst_nach_Kill_gemeldet=len(stand["eintraege"]) - len(abgelegt),
           Entwürfe_und_Tempdateien_aufgeräumt=entfernt, Historienzeilen_nachgetragen=stand["nachgetragen"],
           Entwürfe_ohne_Eintrag=0, Einträge_ohne_Historie=0, Zufallssaat=saat)


def test_entwurf_einer_laufenden_sitzung_bleibt_bis_sie_endet(store_mit_kunde, kunde, plan, brief):
    empfang, senden = _FORK.Pipe(duplex=False)
    kind = _FORK.Process(target=entwurf_halten,
                         args=(store_mit_kunde.data_dir, kunde.kundennummer, plan.id, brief, senden))
    kind.start()
    try:
        assert empfang.poll(30)
        entwurf = Path(empfang.recv())
        os.utime(entwurf, (0, 0))  # age does not matter: the session is alive
        assert Store(store_mit_kunde.data_dir).aufraeumen() == []
        assert entwurf.is_file()
    finally:
        os.kill(kind.pid, signal.SIGKILL)
        kind.join()
    assert Store(store_mit_kunde.data_dir).aufraeumen() == [entwurf]
    stand = bestand(store_mit_kunde, kunde.kundennummer)
    assert (stand["docx"], stand["eintraege"], stand["historie"], stand["marken"]) == (set(), [], Counter(), [])


def test_kill_zwischen_indexeintrag_und_historie_wird_beim_aufraeumen_nachgetragen(store_mit_kunde, kunde, plan,
                                                                                   brief):
    """The Akte's lock held here makes the child stop right after writing the index entry, where
    the history line would follow; killed there, the clean-up completes the filing and says so."""
    with gesperrt(store_mit_kunde.akte_pfad(kunde.kundennummer)):
        kind = _FORK.Process(target=ablegen_und_melden,
                             args=(store_mit_kunde.data_dir, kunde.kundennummer, plan.id, brief))
        kind.start()
        ende = time.monotonic() + 30
        while not bestand(store_mit_kunde, kunde.kundennummer)["eintraege"] and time.monotonic() < ende:
            time.sleep(0.01)
        os.kill(kind.pid, signal.SIGKILL)
        kind.join()
    vorher = bestand(store_mit_kunde, kunde.kundennummer)
    assert len(vorher["eintraege"]) == 1 and vorher["historie"] == Counter()  # the half-done filing
    Store(store_mit_kunde.data_dir).aufraeumen()
    stand = bestand(store_mit_kunde, kunde.kundennummer)
    assert stand["historie"] == Counter(stand["eintraege"]) and stand["nachgetragen"] == 1
    assert stand["docx"] == set(stand["eintraege"]) and stand["marken"] == []
    [zeile] = [e for e in store_mit_kunde.historie(kunde.kundennummer) if e.aktion.startswith(ABGELEGT)]
    assert zeile.benutzer == "kind" and "beim Aufräumen nachgetragen" in zeile.aktion
    Store(store_mit_kunde.data_dir).aufraeumen()  # a second start changes nothing
    assert bestand(store_mit_kunde, kunde.kundennummer) == stand


def test_historie_nicht_schreibbar_dann_kein_indexeintrag_und_erneut_ablegbar(store_mit_kunde, kunde, plan, brief):
    """Both or neither without a kill, too: the history line fails (defective Akte file), so the
    index entry is taken back; the draft stays and is filed once when tried again."""
    ablage = Ablage(store_mit_kunde)
    entwurf = ablage.entwurf_schreiben(kunde.kundennummer, VORLAGE, plan.id, brief, HEUTE)
    akte = store_mit_kunde.akte_pfad(kunde.kundennummer)
    gut = akte.read_bytes()
    akte.write_bytes(b"{kaputt")
    with pytest.raises(StoreFehler, match="kann nicht gelesen werden"):
        ablage.ablegen(entwurf, "anna", pdf=False)
    assert ablage.dokumente(kunde.kundennummer) == [] and entwurf.pfad.is_file()
    akte.write_bytes(gut)
    ablage.ablegen(entwurf, "anna", pdf=False)
    stand = bestand(store_mit_kunde, kunde.kundennummer)
    assert stand["eintraege"] == [entwurf.pfad.name] and stand["historie"] == Counter([entwurf.pfad.name])
    assert stand["marken"] == []


def test_verworfener_entwurf_und_sein_marker_sind_weg(store_mit_kunde, kunde, plan, brief):
    ablage = Ablage(store_mit_kunde)
    entwurf = ablage.entwurf_schreiben(kunde.kundennummer, VORLAGE, plan.id, brief, HEUTE)
    assert bestand(store_mit_kunde, kunde.kundennummer)["marken"] == [f"{kunde.kundennummer}~{entwurf.pfad.name}"]
    assert ablage.verwerfen(entwurf) is None
    stand = bestand(store_mit_kunde, kunde.kundennummer)
    assert (stand["docx"], stand["marken"]) == (set(), [])


def test_defekter_index_haelt_den_start_nicht_auf(store_mit_kunde, kunde, plan, brief):
    """A customer folder whose index does not fit the model is reported, its draft left for later;
    the clean-up of everything else goes on."""
    ablage = Ablage(store_mit_kunde)
    entwurf = ablage.entwurf_schreiben(kunde.kundennummer, VORLAGE, plan.id, brief, HEUTE)
    entwurf.marke.aufgeben()  # the session ends without Ablegen or Abbrechen
    index = ablage.ordner(kunde.kundennummer) / "index.json"
    index.write_text('{"dokumente": {"1": {"datei": 7}}}', encoding="utf-8")
    assert Store(store_mit_kunde.data_dir).aufraeumen() == []
    assert entwurf.pfad.is_file() and bestand_ohne_index(store_mit_kunde)["marken"]
    with pytest.raises(StoreFehler, match="index.json"):
        ablage.dokumente(kunde.kundennummer)


def bestand_ohne_index(store: Store) -> dict[str, list[str]]:
    ordner = Ablage(store).wurzel / ENTWUERFE
    return {"marken": os.listdir(ordner)}
