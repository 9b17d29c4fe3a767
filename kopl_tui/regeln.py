"""The guide's rules across all plans of one customer (§3.1 BA-Statistik-Regel, §5 Fallübersicht)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kopl_tui.datum import format_datum, vortag
from kopl_tui.model import UNBEGRENZT, Kooperationsplan, Status

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
