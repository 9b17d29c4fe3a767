"""DIN 5008 Form B in every shipped template, within ±2 mm: from the document's geometry (the
frames' w:framePr as python-docx reads them) and, where LibreOffice is installed, from the PDF
(word boxes from ``pdftotext -bbox``, the marks from the pixels of ``pdftoppm``)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn

from kopl_tui import briefe
from kopl_tui.briefvorlagen import rendern_datei

REPO_VORLAGEN = Path(__file__).resolve().parent.parent / "vorlagen"
TOLERANZ = 2.0
MM_JE_PT = 25.4 / 72


def mm(twips: str | int) -> float:
    return int(twips) * 25.4 / 1440


@dataclass(frozen=True)
class Rahmen:
    x: float
    y: float
    breite: float
    hoehe: float | None
    attribute: dict[str, str]
    absaetze: list  # python-docx paragraphs, in order


def rahmen_von(absaetze) -> list[Rahmen]:  # noqa: ANN001 - python-docx paragraphs
    """Adjacent paragraphs with the same w:framePr form one frame (ISO/IEC 29500-1 §17.3.1.11)."""
    ergebnis: list[Rahmen] = []
    vorher = None
    for absatz in absaetze:
        ppr = absatz._p.pPr
        fp = ppr.find(qn("w:framePr")) if ppr is not None else None
        if fp is None:
            vorher = None
            continue
        attribute = {k.split("}")[1]: v for k, v in fp.attrib.items()}
        if attribute == vorher:
            ergebnis[-1].absaetze.append(absatz)
        else:
            ergebnis.append(Rahmen(mm(attribute["x"]), mm(attribute["y"]), mm(attribute["w"]),
                                   mm(attribute["h"]) if "h" in attribute else None, attribute, [absatz]))
        vorher = attribute
    return ergebnis


def zeilenhoehe(absatz) -> float:  # noqa: ANN001
    """The exact line pitch in mm (direct formatting, else the paragraph style's)."""
    for format_ in (absatz.paragraph_format, absatz.style.paragraph_format):
        if format_.line_spacing is not None:
            assert format_.line_spacing_rule == WD_LINE_SPACING.EXACTLY, absatz.text
            return format_.line_spacing.mm
    raise AssertionError(f"keine feste Zeilenhöhe: {absatz.text!r}")


def schriftgroesse(absatz) -> float:  # noqa: ANN001
    groessen = {lauf.font.size.pt if lauf.font.size else absatz.style.font.size.pt for lauf in absatz.runs}
    return max(groessen)


def nahe(wert: float, soll: float) -> bool:
    return abs(wert - soll) <= TOLERANZ


@pytest.mark.parametrize("vorlage", briefe.VORLAGEN, ids=lambda v: v.name)
def test_geometrie_din_5008_form_b_aus_dem_dokument(vorlage):
    doc = Document(str(REPO_VORLAGEN / vorlage.datei))
    abschnitt = doc.sections[0]
    assert nahe(abschnitt.page_width.mm, 210) and nahe(abschnitt.page_height.mm, 297)
    rahmen = rahmen_von(doc.paragraphs)
    for r in rahmen:  # anchored to the page, no text beside them
        assert (r.attribute["hAnchor"], r.attribute["vAnchor"], r.attribute["wrap"]) == ("page", "page", "notBeside")

    [feld] = [r for r in rahmen if any("{{ anschrift_name }}" in a.text for a in r.absaetze)]
    assert nahe(feld.x, 20) and nahe(feld.y, 45) and nahe(feld.breite, 85) and nahe(feld.hoehe, 45)
    assert feld.attribute["hRule"] == "exact"  # a long address never pushes out of the window
    texte = [a.text for a in feld.absaetze]
    ruecksende = next(i for i, t in enumerate(texte) if "{{ jobcenter_name }}" in t)
    anschrift = texte.index("{{ anschrift_name }}")
    assert texte[anschrift:] == ["{{ anschrift_name }}", "{{ strasse }}", "{{ plz_ort }}"]
    assert ruecksende == anschrift - 1 and all(t == "" for t in texte[:ruecksende])  # zone filled bottom-up
    assert "{{ jobcenter_strasse }}" in texte[ruecksende] and "{{ jobcenter_plz_ort }}" in texte[ruecksende]
    assert 6 <= schriftgroesse(feld.absaetze[ruecksende]) <= 8  # DIN: 8 pt recommended, at least 6 pt
    oben = [feld.y]
    for absatz in feld.absaetze:
        oben.append(oben[-1] + zeilenhoehe(absatz))
    assert nahe(oben[ruecksende], 45 + 17.7 - 17.7 / 5)  # the return line: lowest line of the Vermerkzone
    assert nahe(oben[anschrift], 62.7)  # the Anschriftzone starts here
    assert oben[-1] <= feld.y + feld.hoehe  # every line inside the field

    [block] = [r for r in rahmen if any("{{ datum }}" in a.text for a in r.absaetze)]
    assert nahe(block.x, 125) and nahe(block.y, 50) and block.x + block.breite <= 200 + TOLERANZ
    inhalt = " ".join(a.text for a in block.absaetze)
    for platzhalter in ("ifk_name", "ifk_telefon", "ifk_email", "kundennummer", "bg_nummer", "datum"):
        assert f"{{{{ {platzhalter} }}}}" in inhalt

    marken = [r for r in rahmen_von(abschnitt.header.paragraphs)
              if r.absaetze[0]._p.pPr.find(qn("w:pBdr") + "/" + qn("w:top")) is not None]
    assert [round(r.y, 1) for r in sorted(marken, key=lambda r: r.y)] == [105.0, 148.5, 210.0]
    for marke in marken:  # a short line at the left edge
        assert 0 <= marke.x <= 10 and 2 <= marke.breite <= 10


# ---- the same, measured in the PDF LibreOffice prints ---------------------------------------------

@dataclass(frozen=True)
class Wort:
    text: str
    x: float
    y: float
    hoehe: float


def woerter_seite_1(pdf: Path) -> list[Wort]:
    xml = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [Wort(text, float(x0) * MM_JE_PT, float(y0) * MM_JE_PT, (float(y1) - float(y0)) * MM_JE_PT)
            for x0, y0, _x1, y1, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xml)]


def dunkle_zeilen(pdf: Path, x_mm: float, ordner: Path) -> list[tuple[float, float]]:
    """Runs of dark pixels (top, bottom in mm) in the column ``x_mm`` of page 1 at 254 dpi."""
    subprocess.run(["pdftoppm", "-gray", "-r", "254", "-f", "1", "-l", "1", str(pdf), str(ordner / pdf.stem)],
                   check=True, capture_output=True)
    [bild] = ordner.glob(f"{pdf.stem}*.pgm")
    daten = bild.read_bytes()
    magic, breite, hoehe, _maximum, pixel = daten.split(maxsplit=4)
    assert magic == b"P5"
    breite, hoehe = int(breite), int(hoehe)
    je_mm = 254 / 25.4
    spalte = int(x_mm * je_mm)
    laeufe: list[list[int]] = []
    for zeile in range(hoehe):
        if pixel[zeile * breite + spalte] < 128:
            if laeufe and laeufe[-1][1] == zeile - 1:
                laeufe[-1][1] = zeile
            else:
                laeufe.append([zeile, zeile])
    return [(oben / je_mm, unten / je_mm) for oben, unten in laeufe]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every template rendered with the fictitious full context, converted by one LibreOffice run."""
    ordner = tmp_path_factory.mktemp("layout")
    docx = []
    for vorlage in briefe.VORLAGEN:
        ziel = ordner / vorlage.datei
        ziel.write_bytes(rendern_datei(REPO_VORLAGEN / vorlage.datei, briefe.beispiel_kontext()))
        docx.append(str(ziel))
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={(ordner / 'profil').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(ordner), *docx], check=True, capture_output=True,
                   timeout=600)
    return {vorlage.name: ordner / f"{vorlage.name}.pdf" for vorlage in briefe.VORLAGEN}


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) und poppler-utils sind nicht installiert")
@pytest.mark.parametrize("vorlage", briefe.VORLAGEN, ids=lambda v: v.name)
def test_lage_im_pdf_wie_din_5008_form_b(vorlage, pdfs, tmp_path):
    pdf = pdfs[vorlage.name]
    woerter = woerter_seite_1(pdf)
    links = [w for w in woerter if w.x < 105]
    # beispiel_kontext: "Frau Erika Beispiel", "Musterweg 1", "37073 Göttingen"; return line from the Briefkopf
    name = next(w for w in links if w.text == "Frau")
    strasse = next(w for w in links if w.text == "Musterweg")
    ort = next(w for w in links if w.text == "37073" and w.y > strasse.y)
    assert 45 <= name.y <= 90 and 62.7 - TOLERANZ <= name.y <= 62.7 + TOLERANZ, name
    assert 20 - TOLERANZ <= name.x <= 25 + TOLERANZ and nahe(strasse.x, name.x) and nahe(ort.x, name.x)
    assert ort.y + ort.hoehe <= 90  # the whole address shows in the window
    ruecksende = [w for w in links if 45 - TOLERANZ <= w.y < name.y]
    assert ruecksende and ruecksende[0].text == "Jobcenter" and nahe(ruecksende[0].x, 20)
    assert {round(w.y, 1) for w in ruecksende} == {round(ruecksende[0].y, 1)}  # one line, directly above
    assert name.y - ruecksende[0].y <= 17.7 / 5 + 0.5 and ruecksende[0].hoehe < name.hoehe

    ihre = next(w for w in woerter if w.text == "Ihre" and w.x > 105)
    assert nahe(ihre.x, 125) and nahe(ihre.y, 50), ihre
    datum = next(w for w in woerter if w.text == "01.01.2026" and w.x > 105)
    assert datum.y + datum.hoehe <= 90 + TOLERANZ
    # nothing else in the band of the window: the body starts below the address field
    fremd = [w for w in woerter if 45 <= w.y <= 90 and not (20 <= w.x <= 105 or 125 <= w.x <= 200)]
    assert fremd == []
    koerper = [w for w in woerter if w.y > 90 + TOLERANZ]
    assert koerper and min(w.y for w in koerper) < 110  # the Betreff follows right after the field

    marken = dunkle_zeilen(pdf, 7.0, tmp_path)  # 7 mm from the left: only the marks are there
    assert len(marken) == 3, marken
    for (oben, unten), soll in zip(marken, (105, 148.5, 210)):
        assert nahe(oben, soll) and unten - oben < 1, marken
