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


class _Leser:
    """Walks one document; each paragraph style is looked up once (python-docx scans all styles
    on every lookup, which made the preview of a long letter take a quarter second)."""

    def __init__(self) -> None:
        self._stile: dict[str | None, tuple[str, int, int]] = {}

    def _stil(self, absatz: Any) -> tuple[str, int, int]:  # noqa: ANN401 - python-docx Paragraph
        """Name, space before and after of the paragraph's style (from its base styles if unset)."""
        kennung = absatz._p.style
        if kennung not in self._stile:
            stil = absatz.style
            name = stil.name if stil is not None else ""
            abstaende = []
            for art in ("space_before", "space_after"):
                wert, basis = None, stil
                while wert is None and basis is not None:
                    wert, basis = getattr(basis.paragraph_format, art), basis.base_style
                abstaende.append(wert or 0)
            self._stile[kennung] = (name, abstaende[0], abstaende[1])
        return self._stile[kennung]

    def absatz(self, absatz: Any) -> Iterator[str]:  # noqa: ANN401
        """One paragraph as a line; a blank line where Word leaves visible space; bullets as "•"."""
        name, vor, nach = self._stil(absatz)
        eigen = absatz.paragraph_format
        vor = eigen.space_before if eigen.space_before is not None else vor
        nach = eigen.space_after if eigen.space_after is not None else nach
        text = absatz.text
        if vor >= _ABSTAND_VOR:
            yield ""
        yield f"• {text}" if name.startswith("List") and text.strip() else text
        if nach >= _ABSTAND_NACH:
            yield ""

    def tabelle(self, tabelle: Any) -> Iterator[str]:  # noqa: ANN401 - python-docx Table
        """Cell by cell, each cell's paragraphs; merged cells (the same cell twice in a row) only once."""
        gesehen: set[int] = set()
        for zeile in tabelle.rows:
            for zelle in zeile.cells:
                if id(zelle._tc) in gesehen:
                    continue
                gesehen.add(id(zelle._tc))
                yield from self.inhalt(zelle.iter_inner_content())
                yield ""

    def inhalt(self, teile: Iterable[Any]) -> Iterator[str]:
        from docx.table import Table

        for teil in teile:
            if isinstance(teil, Table):
                yield from self.tabelle(teil)
            else:
                yield from self.absatz(teil)


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
    zeilen += list(_Leser().inhalt(doc.iter_inner_content()))
    fuss = [_mit_feldern(p) for p in abschnitt.footer.paragraphs if p.text.strip()]
    if fuss:
        zeilen += ["", _SCHLUSS, *fuss]
    # Blank lines as the eye expects them: never more than one in a row, none at the ends.
    text = "\n".join(zeilen)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n") + "\n"
