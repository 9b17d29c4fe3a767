"""The same picture in fewer bytes: Textual's output to the terminal without redundant style resets.

Textual (through Rich) writes every run of text as ``ESC[<style>m text ESC[0m``: each run ends with a
reset and the next one sets its whole style again, also where it is the very same style (a text and
the blanks after it) or where the new style sets everything the reset cleared (colours replaced by
colours). Over SSH every byte counts (README "Kapazität"): ``verdichten`` drops such a reset, and a
reset followed by the same style drops both. A reset is kept wherever it matters: before text, before
any sequence that paints (erasing uses the current background) and where the next style leaves an
attribute of the old one standing. Only cursor moves may stand between a dropped reset and the style
after it: they paint nothing. A line break directly before an absolute cursor move is dropped too.
Textual-free: the app's driver calls it on each write (kopl_tui/ausgabe.py).
"""

from __future__ import annotations

import re

# One token: a style (SGR), an absolute cursor move (CUP), a line break right before a CUP, any other
# control sequence (CSI, OSC, two-byte escape) or a run of text.
_TOKEN = re.compile(
    r"\x1b\[([0-9;]*)m"
    r"|(\x1b\[[0-9;]*H)"
    r"|((?:\r\n|\r|\n)(?=\x1b\[[0-9;]*H))"
    r"|\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[\s\S]?"
    r"|[^\x1b]+"
)
_RESET = ("", "0")
_UNBEKANNT = None  # the style in effect is not known (start of a write, two styles stacked)


def _attribute(sgr: str) -> tuple[bool, bool, frozenset[str]] | None:
    """What a style sets: foreground, background, the other attributes; None if it resets itself."""
    teile = sgr.split(";")
    vorne, hinten, andere = False, False, set()
    i = 0
    while i < len(teile):
        teil = teile[i]
        if teil in _RESET:
            return None
        wert = int(teil) if teil.isdigit() else -1
        if wert in (38, 48):
            laenge = 3 if i + 1 < len(teile) and teile[i + 1] == "5" else 5
            vorne, hinten = vorne or wert == 38, hinten or wert == 48
            i += laenge
            continue
        if 30 <= wert <= 37 or 90 <= wert <= 97 or wert == 39:
            vorne = True
        elif 40 <= wert <= 47 or 100 <= wert <= 107 or wert == 49:
            hinten = True
        else:
            andere.add(teil)
        i += 1
    return vorne, hinten, frozenset(andere)


def _ersetzt(alt: str, neu: str) -> bool:
    """Does setting ``neu`` on top of ``alt`` give ``neu`` alone, as after a reset?"""
    a, n = _attribute(alt), _attribute(neu)
    if n is None or a is None:
        return n is None
    return (not a[0] or n[0]) and (not a[1] or n[1]) and a[2] <= n[2]


def verdichten(ausgabe: str) -> str:
    """``ausgabe`` with the redundant resets (and line breaks) left out; the terminal shows the same."""
    if "\x1b[0m" not in ausgabe:
        return ausgabe
    teile: list[str] = []
    aktiv: str | None = _UNBEKANNT  # the style in effect ("" = none)
    offen = False  # a reset read and not yet written
    for treffer in _TOKEN.finditer(ausgabe):
        sgr, sprung, umbruch = treffer.group(1), treffer.group(2), treffer.group(3)
        if sgr is not None:
            if sgr in _RESET:
                offen = True
                continue
            if offen:
                if aktiv == sgr:  # the same style again: as if never reset
                    offen = False
                    continue
                if aktiv is not _UNBEKANNT and _ersetzt(aktiv, sgr):
                    offen = False
                else:
                    teile.append("\x1b[0m")
                    offen = False
                teile.append(treffer.group(0))
                aktiv = sgr
            else:
                teile.append(treffer.group(0))
                aktiv = sgr if aktiv == "" or _attribute(sgr) is None else _UNBEKANNT
            continue
        if umbruch is not None:
            continue  # the absolute move after it puts the cursor where it belongs
        if sprung is None and offen:  # text or a sequence that may paint: in the reset style
            teile.append("\x1b[0m")
            offen, aktiv = False, ""
        teile.append(treffer.group(0))
    if offen:
        teile.append("\x1b[0m")
    return "".join(teile)
