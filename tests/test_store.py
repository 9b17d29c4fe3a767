"""TinyDB store: round trip, atomic writes, corrupt files, version check, private files."""

import json
import os
import stat
from datetime import date

import pytest
from tinydb import TinyDB

from kopl_tui.dateien import Dateifehler
from kopl_tui.model import Kooperationsplan, Status
from kopl_tui.store import AtomicJSONStorage, DateiDefekt, Store, VersionKonflikt


def plan(**werte) -> Kooperationsplan:
    return Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 1, 7), **werte)


def test_akte_rundreise_schreiben_neu_oeffnen_gleich(store_mit_kunde):
    plaene = [plan(ziel="Ziel mit Umlauten äöü & <Zeichen>\nzweite Zeile"), Kooperationsplan(
        status=Status.NUR_AUFFORDERUNG, gueltig_bis=None, tag_der_aufforderung=date(2025, 2, 1))]
    store_mit_kunde.akte_speichern("123D456789", plaene, 0, "tester")
    frisch = Store(store_mit_kunde.data_dir).akte_laden("123D456789")
    assert frisch.version == 1
    assert sorted(frisch.plaene, key=lambda p: p.id) == sorted(plaene, key=lambda p: p.id)
    assert frisch.geaendert_von == "tester"


def test_akte_datei_ist_tinydb_mit_iso_daten_und_eigenen_ids(store_mit_kunde):
    p = plan()
    store_mit_kunde.akte_speichern("123D456789", [p], 0, "tester")
    roh = json.loads(store_mit_kunde.akte_pfad("123D456789").read_text(encoding="utf-8"))
    gespeichert = next(iter(roh["plaene"].values()))
    assert gespeichert["id"] == p.id and len(p.id) == 32
    assert gespeichert["gueltig_ab"] == "2025-01-07"
    # stock TinyDB reads the same file
    assert TinyDB(store_mit_kunde.akte_pfad("123D456789")).table("plaene").all()[0]["id"] == p.id


def test_kunden_index_rundreise(store_mit_kunde, kunde):
    assert store_mit_kunde.kunden() == [kunde]
    geaendert = kunde.model_copy(update={"ifk": "Tom Muster"})
    store_mit_kunde.kunden_schreiben([geaendert])
    assert store_mit_kunde.kunde("123D456789").ifk == "Tom Muster"
    assert len(store_mit_kunde.kunden()) == 1
    assert store_mit_kunde.kunde("123D456789").id == kunde.id


def test_speichern_kostet_nur_die_eigene_akte(store_mit_kunde):
    store_mit_kunde.akte_speichern("123D456789", [plan()], 0, "tester")
    index_vorher = store_mit_kunde.kunden_datei.stat().st_mtime_ns
    store_mit_kunde.akte_speichern("123D456789", [plan()], 1, "tester")
    assert store_mit_kunde.kunden_datei.stat().st_mtime_ns == index_vorher


def test_atomares_schreiben_fehler_laesst_alte_datei_intakt(store_mit_kunde, monkeypatch):
    store_mit_kunde.akte_speichern("123D456789", [plan(ziel="alt")], 0, "tester")
    pfad = store_mit_kunde.akte_pfad("123D456789")
    vorher = pfad.read_bytes()

    def kaputt(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", kaputt)
    with pytest.raises(Dateifehler, match="Kein Speicherplatz mehr frei") as fehler:
        store_mit_kunde.akte_speichern("123D456789", [plan(ziel="neu")], 1, "tester")
    assert str(pfad) in str(fehler.value) and "No space" not in str(fehler.value)
    assert pfad.read_bytes() == vorher
    assert not [p for p in pfad.parent.iterdir() if p.name.startswith(".tmp-")]


def test_fsync_vor_replace(store_mit_kunde, monkeypatch):
    ablauf = []
    echtes_fsync, echtes_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (ablauf.append("fsync"), echtes_fsync(fd)))
    monkeypatch.setattr(os, "replace", lambda *a, **k: (ablauf.append("replace"), echtes_replace(*a, **k)))
    store_mit_kunde.akte_speichern("123D456789", [plan()], 0, "tester")
    assert ablauf == ["fsync", "replace", "fsync"]  # file, replace, folder


def test_defekte_datei_meldung_und_unveraendert(store_mit_kunde):
    pfad = store_mit_kunde.akte_pfad("123D456789")
    pfad.write_text('{"plaene": {"1": {"id": "x"', encoding="utf-8")
    vorher = pfad.read_bytes()
    with pytest.raises(DateiDefekt) as info:
        store_mit_kunde.akte_laden("123D456789")
    assert str(pfad) in str(info.value) and "kein gültiges JSON" in str(info.value)
    with pytest.raises(DateiDefekt):
        store_mit_kunde.akte_speichern("123D456789", [plan()], 0, "tester")
    assert pfad.read_bytes() == vorher


@pytest.mark.parametrize("inhalt", [b"", b"\xff\xfe\x00", b"[1, 2]", b'{"plaene": [1]}'])
def test_defekte_datei_arten(tmp_path, inhalt):
    pfad = tmp_path / "x.json"
    pfad.write_bytes(inhalt)
    with pytest.raises(DateiDefekt):
        AtomicJSONStorage(pfad).read()


def test_versionskonflikt_schreibt_nichts(store_mit_kunde):
    store_mit_kunde.akte_speichern("123D456789", [plan(ziel="A")], 0, "anna")
    vorher = store_mit_kunde.akte_pfad("123D456789").read_bytes()
    with pytest.raises(VersionKonflikt) as info:
        store_mit_kunde.akte_speichern("123D456789", [plan(ziel="B")], 0, "bernd")
    assert "neu laden" in str(info.value)
    assert store_mit_kunde.akte_pfad("123D456789").read_bytes() == vorher


def test_dateien_privat_0600_ordner_0700(store_mit_kunde):
    old = os.umask(0)
    try:
        store_mit_kunde.akte_speichern("123D456789", [plan()], 0, "tester")
    finally:
        os.umask(old)
    assert stat.S_IMODE(store_mit_kunde.akte_pfad("123D456789").stat().st_mode) == 0o600
    assert stat.S_IMODE(store_mit_kunde.kunden_datei.stat().st_mode) == 0o600
    assert stat.S_IMODE(store_mit_kunde.akten_dir.stat().st_mode) == 0o700


def test_ungueltige_kundennummer_kein_pfad(store):
    with pytest.raises(Exception, match="keine gültige Kundennummer"):
        store.akte_pfad("../../etc/passwd")


def test_aufraeumen_entfernt_alte_tempdateien(store):
    alt = store.akten_dir / ".tmp-abc.json"
    alt.write_text("{}")
    os.utime(alt, (0, 0))
    jung = store.akten_dir / ".tmp-def.json"
    jung.write_text("{}")
    assert store.aufraeumen() == [alt]
    assert not alt.exists() and jung.exists()
