"""TinyDB store: one file per Kundenakte (``akten/<kundennummer>.json``) plus the customer index.

TinyDB's stock JSONStorage overwrites in place and keeps one handle open across other processes'
replaces; here every read opens by path, every change is buffered and written once, atomically,
under a short file lock, after a version check.

One rule for every file F the store writes: F is only written (or replaced, or moved aside) while
``F.lock`` is held. That is what lets start-up clean-up and the Akte edit lock (sperre.py) be safe
against processes working at the same moment.

The Akte's audit trail is an append-only JSON-Lines file next to it
(``<kundennummer>.historie.jsonl``), guarded by the Akte's lock: a save costs the size of the plans,
not of years of history. The Akte file records how many bytes of history are committed; a save
appends its lines (fsync) *before* it replaces the Akte file, so the replace commits plans and
history together. Bytes beyond the committed length (a save killed in between) are never read and
are cut off by the next append.

A change of a customer's master data touches two files, the Akte (history) and ``kunden.json``;
POSIX cannot replace both at once. So the change is first *noted* in the Akte's header
(``stammdaten_offen``: the fields' old and new values) and the Akte written; then ``kunden.json``;
then the note is cleared. Whoever finds a note left by a process cut off in between settles it from
what ``kunden.json`` holds (``stammdaten_nachtragen``, also when the Akte is opened): a final save's
note is *binding* (the Akte was its commit: the new values are carried into ``kunden.json``), an
import's note is *prepared* (``kunden.json`` is its commit: the history entry is added if the new
values arrived there, otherwise dropped). Settling is idempotent, so nothing is lost, nothing is
recorded twice, and no change of master data goes without its history entry. Whoever holds both
locks takes ``kunden.json.lock`` first, then the Akte's (never the other way round), so a note
found while holding ``kunden.json.lock`` belongs to no running process.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field, PrivateAttr, TypeAdapter, ValidationError
from tinydb import Query, TinyDB
from tinydb.storages import Storage

from kopl_tui import dateien
from kopl_tui.dateien import (  # StoreFehler, DateiDefekt: defined there, importable from here
    DateiDefekt,
    StoreFehler,
    anhaengen_ab,
    entfernen,
    privater_ordner,
    tempdatei_ziel,
    umbenennen,
    verwaiste_tempdateien,
)
from kopl_tui.datenordner import (
    Datenordner,
    gesperrt,
    json_schreiben,
    json_tabellen,
    json_tabellen_aus,
    jsonl_text,
    jsonl_zeilen,
    roh_lesen,
)
from kopl_tui.datum import jetzt
from kopl_tui.model import FELDNAMEN, AblageEintrag, HistorienEintrag, Kooperationsplan, Kunde, meldungen
from kopl_tui.sperre import AkteSperre, FremdeSperre, Sperre, SperrInhaber

if TYPE_CHECKING:
    from kopl_tui.bestand import GeleseneAkte
    from kopl_tui.kundenindex import Kundenliste

FREMDE_TEMPDATEI_ALTER = 3600  # seconds: temp files of unknown origin are removed only when this old


class VersionKonflikt(StoreFehler):
    """Someone saved the Akte since it was opened: nothing was written."""

    def __init__(self, kundennummer: str, erwartet: int, gefunden: int):
        self.kundennummer, self.erwartet, self.gefunden = kundennummer, erwartet, gefunden
        super().__init__(f"Die Akte {kundennummer} wurde inzwischen von jemand anderem gespeichert "
                         f"(Stand {gefunden}, geöffnet war Stand {erwartet}). Nichts wurde geschrieben; "
                         "bitte die Akte neu laden.")


class StammdatenKonflikt(VersionKonflikt):
    """The customer's master data changed since they were read (another session's save, an import):
    nothing was written."""

    def __init__(self, kundennummer: str, meldung: str):
        self.kundennummer, self.erwartet, self.gefunden = kundennummer, 0, 0
        StoreFehler.__init__(self, meldung)


@dataclass(frozen=True)
class StammdatenAenderung:
    """Changed fields of one customer record, as stored (JSON values): before and after. ``eintrag``
    is an import's history entry, written once ``kunden.json`` holds the new values; a final save
    passes its entry with the Akte's other history."""

    kundennummer: str
    alt: dict[str, Any]
    neu: dict[str, Any]
    eintrag: HistorienEintrag | None = None

    @classmethod
    def zwischen(cls, vorher: Kunde, nachher: Kunde, felder: tuple[str, ...],
                 eintrag: HistorienEintrag | None = None) -> StammdatenAenderung | None:
        alt, neu = vorher.model_dump(mode="json", include=set(felder)), nachher.model_dump(mode="json", include=set(felder))
        geaendert = [feld for feld in felder if alt[feld] != neu[feld]]
        if not geaendert:
            return None
        return cls(vorher.kundennummer, {f: alt[f] for f in geaendert}, {f: neu[f] for f in geaendert}, eintrag)

    def vormerkung(self, verbindlich: bool) -> dict[str, Any]:
        """The note in the Akte's header (see the module docstring)."""
        return {"alt": self.alt, "neu": self.neu, "verbindlich": verbindlich,
                "eintrag": self.eintrag.model_dump(mode="json") if self.eintrag else None}


class AtomicJSONStorage(Storage):
    """TinyDB storage that reads by path each time and replaces the file atomically (0600)."""

    def __init__(self, pfad: Path):
        self.pfad = Path(pfad)

    def read(self) -> dict[str, dict[str, Any]] | None:
        return json_tabellen(self.pfad)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        json_schreiben(self.pfad, data)


class _Puffer(Storage):
    """Reads the file once, collects TinyDB's writes in memory: one transaction = one atomic write."""

    def __init__(self, basis: AtomicJSONStorage):
        self.basis = basis
        self.daten = basis.read()
        self.geaendert = False

    def read(self) -> dict[str, dict[str, Any]] | None:
        return self.daten

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.daten, self.geaendert = data, True


@contextmanager
def transaktion(pfad: Path) -> Iterator[TinyDB]:
    """Read-modify-write of one file under its lock; written once at the end, only if changed."""
    with gesperrt(pfad), _gepuffert(pfad) as db:
        yield db


@contextmanager
def _gepuffert(pfad: Path) -> Iterator[TinyDB]:
    """A transaction's body, for a caller that holds ``pfad``'s lock already."""
    basis = AtomicJSONStorage(pfad)
    db = TinyDB(basis, storage=_Puffer)
    puffer: _Puffer = db.storage  # type: ignore[assignment]
    yield db
    if puffer.geaendert:
        basis.write(puffer.daten or {})


def _alle_ersetzen(tabelle: Any, kunden: dict[str, dict[str, Any]], doc_ids: list[int]) -> None:
    """Replace these customers' documents (by Kundennummer) in one pass over the table: TinyDB copies
    the whole table for each ``update`` call (20,000 customers: ~30 ms each)."""
    if kunden:
        tabelle.update(lambda dokument: _ersetzen(kunden[dokument["kundennummer"]])(dokument), doc_ids=doc_ids)


def _ersetzen(daten: dict[str, Any]) -> Callable[[MutableMapping[str, Any]], None]:
    """For ``Table.update``: the document becomes exactly ``daten`` (a plain update would keep keys
    that are gone, such as a former ``plz_ort``)."""
    def ersetzen(dokument: MutableMapping[str, Any]) -> None:
        dokument.clear()
        dokument.update(daten)

    return ersetzen


def lesen(pfad: Path) -> TinyDB:
    """A read-only view (no lock needed: the atomic replace means a whole file is always seen)."""
    return TinyDB(AtomicJSONStorage(pfad), storage=_Puffer)


class AkteStand(BaseModel):
    """What one Akte file holds."""

    kundennummer: str
    version: int = 0
    geaendert_am: datetime | None = None
    geaendert_von: str = ""
    plaene: list[Kooperationsplan] = Field(default_factory=list)
    stammdaten_offen: bool = False
    """A change of master data is noted but not yet in kunden.json (``Store.stammdaten_nachtragen``)."""
    _historie_laden: Callable[[], list[HistorienEintrag]] | None = PrivateAttr(default=None)

    @cached_property
    def historie(self) -> list[HistorienEintrag]:
        """The audit trail as committed with this state; read from its file on first use only,
        because it can be long and a save does not need it (``Store.historie`` reads the newest)."""
        return self._historie_laden() if self._historie_laden else []

    def __eq__(self, other: object) -> bool:
        """Equal states hold the same data; how their history would be read does not count."""
        if not isinstance(other, AkteStand):
            return NotImplemented
        return self.model_dump() == other.model_dump()


_KUNDEN = TypeAdapter(list[Kunde])
_PLAENE = TypeAdapter(list[Kooperationsplan])
_HISTORIE = TypeAdapter(list[HistorienEintrag])
_ABLAGE = TypeAdapter(list[AblageEintrag])


class Store:
    """The data folder: ``kunden.json`` (index), ``akten/`` (one TinyDB file per Kundenakte); the
    default ``Speicher`` (kopl_tui/speicher.py: the operations and their promises)."""

    def __init__(self, data_dir: Path):
        self.ordner = Datenordner(data_dir)
        """Where each file lies (kopl_tui/datenordner.py)."""
        self.data_dir = self.ordner.data_dir
        self.akten_dir = self.ordner.akten_dir
        self.kunden_datei = self.ordner.kunden_datei
        self.ablage_dir = self.ordner.ablage_dir
        self._angelegt = False
        self._bekannt: tuple[Path, bytes, dict[str, dict[str, Any]]] | None = None
        """The Akte file this store last found valid or wrote: its bytes and tables (never changed
        in place). Found byte for byte so at the next save, it is neither parsed nor checked against
        the model again. One Akte only: a session works on one at a time, and memory stays small."""

    def anlegen(self) -> Store:
        privater_ordner(self.data_dir)
        privater_ordner(self.akten_dir)
        self._angelegt = True
        return self

    def akte_pfad(self, kundennummer: str) -> Path:
        return self.ordner.akte_pfad(kundennummer)

    def leeren(self) -> None:
        """Remove this app's data (and nothing else a mistyped --data might point at)."""
        self.ordner.leeren()

    def ist_leer(self) -> bool:
        return self.ordner.ist_leer()

    def aufraeumen(self) -> list[Path]:
        """Start-up: remove what killed processes left behind (it holds personal data): temp files
        of saves here and in ``akten/``, and under ``ablage/`` drafts never filed and their temp
        files (``Ablage.aufraeumen``, which also completes a filing cut off half way).

        Each temp file is removed while its target's lock is held, so a save running right now in
        another session (which holds that lock) keeps its temp file; a busy target is simply
        skipped. A temp file whose target is unknown goes only when it is older than an hour.
        Returns what was removed.
        """
        from kopl_tui.ablage import Ablage  # the archive builds on the store

        entfernt = []
        grenze = datetime.now().timestamp() - FREMDE_TEMPDATEI_ALTER
        for ordner in (self.data_dir, self.akten_dir):
            for temp in verwaiste_tempdateien(ordner):
                ziel = tempdatei_ziel(temp)
                try:
                    if ziel is None or not self.ordner.eigene_datei(ziel):
                        info = dateien.vorhanden(temp)
                        if info is not None and info.st_mtime < grenze and entfernen(temp):
                            entfernt.append(temp)
                        continue
                    with gesperrt(ordner / ziel, wartezeit=0):
                        if entfernen(temp):
                            entfernt.append(temp)
                except StoreFehler:
                    continue  # a save running right now, or no plain file (never touched)
        return entfernt + Ablage(self).aufraeumen()

    # ---- customer index ------------------------------------------------
    def kunden(self) -> list[Kunde]:
        daten = AtomicJSONStorage(self.kunden_datei).read() or {}
        with _defekt_wenn_ungueltig(self.kunden_datei):
            return _KUNDEN.validate_python(list(daten.get("kunden", {}).values()))

    def kunde(self, kundennummer: str) -> Kunde | None:
        with lesen(self.kunden_datei) as db:
            treffer = db.table("kunden", cache_size=0).get(Query().kundennummer == kundennummer)
        with _defekt_wenn_ungueltig(self.kunden_datei):
            return Kunde.model_validate(treffer) if treffer else None

    def kunden_zu(self, kundennummern: set[str]) -> dict[str, Kunde]:
        """The stored customers with these numbers (only they are validated: an import must not
        fail on another record the model no longer accepts)."""
        daten = AtomicJSONStorage(self.kunden_datei).read() or {}
        treffer = {}
        for doc in daten.get("kunden", {}).values():
            if isinstance(doc, dict) and doc.get("kundennummer") in kundennummern:
                with _defekt_wenn_ungueltig(self.kunden_datei):
                    treffer[doc["kundennummer"]] = Kunde.model_validate(doc)
        return treffer

    def kunden_schreiben(self, kunden: list[Kunde]) -> None:
        """Insert or update customers by Kundennummer, all in one write."""
        self.anlegen()
        with transaktion(self.kunden_datei) as db:
            tabelle = db.table("kunden", cache_size=0)
            vorhanden = {doc["kundennummer"]: doc for doc in tabelle.all()}
            neu, geaendert = [], {}
            for kunde in kunden:
                daten = kunde.model_dump(mode="json")
                if kunde.kundennummer in vorhanden:
                    geaendert[kunde.kundennummer] = {**daten, "id": vorhanden[kunde.kundennummer]["id"]}
                else:
                    neu.append(daten)
            _alle_ersetzen(tabelle, geaendert, [vorhanden[nummer].doc_id for nummer in geaendert])
            tabelle.insert_multiple(neu)

    def kunden_importieren(self, neu: list[Kunde], aenderungen: list[StammdatenAenderung]) -> list[str]:
        """An import, all or nothing: new customers inserted, existing ones changed field by field,
        each change with its history entry (``StammdatenAenderung.eintrag``). Refused with
        ``StammdatenKonflikt`` (nothing written) when meanwhile a new number was taken or a changed
        field was changed by someone else. Returns the customers whose history entry could not be
        written yet (their Akte settles it when next opened, see the module docstring)."""
        self.anlegen()
        with gesperrt(self.kunden_datei):
            for aenderung in aenderungen:  # notes left by a save or import cut off, settled first
                self._nachtragen_gesperrt(aenderung.kundennummer)
            vorgemerkt: list[str] = []
            try:
                with _gepuffert(self.kunden_datei) as db:
                    tabelle = db.table("kunden", cache_size=0)
                    gespeichert = {doc["kundennummer"]: doc.doc_id for doc in tabelle.all()}
                    for kunde in neu:
                        if kunde.kundennummer in gespeichert:
                            raise StammdatenKonflikt(kunde.kundennummer, f"Kundennummer {kunde.kundennummer} wurde "
                                                     "inzwischen angelegt. Nichts wurde importiert; bitte den Import "
                                                     "wiederholen.")
                    nachher: dict[str, dict[str, Any]] = {}
                    for aenderung in aenderungen:
                        _, daten = self._kunde_muss_da_sein(tabelle, aenderung.kundennummer, gespeichert)
                        self._unveraendert_seit(aenderung, daten, "Nichts wurde importiert; bitte den Import wiederholen.")
                        nachher[aenderung.kundennummer] = {**daten, **aenderung.neu}
                    _alle_ersetzen(tabelle, nachher, [gespeichert[nummer] for nummer in nachher])
                    tabelle.insert_multiple(kunde.model_dump(mode="json") for kunde in neu)
                    for aenderung in aenderungen:  # noted before kunden.json is written (its commit)
                        self._vormerken(aenderung)
                        vorgemerkt.append(aenderung.kundennummer)
            except BaseException:
                for kundennummer in vorgemerkt:  # kunden.json decides: unchanged, so the notes go
                    with contextlib.suppress(StoreFehler, OSError):
                        self._nachtragen_gesperrt(kundennummer)
                raise
            offen = []
            for aenderung in aenderungen:
                try:
                    self._nachtragen_gesperrt(aenderung.kundennummer, nachher[aenderung.kundennummer])
                except (StoreFehler, OSError):
                    offen.append(aenderung.kundennummer)
            return offen

    def _kunde_gespeichert(self, tabelle: Any, kundennummer: str,
                           doc_ids: dict[str, int] | None = None) -> tuple[int, dict[str, Any]] | None:
        """The stored record as the model reads it (a former ``plz_ort`` already split), and its id;
        None if the index has no such customer."""
        if doc_ids is not None:
            doc = tabelle.get(doc_id=doc_ids[kundennummer]) if kundennummer in doc_ids else None
        else:
            doc = tabelle.get(Query().kundennummer == kundennummer)
        if doc is None:
            return None
        with _defekt_wenn_ungueltig(self.kunden_datei):
            return doc.doc_id, Kunde.model_validate(doc).model_dump(mode="json")

    def _kunde_muss_da_sein(self, tabelle: Any, kundennummer: str,
                            doc_ids: dict[str, int] | None = None) -> tuple[int, dict[str, Any]]:
        treffer = self._kunde_gespeichert(tabelle, kundennummer, doc_ids)
        if treffer is None:
            raise StammdatenKonflikt(kundennummer, f"Kunde {kundennummer} steht nicht (mehr) im Kundenindex "
                                     f"{self.kunden_datei}. Nichts wurde geschrieben.")
        return treffer

    @staticmethod
    def _unveraendert_seit(aenderung: StammdatenAenderung, gespeichert: dict[str, Any], folge: str) -> None:
        """Each field to be changed still holds its old value (or already the new one)."""
        fremd = [feld for feld, wert in aenderung.alt.items()
                 if gespeichert.get(feld) not in (wert, aenderung.neu[feld])]
        if fremd:
            namen = ", ".join(f"{FELDNAMEN.get(feld, feld)} jetzt „{gespeichert.get(feld)}“" for feld in fremd)
            raise StammdatenKonflikt(aenderung.kundennummer, f"Die Stammdaten von Kunde {aenderung.kundennummer} "
                                     f"wurden inzwischen geändert ({namen}). {folge}")

    # ---- Kundenakte ------------------------------------------------------
    def historie_pfad(self, kundennummer: str) -> Path:
        return self.ordner.historie_pfad(kundennummer)

    def akte_laden(self, kundennummer: str) -> AkteStand:
        pfad = self.akte_pfad(kundennummer)
        roh = roh_lesen(pfad)
        daten = None if roh is None else json_tabellen_aus(roh, pfad)
        stand = self._stand(kundennummer, daten, pfad)
        if roh is not None and daten is not None:
            self._bekannt = (pfad, roh, daten)
        return stand

    def _stand(self, kundennummer: str, daten: dict[str, dict[str, Any]] | None, pfad: Path,
               plaene: list[Kooperationsplan] | None = None) -> AkteStand:
        """The Akte from the file's raw tables; content that does not fit the model is a defect
        of that file (reported with its name), not a crash. ``plaene``: the valid plans these
        tables were just written from (a save, with a header of its own making): nothing is
        validated again (valid models written as JSON read back equal, see ``_akte_gesperrt``)."""
        daten = daten or {}
        kopf = _kopf(daten)
        if plaene is not None:
            stand = AkteStand.model_construct(
                kundennummer=kundennummer, version=kopf["version"],
                geaendert_am=datetime.fromisoformat(kopf["geaendert_am"]), geaendert_von=kopf["geaendert_von"],
                plaene=plaene, stammdaten_offen="stammdaten_offen" in kopf)
        else:
            with _defekt_wenn_ungueltig(pfad):
                stand = AkteStand(
                    kundennummer=kundennummer,
                    version=_version(daten, pfad),
                    geaendert_am=kopf.get("geaendert_am"),
                    geaendert_von=kopf.get("geaendert_von", ""),
                    plaene=_PLAENE.validate_python(list(daten.get("plaene", {}).values())),
                    stammdaten_offen=_vormerkung(daten, pfad) is not None,
                )
            _historie_bytes(daten, pfad)  # a broken header is the Akte's defect now, not on first look
        stand._historie_laden = lambda: _historie_lesen(daten, pfad, self.historie_pfad(kundennummer))
        return stand

    def _akte_gesperrt(self, kundennummer: str, pfad: Path) -> dict[str, dict[str, Any]]:
        """The Akte file's tables ({} if there is none) for a caller holding its lock; content that
        does not fit the model is the file's DateiDefekt. The file as this store last found it valid
        or wrote it (``_bekannt``) is taken as it is: valid models written as JSON read back equal
        (a property test in tests/test_eingaben_hypothesis.py)."""
        roh = roh_lesen(pfad)
        if roh is None:
            return {}
        bekannt = self._bekannt
        if bekannt is not None and bekannt[0] == pfad and bekannt[1] == roh:
            return bekannt[2]
        daten = json_tabellen_aus(roh, pfad)
        self._stand(kundennummer, daten, pfad)
        return daten

    def historie(self, kundennummer: str) -> list[HistorienEintrag]:
        """The committed audit trail as it is now, oldest first."""
        pfad = self.akte_pfad(kundennummer)
        return _historie_lesen(AtomicJSONStorage(pfad).read() or {}, pfad, self.historie_pfad(kundennummer))

    def akte_speichern(self, kundennummer: str, plaene: list[Kooperationsplan], erwartete_version: int,
                       benutzer: str, historie: list[HistorienEintrag] = (),
                       stammdaten: StammdatenAenderung | None = None) -> AkteStand:
        """Final save (§5): all plans at once, only if nobody saved since ``erwartete_version``; with
        ``stammdaten`` also the customer's master data (its entry is among ``historie``), only if
        their changed fields were not changed meanwhile. Order and crash safety: module docstring.
        The folders are made once per Store (the app's at start): a folder gone since then (a share
        no longer mounted) is an error, not a new empty folder."""
        if not self._angelegt:
            self.anlegen()
        pfad = self.akte_pfad(kundennummer)
        kunden_sperre: AbstractContextManager[None] = gesperrt(self.kunden_datei) if stammdaten else nullcontext()
        with dateien.ordner_offen(self.akten_dir), kunden_sperre:  # lock, Akte, history: akten/ opened once
            if stammdaten is not None:  # a note left by a save or import cut off: settled first, on its own
                self._nachtragen_gesperrt(kundennummer)
            kunden_puffer: AbstractContextManager[TinyDB | None] = (
                _gepuffert(self.kunden_datei) if stammdaten else nullcontext())  # kunden.json read once
            gespeichert = False
            try:
                with kunden_puffer as kunden:
                    with gesperrt(pfad):
                        daten = self._akte_gesperrt(kundennummer, pfad)  # a defective file is never overwritten
                        gefunden = _version(daten, pfad)
                        if gefunden != erwartete_version:
                            raise VersionKonflikt(kundennummer, erwartete_version, gefunden)
                        vormerkung = _vormerkung(daten, pfad)  # without stammdaten: kept as it is
                        if stammdaten is not None and kunden is not None:
                            _, bisher = self._kunde_muss_da_sein(kunden.table("kunden", cache_size=0), kundennummer)
                            self._unveraendert_seit(stammdaten, bisher, "Nichts wurde gespeichert; bitte die Akte neu laden.")
                            vormerkung = stammdaten.vormerkung(verbindlich=True)
                        laenge = self._historie_schreiben(kundennummer, _historie_bytes(daten, pfad), list(historie))
                        neu = _akte_tabellen(daten, {
                            "kundennummer": kundennummer, "version": gefunden + 1,
                            "geaendert_am": jetzt().isoformat(), "geaendert_von": benutzer,
                            "historie_bytes": laenge, **({"stammdaten_offen": vormerkung} if vormerkung else {})},
                            _PLAENE.dump_python(list(plaene), mode="json"))
                        stand = self._stand(kundennummer, neu, pfad, list(plaene))
                        self._bekannt = (pfad, json_schreiben(pfad, neu), neu)
                    # Saved: the Akte (plans, history, the binding note) is the commit. kunden.json
                    # follows when this block is left; if it cannot be written, the note stays.
                    gespeichert = True
                    if stammdaten is not None and kunden is not None and vormerkung is not None:
                        self._vormerkung_erledigen(kundennummer, vormerkung, kunden)
            except (StoreFehler, OSError):
                if not gespeichert:
                    raise
                return stand
            if stammdaten is None:
                return stand
            with contextlib.suppress(StoreFehler, OSError):  # kunden.json holds it: the note goes
                self._vormerkung_loeschen(kundennummer)
        return self.akte_laden(kundennummer)

    def stammdaten_nachtragen(self, kundennummer: str, wartezeit: float | None = None) -> None:
        """Settle a note of master data left in the Akte (see the module docstring); nothing to do
        without one. ``wartezeit`` 0: a busy kunden.json is a StoreFehler at once."""
        with gesperrt(self.kunden_datei, wartezeit):
            self._nachtragen_gesperrt(kundennummer)

    def _nachtragen_gesperrt(self, kundennummer: str, kunde_jetzt: dict[str, Any] | None = None) -> None:
        """``stammdaten_nachtragen`` for a caller holding kunden.json's lock. ``kunde_jetzt``: the
        customer's record as the caller has just written it to kunden.json (saves reading it again)."""
        pfad = self.akte_pfad(kundennummer)
        with transaktion(pfad) as db:
            daten = db.storage.read() or {}
            vormerkung = _vormerkung(daten, pfad)
            if vormerkung is None:
                return
            self._stand(kundennummer, daten, pfad)  # a defective Akte is reported, not rewritten
            if kunde_jetzt is not None and not vormerkung["verbindlich"]:
                eintraege = self._vormerkung_eintrag(kundennummer, vormerkung, kunde_jetzt)
            else:
                with _gepuffert(self.kunden_datei) as kunden:  # written (if changed) before the note goes
                    eintraege = self._vormerkung_erledigen(kundennummer, vormerkung, kunden)
            laenge = self._historie_schreiben(kundennummer, _historie_bytes(daten, pfad), eintraege)
            kopf = {**_kopf(daten), "historie_bytes": laenge}
            del kopf["stammdaten_offen"]
            _kopf_schreiben(db, kopf)

    def _vormerkung_loeschen(self, kundennummer: str) -> None:
        """After the final save wrote kunden.json: its binding note is done."""
        pfad = self.akte_pfad(kundennummer)
        with transaktion(pfad) as db:
            daten = db.storage.read() or {}
            vormerkung = _vormerkung(daten, pfad)
            if vormerkung is not None and vormerkung["verbindlich"]:
                _kopf_schreiben(db, {feld: wert for feld, wert in _kopf(daten).items() if feld != "stammdaten_offen"})

    def _vormerkung_erledigen(self, kundennummer: str, vormerkung: dict[str, Any],
                              kunden: TinyDB) -> list[HistorienEintrag]:
        """kunden.json's lock held, ``kunden`` its open transaction: a binding note's new values go
        into it (each field only while it holds the old value: a later change stays); a prepared
        note yields its history entry if kunden.json holds its new values. Returns the history
        entries to write."""
        tabelle = kunden.table("kunden", cache_size=0)
        treffer = self._kunde_gespeichert(tabelle, kundennummer)
        if treffer is None:
            return []  # the customer is gone from the index: nothing to carry over or record
        doc_id, gespeichert = treffer
        if not vormerkung["verbindlich"]:
            return self._vormerkung_eintrag(kundennummer, vormerkung, gespeichert)
        alt, neu = vormerkung["alt"], vormerkung["neu"]
        nachtrag = {feld: wert for feld, wert in neu.items() if gespeichert.get(feld) == alt.get(feld)}
        if nachtrag:
            tabelle.update(_ersetzen({**gespeichert, **nachtrag}), doc_ids=[doc_id])
        return []

    def _vormerkung_eintrag(self, kundennummer: str, vormerkung: dict[str, Any],
                            gespeichert: dict[str, Any]) -> list[HistorienEintrag]:
        """A prepared note's history entry, if its new values arrived in kunden.json (the import got
        through); none if not (it never wrote kunden.json: nothing happened, nothing to record)."""
        if not vormerkung.get("eintrag") or any(gespeichert.get(f) != w for f, w in vormerkung["neu"].items()):
            return []
        with _defekt_wenn_ungueltig(self.akte_pfad(kundennummer)):
            return [HistorienEintrag.model_validate(vormerkung["eintrag"])]

    def _vormerken(self, aenderung: StammdatenAenderung) -> None:
        """An import's prepared note in the customer's Akte (created if the customer has none yet)."""
        pfad = self.akte_pfad(aenderung.kundennummer)
        with transaktion(pfad) as db:
            daten = db.storage.read() or {}
            self._stand(aenderung.kundennummer, daten, pfad)
            _kopf_schreiben(db, {**_kopf(daten), "historie_bytes": _historie_bytes(daten, pfad),
                                 "stammdaten_offen": aenderung.vormerkung(verbindlich=False)})

    def historie_anhaengen(self, kundennummer: str, eintraege: list[HistorienEintrag]) -> None:
        """Audit entries that are no Akte change (a letter, a lock take-over); the version stays."""
        self.anlegen()
        pfad = self.akte_pfad(kundennummer)
        with transaktion(pfad) as db:
            daten = db.storage.read() or {}
            self._stand(kundennummer, daten, pfad)  # a defective Akte file is reported, not rewritten
            laenge = self._historie_schreiben(kundennummer, _historie_bytes(daten, pfad), eintraege)
            _kopf_schreiben(db, {**_kopf(daten), "historie_bytes": laenge})

    def _historie_schreiben(self, kundennummer: str, laenge: int, eintraege: list[HistorienEintrag]) -> int:
        """Append (fsynced) after the committed length; the caller's Akte write commits it."""
        if not eintraege:
            return laenge
        hpfad = self.historie_pfad(kundennummer)
        try:
            return anhaengen_ab(hpfad, laenge, jsonl_text([e.model_dump(mode="json") for e in eintraege]))
        except ValueError as fehler:
            raise DateiDefekt(hpfad, str(fehler)) from None

    def akte_beiseite(self, kundennummer: str, benutzer: str) -> Path:
        """Support, on explicit request only: move an unreadable Akte file aside to
        ``<name>.defekt-<zeit>`` so the customer can be worked on again; its history goes with it
        (the committed length was recorded in it). If only the history file is unreadable, only it
        is moved and the plans stay. A readable Akte is refused, so a mistyped number hides nothing.
        The move is noted in the (new) history. Returns where the defective file went."""
        pfad, hpfad = self.akte_pfad(kundennummer), self.historie_pfad(kundennummer)
        if dateien.vorhanden(pfad) is None:
            raise StoreFehler(f"Zur Kundennummer {kundennummer} gibt es keine Akte-Datei ({pfad}).")
        with gesperrt(pfad):
            try:
                self.akte_laden(kundennummer)
                self.historie(kundennummer)
            except DateiDefekt as defekt:
                kaputt = defekt
            else:
                raise StoreFehler(f"Die Akte {kundennummer} ist lesbar und wird nicht beiseitegelegt ({pfad}).")
            zeit, nummer = f"{datetime.now():%Y%m%d-%H%M%S}", 1
            while any(dateien.vorhanden(Datenordner.beiseite(p, zeit, nummer)) is not None for p in (pfad, hpfad)):
                nummer += 1
            # the history first: until the Akte forgets its committed length, nothing appends to it
            if dateien.vorhanden(hpfad) is not None:
                umbenennen(hpfad, Datenordner.beiseite(hpfad, zeit, nummer))
            if kaputt.pfad == hpfad:  # the plans are fine: keep them, start a new history
                daten = AtomicJSONStorage(pfad).read() or {}
                AtomicJSONStorage(pfad).write(_akte_tabellen(daten, {**_kopf(daten), "historie_bytes": 0}))
            else:
                umbenennen(pfad, Datenordner.beiseite(pfad, zeit, nummer))
        ziel = Datenordner.beiseite(kaputt.pfad, zeit, nummer)
        self.historie_anhaengen(kundennummer, [HistorienEintrag(
            zeit=jetzt(), benutzer=benutzer,
            aktion=f"Defekte Datei beiseitegelegt als {ziel.name} ({kaputt.grund})")])
        return ziel

    def akten_nummern(self) -> list[str]:
        return self.ordner.akten_nummern()

    # ---- the customer list, the edit lock, the archive's index, the sweep ---------------------------
    def kundenliste(self) -> Kundenliste:
        """The customer list's rows (kopl_tui/kundenindex.py: cached next to the index)."""
        from kopl_tui.kundenindex import Kundenindex

        index = Kundenindex(self.data_dir)
        liste = index.laden()
        index.cache_schreiben()
        return liste

    def sperre_lesen(self, kundennummer: str) -> SperrInhaber | None:
        return AkteSperre.lesen(self, kundennummer)

    def sperre_nehmen(self, kundennummer: str, benutzer: str) -> Sperre | FremdeSperre:
        return AkteSperre.nehmen(self, kundennummer, benutzer)

    def sperre_aufheben(self, kundennummer: str, benutzer: str, erzwingen: bool = False) -> SperrInhaber | None:
        return AkteSperre.aufheben(self, kundennummer, benutzer, erzwingen)

    def ablage_eintragen(self, kundennummer: str, eintrag: AblageEintrag,
                         historie: Sequence[HistorienEintrag] = ()) -> tuple[AblageEintrag, bool]:
        """Index entry, then the history lines; if those cannot be written (disk full, defective
        Akte) the entry is taken back. A kill in between leaves the entry alone: the Ablage's
        start-up clean-up adds the missing line (its draft marker says so)."""
        index = self.ordner.ablage.index(kundennummer)
        with transaktion(index) as db:
            tabelle = db.table("dokumente", cache_size=0)
            for doc in tabelle.all():
                if doc.get("datei") == eintrag.datei:
                    with _defekt_wenn_ungueltig(index):
                        return AblageEintrag.model_validate(doc), False
            tabelle.insert(eintrag.model_dump(mode="json"))
        try:
            if historie:
                self.historie_anhaengen(kundennummer, list(historie))
        except BaseException:
            with contextlib.suppress(StoreFehler, OSError):  # else the clean-up completes it
                self.ablage_austragen(kundennummer, eintrag.id)
            raise
        return eintrag, True

    def ablage_austragen(self, kundennummer: str, eintrag_id: str) -> None:
        with transaktion(self.ordner.ablage.index(kundennummer)) as db:
            db.table("dokumente", cache_size=0).remove(Query().id == eintrag_id)

    def ablage_dokumente(self, kundennummer: str) -> list[AblageEintrag]:
        """A customer's filed letters, newest first."""
        index = self.ordner.ablage.index(kundennummer)
        with lesen(index) as db, _defekt_wenn_ungueltig(index):
            eintraege = _ABLAGE.validate_python(list(db.table("dokumente", cache_size=0).all()))
        return sorted(eintraege, key=lambda e: (e.abgelegt_am, e.datei), reverse=True)

    def bestand_lesen(self) -> Iterator[GeleseneAkte]:
        """The support sweep over the folder (kopl_tui/bestand.py)."""
        from kopl_tui.bestand import bestand_lesen  # the sweep reads through the store

        return bestand_lesen(self)


def _kopf(daten: dict[str, dict[str, Any]]) -> dict[str, Any]:
    kopf = daten.get("akte", {}).get("1", {})
    return kopf if isinstance(kopf, dict) else {}


def _kopf_schreiben(db: TinyDB, kopf: dict[str, Any]) -> None:
    """The Akte's header becomes exactly ``kopf`` (a note of master data that is settled goes)."""
    db.storage.write(_akte_tabellen(db.storage.read() or {}, kopf))


def _akte_tabellen(daten: dict[str, dict[str, Any]], kopf: dict[str, Any],
                   plaene: list[dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """An Akte file's tables with ``kopf`` as the header and, if given, ``plaene`` as the plans
    (numbered from 1, as TinyDB does after emptying a table), other tables as they are. Whole tables
    are replaced in a new dict, never changed in place (``Store._bekannt`` may hold ``daten``); and
    TinyDB's table operations would copy a table twice for each call."""
    neu = {**daten, "akte": {"1": kopf}}
    if plaene is not None:
        neu["plaene"] = {str(nummer): plan for nummer, plan in enumerate(plaene, start=1)}
    return neu


def _vormerkung(daten: dict[str, dict[str, Any]], pfad: Path) -> dict[str, Any] | None:
    """The note of a master-data change in the Akte's header, or None (module docstring)."""
    vormerkung = _kopf(daten).get("stammdaten_offen")
    if vormerkung is None:
        return None
    if not (isinstance(vormerkung, dict) and isinstance(vormerkung.get("alt"), dict)
            and isinstance(vormerkung.get("neu"), dict) and set(vormerkung["alt"]) == set(vormerkung["neu"])
            and isinstance(vormerkung.get("verbindlich"), bool)):
        raise DateiDefekt(pfad, "ungültige Vormerkung der Stammdaten")
    return vormerkung


def _historie_bytes(daten: dict[str, dict[str, Any]], pfad: Path) -> int:
    laenge = _kopf(daten).get("historie_bytes", 0)
    if type(laenge) is not int or laenge < 0:
        raise DateiDefekt(pfad, f"ungültige Länge der Historie {laenge!r}")
    return laenge


def _historie_lesen(daten: dict[str, dict[str, Any]], pfad: Path, hpfad: Path) -> list[HistorienEintrag]:
    """The committed audit trail (file ``hpfad``) of the Akte file ``pfad`` with content ``daten``;
    entries of files written before the trail had its own file (a ``historie`` table) come first."""
    with _defekt_wenn_ungueltig(pfad):
        frueher = _HISTORIE.validate_python(list(daten.get("historie", {}).values()))
    zeilen = _historie_zeilen(hpfad, _historie_bytes(daten, pfad))
    with _defekt_wenn_ungueltig(hpfad):
        return [*frueher, *_HISTORIE.validate_python(zeilen)]


def _historie_zeilen(pfad: Path, laenge: int) -> list[Any]:
    """The committed lines of the audit trail (never what lies beyond: an uncommitted save)."""
    if laenge == 0:
        return []
    try:
        roh = dateien.lesen(pfad, hoechstens=laenge)
    except FileNotFoundError:
        raise DateiDefekt(pfad, "die Datei fehlt") from None
    if len(roh) < laenge or not roh.endswith(b"\n"):
        raise DateiDefekt(pfad, f"kürzer ({len(roh)} Bytes) als gespeichert ({laenge} Bytes)")
    return jsonl_zeilen(roh, pfad)


def _version(daten: dict[str, dict[str, Any]], pfad: Path) -> int:
    version = _kopf(daten).get("version", 0)
    if type(version) is not int or version < 0:
        raise DateiDefekt(pfad, f"ungültiger Stand {version!r}")
    return version


@contextmanager
def _defekt_wenn_ungueltig(pfad: Path) -> Iterator[None]:
    """A file whose content does not fit the model: the file's defect, with the model's German words."""
    try:
        yield
    except ValidationError as fehler:
        erste = next(iter(meldungen(fehler).values()), "unbekannter Fehler")
        raise DateiDefekt(pfad, f"Inhalt passt nicht zum Datenmodell: {erste[:200]}") from None
