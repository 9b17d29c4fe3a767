"""`kopl-tui demo`: the demo Jobcenter covers every situation of the guide."""

from datetime import date

from kopl_tui.cli import main
from kopl_tui.demo import demo_jobcenter
from kopl_tui.model import JaNein, Status
from kopl_tui.regeln import ba_regel_verstoesse
from kopl_tui.store import Store


def test_demo_schreibt_mindestens_30_kunden(tmp_path, capsys):
    ziel = tmp_path / "demo"
    assert main(["demo", "--data", str(ziel)]) == 0
    store = Store(ziel)
    assert len(store.kunden()) >= 30
    assert main(["demo", "--data", str(ziel)]) == 1  # refuses to overwrite
    assert main(["demo", "--data", str(ziel), "--wenn-leer"]) == 0
    assert main(["demo", "--data", str(ziel), "--reset"]) == 0


def test_demo_deckt_alle_faelle_des_leitfadens_ab():
    heute = date(2026, 11, 25)
    faelle = demo_jobcenter(heute)
    plaene = [p for f in faelle for p in f.plaene]
    assert {p.status for p in plaene} >= set(Status) | {None}
    assert any(p.schlichtung_notwendig is JaNein.JA and p.schlichtung_ergebnis is None for p in plaene)
    assert any(p.einigung_erfolgt is JaNein.JA for p in plaene)
    assert any(p.ueberpruefung_ueberfaellig(heute) for p in plaene)
    verletzer = [f for f in faelle if ba_regel_verstoesse(f.plaene)]
    assert len(verletzer) == 1
    beispiel = verletzer[0]
    assert sorted((p.gueltig_ab, p.gueltig_bis_text()) for p in beispiel.plaene) == [
        (date(2022, 9, 21), "20.03.2023"), (date(2023, 7, 12), "31.10.2024"),
        (date(2024, 11, 1), "Unbegrenzt"), (date(2025, 1, 7), "Unbegrenzt")]
    assert all(f.plaene == [] or all(not p.befunde() or p.status is None for p in f.plaene) for f in faelle)


def test_demo_ist_deterministisch():
    heute = date(2026, 11, 25)
    a = [(f.kunde.kundennummer, f.kunde.nachname, len(f.plaene)) for f in demo_jobcenter(heute)]
    b = [(f.kunde.kundennummer, f.kunde.nachname, len(f.plaene)) for f in demo_jobcenter(heute)]
    assert a == b


def test_gemeinsame_optionen_vor_und_nach_dem_befehl(tmp_path, monkeypatch, capsys):
    """``--data`` before the command's name counts as after it (``kopl-tui --help`` shows it there);
    it was silently replaced by the default folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KOPL_DATA", raising=False)
    assert main(["--data", str(tmp_path / "vorne"), "demo"]) == 0
    assert main(["demo", "--data", str(tmp_path / "hinten")]) == 0
    assert len(Store(tmp_path / "vorne").kunden()) == len(Store(tmp_path / "hinten").kunden()) >= 30
    assert not (tmp_path / "data").exists()  # the default folder was not touched
    assert main(["--data", str(tmp_path / "vorne"), "--benutzer", "support", "sperre-aufheben", "100D000001"]) == 0
    assert "nicht gesperrt" in capsys.readouterr().out
