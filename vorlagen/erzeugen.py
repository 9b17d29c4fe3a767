"""Generate the shipped letter templates (the .docx files next to this script).

    .venv/bin/python vorlagen/erzeugen.py --ueberschreiben [--ordner DIR]

This script is the source of the shipped templates: change it, regenerate with ``--ueberschreiben``
and commit the .docx files with it. The output is the same bytes on every run, so two branches that
both changed the script merge by regenerating. Without ``--ueberschreiben`` it never replaces an
existing file. A Jobcenter does not edit the shipped files: its own edited copies go into
``<data>/vorlagen/`` and override them file by file (README "Briefe").

File names and titles come from the catalogue (``kopl_tui.briefe.VORLAGEN``). The layout is DIN 5008
Form B (address field, information block, fold and punch marks as page-anchored paragraph frames).
Each Jinja tag is written into one run so Word's spell checker or autocorrect cannot split it. The
legal texts (Rechtsfolgenbelehrung per §§ 31, 31a, 31b SGB II as in force until 30.06.2026, and the
Rechtsbehelfsbelehrung) live only in the templates: have them checked by the legal department.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

if __package__ in (None, ""):  # run as a script from the checkout (installed, it is kopl_tui.vorlagen.erzeugen)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kopl_tui.briefe import VORLAGEN, Vorlage  # noqa: E402

SCHRIFT = "Arial"
GRAU = RGBColor(0x55, 0x55, 0x55)

# ---- DIN 5008 Form B, all in mm from the page's top left corner --

SEITE = (210.0, 297.0)
ANSCHRIFTFELD = (20.0, 45.0, 85.0, 45.0)
"""x, y, width, height: the window of a DL/C6 window envelope."""
VERMERKZONE_ZEILEN, VERMERKZONE_HOEHE = 5, 17.7
"""Zusatz- und Vermerkzone: the address field's top 5 lines, filled bottom-up; the return line
(Rücksendeangabe) is its lowest line until staff add a Vermerk (e.g. "Einschreiben") below it."""
ANSCHRIFTZONE_ZEILEN, ANSCHRIFTZONE_HOEHE = 6, 27.3
"""Anschriftzone: from 62.7 mm, top-down, 6 lines."""
INFORMATIONSBLOCK = (125.0, 50.0, 75.0)
"""x, y, width: the Integrationsfachkraft's block, to 10 mm before the right edge."""
TEXT_LINKS, TEXT_RECHTS, TEXT_OBEN = 25.0, 20.0, 45.0
"""Body margins; the body starts below the address field (its frames take no text beside them)."""
FALZMARKEN, LOCHMARKE = (105.0, 210.0), 148.5
MARKE_X, FALZMARKE_LAENGE, LOCHMARKE_LAENGE = 5.0, 5.0, 8.0
"""Marks as short lines near the left edge (printers leave about 4 mm unprinted)."""

# Order of w:pPr's children (ISO/IEC 29500-1 §17.3.1.26); Word rejects a pPr out of order.
_PPR_FOLGE = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
              "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
              "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
              "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
              "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")

# ---- legal texts (only here and, after generation, only in the .docx files) ---------------

RECHTSFOLGENBELEHRUNG = [
    ("p", "Kommen Sie dieser Aufforderung nicht nach, ohne dafür einen wichtigen Grund darzulegen und "
          "nachzuweisen, ist das eine Pflichtverletzung (§ 31 Abs. 1 Satz 1 Nr. 1 SGB II). Ihr Bürgergeld "
          "mindert sich dann (§§ 31a, 31b SGB II):"),
    ("punkt", "bei der ersten Pflichtverletzung um 10 Prozent des für Sie maßgebenden Regelbedarfs für die "
              "Dauer eines Monats,"),
    ("punkt", "bei einer weiteren Pflichtverletzung um 20 Prozent des maßgebenden Regelbedarfs für die Dauer "
              "von zwei Monaten,"),
    ("punkt", "bei jeder weiteren Pflichtverletzung um 30 Prozent des maßgebenden Regelbedarfs für die Dauer "
              "von drei Monaten."),
    ("p", "Eine weitere Pflichtverletzung liegt nur vor, wenn zuvor bereits eine Minderung festgestellt wurde "
          "und der Beginn des vorangegangenen Minderungszeitraums nicht länger als ein Jahr zurückliegt. "
          "Insgesamt wird Ihr Bürgergeld wegen Pflichtverletzungen um höchstens 30 Prozent des maßgebenden "
          "Regelbedarfs gemindert."),
    ("p", "Die Minderung beginnt mit dem Kalendermonat, der auf den Bescheid folgt, der sie feststellt. Sie wird "
          "aufgehoben, sobald Sie die Pflicht erfüllen oder sich nachträglich ernsthaft und nachhaltig bereit "
          "erklären, ihr künftig nachzukommen; sie dauert in diesem Fall mindestens einen Monat. Eine Minderung "
          "erfolgt nicht, wenn sie im Einzelfall eine außergewöhnliche Härte bedeuten würde. Vor einer Minderung "
          "werden Sie angehört; auf Ihren Wunsch persönlich."),
]

RECHTSBEHELFSBELEHRUNG = [
    ("p", "Gegen diese Aufforderung kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden. "
          "Der Widerspruch ist schriftlich, in elektronischer Form nach § 36a Abs. 2 des Ersten Buches "
          "Sozialgesetzbuch oder zur Niederschrift beim {{ jobcenter_name }}, {{ jobcenter_strasse }}, "
          "{{ jobcenter_plz_ort }} einzulegen."),
]

KP_HINWEIS = [
    ("p", "Der Kooperationsplan ist eine gemeinsame Planung und kein rechtsverbindlicher Vertrag. Er wird "
          "nicht unterschrieben und enthält keine Rechtsfolgenbelehrung. Können wir uns über den "
          "Kooperationsplan nicht einigen oder ihn nicht gemeinsam fortschreiben, können Sie oder das "
          "Jobcenter ein Schlichtungsverfahren verlangen (§ 15a SGB II)."),
]

OHNE_PLAN = ("ein Kooperationsplan ist zwischen Ihnen und dem Jobcenter bisher nicht zustande gekommen. "
             "Damit Ihre Eingliederung in Arbeit trotzdem vorankommt, fordere ich Sie nach § 15 Abs. 6 SGB II auf, ")

NACHWEIS_FRIST = ("Bitte erledigen Sie dies bis spätestens {{ frist_zur_erledigung }} und weisen Sie es mir bis zu "
                  "diesem Tag nach. Wenn Sie aus einem wichtigen Grund verhindert sind, melden Sie sich bitte vor "
                  "Ablauf der Frist bei mir.")


def _kp_inhalt(vereinbart: str, entwurf: str, ueberschrift: str) -> list[tuple]:
    """The plan letter; its wording follows the status (§3.1): "gemeinsam vereinbart" only with
    "Einverständnis", for "in Bearbeitung" a draft to be discussed."""
    return [
        ("wenn", "plan_vereinbart", [("p", vereinbart)], [("p", entwurf)]),
        ("titel", ueberschrift + "{% if not plan_vereinbart %} (Entwurf){% endif %}"),
        ("angaben", [("Gültig ab: ", "{{ gueltig_ab }}"), ("Gültig bis: ", "{{ gueltig_bis }}")]),
        ("frage", "Gemeinsam mit meiner Integrationsfachkraft habe ich folgendes Ziel besprochen:"),
        ("text", "{{ ziel }}"),
        ("frage", "Meine nächsten Schritte sind:"),
        ("text", "{{ naechste_schritte }}"),
        ("frage", "Das Jobcenter unterstützt mich durch:"),
        ("text", "{{ unterstuetzung }}"),
        ("frage", "Überprüfung"),
        ("p", "Wir überprüfen diesen Kooperationsplan gemeinsam und schreiben ihn fort, spätestens am "
              "{{ ueberpruefung_faellig_am }} (§ 15 Abs. 3 SGB II: spätestens nach Ablauf von sechs Monaten)."),
        ("frage", "Gut zu wissen"),
        *KP_HINWEIS,
        ("p", "Bei Fragen zu Ihrem Kooperationsplan wenden Sie sich bitte an mich."),
    ]


def _kp_aufforderung(mit_rechtsfolgen: bool) -> list[tuple]:
    """§ 15 Abs. 5: a step of the plan not done. With Rechtsfolgen only for an agreed plan (the app
    refuses it otherwise), so only the letter without them words a plan "in Bearbeitung"."""
    vereinbart = ("in Ihrem Kooperationsplan, gültig ab {{ gueltig_ab }}, haben wir gemeinsam Ihre nächsten "
                  "Schritte festgehalten:")
    entwurf = ("im Entwurf Ihres Kooperationsplans, gültig ab {{ gueltig_ab }}, den wir gemeinsam besprechen, sind "
               "Ihre nächsten Schritte festgehalten:")
    schluss = ("Nach § 15 Abs. 5 SGB II fordere ich Sie auf, diesen Schritt bis spätestens {{ frist_zur_erledigung }} "
               "zu erledigen und mir bis zu diesem Tag nachzuweisen. Wenn Sie aus einem wichtigen Grund verhindert "
               "sind, melden Sie sich bitte vor Ablauf der Frist bei mir."
               if mit_rechtsfolgen else
               "Bitte erledigen Sie diesen Schritt bis spätestens {{ frist_zur_erledigung }} und weisen Sie ihn mir "
               "bis zu diesem Tag nach. Diese Aufforderung ist ohne Rechtsfolgen für Ihr Bürgergeld. Bleibt der "
               "Schritt unerledigt, kann ich Sie dazu mit Rechtsfolgenbelehrung auffordern (§ 15 Abs. 5 SGB II).")
    return [
        ("p", vereinbart) if mit_rechtsfolgen else ("wenn", "plan_vereinbart", [("p", vereinbart)], [("p", entwurf)]),
        ("text", "{{ naechste_schritte }}"),
        ("p", "Den folgenden Schritt, der für Ihre Eingliederung in Arbeit erforderlich ist, haben Sie bisher nicht "
              "erledigt:"),
        ("text", "{{ schritt }}"),
        ("p", "Als Nachweis legen Sie bitte vor: {{ nachweis }}"),
        ("p", schluss),
    ]


INHALT: dict[str, tuple[str, list[tuple]]] = {
    "kooperationsplan": (
        "{% if plan_vereinbart %}Ihr Kooperationsplan{% else %}Entwurf Ihres Kooperationsplans{% endif %} "
        "nach § 15 SGB II",
        _kp_inhalt("wie besprochen erhalten Sie hiermit Ihren Kooperationsplan in Textform. Er hält Ihr Ziel und "
                   "die Schritte fest, die wir gemeinsam vereinbart haben.",
                   "hiermit erhalten Sie den Entwurf Ihres Kooperationsplans in Textform. Er hält Ihr Ziel und die "
                   "Schritte fest, wie wir sie bisher besprochen haben: ein Entwurf, den wir gemeinsam besprechen, "
                   "bevor wir ihn vereinbaren.", "Kooperationsplan"),
    ),
    "kooperationsplan-fortschreibung": (
        "{% if plan_vereinbart %}Fortschreibung{% else %}Entwurf der Fortschreibung{% endif %} Ihres "
        "Kooperationsplans nach § 15 SGB II",
        _kp_inhalt("wir haben Ihren Kooperationsplan gemeinsam überprüft und fortgeschrieben. Der fortgeschriebene "
                   "Kooperationsplan ersetzt den bisherigen; Sie erhalten ihn hiermit in Textform.",
                   "wir überprüfen Ihren Kooperationsplan gemeinsam und schreiben ihn fort. Hiermit erhalten Sie den "
                   "Entwurf der Fortschreibung in Textform: ein Entwurf, den wir gemeinsam besprechen, bevor wir ihn "
                   "vereinbaren.", "Kooperationsplan (Fortschreibung)"),
    ),
    "aufforderung-allgemein": (
        "Aufforderung nach § 15 Abs. 6 SGB II vom {{ tag_der_aufforderung }}",
        [
            ("p", OHNE_PLAN + "die folgenden Schritte zu unternehmen:"),
            ("text", "{{ schritte }}"),
            ("p", NACHWEIS_FRIST),
        ],
    ),
    "aufforderung-bewerbung": (
        "Aufforderung zu Bewerbungen nach § 15 Abs. 6 SGB II vom {{ tag_der_aufforderung }}",
        [
            ("p", OHNE_PLAN + "sich um Arbeit zu bewerben:"),
            ("text", "Bewerben Sie sich in der Zeit vom {{ datum }} bis zum {{ frist_zur_erledigung }} auf "
                     "mindestens {{ bewerbungen_anzahl }} Stellen {{ bewerbungen_zeitraum }} als {{ taetigkeit }}. "
                     "Es zählen schriftliche, elektronische und persönliche Bewerbungen auf "
                     "sozialversicherungspflichtige Stellen."),
            ("p", "Weisen Sie mir jede Bewerbung bis zu diesem Tag nach: durch eine Kopie oder einen Ausdruck der "
                  "Bewerbung, eine Eingangsbestätigung oder die Antwort des Arbeitgebers. Wenn Sie aus einem "
                  "wichtigen Grund verhindert sind, melden Sie sich bitte vor Ablauf der Frist bei mir."),
        ],
    ),
    "aufforderung-jobfabrik": (
        "Aufforderung zur Teilnahme an der JobFabrik nach § 15 Abs. 6 SGB II vom {{ tag_der_aufforderung }}",
        [
            ("p", OHNE_PLAN + "an der Maßnahme „JobFabrik“ teilzunehmen, dem Beschäftigungsprojekt des Jobcenters:"),
            ("angaben", [("Beginn: ", "{{ beginn }}"), ("Ort: ", "{{ ort }}"),
                         ("Ansprechperson: ", "{{ ansprechperson }}")]),
            ("p", "Bitte melden Sie sich bis spätestens {{ frist_zur_erledigung }} bei der JobFabrik und nehmen Sie ab "
                  "dem {{ beginn }} regelmäßig teil. Ihre Teilnahme bestätigt mir die JobFabrik. Wenn Sie aus "
                  "einem wichtigen Grund verhindert sind, melden Sie sich bitte vor Ablauf der Frist bei mir."),
        ],
    ),
    "aufforderung-massnahme-stellenangebot": (
        "Aufforderung nach § 15 Abs. 6 SGB II vom {{ tag_der_aufforderung }}: Maßnahme und/oder Stellenangebot",
        [
            ("p", OHNE_PLAN + "das folgende Angebot wahrzunehmen:"),
            ("angaben", [("Angebot: ", "{{ angebot }}"), ("Bezeichnung: ", "{{ angebot_bezeichnung }}"),
                         ("Träger bzw. Arbeitgeber: ", "{{ angebot_traeger }}"), ("Beginn: ", "{{ beginn }}"),
                         ("Ort: ", "{{ ort }}"), ("Ansprechperson: ", "{{ ansprechperson }}")]),
            ("p", "Bitte bewerben Sie sich auf die Stelle bzw. melden Sie sich für die Maßnahme bis spätestens "
                  "{{ frist_zur_erledigung }} und weisen Sie es mir bis zu diesem Tag nach (z. B. durch eine Kopie "
                  "der Bewerbung oder die Anmeldebestätigung des Trägers). Wenn Sie aus einem wichtigen Grund "
                  "verhindert sind, melden Sie sich bitte vor Ablauf der Frist bei mir."),
        ],
    ),
    "kooperationsplan-aufforderung-mit-rechtsfolgen": (
        "Aufforderung nach § 15 Abs. 5 SGB II vom {{ tag_der_aufforderung }}",
        _kp_aufforderung(mit_rechtsfolgen=True),
    ),
    "kooperationsplan-aufforderung-ohne-rechtsfolgen": (
        "Ihr Kooperationsplan: Aufforderung vom {{ tag_der_aufforderung }}",
        _kp_aufforderung(mit_rechtsfolgen=False),
    ),
    "schlichtungsverfahren-merkblatt": (
        "Merkblatt: Schlichtungsverfahren nach § 15a SGB II",
        [
            ("p", "mit diesem Merkblatt informiere ich Sie über das Schlichtungsverfahren zu Ihrem Kooperationsplan."),
            ("wenn", "schlichtung_begonnen", [
                ("angaben", [("Ihr Schlichtungsverfahren hat begonnen am: ", "{{ schlichtung_beginn }}"),
                             ("Es endet spätestens am: ", "{{ schlichtung_max_ende }}")]),
            ]),
            ("frage", "Wozu dient das Schlichtungsverfahren?"),
            ("p", "Können Sie und das Jobcenter sich nicht auf einen Kooperationsplan einigen oder ihn nicht "
                  "gemeinsam fortschreiben, hilft das Schlichtungsverfahren, doch noch zu einer gemeinsamen Lösung "
                  "zu kommen. Es geht dabei nur um den Kooperationsplan, nicht um Ihre Geldleistungen."),
            ("frage", "Wer schlichtet?"),
            ("p", "Eine Person, die an Ihrer bisherigen Beratung nicht beteiligt war und bei der Schlichtung an keine "
                  "Weisungen gebunden ist."),
            ("frage", "Was kommt dabei heraus?"),
            ("p", "Ziel ist ein gemeinsamer Lösungsvorschlag. Das Jobcenter berücksichtigt ihn, wenn es den "
                  "Kooperationsplan erstellt oder fortschreibt. Einigen Sie sich, wird das Ergebnis in Ihren "
                  "Kooperationsplan übernommen."),
            ("frage", "Wie lange dauert es?"),
            ("p", "Das Verfahren endet mit einer Einigung, spätestens aber vier Wochen nach seinem Beginn. Es wird "
                  "weder unterbrochen noch verlängert. Während des Schlichtungsverfahrens müssen Sie keine Minderung "
                  "Ihres Bürgergelds befürchten."),
            ("frage", "Wie kann ich es verlangen?"),
            ("p", "Sie können das Schlichtungsverfahren jederzeit formlos verlangen: mündlich, schriftlich oder per "
                  "E-Mail bei Ihrer Integrationsfachkraft {{ ifk_name }} (Telefon {{ ifk_telefon }}, "
                  "E-Mail {{ ifk_email }}). Auch das Jobcenter kann es anregen."),
            ("frage", "Muss ich teilnehmen?"),
            ("p", "Nein, die Teilnahme ist freiwillig. Kommt keine Einigung zustande, kann das Jobcenter Sie "
                  "auffordern, die für Ihre Eingliederung in Arbeit erforderlichen Schritte zu unternehmen "
                  "(§ 15 Abs. 5 und 6 SGB II)."),
        ],
    ),
}


# ---- document building ------------------------------------------------------------------

def _stile(doc: Document) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = SCHRIFT
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), SCHRIFT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1

    def stil(name: str, groesse: float, fett: bool = False, einzug: float = 0, vorher: float = 0,
             nachher: float = 6, grau: bool = False, mit_naechstem: bool = False) -> None:
        s = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = normal
        s.font.size = Pt(groesse)
        s.font.bold = fett
        if grau:
            s.font.color.rgb = GRAU
        s.paragraph_format.left_indent = Mm(einzug)
        s.paragraph_format.space_before = Pt(vorher)
        s.paragraph_format.space_after = Pt(nachher)
        s.paragraph_format.keep_with_next = mit_naechstem  # a heading never ends a page

    def zeilen(name: str, hoehe_mm: float) -> None:  # exact line pitch: positions do not depend on the font
        format_ = doc.styles[name].paragraph_format
        format_.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        format_.line_spacing = Mm(hoehe_mm)

    stil("Briefkopf", 14, fett=True, nachher=0)
    stil("Klein", 8, nachher=0, grau=True)
    stil("Vermerkzone", 7, nachher=0)
    zeilen("Vermerkzone", VERMERKZONE_HOEHE / VERMERKZONE_ZEILEN)
    stil("Anschrift", 10, nachher=0)
    zeilen("Anschrift", ANSCHRIFTZONE_HOEHE / ANSCHRIFTZONE_ZEILEN)
    stil("Angaben", 9, nachher=0)
    zeilen("Angaben", 4.2)
    stil("Marke", 1, nachher=0)
    zeilen("Marke", 0.35)
    stil("Betreff", 11, fett=True, vorher=18, nachher=12, mit_naechstem=True)
    stil("Titel", 13, fett=True, vorher=6, nachher=6, mit_naechstem=True)
    stil("Frage", 10.5, fett=True, vorher=8, nachher=2, mit_naechstem=True)
    stil("Freitext", 10.5, einzug=6, nachher=6)
    stil("Belehrung Überschrift", 10, fett=True, vorher=12, nachher=2, mit_naechstem=True)
    stil("Belehrung", 9, nachher=4)


def _feld(absatz, anweisung: str) -> None:  # noqa: ANN001 - python-docx paragraph
    """A Word field (PAGE, NUMPAGES) so the page count is right after editing."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), anweisung)
    lauf = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    lauf.append(text)
    fld.append(lauf)
    absatz._p.append(fld)


def _twips(mm: float) -> str:
    return str(round(mm * 1440 / 25.4))


def _ppr_einfuegen(absatz, element) -> None:  # noqa: ANN001 - python-docx paragraph, lxml element
    ppr = absatz._p.get_or_add_pPr()
    tag = element.tag.split("}")[1]
    ppr.insert_element_before(element, *_PPR_FOLGE[_PPR_FOLGE.index(f"w:{tag}") + 1:])


def _rahmen(absatz, x: float, y: float, breite: float, hoehe: float | None = None) -> None:  # noqa: ANN001
    """A page-anchored paragraph frame (w:framePr, "Positionsrahmen"). Adjacent paragraphs with the
    same values form one frame; no text beside it, so the body flows below."""
    rahmen = OxmlElement("w:framePr")
    werte = {"w": _twips(breite), "wrap": "notBeside", "vAnchor": "page", "hAnchor": "page",
             "x": _twips(x), "y": _twips(y)}
    if hoehe is not None:
        werte |= {"h": _twips(hoehe), "hRule": "exact"}
    for name, wert in werte.items():
        rahmen.set(qn(f"w:{name}"), wert)
    _ppr_einfuegen(absatz, rahmen)


def _marke(vor, y: float, laenge: float) -> None:  # noqa: ANN001 - python-docx paragraph
    """A short horizontal line at ``y`` mm: the top border of an empty framed paragraph, placed
    before the paragraph ``vor`` (LibreOffice anchors a frame at the paragraph after it; a framed
    last paragraph would become an ordinary one)."""
    absatz = vor.insert_paragraph_before(style="Marke")
    _rahmen(absatz, MARKE_X, y, laenge, hoehe=0.35)
    rand = OxmlElement("w:pBdr")
    oben = OxmlElement("w:top")
    for name, wert in {"val": "single", "sz": "4", "space": "0", "color": "000000"}.items():
        oben.set(qn(f"w:{name}"), wert)
    rand.append(oben)
    _ppr_einfuegen(absatz, rand)


def _kopf_und_fuss(doc: Document) -> None:
    abschnitt = doc.sections[0]
    abschnitt.page_width, abschnitt.page_height = Mm(SEITE[0]), Mm(SEITE[1])
    abschnitt.top_margin, abschnitt.bottom_margin = Mm(TEXT_OBEN), Mm(20)
    abschnitt.left_margin, abschnitt.right_margin = Mm(TEXT_LINKS), Mm(TEXT_RECHTS)
    abschnitt.header_distance, abschnitt.footer_distance = Mm(10), Mm(10)

    kopf = abschnitt.header.paragraphs[0]
    kopf.style = doc.styles["Briefkopf"]
    kopf.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    kopf.add_run("{{ jobcenter_name }}")
    zeile = abschnitt.header.add_paragraph(style="Klein")
    zeile.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    zeile.add_run("{{ jobcenter_strasse }} · {{ jobcenter_plz_ort }}")
    for falz in FALZMARKEN:  # in the header: on every page, never in the way of the text
        _marke(kopf, falz, FALZMARKE_LAENGE)
    _marke(kopf, LOCHMARKE, LOCHMARKE_LAENGE)

    fuss = abschnitt.footer.paragraphs[0]
    fuss.style = doc.styles["Klein"]
    fuss.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fuss.add_run("Kundennummer {{ kundennummer }} · BG-Nummer {{ bg_nummer }} · Seite ")
    _feld(fuss, "PAGE")
    fuss.add_run(" von ")
    _feld(fuss, "NUMPAGES")


def _anschrift_und_angaben(doc: Document) -> None:
    """DIN 5008 Form B: the address field (Vermerkzone with the return line, then the address) and
    the Integrationsfachkraft's information block, each a page-anchored frame."""
    x, y, breite, hoehe = ANSCHRIFTFELD
    einzug = Mm(TEXT_LINKS - x)  # the text on the body's alignment line, the frame on the window's edge

    def im_feld(text: str, stil: str, eingerueckt: bool = True):  # noqa: ANN202 - python-docx paragraph
        absatz = doc.add_paragraph(style=stil)
        if eingerueckt:
            absatz.paragraph_format.left_indent = einzug
        if text:
            absatz.add_run(text)
        _rahmen(absatz, x, y, breite, hoehe)
        return absatz

    for _ in range(VERMERKZONE_ZEILEN - 1):  # free lines for Vermerke; the zone is filled bottom-up
        im_feld("", "Vermerkzone")
    # the return line uses the field's full width: a long Jobcenter name still fits on one line
    im_feld("", "Vermerkzone", eingerueckt=False).add_run(
        "{{ jobcenter_name }} · {{ jobcenter_strasse }} · {{ jobcenter_plz_ort }}").underline = True
    for text in ("{{ anschrift_name }}", "{{ strasse }}", "{{ plz_ort }}"):
        im_feld(text, "Anschrift")

    bx, by, bbreite = INFORMATIONSBLOCK
    for beschriftung, wert in (("Ihre Integrationsfachkraft", None), ("", "{{ ifk_name }}"),
                               ("Telefon: ", "{{ ifk_telefon }}"), ("E-Mail: ", "{{ ifk_email }}"),
                               (None, None), ("Kundennummer: ", "{{ kundennummer }}"),
                               ("BG-Nummer: ", "{{ bg_nummer }}"), (None, None), ("Datum: ", "{{ datum }}")):
        absatz = doc.add_paragraph(style="Angaben")
        if beschriftung:
            absatz.add_run(beschriftung).bold = wert is None
        if wert:
            absatz.add_run(wert)
        _rahmen(absatz, bx, by, bbreite)


def _bloecke(doc: Document, bloecke: list[tuple]) -> None:
    for block in bloecke:
        art = block[0]
        if art == "p":
            doc.add_paragraph(block[1])
        elif art == "titel":
            doc.add_paragraph(block[1], style="Titel")
        elif art == "frage":
            doc.add_paragraph(block[1], style="Frage")
        elif art == "text":
            doc.add_paragraph(block[1], style="Freitext")
        elif art == "punkt":
            absatz = doc.add_paragraph(block[1], style="List Bullet")
            absatz.runs[0].font.size = Pt(9)
        elif art == "angaben":
            for beschriftung, wert in block[1]:
                absatz = doc.add_paragraph(style="Freitext")
                absatz.paragraph_format.space_after = Pt(2)
                absatz.add_run(beschriftung).bold = True
                absatz.add_run(wert)
        elif art == "wenn":  # docxtpl paragraph tags: the whole paragraph carries the condition
            doc.add_paragraph("{%p if " + block[1] + " %}")
            _bloecke(doc, block[2])
            if len(block) > 3:  # ("wenn", condition, then, else)
                doc.add_paragraph("{%p else %}")
                _bloecke(doc, block[3])
            doc.add_paragraph("{%p endif %}")
        else:
            raise ValueError(art)


def _belehrung(doc: Document, ueberschrift: str, bloecke: list[tuple]) -> None:
    doc.add_paragraph(ueberschrift, style="Belehrung Überschrift")
    for art, text in bloecke:
        if art == "punkt":
            absatz = doc.add_paragraph(text, style="List Bullet")
            absatz.runs[0].font.size = Pt(9)
        else:
            doc.add_paragraph(text, style="Belehrung")


def vorlage_bauen(vorlage: Vorlage) -> Document:
    betreff, bloecke = INHALT[vorlage.name]
    doc = Document()
    _stile(doc)
    _kopf_und_fuss(doc)
    _anschrift_und_angaben(doc)
    doc.add_paragraph(betreff, style="Betreff")
    doc.add_paragraph("{{ briefanrede }}")
    _bloecke(doc, bloecke)
    gruss = doc.add_paragraph("Mit freundlichen Grüßen")
    gruss.paragraph_format.space_before = Pt(12)
    doc.add_paragraph("{{ ifk_name }}").paragraph_format.space_after = Pt(0)
    doc.add_paragraph("Integrationsfachkraft", style="Klein")
    doc.add_paragraph("Dieses Schreiben wurde elektronisch erstellt und ist ohne Unterschrift gültig.", style="Klein")
    if vorlage.rechtsfolgenbelehrung:
        _belehrung(doc, "Rechtsfolgenbelehrung", RECHTSFOLGENBELEHRUNG)
    if vorlage.abschnitt.value == "aufforderung":
        _belehrung(doc, "Rechtsbehelfsbelehrung", RECHTSBEHELFSBELEHRUNG)

    eigenschaften = doc.core_properties
    eigenschaften.title = vorlage.titel
    eigenschaften.author = eigenschaften.last_modified_by = "kopl-tui"
    eigenschaften.subject = eigenschaften.comments = eigenschaften.keywords = ""
    eigenschaften.created = eigenschaften.modified = datetime(2026, 1, 1)
    eigenschaften.revision = 1
    return doc


def docx_bytes(doc: Document) -> bytes:
    """The document with a fixed time stamp on every zip entry: the same bytes on every run, so a
    change to this script shows up as exactly the change it makes."""
    roh = io.BytesIO()
    doc.save(roh)
    fest = io.BytesIO()
    with zipfile.ZipFile(roh) as alt, zipfile.ZipFile(fest, "w", zipfile.ZIP_DEFLATED) as neu:
        for info in alt.infolist():
            neu.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0)), alt.read(info),
                         compress_type=zipfile.ZIP_DEFLATED)
    return fest.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Briefvorlagen für kopl-tui erzeugen")
    parser.add_argument("--ordner", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--ueberschreiben", action="store_true", help="vorhandene Vorlagen ersetzen")
    args = parser.parse_args(argv)
    args.ordner.mkdir(parents=True, exist_ok=True)
    for vorlage in VORLAGEN:
        ziel = args.ordner / vorlage.datei
        if ziel.exists() and not args.ueberschreiben:
            print(f"übersprungen (vorhanden): {ziel}")
            continue
        ziel.write_bytes(docx_bytes(vorlage_bauen(vorlage)))
        print(f"geschrieben: {ziel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
