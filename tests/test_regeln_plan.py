"""Every rule of the guide for one plan, by name (grep: regel_<name> / test_<name>)."""

from datetime import date

import pytest
from pydantic import ValidationError

from kopl_tui.model import (
    UNBEGRENZT,
    UNTERSTUETZUNG_VORGABE,
    JaNein,
    Kooperationsplan,
    RegelVerletzung,
    Status,
    hinweis_neuer_plan_unbegrenzt,
    max_ende_folgt_beginn,
    meldungen,
    regel_plan_ohne_status,
)


def felder(plan: Kooperationsplan) -> dict[str, str]:
    return {b.feld: b.meldung for b in plan.befunde()}


def gueltiger_plan(**werte) -> Kooperationsplan:
    basis = dict(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 1, 7))
    return Kooperationsplan(**{**basis, **werte})


def test_neuer_plan_hat_vorgaben_des_leitfadens():
    plan = Kooperationsplan()
    assert plan.status is None
    assert plan.gueltig_bis == UNBEGRENZT
    assert plan.unterstuetzung == UNTERSTUETZUNG_VORGABE
    assert plan.unterstuetzung.startswith("Meine zuständige Integrationsfachkraft unterstützt mich")


def test_status_pflichtfeld():
    meldung = felder(Kooperationsplan(gueltig_ab=date(2025, 1, 7)))["status"]
    assert "Pflichtfeld" in meldung and "Status Kooperationsplan" in meldung
    assert "status" not in felder(gueltiger_plan())


def test_status_pflichtfeld_nur_fuer_neue_und_gesetzte():
    """§2/§3.1: a migrated plan without status can be corrected by hand; a status once set stays."""
    migriert = Kooperationsplan(gueltig_ab=date(2024, 11, 1), unterstuetzung="")
    korrigiert = migriert.model_copy(update={"gueltig_bis": date(2025, 1, 6)})
    assert korrigiert.befunde(vorher=migriert) == []
    assert [b.regel for b in korrigiert.befunde()] == ["status_pflichtfeld"]  # as a new plan: refused
    geleert = gueltiger_plan().model_copy(update={"status": None})
    (befund,) = geleert.befunde(vorher=gueltiger_plan())
    assert befund.feld == "status" and "nicht geleert" in befund.meldung and "Einverständnis" in befund.meldung


def test_plan_ohne_status():
    (befund,) = regel_plan_ohne_status(Kooperationsplan(gueltig_ab=date(2024, 11, 1)))
    assert befund.regel == "plan_ohne_status" and "Plan ohne Status" in befund.meldung
    assert regel_plan_ohne_status(gueltiger_plan()) == []


def test_hinweis_neuer_plan_unbegrenzt():
    assert "unbegrenzt" in hinweis_neuer_plan_unbegrenzt(gueltiger_plan(gueltig_bis=date(2025, 6, 30)))
    assert hinweis_neuer_plan_unbegrenzt(gueltiger_plan()) == ""
    assert hinweis_neuer_plan_unbegrenzt(Kooperationsplan(status=Status.NUR_AUFFORDERUNG, gueltig_bis=None)) == ""
    assert felder(gueltiger_plan(gueltig_bis=date(2025, 6, 30))) == {}  # a hint, not a refusal


def test_status_kein_eintrag_ausgewaehlt_ist_leer():
    assert Kooperationsplan(status="Kein Eintrag ausgewählt").status is None
    assert Kooperationsplan(status="").status is None


def test_nur_aufforderung_sperrt_gueltigkeit():
    plan = Kooperationsplan(status=Status.NUR_AUFFORDERUNG, gueltig_ab=date(2025, 1, 7),
                            tag_der_aufforderung=date(2025, 1, 7), frist_zur_erledigung=date(2025, 1, 21))
    befunde = felder(plan)
    assert "nur Aufforderung" in befunde["gueltig_ab"] and "nur Aufforderung" in befunde["gueltig_bis"]
    plan.gueltig_ab = plan.gueltig_bis = None
    assert felder(plan) == {}


def test_gueltigkeit_pflichtfelder():
    befunde = felder(Kooperationsplan(status=Status.IN_BEARBEITUNG, gueltig_bis=None))
    assert "Pflichtfeld" in befunde["gueltig_ab"] and "17.6" in befunde["gueltig_ab"]
    assert "Pflichtfeld" in befunde["gueltig_bis"] and "17.7" in befunde["gueltig_bis"]


def test_gueltig_bis_nicht_vor_ab():
    assert "liegt vor" in felder(gueltiger_plan(gueltig_bis=date(2025, 1, 6)))["gueltig_bis"]
    assert felder(gueltiger_plan(gueltig_bis=date(2025, 1, 7))) == {}
    assert felder(gueltiger_plan(gueltig_bis=UNBEGRENZT)) == {}


def test_aufforderung_tag_und_frist():
    befunde = felder(Kooperationsplan(status=Status.NUR_AUFFORDERUNG, gueltig_bis=None))
    assert "Tag der Aufforderung" in befunde["tag_der_aufforderung"]
    assert "Frist zur Erledigung" in befunde["frist_zur_erledigung"]
    # in a real plan the Aufforderung is optional, but once begun both dates are needed
    assert felder(gueltiger_plan()) == {}
    assert set(felder(gueltiger_plan(tag_der_aufforderung=date(2025, 2, 1)))) == {"frist_zur_erledigung"}


def test_frist_nach_tag():
    plan = gueltiger_plan(tag_der_aufforderung=date(2025, 2, 10), frist_zur_erledigung=date(2025, 2, 9))
    assert "liegt vor" in felder(plan)["frist_zur_erledigung"]
    plan.frist_zur_erledigung = date(2025, 2, 10)  # same day: no time to act
    assert "derselbe Tag" in felder(plan)["frist_zur_erledigung"]
    plan.frist_zur_erledigung = date(2025, 2, 11)
    assert felder(plan) == {}


def test_schlichtung_beginn_bei_ja():
    assert "Beginn" in felder(gueltiger_plan(schlichtung_notwendig=JaNein.JA))["schlichtung_beginn"]
    assert felder(gueltiger_plan(schlichtung_notwendig=JaNein.NEIN)) == {}


def test_schlichtung_nur_wenn_notwendig():
    befunde = felder(gueltiger_plan(schlichtung_notwendig=JaNein.NEIN, schlichtung_beginn=date(2025, 3, 1)))
    assert "notwendig" in befunde["schlichtung_beginn"]


def test_schlichtung_ergebnis_nicht_vor_beginn():
    plan = gueltiger_plan(schlichtung_notwendig="ja", schlichtung_beginn=date(2025, 3, 10),
                          schlichtung_ergebnis=date(2025, 3, 9))
    assert "liegt vor dem Beginn" in felder(plan)["schlichtung_ergebnis"]
    plan.schlichtung_ergebnis = date(2025, 3, 10)
    assert felder(plan) == {}


def test_schlichtung_max_ende_aus_beginn():
    plan = gueltiger_plan(schlichtung_notwendig="ja", schlichtung_beginn="10.03.2025")
    assert plan.schlichtung_max_ende == date(2025, 4, 7)


def test_schlichtung_max_ende_ueberschreibbar():
    plan = gueltiger_plan(schlichtung_notwendig="ja", schlichtung_beginn="10.03.2025",
                          schlichtung_max_ende="31.03.2025")
    assert plan.schlichtung_max_ende == date(2025, 3, 31)
    assert felder(plan) == {}


def test_max_ende_folgt_beginn():
    alt, neu = date(2026, 11, 23), date(2026, 11, 20)
    assert max_ende_folgt_beginn(alt, neu, date(2026, 12, 21)) == date(2026, 12, 18)  # was alt + 28 days
    assert max_ende_folgt_beginn(alt, neu, None) == date(2026, 12, 18)  # empty
    assert max_ende_folgt_beginn(None, neu, None) == date(2026, 12, 18)
    assert max_ende_folgt_beginn(alt, neu, date(2026, 12, 10)) == date(2026, 12, 10)  # typed by hand: stays
    assert max_ende_folgt_beginn(alt, None, date(2026, 12, 21)) is None  # Beginn removed


def test_schlichtung_hoechstens_vier_wochen():
    plan = gueltiger_plan(schlichtung_notwendig="ja", schlichtung_beginn="10.03.2025",
                          schlichtung_max_ende="08.04.2025")
    assert "vier Wochen" in felder(plan)["schlichtung_max_ende"]


def test_pruefen_wirft_regelverletzung_mit_allen_befunden():
    with pytest.raises(RegelVerletzung) as info:
        Kooperationsplan(gueltig_bis=None).pruefen()
    assert {b.regel for b in info.value.befunde} == {"status_pflichtfeld"}


def test_ungueltiges_datum_meldung_am_feld():
    with pytest.raises(ValidationError) as info:
        Kooperationsplan(gueltig_ab="31.02.2025")
    texte = meldungen(info.value)
    assert "gibt es nicht" in texte["gueltig_ab"] and texte["gueltig_ab"].startswith("Kooperationsplan gültig ab")


def test_freitext_wird_bereinigt():
    plan = Kooperationsplan(ziel="Zeile1\r\nZeile2\x00\x07\tTab\u202eRTL 😀")
    assert plan.ziel == "Zeile1\nZeile2\tTab\u202eRTL 😀"


def test_freitext_zu_lang_deutsche_meldung():
    with pytest.raises(ValidationError) as info:
        Kooperationsplan(ziel="x" * 10_001)
    assert "zu lang" in meldungen(info.value)["ziel"]


def test_ueberpruefung_faellig_sechs_monate():
    plan = gueltiger_plan()
    assert plan.ueberpruefung_faellig_am == date(2025, 7, 7)
    plan.ueberprueft_am = date(2025, 7, 1)
    assert plan.ueberpruefung_faellig_am == date(2026, 1, 1)
    assert plan.ueberpruefung_ueberfaellig(date(2026, 1, 2))
    assert not plan.ueberpruefung_ueberfaellig(date(2026, 1, 1))
    plan.gueltig_bis = date(2025, 12, 31)  # ended plans are not overdue
    assert not plan.ueberpruefung_ueberfaellig(date(2026, 1, 2))


def test_plan_json_rundreise():
    plan = gueltiger_plan(schlichtung_notwendig="ja", schlichtung_beginn=date(2025, 3, 10), ziel="<&>")
    daten = plan.model_dump(mode="json")
    assert daten["gueltig_ab"] == "2025-01-07" and daten["gueltig_bis"] == "unbegrenzt"
    assert Kooperationsplan.model_validate(daten) == plan
