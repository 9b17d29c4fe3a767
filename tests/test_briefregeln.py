"""Which letter for which plan (kopl_tui/briefregeln.py): each rule's test is named like the rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kopl_tui import briefe, briefregeln
from kopl_tui.briefe import BriefVerweigert
from kopl_tui.datum import format_datum
from kopl_tui.model import Kooperationsplan, Kunde, Status

from tests.conftest import HEUTE
from tests.test_briefe import ERGAENZT, text_von

KP_BRIEFE = [v for v in briefe.VORLAGEN if v.plan_noetig]
MIT_RECHTSFOLGEN = briefe.vorlage("kooperationsplan-aufforderung-mit-rechtsfolgen")
OHNE_RECHTSFOLGEN = briefe.vorlage("kooperationsplan-aufforderung-ohne-rechtsfolgen")


@pytest.fixture
def kunde(kunde: Kunde) -> Kunde:
    return kunde.model_copy(update={"strasse": "Musterweg 1", "plz": "37073", "ort": "Göttingen"})


def plan(status: Status | None = Status.EINVERSTAENDNIS, **werte: object) -> Kooperationsplan:
    basis: dict[str, object] = dict(status=status, gueltig_ab=date(2026, 10, 1), ziel="Arbeit im Lager",
                                    naechste_schritte="Vier Bewerbungen je Woche", tag_der_aufforderung=HEUTE,
                                    frist_zur_erledigung=HEUTE + timedelta(days=14))
    if status is Status.NUR_AUFFORDERUNG:
        basis |= dict(gueltig_ab=None, gueltig_bis=None)
    return Kooperationsplan.model_validate({**basis, **werte})


def pruefen(vorlage: briefe.Vorlage, kunde: Kunde, p: Kooperationsplan, **kwargs: object) -> briefe.Pruefung:
    return briefe.pruefen(vorlage, kunde, p, datum=kwargs.pop("datum", HEUTE),
                          ergaenzungen=kwargs.pop("ergaenzungen", ERGAENZT), **kwargs)


# ---- regel_kooperationsplan_brief_nur_bei_plan ------------------------------------------------

@pytest.mark.parametrize("vorlage", KP_BRIEFE, ids=lambda v: v.name)
@pytest.mark.parametrize(("status", "grund"), [
    (Status.KEIN_EINVERSTAENDNIS, "Bei Status „kein Einverständnis“ gibt es keinen gemeinsamen Kooperationsplan"),
    (Status.NUR_AUFFORDERUNG, "Bei Status „nur Aufforderung“ gibt es keinen Kooperationsplan"),
    (None, "Der Plan hat keinen Status"),
])
def test_kooperationsplan_brief_nur_bei_plan(vorlage, status, grund, kunde):
    gruende = briefregeln.regel_kooperationsplan_brief_nur_bei_plan(vorlage, plan(status))
    assert len(gruende) == 1 and gruende[0].startswith(grund)
    pruefung = pruefen(vorlage, kunde, plan(status))
    assert gruende[0] in pruefung.verweigert
    with pytest.raises(BriefVerweigert):
        briefe.erzeugen(pruefung, None)


@pytest.mark.parametrize("vorlage", KP_BRIEFE, ids=lambda v: v.name)
def test_kooperationsplan_brief_bei_einverstaendnis_und_in_bearbeitung(vorlage, kunde):
    for status in (Status.EINVERSTAENDNIS, Status.IN_BEARBEITUNG):
        assert briefregeln.regel_kooperationsplan_brief_nur_bei_plan(vorlage, plan(status)) == []
    assert briefe.erzeugen(pruefen(vorlage, kunde, plan(Status.EINVERSTAENDNIS)), None)[:2] == b"PK"


def test_schlichtungsmerkblatt_auch_ohne_einverstaendnis(kunde):
    """The Merkblatt is about the plan that did not come about: no plan status needed."""
    vorlage = briefe.vorlage("schlichtungsverfahren-merkblatt")
    assert briefe.erzeugen(pruefen(vorlage, kunde, plan(Status.KEIN_EINVERSTAENDNIS)), None)[:2] == b"PK"


@pytest.mark.parametrize(("vorlage", "vereinbart", "entwurf"), [
    (briefe.vorlage("kooperationsplan"), "die wir gemeinsam vereinbart haben", "Entwurf Ihres Kooperationsplans"),
    (briefe.vorlage("kooperationsplan-fortschreibung"), "gemeinsam überprüft und fortgeschrieben",
     "Entwurf der Fortschreibung"),
    (OHNE_RECHTSFOLGEN, "haben wir gemeinsam Ihre nächsten Schritte festgehalten",
     "im Entwurf Ihres Kooperationsplans, gültig ab 01.10.2026, den wir gemeinsam besprechen"),
], ids=lambda x: getattr(x, "name", None))
def test_wortlaut_folgt_dem_status(vorlage, vereinbart, entwurf, kunde):
    """"gemeinsam vereinbart" only for "Einverständnis"; "in Bearbeitung" is a draft to be discussed."""
    einverstaendnis = text_von(briefe.erzeugen(pruefen(vorlage, kunde, plan(Status.EINVERSTAENDNIS)), None))
    in_bearbeitung = text_von(briefe.erzeugen(pruefen(vorlage, kunde, plan(Status.IN_BEARBEITUNG)), None))
    assert vereinbart in einverstaendnis and entwurf not in einverstaendnis
    assert entwurf in in_bearbeitung and vereinbart not in in_bearbeitung
    assert "vereinbart haben" not in in_bearbeitung and "gemeinsam festgehalten" not in in_bearbeitung


# ---- regel_rechtsfolgen_nur_bei_vereinbarten_schritten ------------------------------------------

def test_rechtsfolgen_nur_bei_vereinbarten_schritten(kunde):
    regel = briefregeln.regel_rechtsfolgen_nur_bei_vereinbarten_schritten
    assert regel(MIT_RECHTSFOLGEN, plan(Status.EINVERSTAENDNIS)) == []
    [status] = regel(MIT_RECHTSFOLGEN, plan(Status.IN_BEARBEITUNG))
    assert "setzt einen gemeinsam vereinbarten Kooperationsplan voraus" in status
    assert "dieser Plan hat den Status „in Bearbeitung“" in status
    [schritte] = regel(MIT_RECHTSFOLGEN, plan(Status.EINVERSTAENDNIS, naechste_schritte=" "))
    assert "„Meine nächsten Schritte“ ist leer" in schritte
    # The reported case: "in Bearbeitung" and no steps: both reasons, nothing made.
    pruefung = pruefen(MIT_RECHTSFOLGEN, kunde, plan(Status.IN_BEARBEITUNG, naechste_schritte=""))
    assert set(regel(MIT_RECHTSFOLGEN, plan(Status.IN_BEARBEITUNG, naechste_schritte=""))) <= set(pruefung.verweigert)
    assert len(pruefung.verweigert) == 2
    # Only the letter with Rechtsfolgen: the one without stays possible for a plan in Bearbeitung.
    assert regel(OHNE_RECHTSFOLGEN, plan(Status.IN_BEARBEITUNG, naechste_schritte="")) == []


# ---- regel_frist_nicht_vor_briefdatum ----------------------------------------------------------

def test_frist_nicht_vor_briefdatum(kunde):
    vorlage = briefe.vorlage("aufforderung-jobfabrik")
    regel = briefregeln.regel_frist_nicht_vor_briefdatum
    abgelaufen = plan(Status.NUR_AUFFORDERUNG, tag_der_aufforderung=date(2026, 11, 1),
                      frist_zur_erledigung=date(2026, 11, 21))
    assert regel(vorlage, abgelaufen, date(2026, 11, 30), {}) == [
        "„Frist zur Erledigung“ (21.11.2026) liegt vor dem Datum des Schreibens (30.11.2026): bitte einen späteren "
        "Tag setzen."]
    assert regel(vorlage, abgelaufen, date(2026, 11, 21), {}) == []  # the same day is fine
    # A date Ergänzung that is a Frist (the Beginn) is held to the same rule.
    gestern = {"beginn": date(2026, 11, 29)}
    assert regel(vorlage, plan(Status.NUR_AUFFORDERUNG), date(2026, 11, 30), gestern) == [
        "„Beginn“ (29.11.2026) liegt vor dem Datum des Schreibens (30.11.2026): bitte einen späteren Tag setzen."]
    pruefung = pruefen(vorlage, kunde, plan(Status.NUR_AUFFORDERUNG), ergaenzungen={**ERGAENZT, **gestern},
                       datum=date(2026, 11, 30))
    assert pruefung.verweigert == regel(vorlage, plan(Status.NUR_AUFFORDERUNG), date(2026, 11, 30), gestern)
    # Letters that name no Frist are not concerned.
    assert regel(briefe.vorlage("kooperationsplan"), abgelaufen, date(2026, 11, 30), {}) == []


# ---- regel_ueberpruefung_nicht_verstrichen ----------------------------------------------------

def test_ueberpruefung_nicht_verstrichen(kunde):
    """A warning, not a refusal: the letter still goes out."""
    vorlage = briefe.vorlage("kooperationsplan")
    alt = plan(gueltig_ab=date(2025, 1, 7))
    faellig = alt.ueberpruefung_faellig_am
    assert faellig == date(2025, 7, 7)
    [warnung] = briefregeln.regel_ueberpruefung_nicht_verstrichen(vorlage, alt, HEUTE)
    assert warnung.startswith("Warnung:") and format_datum(faellig) in warnung
    pruefung = pruefen(vorlage, kunde, alt)
    assert pruefung.ok and pruefung.warnungen == [warnung]
    assert briefe.erzeugen(pruefung, None)[:2] == b"PK"
    assert briefregeln.regel_ueberpruefung_nicht_verstrichen(vorlage, alt, faellig) == []
    assert briefregeln.regel_ueberpruefung_nicht_verstrichen(vorlage, plan(ueberprueft_am=HEUTE), HEUTE) == []
    # Only letters that name the review date warn.
    assert briefregeln.regel_ueberpruefung_nicht_verstrichen(MIT_RECHTSFOLGEN, alt, HEUTE) == []
