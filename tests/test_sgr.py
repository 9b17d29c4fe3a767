"""kopl_tui/sgr.py: fewer bytes, the same picture. A small terminal model (characters, colours and
attributes per cell) reads Rich-rendered frames before and after ``verdichten``; both must show the
same cells, for frames built at random from Rich's own style rendering, as Textual writes them."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.color import Color
from rich.style import Style

from kopl_tui.sgr import verdichten

BREITE, HOEHE = 20, 4
_SEQUENZ = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])|\r|\n|[^\x1b\r\n]")


def _sgr(zustand: dict[str, object], parameter: str) -> dict[str, object]:
    teile = parameter.split(";") if parameter else ["0"]
    neu = dict(zustand)
    i = 0
    while i < len(teile):
        wert = int(teile[i] or 0)
        if wert == 0:
            neu = {"fg": None, "bg": None}
        elif wert in (38, 48):
            laenge = 3 if teile[i + 1] == "5" else 5
            neu["fg" if wert == 38 else "bg"] = tuple(teile[i + 1:i + laenge])
            i += laenge
            continue
        elif 30 <= wert <= 37 or 90 <= wert <= 97:
            neu["fg"] = wert
        elif wert == 39:
            neu["fg"] = None
        elif 40 <= wert <= 47 or 100 <= wert <= 107:
            neu["bg"] = wert
        elif wert == 49:
            neu["bg"] = None
        elif wert in (22, 23, 24, 27, 29):
            for aus in {22: ("1", "2"), 23: ("3",), 24: ("4",), 27: ("7",), 29: ("9",)}[wert]:
                neu.pop(aus, None)
        else:
            neu[str(wert)] = True
        i += 1
    return neu


def bild(ausgabe: str) -> list[list[tuple[str, tuple]]]:
    """Every cell: its character and the style it was painted in."""
    leer = ("", tuple(sorted({"fg": None, "bg": None}.items(), key=str)))
    zellen = [[leer] * BREITE for _ in range(HOEHE)]
    zustand: dict[str, object] = {"fg": None, "bg": None}
    zeile = spalte = 0
    for treffer in _SEQUENZ.finditer(ausgabe):
        text = treffer.group(0)
        if treffer.group(2) == "m":
            zustand = _sgr(zustand, treffer.group(1))
        elif treffer.group(2) == "H":
            zeile, spalte = (int(x) - 1 for x in treffer.group(1).split(";"))
        elif text == "\r":
            spalte = 0
        elif text == "\n":
            zeile += 1
        elif treffer.group(2) is None:
            assert zeile < HOEHE, "die Ausgabe schriebe über den Bildrand hinaus"
            if spalte < BREITE:
                zellen[zeile][spalte] = (text, tuple(sorted(zustand.items(), key=str)))
            spalte += 1
    return zellen


farben = st.one_of(st.none(), st.integers(0, 255).map(Color.from_ansi),
                   st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)).map(
                       lambda rgb: Color.from_rgb(*rgb)),
                   st.sampled_from(["red", "bright_blue", "default"]).map(Color.parse))
stile = st.builds(Style, color=farben, bgcolor=farben, bold=st.sampled_from([None, True]),
                  italic=st.sampled_from([None, True]), reverse=st.sampled_from([None, True]),
                  underline=st.sampled_from([None, True]), strike=st.sampled_from([None, True]))
laeufe = st.lists(st.tuples(st.text(alphabet="ab äß█▔", min_size=1, max_size=6), stile), min_size=1, max_size=6)


@st.composite
def frames(draw: st.DrawFn) -> str:
    """Lines of styled runs, each run as Rich renders a segment (ESC[...m text ESC[0m), each line
    after an absolute cursor move and separated by a line break, as Textual's updates are."""
    teile = []
    for zeile in range(draw(st.integers(1, HOEHE))):
        if zeile:
            teile.append(draw(st.sampled_from(["\r\n", "\n", ""])))
        teile.append(f"\x1b[{zeile + 1};{draw(st.integers(1, 5))}H")
        for text, stil in draw(laeufe):
            teile.append(stil.render(text, color_system=draw(st.sampled_from(["truecolor", "256", "standard"]))))
            if draw(st.booleans()):
                teile.append(f"\x1b[{zeile + 1};{draw(st.integers(1, BREITE))}H")
    return "".join(teile)


@settings(max_examples=400, deadline=None)
@given(frames())
def test_verdichten_zeigt_dasselbe_bild(ausgabe: str) -> None:
    kurz = verdichten(ausgabe)
    assert bild(kurz) == bild(ausgabe)
    assert len(kurz) <= len(ausgabe)


def test_verdichten_spart_bei_textual_typischen_zeilen() -> None:
    """A line as the mask's text field writes it: text and blanks in one style, then the scroll bar."""
    zeile = ("\x1b[2;2H\x1b[48;5;234m \x1b[0m\x1b[38;5;253;48;5;235mStabilisierung der \x1b[0m"
             "\x1b[38;5;253;48;5;235m      \x1b[0m\x1b[2;15H\x1b[7;38;5;23;48;5;234m  \x1b[0m\r\n\x1b[3;2H")
    kurz = verdichten(zeile)
    assert bild(kurz) == bild(zeile)
    assert len(kurz) <= len(zeile) - 30  # two resets, one repeated style, the line break


def test_verdichten_laesst_andere_sequenzen_stehen() -> None:
    """Modes, queries and erasing (which paints the current background) keep their reset before them."""
    for ausgabe in ("\x1b[?2026h", "\x1b[31mx\x1b[0m\x1b[2K\x1b[31my\x1b[0m", "\x1b]2;Titel\x07x"):
        kurz = verdichten(ausgabe)
        assert "\x1b[0m\x1b[2K" in kurz or "\x1b[2K" not in ausgabe
        assert kurz.replace("\x1b[0m", "") == ausgabe.replace("\x1b[0m", "")
