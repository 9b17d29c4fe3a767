"""The table of rules (kopl_tui/regeln.py): every rule once, named like its function and its tests, and
the rules that had no test of their own name yet (grep: regel_<name> / test_<name>)."""

import re
from datetime import date
from pathlib import Path

from kopl_tui.model import Kooperationsplan, Kunde, Status
from kopl_tui.pruefung import REGELN as PRUEFLISTE, akte_pruefen, pruefliste
from kopl_tui.regeln import REGEL, REGELN, Art, regel_speichern_vor_drucken

TESTS = Path(__file__).resolve().parent


def test_jede_regel_einmal_mit_titel_abschnitt_und_test():
    namen = [regel.name for regel in REGELN]
    assert len(namen) == len(set(namen))
    testnamen = " ".join(re.findall(r"def (test_\w+)", " ".join(p.read_text(encoding="utf-8")
                                                                  for p in TESTS.rglob("test_*.py"))))
    for regel in REGELN:
        assert regel.titel and regel.abschnitt, regel.name
        assert f"test_{regel.name}" in testnamen or f"_{regel.name}" in testnamen, f"kein Test heißt wie {regel.name}"
        if regel.funktion is not None and regel.name != "ba_statistik_regel":  # historic name: ba_regel_verstoesse
            assert regel.funktion.__name__ in (f"regel_{regel.name}", f"hinweis_{regel.name}"), regel.name
        assert (regel.funktion is None) == (regel.art is Art.BESTAND), regel.name


def test_pruefliste_folgt_der_tabelle():
    assert list(PRUEFLISTE) == ["ba_statistik_regel", "gueltig_bis_nicht_vor_ab", "frist_nach_tag",
                                "schlichtung_ohne_ergebnis", "ueberpruefung_ueberfaellig",
                                "nur_aufforderung_sperrt_gueltigkeit", "plan_ohne_status", "akte_ohne_kunde",
                                "datei_unlesbar"]
    assert all(PRUEFLISTE[name] == REGEL[name].titel for name in PRUEFLISTE)


def test_uebernehmen_wendet_jede_planregel_der_tabelle_an():
    plan = Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 2, 1), gueltig_bis=date(2025, 1, 1),
                            tag_der_aufforderung=date(2025, 1, 10), frist_zur_erledigung=date(2025, 1, 10))
    assert {b.regel for b in plan.befunde()} == {"gueltig_bis_nicht_vor_ab", "frist_nach_tag"}


def _kunde(**werte) -> Kunde:
    return Kunde(**{"kundennummer": "123D456789", "nachname": "Musterfrau", "vorname": "Erika",
                    "geburtsdatum": "01.02.1980", "bg_nummer": "12345//0001234", **werte})


def test_anschrift_vollstaendig():
    assert _kunde().befunde() == [] and _kunde(strasse="Weg 1", plz="37073", ort="Göttingen").befunde() == []
    befunde = _kunde(strasse="Weg 1").befunde()
    assert [(b.feld, b.regel) for b in befunde] == [("plz", "anschrift_vollstaendig"), ("ort", "anschrift_vollstaendig")]
    assert befunde[0].meldung == "PLZ fehlt: eine Anschrift braucht Straße, PLZ und Ort."


def test_ort_ohne_plz():
    (befund,) = _kunde(strasse="Weg 1", plz="37073", ort="37073 Göttingen").befunde()
    assert befund.regel == "ort_ohne_plz" and befund.feld == "ort"


def test_ba_statistik_regel_in_der_pruefung_und_beim_speichern(store_mit_kunde, kunde):
    from kopl_tui.akte import BaRegelVerletzt, Kundenakte

    alt = Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2024, 1, 1))
    neu = Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 1, 1))
    befunde = akte_pruefen(kunde.kundennummer, kunde.name, [alt, neu], date(2025, 3, 1))
    assert [(b.plan_id, b.regel) for b in befunde if b.regel == "ba_statistik_regel"] == [(alt.id, "ba_statistik_regel")]
    akte = Kundenakte.oeffnen(store_mit_kunde, kunde, "anna")
    akte._plaene = {alt.id: alt, neu.id: neu}  # as a migrated Akte may hold them
    try:
        akte.speichern()
    except BaRegelVerletzt as fehler:
        assert "BA-Statistik-Regel" in str(fehler)
    else:
        raise AssertionError("gespeichert trotz BA-Statistik-Regel")


def test_schlichtung_ohne_ergebnis():
    plan = Kooperationsplan(status=Status.KEIN_EINVERSTAENDNIS, gueltig_ab=date(2025, 1, 1),
                            schlichtung_notwendig="ja", schlichtung_beginn=date(2025, 1, 2))
    regeln = lambda tag: [b.regel for b in akte_pruefen("123D456789", "", [plan], tag)]  # noqa: E731
    assert "schlichtung_ohne_ergebnis" not in regeln(date(2025, 1, 30))
    assert "schlichtung_ohne_ergebnis" in regeln(date(2025, 1, 31))


def test_ueberpruefung_ueberfaellig():
    plan = Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 1, 7))
    regeln = lambda tag: [b.regel for b in akte_pruefen("123D456789", "", [plan], tag)]  # noqa: E731
    assert "ueberpruefung_ueberfaellig" not in regeln(date(2025, 7, 7))
    assert "ueberpruefung_ueberfaellig" in regeln(date(2025, 7, 8))


def test_akte_ohne_kunde(store_mit_kunde, kunde):
    store_mit_kunde.akte_speichern("999X000001", [], 0, "anna")
    befunde = pruefliste(store_mit_kunde)
    assert [(b.kundennummer, b.regel) for b in befunde] == [("999X000001", "akte_ohne_kunde")]


def test_speichern_vor_drucken():
    assert regel_speichern_vor_drucken(neuer_plan=False, eingaben_offen=False, akte_ungespeichert=False) == ""
    assert regel_speichern_vor_drucken(neuer_plan=True, eingaben_offen=True, akte_ungespeichert=True) == \
        "Der neue Kooperationsplan ist noch nicht übernommen und gespeichert."
    assert regel_speichern_vor_drucken(neuer_plan=False, eingaben_offen=False, akte_ungespeichert=True) == \
        "Die Kundenakte hat ungespeicherte Änderungen."
