"""The session facade turns pydantic's errors and the guide's rule findings into ``Abgelehnt`` (a
German message per field); screens see nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from kopl_tui.fehler import Abgelehnt, NurLesen
from kopl_tui.model import Kooperationsplan, Kunde, Status
from kopl_tui.sitzung import Sitzung
from kopl_tui.store import Store
from tests.conftest import HEUTE


@pytest.fixture
def sitzung(store_mit_kunde: Store) -> Sitzung:
    return Sitzung(store_mit_kunde.data_dir, "mueller", HEUTE)


def test_plan_mit_falschem_datum_und_regelverstoss_je_feld_abgelehnt(sitzung: Sitzung, kunde: Kunde):
    akte = sitzung.akte_oeffnen(kunde)
    with pytest.raises(Abgelehnt) as typfehler:  # pydantic's error, in German, at its field
        sitzung.plan_uebernehmen(akte, akte.neuer_plan(), {"status": "kein Status", "gueltig_ab": "31.02.2026"})
    assert set(typfehler.value.felder) == {"status", "gueltig_ab"}
    assert "31.02.2026" in typfehler.value.felder["gueltig_ab"]
    with pytest.raises(Abgelehnt) as regel:  # a guide rule: gültig bis before gültig ab
        sitzung.plan_uebernehmen(akte, akte.neuer_plan(), {"status": Status.EINVERSTAENDNIS.value,
                                                           "gueltig_ab": "01.03.2026", "gueltig_bis": "01.02.2026"})
    assert "gueltig_bis" in regel.value.felder
    assert akte.plaene == [] and not akte.ungespeichert  # nothing applied
    sitzung.plan_uebernehmen(akte, akte.neuer_plan(), {"status": Status.EINVERSTAENDNIS.value,
                                                       "gueltig_ab": "01.03.2026", "gueltig_bis": "unbegrenzt"})
    assert len(akte.plaene) == 1
    gespeichert = sitzung.speichern(akte)
    assert gespeichert.kundennummer == kunde.kundennummer and not gespeichert.stammdaten_nachzutragen
    akte.schliessen()


def test_stammdaten_abgelehnt_je_feld_und_nur_ansicht(sitzung: Sitzung, kunde: Kunde):
    akte = sitzung.akte_oeffnen(kunde)
    with pytest.raises(Abgelehnt) as abgelehnt:
        sitzung.stammdaten_uebernehmen(akte, {"plz": "3707", "bg_nummer": "12345/1"})
    assert set(abgelehnt.value.felder) >= {"plz", "bg_nummer"}
    zweite = Sitzung(sitzung.data_dir, "anna", HEUTE)
    nur_ansicht = zweite.akte_oeffnen(kunde)  # mueller holds the edit lock
    assert nur_ansicht.schreibgeschuetzt and "mueller" in nur_ansicht.grund
    with pytest.raises(NurLesen):
        zweite.stammdaten_uebernehmen(nur_ansicht, {"ort": "Göttingen"})
    akte.schliessen()


def test_indexzeile_wird_beim_oeffnen_geprueft(sitzung: Sitzung, kunde: Kunde):
    liste, meldungen = sitzung.kundenliste()
    assert meldungen == [] and len(liste) == 1
    assert sitzung.kunde_aus_zeile(liste.zeile(0)) == kunde
    kaputt = liste.zeile(0)._replace(geburtsdatum="1980-02-31")
    with pytest.raises(Abgelehnt) as abgelehnt:
        sitzung.kunde_aus_zeile(kaputt)
    assert "geburtsdatum" in abgelehnt.value.felder


def test_leichter_start_keine_schweren_module(tmp_path: Path):
    """The facade and the exceptions module load without pydantic and TinyDB (the list starts fast)."""
    import subprocess
    import sys

    code = ("import sys, kopl_tui.sitzung, kopl_tui.fehler; from kopl_tui.fehler import Abgelehnt, StoreFehler; "
            "print(sorted(m for m in ('pydantic', 'tinydb', 'docxtpl') if m in sys.modules))")
    lauf = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert lauf.stdout.strip() == "[]"


def test_plan_typ(sitzung: Sitzung):
    assert sitzung.ueberpruefung_faellig_am({"gueltig_ab": "01.03.2026", "ueberprueft_am": None}) is not None
    with pytest.raises(Abgelehnt):
        sitzung.ueberpruefung_faellig_am({"gueltig_ab": "31.02.2026"})
    assert isinstance(Kooperationsplan(), Kooperationsplan)
