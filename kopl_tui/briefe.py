"""Letters (§3.1 "Kooperationsplan drucken", §3.2 "Aufforderung drucken", §3.3 "Druck
Schlichtungsverfahren"): the template catalogue, the merge context, the check the document
assistant shows before "Fertig", and rendering with docxtpl.

A template is code (research/store-and-letters.md §4.3): it is rendered in Jinja's sandbox with
autoescape and StrictUndefined, so user text is never evaluated, ``& < >`` survive, and a
placeholder nobody provides is an error instead of a silent blank. A value the context knows but
the plan lacks is printed as a visible gap marker ("[fehlt: …]"), never as "None".
Legal texts (Rechtsfolgen-, Rechtsbehelfsbelehrung) live in the .docx templates, not here.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from markupsafe import Markup, escape

from kopl_tui.briefkopf import Briefkopf
from kopl_tui.dateien import meldung
from kopl_tui.datum import format_datum
from kopl_tui.model import FELDNAMEN, UNBEGRENZT, Anrede, Kooperationsplan, Kunde, Status, bereinige_text

Kontext = dict[str, str | bool]


class Abschnitt(StrEnum):
    """The mask's section whose print dropdown offers the template."""

    KOOPERATIONSPLAN = "kooperationsplan"
    AUFFORDERUNG = "aufforderung"
    SCHLICHTUNG = "schlichtung"


# ---- the merge context: every key the app provides, with its German label -------------------

BRIEF_FELDER: dict[str, str] = {
    "jobcenter_name": "Jobcenter",
    "jobcenter_strasse": "Anschrift des Jobcenters (Straße)",
    "jobcenter_plz_ort": "Anschrift des Jobcenters (PLZ, Ort)",
    "ifk_name": "Integrationsfachkraft",
    "ifk_telefon": "Telefon der Integrationsfachkraft",
    "ifk_email": "E-Mail der Integrationsfachkraft",
    "datum": "Datum des Schreibens",
    "anrede": "Anrede",
    "vorname": "Vorname",
    "nachname": "Nachname",
    "anschrift_name": "Name in der Anschrift",
    "strasse": "Straße",
    "plz_ort": "PLZ und Ort",
    "kundennummer": "Kundennummer",
    "bg_nummer": "BG-Nummer",
    "briefanrede": "Briefanrede",
}
"""Keys every letter may use (letterhead, customer, date, Integrationsfachkraft)."""

PLAN_FELDER: dict[str, str] = {
    "ziel": FELDNAMEN["ziel"],
    "naechste_schritte": FELDNAMEN["naechste_schritte"],
    "unterstuetzung": FELDNAMEN["unterstuetzung"],
    "gueltig_ab": FELDNAMEN["gueltig_ab"],
    "gueltig_bis": FELDNAMEN["gueltig_bis"],
    "ueberpruefung_faellig_am": "nächste Überprüfung spätestens am",
    "tag_der_aufforderung": FELDNAMEN["tag_der_aufforderung"],
    "frist_zur_erledigung": FELDNAMEN["frist_zur_erledigung"],
    "schritte": FELDNAMEN["schritte"],
    "schlichtung_begonnen": "Schlichtungsverfahren begonnen",
    "schlichtung_beginn": FELDNAMEN["schlichtung_beginn"],
    "schlichtung_max_ende": FELDNAMEN["schlichtung_max_ende"],
}
"""Keys from the plan; a template may use only those its catalogue entry declares."""

# Shown by the assistant for every letter, before the template's own fields.
_ANGEZEIGTE_BRIEF_FELDER = ("anschrift_name", "strasse", "plz_ort", "kundennummer", "bg_nummer", "datum",
                            "ifk_name", "ifk_telefon", "ifk_email")


def luecke(titel: str) -> str:
    """The visible gap marker for a value the plan or customer lacks."""
    return f"[fehlt: {titel}]"


# ---- the catalogue -----------------------------------------------------------------------

@dataclass(frozen=True)
class Vorlage:
    """One print choice of the guide's dropdowns and its .docx file in ``vorlagen/``."""

    datei: str
    titel: str
    abschnitt: Abschnitt
    felder: tuple[str, ...]
    """Plan fields merged into the letter (keys of PLAN_FELDER)."""
    pflichtfelder: tuple[str, ...] = ()
    """Without these the letter is refused."""
    rechtsfolgenbelehrung: bool = False
    plan_noetig: bool = False
    """Needs a Kooperationsplan: refused for status "nur Aufforderung"."""
    ohne_plan: bool = False
    """Written for "no plan came about" (§ 15 Abs. 6): a hint if the row has an agreed plan."""
    bedingte_felder: tuple[str, ...] = ()
    """Fields whose absence drops a paragraph instead of leaving a gap."""
    von_hand: tuple[str, ...] = ()
    """What staff complete in the Word document (§3.2: "manuell erforderliche Eingaben")."""

    @property
    def name(self) -> str:
        return Path(self.datei).stem


_KP_FELDER = ("ziel", "naechste_schritte", "unterstuetzung", "gueltig_ab", "gueltig_bis", "ueberpruefung_faellig_am")
_AUFFORDERUNG = ("tag_der_aufforderung", "frist_zur_erledigung")
_KP_AUFFORDERUNG = ("gueltig_ab", "naechste_schritte", *_AUFFORDERUNG)

VORLAGEN: tuple[Vorlage, ...] = (
    Vorlage("kooperationsplan.docx", "Kooperationsplan", Abschnitt.KOOPERATIONSPLAN,
            _KP_FELDER, pflichtfelder=("gueltig_ab", "gueltig_bis"), plan_noetig=True),
    Vorlage("kooperationsplan-fortschreibung.docx", "Kooperationsplan (Fortschreibung)", Abschnitt.KOOPERATIONSPLAN,
            _KP_FELDER, pflichtfelder=("gueltig_ab", "gueltig_bis"), plan_noetig=True),
    Vorlage("aufforderung-allgemein.docx", "§15 SGB II Aufforderung ohne Kooperationsplan (Allgemein)",
            Abschnitt.AUFFORDERUNG, (*_AUFFORDERUNG, "schritte"), pflichtfelder=(*_AUFFORDERUNG, "schritte"),
            rechtsfolgenbelehrung=True, ohne_plan=True),
    Vorlage("aufforderung-bewerbung.docx", "§15 SGB II Aufforderung ohne Kooperationsplan (Bewerbung)",
            Abschnitt.AUFFORDERUNG, _AUFFORDERUNG, pflichtfelder=_AUFFORDERUNG, rechtsfolgenbelehrung=True,
            ohne_plan=True, von_hand=("Anzahl der Bewerbungen und Zeitraum", "Art der Bewerbungen (z. B. Stellenbereich)")),
    Vorlage("aufforderung-jobfabrik.docx", "§15 SGB II Aufforderung ohne Kooperationsplan (JobFabrik)",
            Abschnitt.AUFFORDERUNG, _AUFFORDERUNG, pflichtfelder=_AUFFORDERUNG, rechtsfolgenbelehrung=True,
            ohne_plan=True, von_hand=("Beginn, Ort und Ansprechperson der JobFabrik",)),
    Vorlage("aufforderung-massnahme-stellenangebot.docx",
            "§15 SGB II Aufforderung ohne Kooperationsplan (Maßnahme-/und oder Stellenangebot)",
            Abschnitt.AUFFORDERUNG, _AUFFORDERUNG, pflichtfelder=_AUFFORDERUNG, rechtsfolgenbelehrung=True,
            ohne_plan=True, von_hand=("Maßnahme und/oder Stellenangebot: Bezeichnung, Träger oder Arbeitgeber, "
                                      "Beginn, Ort",)),
    Vorlage("kooperationsplan-aufforderung-mit-rechtsfolgen.docx",
            "§15 SGB II Kooperationsplan Aufforderung mit Rechtsfolgen", Abschnitt.AUFFORDERUNG,
            _KP_AUFFORDERUNG, pflichtfelder=("gueltig_ab", *_AUFFORDERUNG), rechtsfolgenbelehrung=True,
            plan_noetig=True, von_hand=("der konkrete, noch nicht erledigte Schritt und sein Nachweis",)),
    Vorlage("kooperationsplan-aufforderung-ohne-rechtsfolgen.docx",
            "§15 SGB II Kooperationsplan Aufforderung ohne Rechtsfolgen", Abschnitt.AUFFORDERUNG,
            _KP_AUFFORDERUNG, pflichtfelder=("gueltig_ab", *_AUFFORDERUNG), plan_noetig=True,
            von_hand=("der konkrete, noch nicht erledigte Schritt und sein Nachweis",)),
    Vorlage("schlichtungsverfahren-merkblatt.docx", "§15a SGB II Schlichtungsverfahren Merkblatt",
            Abschnitt.SCHLICHTUNG, ("schlichtung_begonnen", "schlichtung_beginn", "schlichtung_max_ende"),
            bedingte_felder=("schlichtung_beginn", "schlichtung_max_ende")),
)


def vorlagen_fuer(abschnitt: Abschnitt | str) -> list[Vorlage]:
    """The entries of one section's print dropdown, in the guide's order."""
    return [v for v in VORLAGEN if v.abschnitt == Abschnitt(abschnitt)]


def vorlage(titel_oder_datei: str) -> Vorlage:
    for eintrag in VORLAGEN:
        if titel_oder_datei in (eintrag.titel, eintrag.datei, eintrag.name):
            return eintrag
    raise KeyError(f"Keine Vorlage „{titel_oder_datei}“ im Katalog.")


def vorlagen_ordner(angegeben: Path | str | None = None) -> Path:
    """``--vorlagen``, else ``$KOPL_VORLAGEN``, else the repository's ``vorlagen/``."""
    if angegeben:
        return Path(angegeben)
    if os.environ.get("KOPL_VORLAGEN"):
        return Path(os.environ["KOPL_VORLAGEN"])
    return Path(__file__).resolve().parent.parent / "vorlagen"


# ---- context --------------------------------------------------------------------------------

def _briefanrede(kunde: Kunde) -> str:
    if kunde.anrede is Anrede.FRAU:
        return f"Sehr geehrte Frau {kunde.nachname},"
    if kunde.anrede is Anrede.HERR:
        return f"Sehr geehrter Herr {kunde.nachname},"
    return f"Guten Tag {kunde.vorname} {kunde.nachname},".replace("  ", " ")


def _oder_luecke(wert: str, schluessel: str) -> str:
    titel = BRIEF_FELDER.get(schluessel) or PLAN_FELDER[schluessel]
    return wert if wert.strip() else luecke(titel)


def kontext(kunde: Kunde, plan: Kooperationsplan, *, ifk: str, briefkopf: Briefkopf, datum: date) -> Kontext:
    """Everything a template may merge, as printed text (dates TT.MM.JJJJ, gaps marked)."""
    kontakt = briefkopf.kontakt(ifk) if ifk.strip() else None
    gueltig_bis = plan.gueltig_bis
    roh: dict[str, str] = {
        "jobcenter_name": briefkopf.name,
        "jobcenter_strasse": briefkopf.strasse,
        "jobcenter_plz_ort": briefkopf.plz_ort,
        "ifk_name": ifk.strip(),
        "ifk_telefon": kontakt.telefon if kontakt else "",
        "ifk_email": kontakt.email if kontakt else "",
        "datum": format_datum(datum),
        "anrede": "" if kunde.anrede is Anrede.OHNE else kunde.anrede.value,
        "vorname": kunde.vorname,
        "nachname": kunde.nachname,
        "anschrift_name": " ".join(t for t in (
            "" if kunde.anrede is Anrede.OHNE else kunde.anrede.value, kunde.vorname, kunde.nachname) if t),
        "strasse": kunde.strasse,
        "plz_ort": kunde.plz_ort,
        "kundennummer": kunde.kundennummer,
        "bg_nummer": kunde.bg_nummer,
        "briefanrede": _briefanrede(kunde),
        "ziel": plan.ziel,
        "naechste_schritte": plan.naechste_schritte,
        "unterstuetzung": plan.unterstuetzung,
        "gueltig_ab": format_datum(plan.gueltig_ab),
        "gueltig_bis": UNBEGRENZT if gueltig_bis == UNBEGRENZT else format_datum(gueltig_bis),  # type: ignore[arg-type]
        "ueberpruefung_faellig_am": format_datum(plan.ueberpruefung_faellig_am),
        "tag_der_aufforderung": format_datum(plan.tag_der_aufforderung),
        "frist_zur_erledigung": format_datum(plan.frist_zur_erledigung),
        "schritte": plan.schritte,
        "schlichtung_beginn": format_datum(plan.schlichtung_beginn),
        "schlichtung_max_ende": format_datum(plan.schlichtung_max_ende),
    }
    ergebnis: Kontext = {schluessel: _oder_luecke(wert, schluessel) for schluessel, wert in roh.items()}
    ergebnis["anrede"] = roh["anrede"]  # "ohne Anrede" is a value, not a gap
    ergebnis["schlichtung_begonnen"] = plan.schlichtung_beginn is not None
    return ergebnis


def beispiel_kontext() -> Kontext:
    """A full context from fictitious data: what `vorlagen-pruefen` renders every template with."""
    kunde = Kunde(kundennummer="999X000001", anrede=Anrede.FRAU, nachname="Beispiel", vorname="Erika",
                  geburtsdatum=date(1980, 1, 1), bg_nummer="99999//0000001", ifk="Ina Beispiel",
                  strasse="Musterweg 1", plz_ort="37073 Göttingen")
    plan = Kooperationsplan(status=Status.EINVERSTAENDNIS, ziel="Ziel\nzweite Zeile", naechste_schritte="Schritte",
                            gueltig_ab=date(2026, 1, 1), tag_der_aufforderung=date(2026, 2, 1),
                            frist_zur_erledigung=date(2026, 2, 15), schritte="Schritte der Aufforderung",
                            schlichtung_notwendig="ja", schlichtung_beginn=date(2026, 3, 1))
    return kontext(kunde, plan, ifk=kunde.ifk, briefkopf=Briefkopf(), datum=date(2026, 1, 1))


# ---- the assistant's check ----------------------------------------------------------------

@dataclass(frozen=True)
class Wert:
    """One value the letter will carry, as the assistant lists it."""

    schluessel: str
    titel: str
    text: str
    fehlt: bool


@dataclass(frozen=True)
class Pruefung:
    """What the document assistant shows: the merged values, refusals and hints (all German)."""

    vorlage: Vorlage
    werte: list[Wert]
    verweigert: list[str] = field(default_factory=list)
    """Non-empty: the letter cannot be made ("Fertig" stays disabled)."""
    hinweise: list[str] = field(default_factory=list)
    kontext: Kontext = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.verweigert

    @property
    def fehlend(self) -> list[Wert]:
        return [w for w in self.werte if w.fehlt]


PRUEF_HINWEIS = ("Unabhängig von der Vorlage ist das erzeugte Word-Dokument auf manuell erforderliche Eingaben "
                 "und Anpassungen zu prüfen.")


def pruefen(vorlage: Vorlage, kunde: Kunde, plan: Kooperationsplan, *, ifk: str | None = None,
            briefkopf: Briefkopf | None = None, datum: date | None = None) -> Pruefung:
    """The document assistant's list (§3.1): values to be merged, missing ones, refusals."""
    ifk = kunde.ifk if ifk is None else ifk
    ctx = kontext(kunde, plan, ifk=ifk, briefkopf=briefkopf or Briefkopf(), datum=datum or date.today())
    verweigert: list[str] = []
    hinweise: list[str] = []
    werte: list[Wert] = []

    kein_plan = vorlage.plan_noetig and plan.status is Status.NUR_AUFFORDERUNG
    if kein_plan:
        verweigert.append(f"Bei Status „{Status.NUR_AUFFORDERUNG.value}“ gibt es keinen Kooperationsplan: "
                          f"„{vorlage.titel}“ ist nicht möglich. Bitte eine Vorlage „… ohne Kooperationsplan“ wählen."
                          if vorlage.abschnitt is Abschnitt.AUFFORDERUNG else
                          f"Bei Status „{Status.NUR_AUFFORDERUNG.value}“ gibt es keinen Kooperationsplan zu drucken.")
    if vorlage.ohne_plan and plan.status is Status.EINVERSTAENDNIS:
        hinweise.append(f"Für diesen Eintrag besteht ein Kooperationsplan (Status „{plan.status.value}“). Passt "
                        "eine Vorlage „§15 SGB II Kooperationsplan Aufforderung …“ besser?")

    for schluessel in (*_ANGEZEIGTE_BRIEF_FELDER, *vorlage.felder):
        if schluessel == "schlichtung_begonnen":
            continue
        titel = BRIEF_FELDER.get(schluessel) or PLAN_FELDER[schluessel]
        text = str(ctx[schluessel])
        fehlt = text == luecke(titel)
        if fehlt and schluessel in vorlage.bedingte_felder:
            werte.append(Wert(schluessel, titel, "nicht angegeben (der Absatz dazu entfällt)", False))
            continue
        werte.append(Wert(schluessel, titel, "" if fehlt else text, fehlt))
        if fehlt and schluessel in vorlage.pflichtfelder:
            if kein_plan and schluessel in ("gueltig_ab", "gueltig_bis"):
                continue  # already refused above: there is no plan whose dates could be missing
            verweigert.append(f"Für „{vorlage.titel}“ fehlt „{titel}“: bitte zuerst ausfüllen.")
        elif fehlt:
            hinweise.append(f"„{titel}“ fehlt: im Dokument steht dort „{luecke(titel)}“.")

    if "unterstuetzung" in vorlage.felder and "XXXX" in plan.unterstuetzung:
        hinweise.append(f"„{PLAN_FELDER['unterstuetzung']}“ enthält noch den Platzhalter „XXXX“ der Vorgabe: "
                        "bitte die individuelle Ergänzung eintragen.")
    gemeldet = {w.schluessel for w in werte if w.fehlt}
    for befund in plan.befunde():
        if befund.feld in vorlage.felder and befund.feld not in gemeldet and befund.meldung not in verweigert:
            verweigert.append(befund.meldung)
    hinweise.extend(f"Im Dokument von Hand zu ergänzen: {eintrag}." for eintrag in vorlage.von_hand)
    hinweise.append(PRUEF_HINWEIS)
    return Pruefung(vorlage, werte, verweigert, hinweise, ctx)


# ---- rendering --------------------------------------------------------------------------

class VorlagenFehler(Exception):
    """A template cannot be used (missing, broken, unknown placeholder, unsafe); German message."""


class VorlagenSicherheitsFehler(VorlagenFehler):
    """The template tried something the sandbox forbids (e.g. ``cycler.__init__.__globals__``)."""


class BriefVerweigert(VorlagenFehler):
    """The check refused the letter; ``meldungen`` are the assistant's reasons."""

    def __init__(self, meldungen: list[str]):
        self.meldungen = meldungen
        super().__init__(" ".join(meldungen))


def _umgebung():  # noqa: ANN202 - jinja2 is imported lazily with docxtpl
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


def _fuer_word(wert: str | bool) -> Markup | bool:
    """Clean (\\r\\n, control characters), escape for XML, and keep braces out of docxtpl's
    ``{_{`` → ``{{`` post-processing, so user text comes out exactly as typed."""
    if isinstance(wert, bool):
        return wert
    text = str(escape(bereinige_text(wert)))
    return Markup(text.replace("{", "&#123;").replace("}", "&#125;"))


def rendern_datei(pfad: Path, ctx: Mapping[str, str | bool]) -> bytes:
    """Render one .docx template file with ``ctx``; the finished document as bytes."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError, UndefinedError
    from jinja2.exceptions import SecurityError, TemplateSyntaxError

    pfad = Path(pfad)
    if not pfad.is_file():
        raise VorlagenFehler(f"Die Vorlagendatei {pfad} fehlt.")
    try:
        vorlage = DocxTemplate(pfad)
        vorlage.render({k: _fuer_word(v) for k, v in ctx.items()}, jinja_env=_umgebung(), autoescape=True)
        puffer = io.BytesIO()
        vorlage.save(puffer)
    except SecurityError as fehler:
        raise VorlagenSicherheitsFehler(f"Die Vorlage {pfad.name} versucht einen unerlaubten Zugriff und wird "
                                        f"nicht verwendet ({fehler}).") from fehler
    except UndefinedError as fehler:
        raise VorlagenFehler(f"Die Vorlage {pfad.name} enthält einen unbekannten Platzhalter ({fehler}).") from fehler
    except TemplateSyntaxError as fehler:
        raise VorlagenFehler(f"Die Vorlage {pfad.name} hat einen Fehler in einem Platzhalter: {fehler.message}") \
            from fehler
    except TemplateError as fehler:
        raise VorlagenFehler(f"Die Vorlage {pfad.name} kann nicht verwendet werden: {fehler}") from fehler
    except OSError as fehler:  # the file system's problem, not the template's
        raise VorlagenFehler(meldung(fehler, pfad, "Lesen der Vorlage")) from fehler
    except (KeyError, ValueError) as fehler:  # not a .docx / damaged zip or XML
        raise VorlagenFehler(f"Die Vorlage {pfad.name} ist kein lesbares Word-Dokument ({fehler}).") from fehler
    return puffer.getvalue()


def erzeugen(pruefung: Pruefung, vorlagen_dir: Path | None = None) -> bytes:
    """"Fertig": the checked letter as .docx bytes; refused if the check refused it."""
    if not pruefung.ok:
        raise BriefVerweigert(pruefung.verweigert)
    return rendern_datei(vorlagen_ordner(vorlagen_dir) / pruefung.vorlage.datei, pruefung.kontext)


# ---- `kopl-tui vorlagen-pruefen` ----------------------------------------------------------

def platzhalter(pfad: Path) -> set[str]:
    """The undeclared variables of a template (parsing only, nothing is executed)."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError

    try:
        return set(DocxTemplate(pfad).get_undeclared_template_variables(jinja_env=_umgebung()))
    except TemplateSyntaxError as fehler:
        raise VorlagenFehler(f"Die Vorlage {Path(pfad).name} hat einen Fehler in einem Platzhalter: "
                             f"{fehler.message}") from fehler


def vorlagen_pruefen(vorlagen_dir: Path | None = None) -> list[str]:
    """Every catalogue template against the context the app provides; German problems, empty = ok.

    Checks: the file exists; every placeholder is a context key; the template's plan fields are
    exactly those its catalogue entry declares (so the assistant's check lists what is printed);
    a trial render with full fictitious data succeeds (catches sandbox violations and unknown
    attributes or filters that parsing alone does not)."""
    ordner = vorlagen_ordner(vorlagen_dir)
    ctx = beispiel_kontext()
    probleme: list[str] = []
    for eintrag in VORLAGEN:
        ort = f"Vorlage {eintrag.datei} („{eintrag.titel}“)"
        pfad = ordner / eintrag.datei
        if not pfad.is_file():
            probleme.append(f"{ort}: Datei fehlt ({pfad}).")
            continue
        try:
            benutzt = platzhalter(pfad)
        except VorlagenFehler as fehler:
            probleme.append(f"{ort}: {fehler}")
            continue
        for name in sorted(benutzt - ctx.keys()):
            probleme.append(f"{ort}: unbekannter Platzhalter „{name}“.")
        plan_benutzt = benutzt & PLAN_FELDER.keys()
        for name in sorted(plan_benutzt - set(eintrag.felder)):
            probleme.append(f"{ort}: Platzhalter „{name}“ ist im Katalog für diese Vorlage nicht vorgesehen.")
        for name in sorted(set(eintrag.felder) - plan_benutzt):
            probleme.append(f"{ort}: laut Katalog gehört „{name}“ in diese Vorlage, sie enthält den Platzhalter "
                            "aber nicht.")
        if not benutzt - ctx.keys():
            try:
                rendern_datei(pfad, ctx)
            except VorlagenFehler as fehler:
                probleme.append(f"{ort}: {fehler}")
    return probleme
