"""Ergänzungen: typed, checked values in place of the guide's "manuell erforderliche Eingaben"."""

from __future__ import annotations

from datetime import date

import pytest

from kopl_tui import briefe
from kopl_tui.brieftext import brieftext
from kopl_tui.briefvorlagen import rendern_datei, vorlagendatei
from kopl_tui.ergaenzungen import Art, Ergaenzung, ErgaenzungFehler, ersetze_xxxx
from kopl_tui.model import UNTERSTUETZUNG_VORGABE, Kooperationsplan

ANZAHL = briefe.ERGAENZUNGEN["bewerbungen_anzahl"]
BEGINN = briefe.ERGAENZUNGEN["beginn"]
ANGEBOT = briefe.ERGAENZUNGEN["angebot"]
ORT = briefe.ERGAENZUNGEN["ort"]


def test_jede_vorlage_mit_luecken_in_word_fragt_ergaenzungen_ab():
    """The templates that had "[bitte ergänzen: …]" or "XXXX" for Word declare what goes there."""
    erwartet = {
        "kooperationsplan": ["unterstuetzung_ergaenzung"],
        "kooperationsplan-fortschreibung": ["unterstuetzung_ergaenzung"],
        "aufforderung-bewerbung": ["bewerbungen_anzahl", "bewerbungen_zeitraum", "taetigkeit"],
        "aufforderung-jobfabrik": ["beginn", "ort", "ansprechperson"],
        "aufforderung-massnahme-stellenangebot": ["angebot", "angebot_bezeichnung", "angebot_traeger", "beginn",
                                                  "ort", "ansprechperson"],
        "kooperationsplan-aufforderung-mit-rechtsfolgen": ["schritt", "nachweis"],
        "kooperationsplan-aufforderung-ohne-rechtsfolgen": ["schritt", "nachweis"],
    }
    assert {v.name: [e.name for e in v.ergaenzungen] for v in briefe.VORLAGEN if v.ergaenzungen} == erwartet
    assert ANZAHL.art is Art.ZAHL and BEGINN.art is Art.DATUM and ANGEBOT.art is Art.AUSWAHL
    assert ANGEBOT.auswahl == ("Maßnahme", "Stellenangebot", "Maßnahme und Stellenangebot")
    assert BEGINN.frist and all(e.pflicht for e in briefe.ERGAENZUNGEN.values())


def test_zahl_wird_als_zahl_gelesen():
    assert ANZAHL.lesen(" 4 ") == 4 and ANZAHL.drucktext(4) == "4"
    assert ANZAHL.lesen("") is None
    for falsch, meldung in (("vier", "bitte eine ganze Zahl angeben, nicht „vier“"), ("4,5", "ganze Zahl"),
                            ("-3", "ganze Zahl"), ("0", "von 1 bis 50"), ("51", "von 1 bis 50")):
        with pytest.raises(ErgaenzungFehler, match=meldung) as fehler:
            ANZAHL.lesen(falsch)
        assert str(fehler.value).startswith("„Anzahl der Bewerbungen (mindestens)“: ")


def test_datum_tt_mm_jjjj():
    assert BEGINN.lesen("01.12.2026") == date(2026, 12, 1) and BEGINN.lesen("01122026") == date(2026, 12, 1)
    assert BEGINN.drucktext(date(2026, 12, 1)) == "01.12.2026" == BEGINN.eingabetext(date(2026, 12, 1))
    with pytest.raises(ErgaenzungFehler, match="„Beginn“: Den 31.11.2026 gibt es nicht"):
        BEGINN.lesen("31.11.2026")
    with pytest.raises(ErgaenzungFehler, match="kein Datum im Format TT.MM.JJJJ"):
        BEGINN.lesen("nächste Woche")


def test_auswahl_nur_aus_der_liste():
    assert ANGEBOT.lesen("stellenangebot") == "Stellenangebot"
    with pytest.raises(ErgaenzungFehler, match="bitte eine der Möglichkeiten „Maßnahme“, „Stellenangebot“"):
        ANGEBOT.lesen("Praktikum")


def test_text_bereinigt_und_begrenzt():
    assert ORT.lesen("  Beispielweg 3\r\n37073 Göttingen\x07 ") == "Beispielweg 3 37073 Göttingen"
    with pytest.raises(ErgaenzungFehler, match="höchstens 200 Zeichen"):
        ORT.lesen("x" * 201)
    with pytest.raises(ErgaenzungFehler, match="höchstens 200 Zeichen"):
        ORT.lesen("x" * 20_000)


def test_fehlende_pflichtergaenzung_ist_luecke_freiwillige_bleibt_leer():
    assert ORT.drucktext(None) == "[bitte ergänzen: Ort]" and ORT.eingabetext(None) == ""
    assert Ergaenzung("zusatz", "Zusatz", pflicht=False).drucktext(None) == ""


def test_xxxx_der_vorgabe_wird_ersetzt_nur_solange_es_da_ist():
    ergaenzung = briefe.UNTERSTUETZUNG_ERGAENZUNG
    assert UNTERSTUETZUNG_VORGABE.endswith("durch XXXX [hier individuelle Ergänzungen vornehmen]")
    ersetzt = ersetze_xxxx(UNTERSTUETZUNG_VORGABE, "ein Bewerbungstraining.")
    assert ersetzt.endswith("durch ein Bewerbungstraining.") and "XXXX" not in ersetzt and "[" not in ersetzt
    vorlage = briefe.vorlage("kooperationsplan")
    assert vorlage.ergaenzungen_fuer(Kooperationsplan()) == (ergaenzung,)  # the prefilled text
    assert vorlage.ergaenzungen_fuer(Kooperationsplan(unterstuetzung="Beratung.")) == ()


def test_luecken_findet_jede_marke_einmal():
    text = ("A [fehlt: Straße] B [bitte ergänzen: Ort] C XXXX [hier individuelle Ergänzungen vornehmen] "
            "D [fehlt: Straße] [bitte ergänzen]")
    assert briefe.luecken(text) == ["[fehlt: Straße]", "[bitte ergänzen: Ort]", "XXXX",
                                    "[hier individuelle Ergänzungen vornehmen]", "[bitte ergänzen]"]
    assert briefe.luecken("Ein fertiger Brief [Anlage]") == []


def test_brieftext_vom_briefkopf_bis_zur_rechtsbehelfsbelehrung():
    """Header first, then body paragraphs and the address table in document order, footer last."""
    vorlage = briefe.vorlage("aufforderung-jobfabrik")
    inhalt = rendern_datei(vorlagendatei(vorlage.datei, None).pfad, briefe.beispiel_kontext())
    zeilen = brieftext(inhalt).splitlines()
    reihenfolge = ["Jobcenter Landkreis Göttingen (Demo)", "Frau Erika Beispiel", "Ihre Integrationsfachkraft",
                   "Datum: 01.01.2026", "Sehr geehrte Frau Beispiel,", "Beginn: 02.02.2026", "Mit freundlichen Grüßen",
                   "Rechtsfolgenbelehrung", "Rechtsbehelfsbelehrung"]
    assert [zeilen.index(z) for z in reihenfolge] == sorted(zeilen.index(z) for z in reihenfolge)
    assert zeilen[0] == "Jobcenter Landkreis Göttingen (Demo)"
    assert zeilen[-1] == "Kundennummer 999X000001 · BG-Nummer 99999//0000001 · Seite # von #"
    assert any(z.startswith("• bei der ersten Pflichtverletzung") for z in zeilen)
    assert "\n\n\n" not in brieftext(inhalt)
