"""Read-only sweep over a whole data folder for the support tools (Prüfliste, pruefen, statistik).

Issue 7 wants 20,000 customers checked in ≤ 2 s. The Store validates every Akte with the full model,
whose Python validators alone cost about a second for 20,000 Akten. Here each file is read once and
only the plan fields that the checks and the statistics read are validated, inside pydantic-core, in
strict mode: stricter than the model, so these fields have the values the app would load. A file the
fast path refuses is read again the Store's way, so its reasons are the Store's (DateiDefekt) or the
model's (meldungen); a file that is fine there just took the slow path. Beyond JSON syntax, the fast
path does not check what the checks never read: the free texts and the history.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Union

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from kopl_tui import dateien
from kopl_tui.model import UNBEGRENZT, JaNein, Kooperationsplan, Status, meldungen
from kopl_tui.store import AtomicJSONStorage, DateiDefekt, Store, StoreFehler

if TYPE_CHECKING:
    from kopl_tui.pg_store import PgStore

Bestandsquelle = Union[Path, Store, "PgStore"]
"""What the sweep reads: a data folder, or a store (the folder's or a database's)."""


class PlanSicht(BaseModel):
    """The fields of a stored Kooperationsplan that checks and statistics read, nothing else.

    The derived values are the model's own code, borrowed, so a rule is written once; the model's
    ``regel_*`` functions and ``kopl_tui.regeln`` accept a PlanSicht like a Kooperationsplan.
    Read-only: to edit a plan, open the Akte (kopl_tui.akte).
    """

    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)

    id: str
    status: Status | None = None
    gueltig_ab: date | None = None
    gueltig_bis: date | Literal["unbegrenzt"] | None = UNBEGRENZT
    ueberprueft_am: date | None = None
    tag_der_aufforderung: date | None = None
    frist_zur_erledigung: date | None = None
    schlichtung_notwendig: JaNein | None = None
    schlichtung_beginn: date | None = None
    schlichtung_ergebnis: date | None = None
    einigung_erfolgt: JaNein | None = None
    angelegt_am: datetime | None = None

    ist_unbegrenzt = Kooperationsplan.ist_unbegrenzt
    ueberpruefung_faellig_am = Kooperationsplan.ueberpruefung_faellig_am
    ueberpruefung_ueberfaellig = Kooperationsplan.ueberpruefung_ueberfaellig


Plan = Union[PlanSicht, Kooperationsplan]


class _AkteDatei(TypedDict, total=False):
    plaene: dict[str, PlanSicht]


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
    daten = AtomicJSONStorage(store.kunden_datei).read() or {}
    namen: dict[str, str] = {}
    for doc in daten.get("kunden", {}).values():
        if isinstance(doc, dict) and isinstance(doc.get("kundennummer"), str):
            name = f"{doc.get('nachname') or ''}, {doc.get('vorname') or ''}".strip(", ")
            namen.setdefault(doc["kundennummer"].strip().upper(), name)
    return namen


def _akten_nummern(store: Store) -> set[str]:
    return {name[:-5] for name in dateien.namen(store.akten_dir) if name.endswith(".json") and not name.startswith(".")}


def _plaene_lesen(store: Store, ordner: str, ordner_fd: int | None, kundennummer: str) -> tuple[Plan, ...]:
    """Fast path first; on refusal the Store's own reading decides (and names the reason).
    ``ordner`` is the Akten folder as a string (20,000 pathlib joins alone cost 0.3 s), ``ordner_fd``
    that folder opened once (None: there is none)."""
    if ordner_fd is None:
        return ()
    pfad = f"{ordner}{os.sep}{kundennummer}.json"
    try:
        roh = dateien.lesen(pfad, ordner_fd=ordner_fd)  # never through a link; German errors
    except FileNotFoundError:
        return ()
    try:
        return tuple(_AKTE_SCHNELL.validate_json(roh).get("plaene", {}).values())
    except ValidationError:
        pass
    try:
        return tuple(store.akte_laden(kundennummer).plaene)
    except ValidationError as fehler:
        raise DateiDefekt(Path(pfad), "ungültige Angaben: " + " ".join(meldungen(fehler).values())) from None


def bestand_lesen(quelle: Bestandsquelle) -> Iterator[GeleseneAkte]:
    """Every customer of the index and every Akte file, by Kundennummer, each file read once.
    Never writes and never stops at a defective file: the defect is in the entry's ``fehler``.
    ``quelle``: a data folder or a store; a database reads its rows itself (``PgStore.bestand_lesen``)."""
    if hasattr(quelle, "bestand_lesen"):
        yield from quelle.bestand_lesen()
        return
    store = quelle if isinstance(quelle, Store) else Store(quelle)
    try:
        namen = _namen_aus_index(store)
    except DateiDefekt as fehler:
        namen = {}
        yield GeleseneAkte(kundennummer="", name="Kundenindex", im_index=False, fehler=fehler)
    ordner = str(store.akten_dir)
    with contextlib.ExitStack() as stapel:
        try:
            ordner_fd = stapel.enter_context(dateien.offener_ordner(store.akten_dir))
        except FileNotFoundError:
            ordner_fd = None
        for kundennummer in sorted(namen.keys() | _akten_nummern(store)):
            name = namen.get(kundennummer, "")
            try:
                plaene = _plaene_lesen(store, ordner, ordner_fd, kundennummer)
            except StoreFehler as fehler:
                yield GeleseneAkte(kundennummer, name, im_index=kundennummer in namen, fehler=fehler)
                continue
            yield GeleseneAkte(kundennummer, name, plaene, im_index=kundennummer in namen)
