"""The customer list's index: sorted rows from kunden.json, a private cache used only while valid."""

from __future__ import annotations

import json
import marshal
import os
import stat
import subprocess
import sys

import pytest

from kopl_tui.dateien import DateiDefekt
from kopl_tui.datenordner import KUNDEN_CACHE as CACHE_DATEI
from kopl_tui.kundenindex import Kundenindex
from kopl_tui.kundensuche import Kundensuche
from kopl_tui.model import Anrede, Kunde
from kopl_tui.store import Store


def kunde(nummer: int, nachname: str, vorname: str) -> Kunde:
    return Kunde(kundennummer=f"123D{nummer:06d}", anrede=Anrede.HERR, nachname=nachname, vorname=vorname,
                 geburtsdatum="03.04.1975", bg_nummer=f"12345//{nummer:07d}", ifk="Tom Muster")


@pytest.fixture
def bestand(store: Store) -> Store:
    store.kunden_schreiben([kunde(1, "Probe", "Max"), kunde(2, "beispiel", "Zoe"), kunde(3, "Beispiel", "Anna"),
                            kunde(4, "Attrappe", "Jonas")])
    return store


def namen(index: Kundenindex) -> list[tuple[str, str]]:
    return [(z.nachname, z.vorname) for z in index.laden().zeilen()]


def test_liste_nach_nachname_dann_vorname_ohne_gross_klein(bestand):
    assert namen(Kundenindex(bestand.data_dir)) == [("Attrappe", "Jonas"), ("Beispiel", "Anna"),
                                                     ("beispiel", "Zoe"), ("Probe", "Max")]


def test_zeile_wird_beim_oeffnen_zum_selben_kunden(bestand):
    gespeichert = {k.kundennummer: k for k in bestand.kunden()}
    for zeile in Kundenindex(bestand.data_dir).laden().zeilen():
        assert Kunde.model_validate(zeile.felder()) == gespeichert[zeile.kundennummer]


def test_ohne_kundenindex_leere_liste(store):
    assert len(Kundenindex(store.data_dir).laden()) == 0


def test_gleiche_liste_aus_json_und_aus_cache(bestand):
    erstes = Kundenindex(bestand.data_dir)
    aus_json = erstes.laden().zeilen()
    erstes.cache_schreiben()
    assert (bestand.data_dir / CACHE_DATEI).exists()
    assert Kundenindex(bestand.data_dir).laden().zeilen() == aus_json


def test_cache_ist_privat(bestand):
    index = Kundenindex(bestand.data_dir)
    index.laden()
    index.cache_schreiben()
    assert stat.S_IMODE(os.stat(bestand.data_dir / CACHE_DATEI).st_mode) == 0o600


def test_cache_wird_verwendet_solange_kunden_json_unveraendert(bestand):
    index = Kundenindex(bestand.data_dir)
    index.laden()
    index.cache_schreiben()
    # A cache for this very kunden.json, with a name no JSON holds: if it shows, the cache was read.
    cache = bestand.data_dir / CACHE_DATEI
    form, signatur, schluessel, gepackt = marshal.loads(cache.read_bytes())
    gepackt = [zeile.replace("Attrappe", "Aus-dem-Cache") for zeile in gepackt]
    cache.write_bytes(marshal.dumps((form, signatur, schluessel, gepackt)))
    assert namen(Kundenindex(bestand.data_dir))[0] == ("Aus-dem-Cache", "Jonas")


def test_cache_veraltet_nach_jeder_aenderung_des_kundenindex(bestand):
    index = Kundenindex(bestand.data_dir)
    index.laden()
    index.cache_schreiben()
    bestand.kunden_schreiben([kunde(4, "Zuletzt", "Jonas")])  # same size is possible; the inode changes
    assert ("Zuletzt", "Jonas") in namen(Kundenindex(bestand.data_dir))
    assert ("Attrappe", "Jonas") not in namen(Kundenindex(bestand.data_dir))


def test_defekter_cache_wird_uebergangen(bestand):
    (bestand.data_dir / CACHE_DATEI).write_bytes(b"\x00kaputt")
    assert namen(Kundenindex(bestand.data_dir))[0] == ("Attrappe", "Jonas")


def test_unlesbarer_kundenindex_ist_dateidefekt(store):
    store.kunden_datei.write_text("{kein json", encoding="utf-8")
    with pytest.raises(DateiDefekt, match="kein gültiges JSON"):
        Kundenindex(store.data_dir).laden()


def test_zeile_mit_fehlenden_feldern_bleibt_in_der_liste(store):
    store.kunden_datei.write_text(json.dumps({"kunden": {"1": {"kundennummer": "123D000009", "nachname": "Ohne"}}}),
                                  encoding="utf-8")
    (zeile,) = Kundenindex(store.data_dir).laden().zeilen()
    assert (zeile.kundennummer, zeile.nachname, zeile.geburtsdatum) == ("123D000009", "Ohne", "")


def test_leeren_entfernt_auch_den_cache(bestand):
    index = Kundenindex(bestand.data_dir)
    index.laden()
    index.cache_schreiben()
    bestand.leeren()
    assert not (bestand.data_dir / CACHE_DATEI).exists()


def test_suche_jedes_wort_in_nummer_nachname_oder_vorname(bestand):
    liste = Kundenindex(bestand.data_dir).laden()
    suche = Kundensuche(liste)
    treffer = lambda text: [liste.zeile(n).kundennummer for n in suche.treffer(text)]  # noqa: E731
    assert treffer("beisp") == ["123D000003", "123D000002"]
    assert treffer("anna beisp") == ["123D000003"]
    assert treffer("000004") == ["123D000004"]
    assert treffer("probe zoe") == []
    assert treffer("") == ["123D000004", "123D000003", "123D000002", "123D000001"]


def test_kundenliste_startet_ohne_pydantic_und_tinydb():
    """The start-up path stays light (README, "Leistung"): the list needs neither; they load after the first frame."""
    code = ("import sys, kopl_tui.cli, kopl_tui.app, screens.kundenliste; "
            "print(sorted(m for m in ('pydantic', 'tinydb', 'docxtpl') if m in sys.modules))")
    lauf = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert lauf.stdout.strip() == "[]"
