"""`kopl-tui schulung`: identical, independent training copies of the demo Jobcenter, resettable."""

import stat
from datetime import date, timedelta
from pathlib import Path

import pytest

from kopl_tui.akte import Kundenakte
from kopl_tui.cli import main
from kopl_tui.model import JaNein, Status
from kopl_tui.regeln import ba_regel_verstoesse
from kopl_tui.schulung import MARKER, ist_schulung
from kopl_tui.store import Store


def inhalt(ordner: Path) -> dict[str, bytes]:
    return {str(p.relative_to(ordner)): p.read_bytes() for p in sorted(ordner.rglob("*")) if p.is_file()}


@pytest.fixture
def raum(tmp_path) -> Path:
    ziel = tmp_path / "raum"
    assert main(["schulung", "--data", str(ziel), "--teilnehmer", "3"]) == 0
    return ziel


def test_schulungskopien_sind_gleich_und_privat(raum):
    assert sorted(p.name for p in raum.iterdir()) == ["tn01", "tn02", "tn03"]
    erste = inhalt(raum / "tn01")
    assert "kunden.json" in erste and MARKER in erste and any(n.startswith("akten/") for n in erste)
    assert inhalt(raum / "tn02") == erste and inhalt(raum / "tn03") == erste
    for pfad in (raum / "tn02").rglob("*"):
        erwartet = 0o700 if pfad.is_dir() else 0o600
        assert stat.S_IMODE(pfad.stat().st_mode) == erwartet, pfad
    assert stat.S_IMODE((raum / "tn02").stat().st_mode) == 0o700


def test_ist_schulung_nur_fuer_schulungsordner(raum, tmp_path):
    assert ist_schulung(raum / "tn01")
    assert main(["demo", "--data", str(tmp_path / "demo")]) == 0
    assert not ist_schulung(tmp_path / "demo")


def aendern(ordner: Path) -> tuple[str, str]:
    """A trainee's edit through the app's own Kundenakte: a new Ziel, saved."""
    store = Store(ordner)
    kunde = next(k for k in store.kunden() if k.nachname == "Musterfrau")
    akte = Kundenakte.oeffnen(store, kunde, "teilnehmer")
    plan = akte.plan(akte.plaene[0].id)
    plan.ziel = "Von Teilnehmer 1 geändert"
    akte.uebernehmen(plan)
    akte.speichern()
    return kunde.kundennummer, plan.id


def test_aenderung_in_tn01_erscheint_nicht_in_tn02_und_reset_stellt_her(raum, capsys):
    vorher = inhalt(raum / "tn02")
    kundennummer, plan_id = aendern(raum / "tn01")
    assert Store(raum / "tn01").akte_laden(kundennummer).plaene[0].ziel == "Von Teilnehmer 1 geändert"
    assert inhalt(raum / "tn02") == vorher
    assert Store(raum / "tn02").akte_laden(kundennummer).version == 1

    assert main(["schulung", "--data", str(raum), "--teilnehmer", "3", "--reset"]) == 0
    stand = Store(raum / "tn01").akte_laden(kundennummer)
    assert stand.version == 1 and all(p.ziel != "Von Teilnehmer 1 geändert" for p in stand.plaene)
    assert inhalt(raum / "tn01") == inhalt(raum / "tn02") == inhalt(raum / "tn03")
    assert ist_schulung(raum / "tn01")
    assert sorted(p.name for p in raum.iterdir()) == ["tn01", "tn02", "tn03"]  # no leftovers


def test_ohne_reset_wird_nichts_ueberschrieben(raum, capsys):
    aendern(raum / "tn01")
    vorher = inhalt(raum / "tn01")
    assert main(["schulung", "--data", str(raum), "--teilnehmer", "3"]) == 1
    assert "--reset" in capsys.readouterr().err
    assert inhalt(raum / "tn01") == vorher


def test_reset_loescht_keinen_ordner_ohne_markierung(tmp_path, capsys):
    raum = tmp_path / "raum"
    assert main(["demo", "--data", str(raum / "tn02")]) == 0  # real-looking data, no marker
    vorher = inhalt(raum / "tn02")
    assert main(["schulung", "--data", str(raum), "--teilnehmer", "2", "--reset"]) == 1
    assert "tn02" in capsys.readouterr().err
    assert inhalt(raum / "tn02") == vorher and not (raum / "tn01").exists()


def test_schulung_nicht_in_einem_datenordner(tmp_path, capsys):
    assert main(["demo", "--data", str(tmp_path / "live")]) == 0
    assert main(["schulung", "--data", str(tmp_path / "live"), "--teilnehmer", "2"]) == 1
    assert "selbst ein Datenordner" in capsys.readouterr().err
    assert not (tmp_path / "live" / "tn01").exists()


@pytest.mark.parametrize("argumente", [["--teilnehmer", "0"], ["--teilnehmer", "100"], ["--teilnehmer", "x"], []])
def test_schulung_aufruffehler_exit_2(tmp_path, argumente):
    with pytest.raises(SystemExit) as ende:
        main(["schulung", "--data", str(tmp_path / "raum"), *argumente])
    assert ende.value.code == 2


def test_schulung_ohne_data_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["schulung", "--teilnehmer", "2"]) == 2
    assert list(tmp_path.iterdir()) == []


def test_schulungsdaten_decken_die_faelle_der_schulung_ab(raum):
    """Every status, a "nur Aufforderung", a running and a finished Schlichtung, the guide's BA-rule
    violation, an overdue review, as a trainee finds them (read back from tn01)."""
    heute = date.today()
    store = Store(raum / "tn01")
    akten = [store.akte_laden(k.kundennummer).plaene for k in store.kunden()]
    plaene = [p for a in akten for p in a]
    assert {p.status for p in plaene} == {*Status, None}
    assert any(p.schlichtung_notwendig is JaNein.JA and p.schlichtung_ergebnis is None
               and p.schlichtung_beginn <= heute <= p.schlichtung_beginn + timedelta(days=28) for p in plaene)
    assert any(p.schlichtung_ergebnis and p.einigung_erfolgt is JaNein.JA for p in plaene)
    assert sum(1 for a in akten if ba_regel_verstoesse(a)) == 1
    assert any(p.ueberpruefung_ueberfaellig(heute) for p in plaene)
    # an Aufforderung for each of the six print templates of §3.2: four without, two within a plan
    assert sum(1 for p in plaene if p.status is Status.NUR_AUFFORDERUNG and p.tag_der_aufforderung) >= 4
    assert sum(1 for p in plaene if p.status is not Status.NUR_AUFFORDERUNG and p.tag_der_aufforderung) >= 2
