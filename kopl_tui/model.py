"""The Kundenakte's data as the guide names it: Kunde and Kooperationsplan with its three sections.

The pydantic models are the only (de)serialiser (ISO dates on disk) and the single source of the
guide's rules. Types are enforced on every load; the guide's rules (mandatory fields, date order)
are checked by ``Kooperationsplan.befunde()`` when a plan is applied ("Übernehmen"), because
migrated plans (guide §2: "die meisten Felder nicht gefüllt") must still load and be shown.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError, core_schema

from kopl_tui.datum import DatumFehler, format_datum, im_bereich, parse_datum, plus_monate, zitat

UNBEGRENZT: Literal["unbegrenzt"] = "unbegrenzt"
KEIN_EINTRAG = "Kein Eintrag ausgewählt"
MAX_TEXTLAENGE = 10_000
SCHLICHTUNG_HOECHSTDAUER = timedelta(days=28)  # § 15a SGB II: "spätestens vier Wochen nach Beginn"
UEBERPRUEFUNG_MONATE = 6  # § 15 Abs. 3 SGB II: "spätestens nach Ablauf von sechs Monaten"

UNTERSTUETZUNG_VORGABE = (
    "Meine zuständige Integrationsfachkraft unterstützt mich durch ein individuellen Gesprächs- "
    "und/oder Beratungsangebot im Zusammenhang mit dem SGB II und steht jederzeit für Fragen zur "
    "Verfügung. Darüber hinaus unterstützt mich meine zuständige Integrationsfachkraft durch XXXX "
    "[hier individuelle Ergänzungen vornehmen]"
)


class Status(StrEnum):
    """Status Kooperationsplan (§3.1); no value is the guide's "Kein Eintrag ausgewählt"."""

    IN_BEARBEITUNG = "in Bearbeitung"
    EINVERSTAENDNIS = "Einverständnis"
    KEIN_EINVERSTAENDNIS = "kein Einverständnis"
    NUR_AUFFORDERUNG = "nur Aufforderung"


class JaNein(StrEnum):
    JA = "ja"
    NEIN = "nein"


class Anrede(StrEnum):
    FRAU = "Frau"
    HERR = "Herr"
    OHNE = "ohne Anrede"


# Field labels exactly as in the guide; messages name the field by these.
FELDNAMEN: dict[str, str] = {
    "status": "Status Kooperationsplan",
    "ziel": "Ziel",
    "naechste_schritte": "Meine nächsten Schritte",
    "unterstuetzung": "Das Jobcenter unterstützt mich durch",
    "gueltig_ab": "Kooperationsplan gültig ab",
    "gueltig_bis": "gültig bis",
    "ueberprueft_am": "zuletzt überprüft am",
    "tag_der_aufforderung": "Tag der Aufforderung",
    "frist_zur_erledigung": "Frist zur Erledigung",
    "schritte": "Schritte (Aufforderung)",
    "schlichtung_notwendig": "Schlichtungsverfahren notwendig?",
    "schlichtung_beginn": "Beginn Schlichtungsverfahren",
    "schlichtung_max_ende": "max. Ende",
    "schlichtung_ergebnis": "Ergebnis",
    "einigung_erfolgt": "Einigung erfolgt?",
    "kundennummer": "Kundennummer",
    "anrede": "Anrede",
    "nachname": "Nachname",
    "vorname": "Vorname",
    "geburtsdatum": "Geburtsdatum",
    "bg_nummer": "BG-Nummer",
    "ifk": "Integrationsfachkraft",
    "strasse": "Straße",
    "plz": "PLZ",
    "ort": "Ort",
}

# C0/C1 controls, line/paragraph separators and lone surrogates (undecodable terminal input;
# they cannot be written as UTF-8).
_STEUERZEICHEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def neue_id() -> str:
    return uuid.uuid4().hex


def _feld(info_name: str | None) -> str:
    return FELDNAMEN.get(info_name or "", info_name or "Feld")


def bereinige_text(wert: Any) -> str:
    """Free text as Word and the terminal can take it: \\r\\n → \\n, control characters removed."""
    if wert is None:
        return ""
    if not isinstance(wert, str):
        raise PydanticCustomError("text_typ", "Hier wird ein Text erwartet.")
    text = _STEUERZEICHEN.sub("", wert.replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > MAX_TEXTLAENGE:
        raise PydanticCustomError(
            "text_zu_lang",
            "Der Text ist zu lang ({laenge} Zeichen, höchstens {max}).",
            {"laenge": f"{len(text):,}".replace(",", "."), "max": f"{MAX_TEXTLAENGE:,}".replace(",", ".")},
        )
    return text


def _zeile(wert: Any) -> str:
    """One-line text (names, IFK): cleaned like free text, no line breaks, trimmed."""
    text = bereinige_text(wert).replace("\n", " ").replace("\t", " ").strip()
    if len(text) > 200:
        raise PydanticCustomError("zeile_zu_lang", "Höchstens 200 Zeichen.")
    return text


def _datum(wert: Any) -> date | None:
    """Accepts a date, ISO (disk) or TT.MM.JJJJ (screen, CSV); German message otherwise."""
    try:
        if wert is None:
            return None
        if isinstance(wert, date) and not isinstance(wert, datetime):
            return im_bereich(wert)
        if isinstance(wert, str):
            text = wert.strip()
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, flags=re.ASCII):
                try:
                    tag = date.fromisoformat(text)
                except ValueError:
                    raise DatumFehler(f"„{text}“ ist kein gültiges Datum.") from None
                return im_bereich(tag)
            return parse_datum(text)
    except DatumFehler as fehler:
        raise PydanticCustomError("datum", str(fehler)) from None
    raise PydanticCustomError("datum", "Hier wird ein Datum (TT.MM.JJJJ) erwartet.")


def _gueltig_bis(wert: Any) -> date | str | None:
    if isinstance(wert, str) and wert.strip().lower() == UNBEGRENZT:
        return UNBEGRENZT
    return _datum(wert)


def _kennung(wert: Any) -> str:
    """Internal ids (uuid hex) end up in file contents and widget ids: letters, digits, _ and - only."""
    if isinstance(wert, str) and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", wert):
        return wert
    gezeigt = f" {zitat(wert)}" if isinstance(wert, str) else ""
    raise PydanticCustomError("kennung", f"Ungültige interne Kennung{gezeigt}.")


def _auswahl(wert: Any) -> Any:
    """Dropdowns: the guide's empty entry and "" mean no value."""
    if wert in ("", KEIN_EINTRAG):
        return None
    return wert


Freitext = Annotated[str, BeforeValidator(bereinige_text)]
Kennung = Annotated[str, BeforeValidator(_kennung)]
Zeile = Annotated[str, BeforeValidator(_zeile)]
Datum = Annotated[date | None, BeforeValidator(_datum)]
GueltigBis = Annotated[date | Literal["unbegrenzt"] | None, BeforeValidator(_gueltig_bis)]


def _enum_feld(enum: type[StrEnum]) -> Any:
    return Annotated[enum | None, BeforeValidator(_auswahl)]


@dataclass(frozen=True)
class Befund:
    """One broken rule: the model field it concerns, the German message, the rule's name."""

    feld: str
    meldung: str
    regel: str


class RegelVerletzung(ValueError):
    """Raised when a plan that breaks the guide's rules is to be applied."""

    def __init__(self, befunde: list[Befund]):
        self.befunde = befunde
        super().__init__("; ".join(b.meldung for b in befunde))


def _plz(wert: Any) -> str:
    """Postleitzahl: five ASCII digits, or empty while no address is known."""
    if wert is None:
        return ""
    if not isinstance(wert, str):
        raise PydanticCustomError("text_typ", "Hier wird ein Text erwartet.")
    text = wert.strip()
    if text and not re.fullmatch(r"[0-9]{5}", text):
        raise PydanticCustomError("plz", "PLZ {wert} hat nicht das Format 12345 (fünf Ziffern).", {"wert": zitat(text)})
    return text


def _kennzeichen(wert: Any) -> Any:
    """Kundennummer, BG-Nummer: as typed, without surrounding blanks."""
    return wert.strip().upper() if isinstance(wert, str) else wert


def _kundennummer(wert: str) -> str:
    if not re.fullmatch(r"[0-9]{3}[A-Z][0-9]{6}", wert):
        raise PydanticCustomError(
            "kundennummer",
            "Kundennummer {wert} hat nicht das Format 123D456789 (3 Ziffern 0–9, ein Buchstabe A–Z, 6 Ziffern 0–9).",
            {"wert": zitat(wert)},
        )
    return wert


def _bg_nummer(wert: str) -> str:
    if not re.fullmatch(r"[0-9]{5}//[0-9]{7}", wert):
        raise PydanticCustomError("bg_nummer", "BG-Nummer {wert} hat nicht das Format 12345//0001234 (Ziffern 0–9).",
                                  {"wert": zitat(wert)})
    return wert


STAMMDATEN_FELDER = ("strasse", "plz", "ort", "bg_nummer", "ifk")
"""What the Stammdaten screen may correct; name, birth date and Kundennummer come from the import."""


class Kunde(BaseModel):
    """Master data of a customer, as the customer index and the letters need it.

    Kundennummer and BG-Nummer are ASCII (explicit [0-9A-Z] classes: ``\\d`` would also take
    Devanagari or full-width digits, which no file name, letter or search matches). The address is
    Straße, PLZ and Ort; data folders written when PLZ and Ort were one field ``plz_ort`` load as
    well (``_plz_ort_aufteilen``), and letters print them as one line (``plz_ort``)."""

    model_config = ConfigDict(extra="ignore")

    id: Kennung = Field(default_factory=neue_id)
    kundennummer: Annotated[str, BeforeValidator(_kennzeichen), AfterValidator(_kundennummer)]
    anrede: Anrede = Anrede.OHNE
    nachname: Zeile
    vorname: Zeile
    geburtsdatum: Datum
    bg_nummer: Annotated[str, BeforeValidator(_kennzeichen), AfterValidator(_bg_nummer)]
    ifk: Zeile = ""
    strasse: Zeile = ""
    plz: Annotated[str, BeforeValidator(_plz)] = ""
    ort: Zeile = ""

    @model_validator(mode="before")
    @classmethod
    def _plz_ort_aufteilen(cls, daten: Any) -> Any:
        """A record with the former single field ``plz_ort`` ("37073 Göttingen"): PLZ and Ort taken
        apart where it starts with five digits, otherwise all of it kept as the Ort. Never refused:
        such a record was valid when it was written."""
        if not isinstance(daten, dict) or "plz_ort" not in daten:
            return daten
        daten = dict(daten)
        frueher = daten.pop("plz_ort")
        if "plz" in daten or "ort" in daten or frueher is None:
            return daten  # written in the new form: the new fields count
        teile = re.fullmatch(r"\s*([0-9]{5})(?:\s+(.*?))?\s*", frueher) if isinstance(frueher, str) else None
        if teile:
            daten["plz"], daten["ort"] = teile.group(1), teile.group(2) or ""
        else:
            daten["ort"] = frueher  # a wrong type is named by the Ort's own check
        return daten

    @model_validator(mode="after")
    def _pflichtangaben(self) -> Kunde:
        if not self.nachname:
            raise PydanticCustomError("nachname", "Nachname fehlt.")
        if self.geburtsdatum is None:
            raise PydanticCustomError("geburtsdatum", "Geburtsdatum fehlt.")
        return self

    @property
    def name(self) -> str:
        return f"{self.nachname}, {self.vorname}".strip(", ")

    @property
    def name_mit_anrede(self) -> str:
        """"Frau Erika Beispiel" as the screens' customer line shows it; without "ohne Anrede"."""
        anrede = "" if self.anrede is Anrede.OHNE else f"{self.anrede.value} "
        return f"{anrede}{self.vorname} {self.nachname}"

    @property
    def plz_ort(self) -> str:
        """The address's last line as a letter prints it: "37073 Göttingen"."""
        return " ".join(teil for teil in (self.plz, self.ort) if teil)

    def anzeigewerte(self, felder: Iterable[str]) -> dict[str, str]:
        """The fields as the history shows them (dates TT.MM.JJJJ)."""
        werte = self.model_dump(mode="json", include=set(felder))
        if "geburtsdatum" in werte:
            werte["geburtsdatum"] = format_datum(self.geburtsdatum)
        return {feld: str(werte[feld]) for feld in felder}

    def befunde(self) -> list[Befund]:
        """The input rules for master data (import, Stammdaten screen); empty means it may be applied.
        Records already stored load without them, as migrated plans do."""
        from kopl_tui.regeln import kunde_befunde  # the table of rules refers to this module's functions

        return kunde_befunde(self)


def regel_anschrift_vollstaendig(kunde: Kunde) -> list[Befund]:
    """A letter goes to Straße, PLZ and Ort (the window envelope shows all three lines); a part of
    an address alone is an input error. No address at all is allowed (the letter then marks the gap)."""
    teile = {"strasse": kunde.strasse, "plz": kunde.plz, "ort": kunde.ort}
    if not any(teile.values()):
        return []
    return [Befund(feld, f"{FELDNAMEN[feld]} fehlt: eine Anschrift braucht Straße, PLZ und Ort.",
                   "anschrift_vollstaendig") for feld, wert in teile.items() if not wert]


def regel_ort_ohne_plz(kunde: Kunde) -> list[Befund]:
    """The Ort is a place name: at least one letter, not starting with a digit (a PLZ typed into
    it would be printed twice)."""
    ort = kunde.ort
    if ort and (ort[0].isdigit() or not any(zeichen.isalpha() for zeichen in ort)):
        return [Befund("ort", f"Ort {zitat(ort)}: bitte nur den Ortsnamen eintragen (die PLZ hat ein eigenes Feld).",
                       "ort_ohne_plz")]
    return []


class Kooperationsplan(BaseModel):
    """One row of the overview: the mask's three sections (§3.1 Kooperationsplan, §3.2
    Aufforderung, §3.3 Schlichtungsverfahren) plus who changed it when."""

    model_config = ConfigDict(extra="ignore")

    id: Kennung = Field(default_factory=neue_id)
    # §3.1 Kooperationsplan
    status: _enum_feld(Status) = None  # type: ignore[valid-type]
    ziel: Freitext = ""
    naechste_schritte: Freitext = ""
    unterstuetzung: Freitext = UNTERSTUETZUNG_VORGABE
    gueltig_ab: Datum = None
    gueltig_bis: GueltigBis = UNBEGRENZT
    ueberprueft_am: Datum = None
    # §3.2 Aufforderung
    tag_der_aufforderung: Datum = None
    frist_zur_erledigung: Datum = None
    schritte: Freitext = ""
    # §3.3 Schlichtungsverfahren
    schlichtung_notwendig: _enum_feld(JaNein) = None  # type: ignore[valid-type]
    schlichtung_beginn: Datum = None
    schlichtung_max_ende: Datum = None
    schlichtung_ergebnis: Datum = None
    einigung_erfolgt: _enum_feld(JaNein) = None  # type: ignore[valid-type]
    # Verwaltung
    angelegt_am: datetime | None = None
    angelegt_von: Zeile = ""
    geaendert_am: datetime | None = None
    geaendert_von: Zeile = ""
    version: int = 0

    @model_validator(mode="after")
    def _max_ende_aus_beginn(self) -> Kooperationsplan:
        """§3.3: max. Ende fills itself from Beginn (four weeks) unless it was set explicitly."""
        if self.schlichtung_beginn and self.schlichtung_max_ende is None:
            self.schlichtung_max_ende = max_ende_fuer(self.schlichtung_beginn)
        return self

    # ---- derived values -------------------------------------------------
    @property
    def ist_unbegrenzt(self) -> bool:
        return self.gueltig_bis == UNBEGRENZT and self.status is not Status.NUR_AUFFORDERUNG

    @property
    def ueberpruefung_faellig_am(self) -> date | None:
        """Review due date (domain.md): gültig ab or the last review, plus six months."""
        if self.status is Status.NUR_AUFFORDERUNG:
            return None
        basis = self.ueberprueft_am or self.gueltig_ab
        return plus_monate(basis, UEBERPRUEFUNG_MONATE) if basis else None

    def ueberpruefung_ueberfaellig(self, heute: date) -> bool:
        faellig = self.ueberpruefung_faellig_am
        laeuft = self.gueltig_bis == UNBEGRENZT or (isinstance(self.gueltig_bis, date) and self.gueltig_bis >= heute)
        return bool(faellig and faellig < heute and laeuft)

    def gueltig_bis_text(self) -> str:
        if self.gueltig_bis == UNBEGRENZT:
            return "Unbegrenzt"
        return format_datum(self.gueltig_bis)  # type: ignore[arg-type]

    # ---- the guide's rules for one plan -------------------------------
    def befunde(self, vorher: Kooperationsplan | None = None) -> list[Befund]:
        """All rules of the guide this plan breaks; empty means it may be applied. ``vorher`` is the
        plan as the Akte holds it (None: a new plan), for the rules that depend on it."""
        from kopl_tui.regeln import plan_befunde  # the table of rules refers to this module's functions

        return plan_befunde(self, vorher)

    def pruefen(self, vorher: Kooperationsplan | None = None) -> None:
        befunde = self.befunde(vorher)
        if befunde:
            raise RegelVerletzung(befunde)

    def statistik_felder(self) -> dict[str, str]:
        """The BA-statistics fields (17.6, 17.7) and the status, as shown and audited."""
        return {
            "status": self.status.value if self.status else "",
            "gueltig_ab": format_datum(self.gueltig_ab),
            "gueltig_bis": self.gueltig_bis_text(),
        }


def max_ende_fuer(beginn: date) -> date:
    return beginn + SCHLICHTUNG_HOECHSTDAUER


def max_ende_folgt_beginn(alter_beginn: date | None, neuer_beginn: date | None, max_ende: date | None) -> date | None:
    """§3.3: a corrected Beginn takes max. Ende along when it was the four weeks filled in from the
    old Beginn (or empty); a max. Ende typed by hand stays (regel_schlichtung_hoechstens_vier_wochen
    checks it)."""
    automatisch = max_ende is None or (alter_beginn is not None and max_ende == max_ende_fuer(alter_beginn))
    if not automatisch:
        return max_ende
    return max_ende_fuer(neuer_beginn) if neuer_beginn else None


# ---- single-plan rules (each named after the guide's rule; tests use the same names) ----------
# Which rule applies when, with its title and guide section: the table in kopl_tui/regeln.py.

def regel_status_pflichtfeld(plan: Kooperationsplan, vorher: Kooperationsplan | None = None) -> list[Befund]:
    """§3.1: "Das Statusfeld ist ein Pflichtfeld. Unausgefüllt kann kein Kooperationsplan erstellt
    werden" – for a new plan (``vorher`` None), and a status once set cannot be emptied. A migrated
    plan that never had one (§2: "die meisten Felder nicht gefüllt") can still be corrected by hand
    (§3.1: gültig bis "manuell angepasst"); ``regel_plan_ohne_status`` lists it as to be completed."""
    if plan.status is not None or (vorher is not None and vorher.status is None):
        return []
    if vorher is None:
        meldung = "Status Kooperationsplan ist ein Pflichtfeld: bitte einen Eintrag auswählen."
    else:
        meldung = (f"Status Kooperationsplan ist ein Pflichtfeld und kann nicht geleert werden (bisher "
                   f"„{vorher.status}“): bitte einen Eintrag auswählen.")
    return [Befund("status", meldung, "status_pflichtfeld")]


def regel_plan_ohne_status(plan: Kooperationsplan) -> list[Befund]:
    """§2/§3.1: a plan without status (migrated, §2) may stay as it is, but is to be completed."""
    if plan.status is None:
        return [Befund("status", "Plan ohne Status: „Status Kooperationsplan“ fehlt (migrierter Plan, Anleitung "
                       "§2); bitte beim nächsten Bearbeiten ergänzen.", "plan_ohne_status")]
    return []


def hinweis_neuer_plan_unbegrenzt(plan: Kooperationsplan) -> str:
    """§3.1 grey box: "Das Bis-Datum soll ansonsten immer auf ‚unbegrenzt‘ stehen" – for a new plan
    a concrete gültig bis is allowed but worth a hint at the field (not a refusal); "" when none."""
    if isinstance(plan.gueltig_bis, date) and plan.status is not Status.NUR_AUFFORDERUNG:
        return ("Hinweis: Für einen neuen Kooperationsplan soll „gültig bis“ auf „unbegrenzt“ stehen "
                "(grauer Kasten, Anleitung §3.1).")
    return ""


def regel_nur_aufforderung_sperrt_gueltigkeit(plan: Kooperationsplan) -> list[Befund]:
    """§3.1 grey box: with "nur Aufforderung" both validity dates stay empty."""
    if plan.status is not Status.NUR_AUFFORDERUNG:
        return []
    befunde = []
    if plan.gueltig_ab is not None:
        befunde.append(Befund("gueltig_ab", "Bei Status „nur Aufforderung“ bleibt „Kooperationsplan gültig ab“ leer.",
                              "nur_aufforderung_sperrt_gueltigkeit"))
    if plan.gueltig_bis is not None:
        befunde.append(Befund("gueltig_bis", "Bei Status „nur Aufforderung“ bleibt „gültig bis“ leer.",
                              "nur_aufforderung_sperrt_gueltigkeit"))
    return befunde


def regel_gueltigkeit_pflichtfelder(plan: Kooperationsplan) -> list[Befund]:
    """§3.1: both validity dates are BA-statistics mandatory fields of a real plan."""
    if plan.status is None or plan.status is Status.NUR_AUFFORDERUNG:
        return []
    befunde = []
    if plan.gueltig_ab is None:
        befunde.append(Befund("gueltig_ab", "„Kooperationsplan gültig ab“ ist ein Pflichtfeld (BA-Statistik 17.6).",
                              "gueltigkeit_pflichtfelder"))
    if plan.gueltig_bis is None:
        befunde.append(Befund("gueltig_bis", "„gültig bis“ ist ein Pflichtfeld (BA-Statistik 17.7): ein Datum oder "
                              "„unbegrenzt“.", "gueltigkeit_pflichtfelder"))
    return befunde


def regel_gueltig_bis_nicht_vor_ab(plan: Kooperationsplan) -> list[Befund]:
    if isinstance(plan.gueltig_bis, date) and plan.gueltig_ab and plan.gueltig_bis < plan.gueltig_ab:
        return [Befund("gueltig_bis", f"„gültig bis“ ({format_datum(plan.gueltig_bis)}) liegt vor „gültig ab“ "
                       f"({format_datum(plan.gueltig_ab)}).", "gueltig_bis_nicht_vor_ab")]
    return []


def regel_aufforderung_tag_und_frist(plan: Kooperationsplan) -> list[Befund]:
    """§3.2: "Die Felder Tag der Aufforderung und Frist zur Erledigung sind auszufüllen" – always
    with "nur Aufforderung", otherwise as soon as any Aufforderung field is used."""
    benutzt = plan.status is Status.NUR_AUFFORDERUNG or any(
        (plan.tag_der_aufforderung, plan.frist_zur_erledigung, plan.schritte.strip()))
    if not benutzt:
        return []
    befunde = []
    if plan.tag_der_aufforderung is None:
        befunde.append(Befund("tag_der_aufforderung", "„Tag der Aufforderung“ ist auszufüllen.",
                              "aufforderung_tag_und_frist"))
    if plan.frist_zur_erledigung is None:
        befunde.append(Befund("frist_zur_erledigung", "„Frist zur Erledigung“ ist auszufüllen.",
                              "aufforderung_tag_und_frist"))
    return befunde


def regel_frist_nach_tag(plan: Kooperationsplan) -> list[Befund]:
    """§ 15 Abs. 5/6 SGB II (domain facts): the Frist must lie after the Tag der Aufforderung; the
    same day leaves the customer no time to act."""
    tag, frist = plan.tag_der_aufforderung, plan.frist_zur_erledigung
    if tag and frist and frist <= tag:
        wo = "ist derselbe Tag wie der" if frist == tag else "liegt vor dem"
        return [Befund("frist_zur_erledigung", f"„Frist zur Erledigung“ ({format_datum(frist)}) {wo} "
                       f"„Tag der Aufforderung“ ({format_datum(tag)}); sie muss danach liegen.", "frist_nach_tag")]
    return []


def regel_schlichtung_beginn_bei_ja(plan: Kooperationsplan) -> list[Befund]:
    if plan.schlichtung_notwendig is JaNein.JA and plan.schlichtung_beginn is None:
        return [Befund("schlichtung_beginn", "Schlichtungsverfahren notwendig = ja: „Beginn Schlichtungsverfahren“ "
                       "ist auszufüllen.", "schlichtung_beginn_bei_ja")]
    return []


def regel_schlichtung_nur_wenn_notwendig(plan: Kooperationsplan) -> list[Befund]:
    """§3.3 is worked top to bottom: dates of a Schlichtung need "notwendig? = ja" first."""
    if plan.schlichtung_notwendig is not JaNein.JA and (plan.schlichtung_beginn or plan.schlichtung_ergebnis):
        feld = "schlichtung_beginn" if plan.schlichtung_beginn else "schlichtung_ergebnis"
        return [Befund(feld, "Daten des Schlichtungsverfahrens nur mit „Schlichtungsverfahren notwendig?“ = ja.",
                       "schlichtung_nur_wenn_notwendig")]
    return []


def regel_schlichtung_ergebnis_nicht_vor_beginn(plan: Kooperationsplan) -> list[Befund]:
    beginn, ergebnis = plan.schlichtung_beginn, plan.schlichtung_ergebnis
    if ergebnis and beginn is None and plan.schlichtung_notwendig is JaNein.JA:
        return [Befund("schlichtung_ergebnis", "„Ergebnis“ ohne „Beginn Schlichtungsverfahren“.",
                       "schlichtung_ergebnis_nicht_vor_beginn")]
    if beginn and ergebnis and ergebnis < beginn:
        return [Befund("schlichtung_ergebnis", f"„Ergebnis“ ({format_datum(ergebnis)}) liegt vor dem Beginn "
                       f"({format_datum(beginn)}).", "schlichtung_ergebnis_nicht_vor_beginn")]
    return []


def regel_schlichtung_hoechstens_vier_wochen(plan: Kooperationsplan) -> list[Befund]:
    """§ 15a: ends at the latest four weeks after it began, no extension."""
    beginn, ende = plan.schlichtung_beginn, plan.schlichtung_max_ende
    if not (beginn and ende):
        return []
    if ende < beginn or ende > max_ende_fuer(beginn):
        return [Befund("schlichtung_max_ende", f"„max. Ende“ muss zwischen {format_datum(beginn)} und "
                       f"{format_datum(max_ende_fuer(beginn))} liegen (höchstens vier Wochen, § 15a SGB II).",
                       "schlichtung_hoechstens_vier_wochen")]
    return []


class ErgaenzungsEintrag(BaseModel):
    """One Ergänzung as the filed letter printed it: the archive shows what was demanded."""

    model_config = ConfigDict(frozen=True)

    name: str
    titel: str
    wert: str


class AblageEintrag(BaseModel):
    """One archived letter (ablage.py): what the archive list shows."""

    id: str = Field(default_factory=neue_id)
    vorlage: str
    """Template file name (catalogue key)."""
    titel: str
    plan_id: str
    datum: date
    """Date of the letter."""
    abgelegt_am: datetime
    benutzer: str
    datei: str
    pdf: str = ""
    ergaenzungen: list[ErgaenzungsEintrag] = Field(default_factory=list)
    """The values typed for the letter (§3.2 "manuell erforderliche Eingaben"), as printed."""


class HistorienEintrag(BaseModel):
    """Audit trail line: who (login name), when, what, old → new of the statistics fields."""

    zeit: datetime
    benutzer: str
    aktion: str
    plan_id: str = ""
    alt: dict[str, str] = Field(default_factory=dict)
    neu: dict[str, str] = Field(default_factory=dict)


_PYDANTIC_FEHLERARTEN = frozenset(get_args(core_schema.ErrorType))


def meldungen(fehler: ValidationError) -> dict[str, str]:
    """pydantic errors → {field: German message}; built-in error types get German words too."""
    uebersetzt = {
        "missing": "{feld} fehlt.",
        "enum": "{feld}: bitte einen Eintrag aus der Liste wählen.",
        "literal_error": "{feld}: bitte einen Eintrag aus der Liste wählen.",
        "int_parsing": "{feld}: hier wird eine Zahl erwartet.",
        "datetime_parsing": "{feld}: kein gültiger Zeitpunkt.",
        "datetime_type": "{feld}: kein gültiger Zeitpunkt.",
        "string_type": "{feld}: hier wird ein Text erwartet.",
    }
    ergebnis: dict[str, str] = {}
    for eintrag in fehler.errors(include_url=False):
        ort = next((str(teil) for teil in eintrag["loc"] if isinstance(teil, str)), None)
        if eintrag["type"] in ("kundennummer", "bg_nummer", "nachname", "geburtsdatum"):
            ort = eintrag["type"]
        feld = ort or "__root__"
        if eintrag["type"] in uebersetzt:
            text = uebersetzt[eintrag["type"]].format(feld=_feld(ort))
        elif eintrag["type"] == "value_error" and isinstance(eintrag.get("ctx", {}).get("error"), DatumFehler):
            text = f"{_feld(ort)}: {eintrag['ctx']['error']}"
        elif eintrag["type"] in _PYDANTIC_FEHLERARTEN:  # pydantic's own texts are English
            text = f"{_feld(ort)}: ungültige Eingabe." if ort else "Die Angaben haben nicht das erwartete Format."
        else:
            text = eintrag["msg"]
            if ort and not text.startswith(_feld(ort)):
                text = f"{_feld(ort)}: {text}"
        ergebnis.setdefault(feld, text)
    return ergebnis
