"""The Kundenakte working copy: Übernehmen, Verwerfen, deletion marks, final save (guide §2–§5)."""

from datetime import date

import pytest

from kopl_tui.akte import BaRegelVerletzt, Kundenakte
from kopl_tui.model import UNBEGRENZT, Kooperationsplan, RegelVerletzung, Status
from kopl_tui.store import Store, VersionKonflikt


@pytest.fixture
def akte(store_mit_kunde, kunde) -> Kundenakte:
    return Kundenakte.oeffnen(store_mit_kunde, kunde, "anna")


def neuer(akte: Kundenakte, ab: date, **werte) -> Kooperationsplan:
    plan = akte.neuer_plan()
    plan.status, plan.gueltig_ab = Status.EINVERSTAENDNIS, ab
    for feld, wert in werte.items():
        setattr(plan, feld, wert)
    return plan


def test_uebernehmen_dann_speichern(akte, store_mit_kunde, kunde):
    plan = neuer(akte, date(2025, 1, 7))
    akte.uebernehmen(plan)
    assert akte.ungespeichert and [p.id for p in akte.plaene] == [plan.id]
    assert store_mit_kunde.akte_laden(kunde.kundennummer).plaene == []  # nothing on disk before §5
    akte.speichern()
    assert not akte.ungespeichert
    gespeichert = Store(store_mit_kunde.data_dir).akte_laden(kunde.kundennummer)
    assert [p.id for p in gespeichert.plaene] == [plan.id]
    assert gespeichert.plaene[0].angelegt_von == "anna" and gespeichert.plaene[0].version == 1


def test_uebernehmen_verweigert_bei_regelverstoss(akte):
    plan = akte.neuer_plan()
    with pytest.raises(RegelVerletzung) as info:
        akte.uebernehmen(plan)
    assert info.value.befunde[0].feld == "status"
    assert akte.plaene == [] and not akte.ungespeichert


def test_bearbeiten_ist_kopie_bis_uebernehmen(akte):
    plan = neuer(akte, date(2025, 1, 7), ziel="alt")
    akte.uebernehmen(plan)
    kopie = akte.plan(plan.id)
    kopie.ziel = "neu"
    assert akte.plaene[0].ziel == "alt"
    akte.uebernehmen(kopie)
    assert akte.plaene[0].ziel == "neu" and akte.plaene[0].version == 2


def test_alles_verwerfen_stellt_gespeicherten_stand_her(akte):
    akte.uebernehmen(neuer(akte, date(2025, 1, 7)))
    akte.alles_verwerfen()
    assert akte.plaene == [] and not akte.ungespeichert


def test_loeschen_markiert_und_verwerfen_stellt_her(akte):
    plan = neuer(akte, date(2025, 1, 7))
    akte.uebernehmen(plan)
    akte.speichern()
    akte.loeschen_markieren(plan.id)
    assert akte.ist_loeschmarkiert(plan.id) and akte.hat_loeschmarken
    assert [p.id for p in akte.plaene] == [plan.id]  # still shown, as deleted
    akte.loeschmarken_verwerfen()
    assert not akte.ist_loeschmarkiert(plan.id) and not akte.ungespeichert


def test_loeschen_uebernehmen_und_speichern(akte, store_mit_kunde, kunde):
    plan = neuer(akte, date(2025, 1, 7))
    akte.uebernehmen(plan)
    akte.speichern()
    akte.loeschen_markieren(plan.id)
    akte.loeschmarken_uebernehmen()
    assert akte.plaene == [] and akte.ungespeichert
    akte.speichern()
    assert store_mit_kunde.akte_laden(kunde.kundennummer).plaene == []
    assert any(e.aktion == "Kooperationsplan gelöscht" for e in store_mit_kunde.historie(kunde.kundennummer))


def test_finales_speichern_verweigert_bei_ba_regel(akte, store_mit_kunde, kunde):
    alt = neuer(akte, date(2024, 11, 1))
    neu = neuer(akte, date(2025, 1, 7))
    akte.uebernehmen(alt)
    vorschlaege = akte.uebernehmen(neu)
    assert [v.neues_gueltig_bis for v in vorschlaege] == [date(2025, 1, 6)]
    with pytest.raises(BaRegelVerletzt) as info:
        akte.speichern()
    assert {p.id for p in info.value.plaene} == {alt.id, neu.id}
    assert "01.11.2024" in str(info.value) and "07.01.2025" in str(info.value)
    assert not store_mit_kunde.akte_pfad(kunde.kundennummer).exists()
    akte.vorschlaege_anwenden(vorschlaege)
    assert akte.ba_verstoesse() == []
    akte.speichern()
    gespeichert = {p.id: p for p in store_mit_kunde.akte_laden(kunde.kundennummer).plaene}
    assert gespeichert[alt.id].gueltig_bis == date(2025, 1, 6) and gespeichert[neu.id].gueltig_bis == UNBEGRENZT


def test_ba_verstoss_in_uebersicht_ohne_loeschmarkierte(akte):
    alt, neu = neuer(akte, date(2024, 11, 1)), neuer(akte, date(2025, 1, 7))
    akte.uebernehmen(alt)
    akte.uebernehmen(neu)
    assert len(akte.ba_verstoesse()) == 2
    akte.loeschen_markieren(alt.id)
    assert akte.ba_verstoesse() == []


def test_versionskonflikt_zweier_akten(store_mit_kunde, kunde):
    anna = Kundenakte.oeffnen(store_mit_kunde, kunde, "anna")
    bernd = Kundenakte.oeffnen(store_mit_kunde, kunde, "bernd")
    anna.uebernehmen(neuer(anna, date(2025, 1, 7)))
    anna.speichern()
    bernd.uebernehmen(neuer(bernd, date(2025, 2, 1)))
    with pytest.raises(VersionKonflikt):
        bernd.speichern()
    bernd.neu_laden()
    assert len(bernd.plaene) == 1 and bernd.version == 1


def test_historie_alt_neu_der_statistikfelder(akte, store_mit_kunde, kunde):
    plan = neuer(akte, date(2025, 1, 7))
    akte.uebernehmen(plan)
    kopie = akte.plan(plan.id)
    kopie.gueltig_bis = date(2025, 6, 30)
    akte.uebernehmen(kopie)
    akte.speichern()
    eintraege = store_mit_kunde.historie(kunde.kundennummer)
    geaendert = [e for e in eintraege if e.aktion == "Kooperationsplan geändert"][0]
    assert geaendert.alt["gueltig_bis"] == "Unbegrenzt" and geaendert.neu["gueltig_bis"] == "30.06.2025"
    assert geaendert.benutzer == "anna"
    assert eintraege[-1].aktion == "gespeichert"


def test_vorschlag_beendet_auch_migrierten_plan_ohne_status(store_mit_kunde, kunde):
    """Guide §2/§3.1: migrated plans have empty fields; ending them must not require completing them."""
    alt = Kooperationsplan(gueltig_ab=date(2024, 11, 1), unterstuetzung="")
    store_mit_kunde.akte_speichern(kunde.kundennummer, [alt], 0, "migration")
    akte = Kundenakte.oeffnen(store_mit_kunde, kunde, "anna")
    vorschlaege = akte.uebernehmen(neuer(akte, date(2025, 1, 7)))
    akte.vorschlaege_anwenden(vorschlaege)
    assert akte.plan(alt.id).gueltig_bis == date(2025, 1, 6) and akte.plan(alt.id).status is None
    assert akte.ba_verstoesse() == []
