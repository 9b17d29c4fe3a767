"""``schulung --reset`` while trainees work: refused and named, unless forced; a session forced out
never writes its old data into the fresh folder. Real processes hold the locks, a real serve runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kopl_tui.cli import main
from kopl_tui.store import Store
from tests.test_serve import freier_port, seite_laden, server
from tests.test_schulung import inhalt

FRIST = 60.0  # s: upper bound for a loaded CI machine, not a speed goal


def daten(ordner: Path) -> dict[str, bytes]:
    """The folder's files without the empty side files of short file locks (created on use)."""
    return {name: roh for name, roh in inhalt(ordner).items() if not name.endswith(".lock")}


def reset(raum: Path, *weitere: str) -> int:
    return main(["schulung", "--data", str(raum), "--teilnehmer", "2", "--reset", *weitere])


@pytest.fixture
def raum(tmp_path: Path) -> Path:
    assert main(["schulung", "--data", str(tmp_path / "raum"), "--teilnehmer", "2"]) == 0
    return tmp_path / "raum"


def warten_auf(datei: Path, prozess: subprocess.Popen) -> None:
    ende = time.monotonic() + FRIST
    while not datei.exists():
        assert prozess.poll() is None, prozess.stderr.read() if prozess.stderr else ""
        assert time.monotonic() < ende
        time.sleep(0.05)


class Teilnehmer:
    """A trainee's session in a real process: opens Musterfrau's Akte for editing, changes a plan,
    and on request tries the final save (Strg+S), reporting what happened."""

    def __init__(self, ordner: Path, steuer: Path):
        self.steuer = steuer
        skript = textwrap.dedent(f"""
            import time
            from pathlib import Path
            from kopl_tui.akte import SperreVerloren
            from kopl_tui.akte import akte_oeffnen
            from kopl_tui.store import Store
            store, steuer = Store(Path({str(ordner)!r})), Path({str(steuer)!r})
            kunde = next(k for k in store.kunden() if k.nachname == "Musterfrau")
            akte = akte_oeffnen(store, kunde, "tn01")
            assert not akte.schreibgeschuetzt
            plan = akte.plan(akte.plaene[0].id)
            plan.ziel = "Vor dem Zurücksetzen geändert"
            akte.uebernehmen(plan)
            (steuer / "bereit").touch()
            while not (steuer / "speichern").exists():
                time.sleep(0.02)
            try:
                akte.speichern()
                ergebnis = "gespeichert"
            except SperreVerloren as fehler:
                ergebnis = "abgelehnt: " + str(fehler)
            (steuer / "ergebnis").write_text(ergebnis, encoding="utf-8")
            akte.schliessen()
        """)
        steuer.mkdir()
        self.prozess = subprocess.Popen([sys.executable, "-c", skript], stderr=subprocess.PIPE, text=True)
        warten_auf(steuer / "bereit", self.prozess)

    def speichern(self) -> str:
        (self.steuer / "speichern").touch()
        warten_auf(self.steuer / "ergebnis", self.prozess)
        self.prozess.wait(FRIST)
        return (self.steuer / "ergebnis").read_text(encoding="utf-8")

    def beenden(self) -> None:
        if self.prozess.poll() is None:
            self.prozess.kill()
        self.prozess.wait(FRIST)


def test_reset_verweigert_bei_laufenden_sitzungen_und_nennt_die_ordner(raum: Path, tmp_path: Path, capsys):
    teilnehmer = Teilnehmer(raum / "tn01", tmp_path / "tn01-steuer")
    port = freier_port()
    try:
        with server(tmp_path, "--data", str(raum / "tn02"), "--port", str(port), "--benutzer", "tn02") as (serve, _):
            seite_laden(f"http://127.0.0.1:{port}/", serve)
            vorher = {name: inhalt(raum / name) for name in ("tn01", "tn02")}
            assert reset(raum) == 1
            meldung = capsys.readouterr().err
            assert "Zurücksetzen abgelehnt: in tn01, tn02 wird noch gearbeitet." in meldung
            assert "tn01: Akte " in meldung and f"bearbeitet von tn01 (Prozess {teilnehmer.prozess.pid} " in meldung
            assert f"tn02: kopl-tui serve für tn02 läuft (Prozess {serve.pid} " in meldung
            assert "--erzwingen" in meldung and "Traceback" not in meldung
            assert {name: inhalt(raum / name) for name in ("tn01", "tn02")} == vorher  # nothing touched

            assert reset(raum, "--erzwingen") == 0
            frisch = daten(raum / "tn01")
            assert teilnehmer.speichern().startswith("abgelehnt: Ihre Bearbeitungssperre")  # Strg+S after the reset
            assert daten(raum / "tn01") == frisch  # the old session wrote nothing into the fresh folder
            kunde = next(k for k in Store(raum / "tn01").kunden() if k.nachname == "Musterfrau")
            assert all(p.ziel != "Vor dem Zurücksetzen geändert"
                       for p in Store(raum / "tn01").akte_laden(kunde.kundennummer).plaene)
            assert reset(raum) == 1  # the serve process still runs on tn02: still seen after the reset
            assert "tn02: kopl-tui serve für tn02" in capsys.readouterr().err
        assert not list((raum / "tn02").glob("serve-*.sitzung"))  # gone with its process
        assert reset(raum) == 0
    finally:
        teilnehmer.beenden()


def test_sperre_eines_beendeten_prozesses_haelt_den_reset_nicht_auf(raum: Path, tmp_path: Path, capsys):
    teilnehmer = Teilnehmer(raum / "tn01", tmp_path / "tn01-steuer")
    os.kill(teilnehmer.prozess.pid, signal.SIGKILL)  # the trainee's laptop lid closed: the lock stays behind
    teilnehmer.beenden()
    assert list((raum / "tn01" / "akten").glob("*.sperre"))
    assert reset(raum) == 0
    assert not list((raum / "tn01" / "akten").glob("*.sperre"))
    assert inhalt(raum / "tn01") == inhalt(raum / "tn02")
