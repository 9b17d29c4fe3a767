"""The guide's BA-statistics rule across plans, the proposal to end the older plan, Fallübersicht."""

from datetime import date

from kopl_tui.model import UNBEGRENZT, Kooperationsplan, Status
from kopl_tui.regeln import aktueller_plan, ba_regel_verstoesse, sortiert_neueste_zuerst, vorschlag_aeltere_beenden

# The guide's own overview example (§3.1).
LEITFADEN = [
    Kooperationsplan(gueltig_ab=date(2024, 11, 1), gueltig_bis=UNBEGRENZT),
    Kooperationsplan(gueltig_ab=date(2023, 7, 12), gueltig_bis=date(2024, 10, 31)),
    Kooperationsplan(gueltig_ab=date(2022, 9, 21), gueltig_bis=date(2023, 3, 20)),
    Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 1, 7), gueltig_bis=UNBEGRENZT),
]


def test_ba_regel_nur_ein_unbegrenzter_plan():
    verstoesse = ba_regel_verstoesse(LEITFADEN)
    assert [p.gueltig_ab for p in verstoesse] == [date(2025, 1, 7), date(2024, 11, 1)]
    assert ba_regel_verstoesse(LEITFADEN[1:]) == []


def test_ba_regel_zaehlt_nur_aufforderung_nicht():
    nur = Kooperationsplan(status=Status.NUR_AUFFORDERUNG, gueltig_bis=UNBEGRENZT)
    assert ba_regel_verstoesse([LEITFADEN[0], nur]) == []


def test_vorschlag_aeltere_beenden_am_vortag():
    neuer = LEITFADEN[3]
    vorschlaege = vorschlag_aeltere_beenden(LEITFADEN, neuer)
    assert [(v.plan_id, v.neues_gueltig_bis) for v in vorschlaege] == [(LEITFADEN[0].id, date(2025, 1, 6))]
    assert "06.01.2025" in vorschlaege[0].text()
    assert vorschlag_aeltere_beenden(LEITFADEN, LEITFADEN[1]) == []  # not unbegrenzt: nothing to propose


def test_uebersicht_neueste_zuerst():
    assert [p.gueltig_ab.year for p in sortiert_neueste_zuerst(LEITFADEN)] == [2025, 2024, 2023, 2022]


def test_fallübersicht_aktueller_plan():
    assert aktueller_plan(LEITFADEN, date(2025, 2, 1)) is LEITFADEN[3]
    assert aktueller_plan(LEITFADEN, date(2024, 1, 1)) is LEITFADEN[1]
    assert aktueller_plan(LEITFADEN, date(2020, 1, 1)) is None
