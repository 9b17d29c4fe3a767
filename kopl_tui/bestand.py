"""Read-only sweep over a whole data folder for the support tools (Prüfliste, pruefen, statistik).

20,000 customers are to be checked in about two seconds (README, "Leistung"). The Store validates
every Akte with the full model, whose Python validators alone cost about a second for 20,000 Akten.
Here each file is read once (the raw readers of kopl_tui/datenordner.py) and only the plan fields
that the checks and the statistics read are validated, inside pydantic-core, in strict mode: the
model's own field types without its Python validators, so stricter than the model, and these fields
have the values the app would load. A file the fast path refuses is read again the Store's way, so
its reasons are the Store's (DateiDefekt) or the model's (meldungen); a file that is fine there just
took the slow path. Beyond JSON syntax, the fast path does not check what the checks never read:
the free texts and the history.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, create_model
from typing_extensions import TypedDict

from kopl_tui.datenordner import AktenLeser
from kopl_tui.model import Kooperationsplan, meldungen
from kopl_tui.store import DateiDefekt, Store, StoreFehler

SICHT_FELDER = ("id", "status", "gueltig_ab", "gueltig_bis", "ueberprueft_am", "tag_der_aufforderung",
                "frist_zur_erledigung", "schlichtung_notwendig", "schlichtung_beginn", "schlichtung_ergebnis",
                "einigung_erfolgt", "angelegt_am")
"""The fields of a stored Kooperationsplan that checks and statistics read, nothing else."""


class _Sicht(BaseModel):
    """Read-only: to edit a plan, open the Akte (kopl_tui.akte). The derived values are the
    model's own code, borrowed, so a rule is written once; the rules of kopl_tui.regeln accept a
    PlanSicht like a Kooperationsplan."""

    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)

    ist_unbegrenzt = Kooperationsplan.ist_unbegrenzt
    ueberpruefung_faellig_am = Kooperationsplan.ueberpruefung_faellig_am
    ueberpruefung_ueberfaellig = Kooperationsplan.ueberpruefung_ueberfaellig


def _sichtfeld(name: str) -> tuple[Any, Any]:
    """The model's field type (without its Python validators) and default; the id is required."""
    feld = Kooperationsplan.model_fields[name]
    return feld.annotation, (... if feld.default_factory is not None else feld.default)


PlanSicht: type[_Sicht] = create_model(  # type: ignore[call-overload]
    "PlanSicht", __base__=_Sicht, __module__=__name__, **{name: _sichtfeld(name) for name in SICHT_FELDER})
"""A stored plan as the sweep reads it: ``SICHT_FELDER`` with the model's types, strictly."""

Plan = Union[_Sicht, Kooperationsplan]


class _AkteDatei(TypedDict, total=False):
    plaene: dict[str, PlanSicht]  # type: ignore[valid-type]


_AKTE_SCHNELL = TypeAdapter(_AkteDatei)


@dataclass(frozen=True)
class GeleseneAkte:
    """One customer as the sweep found it. ``fehler`` set means the file could not be used (no plans
    then); ``im_index`` False means an Akte file without an entry in the customer index. The entry
    for a defective customer index itself has kundennummer "" and carries that file's fehler."""

    kundennummer: str
    name: str
    plaene: tuple[Plan, ...] = ()
    im_index: bool = True
    fehler: StoreFehler | None = None


def _namen_aus_index(store: Store) -> dict[str, str]:
    """Kundennummer → "Nachname, Vorname", read leniently: master data is checked by the import."""
    namen: dict[str, str] = {}
    for doc in store.ordner.kunden_dokumente().values():
        if isinstance(doc, dict) and isinstance(doc.get("kundennummer"), str):
            name = f"{doc.get('nachname') or ''}, {doc.get('vorname') or ''}".strip(", ")
            namen.setdefault(doc["kundennummer"].strip().upper(), name)
    return namen


def _plaene_lesen(store: Store, akten: AktenLeser, kundennummer: str) -> tuple[Plan, ...]:
    """Fast path first; on refusal the Store's own reading decides (and names the reason)."""
    roh = akten.roh(kundennummer)  # never through a link; German errors
    if roh is None:
        return ()
    try:
        return tuple(_AKTE_SCHNELL.validate_json(roh).get("plaene", {}).values())
    except ValidationError:
        pass
    try:
        return tuple(store.akte_laden(kundennummer).plaene)
    except ValidationError as fehler:
        raise DateiDefekt(Path(akten.pfad(kundennummer)), "ungültige Angaben: " + " ".join(meldungen(fehler).values())) from None


def bestand_lesen(store: Store | Path) -> Iterator[GeleseneAkte]:
    """Every customer of the index and every Akte file, by Kundennummer, each file read once.
    Never writes and never stops at a defective file: the defect is in the entry's ``fehler``.
    ``store``: a folder Store (``Store.bestand_lesen``), or the data folder's path."""
    if not isinstance(store, Store):
        store = Store(store)
    try:
        namen = _namen_aus_index(store)
    except DateiDefekt as fehler:
        namen = {}
        yield GeleseneAkte(kundennummer="", name="Kundenindex", im_index=False, fehler=fehler)
    with store.ordner.akten_lesen() as akten:
        for kundennummer in sorted(namen.keys() | set(store.ordner.akten_nummern())):
            name = namen.get(kundennummer, "")
            try:
                plaene = _plaene_lesen(store, akten, kundennummer)
            except StoreFehler as fehler:
                yield GeleseneAkte(kundennummer, name, im_index=kundennummer in namen, fehler=fehler)
                continue
            yield GeleseneAkte(kundennummer, name, plaene, im_index=kundennummer in namen)
