"""Generate the first version of the letter templates (run once; the .docx files are the source).

    .venv/bin/python vorlagen/erzeugen.py [--ueberschreiben] [--ordner DIR]

After this the checked-in .docx files are what staff edit in Word or LibreOffice; this script is
kept only to show how they were made and to rebuild them from scratch. It never overwrites an
existing file unless ``--ueberschreiben`` is given, so edits made in Word are not lost by accident.

File names and titles come from the catalogue (``kopl_tui.briefe.VORLAGEN``). Each Jinja tag is
written into one run so Word's spell checker or autocorrect cannot split it. The legal texts
(Rechtsfolgenbelehrung per §§ 31, 31a, 31b SGB II as in force until 30.06.2026, and the
Rechtsbehelfsbelehrung) live only in the templates: have them checked by the legal department
and update them in Word when the law changes.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kopl_tui.briefe import VORLAGEN, Vorlage  # noqa: E402

SCHRIFT = "Arial"
GRAU = RGBColor(0x55, 0x55, 0x55)

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
        s.paragraph_format.left_indent = Cm(einzug)
        s.paragraph_format.space_before = Pt(vorher)
        s.paragraph_format.space_after = Pt(nachher)
        s.paragraph_format.keep_with_next = mit_naechstem  # a heading never ends a page

    stil("Briefkopf", 14, fett=True, nachher=0)
    stil("Klein", 8, nachher=0, grau=True)
    stil("Anschrift", 10.5, nachher=0)
    stil("Angaben", 9, nachher=0)
    stil("Betreff", 11, fett=True, vorher=18, nachher=12, mit_naechstem=True)
    stil("Titel", 13, fett=True, vorher=6, nachher=6, mit_naechstem=True)
    stil("Frage", 10.5, fett=True, vorher=8, nachher=2, mit_naechstem=True)
    stil("Freitext", 10.5, einzug=0.6, nachher=6)
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


def _kopf_und_fuss(doc: Document) -> None:
    abschnitt = doc.sections[0]
    abschnitt.page_height, abschnitt.page_width = Cm(29.7), Cm(21.0)
    abschnitt.top_margin, abschnitt.bottom_margin = Cm(2.0), Cm(2.0)
    abschnitt.left_margin, abschnitt.right_margin = Cm(2.5), Cm(2.0)
    abschnitt.header_distance, abschnitt.footer_distance = Cm(1.0), Cm(1.0)

    kopf = abschnitt.header.paragraphs[0]
    kopf.style = doc.styles["Briefkopf"]
    kopf.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    kopf.add_run("{{ jobcenter_name }}")
    zeile = abschnitt.header.add_paragraph(style="Klein")
    zeile.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    zeile.add_run("{{ jobcenter_strasse }} · {{ jobcenter_plz_ort }}")

    fuss = abschnitt.footer.paragraphs[0]
    fuss.style = doc.styles["Klein"]
    fuss.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fuss.add_run("Kundennummer {{ kundennummer }} · BG-Nummer {{ bg_nummer }} · Seite ")
    _feld(fuss, "PAGE")
    fuss.add_run(" von ")
    _feld(fuss, "NUMPAGES")


def _anschrift_und_angaben(doc: Document) -> None:
    """DIN-5008-like: address window on the left, the Integrationsfachkraft's block on the right."""
    tabelle = doc.add_table(rows=1, cols=2)
    tabelle.alignment = WD_TABLE_ALIGNMENT.LEFT
    tabelle.autofit = False
    links, rechts = tabelle.rows[0].cells
    for spalte, zelle, breite in ((tabelle.columns[0], links, Cm(9.5)), (tabelle.columns[1], rechts, Cm(7.0))):
        spalte.width = zelle.width = breite

    absender = links.paragraphs[0]
    absender.style = doc.styles["Klein"]
    ruecksende = absender.add_run("{{ jobcenter_name }} · {{ jobcenter_strasse }} · {{ jobcenter_plz_ort }}")
    ruecksende.underline = True
    ruecksende.font.size = Pt(7)
    links.add_paragraph(style="Anschrift")
    for text in ("{{ anschrift_name }}", "{{ strasse }}", "{{ plz_ort }}"):
        links.add_paragraph(text, style="Anschrift")

    erste = True
    for beschriftung, wert in (("Ihre Integrationsfachkraft", None), ("", "{{ ifk_name }}"),
                               ("Telefon: ", "{{ ifk_telefon }}"), ("E-Mail: ", "{{ ifk_email }}"),
                               (None, None), ("Kundennummer: ", "{{ kundennummer }}"),
                               ("BG-Nummer: ", "{{ bg_nummer }}"), (None, None), ("Datum: ", "{{ datum }}")):
        absatz = rechts.paragraphs[0] if erste else rechts.add_paragraph()
        erste = False
        absatz.style = doc.styles["Angaben"]
        if beschriftung:
            absatz.add_run(beschriftung).bold = wert is None
        if wert:
            absatz.add_run(wert)


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
        vorlage_bauen(vorlage).save(ziel)
        print(f"geschrieben: {ziel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
