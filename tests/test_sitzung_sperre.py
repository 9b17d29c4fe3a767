"""A session that no longer holds its own edit lock never writes; support cannot lift a live lock by accident."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from kopl_tui.akte import SperreVerloren
from kopl_tui.model import Kooperationsplan, Status
from kopl_tui.akte import akte_oeffnen
from kopl_tui.sperre import AkteSperre, SperreAktiv
from tests.test_sperre import NR, Sitzung


def plan(ziel: str) -> Kooperationsplan:
    return Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 1, 7), ziel=ziel)


def test_nach_erzwungenem_aufheben_schreibt_die_alte_sitzung_nie(store_mit_kunde, kunde):
    anna = akte_oeffnen(store_mit_kunde, kunde, "anna")
    anna.uebernehmen(plan("von anna"))
    assert AkteSperre.aufheben(store_mit_kunde, NR, "support", erzwingen=True).benutzer == "anna"
    bernd = akte_oeffnen(store_mit_kunde, kunde, "bernd")
    assert not bernd.schreibgeschuetzt
    with pytest.raises(SperreVerloren, match=r"Ihre Bearbeitungssperre .* wurde aufgehoben\. Akte wird bearbeitet "
                                             r"von bernd seit .* nicht gespeichert"):
        anna.speichern()
    assert store_mit_kunde.akte_laden(NR).version == 0 and store_mit_kunde.akte_laden(NR).plaene == []
    assert anna.schreibgeschuetzt and "bernd" in anna.grund and anna.plaene == []  # shows the stored state
    anna.schliessen()  # never deletes bernd's lock
    assert AkteSperre.lesen(store_mit_kunde, NR).benutzer == "bernd"
    bernd.uebernehmen(plan("von bernd"))
    bernd.speichern()
    assert [p.ziel for p in store_mit_kunde.akte_laden(NR).plaene] == ["von bernd"]
    bernd.schliessen()


def test_verschwundene_sperrdatei_bei_gleichem_stand_schreibt_nicht(store_mit_kunde, kunde):
    """A training room reset replaces the folder: the version may match again, the lock is gone."""
    anna = akte_oeffnen(store_mit_kunde, kunde, "anna")
    anna.uebernehmen(plan("vor dem Zurücksetzen"))
    AkteSperre.pfad(store_mit_kunde, NR).unlink()
    with pytest.raises(SperreVerloren, match="Niemand bearbeitet sie gerade"):
        anna.speichern()
    assert store_mit_kunde.akte_laden(NR).version == 0


@pytest.mark.parametrize("kennung_bleibt", [True, False])
def test_sperrdatei_anders_geschrieben_entscheidet_die_kennung(store_mit_kunde, kunde, kennung_bleibt):
    """The save compares the lock file with what this session wrote and parses it only when it
    differs: then, as always, the kennung decides (same kennung, other spelling: still ours)."""
    anna = akte_oeffnen(store_mit_kunde, kunde, "anna")
    anna.uebernehmen(plan("von anna"))
    pfad = AkteSperre.pfad(store_mit_kunde, NR)
    daten = json.loads(pfad.read_bytes())
    if not kennung_bleibt:
        daten["kennung"] = "f" * len(daten["kennung"])
    pfad.write_text(json.dumps(daten, indent=2), encoding="utf-8")
    if kennung_bleibt:
        anna.speichern()
        assert [p.ziel for p in store_mit_kunde.akte_laden(NR).plaene] == ["von anna"]
    else:
        with pytest.raises(SperreVerloren, match="wurde aufgehoben. Akte wird bearbeitet von anna"):
            anna.speichern()
        assert store_mit_kunde.akte_laden(NR).version == 0
    anna.schliessen()


def test_neu_laden_bemerkt_die_verlorene_sperre(store_mit_kunde, kunde):
    anna = akte_oeffnen(store_mit_kunde, kunde, "anna")
    AkteSperre.aufheben(store_mit_kunde, NR, "support", erzwingen=True)
    anna.neu_laden()
    assert anna.schreibgeschuetzt and "aufgehoben" in anna.grund


def sperre_aufheben(store, *weitere: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kopl_tui", "sperre-aufheben", NR, "--data", str(store.data_dir),
                           "--benutzer", "support", *weitere], capture_output=True, text=True, timeout=60)


def test_sperre_aufheben_verweigert_einen_lebenden_prozess(store_mit_kunde, tmp_path):
    anna = Sitzung(store_mit_kunde, tmp_path / "ende")  # a real second process holds the lock
    try:
        ergebnis = sperre_aufheben(store_mit_kunde)
        assert ergebnis.returncode == 1 and ergebnis.stdout == ""
        assert f"anna (Prozess {anna.pid} auf " in ergebnis.stderr and "--erzwingen" in ergebnis.stderr
        assert AkteSperre.lesen(store_mit_kunde, NR).pid == anna.pid
        assert not [e for e in store_mit_kunde.historie(NR) if "aufgehoben" in e.aktion]
        with pytest.raises(SperreAktiv):
            AkteSperre.aufheben(store_mit_kunde, NR, "support")
        ergebnis = sperre_aufheben(store_mit_kunde, "--erzwingen")
        assert ergebnis.returncode == 0 and f"Sperre von anna (Prozess {anna.pid}" in ergebnis.stdout
        assert AkteSperre.lesen(store_mit_kunde, NR) is None
        assert store_mit_kunde.historie(NR)[-1].aktion.startswith("Bearbeitungssperre aufgehoben (erzwungen): anna")
    finally:
        anna.schliessen()


def test_sperre_eines_beendeten_prozesses_ohne_erzwingen(store_mit_kunde, tmp_path):
    anna = Sitzung(store_mit_kunde, tmp_path / "ende")
    anna.toeten()
    ergebnis = sperre_aufheben(store_mit_kunde)
    assert ergebnis.returncode == 0 and "Sperre von anna" in ergebnis.stdout
    assert store_mit_kunde.historie(NR)[-1].aktion.startswith("Bearbeitungssperre aufgehoben: anna")
