"""Store hardening (README, "Zuverlässigkeit"): clean-up under the lock, defective files reported and moved aside only
on request, the audit trail's commit point, a busy lock as a German message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime

import pytest

from kopl_tui import datenordner
from kopl_tui.model import HistorienEintrag, Kooperationsplan, Status
from kopl_tui.datenordner import gesperrt
from kopl_tui.store import DateiDefekt, Store, StoreFehler

NR = "123D456789"


def plan(**werte) -> Kooperationsplan:
    return Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 1, 7), **werte)


def eintrag(text: str) -> HistorienEintrag:
    return HistorienEintrag(zeit=datetime.now().astimezone(), benutzer="anna", aktion=text)


# ---- start-up clean-up ---------------------------------------------------------------------------

def test_aufraeumen_laesst_tempdatei_eines_laufenden_speicherns_stehen(store_mit_kunde):
    """A save in another session holds its target's lock: its temp file must survive start-up."""
    ziel = store_mit_kunde.akte_pfad(NR)
    laufend = ziel.parent / f".tmp-{ziel.name}~abc123"
    laufend.write_text("{}")
    os.utime(laufend, (0, 0))  # age does not matter: the lock does
    with gesperrt(ziel):
        assert store_mit_kunde.aufraeumen() == []
    assert laufend.exists()
    assert store_mit_kunde.aufraeumen() == [laufend]
    assert not laufend.exists()


def test_aufraeumen_entfernt_verwaiste_tempdateien_von_index_und_sperre(store_mit_kunde):
    index = store_mit_kunde.data_dir / ".tmp-kunden.json~x1"
    sperre = store_mit_kunde.akten_dir / f".tmp-{NR}.sperre~x2"
    for pfad in (index, sperre):
        pfad.write_text("personenbezogen")
    assert sorted(store_mit_kunde.aufraeumen()) == sorted([index, sperre])
    assert not index.exists() and not sperre.exists()


def test_aufraeumen_fremde_namen_nur_wenn_alt(store):
    fremd_alt = store.akten_dir / ".tmp-irgendwas"
    fremd_jung = store.akten_dir / ".tmp-etwas~neu"
    for pfad in (fremd_alt, fremd_jung):
        pfad.write_text("x")
    os.utime(fremd_alt, (0, 0))
    assert store.aufraeumen() == [fremd_alt]
    assert fremd_jung.exists()
    assert not list(store.akten_dir.glob("*.lock"))  # no lock files made up for unknown names


# ---- the audit trail's commit point ----------------------------------------------------------------

def test_historie_eines_abgebrochenen_speicherns_wird_nie_gelesen(store_mit_kunde, monkeypatch):
    """Killed (here: failed) between appending the history and replacing the Akte: the appended
    lines are not committed, never shown, and cut off by the next save."""
    store_mit_kunde.akte_speichern(NR, [plan(ziel="eins")], 0, "anna", [eintrag("erstes Speichern")])
    echtes_replace = os.replace

    def abbruch(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", abbruch)
    with pytest.raises(StoreFehler, match="Kein Speicherplatz"):
        store_mit_kunde.akte_speichern(NR, [plan(ziel="zwei")], 1, "anna", [eintrag("nie gespeichert")])
    monkeypatch.setattr(os, "replace", echtes_replace)
    hpfad = store_mit_kunde.historie_pfad(NR)
    assert b"nie gespeichert" in hpfad.read_bytes()  # on disk, beyond the committed length
    assert [e.aktion for e in store_mit_kunde.historie(NR)] == ["erstes Speichern"]
    assert store_mit_kunde.akte_laden(NR).version == 1
    store_mit_kunde.akte_speichern(NR, [plan(ziel="drei")], 1, "anna", [eintrag("zweites Speichern")])
    assert [e.aktion for e in store_mit_kunde.historie(NR)] == ["erstes Speichern", "zweites Speichern"]
    assert b"nie gespeichert" not in hpfad.read_bytes()


def test_historie_fsync_vor_dem_ersetzen_der_akte(store_mit_kunde, monkeypatch):
    ablauf = []
    echtes_fsync, echtes_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (ablauf.append(os.readlink(f"/proc/self/fd/{fd}")), echtes_fsync(fd)))
    monkeypatch.setattr(os, "replace", lambda *a, **k: (ablauf.append("replace"), echtes_replace(*a, **k)))
    store_mit_kunde.akte_speichern(NR, [plan()], 0, "anna", [eintrag("x")])
    assert ablauf.index(str(store_mit_kunde.historie_pfad(NR))) < ablauf.index("replace")
    assert ablauf[-2:] == ["replace", str(store_mit_kunde.akten_dir)]  # the folder after the replace


def test_historie_aelterer_akten_in_der_akte_datei_bleibt_lesbar(store_mit_kunde):
    """Akte files written before the trail had its own file keep their entries, first."""
    alt = eintrag("alter Eintrag").model_dump(mode="json")
    store_mit_kunde.akte_pfad(NR).write_text(json.dumps({"akte": {"1": {"version": 3}}, "historie": {"1": alt}}))
    store_mit_kunde.akte_speichern(NR, [plan()], 3, "anna", [eintrag("neuer Eintrag")])
    assert [e.aktion for e in store_mit_kunde.historie(NR)] == ["alter Eintrag", "neuer Eintrag"]


# ---- defective files ------------------------------------------------------------------------------

@pytest.mark.parametrize("inhalt, grund", [
    ({"plaene": {"1": {"id": "a1", "gueltig_ab": "31.02.2025"}}}, "Inhalt passt nicht zum Datenmodell"),
    ({"akte": {"1": {"version": "sieben"}}}, "ungültiger Stand"),
    ({"akte": {"1": {"historie_bytes": -5}}}, "ungültige Länge der Historie"),
])
def test_akte_die_nicht_zum_modell_passt_wird_gemeldet_nie_ueberschrieben(store_mit_kunde, inhalt, grund):
    pfad = store_mit_kunde.akte_pfad(NR)
    pfad.write_text(json.dumps(inhalt), encoding="utf-8")
    vorher = pfad.read_bytes()
    with pytest.raises(DateiDefekt, match=grund) as info:
        store_mit_kunde.akte_laden(NR)
        store_mit_kunde.historie(NR)
    assert str(pfad) in str(info.value)
    with pytest.raises(DateiDefekt):
        store_mit_kunde.akte_speichern(NR, [plan()], 0, "anna")
    with pytest.raises(DateiDefekt):
        store_mit_kunde.historie_anhaengen(NR, [eintrag("Brief")])
    assert pfad.read_bytes() == vorher


def test_kundenindex_der_nicht_zum_modell_passt_wird_gemeldet(store_mit_kunde):
    daten = json.loads(store_mit_kunde.kunden_datei.read_text())
    next(iter(daten["kunden"].values()))["kundennummer"] = "kaputt"
    store_mit_kunde.kunden_datei.write_text(json.dumps(daten))
    with pytest.raises(DateiDefekt, match="kunden.json.*Kundennummer"):
        store_mit_kunde.kunden()


def test_defekte_akte_nur_auf_anforderung_beiseite_rest_arbeitet_weiter(store_mit_kunde, kunde):
    anderer = kunde.model_copy(update={"kundennummer": "123D000001", "id": "b2"})
    store_mit_kunde.kunden_schreiben([anderer])
    store_mit_kunde.akte_speichern(anderer.kundennummer, [plan(ziel="heil")], 0, "anna")
    store_mit_kunde.akte_speichern(NR, [plan()], 0, "anna", [eintrag("vorher")])
    pfad = store_mit_kunde.akte_pfad(NR)
    pfad.write_bytes(b'{"plaene": {"1": ')  # a torn file, e.g. restored from a broken backup
    kaputt = pfad.read_bytes()
    with pytest.raises(DateiDefekt):
        store_mit_kunde.akte_laden(NR)
    assert pfad.read_bytes() == kaputt  # reading never "repairs"
    # the rest keeps working
    assert store_mit_kunde.akte_laden(anderer.kundennummer).plaene[0].ziel == "heil"
    assert {k.kundennummer for k in store_mit_kunde.kunden()} == {NR, anderer.kundennummer}

    ergebnis = subprocess.run([sys.executable, "-m", "kopl_tui", "akte-beiseite", NR, "--data",
                               str(store_mit_kunde.data_dir), "--benutzer", "support"],
                              capture_output=True, text=True, timeout=60)
    assert ergebnis.returncode == 0, ergebnis.stderr
    beiseite = list(store_mit_kunde.akten_dir.glob(f"{NR}.json.defekt-*"))
    assert len(beiseite) == 1 and beiseite[0].read_bytes() == kaputt
    assert str(beiseite[0].name) in ergebnis.stdout
    assert list(store_mit_kunde.akten_dir.glob(f"{NR}.historie.jsonl.defekt-*"))  # its history went with it
    assert store_mit_kunde.akte_laden(NR).plaene == []
    notiz = store_mit_kunde.historie(NR)
    assert len(notiz) == 1 and notiz[0].benutzer == "support" and beiseite[0].name in notiz[0].aktion
    assert NR in store_mit_kunde.akten_nummern()


def test_lesbare_akte_wird_nicht_beiseitegelegt(store_mit_kunde):
    store_mit_kunde.akte_speichern(NR, [plan()], 0, "anna")
    vorher = sorted(p.name for p in store_mit_kunde.akten_dir.iterdir())
    with pytest.raises(StoreFehler, match="ist lesbar und wird nicht beiseitegelegt"):
        store_mit_kunde.akte_beiseite(NR, "support")
    with pytest.raises(StoreFehler, match="keine Akte-Datei"):
        store_mit_kunde.akte_beiseite("999Z999999", "support")
    assert sorted(p.name for p in store_mit_kunde.akten_dir.iterdir()) == vorher


def test_defekte_historie_allein_beiseite_plaene_bleiben(store_mit_kunde):
    gespeichert = plan(ziel="bleibt")
    store_mit_kunde.akte_speichern(NR, [gespeichert], 0, "anna", [eintrag("eins"), eintrag("zwei")])
    hpfad = store_mit_kunde.historie_pfad(NR)
    hpfad.write_bytes(hpfad.read_bytes()[:10])  # truncated behind our back
    with pytest.raises(DateiDefekt, match="kürzer"):
        store_mit_kunde.historie(NR)
    assert store_mit_kunde.akte_laden(NR).plaene == [gespeichert]  # the plans can still be worked on
    ziel = store_mit_kunde.akte_beiseite(NR, "support")
    assert ziel.name.startswith(f"{NR}.historie.jsonl.defekt-")
    assert store_mit_kunde.akte_laden(NR).plaene == [gespeichert]
    assert [e.benutzer for e in store_mit_kunde.historie(NR)] == ["support"]
    store_mit_kunde.akte_speichern(NR, [gespeichert], 1, "anna", [eintrag("weiter")])
    assert [e.aktion for e in store_mit_kunde.historie(NR)][-1] == "weiter"


def test_belegte_gesperrt_wird_deutsche_meldung(store_mit_kunde, monkeypatch):
    monkeypatch.setattr(datenordner, "SPERR_WARTEZEIT", 0.2)
    with gesperrt(store_mit_kunde.akte_pfad(NR)), pytest.raises(StoreFehler, match="von einem anderen Programm gespeichert"):
        store_mit_kunde.akte_speichern(NR, [plan()], 0, "anna")
    assert not store_mit_kunde.akte_pfad(NR).exists()


def test_neuer_prozess_liest_was_ein_anderer_gerade_ersetzt_hat(store_mit_kunde):
    """Readers open by path each time: no stale handle after another process's replace."""
    leser = Store(store_mit_kunde.data_dir)
    assert leser.akte_laden(NR).version == 0
    store_mit_kunde.akte_speichern(NR, [plan()], 0, "anna")
    assert leser.akte_laden(NR).version == 1


def test_stand_historie_zeigt_was_mit_diesem_stand_gespeichert_war(store_mit_kunde):
    """``AkteStand.historie`` is read on first use, up to the length committed with that state."""
    stand = store_mit_kunde.akte_speichern(NR, [plan()], 0, "anna", [eintrag("gespeichert")])
    store_mit_kunde.historie_anhaengen(NR, [eintrag("Brief abgelegt")])
    assert [e.aktion for e in stand.historie] == ["gespeichert"]
    assert [e.aktion for e in store_mit_kunde.akte_laden(NR).historie] == ["gespeichert", "Brief abgelegt"]
    assert store_mit_kunde.akte_laden(NR) == stand  # same data: the history is no part of the comparison


# ---- what a store knows of a file it read or wrote itself -----------------------------------------

@pytest.mark.parametrize("zuletzt", ["gespeichert", "geladen"])
def test_eigene_akte_von_fremder_hand_verdorben_wird_nicht_ueberschrieben(store_mit_kunde, zuletzt):
    """A save skips parsing and checking the Akte file only while it holds exactly the bytes this
    store wrote or loaded last: a plan made invalid by another hand (same version) is still found."""
    store_mit_kunde.akte_speichern(NR, [plan()], 0, "anna")
    if zuletzt == "geladen":
        Store(store_mit_kunde.data_dir).akte_speichern(NR, [plan()], 1, "bernd")  # another session
        assert store_mit_kunde.akte_laden(NR).version == 2
    pfad = store_mit_kunde.akte_pfad(NR)
    daten = json.loads(pfad.read_bytes())
    daten["plaene"]["1"]["gueltig_ab"] = "31.02.2025"
    pfad.write_text(json.dumps(daten, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    vorher = pfad.read_bytes()
    with pytest.raises(DateiDefekt, match="Inhalt passt nicht zum Datenmodell"):
        store_mit_kunde.akte_speichern(NR, [plan(ziel="neu")], daten["akte"]["1"]["version"], "anna")
    assert pfad.read_bytes() == vorher


def test_akten_ordner_zwischen_zwei_speicherungen_ersetzt(store_mit_kunde):
    """Nothing of a folder is kept from one save to the next: after akten/ was replaced by a copy
    (a restore while the app runs), the next save writes into the folder now at that path, and the
    old one stays as it was."""
    store_mit_kunde.akte_speichern(NR, [plan(ziel="eins")], 0, "anna")
    akten = store_mit_kunde.akten_dir
    alt = akten.with_name("akten.alt")
    os.rename(akten, alt)
    subprocess.run(["cp", "-a", str(alt), str(akten)], check=True)
    vorher = {p.name: p.read_bytes() for p in alt.iterdir()}
    store_mit_kunde.akte_speichern(NR, [plan(ziel="zwei")], 1, "anna")
    assert [p.ziel for p in Store(store_mit_kunde.data_dir).akte_laden(NR).plaene] == ["zwei"]
    assert {p.name: p.read_bytes() for p in alt.iterdir()} == vorher
