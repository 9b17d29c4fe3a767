"""Every guide and plausibility rule in one table (``REGELN``), and the rules across all plans of
one customer (§3.1 BA-Statistik-Regel, §5 Fallübersicht) and those that need a reference day.

Each rule has a name, which is also the name of its function (``regel_<name>``, except the BA rule
``ba_regel_verstoesse``) and of its tests (``test_<name>…``), so grep finds all three. Where the
function lives follows what it reads: one plan's or customer's fields in kopl_tui/model.py (the
model's input rules), a letter in kopl_tui/briefregeln.py, everything else here. Who applies a rule
follows from its ``art``: ``Kooperationsplan.befunde``/``Kunde.befunde`` (Übernehmen, import),
``Kundenakte.speichern`` (final save), ``pruefung.pruefen`` (``kopl-tui pruefen`` and the
Prüfliste, in ``pruefliste`` order), ``briefe.pruefen`` (the document assistant and
``kopl-tui brief``) and the mask's print button (``regel_speichern_vor_drucken``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from kopl_tui import briefregeln
from kopl_tui import model as m
from kopl_tui.datum import format_datum, vortag
from kopl_tui.model import UNBEGRENZT, Kooperationsplan, Status, max_ende_fuer

BA_REGEL_GRUND = "BA-Statistik-Regel: es darf nur einen unbegrenzt gültigen Kooperationsplan geben."


def sortiert_neueste_zuerst(plaene: Iterable[Kooperationsplan]) -> list[Kooperationsplan]:
    """Overview order: newest first by gültig ab, then Tag der Aufforderung, then creation."""
    def schluessel(plan: Kooperationsplan) -> tuple[date, date, str]:
        beginn = plan.gueltig_ab or plan.tag_der_aufforderung or plan.schlichtung_beginn or date.min
        angelegt = plan.angelegt_am.isoformat() if plan.angelegt_am else ""
        return (beginn, plan.tag_der_aufforderung or date.min, angelegt)

    return sorted(plaene, key=schluessel, reverse=True)


def ba_regel_verstoesse(plaene: Iterable[Kooperationsplan]) -> list[Kooperationsplan]:
    """§3.1 BA-Statistik-Regel: the offending plans (all unbegrenzt ones) when there are two or more."""
    unbegrenzt = [plan for plan in plaene if plan.ist_unbegrenzt]
    return sortiert_neueste_zuerst(unbegrenzt) if len(unbegrenzt) > 1 else []


@dataclass(frozen=True)
class Beendigungsvorschlag:
    """End an older unbegrenzt plan the day before the newer one starts (§3.1: by hand, proposed)."""

    plan_id: str
    gueltig_ab: date | None
    neues_gueltig_bis: date

    def text(self) -> str:
        return (f"Kooperationsplan ab {format_datum(self.gueltig_ab, '(ohne Datum)')} endet am "
                f"{format_datum(self.neues_gueltig_bis)} statt „unbegrenzt“.")


def vorschlag_aeltere_beenden(plaene: Iterable[Kooperationsplan], neuer: Kooperationsplan) -> list[Beendigungsvorschlag]:
    """For a newly applied unbegrenzt plan: every other unbegrenzt plan that starts earlier is to end
    the day before the new one starts. Plans without start date or starting later are left to the user."""
    if not neuer.ist_unbegrenzt or neuer.gueltig_ab is None:
        return []
    ende = vortag(neuer.gueltig_ab)
    return [
        Beendigungsvorschlag(plan.id, plan.gueltig_ab, ende)
        for plan in plaene
        if plan.id != neuer.id and plan.ist_unbegrenzt and (plan.gueltig_ab is None or plan.gueltig_ab <= ende)
    ]


def aktueller_plan(plaene: Iterable[Kooperationsplan], stichtag: date) -> Kooperationsplan | None:
    """§5 Fallübersicht: the current Kooperationsplan (not an Aufforderung or Schlichtung) on a day:
    valid on the day; among several, the one that started last."""
    gueltige = [
        plan for plan in plaene
        if plan.status is not Status.NUR_AUFFORDERUNG and plan.gueltig_ab and plan.gueltig_ab <= stichtag
        and (plan.gueltig_bis == UNBEGRENZT or (isinstance(plan.gueltig_bis, date) and plan.gueltig_bis >= stichtag))
    ]
    return sortiert_neueste_zuerst(gueltige)[0] if gueltige else None


# ---- rules that need a reference day (Stichtag) --------------------------------------------------

def regel_schlichtung_ohne_ergebnis(plan: Kooperationsplan, stichtag: date) -> str | None:
    """§ 15a SGB II: a Schlichtung ends at the latest four weeks after it began; past that without
    an Ergebnis the Akte is incomplete."""
    beginn = plan.schlichtung_beginn
    if beginn and plan.schlichtung_ergebnis is None and max_ende_fuer(beginn) < stichtag:
        return (f"Schlichtungsverfahren seit {format_datum(beginn)} ohne „Ergebnis“; es endete spätestens am "
                f"{format_datum(max_ende_fuer(beginn))} (vier Wochen, § 15a SGB II). Bitte „Ergebnis“ und "
                "„Einigung erfolgt?“ eintragen.")
    return None


def regel_ueberpruefung_ueberfaellig(plan: Kooperationsplan, stichtag: date) -> str | None:
    """§ 15 Abs. 3 SGB II: reviewed at the latest six months after gültig ab or the last review."""
    if not plan.ueberpruefung_ueberfaellig(stichtag):
        return None
    basis = (f"der letzten Überprüfung am {format_datum(plan.ueberprueft_am)}" if plan.ueberprueft_am
             else f"„gültig ab“ {format_datum(plan.gueltig_ab)}")
    return (f"Überprüfung war spätestens am {format_datum(plan.ueberpruefung_faellig_am)} fällig "
            f"(sechs Monate nach {basis}, § 15 Abs. 3 SGB II).")


# ---- save before printing ----------------------------------------------------------------------------

def regel_speichern_vor_drucken(*, neuer_plan: bool, eingaben_offen: bool, akte_ungespeichert: bool) -> str:
    """§3.1: before a plan is printed it is saved (a letter shows what the Akte holds). Why printing
    must save first, as a German sentence; "" when all is saved."""
    if neuer_plan:
        return "Der neue Kooperationsplan ist noch nicht übernommen und gespeichert."
    if eingaben_offen:
        return "Die Maske enthält Eingaben, die noch nicht übernommen sind."
    if akte_ungespeichert:
        return "Die Kundenakte hat ungespeicherte Änderungen."
    return ""


# ---- the table --------------------------------------------------------------------------------------------

class Art(StrEnum):
    """What a rule looks at, and so who applies it."""

    PLAN = "plan"
    """One plan's fields, f(plan) → [Befund]; refuses Übernehmen (``Kooperationsplan.befunde``).
    ``status_pflichtfeld`` also gets the plan as the Akte holds it."""
    PLAN_BEFUND = "plan_befund"
    """One plan's fields, f(plan) → [Befund]; a finding for the Prüfliste, never a refusal."""
    HINWEIS = "hinweis"
    """One plan, f(plan) → str: a hint shown at the field, never a refusal."""
    KUNDE = "kunde"
    """Master data, f(kunde) → [Befund]; refuses the import and the Stammdaten screen."""
    AKTE = "akte"
    """All plans of one customer, f(plans) → offending plans; refuses the final save."""
    STICHTAG = "stichtag"
    """One plan on a reference day, f(plan, day) → message or None; Prüfliste only."""
    BESTAND = "bestand"
    """Found by the sweep itself (no function): a file or index entry, not a plan."""
    BRIEF_PLAN = "brief_plan"
    """Whether a letter fits the plan at all, f(vorlage, plan) → [message]; refuses the letter."""
    BRIEF = "brief"
    """A letter's dates, f(vorlage, plan, datum, werte) → [message]; refuses the letter."""
    BRIEF_WARNUNG = "brief_warnung"
    """A letter for a plan, f(vorlage, plan, datum) → [message]; warns, the letter may go out."""
    DRUCKEN = "drucken"
    """The print button: why it must save first."""


@dataclass(frozen=True)
class Regel:
    name: str
    funktion: Callable[..., Any] | None
    titel: str
    """Short German title (Prüfliste legend and filter)."""
    abschnitt: str
    """Where the rule comes from: the guide's section (§3.1 …) or the law."""
    art: Art
    pruefliste: int | None = None
    """Position in the Prüfliste (the order findings of one plan are listed in); None: not listed."""


REGELN: tuple[Regel, ...] = (
    # one plan, in the order Übernehmen lists its findings
    Regel("status_pflichtfeld", m.regel_status_pflichtfeld, "„Status Kooperationsplan“ fehlt",
          "Anleitung §3.1", Art.PLAN),
    Regel("nur_aufforderung_sperrt_gueltigkeit", m.regel_nur_aufforderung_sperrt_gueltigkeit,
          "„nur Aufforderung“ mit Gültigkeitsangaben", "Anleitung §3.1 (grauer Kasten)", Art.PLAN, pruefliste=6),
    Regel("gueltigkeit_pflichtfelder", m.regel_gueltigkeit_pflichtfelder, "„gültig ab“ oder „gültig bis“ fehlt",
          "Anleitung §3.1 (BA-Statistik 17.6, 17.7)", Art.PLAN),
    Regel("gueltig_bis_nicht_vor_ab", m.regel_gueltig_bis_nicht_vor_ab, "„gültig bis“ liegt vor „gültig ab“",
          "Anleitung §3.1", Art.PLAN, pruefliste=2),
    Regel("aufforderung_tag_und_frist", m.regel_aufforderung_tag_und_frist,
          "„Tag der Aufforderung“ oder „Frist zur Erledigung“ fehlt", "Anleitung §3.2", Art.PLAN),
    Regel("frist_nach_tag", m.regel_frist_nach_tag, "„Frist zur Erledigung“ nicht nach dem „Tag der Aufforderung“",
          "Anleitung §3.2; § 15 Abs. 5, 6 SGB II", Art.PLAN, pruefliste=3),
    Regel("schlichtung_nur_wenn_notwendig", m.regel_schlichtung_nur_wenn_notwendig,
          "Daten einer Schlichtung ohne „Schlichtungsverfahren notwendig? = ja“", "Anleitung §3.3", Art.PLAN),
    Regel("schlichtung_beginn_bei_ja", m.regel_schlichtung_beginn_bei_ja,
          "„Beginn Schlichtungsverfahren“ fehlt", "Anleitung §3.3", Art.PLAN),
    Regel("schlichtung_ergebnis_nicht_vor_beginn", m.regel_schlichtung_ergebnis_nicht_vor_beginn,
          "„Ergebnis“ vor dem Beginn der Schlichtung", "Anleitung §3.3", Art.PLAN),
    Regel("schlichtung_hoechstens_vier_wochen", m.regel_schlichtung_hoechstens_vier_wochen,
          "„max. Ende“ mehr als vier Wochen nach Beginn", "Anleitung §3.3; § 15a SGB II", Art.PLAN),
    Regel("plan_ohne_status", m.regel_plan_ohne_status, "Plan ohne Status", "Anleitung §2, §3.1",
          Art.PLAN_BEFUND, pruefliste=7),
    Regel("neuer_plan_unbegrenzt", m.hinweis_neuer_plan_unbegrenzt, "Neuer Plan nicht „unbegrenzt“",
          "Anleitung §3.1 (grauer Kasten)", Art.HINWEIS),
    # master data
    Regel("anschrift_vollstaendig", m.regel_anschrift_vollstaendig, "Anschrift unvollständig",
          "Briefe: Anschrift im Fensterumschlag", Art.KUNDE),
    Regel("ort_ohne_plz", m.regel_ort_ohne_plz, "PLZ im Feld „Ort“", "Briefe: Anschrift im Fensterumschlag",
          Art.KUNDE),
    # all plans of a customer
    Regel("ba_statistik_regel", ba_regel_verstoesse, "BA-Statistik-Regel: mehr als ein unbegrenzter Kooperationsplan",
          "Anleitung §3.1", Art.AKTE, pruefliste=1),
    # on a reference day
    Regel("schlichtung_ohne_ergebnis", regel_schlichtung_ohne_ergebnis,
          "Schlichtungsverfahren nach vier Wochen ohne Ergebnis", "Anleitung §3.3; § 15a SGB II", Art.STICHTAG,
          pruefliste=4),
    Regel("ueberpruefung_ueberfaellig", regel_ueberpruefung_ueberfaellig,
          "Überprüfung des Kooperationsplans überfällig", "§ 15 Abs. 3 SGB II", Art.STICHTAG, pruefliste=5),
    # the sweep
    Regel("akte_ohne_kunde", None, "Akte ohne Eintrag im Kundenindex", "README, Support", Art.BESTAND, pruefliste=8),
    Regel("datei_unlesbar", None, "Datei nicht lesbar", "README, Support", Art.BESTAND, pruefliste=9),
    # letters
    Regel("kooperationsplan_brief_nur_bei_plan", briefregeln.regel_kooperationsplan_brief_nur_bei_plan,
          "Brief zum Kooperationsplan ohne Kooperationsplan", "Anleitung §3.1 (Status)", Art.BRIEF_PLAN),
    Regel("rechtsfolgen_nur_bei_vereinbarten_schritten", briefregeln.regel_rechtsfolgen_nur_bei_vereinbarten_schritten,
          "Rechtsfolgenbelehrung ohne vereinbarte Schritte", "§ 15 Abs. 5 SGB II", Art.BRIEF_PLAN),
    Regel("frist_nicht_vor_briefdatum", briefregeln.regel_frist_nicht_vor_briefdatum,
          "Frist vor dem Datum des Schreibens", "Anleitung §3.2", Art.BRIEF),
    Regel("ueberpruefung_nicht_verstrichen", briefregeln.regel_ueberpruefung_nicht_verstrichen,
          "Brief nennt eine verstrichene Überprüfung", "§ 15 Abs. 3 SGB II", Art.BRIEF_WARNUNG),
    # printing
    Regel("speichern_vor_drucken", regel_speichern_vor_drucken, "Vor dem Drucken speichern", "Anleitung §3.1",
          Art.DRUCKEN),
)
REGEL: dict[str, Regel] = {regel.name: regel for regel in REGELN}


def regeln(art: Art) -> list[Regel]:
    """The rules of one kind, in table order."""
    return [regel for regel in REGELN if regel.art is art]


def pruefliste_regeln() -> list[Regel]:
    """The rules whose findings the Prüfliste lists, in its order."""
    return sorted((r for r in REGELN if r.pruefliste is not None), key=lambda r: r.pruefliste or 0)


def plan_befunde(plan: Kooperationsplan, vorher: Kooperationsplan | None = None) -> list[m.Befund]:
    """Every Übernehmen rule this plan breaks (``Art.PLAN``); ``vorher``: the plan as the Akte holds it."""
    befunde: list[m.Befund] = []
    for regel in regeln(Art.PLAN):
        assert regel.funktion is not None
        befunde += regel.funktion(plan, vorher) if regel.name == "status_pflichtfeld" else regel.funktion(plan)
    return befunde


def kunde_befunde(kunde: m.Kunde) -> list[m.Befund]:
    """Every input rule for master data this customer breaks (``Art.KUNDE``)."""
    return [befund for regel in regeln(Art.KUNDE) if regel.funktion for befund in regel.funktion(kunde)]
