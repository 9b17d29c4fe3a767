"""`make bench` runs: its pty parts (idle, bytes per action, capacity, many started at once, the same
through a Vorstart server) on a tiny demo folder with tiny counts, through the real console script. Not a speed test: the figures are
only checked to be there, except what does not depend on speed (an idle session writes nothing, a
blinking one does)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kopl_tui.demo import demo_jobcenter, schreiben
from kopl_tui.store import Store
from tests.conftest import HEUTE

RUN = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


def test_bench_pty_teile_laufen_auf_kleinem_ordner(tmp_path: Path) -> None:
    ordner = tmp_path / "demo"
    schreiben(Store(ordner), demo_jobcenter(HEUTE))
    ergebnis = tmp_path / "latest.json"
    lauf = subprocess.run([sys.executable, str(RUN), "--ordner", str(ordner), "--nur",
                           "leerlauf,bytes,kapazitaet,gleichzeitig,vorstart", "--sitzungen", "2",
                           "--sitzungen-vorstart", "2", "--kapazitaet-s", "3",
                           "--leerlauf-s", "1", "--gleichzeitig", "2", "--ergebnis", str(ergebnis)],
                          capture_output=True, text=True, timeout=600)
    assert lauf.returncode == 0, lauf.stderr[-3000:]
    figuren = {f["name"]: f for f in json.loads(ergebnis.read_text(encoding="utf-8"))["figuren"]}

    assert figuren["Leerlauf einer Sitzung: Bytes ans Terminal"]["wert"] == 0  # no blinking cursor by default
    assert figuren["Leerlauf einer Sitzung: Bytes ans Terminal"]["erfuellt"] is True
    assert figuren["Leerlauf mit blinkendem Cursor (--blinken, KOPL_BLINKEN=1)"]["wert"] > 0
    for aktion in ("Filter-Tastendruck in der Kundenliste", "Übersicht öffnen (Enter in der Kundenliste)",
                   "F1 Hilfe öffnen", "Maske öffnen (b in der Übersicht)", "Zeichen in ein Textfeld der Maske",
                   "Strg+S (übernehmen und speichern, mit Meldung)"):
        figur = figuren[f"Bytes: {aktion}"]
        assert figur["wert"] > 0 and figur["verhaeltnis"] > 0, figur
    zeiten = figuren["2 Sitzungen: Taste bis vollständiger Frame, p95"]
    assert zeiten["laeufe"] and all(t > 0 for t in zeiten["laeufe"])
    assert figuren["2 Sitzungen: USS je Sitzung (Maximum)"]["wert"] > 0
    assert figuren["2 Sitzungen: USS je Sitzung (Maximum)"]["ziel"] == ""  # information: the goal is Vorstart's
    vorstart = figuren["2 Sitzungen über Vorstart: USS je Sitzung (Client + Arbeitsprozess, Maximum)"]
    assert vorstart["ziel"] == "≤ 35 MB" and vorstart["erfuellt"] is not None and vorstart["wert"] > 0
    assert "Konsolenprogramm" in vorstart["notiz"] and "Arbeitsprozess" in vorstart["notiz"]
    assert figuren["2 Sitzungen über Vorstart: Taste bis vollständiger Frame, p95"]["laeufe"]
    assert len(figuren["2 Sitzungen gleichzeitig über Vorstart gestartet: bis Kundenliste gezeigt, Median"]["laeufe"]) == 2
    assert figuren["Vorstart-Server: Speicher, einmal für alle Sitzungen (RSS)"]["wert"] > 0
    assert len(figuren["2 Sitzungen gleichzeitig gestartet: bis Kundenliste gezeigt, Median"]["laeufe"]) == 2
    assert "| erfüllt?" in lauf.stdout
