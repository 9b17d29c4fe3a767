"""The session facade: one running session of kopl-tui on a data location (a data folder or a
PostgreSQL database, kopl_tui/datenort.py), and everything a screen asks of the domain.

A ``Sitzung`` is made once by the CLI/app: who works (``benutzer``), on which day (``heute``), the
store, the letter archive (Ablage) and the folder's configuration (Briefkopf, printers, training
mode). The screens reach the domain only through it and the open ``Kundenakte``; they see only the
exceptions of ``kopl_tui.fehler`` (pydantic's errors and the guide's rule findings become
``Abgelehnt`` here). ``kopl_tui.sitzungen`` lists the live sessions on a data folder – each of them
is one such Sitzung with the edit locks of the Akten it has open.

Blocking operations (opening and saving an Akte wait for short file locks, letters and the Prüfliste
read and write files) are marked "blocks" below: the app runs them in thread workers.

Start-up stays light: pydantic, TinyDB and docxtpl load with the first Akte, not with the customer
list. The types the facade hands out are importable from here for the screens; those of heavy
modules load on first use (``__getattr__`` below).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kopl_tui.benutzer import ermittle_benutzer
from kopl_tui.dateien import StoreFehler, fehlertext
from kopl_tui.datenort import Datenort
from kopl_tui.kundenindex import Kundenindex, Kundenliste, KundenZeile
from kopl_tui.kundensuche import Kundensuche
from kopl_tui.schulung import ist_schulung

if TYPE_CHECKING:
    from kopl_tui.ablage import Ablage as Ablage
    from kopl_tui.ablage import AblageEintrag as AblageEintrag
    from kopl_tui.ablage import AblageErgebnis as AblageErgebnis
    from kopl_tui.ablage import Entwurf as Entwurf
    from kopl_tui.akte import Kundenakte as Kundenakte
    from kopl_tui.briefe import LUECKEN_MUSTER as LUECKEN_MUSTER
    from kopl_tui.briefe import Abschnitt as Abschnitt
    from kopl_tui.briefe import Brief as Brief
    from kopl_tui.briefe import Pruefung as Pruefung
    from kopl_tui.briefe import Vorlage as Vorlage
    from kopl_tui.briefe import vorlage as vorlage
    from kopl_tui.briefe import vorlagen_fuer as vorlagen_fuer
    from kopl_tui.briefkopf import Briefkopf as Briefkopf
    from kopl_tui.drucken import Gedruckt as Gedruckt
    from kopl_tui.ergaenzungen import Art as Art
    from kopl_tui.ergaenzungen import Ergaenzung as Ergaenzung
    from kopl_tui.ergaenzungen import ErgaenzungsWert as ErgaenzungsWert
    from kopl_tui.model import HistorienEintrag, Kooperationsplan, Kunde
    from kopl_tui.pruefung import Pruefbefund as Pruefbefund
    from kopl_tui.regeln import BA_REGEL_GRUND as BA_REGEL_GRUND
    from kopl_tui.regeln import Beendigungsvorschlag as Beendigungsvorschlag
    from kopl_tui.speicher import Speicher

__all__ = ["Kundenliste", "KundenZeile", "Kundensuche", "Meldung", "Gespeichert", "Sitzung"]

# Types and constants of the domain a screen needs, by the module that owns them (loaded on first use).
_AUS_DEM_BEREICH = {
    "Ablage": "kopl_tui.ablage", "AblageEintrag": "kopl_tui.ablage", "AblageErgebnis": "kopl_tui.ablage",
    "Entwurf": "kopl_tui.ablage", "Kundenakte": "kopl_tui.akte",
    "LUECKEN_MUSTER": "kopl_tui.briefe", "Abschnitt": "kopl_tui.briefe", "Brief": "kopl_tui.briefe",
    "Pruefung": "kopl_tui.briefe", "Vorlage": "kopl_tui.briefe", "vorlage": "kopl_tui.briefe",
    "vorlagen_fuer": "kopl_tui.briefe", "Briefkopf": "kopl_tui.briefkopf", "Gedruckt": "kopl_tui.drucken",
    "Art": "kopl_tui.ergaenzungen", "Ergaenzung": "kopl_tui.ergaenzungen", "ErgaenzungsWert": "kopl_tui.ergaenzungen",
    "Pruefbefund": "kopl_tui.pruefung", "BA_REGEL_GRUND": "kopl_tui.regeln", "Beendigungsvorschlag": "kopl_tui.regeln",
}


def __getattr__(name: str) -> Any:  # noqa: ANN401 - whatever the owning module defines
    modul = _AUS_DEM_BEREICH.get(name)
    if modul is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(modul), name)


class Meldung(NamedTuple):
    """Something the user should read that is no refusal (e.g. a damaged index cache): German text."""

    titel: str
    text: str
    fehler: bool  # an error (red), else a warning


@dataclass(frozen=True)
class Gespeichert:
    """What the final save reports beyond success."""

    kundennummer: str
    stammdaten_nachzutragen: bool
    """Saved master data that the customer list (kunden.json) does not hold yet; carried over when
    the Akte is next opened."""


def _als_storefehler(fehler: OSError) -> StoreFehler:
    """A file system error the domain let through, in German (what to do included)."""
    neu = StoreFehler(fehlertext(fehler))
    neu.__cause__ = fehler
    return neu


class Sitzung:
    """One user's session on one data location; see the module docstring."""

    def __init__(self, daten: Path | Datenort, benutzer: str | None = None, heute: date | None = None):
        self.datenort = daten if isinstance(daten, Datenort) else Datenort(Path(daten))
        """A data folder, or a PostgreSQL database with its Dateiordner (kopl_tui/datenort.py)."""
        self.data_dir = self.datenort.ordner
        """The folder of letterhead, own templates and filed letters (for a database its Dateiordner)."""
        self.benutzer = benutzer or ermittle_benutzer()
        self._heute = heute
        self._kundenindex = Kundenindex(self.data_dir)
        self._kunden: Kundenliste | None = None
        self._ablage: Ablage | None = None
        self.briefe_als_pdf = True  # Pilot tests switch it off (one PDF takes LibreOffice ~2 s)
        try:  # training rooms are folders only (``kopl-tui schulung``)
            self.schulung = not self.datenort.ist_datenbank and ist_schulung(self.data_dir)
        except OSError:  # e.g. a folder of another account: the customer list reports it in German
            self.schulung = False

    # ---- the session's state ------------------------------------------------------------------
    @property
    def heute(self) -> date:
        """The reference day: fixed for tests and training, else today (read anew: a session may
        run past midnight)."""
        return self._heute or date.today()

    @cached_property
    def store(self) -> Speicher:
        """The data location's store: a folder created if missing, stale temp files removed; a
        database connected and its schema checked (blocks)."""
        store = self.datenort.store().anlegen()
        store.aufraeumen()
        return store

    @property
    def ablage(self) -> Ablage:
        """One per session (it says "no LibreOffice" only once), made when first used."""
        if self._ablage is None:
            from kopl_tui.ablage import Ablage

            self._ablage = Ablage(self.store)
        return self._ablage

    def vorbereiten(self) -> None:
        """What opening the first Akte needs, done ahead (blocks): the modules, the data folder, the
        list's cache."""
        import kopl_tui.akte  # noqa: F401
        import kopl_tui.fehler  # noqa: F401

        self.store  # noqa: B018
        if not self.datenort.ist_datenbank:
            self._kundenindex.cache_schreiben()

    # ---- customer list --------------------------------------------------------------------------
    def kundenliste(self) -> tuple[Kundenliste, list[Meldung]]:
        """The customer index, read once per session (never re-read per keystroke) and again after
        saved master data changed it; rows as stored, sorted by name. The messages come with the
        read that found them."""
        if self._kunden is not None:
            return self._kunden, []
        meldungen = []
        try:  # a folder's list comes from its cache without pydantic or TinyDB (README, "Leistung")
            self._kunden = self.store.kundenliste() if self.datenort.ist_datenbank else self._kundenindex.laden()
        except StoreFehler as fehler:
            meldungen.append(Meldung("Kundenindex", str(fehler), fehler=True))
            self._kunden = Kundenliste([], [])
        if self._kundenindex.cache_defekt is not None:
            meldungen.append(Meldung("Kundenliste", str(self._kundenindex.cache_defekt), fehler=False))
        return self._kunden, meldungen

    @staticmethod
    def kundensuche(liste: Kundenliste) -> Kundensuche:
        return Kundensuche(liste)

    @staticmethod
    def kunde_aus_zeile(zeile: KundenZeile) -> Kunde:
        """The customer of an index row, checked when used; ``Abgelehnt`` names what is wrong."""
        from pydantic import ValidationError

        from kopl_tui.fehler import Abgelehnt
        from kopl_tui.model import Kunde, meldungen

        try:
            return Kunde.model_validate(zeile.felder())
        except ValidationError as fehler:
            raise Abgelehnt(meldungen(fehler)) from None

    def kunde(self, kundennummer: str) -> Kunde | None:
        """The stored customer of that number (blocks); None if there is none."""
        try:
            return self.store.kunde(kundennummer)
        except OSError as fehler:
            raise _als_storefehler(fehler) from None

    # ---- the Kundenakte ---------------------------------------------------------------------
    def akte_oeffnen(self, kunde: Kunde) -> Kundenakte:
        """Open the Akte with its edit lock, or read-only while someone else edits it (``grund``
        names who). Blocks on the lock files' short locks."""
        from kopl_tui import akte

        try:
            return akte.akte_oeffnen(self.store, kunde, self.benutzer)
        except OSError as fehler:
            raise _als_storefehler(fehler) from None

    def speichern(self, akte: Kundenakte) -> Gespeichert:
        """The final save (guide §5, blocks). Refusals: ``BaRegelVerletzt``, ``SperreVerloren`` (the
        Akte is read-only now and shows the stored state), ``NurLesen``, ``VersionKonflikt`` (nothing
        written), ``StoreFehler``."""
        stammdaten = akte.stammdaten_ungespeichert
        try:
            akte.speichern()
        except OSError as fehler:
            raise _als_storefehler(fehler) from None
        if stammdaten:  # kunden.json changed: the customer list reads it anew when shown next
            self._kunden = None
        return Gespeichert(akte.kunde.kundennummer, akte.stammdaten_nachzutragen)

    @staticmethod
    def neu_laden(akte: Kundenakte) -> None:
        """Take the stored state (own unsaved changes dropped); ``StoreFehler`` if unreadable."""
        try:
            akte.neu_laden()
        except OSError as fehler:
            raise _als_storefehler(fehler) from None

    @staticmethod
    def plan_uebernehmen(akte: Kundenakte, plan: Kooperationsplan, werte: dict[str, Any]) -> list[Beendigungsvorschlag]:
        """Apply the mask's raw values (strings, None for empty) over ``plan`` ("Übernehmen", guide §3).
        Returns the proposals to end older unbegrenzt plans (§3.1) for the screen to offer; refusals
        come as ``Abgelehnt`` (a message per field) or ``NurLesen``."""
        from pydantic import ValidationError

        from kopl_tui.fehler import Abgelehnt
        from kopl_tui.model import Kooperationsplan, RegelVerletzung, meldungen

        try:
            neu = Kooperationsplan.model_validate({**plan.model_dump(), **werte})
            return akte.uebernehmen(neu)
        except ValidationError as fehler:
            raise Abgelehnt(meldungen(fehler)) from None
        except RegelVerletzung as verletzung:
            raise Abgelehnt.aus_befunden(verletzung.befunde) from None

    @staticmethod
    def vorschlaege_anwenden(akte: Kundenakte, vorschlaege: list[Beendigungsvorschlag]) -> None:
        """End the older unbegrenzt plans as proposed (the user said yes)."""
        from kopl_tui.fehler import Abgelehnt
        from kopl_tui.model import RegelVerletzung

        try:
            akte.vorschlaege_anwenden(vorschlaege)
        except RegelVerletzung as verletzung:
            raise Abgelehnt.aus_befunden(verletzung.befunde) from None

    @staticmethod
    def stammdaten_uebernehmen(akte: Kundenakte, werte: dict[str, str]) -> None:
        """Apply corrected master data as typed; ``Abgelehnt`` (per field) or ``NurLesen``."""
        from kopl_tui.fehler import Abgelehnt
        from kopl_tui.model import RegelVerletzung

        try:
            akte.kunde_uebernehmen(werte)
        except RegelVerletzung as verletzung:
            raise Abgelehnt.aus_befunden(verletzung.befunde) from None

    @staticmethod
    def historie(akte: Kundenakte) -> list[HistorienEintrag]:
        """The Akte's audit trail, newest first, applied unsaved changes included."""
        return sorted(akte.historie, key=lambda e: e.zeit, reverse=True)

    # ---- the mask's live hints (guide §3.1) ----------------------------------------------------
    @staticmethod
    def speichern_vor_drucken(akte: Kundenakte, *, neuer_plan: bool, eingaben_offen: bool) -> str:
        """Why printing must save first (regeln.regel_speichern_vor_drucken); "" when all is saved."""
        from kopl_tui.regeln import regel_speichern_vor_drucken

        return regel_speichern_vor_drucken(neuer_plan=neuer_plan, eingaben_offen=eingaben_offen,
                                           akte_ungespeichert=akte.ungespeichert or akte.hat_loeschmarken)

    @staticmethod
    def hinweis_gueltig_bis(werte: dict[str, Any]) -> str:
        """The grey box's hint for a new plan whose gültig bis is a date; "" while none applies or the
        values are not yet complete dates."""
        from pydantic import ValidationError

        from kopl_tui.model import Kooperationsplan, hinweis_neuer_plan_unbegrenzt

        try:
            plan = Kooperationsplan.model_validate({"status": werte.get("status"),
                                                    "gueltig_bis": werte.get("gueltig_bis")})
        except ValidationError:
            return ""
        return hinweis_neuer_plan_unbegrenzt(plan)

    @staticmethod
    def ueberpruefung_faellig_am(werte: dict[str, Any]) -> date | None:
        """When the plan as typed must be reviewed next (§ 15 Abs. 3 SGB II); None without the dates it
        follows from. ``Abgelehnt`` while a value is not (yet) valid."""
        from pydantic import ValidationError

        from kopl_tui.fehler import Abgelehnt
        from kopl_tui.model import UNBEGRENZT, Kooperationsplan, meldungen

        try:
            plan = Kooperationsplan.model_validate({**werte, "gueltig_bis": UNBEGRENZT, "status": None})
        except ValidationError as fehler:
            raise Abgelehnt(meldungen(fehler)) from None
        return plan.ueberpruefung_faellig_am

    # ---- letters (guide §3.1 "drucken", §3.2, §3.3) --------------------------------------------
    def briefkopf(self) -> Briefkopf:
        """The folder's letterhead; ``BriefkopfFehler`` says what is wrong in briefkopf.toml."""
        from kopl_tui.briefkopf import briefkopf_laden

        return briefkopf_laden(self.data_dir)

    def brief_pruefen(self, brief_vorlage: Vorlage, kunde: Kunde, plan: Kooperationsplan, briefkopf: Briefkopf,
                      ergaenzungen: dict[str, ErgaenzungsWert]) -> Pruefung:
        """Every value the letter will carry, what is missing or refused (dated today)."""
        from kopl_tui.briefe import pruefen

        return pruefen(brief_vorlage, kunde, plan, briefkopf=briefkopf, datum=self.heute, ergaenzungen=ergaenzungen)

    def brief_entwerfen(self, pruefung: Pruefung) -> Brief:
        """The whole letter as it will print (blocks; ``VorlagenFehler``)."""
        from kopl_tui.briefe import entwerfen

        return entwerfen(pruefung, self.data_dir)

    def entwurf_schreiben(self, kundennummer: str, brief_vorlage: Vorlage, plan_id: str, brief: Brief) -> Entwurf:
        """"Fertig": the Word document as a draft in the customer's Ablage folder (blocks;
        ``VorlagenFehler``, ``StoreFehler``)."""
        try:
            return self.ablage.entwurf_schreiben(kundennummer, brief_vorlage, plan_id, brief.fertig(), self.heute,
                                                 ergaenzungen=brief.pruefung.ergaenzungs_texte())
        except OSError as fehler:
            raise _als_storefehler(fehler) from None

    def entwurf_ablegen(self, entwurf: Entwurf) -> AblageErgebnis:
        """"Ablegen": index entry, PDF if wanted, history line (blocks; ``VorlagenFehler``,
        ``StoreFehler``)."""
        try:
            return self.ablage.ablegen(entwurf, self.benutzer, pdf=self.briefe_als_pdf)
        except OSError as fehler:
            raise _als_storefehler(fehler) from None

    def entwurf_verwerfen(self, entwurf: Entwurf) -> str | None:
        """Delete the draft; never raises. The German reason when it could not be deleted now."""
        return self.ablage.verwerfen(entwurf)

    def dokumente(self, kundennummer: str) -> list[AblageEintrag]:
        """The customer's filed letters, newest first (``StoreFehler``)."""
        return self.ablage.dokumente(kundennummer)

    def ablage_ordner(self, kundennummer: str) -> Path:
        return self.ablage.ordner(kundennummer)

    def ablage_dateien(self, kundennummer: str, eintrag: AblageEintrag) -> list[Path]:
        """The filed .docx and, where made, its PDF."""
        pdf = self.ablage.pdf_pfad(kundennummer, eintrag)
        return [self.ablage.pfad(kundennummer, eintrag), *([pdf] if pdf else [])]

    def ablage_lesen(self, kundennummer: str, datei: str) -> bytes:
        """A filed file's bytes, never through a link (``StoreFehler``; ``FileNotFoundError`` when
        it is gone)."""
        from kopl_tui.dateien import lesen

        return lesen(self.ablage.ordner(kundennummer) / datei)

    def drucker(self, ifk: str) -> str:
        """The printer this IFK's letters go to (``KeinDrucker``, ``DruckFehler``)."""
        from kopl_tui.drucken import drucker_bestimmen

        return drucker_bestimmen(self.data_dir, ifk)

    def drucken(self, kundennummer: str, eintrag: AblageEintrag, ifk: str) -> Gedruckt:
        """Hand a filed letter's PDF to CUPS (blocks up to lp's time limit; ``DruckFehler``)."""
        from kopl_tui.drucken import abgelegten_brief_drucken

        return abgelegten_brief_drucken(self.ablage, kundennummer, eintrag, ifk=ifk, benutzer=self.benutzer)

    # ---- Prüfliste (support) ---------------------------------------------------------------------
    def pruefliste(self) -> list[Pruefbefund]:
        """Every finding over all Akten on the reference day (blocks, about a second for 20,000)."""
        from kopl_tui.pruefung import pruefliste

        return pruefliste(self.store, self.heute)

    def kunde_neu_pruefen(self, kundennummer: str, name: str) -> list[Pruefbefund] | None:
        """One customer's findings from the saved Akte; None while it cannot be read."""
        from kopl_tui.pruefung import akte_pruefen

        try:
            plaene = self.store.akte_laden(kundennummer).plaene
        except (StoreFehler, OSError):
            return None
        return akte_pruefen(kundennummer, name, plaene, self.heute)

    def pruefliste_zusammenfassung(self, befunde: list[Pruefbefund]) -> str:
        from kopl_tui.pruefung import zusammenfassung

        return zusammenfassung(befunde, self.heute)
