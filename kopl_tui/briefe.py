"""Letters (§3.1 "Kooperationsplan drucken", §3.2 "Aufforderung drucken", §3.3 "Druck
Schlichtungsverfahren"): the template catalogue with each template's Ergänzungen, the merge
context, the check the document assistant shows, and the gap check before "Fertig" (no letter
leaves with "[fehlt: …]", "[bitte ergänzen: …]" or the guide's "XXXX"). Which template file is used
and how it is rendered: kopl_tui/briefvorlagen.py.

A value the context knows but the plan lacks is printed as a visible gap marker ("[fehlt: …]"), never as "None".
Legal texts (Rechtsfolgen-, Rechtsbehelfsbelehrung) live in the .docx templates, not here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from kopl_tui import briefregeln, regeln
from kopl_tui.briefkopf import Briefkopf
from kopl_tui.briefvorlagen import VorlagenFehler, eigener_ordner, rendern_datei, vorlagendatei
from kopl_tui.datum import format_datum
from kopl_tui.ergaenzungen import XXXX, Art, Ergaenzung, ErgaenzungsWert, ersetze_xxxx
from kopl_tui.model import FELDNAMEN, UNBEGRENZT, Anrede, Kooperationsplan, Kunde, Status

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
    "plan_vereinbart": f"Status „{Status.EINVERSTAENDNIS.value}“ (gemeinsam vereinbart)",
    "schlichtung_begonnen": "Schlichtungsverfahren begonnen",
    "schlichtung_beginn": FELDNAMEN["schlichtung_beginn"],
    "schlichtung_max_ende": FELDNAMEN["schlichtung_max_ende"],
}
"""Keys from the plan; a template may use only those its catalogue entry declares."""
_SCHALTER = ("plan_vereinbart", "schlichtung_begonnen")
"""Yes/no keys: they choose the letter's wording (``{%p if … %}``), they are not printed."""

# Shown by the assistant for every letter, before the template's own fields.
_ANGEZEIGTE_BRIEF_FELDER = ("anschrift_name", "strasse", "plz_ort", "kundennummer", "bg_nummer", "datum",
                            "ifk_name", "ifk_telefon", "ifk_email")


def luecke(titel: str) -> str:
    """The visible gap marker for a value the plan or customer lacks."""
    return f"[fehlt: {titel}]"


LUECKEN_MUSTER = re.compile(r"\[fehlt:[^\]]*\]|\[bitte ergänzen[^\]]*\]|\[hier individuelle Ergänzungen[^\]]*\]|"
                            + XXXX)
"""Every gap marker a letter can carry: missing values, missing Ergänzungen, the guide's "XXXX"."""


def luecken(text: str) -> list[str]:
    """The gap markers left in a letter's text, each once, in order: while any is there, the
    letter is not finished (no "Fertig", no "Ablegen")."""
    return list(dict.fromkeys(LUECKEN_MUSTER.findall(text)))


def lueckengruende(text: str) -> list[str]:
    """Each gap left in a letter as the reason it cannot be finished (German)."""
    return [f"Im Brief steht noch „{marke}“." for marke in luecken(text)]


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
    ergaenzungen: tuple[Ergaenzung, ...] = ()
    """What staff complete by hand (§3.2: "manuell erforderliche Eingaben"), typed and checked."""

    @property
    def name(self) -> str:
        return Path(self.datei).stem

    def ergaenzungen_fuer(self, plan: Kooperationsplan) -> tuple[Ergaenzung, ...]:
        """The Ergänzungen this plan's letter needs (an "XXXX" replacement only while the text has one)."""
        return tuple(e for e in self.ergaenzungen if e.gilt_fuer(plan))


_KP_FELDER = ("ziel", "naechste_schritte", "unterstuetzung", "gueltig_ab", "gueltig_bis", "ueberpruefung_faellig_am")
_AUFFORDERUNG = ("tag_der_aufforderung", "frist_zur_erledigung")
_KP_AUFFORDERUNG = ("gueltig_ab", "naechste_schritte", *_AUFFORDERUNG)

# ---- the Ergänzungen (§3.2 "manuell erforderliche Eingaben"): one declaration each, shared where
# two templates ask the same (JobFabrik and Maßnahme: Beginn, Ort, Ansprechperson) --------------

UNTERSTUETZUNG_ERGAENZUNG = Ergaenzung(
    "unterstuetzung_ergaenzung", "Unterstützung durch die Integrationsfachkraft (statt „XXXX“)",
    beispiel="z. B. die Vermittlung in ein Bewerbungstraining", max_laenge=500, ersetzt="unterstuetzung")
BEWERBUNGEN = (
    Ergaenzung("bewerbungen_anzahl", "Anzahl der Bewerbungen (mindestens)", Art.ZAHL, beispiel="z. B. 4",
               minimum=1, maximum=50),
    Ergaenzung("bewerbungen_zeitraum", "Anzahl gilt", Art.AUSWAHL,
               auswahl=("je Kalenderwoche", "je Kalendermonat", "insgesamt")),
    Ergaenzung("taetigkeit", "Tätigkeit oder Stellenbereich", beispiel="z. B. Helfer/in im Lager"),
)
BEGINN = Ergaenzung("beginn", "Beginn", Art.DATUM, frist=True)
ORT = Ergaenzung("ort", "Ort", beispiel="Anschrift, an der die Teilnahme oder Arbeit stattfindet")
ANSPRECHPERSON = Ergaenzung("ansprechperson", "Ansprechperson", beispiel="Name, Telefon")
ANGEBOT = (
    Ergaenzung("angebot", "Angebot", Art.AUSWAHL, auswahl=("Maßnahme", "Stellenangebot", "Maßnahme und Stellenangebot")),
    Ergaenzung("angebot_bezeichnung", "Bezeichnung der Maßnahme bzw. Stelle", beispiel="z. B. Bewerbungstraining"),
    Ergaenzung("angebot_traeger", "Träger bzw. Arbeitgeber", beispiel="Name und Anschrift"),
    BEGINN, ORT, ANSPRECHPERSON,
)
SCHRITT_UND_NACHWEIS = (
    Ergaenzung("schritt", "der konkrete, noch nicht erledigte Schritt", max_laenge=1000,
               beispiel="z. B. 4 Bewerbungen als Helfer/in im Lager je Kalenderwoche"),
    Ergaenzung("nachweis", "Nachweis", max_laenge=500,
               beispiel="z. B. Kopien der Bewerbungen oder Antworten der Arbeitgeber"),
)

VORLAGEN: tuple[Vorlage, ...] = (
    Vorlage("kooperationsplan.docx", "Kooperationsplan", Abschnitt.KOOPERATIONSPLAN,
            (*_KP_FELDER, "plan_vereinbart"), pflichtfelder=("gueltig_ab", "gueltig_bis"), plan_noetig=True,
            ergaenzungen=(UNTERSTUETZUNG_ERGAENZUNG,)),
    Vorlage("kooperationsplan-fortschreibung.docx", "Kooperationsplan (Fortschreibung)", Abschnitt.KOOPERATIONSPLAN,
            (*_KP_FELDER, "plan_vereinbart"), pflichtfelder=("gueltig_ab", "gueltig_bis"), plan_noetig=True,
            ergaenzungen=(UNTERSTUETZUNG_ERGAENZUNG,)),
    Vorlage("aufforderung-allgemein.docx", "§15 SGB II Aufforderung ohne Kooperationsplan (Allgemein)",
            Abschnitt.AUFFORDERUNG, (*_AUFFORDERUNG, "schritte"), pflichtfelder=(*_AUFFORDERUNG, "schritte"),
            rechtsfolgenbelehrung=True, ohne_plan=True),
    Vorlage("aufforderung-bewerbung.docx", "§15 SGB II Aufforderung ohne Kooperationsplan (Bewerbung)",
            Abschnitt.AUFFORDERUNG, _AUFFORDERUNG, pflichtfelder=_AUFFORDERUNG, rechtsfolgenbelehrung=True,
            ohne_plan=True, ergaenzungen=BEWERBUNGEN),
    Vorlage("aufforderung-jobfabrik.docx", "§15 SGB II Aufforderung ohne Kooperationsplan (JobFabrik)",
            Abschnitt.AUFFORDERUNG, _AUFFORDERUNG, pflichtfelder=_AUFFORDERUNG, rechtsfolgenbelehrung=True,
            ohne_plan=True, ergaenzungen=(BEGINN, ORT, ANSPRECHPERSON)),
    Vorlage("aufforderung-massnahme-stellenangebot.docx",
            "§15 SGB II Aufforderung ohne Kooperationsplan (Maßnahme-/und oder Stellenangebot)",
            Abschnitt.AUFFORDERUNG, _AUFFORDERUNG, pflichtfelder=_AUFFORDERUNG, rechtsfolgenbelehrung=True,
            ohne_plan=True, ergaenzungen=ANGEBOT),
    Vorlage("kooperationsplan-aufforderung-mit-rechtsfolgen.docx",
            "§15 SGB II Kooperationsplan Aufforderung mit Rechtsfolgen", Abschnitt.AUFFORDERUNG,
            _KP_AUFFORDERUNG, pflichtfelder=("gueltig_ab", *_AUFFORDERUNG), rechtsfolgenbelehrung=True,
            plan_noetig=True, ergaenzungen=SCHRITT_UND_NACHWEIS),
    Vorlage("kooperationsplan-aufforderung-ohne-rechtsfolgen.docx",
            "§15 SGB II Kooperationsplan Aufforderung ohne Rechtsfolgen", Abschnitt.AUFFORDERUNG,
            (*_KP_AUFFORDERUNG, "plan_vereinbart"), pflichtfelder=("gueltig_ab", *_AUFFORDERUNG), plan_noetig=True,
            ergaenzungen=SCHRITT_UND_NACHWEIS),
    Vorlage("schlichtungsverfahren-merkblatt.docx", "§15a SGB II Schlichtungsverfahren Merkblatt",
            Abschnitt.SCHLICHTUNG, ("schlichtung_begonnen", "schlichtung_beginn", "schlichtung_max_ende"),
            bedingte_felder=("schlichtung_beginn", "schlichtung_max_ende")),
)


ERGAENZUNGEN: dict[str, Ergaenzung] = {e.name: e for v in VORLAGEN for e in v.ergaenzungen}
"""Every Ergänzung of the catalogue by name; each name means one thing in every template."""
ERGAENZUNGS_PLATZHALTER = frozenset(name for name, e in ERGAENZUNGEN.items() if not e.ersetzt)
"""The Ergänzungen with a placeholder of their own (the others replace "XXXX" in a plan text)."""


def vorlagen_fuer(abschnitt: Abschnitt | str) -> list[Vorlage]:
    """The entries of one section's print dropdown, in the guide's order."""
    return [v for v in VORLAGEN if v.abschnitt == Abschnitt(abschnitt)]


def vorlage(titel_oder_datei: str) -> Vorlage:
    for eintrag in VORLAGEN:
        if titel_oder_datei in (eintrag.titel, eintrag.datei, eintrag.name):
            return eintrag
    raise KeyError(f"Keine Vorlage „{titel_oder_datei}“ im Katalog.")


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


def kontext(kunde: Kunde, plan: Kooperationsplan, *, ifk: str, briefkopf: Briefkopf, datum: date,
            ergaenzungen: Mapping[str, ErgaenzungsWert] | None = None) -> Kontext:
    """Everything a template may merge, as printed text (dates TT.MM.JJJJ, gaps marked): customer,
    plan, and every Ergänzung of the catalogue (``[bitte ergänzen: …]`` where none was given)."""
    werte = ergaenzungen or {}
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
    ergebnis["plan_vereinbart"] = plan.status is Status.EINVERSTAENDNIS
    ergebnis["schlichtung_begonnen"] = plan.schlichtung_beginn is not None
    for name, ergaenzung in ERGAENZUNGEN.items():
        text = ergaenzung.drucktext(werte.get(name))
        if ergaenzung.ersetzt:  # replaces the guide's "XXXX" inside a plan text
            ergebnis[ergaenzung.ersetzt] = ersetze_xxxx(str(ergebnis[ergaenzung.ersetzt]), text)
        else:
            ergebnis[name] = text
    return ergebnis


def beispiel_kontext() -> Kontext:
    """A full context from fictitious data: what `vorlagen-pruefen` renders every template with."""
    kunde = Kunde(kundennummer="999X000001", anrede=Anrede.FRAU, nachname="Beispiel", vorname="Erika",
                  geburtsdatum=date(1980, 1, 1), bg_nummer="99999//0000001", ifk="Ina Beispiel",
                  strasse="Musterweg 1", plz="37073", ort="Göttingen")
    plan = Kooperationsplan(status=Status.EINVERSTAENDNIS, ziel="Ziel\nzweite Zeile", naechste_schritte="Schritte",
                            gueltig_ab=date(2026, 1, 1), tag_der_aufforderung=date(2026, 2, 1),
                            frist_zur_erledigung=date(2026, 2, 15), schritte="Schritte der Aufforderung",
                            schlichtung_notwendig="ja", schlichtung_beginn=date(2026, 3, 1))
    return kontext(kunde, plan, ifk=kunde.ifk, briefkopf=Briefkopf(), datum=date(2026, 1, 1),
                   ergaenzungen={name: e.beispielwert() for name, e in ERGAENZUNGEN.items()})


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
    """Non-empty: the letter cannot be made (no preview, no "Fertig")."""
    hinweise: list[str] = field(default_factory=list)
    kontext: Kontext = field(default_factory=dict)
    warnungen: list[str] = field(default_factory=list)
    """Shown, but the letter may still go out."""
    ergaenzungen: tuple[Ergaenzung, ...] = ()
    """The Ergänzungen this letter needs, in the template's order."""
    eingetragen: dict[str, ErgaenzungsWert] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.verweigert

    @property
    def fehlend(self) -> list[Wert]:
        return [w for w in self.werte if w.fehlt]

    def ergaenzungs_texte(self) -> list[tuple[str, str, str]]:
        """(name, label, value as printed) of each Ergänzung given: what the archive keeps."""
        return [(e.name, e.titel, e.drucktext(self.eingetragen[e.name])) for e in self.ergaenzungen
                if e.name in self.eingetragen]


def pruefen(vorlage: Vorlage, kunde: Kunde, plan: Kooperationsplan, *, ifk: str | None = None,
            briefkopf: Briefkopf | None = None, datum: date | None = None,
            ergaenzungen: Mapping[str, ErgaenzungsWert | None] | None = None) -> Pruefung:
    """The document assistant's list (§3.1): values to be merged, missing ones, refusals.

    ``ergaenzungen`` are checked values (``Ergaenzung.lesen``) by name; those the letter does not
    need are ignored, empty ones count as not given."""
    ifk = kunde.ifk if ifk is None else ifk
    datum = datum or date.today()
    gebraucht = vorlage.ergaenzungen_fuer(plan)
    eingetragen = {e.name: wert for e in gebraucht
                   if (wert := (ergaenzungen or {}).get(e.name)) is not None and wert != ""}
    ctx = kontext(kunde, plan, ifk=ifk, briefkopf=briefkopf or Briefkopf(), datum=datum, ergaenzungen=eingetragen)
    verweigert = [grund for regel in regeln.regeln(regeln.Art.BRIEF_PLAN) if regel.funktion
                  for grund in regel.funktion(vorlage, plan)]
    hinweise: list[str] = []
    werte: list[Wert] = []

    kein_plan = vorlage.plan_noetig and plan.status not in briefregeln.PLAN_STATUS
    if vorlage.ohne_plan and plan.status is Status.EINVERSTAENDNIS:
        hinweise.append(f"Für diesen Eintrag besteht ein Kooperationsplan (Status „{plan.status.value}“). Passt "
                        "eine Vorlage „§15 SGB II Kooperationsplan Aufforderung …“ besser?")

    for schluessel in (*_ANGEZEIGTE_BRIEF_FELDER, *vorlage.felder):
        if schluessel in _SCHALTER:
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
            hinweise.append(f"„{titel}“ fehlt: im Brief stünde „{luecke(titel)}“; fertig wird er erst, wenn es in "
                            "der Akte eingetragen ist.")

    gemeldet = {w.schluessel for w in werte if w.fehlt}
    for befund in plan.befunde():
        if befund.feld in vorlage.felder and befund.feld not in gemeldet and befund.meldung not in verweigert:
            verweigert.append(befund.meldung)
    verweigert += [grund for regel in regeln.regeln(regeln.Art.BRIEF) if regel.funktion
                   for grund in regel.funktion(vorlage, plan, datum, eingetragen)]
    warnungen = [text for regel in regeln.regeln(regeln.Art.BRIEF_WARNUNG) if regel.funktion
                 for text in regel.funktion(vorlage, plan, datum)]
    return Pruefung(vorlage, werte, verweigert, hinweise, ctx, warnungen, gebraucht, eingetragen)


# ---- rendering --------------------------------------------------------------------------

class BriefVerweigert(VorlagenFehler):
    """The check refused the letter; ``meldungen`` are the assistant's reasons."""

    def __init__(self, meldungen: list[str]):
        self.meldungen = meldungen
        super().__init__(" ".join(meldungen))


@dataclass(frozen=True)
class Brief:
    """A rendered letter and its text as it will print (the preview before "Fertig")."""

    pruefung: Pruefung
    inhalt: bytes
    text: str

    @property
    def luecken(self) -> list[str]:
        return luecken(self.text)

    @property
    def gruende(self) -> list[str]:
        """Every reason the letter cannot be finished: the check's refusals and each gap left."""
        return [*self.pruefung.verweigert, *lueckengruende(self.text)]

    def fertig(self) -> bytes:
        """"Fertig": the .docx bytes, refused (BriefVerweigert) while any reason is left."""
        if self.gruende:
            raise BriefVerweigert(self.gruende)
        return self.inhalt


def entwerfen(pruefung: Pruefung, daten: Path | None) -> Brief:
    """Render the letter for the preview, also while gaps remain (they show where to complete it).
    ``daten`` is the data folder whose ``vorlagen/`` overrides the shipped templates (None: shipped
    only), so preview and letter come from the same file."""
    from kopl_tui.brieftext import brieftext

    datei = vorlagendatei(pruefung.vorlage.datei, None if daten is None else eigener_ordner(daten))
    inhalt = rendern_datei(datei, pruefung.kontext)
    return Brief(pruefung, inhalt, brieftext(inhalt))


def erzeugen(pruefung: Pruefung, daten: Path | None) -> bytes:
    """"Fertig": the checked letter as .docx bytes; refused if the check refused it or any gap
    marker ("[fehlt: …]", "[bitte ergänzen: …]", "XXXX") is left in it."""
    if not pruefung.ok:
        raise BriefVerweigert(pruefung.verweigert)
    return entwerfen(pruefung, daten).fertig()


def ergaenzungs_abweichungen(eintrag: Vorlage, benutzt: set[str]) -> list[str]:
    """The template's Ergänzung placeholders against its catalogue entry: the assistant asks for
    exactly what the letter prints."""
    soll = {e.name for e in eintrag.ergaenzungen if not e.ersetzt}
    ist = benutzt & ERGAENZUNGS_PLATZHALTER
    return [*(f"Platzhalter „{name}“ ist eine Ergänzung, die der Katalog für diese Vorlage nicht abfragt."
              for name in sorted(ist - soll)),
            *(f"laut Katalog wird die Ergänzung „{name}“ abgefragt, die Vorlage enthält den Platzhalter aber nicht."
              for name in sorted(soll - ist))]
