"""Which letter may go out for which plan: the guide's and the law's rules for letters, one function
each, named like its test. The document assistant and ``kopl-tui brief`` both get them through
``briefe.pruefen``; a refusal stops the letter, a warning is shown and the letter may still go out.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from kopl_tui.datum import format_datum
from kopl_tui.ergaenzungen import ErgaenzungsWert
from kopl_tui.model import FELDNAMEN, Kooperationsplan, Status

if TYPE_CHECKING:  # briefe imports this module
    from kopl_tui.briefe import Vorlage

# Statuses for which a Kooperationsplan exists that a letter may describe (§3.1).
PLAN_STATUS = (Status.EINVERSTAENDNIS, Status.IN_BEARBEITUNG)


def _status_text(plan: Kooperationsplan) -> str:
    return f"den Status „{plan.status.value}“" if plan.status else "keinen Status"


def regel_kooperationsplan_brief_nur_bei_plan(vorlage: Vorlage, plan: Kooperationsplan) -> list[str]:
    """A letter about the Kooperationsplan needs one that was agreed or is being drawn up (§3.1 status):
    never for "kein Einverständnis", "nur Aufforderung" or a plan without status."""
    if not vorlage.plan_noetig or plan.status in PLAN_STATUS:
        return []
    if plan.status is Status.NUR_AUFFORDERUNG:
        if vorlage.abschnitt.value == "aufforderung":
            return [f"Bei Status „{Status.NUR_AUFFORDERUNG.value}“ gibt es keinen Kooperationsplan: "
                    f"„{vorlage.titel}“ ist nicht möglich. Bitte eine Vorlage „… ohne Kooperationsplan“ wählen."]
        return [f"Bei Status „{Status.NUR_AUFFORDERUNG.value}“ gibt es keinen Kooperationsplan zu drucken."]
    if plan.status is Status.KEIN_EINVERSTAENDNIS:
        return [f"Bei Status „{Status.KEIN_EINVERSTAENDNIS.value}“ gibt es keinen gemeinsamen Kooperationsplan: "
                f"„{vorlage.titel}“ ist nicht möglich. In Frage kommen ein Schlichtungsverfahren (§ 15a SGB II) "
                "oder eine Aufforderung „… ohne Kooperationsplan“ (§ 15 Abs. 6 SGB II)."]
    return [f"Der Plan hat keinen Status: „{vorlage.titel}“ gibt es nur für einen Kooperationsplan mit Status "
            f"„{Status.EINVERSTAENDNIS.value}“ oder „{Status.IN_BEARBEITUNG.value}“. Bitte zuerst "
            f"„{FELDNAMEN['status']}“ wählen."]


def regel_rechtsfolgen_nur_bei_vereinbarten_schritten(vorlage: Vorlage, plan: Kooperationsplan) -> list[str]:
    """§ 15 Abs. 5 SGB II: an Aufforderung with Rechtsfolgen refers to a step of an agreed plan, so
    only for status "Einverständnis" with "Meine nächsten Schritte" filled in."""
    if not (vorlage.plan_noetig and vorlage.rechtsfolgenbelehrung):
        return []
    gruende = []
    if plan.status is not Status.EINVERSTAENDNIS:
        gruende.append(f"„{vorlage.titel}“ (§ 15 Abs. 5 SGB II) setzt einen gemeinsam vereinbarten Kooperationsplan "
                       f"voraus (Status „{Status.EINVERSTAENDNIS.value}“); dieser Plan hat {_status_text(plan)}.")
    if not plan.naechste_schritte.strip():
        gruende.append(f"„{vorlage.titel}“ bezieht sich auf einen vereinbarten Schritt, aber "
                       f"„{FELDNAMEN['naechste_schritte']}“ ist leer: bitte zuerst die Schritte im Plan festhalten.")
    return gruende


def regel_frist_nicht_vor_briefdatum(vorlage: Vorlage, plan: Kooperationsplan, datum: date,
                                     werte: Mapping[str, ErgaenzungsWert]) -> list[str]:
    """A letter cannot demand action by a day that has passed when it is written: neither the
    Frist zur Erledigung it names nor a date Ergänzung marked as a Frist (e.g. the Beginn)."""
    fristen: list[tuple[str, date]] = []
    if "frist_zur_erledigung" in vorlage.felder and plan.frist_zur_erledigung is not None:
        fristen.append((FELDNAMEN["frist_zur_erledigung"], plan.frist_zur_erledigung))
    for ergaenzung in vorlage.ergaenzungen:
        wert = werte.get(ergaenzung.name)
        if ergaenzung.frist and isinstance(wert, date):
            fristen.append((ergaenzung.titel, wert))
    return [f"„{titel}“ ({format_datum(tag)}) liegt vor dem Datum des Schreibens ({format_datum(datum)}): "
            "bitte einen späteren Tag setzen." for titel, tag in fristen if tag < datum]


def regel_ueberpruefung_nicht_verstrichen(vorlage: Vorlage, plan: Kooperationsplan, datum: date) -> list[str]:
    """A warning, not a refusal (§ 15 Abs. 3 SGB II): the letter names a review date that has passed."""
    faellig = plan.ueberpruefung_faellig_am
    if "ueberpruefung_faellig_am" not in vorlage.felder or faellig is None or faellig >= datum:
        return []
    return [f"Warnung: Die Überprüfung dieses Kooperationsplans war spätestens am {format_datum(faellig)} fällig; "
            "der Brief nennt diesen vergangenen Tag. Bitte den Plan gemeinsam überprüfen und „zuletzt gemeinsam "
            "überprüft am“ eintragen (oder die Fortschreibung drucken)."]
