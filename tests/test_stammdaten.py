"""Corrected master data of a customer: applied to the Kundenakte, checked, saved with the final save
into kunden.json and the Akte's history (old → new); never lost, never half applied, never without
its history entry, also when kunden.json cannot be written or the process is killed in between."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import pytest
from tests.conftest import Platte
from tests.kennzahlen import melden

from kopl_tui.akte import Kundenakte, NurLesen
from kopl_tui.dateien import TEMP_PRAEFIX, StoreFehler, atomar_schreiben
from kopl_tui.kunden_import import importieren
from kopl_tui.model import Kunde, RegelVerletzung
from kopl_tui.sperre import AkteSperre, Sperre
from kopl_tui.store import StammdatenKonflikt, Store, VersionKonflikt

NR = "123D456789"
ANSCHRIFT = {"strasse": "Musterweg 7", "plz": "37073", "ort": "Göttingen"}
_FORK = multiprocessing.get_context("fork")


def stammdaten_eintraege(store: Store) -> list:
    return [e for e in store.historie(NR) if e.aktion.startswith("Stammdaten geändert")]


def test_korrektur_mit_finalem_speichern_in_kunden_json_und_historie(store_mit_kunde, kunde):
    akte = Kundenakte.oeffnen(store_mit_kunde, kunde, "mueller")
    akte.kunde_uebernehmen({**ANSCHRIFT, "bg_nummer": "12345//0009999", "ifk": "Uta Probe"})
    assert akte.ungespeichert and akte.stammdaten_ungespeichert
    assert store_mit_kunde.kunde(NR) == kunde  # applied only: nothing written yet
    offen = akte.historie[-1]
    assert offen.aktion == "Stammdaten geändert" and offen.neu["strasse"] == "Musterweg 7"
    akte.speichern()
    assert not akte.ungespeichert and akte.version == 1 and not akte.stammdaten_nachzutragen
    gespeichert = Store(store_mit_kunde.data_dir).kunde(NR)
    assert (gespeichert.strasse, gespeichert.plz_ort) == ("Musterweg 7", "37073 Göttingen")
    assert (gespeichert.bg_nummer, gespeichert.ifk, gespeichert.id) == ("12345//0009999", "Uta Probe", kunde.id)
    eintrag, = stammdaten_eintraege(store_mit_kunde)
    assert eintrag.benutzer == "mueller"
    assert eintrag.alt == {"strasse": "", "plz": "", "ort": "", "bg_nummer": "12345//0001234", "ifk": "Ina Beispiel"}
    assert eintrag.neu == {**ANSCHRIFT, "bg_nummer": "12345//0009999", "ifk": "Uta Probe"}
    assert not store_mit_kunde.akte_laden(NR).stammdaten_offen


@pytest.mark.parametrize(("werte", "feld", "meldung"), [
    ({**ANSCHRIFT, "plz": "3707"}, "plz", "PLZ „3707“ hat nicht das Format 12345"),
    ({**ANSCHRIFT, "plz": "३७०७३"}, "plz", "PLZ „३७०७३“"),
    ({**ANSCHRIFT, "ort": "37073 Göttingen"}, "ort", "bitte nur den Ortsnamen eintragen"),
    ({**ANSCHRIFT, "ort": ""}, "ort", "Ort fehlt: eine Anschrift braucht Straße, PLZ und Ort."),
    ({"bg_nummer": "12345/1"}, "bg_nummer", "BG-Nummer „12345/1“ hat nicht das Format 12345//0001234"),
    ({"bg_nummer": "१२३४५//०००१२३४"}, "bg_nummer", "hat nicht das Format"),
    ({"ifk": "x" * 201}, "ifk", "Höchstens 200 Zeichen"),
])
def test_falsche_eingaben_abgelehnt_mit_feld(store_mit_kunde, kunde, werte, feld, meldung):
    akte = Kundenakte.oeffnen(store_mit_kunde, kunde, "mueller")
    with pytest.raises(RegelVerletzung) as abgelehnt:
        akte.kunde_uebernehmen(werte)
    assert any(b.feld == feld and meldung in b.meldung for b in abgelehnt.value.befunde), abgelehnt.value.befunde
    assert akte.kunde == kunde and not akte.ungespeichert


def test_nur_stammdaten_und_nur_mit_schreibrecht(store_mit_kunde, kunde):
    akte = Kundenakte.oeffnen(store_mit_kunde, kunde, "mueller")
    with pytest.raises(ValueError, match="Nur Stammdaten"):
        akte.kunde_uebernehmen({"nachname": "Anders"})
    ansicht = Kundenakte.oeffnen(store_mit_kunde, kunde, "bernd", schreibgeschuetzt=True, grund="gesperrt")
    with pytest.raises(NurLesen):
        ansicht.kunde_uebernehmen(ANSCHRIFT)
    assert ansicht.kunde == kunde


def test_verwerfen_und_neu_laden_nehmen_den_gespeicherten_kunden(store_mit_kunde, kunde):
    akte = Kundenakte.oeffnen(store_mit_kunde, kunde, "mueller")
    akte.kunde_uebernehmen(ANSCHRIFT)
    akte.alles_verwerfen()
    assert akte.kunde == kunde and not akte.ungespeichert


def test_import_dazwischen_speichern_abgelehnt_nichts_geschrieben(store_mit_kunde, kunde, tmp_path):
    """mueller corrects the BG-Nummer while support imports another one: the later save must not
    silently overwrite it; after reloading mueller sees the imported value."""
    akte = Kundenakte.oeffnen(store_mit_kunde, kunde, "mueller")
    akte.kunde_uebernehmen({"bg_nummer": "12345//0000001"})
    csv = tmp_path / "k.csv"
    csv.write_text("kundennummer;anrede;nachname;vorname;geburtsdatum;bg_nummer;ifk\n"
                   f"{NR};Frau;Musterfrau;Erika;01.02.1980;12345//0000002;Ina Beispiel\n", encoding="utf-8")
    assert importieren(csv, store_mit_kunde, aktualisieren=True, benutzer="support").fehler == []
    akte_vorher = store_mit_kunde.akte_pfad(NR).read_bytes()
    with pytest.raises(StammdatenKonflikt) as konflikt:
        akte.speichern()
    assert isinstance(konflikt.value, VersionKonflikt)  # the app offers to reload, as for a version conflict
    assert "BG-Nummer jetzt „12345//0000002“" in str(konflikt.value) and "Nichts wurde gespeichert" in str(konflikt.value)
    assert store_mit_kunde.akte_pfad(NR).read_bytes() == akte_vorher
    assert store_mit_kunde.kunde(NR).bg_nummer == "12345//0000002"
    akte.neu_laden()
    assert akte.kunde.bg_nummer == "12345//0000002" and not akte.ungespeichert
    assert [e.benutzer for e in stammdaten_eintraege(store_mit_kunde)] == ["support"]


def test_plan_speichern_ueberschreibt_importierte_anschrift_nicht(store_mit_kunde, kunde, tmp_path):
    akte = Kundenakte.oeffnen(store_mit_kunde, kunde, "mueller")
    csv = tmp_path / "k.csv"
    csv.write_text("kundennummer;anrede;nachname;vorname;geburtsdatum;bg_nummer;ifk;strasse;plz;ort\n"
                   f"{NR};Frau;Musterfrau;Erika;01.02.1980;12345//0001234;Ina Beispiel;Weg 1;37073;Göttingen\n",
                   encoding="utf-8")
    assert importieren(csv, store_mit_kunde, aktualisieren=True).fehler == []
    akte.speichern()  # no master data corrected in this session: kunden.json is not touched
    assert store_mit_kunde.kunde(NR).strasse == "Weg 1"


def test_kunden_json_nicht_schreibbar_vormerkung_beim_naechsten_oeffnen_nachgetragen(platte: Platte, kunde):
    """The disk has room for the Akte but not for kunden.json: the save is done (the Akte with its
    note is the commit), kunden.json follows when the Akte is opened next with room on the disk."""
    store = Store(platte.ordner / "daten").anlegen()
    fuellkunden = [Kunde(kundennummer=f"900A{nummer:06d}", nachname=f"Füll{nummer}", vorname="X" * 40,
                         geburtsdatum="01.01.1970", bg_nummer=f"99999//{nummer:07d}", ifk="Y" * 40)
                   for nummer in range(700)]  # kunden.json ≈ 200 KB: its temp file cannot fit
    store.kunden_schreiben([kunde, *fuellkunden])
    assert store.kunden_datei.stat().st_size > 150_000
    akte = Kundenakte.oeffnen(store, kunde, "mueller")
    akte.kunde_uebernehmen(ANSCHRIFT)
    vorher = store.kunden_datei.read_bytes()
    platte.fuellen()
    groesse = platte.fueller.stat().st_size
    os.truncate(platte.fueller, groesse - 64 * 1024)  # 64 KB free: enough for the Akte, not for kunden.json
    akte.speichern()
    assert akte.version == 1 and not akte.ungespeichert and akte.stammdaten_nachzutragen
    assert store.kunden_datei.read_bytes() == vorher  # not written
    assert stammdaten_eintraege(store)[0].neu == ANSCHRIFT  # the history has it with the Akte
    platte.freigeben()
    wieder = Kundenakte.oeffnen(Store(store.data_dir), store.kunde(NR), "mueller")  # the list's row: old data
    assert (wieder.kunde.strasse, wieder.kunde.plz_ort) == ("Musterweg 7", "37073 Göttingen")
    assert store.kunde(NR).strasse == "Musterweg 7" and not store.akte_laden(NR).stammdaten_offen
    assert len(stammdaten_eintraege(store)) == 1  # settled once, recorded once


def test_fast_volle_platte_ersetzt_keine_datei_durch_einen_teil(platte: Platte):
    """write() takes only what fits on a nearly full disk and says so without an error; the rest is
    written on, so the disk-full error comes before the file is replaced: the old content stays."""
    datei = platte.ordner / "gross.json"
    atomar_schreiben(datei, b"alt")
    platte.fuellen()
    os.truncate(platte.fueller, platte.fueller.stat().st_size - 16 * 1024)
    with pytest.raises(StoreFehler, match="Kein Speicherplatz"):
        atomar_schreiben(datei, b"x" * 200_000)
    assert datei.read_bytes() == b"alt"
    assert not [p for p in platte.ordner.iterdir() if p.name.startswith(TEMP_PRAEFIX)]  # the part is removed


def test_abgebrochener_import_vormerkung_verfaellt_ohne_eintrag(store_mit_kunde, kunde):
    """A prepared note whose import never wrote kunden.json (killed before) leaves no trace; one whose
    import did write it gets its history entry; settling twice records once."""
    pfad = store_mit_kunde.akte_pfad(NR)
    eintrag = {"zeit": "2026-11-25T10:00:00+01:00", "benutzer": "support", "aktion": "Stammdaten geändert (Import k.csv)",
               "plan_id": "", "alt": {"ifk": "Ina Beispiel"}, "neu": {"ifk": "Uta Probe"}}

    def note_schreiben() -> None:  # what Store._vormerken leaves when the import is killed after it
        pfad.write_text(json.dumps({"akte": {"1": {"historie_bytes": 0, "stammdaten_offen": {
            "alt": {"ifk": "Ina Beispiel"}, "neu": {"ifk": "Uta Probe"}, "verbindlich": False, "eintrag": eintrag}}}}))

    note_schreiben()
    assert store_mit_kunde.akte_laden(NR).stammdaten_offen
    akte = Kundenakte.oeffnen(store_mit_kunde, kunde, "mueller")
    assert akte.kunde.ifk == "Ina Beispiel" and store_mit_kunde.historie(NR) == []
    assert not store_mit_kunde.akte_laden(NR).stammdaten_offen
    note_schreiben()
    store_mit_kunde.kunden_schreiben([kunde.model_copy(update={"ifk": "Uta Probe"})])  # the import got through
    for _ in range(2):
        Kundenakte.oeffnen(store_mit_kunde, kunde, "mueller")
    assert [e.aktion for e in store_mit_kunde.historie(NR)] == ["Stammdaten geändert (Import k.csv)"]


# ---- SIGKILL at random moments ------------------------------------------------------------------------------

ZIEL_SPEICHERUNGEN = 60
MINDESTENS_KILLS = 30


def strasse(version: int) -> str:
    return f"Weg {version}"


def kind(data_dir: Path, protokoll: Path) -> None:
    """Corrects the street and saves until killed; a version is logged after its save returned."""
    store = Store(data_dir)
    sperre = AkteSperre.nehmen(store, NR, "kind")
    assert isinstance(sperre, Sperre), sperre
    akte = Kundenakte.oeffnen(store, store.kunde(NR), "kind")  # settles what the killed one left
    akte.sperre = sperre
    fd = os.open(protokoll, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    while True:
        akte.kunde_uebernehmen({**ANSCHRIFT, "strasse": strasse(akte.version + 1)})
        akte.speichern()
        os.write(fd, f"{akte.version}\n".encode())


def test_sigkill_beim_speichern_der_stammdaten_nie_halb(store_mit_kunde, tmp_path):
    protokoll = tmp_path / "protokoll.txt"
    saat = int.from_bytes(os.urandom(4), "big")
    zufall = random.Random(saat)
    kills = nachgetragen = 0
    abgeschlossen = 0
    while (abgeschlossen < ZIEL_SPEICHERUNGEN or kills < MINDESTENS_KILLS) and kills < 600:
        prozess = _FORK.Process(target=kind, args=(store_mit_kunde.data_dir, protokoll))
        prozess.start()
        time.sleep(zufall.uniform(0.01, 0.12))
        os.kill(prozess.pid, signal.SIGKILL)
        prozess.join()
        assert prozess.exitcode == -signal.SIGKILL, (prozess.exitcode, saat)
        kills += 1
        frisch = Store(store_mit_kunde.data_dir)
        frisch.aufraeumen()
        stand = frisch.akte_laden(NR)
        nachgetragen += stand.stammdaten_offen
        akte = Kundenakte.oeffnen(frisch, frisch.kunde(NR), "pruefer")  # as the next user would
        gespeichert = frisch.kunde(NR)
        # kunden.json and the Akte tell the same story: the street of the last committed save
        assert gespeichert.strasse == akte.kunde.strasse == (strasse(stand.version) if stand.version else ""), saat
        assert gespeichert.plz_ort == ("37073 Göttingen" if stand.version else ""), saat
        assert len(stammdaten_eintraege(frisch)) == stand.version, saat  # each change once in the history
        assert not frisch.akte_laden(NR).stammdaten_offen
        abgeschlossen = stand.version
        AkteSperre.lesen(frisch, NR)  # readable
    assert abgeschlossen >= ZIEL_SPEICHERUNGEN, (saat, kills)
    melden("SIGKILL beim Speichern der Stammdaten", Kills=kills, Speicherungen=abgeschlossen,
           Vormerkung_beim_Öffnen_nachgetragen=nachgetragen, halb_angewendet=0, Zufallssaat=saat)


# ---- SIGKILL during an import with --aktualisieren -----------------------------------------------------------

IMPORT_KUNDEN = [f"124D{nummer:06d}" for nummer in range(1, 6)]


def importierende(data_dir: Path, csv: Path) -> None:
    """Imports again and again, each time a new IFK for five customers, until killed."""
    store = Store(data_dir)
    while True:
        runde = int(store.kunde(IMPORT_KUNDEN[0]).ifk.split()[-1]) + 1
        csv.write_text("kundennummer;anrede;nachname;vorname;geburtsdatum;bg_nummer;ifk\n" + "".join(
            f"{nummer};Frau;Import;Ida;01.02.1980;12345//{nummer[4:]}0;IFK {runde}\n" for nummer in IMPORT_KUNDEN),
            encoding="utf-8")
        assert importieren(csv, store, aktualisieren=True, benutzer="import").fehler == []


def test_sigkill_beim_import_jede_aenderung_genau_einmal_in_der_historie(store, tmp_path):
    store.kunden_schreiben([Kunde(kundennummer=nummer, nachname="Import", vorname="Ida", geburtsdatum="01.02.1980",
                                  bg_nummer=f"12345//{nummer[4:]}0", ifk="IFK 0") for nummer in IMPORT_KUNDEN])
    saat = int.from_bytes(os.urandom(4), "big")
    zufall = random.Random(saat)
    kills = verfallen = 0
    runde = 0
    while (runde < 40 or kills < 30) and kills < 400:
        prozess = _FORK.Process(target=importierende, args=(store.data_dir, tmp_path / "k.csv"))
        prozess.start()
        time.sleep(zufall.uniform(0.01, 0.15))
        os.kill(prozess.pid, signal.SIGKILL)
        prozess.join()
        kills += 1
        frisch = Store(store.data_dir)
        verfallen += sum(frisch.akte_laden(nummer).stammdaten_offen for nummer in IMPORT_KUNDEN)
        for nummer in IMPORT_KUNDEN:
            Kundenakte.oeffnen(frisch, frisch.kunde(nummer), "pruefer")  # settles what the import left
            ifk = frisch.kunde(nummer).ifk
            runde = int(ifk.split()[-1])
            kette = [(e.alt["ifk"], e.neu["ifk"]) for e in frisch.historie(nummer)]
            # every IFK kunden.json ever held, once each, in order: no change without its entry, none twice
            assert kette == [(f"IFK {n}", f"IFK {n + 1}") for n in range(runde)], (saat, nummer, kette[-3:], ifk)
            assert not frisch.akte_laden(nummer).stammdaten_offen
        assert len({frisch.kunde(nummer).ifk for nummer in IMPORT_KUNDEN}) == 1, saat  # all rows or none
    assert runde >= 40, (saat, kills)
    melden("SIGKILL beim Import mit --aktualisieren", Kills=kills, Importe=runde, Kunden_je_Import=len(IMPORT_KUNDEN),
           Vormerkungen_beim_Öffnen_erledigt=verfallen, Historie_lückenlos="ja", Zufallssaat=saat)
