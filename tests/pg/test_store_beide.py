"""The store's promises on both stores (the folder's own tests: tests/test_store.py)."""

from __future__ import annotations

import inspect
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from kopl_tui.model import HistorienEintrag, Kooperationsplan, Status
from kopl_tui.pg_store import PgSperre, PgStore
from kopl_tui.speicher import Bearbeitungssperre, Speicher
from kopl_tui.sperre import Sperre
from kopl_tui.store import Store, StoreFehler, VersionKonflikt

NR = "123D456789"


def plan(**werte) -> Kooperationsplan:
    return Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 1, 7), **werte)


@pytest.fixture
def store(backend):
    return backend.store()


@pytest.fixture
def store_mit_kunde(store, kunde):
    store.kunden_schreiben([kunde])
    return store


def _operationen(protokoll: type) -> list[str]:
    return [name for name, wert in vars(protokoll).items() if callable(wert) and not name.startswith("_")]


def test_beide_stores_sind_ein_speicher(store):
    assert isinstance(store, Speicher)
    assert isinstance(store.ablage_dir, Path)


@pytest.mark.parametrize(("klasse", "protokoll"), [(Store, Speicher), (PgStore, Speicher), (Sperre, Bearbeitungssperre),
                                                  (PgSperre, Bearbeitungssperre)])
def test_beide_haben_die_operationen_des_protokolls_mit_denselben_parametern(klasse, protokoll):
    """The same names in the same order (callers pass some by keyword, e.g. ``stammdaten=``)."""
    for name in _operationen(protokoll):
        soll = list(inspect.signature(getattr(protokoll, name)).parameters)
        assert list(inspect.signature(getattr(klasse, name)).parameters) == soll, name


def test_akte_rundreise_schreiben_neu_oeffnen_gleich(store_mit_kunde, backend):
    plaene = [plan(ziel="Ziel mit Umlauten äöü & <Zeichen>\nzweite Zeile"), Kooperationsplan(
        status=Status.NUR_AUFFORDERUNG, gueltig_bis=None, tag_der_aufforderung=date(2025, 2, 1))]
    gespeichert = store_mit_kunde.akte_speichern(NR, plaene, 0, "tester")
    frisch = backend.store().akte_laden(NR)
    assert frisch.version == gespeichert.version == 1
    assert frisch.plaene == gespeichert.plaene == plaene  # in the order saved
    assert frisch.geaendert_von == "tester" and frisch.geaendert_am == gespeichert.geaendert_am


def test_leere_akte_hat_stand_null(store_mit_kunde):
    stand = store_mit_kunde.akte_laden(NR)
    assert (stand.version, stand.plaene, stand.geaendert_von, stand.historie) == (0, [], "", [])
    assert store_mit_kunde.historie(NR) == []


def test_kunden_index_rundreise(store_mit_kunde, kunde, backend):
    assert store_mit_kunde.kunden() == [kunde]
    geaendert = kunde.model_copy(update={"ifk": "Tom Muster"})
    store_mit_kunde.kunden_schreiben([geaendert])
    frisch = backend.store()
    assert frisch.kunde(NR).ifk == "Tom Muster"
    assert len(frisch.kunden()) == 1
    assert frisch.kunde(NR).id == kunde.id
    assert frisch.kunde("999X999999") is None


def test_versionskonflikt_schreibt_nichts(store_mit_kunde):
    store_mit_kunde.akte_speichern(NR, [plan(ziel="A")], 0, "anna", [HistorienEintrag(
        zeit=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc), benutzer="anna", aktion="gespeichert")])
    vorher = (store_mit_kunde.akte_laden(NR), store_mit_kunde.historie(NR))
    with pytest.raises(VersionKonflikt) as info:
        store_mit_kunde.akte_speichern(NR, [plan(ziel="B")], 0, "bernd", [HistorienEintrag(
            zeit=datetime.now(timezone.utc), benutzer="bernd", aktion="gespeichert")])
    assert "neu laden" in str(info.value) and (info.value.erwartet, info.value.gefunden) == (0, 1)
    assert (store_mit_kunde.akte_laden(NR), store_mit_kunde.historie(NR)) == vorher


def test_historie_kommt_mit_dem_speichern_und_wird_nur_ergaenzt(store_mit_kunde):
    eintrag = HistorienEintrag(zeit=datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=timezone.utc), benutzer="anna",
                               aktion="Kooperationsplan geändert", plan_id="p1", alt={"status": "a"},
                               neu={"status": "b"})
    stand = store_mit_kunde.akte_speichern(NR, [plan()], 0, "anna", [eintrag])
    notiz = HistorienEintrag(zeit=datetime(2026, 1, 3, tzinfo=timezone.utc), benutzer="support", aktion="Brief")
    store_mit_kunde.historie_anhaengen(NR, [notiz])
    assert store_mit_kunde.historie(NR) == [eintrag, notiz]
    assert store_mit_kunde.akte_laden(NR).version == 1  # a note is no Akte change
    assert stand.historie == [eintrag]  # the trail as committed with that state


def test_ungueltige_kundennummer_wird_abgewiesen(store):
    for versuch in (lambda: store.akte_laden("../../etc/passwd"), lambda: store.historie("x' OR '1'='1"),
                    lambda: store.akte_speichern("123d456789", [], 0, "x")):
        with pytest.raises(StoreFehler, match="keine gültige Kundennummer"):
            versuch()


def test_akten_nummern_und_ist_leer(store, kunde, backend):
    assert store.ist_leer()
    store.kunden_schreiben([kunde])
    assert not store.ist_leer()
    store.akte_speichern(NR, [plan()], 0, "x")
    store.historie_anhaengen("111A111111", [HistorienEintrag(zeit=datetime.now(timezone.utc), benutzer="x",
                                                             aktion="Notiz")])
    assert store.akten_nummern() == ["111A111111", NR]
    store.leeren()
    assert backend.store().ist_leer()
