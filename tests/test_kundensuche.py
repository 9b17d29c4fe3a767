"""Search as you type: narrowing the previous hits finds exactly what a fresh search finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kopl_tui.kundenindex import Kundenliste, KundenZeile, suchschluessel
from kopl_tui.kundensuche import Kundensuche

NAMEN = ["Musterfrau", "Mustermann", "Beispiel", "Probe", "Muster-Klein", "Öztürk", "Weiß"]
VORNAMEN = ["Erika", "Max", "Jonas", "Anna", "Ali"]
ZEILEN = [KundenZeile(f"123D{i:06d}", NAMEN[i % len(NAMEN)], VORNAMEN[i % len(VORNAMEN)], "1980-01-01", "",
                      "Frau", "", "", "", "", "", "") for i in range(60)]
LISTE = Kundenliste([suchschluessel(z) for z in ZEILEN], ["\x1f".join(z) for z in ZEILEN])


def neu_gesucht(text: str) -> list[int]:
    return list(Kundensuche(LISTE).treffer(text))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="musterjonaä 01ßW", max_size=8), min_size=1, max_size=12))
def test_weitertippen_findet_dasselbe_wie_eine_neue_suche(eingaben):
    suche = Kundensuche(LISTE)
    for text in eingaben:
        assert list(suche.treffer(text)) == neu_gesucht(text)


def test_tippen_wie_ein_mensch_grenzt_ein_und_loeschen_weitet_wieder():
    suche = Kundensuche(LISTE)
    text = ""
    for zeichen in "muster jo":
        text += zeichen
        assert list(suche.treffer(text)) == neu_gesucht(text)
    while text:
        text = text[:-1]
        assert list(suche.treffer(text)) == neu_gesucht(text)
    assert len(suche.treffer("")) == len(ZEILEN)
