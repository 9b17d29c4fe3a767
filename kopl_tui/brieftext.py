"""The rendered letter as plain text: the document assistant's preview (no Word over SSH), the gap
check before "Fertig" and "Ablegen", and ``kopl-tui brief`` without an output file.

Read back from the .docx itself with python-docx, so the text is what will print: letterhead
(header), body paragraphs and tables in document order, footer.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

_SCHLUSS = "________"  # between body and footer: where the page ends
_ABSTAND_VOR, _ABSTAND_NACH = 76200, 50800  # 6 pt and 4 pt in EMU: what reads as a blank line


def _abstand(absatz: Any, art: str) -> int:  # noqa: ANN401 - python-docx Paragraph, imported lazily
    """Space before/after a paragraph: its own, else its style's or the style's base style's."""
    wert = getattr(absatz.paragraph_format, art)
    stil = absatz.style
    while wert is None and stil is not None:
        wert = getattr(stil.paragraph_format, art)
        stil = stil.base_style
    return wert or 0


def _absatz(absatz: Any) -> Iterator[str]:  # noqa: ANN401
    """One paragraph as a line; a blank line where Word leaves visible space; bullets as "•"."""
    text = absatz.text
    stil = absatz.style.name if absatz.style is not None else ""
    if _abstand(absatz, "space_before") >= _ABSTAND_VOR:
        yield ""
    yield f"• {text}" if stil.startswith("List") and text.strip() else text
    if _abstand(absatz, "space_after") >= _ABSTAND_NACH:
        yield ""


def _tabelle(tabelle: Any) -> Iterator[str]:  # noqa: ANN401 - python-docx Table
    """Cell by cell, each cell's paragraphs; merged cells (the same cell twice in a row) only once."""
    gesehen: set[int] = set()
    for zeile in tabelle.rows:
        for zelle in zeile.cells:
            if id(zelle._tc) in gesehen:
                continue
            gesehen.add(id(zelle._tc))
            yield from _inhalt(zelle.iter_inner_content())
            yield ""


def _inhalt(teile: Iterable[Any]) -> Iterator[str]:
    from docx.table import Table

    for teil in teile:
        if isinstance(teil, Table):
            yield from _tabelle(teil)
        else:
            yield from _absatz(teil)


def _mit_feldern(absatz: Any) -> str:  # noqa: ANN401
    """A paragraph's text with each Word field (page number, page count) as "#": the preview
    cannot know the page breaks, and the field's stored result would be a guess."""
    from docx.oxml.ns import qn

    teile = []
    for kind in absatz._p:
        if kind.tag == qn("w:fldSimple"):
            teile.append("#")
        elif kind.tag == qn("w:r"):
            teile.append("".join(t.text or "" for t in kind.iter(qn("w:t"))))
    return "".join(teile)


def brieftext(inhalt: bytes) -> str:
    """Header, body (paragraphs and tables in order) and footer of a .docx as lines of text."""
    from docx import Document

    doc = Document(io.BytesIO(inhalt))
    zeilen: list[str] = []
    abschnitt = doc.sections[0]
    zeilen += [p.text for p in abschnitt.header.paragraphs if p.text.strip()]
    zeilen.append("")
    zeilen += list(_inhalt(doc.iter_inner_content()))
    fuss = [_mit_feldern(p) for p in abschnitt.footer.paragraphs if p.text.strip()]
    if fuss:
        zeilen += ["", _SCHLUSS, *fuss]
    # Blank lines as the eye expects them: never more than one in a row, none at the ends.
    text = "\n".join(zeilen)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n") + "\n"
