"""Master data on both stores: a correction saved with the Akte (history old → new, customer list
changed), refused when someone changed the same field meanwhile; an import with --aktualisieren
that changes a customer and records it, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kopl_tui.kunden_import import importieren
from kopl_tui.store import StammdatenKonflikt
from kopl_tui.akte import akte_oeffnen
from tests.pg.backend import Backend

NR = "123D456789"
KOPF = "kundennummer;anrede;nachname;vorname;geburtsdatum;bg_nummer;ifk;strasse;plz;ort\n"


def test_korrektur_mit_der_akte_gespeichert(backend: Backend, kunde):
    store = backend.store()
    store.kunden_schreiben([kunde])
    akte = akte_oeffnen(store, kunde, "anna")
    akte.kunde_uebernehmen({"strasse": "Weender Straße 1", "plz": "37073", "ort": "Göttingen"})
    akte.speichern()
    akte.schliessen()
    gespeichert = backend.store().kunde(NR)
    assert (gespeichert.strasse, gespeichert.plz, gespeichert.ort) == ("Weender Straße 1", "37073", "Göttingen")
    eintrag = next(e for e in store.historie(NR) if e.aktion == "Stammdaten geändert")
    assert eintrag.neu["ort"] == "Göttingen" and eintrag.alt["ort"] == ""


def test_korrektur_abgelehnt_wenn_inzwischen_geaendert(backend: Backend, kunde):
    store = backend.store()
    store.kunden_schreiben([kunde])
    akte = akte_oeffnen(store, kunde, "anna")
    akte.kunde_uebernehmen({"strasse": "Weender Straße 1", "plz": "37073", "ort": "Göttingen"})
    backend.store().kunden_schreiben([kunde.model_copy(update={"strasse": "Markt 1", "plz": "34117", "ort": "Kassel"})])
    vorher = store.akte_laden(NR)
    with pytest.raises(StammdatenKonflikt, match="Ort jetzt „Kassel“"):
        akte.speichern()
    assert store.kunde(NR).ort == "Kassel" and store.akte_laden(NR) == vorher  # nothing written
    akte.schliessen()


def test_import_aktualisiert_mit_historie(backend: Backend, kunde, tmp_path: Path):
    store = backend.store()
    store.kunden_schreiben([kunde])
    datei = tmp_path / "k.csv"
    datei.write_text(KOPF + f"{NR};Frau;Musterfrau;Erika;01.02.1980;12345//0001234;Ina Beispiel;Markt 1;37073;Göttingen\n"
                     "987Z654321;Herr;Neumann;Nils;03.04.1990;12345//0009999;Ina Beispiel;;;\n", encoding="utf-8")
    ergebnis = importieren(datei, store, aktualisieren=True, benutzer="import")
    assert not ergebnis.fehler and not ergebnis.historie_offen
    assert (store.kunde(NR).plz, store.kunde(NR).ort) == ("37073", "Göttingen")
    assert store.kunde("987Z654321").nachname == "Neumann"
    assert any(e.neu.get("ort") == "Göttingen" for e in store.historie(NR))
    zweimal = importieren(datei, store, aktualisieren=True, benutzer="import")  # nothing new: nothing recorded
    assert not zweimal.aktualisiert and len([e for e in store.historie(NR) if e.neu.get("ort")]) == 1
