"""The open Kundenakte: the one object the screens talk to.

Two levels of pending work, as in OPEN/PROSOZ: a change is first *applied* to the working copy
("Übernehmen", deletion marks included, guide §4), and only the final save ("Speichern", the disk
symbol, guide §5) writes the whole Akte to the store, refused while the BA-statistics rule is broken.
Corrected master data of the customer (the Stammdaten screen) are applied and saved the same way:
``kunde`` is the working copy, the final save writes it with the plans (store.py says in which order).
Opening goes through ``akte_oeffnen``: with the edit lock held, or read-only while someone else
edits it (the lock itself lives in sperre.py, which knows nothing of the Akte; the store offers it).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import date
from typing import Any, Protocol, TypeVar

from pydantic import ValidationError

from kopl_tui.datum import format_datum, jetzt
from kopl_tui.model import (
    STAMMDATEN_FELDER,
    Befund,
    HistorienEintrag,
    Kooperationsplan,
    Kunde,
    RegelVerletzung,
    meldungen,
    regel_gueltig_bis_nicht_vor_ab,
)
from kopl_tui.regeln import (
    BA_REGEL_GRUND,
    Beendigungsvorschlag,
    aktueller_plan,
    ba_regel_verstoesse,
    sortiert_neueste_zuerst,
    vorschlag_aeltere_beenden,
)
from kopl_tui.sperre import FremdeSperre, SperreEntzogen
from kopl_tui.speicher import Speicher
from kopl_tui.store import AkteStand, StammdatenAenderung, StoreFehler


class BaRegelVerletzt(Exception):
    """Final save refused: more than one unbegrenzt plan (guide §3.1)."""

    def __init__(self, plaene: list[Kooperationsplan]):
        self.plaene = plaene
        liste = "; ".join(f"{plan.status or 'ohne Status'}, gültig ab {format_datum(plan.gueltig_ab, '–')} "
                          f"bis Unbegrenzt" for plan in plaene)
        super().__init__(f"Speichern nicht möglich. {BA_REGEL_GRUND} Betroffen: {liste}. "
                         "Bitte das „gültig bis“ des älteren Plans setzen.")


class NurLesen(Exception):
    """A change was attempted in an Akte opened read-only: nothing changed."""

    def __init__(self, grund: str = ""):
        self.grund = grund
        super().__init__(" ".join(filter(None, (grund, "Die Akte ist nur zum Ansehen geöffnet; "
                                                     "Änderungen sind nicht möglich."))))


class SperreVerloren(NurLesen):
    """The final save found that this session no longer holds the Akte's edit lock (support lifted
    it, a training room was reset): nothing was written, and the Akte is read-only from now on."""

    def __init__(self, grund: str):
        self.grund = grund
        Exception.__init__(self, f"{grund} Ihre Änderungen wurden nicht gespeichert; die Akte ist jetzt nur "
                                 "zum Ansehen geöffnet und zeigt den gespeicherten Stand.")


class _Freigebbar(Protocol):
    def freigeben(self) -> None: ...

    def gesichert(self) -> AbstractContextManager[None]:
        """Held around the final save: raises ``SperreEntzogen`` unless the lock is still this session's."""


_M = TypeVar("_M", bound=Callable[..., Any])


def _schreibend(methode: _M) -> _M:
    """Marks the methods that change the Akte; a read-only Akte refuses them."""

    @functools.wraps(methode)
    def pruefen(self: Kundenakte, *args: Any, **kwargs: Any) -> Any:
        if self.schreibgeschuetzt:
            raise NurLesen(self.grund)
        return methode(self, *args, **kwargs)

    return pruefen  # type: ignore[return-value]


class Kundenakte:
    """Working copy of one customer's plans with pending changes."""

    def __init__(self, store: Speicher, kunde: Kunde, benutzer: str, stand: AkteStand, *,
                 schreibgeschuetzt: bool = False, grund: str = ""):
        self.store, self.benutzer = store, benutzer
        self.kunde = kunde
        """The customer's master data with applied, not yet saved corrections (``kunde_uebernehmen``)."""
        self._kunde_gespeichert = kunde
        self._stand = stand
        self._plaene: dict[str, Kooperationsplan] = {p.id: p for p in stand.plaene}
        self._loeschmarken: set[str] = set()
        self._historie_neu: list[HistorienEintrag] = []
        self.schreibgeschuetzt, self.grund = schreibgeschuetzt, grund
        self.sperre: _Freigebbar | None = None  # the edit lock this Akte holds (sperre.akte_oeffnen)

    @classmethod
    def oeffnen(cls, store: Speicher, kunde: Kunde, benutzer: str, *, schreibgeschuetzt: bool = False,
                grund: str = "") -> Kundenakte:
        """Load the Akte; ``schreibgeschuetzt`` opens it for viewing only (``grund`` says why)."""
        stand = store.akte_laden(kunde.kundennummer)
        if stand.stammdaten_offen:  # a change of master data left half way: carried over now
            stand, kunde = cls._nachgetragen(store, kunde, stand)
        return cls(store, kunde, benutzer, stand, schreibgeschuetzt=schreibgeschuetzt, grund=grund)

    @staticmethod
    def _nachgetragen(store: Speicher, kunde: Kunde, stand: AkteStand) -> tuple[AkteStand, Kunde]:
        """Settle the note (store.py); while kunden.json is busy (another save right now) it stays
        for the next opening, and the customer shows as the index has it."""
        try:
            store.stammdaten_nachtragen(kunde.kundennummer, wartezeit=0)
        except StoreFehler:
            return stand, kunde
        return store.akte_laden(kunde.kundennummer), store.kunde(kunde.kundennummer) or kunde

    # ---- reading ---------------------------------------------------------
    @property
    def version(self) -> int:
        return self._stand.version

    @property
    def plaene(self) -> list[Kooperationsplan]:
        """The applied plans, newest first, rows marked for deletion included (shown as deleted)."""
        return sortiert_neueste_zuerst(self._plaene.values())

    @property
    def historie(self) -> list[HistorienEintrag]:
        """The committed audit trail as stored now (others' notes, letters included) plus the
        entries of applied, not yet saved changes."""
        eintrag = self._stammdaten_eintrag(self._stammdaten_aenderung())
        return [*self.store.historie(self.kunde.kundennummer), *self._historie_neu, *([eintrag] if eintrag else [])]

    def hat_plan(self, plan_id: str) -> bool:
        """Whether ``plan_id`` is a plan of this Akte (a screen's row may still be another Akte's)."""
        return plan_id in self._plaene

    def plan(self, plan_id: str) -> Kooperationsplan:
        """A copy to edit in the mask; the Akte changes only when it is applied."""
        return self._plaene[plan_id].model_copy(deep=True)

    def ist_loeschmarkiert(self, plan_id: str) -> bool:
        return plan_id in self._loeschmarken

    @property
    def hat_loeschmarken(self) -> bool:
        return bool(self._loeschmarken)

    @property
    def ungespeichert(self) -> bool:
        """Applied changes that the final save has not written yet."""
        gespeichert = {p.id: p for p in self._stand.plaene}
        return gespeichert != self._plaene or self.stammdaten_ungespeichert

    @property
    def stammdaten_nachzutragen(self) -> bool:
        """Saved master data that kunden.json does not hold yet (it could not be written just then);
        carried over when the Akte is next opened (store.py)."""
        return self._stand.stammdaten_offen

    @property
    def stammdaten_ungespeichert(self) -> bool:
        """Corrected master data applied, not yet saved."""
        return self.kunde != self._kunde_gespeichert

    def ba_verstoesse(self) -> list[Kooperationsplan]:
        """Offending plans as the overview shows them: rows marked for deletion no longer count."""
        return ba_regel_verstoesse(p for p in self._plaene.values() if p.id not in self._loeschmarken)

    def aktueller_plan(self, stichtag: date | None = None) -> Kooperationsplan | None:
        return aktueller_plan(self._plaene.values(), stichtag or date.today())

    # ---- applying (Übernehmen) ----------------------------------------------
    def neuer_plan(self) -> Kooperationsplan:
        """An empty mask (§3): nothing is in the Akte until it is applied."""
        return Kooperationsplan()

    @_schreibend
    def uebernehmen(self, plan: Kooperationsplan) -> list[Beendigungsvorschlag]:
        """Apply a plan from the mask. Refused with the guide's messages when a rule is broken;
        returns the proposals to end older unbegrenzt plans (§3.1) for the caller to offer."""
        geprueft = Kooperationsplan.model_validate(plan.model_dump())
        befunde = geprueft.befunde(vorher=self._plaene.get(geprueft.id))
        if befunde:
            raise RegelVerletzung(befunde)
        self._setzen(geprueft)
        return vorschlag_aeltere_beenden(self._plaene.values(), self._plaene[geprueft.id])

    @_schreibend
    def vorschlaege_anwenden(self, vorschlaege: list[Beendigungsvorschlag]) -> None:
        """The user accepted ending the older unbegrenzt plans the day before the new one. Only
        gültig bis changes: a migrated plan without status (guide §2) need not be completed first."""
        for vorschlag in vorschlaege:
            plan = self.plan(vorschlag.plan_id)
            plan.gueltig_bis = vorschlag.neues_gueltig_bis
            befunde = regel_gueltig_bis_nicht_vor_ab(plan)
            if befunde:
                raise RegelVerletzung(befunde)
            self._setzen(plan)

    def _setzen(self, plan: Kooperationsplan) -> None:
        alt = self._plaene.get(plan.id)
        ohne_verwaltung = {"geaendert_am", "geaendert_von", "version"}
        if alt is not None and alt.model_dump(exclude=ohne_verwaltung) == plan.model_dump(exclude=ohne_verwaltung):
            return
        zeit = jetzt()
        if alt is None:
            plan.angelegt_am, plan.angelegt_von = zeit, self.benutzer
        plan.geaendert_am, plan.geaendert_von = zeit, self.benutzer
        plan.version = (alt.version if alt else 0) + 1
        self._plaene[plan.id] = plan
        self._protokoll("angelegt" if alt is None else "geändert", plan, alt)

    # ---- master data (Stammdaten screen) --------------------------------------
    @_schreibend
    def kunde_uebernehmen(self, werte: dict[str, str]) -> None:
        """Apply corrected master data (only ``STAMMDATEN_FELDER``), as typed. Refused with a
        ``RegelVerletzung`` whose findings name the fields (type errors and input rules alike)."""
        fremd = set(werte) - set(STAMMDATEN_FELDER)
        if fremd:
            raise ValueError(f"Nur Stammdaten können hier geändert werden, nicht {sorted(fremd)}.")
        try:
            kunde = Kunde.model_validate({**self.kunde.model_dump(), **werte})
        except ValidationError as fehler:
            raise RegelVerletzung([Befund(feld, text, "typ") for feld, text in meldungen(fehler).items()]) from None
        befunde = kunde.befunde()
        if befunde:
            raise RegelVerletzung(befunde)
        self.kunde = kunde

    def _stammdaten_aenderung(self) -> StammdatenAenderung | None:
        if self.kunde is self._kunde_gespeichert:  # nothing applied since the last save
            return None
        return StammdatenAenderung.zwischen(self._kunde_gespeichert, self.kunde, STAMMDATEN_FELDER)

    def _stammdaten_eintrag(self, aenderung: StammdatenAenderung | None) -> HistorienEintrag | None:
        """The history entry of the applied corrections: old → new of each changed field."""
        if aenderung is None:
            return None
        felder = list(aenderung.neu)
        return HistorienEintrag(zeit=jetzt(), benutzer=self.benutzer, aktion="Stammdaten geändert",
                                alt=self._kunde_gespeichert.anzeigewerte(felder), neu=self.kunde.anzeigewerte(felder))

    # ---- deletion (§4) ------------------------------------------------------
    @_schreibend
    def loeschen_markieren(self, plan_id: str) -> None:
        """The row is "deleted" at once, but only marked until Übernehmen."""
        if plan_id in self._plaene:
            self._loeschmarken.add(plan_id)

    @_schreibend
    def loeschmarken_uebernehmen(self) -> None:
        for plan_id in sorted(self._loeschmarken):
            alt = self._plaene.pop(plan_id)
            self._protokoll("gelöscht", None, alt)
        self._loeschmarken.clear()

    def loeschmarken_verwerfen(self) -> None:
        self._loeschmarken.clear()

    # ---- final save (§5) and discard ----------------------------------------
    @_schreibend
    def speichern(self) -> None:
        """Write every applied change at once; refused while the BA rule is broken or when someone
        else saved this Akte (or changed the corrected master data) meanwhile: then nothing is written."""
        verstoesse = ba_regel_verstoesse(self._plaene.values())
        if verstoesse:
            raise BaRegelVerletzt(verstoesse)
        stammdaten = self._stammdaten_aenderung()
        stammdaten_eintrag = self._stammdaten_eintrag(stammdaten)
        eintraege = [*self._historie_neu, *([stammdaten_eintrag] if stammdaten_eintrag else []),
                     HistorienEintrag(zeit=jetzt(), benutzer=self.benutzer, aktion="gespeichert")]
        try:
            with self._sperre_gesichert():  # on a database the save commits when this block is left
                stand = self.store.akte_speichern(self.kunde.kundennummer, list(self._plaene.values()),
                                                  self._stand.version, self.benutzer, eintraege,
                                                  stammdaten=stammdaten)
            self._stand = stand
        except SperreEntzogen as entzogen:
            self._nur_noch_lesen(entzogen.grund)
            raise SperreVerloren(entzogen.grund) from None
        self._plaene = {p.id: p for p in self._stand.plaene}
        self._kunde_gespeichert = self.kunde
        self._historie_neu = []

    def _sperre_gesichert(self) -> AbstractContextManager[None]:
        """The edit lock, checked and held while the save writes; an Akte opened without one (support
        scripts, tests) relies on the version check alone."""
        return self.sperre.gesichert() if self.sperre is not None else nullcontext()

    def _nur_noch_lesen(self, grund: str) -> None:
        """The lock is someone else's now: never write again, show what is stored."""
        self.schreibgeschuetzt, self.grund, self.sperre = True, grund, None
        try:
            self.neu_laden()
        except StoreFehler:
            self.alles_verwerfen()  # the stored state cannot be read right now: at least drop the changes

    def alles_verwerfen(self) -> None:
        """Back to the saved state: applied changes and marks are dropped."""
        self._plaene = {p.id: p for p in self._stand.plaene}
        self.kunde = self._kunde_gespeichert
        self._loeschmarken.clear()
        self._historie_neu = []

    def neu_laden(self) -> None:
        """After a version conflict: take the stored state (own unsaved changes are dropped). A lock
        lost meanwhile makes the Akte read-only, as at the final save."""
        stand = self.store.akte_laden(self.kunde.kundennummer)
        kunde = self.store.kunde(self.kunde.kundennummer) or self._kunde_gespeichert
        if stand.stammdaten_offen:
            stand, kunde = self._nachgetragen(self.store, kunde, stand)
        self._stand, self._kunde_gespeichert = stand, kunde
        self.alles_verwerfen()
        if self.sperre is not None:
            try:
                with self.sperre.gesichert():
                    pass
            except SperreEntzogen as entzogen:
                self.schreibgeschuetzt, self.grund, self.sperre = True, entzogen.grund, None

    def schliessen(self) -> None:
        """Closing the Akte gives its edit lock back (unsaved changes are the caller's to ask about)."""
        if self.sperre is not None:
            self.sperre.freigeben()
            self.sperre = None

    def __enter__(self) -> Kundenakte:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.schliessen()

    def _protokoll(self, aktion: str, neu: Kooperationsplan | None, alt: Kooperationsplan | None) -> None:
        plan = neu or alt
        assert plan is not None
        self._historie_neu.append(HistorienEintrag(
            zeit=jetzt(), benutzer=self.benutzer, aktion=f"Kooperationsplan {aktion}", plan_id=plan.id,
            alt=alt.statistik_felder() if alt else {}, neu=neu.statistik_felder() if neu else {}))


def akte_oeffnen(store: Speicher, kunde: Kunde, benutzer: str) -> Kundenakte:
    """What the app calls to open an Akte: for editing with the lock held (``akte.sperre``), or,
    when someone else edits it, read-only (``akte.schreibgeschuetzt``; ``akte.grund`` is the
    message "Akte wird bearbeitet von … seit …"). ``akte.schliessen()`` gives the lock back."""
    ergebnis = store.sperre_nehmen(kunde.kundennummer, benutzer)
    if isinstance(ergebnis, FremdeSperre):
        return Kundenakte.oeffnen(store, kunde, benutzer, schreibgeschuetzt=True, grund=ergebnis.meldung)
    try:
        akte = Kundenakte.oeffnen(store, kunde, benutzer)
    except BaseException:
        ergebnis.freigeben()
        raise
    akte.sperre = ergebnis
    return akte
