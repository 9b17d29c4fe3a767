"""Bad input (README, "Zuverlässigkeit"): generated values through the model and the date fields.

Wrong formats, 31.02., year 0, 10 MB text, control characters, emoji, RTL text, null bytes and lone
surrogates: never a crash other than ValidationError/DatumFehler, always a short German message,
and every valid generated plan and customer round-trips through the store unchanged.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.kennzahlen import melden
from pydantic import ValidationError

from kopl_tui.datum import DatumFehler, format_datum, parse_datum, zitat
from kopl_tui.model import UNBEGRENZT, Anrede, JaNein, Kooperationsplan, Kunde, Status, meldungen
from kopl_tui.store import Store

ZAEHLER: Counter[str] = Counter()
ZEHN_MB = "x" * 10_000_000
ZEHN_MB_GEMISCHT = ("Ziel 👩‍💼 \u202eشسيب\u202c \x00\x07\r\n" * 500_000)[:10_000_000]

SPEZIAL = [
    "31.02.2025", "29.02.2023", "30.02.2024", "00.00.0000", "01.01.0000", "0000-01-01", "9999-12-31", "2025-02-30",
    "32.01.2025", "1.1.2025", "01.13.2025", "01.01.99999", "01.01.1899", "31.12.2200", "\u202e5202.01.10",
    "١٢.٠٣.٢٠٢٥", "01.01.2025\x00", "\x0001.01.2025", "👩‍💼", "שלום עולם", "مرحبا بالعالم", "\ud800", "\udfff x",
    " ", "__.__.____", "-1.-1.-1", "1e10", "NaN", "unbegrenzt", "Unbegrenzt", "Kein Eintrag ausgewählt",
    "2025-1-7", "07012025", "7.1.25", "07.01.2025 12:00", "2025-01-07T00:00", "‮", "\u2028\u2029", "{{ 7*7 }}",
]
zahl = st.integers(-10, 100_000).map(str) | st.integers(0, 99).map(lambda z: f"{z:02d}")
boese_texte = st.one_of(
    st.text(st.characters(codec=None), max_size=40),  # all of Unicode: emoji, RTL, null bytes …
    st.text(st.characters(codec=None, categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Zs", "So", "Mn", "Nd", "Lo"]),
            max_size=40),  # controls, direction marks, lone surrogates, emoji, non-Latin digits
    st.sampled_from(SPEZIAL),
    st.builds("{}{}{}{}{}".format, zahl, st.sampled_from(".-/ :"), zahl, st.sampled_from(".-/ "), zahl),
    st.dates(min_value=date(1, 1, 1)).map(lambda d: f"{d.day:02d}.{d.month:02d}.{d.year:04d}"),
)
irgendwas = st.one_of(
    boese_texte, st.integers(), st.floats(), st.booleans(), st.none(), st.dates(), st.datetimes(),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from([*Status, *JaNein, *Anrede, UNBEGRENZT, b"\x00bytes"]),
)

_ENGLISCH = re.compile(r"\b(input|should|field required|value error|valid|unable|must|expected|invalid|"
                       r"characters?|at least|at most|type|instance)\b", re.IGNORECASE)
_DEUTSCH = re.compile(r"[äöüß]|\b(nicht|kein|keine|ist|gibt|bitte|ungültige?|erwartet|fehlt|Pflichtfeld|liegt|"
                      r"Datum|Text|Eintrag|Jahr|Format|Angaben|Kennung|Zeitpunkt|Zahl|nur|mit|der|die|das|des|"
                      r"und|oder|ja|bei|vor)\b", re.IGNORECASE)

PLAN_FELDER = ["id", "status", "ziel", "naechste_schritte", "unterstuetzung", "gueltig_ab", "gueltig_bis",
               "ueberprueft_am", "tag_der_aufforderung", "frist_zur_erledigung", "schritte", "schlichtung_notwendig",
               "schlichtung_beginn", "schlichtung_max_ende", "schlichtung_ergebnis", "einigung_erfolgt",
               "angelegt_am", "angelegt_von", "geaendert_am", "geaendert_von", "version"]
DATUMSFELDER = ["gueltig_ab", "gueltig_bis", "ueberprueft_am", "tag_der_aufforderung", "frist_zur_erledigung",
                "schlichtung_beginn", "schlichtung_max_ende", "schlichtung_ergebnis"]
KUNDE_GUELTIG = {"kundennummer": "123D456789", "anrede": "Frau", "nachname": "Musterfrau", "vorname": "Erika",
                 "geburtsdatum": "01.02.1980", "bg_nummer": "12345//0001234", "ifk": "Ina Beispiel"}


def ist_deutsch(meldung: str, eingaben: list[object]) -> None:
    """Non-empty, short, German; the user's own text quoted in it is not judged."""
    assert meldung.strip()
    assert len(meldung) <= 400, meldung[:100]
    rest = meldung
    for wert in eingaben:
        if isinstance(wert, str) and wert.strip():
            rest = rest.replace(zitat(wert), "").replace(zitat(wert.upper()), "").replace(f"„{wert.strip()}“", "")
    assert not _ENGLISCH.search(rest), meldung
    assert _DEUTSCH.search(rest), meldung


MINDESTENS_WERTE = 10_000
ARTEN = ("datum", "plan", "kunde", "feld", "rundreise")


@pytest.fixture(scope="module", autouse=True)
def kennzahlen_melden(request):
    """Values are counted in the test bodies (each example carries a list of values, which keeps
    hypothesis' per-example cost down); failures come from pytest itself."""
    vorher = request.session.testsfailed
    yield
    summe = sum(ZAEHLER[k] for k in ARTEN)
    melden("Eingaben (hypothesis)", Eingaben_probiert=summe, davon_Datum=ZAEHLER["datum"], Plan=ZAEHLER["plan"],
           Kunde=ZAEHLER["kunde"], Datumsfeld=ZAEHLER["feld"], Rundreisen_Store=ZAEHLER["rundreise"],
           abgelehnt_mit_deutscher_Meldung=ZAEHLER["abgelehnt"], Fehler=request.session.testsfailed - vorher)
    if all(ZAEHLER[k] for k in ARTEN):  # the whole module ran
        assert summe >= MINDESTENS_WERTE


EINSTELLUNGEN = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def datum_pruefen(text: str) -> None:
    ZAEHLER["datum"] += 1
    try:
        tag = parse_datum(text)
    except DatumFehler as fehler:
        ZAEHLER["abgelehnt"] += 1
        ist_deutsch(str(fehler), [text])
    else:
        assert tag is None or (1900 <= tag.year <= 2199 and parse_datum(format_datum(tag)) == tag)


@settings(max_examples=700, **EINSTELLUNGEN)
@given(texte=st.lists(boese_texte, min_size=6, max_size=12))
@example(texte=[ZEHN_MB, ZEHN_MB_GEMISCHT])
def test_parse_datum_nie_absturz_immer_deutsche_meldung(texte):
    for text in texte:
        datum_pruefen(text)


def plan_eingabe() -> st.SearchStrategy[object]:
    """Random values for random fields, on top of an empty or a valid plan; sometimes no dict at all."""
    gueltig = st.just({"status": "Einverständnis", "gueltig_ab": "07.01.2025", "gueltig_bis": "unbegrenzt"})
    zufall = st.dictionaries(st.sampled_from(PLAN_FELDER), irgendwas, max_size=8)
    kombiniert = st.tuples(st.one_of(st.just({}), gueltig), zufall).map(lambda t: {**t[0], **t[1]})
    return st.one_of(kombiniert, kombiniert, kombiniert, kombiniert, irgendwas)


def plan_pruefen(daten: object) -> None:
    ZAEHLER["plan"] += 1
    eingaben = list(daten.values()) if isinstance(daten, dict) else [daten]
    try:
        plan = Kooperationsplan.model_validate(daten)
    except ValidationError as fehler:
        ZAEHLER["abgelehnt"] += 1
        texte = meldungen(fehler)
        assert texte
        for text in texte.values():
            ist_deutsch(text, eingaben)
        return
    for befund in plan.befunde():  # the guide's rules on whatever loaded
        ist_deutsch(befund.meldung, eingaben)
    plan.statistik_felder()
    plan.ueberpruefung_faellig_am  # noqa: B018 - date arithmetic must not overflow
    Kooperationsplan.model_validate_json(plan.model_dump_json())  # what was accepted can be written


@settings(max_examples=600, **EINSTELLUNGEN)
@given(eingaben=st.lists(plan_eingabe(), min_size=3, max_size=6))
@example(eingaben=[{"ziel": ZEHN_MB, "naechste_schritte": ZEHN_MB_GEMISCHT},
                   {"schlichtung_beginn": "9999-12-31", "schlichtung_notwendig": "ja"},
                   {"gueltig_ab": date(1, 1, 1), "ueberprueft_am": date(9999, 12, 31)}])
def test_kooperationsplan_model_validate_nie_absturz_deutsche_meldungen(eingaben):
    for daten in eingaben:
        plan_pruefen(daten)


def kunde_pruefen(daten: dict[str, object]) -> None:
    ZAEHLER["kunde"] += 1
    try:
        kunde = Kunde.model_validate(daten)
    except ValidationError as fehler:
        ZAEHLER["abgelehnt"] += 1
        for text in meldungen(fehler).values():
            ist_deutsch(text, list(daten.values()))
        return
    assert re.fullmatch(r"[0-9]{3}[A-Z][0-9]{6}", kunde.kundennummer) and kunde.nachname and kunde.geburtsdatum
    assert re.fullmatch(r"[0-9]{5}//[0-9]{7}", kunde.bg_nummer) and re.fullmatch(r"([0-9]{5})?", kunde.plz)


kunde_eingabe = st.tuples(
    st.dictionaries(st.sampled_from([*KUNDE_GUELTIG, "id", "strasse", "plz", "ort", "plz_ort"]), irgendwas, max_size=4),
    st.sets(st.sampled_from(list(KUNDE_GUELTIG)), max_size=2),
).map(lambda t: {k: v for k, v in {**KUNDE_GUELTIG, **t[0]}.items() if k not in t[1]})


@settings(max_examples=400, **EINSTELLUNGEN)
@given(eingaben=st.lists(kunde_eingabe, min_size=3, max_size=8))
@example(eingaben=[{**KUNDE_GUELTIG, "nachname": ZEHN_MB, "kundennummer": ZEHN_MB_GEMISCHT}])
def test_kunde_model_validate_nie_absturz_deutsche_meldungen(eingaben):
    for daten in eingaben:
        kunde_pruefen(daten)


def datumsfeld_pruefen(feld: str, wert: object) -> None:
    ZAEHLER["feld"] += 1
    try:
        plan = Kooperationsplan.model_validate({feld: wert})
    except ValidationError as fehler:
        ZAEHLER["abgelehnt"] += 1
        texte = meldungen(fehler)
        assert list(texte) == [feld]
        ist_deutsch(texte[feld], [wert])
        return
    gesetzt = getattr(plan, feld)
    assert gesetzt is None or gesetzt == UNBEGRENZT or 1900 <= gesetzt.year <= 2199


@settings(max_examples=400, **EINSTELLUNGEN)
@given(paare=st.lists(st.tuples(st.sampled_from(DATUMSFELDER),
                                st.one_of(boese_texte, st.dates(), st.datetimes(), st.integers())),
                      min_size=6, max_size=12))
def test_datumsfelder_des_plans_nie_absturz(paare):
    for feld, wert in paare:
        datumsfeld_pruefen(feld, wert)
# ---- valid values round-trip through the store ---------------------------------------------------

tage = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))
zeitpunkte = st.one_of(st.none(), st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2199, 1, 1),
                                               timezones=st.builds(lambda m: timezone(timedelta(minutes=m)),
                                                                   st.integers(-23 * 60, 23 * 60))))
texte = st.text(st.characters(codec=None, exclude_categories=["Cs"]), max_size=300)
gueltige_plaene = st.builds(
    Kooperationsplan,
    status=st.sampled_from([None, *Status]), ziel=texte, naechste_schritte=texte, unterstuetzung=texte,
    gueltig_ab=st.none() | tage, gueltig_bis=st.sampled_from([None, UNBEGRENZT]) | tage,
    ueberprueft_am=st.none() | tage, tag_der_aufforderung=st.none() | tage, frist_zur_erledigung=st.none() | tage,
    schritte=texte, schlichtung_notwendig=st.sampled_from([None, *JaNein]), schlichtung_beginn=st.none() | tage,
    schlichtung_ergebnis=st.none() | tage, einigung_erfolgt=st.sampled_from([None, *JaNein]),
    angelegt_am=zeitpunkte, angelegt_von=st.text(max_size=40), geaendert_am=zeitpunkte,
    geaendert_von=st.text(max_size=40), version=st.integers(0, 2**53),
)
gueltige_kunden = st.builds(
    Kunde, kundennummer=st.from_regex(r"\A[0-9]{3}[A-Z][0-9]{6}\Z"), anrede=st.sampled_from(Anrede),
    nachname=st.tuples(st.from_regex(r"\A[A-Za-zÄÖÜäöüßØ]{1,5}\Z"), st.text(max_size=50)).map("".join),
    vorname=st.text(max_size=60), geburtsdatum=tage, bg_nummer=st.from_regex(r"\A[0-9]{5}//[0-9]{7}\Z"),
    ifk=st.text(max_size=60), strasse=st.text(max_size=60), plz=st.just("") | st.from_regex(r"\A[0-9]{5}\Z"),
    ort=st.text(max_size=60),
)


@pytest.fixture(scope="module")
def rund_store(tmp_path_factory) -> Store:
    return Store(tmp_path_factory.mktemp("rundreise") / "daten").anlegen()


@settings(max_examples=250, **EINSTELLUNGEN)
@given(plaene=st.lists(gueltige_plaene, min_size=1, max_size=4), kunde=gueltige_kunden)
def test_gueltige_plaene_und_kunden_rundreise_durch_den_store_unveraendert(rund_store, plaene, kunde):
    ZAEHLER["rundreise"] += len(plaene) + 1
    nummer = "555D000001"
    stand = rund_store.akte_laden(nummer)
    rund_store.akte_speichern(nummer, plaene, stand.version, "hypothesis")
    frisch = Store(rund_store.data_dir)
    assert frisch.akte_laden(nummer).plaene == plaene
    rund_store.kunden_schreiben([kunde])
    gelesen = frisch.kunde(kunde.kundennummer)
    assert gelesen.model_dump(exclude={"id"}) == kunde.model_dump(exclude={"id"})  # the id of a number stays
