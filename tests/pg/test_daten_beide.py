"""The same data on both stores reads the same: the customer list and its search, every Akte, the
support sweep and its findings (Prüfliste, ``pruefen``); and the database's archive index."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import psycopg
import pytest

from kopl_tui import pruefung
from kopl_tui.ablage import AblageEintrag
from kopl_tui.bestand import bestand_lesen
from kopl_tui.demo import demo_jobcenter, schreiben
from kopl_tui.kundenindex import Kundenindex
from kopl_tui.model import Anrede, HistorienEintrag, Kunde
from kopl_tui.pg_store import PgStore
from kopl_tui.store import Store, StoreFehler
from tests.conftest import HEUTE

OHNE_KUNDE = "999Z000001"


def besondere_namen() -> list[Kunde]:
    """Names the search must treat alike on both stores: umlauts, ß, LIKE's own % and _."""
    namen = [("Müller", "Jürgen"), ("MÜLLER-Lüdenscheidt", "Änne"), ("Straße", "Öznur"), ("Pro_zent", "100%"),
             ("mueller", "Anna"), ("Çelik", "Şule")]
    return [Kunde(kundennummer=f"777M{i:06d}", anrede=Anrede.OHNE, nachname=nachname, vorname=vorname,
                  geburtsdatum="01.01.1990", bg_nummer=f"77777//{i:07d}") for i, (nachname, vorname) in enumerate(namen)]


@pytest.fixture(scope="module")
def gleiche_daten(tmp_path_factory, pg_server) -> tuple[Path, str]:
    """The demo Jobcenter plus special names plus an Akte without customer, written to a folder and
    to a database through each store's own operations."""
    from tests.pg.server import APP_ROLLE

    ordner = tmp_path_factory.mktemp("gleich") / "daten"
    name = pg_server.neue_datenbank(vorlage="kopl_vorlage")
    url = pg_server.url(name, APP_ROLLE)
    faelle = demo_jobcenter(HEUTE, kunden=120)
    notiz = HistorienEintrag(zeit=datetime(2026, 1, 1, tzinfo=timezone.utc), benutzer="alt", aktion="Übernahme")
    besondere = besondere_namen()
    pg = PgStore(url)
    for store in (Store(ordner), pg):
        schreiben(store, faelle)
        store.kunden_schreiben(besondere)
        store.historie_anhaengen(OHNE_KUNDE, [notiz])
    pg.schliessen()
    yield ordner, url
    pg_server.datenbank_entfernen(name)


@pytest.fixture
def pg(gleiche_daten):
    store = PgStore(gleiche_daten[1])
    yield store
    store.schliessen()


def test_kunden_und_akten_gleich(gleiche_daten, pg):
    ordner = Store(gleiche_daten[0])
    assert pg.kunden() == ordner.kunden()
    assert pg.akten_nummern() == ordner.akten_nummern()
    for nummer in ordner.akten_nummern():
        im_ordner, in_pg = ordner.akte_laden(nummer), pg.akte_laden(nummer)
        assert (in_pg.version, in_pg.plaene) == (im_ordner.version, im_ordner.plaene)
        assert pg.historie(nummer) == ordner.historie(nummer)


def test_kundenliste_gleich_sortiert(gleiche_daten, pg):
    im_ordner = Kundenindex(gleiche_daten[0]).laden()
    in_pg = pg.kundenliste()
    assert in_pg.zeilen() == im_ordner.zeilen() and in_pg.schluessel == im_ordner.schluessel


def test_pruefung_findet_dasselbe(gleiche_daten, pg):
    ordner = gleiche_daten[0]
    im_ordner = list(bestand_lesen(ordner))
    in_pg = list(pg.bestand_lesen())
    assert [(a.kundennummer, a.name, a.im_index, [p.id for p in a.plaene], a.fehler) for a in in_pg] == \
        [(a.kundennummer, a.name, a.im_index, [p.id for p in a.plaene], a.fehler) for a in im_ordner]
    befunde = [b for akte in in_pg for b in pruefung._akte_befunde(akte, HEUTE)]
    assert befunde == pruefung.pruefliste(ordner, HEUTE)
    assert {b.regel for b in befunde} >= {"ba_statistik_regel", "akte_ohne_kunde", "ueberpruefung_ueberfaellig"}


def eintrag(datei: str, stunde: int) -> AblageEintrag:
    return AblageEintrag(vorlage="aufforderung.docx", titel="Aufforderung", plan_id="p1", datum=date(2026, 11, 25),
                         abgelegt_am=datetime(2026, 11, 25, stunde, tzinfo=timezone.utc), benutzer="anna",
                         datei=datei)


def test_ablage_index_und_historie_beide_oder_keins(pg_url):
    store = PgStore(pg_url)
    nr = "123D456789"
    zeile = HistorienEintrag(zeit=datetime.now(timezone.utc), benutzer="anna", aktion="Brief abgelegt: Aufforderung")
    erster = eintrag("a.docx", 9)
    assert store.ablage_eintragen(nr, erster, [zeile]) == (erster, True)
    nochmal = eintrag("a.docx", 10)  # a retry of the same filing: nothing new, the first entry comes back
    assert store.ablage_eintragen(nr, nochmal, [zeile]) == (erster, False)
    assert [e.aktion for e in store.historie(nr)] == [zeile.aktion]
    zweiter = eintrag("b.docx", 11)
    with psycopg.connect(pg_url, autocommit=True) as verbindung:  # the history cannot be written now
        verbindung.execute("ALTER TABLE historie ADD CONSTRAINT voll CHECK (false) NOT VALID")
        with pytest.raises(StoreFehler):
            store.ablage_eintragen(nr, zweiter, [zeile])
        assert store.ablage_dokumente(nr) == [erster]  # no index entry without its history line
        verbindung.execute("ALTER TABLE historie DROP CONSTRAINT voll")
    store.ablage_eintragen(nr, zweiter, [zeile])
    assert store.ablage_dokumente(nr) == [zweiter, erster]  # newest first
    store.ablage_austragen(nr, zweiter.id)
    assert store.ablage_dokumente(nr) == [erster]
    assert store.ablage_dokumente("111A111111") == []
    store.schliessen()
