"""TinyDB store: one file per Kundenakte (``akten/<kundennummer>.json``) plus the customer index.

TinyDB's stock JSONStorage overwrites in place and keeps one handle open across other processes'
replaces; here every read opens by path, every change is buffered and written once, atomically,
under a short file lock, after a version check (research/store-and-letters.md §1.5).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, TypeAdapter
from tinydb import Query, TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from kopl_tui.dateien import (  # StoreFehler, DateiDefekt: defined there, importable from here
    DateiDefekt,
    StoreFehler,
    atomar_schreiben,
    privater_ordner,
    sperre,
    verwaiste_tempdateien,
)
from kopl_tui.model import HistorienEintrag, Kooperationsplan, Kunde

SPERR_WARTEZEIT = 10.0  # seconds a save waits for another process's save of the same file


class VersionKonflikt(StoreFehler):
    """Someone saved the Akte since it was opened: nothing was written."""

    def __init__(self, kundennummer: str, erwartet: int, gefunden: int):
        self.kundennummer, self.erwartet, self.gefunden = kundennummer, erwartet, gefunden
        super().__init__(f"Die Akte {kundennummer} wurde inzwischen von jemand anderem gespeichert "
                         f"(Stand {gefunden}, geöffnet war Stand {erwartet}). Nichts wurde geschrieben; "
                         "bitte die Akte neu laden.")


class AtomicJSONStorage(Storage):
    """TinyDB storage that reads by path each time and replaces the file atomically (0600)."""

    def __init__(self, pfad: Path):
        self.pfad = Path(pfad)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            roh = self.pfad.read_bytes()
        except FileNotFoundError:
            return None
        if not roh.strip():
            raise DateiDefekt(self.pfad, "die Datei ist leer")
        try:
            daten = json.loads(roh.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as fehler:
            raise DateiDefekt(self.pfad, f"kein gültiges JSON: {fehler}") from None
        if not isinstance(daten, dict) or not all(isinstance(t, dict) for t in daten.values()):
            raise DateiDefekt(self.pfad, "unerwarteter Aufbau")
        return daten

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        atomar_schreiben(self.pfad, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


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
    with sperre(f"{pfad}.lock", SPERR_WARTEZEIT):
        basis = AtomicJSONStorage(pfad)
        db = TinyDB(basis, storage=_Puffer)
        puffer: _Puffer = db.storage  # type: ignore[assignment]
        yield db
        if puffer.geaendert:
            basis.write(puffer.daten or {})


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
    historie: list[HistorienEintrag] = Field(default_factory=list)


_KUNDEN = TypeAdapter(list[Kunde])
_PLAENE = TypeAdapter(list[Kooperationsplan])
_HISTORIE = TypeAdapter(list[HistorienEintrag])


class Store:
    """The data folder: ``kunden.json`` (index), ``akten/`` (one TinyDB file per Kundenakte)."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.akten_dir = self.data_dir / "akten"
        self.kunden_datei = self.data_dir / "kunden.json"

    def anlegen(self) -> Store:
        privater_ordner(self.data_dir)
        privater_ordner(self.akten_dir)
        return self

    def akte_pfad(self, kundennummer: str) -> Path:
        if not re.fullmatch(r"[0-9A-Z]{10}", kundennummer):
            raise StoreFehler(f"„{kundennummer}“ ist keine gültige Kundennummer.")
        return self.akten_dir / f"{kundennummer}.json"

    def leeren(self) -> None:
        """Remove this app's data (and nothing else a mistyped --data might point at)."""
        for name in ("akten", "ablage"):
            shutil.rmtree(self.data_dir / name, ignore_errors=True)
        for datei in self.data_dir.glob("kunden.json*"):
            datei.unlink()

    def ist_leer(self) -> bool:
        return not self.kunden_datei.exists()

    def aufraeumen(self) -> list[Path]:
        """Start-up: remove temp files of killed saves (each under its target's lock is not needed:
        a live save's temp file is younger than its lock hold; only files older than a minute go)."""
        entfernt = []
        grenze = datetime.now().timestamp() - 60
        for ordner in (self.data_dir, self.akten_dir):
            for pfad in verwaiste_tempdateien(ordner):
                if pfad.stat().st_mtime < grenze:
                    pfad.unlink(missing_ok=True)
                    entfernt.append(pfad)
        return entfernt

    # ---- customer index ------------------------------------------------
    def kunden(self) -> list[Kunde]:
        with lesen(self.kunden_datei) as db:
            return _KUNDEN.validate_python(list(db.table("kunden", cache_size=0).all()))

    def kunde(self, kundennummer: str) -> Kunde | None:
        with lesen(self.kunden_datei) as db:
            treffer = db.table("kunden", cache_size=0).get(Query().kundennummer == kundennummer)
        return Kunde.model_validate(treffer) if treffer else None

    def kunden_schreiben(self, kunden: list[Kunde]) -> None:
        """Insert or update customers by Kundennummer, all in one write."""
        self.anlegen()
        with transaktion(self.kunden_datei) as db:
            tabelle = db.table("kunden", cache_size=0)
            vorhanden = {doc["kundennummer"]: doc.doc_id for doc in tabelle.all()}
            neu = []
            for kunde in kunden:
                daten = kunde.model_dump(mode="json")
                if kunde.kundennummer in vorhanden:
                    daten["id"] = tabelle.get(doc_id=vorhanden[kunde.kundennummer])["id"]
                    tabelle.upsert(Document(daten, doc_id=vorhanden[kunde.kundennummer]))
                else:
                    neu.append(daten)
            tabelle.insert_multiple(neu)

    # ---- Kundenakte ------------------------------------------------------
    def akte_laden(self, kundennummer: str) -> AkteStand:
        with lesen(self.akte_pfad(kundennummer)) as db:
            return self._stand(kundennummer, db)

    @staticmethod
    def _stand(kundennummer: str, db: TinyDB) -> AkteStand:
        kopf = db.table("akte", cache_size=0).get(doc_id=1) or {}
        return AkteStand(
            kundennummer=kundennummer,
            version=kopf.get("version", 0),
            geaendert_am=kopf.get("geaendert_am"),
            geaendert_von=kopf.get("geaendert_von", ""),
            plaene=_PLAENE.validate_python(list(db.table("plaene", cache_size=0).all())),
            historie=_HISTORIE.validate_python(list(db.table("historie", cache_size=0).all())),
        )

    def akte_speichern(self, kundennummer: str, plaene: list[Kooperationsplan], erwartete_version: int,
                       benutzer: str, historie: list[HistorienEintrag] = ()) -> AkteStand:
        """Final save (§5): all plans at once, only if nobody saved since ``erwartete_version``."""
        self.anlegen()
        pfad = self.akte_pfad(kundennummer)
        with transaktion(pfad) as db:
            kopf = db.table("akte", cache_size=0)
            gefunden = (kopf.get(doc_id=1) or {}).get("version", 0)
            if gefunden != erwartete_version:
                raise VersionKonflikt(kundennummer, erwartete_version, gefunden)
            jetzt = datetime.now().astimezone()
            kopf.upsert(Document({"kundennummer": kundennummer, "version": gefunden + 1,
                                  "geaendert_am": jetzt.isoformat(), "geaendert_von": benutzer}, doc_id=1))
            tabelle = db.table("plaene", cache_size=0)
            tabelle.truncate()
            tabelle.insert_multiple(plan.model_dump(mode="json") for plan in plaene)
            if historie:
                db.table("historie", cache_size=0).insert_multiple(e.model_dump(mode="json") for e in historie)
            return self._stand(kundennummer, db)

    def historie_anhaengen(self, kundennummer: str, eintraege: list[HistorienEintrag]) -> None:
        """Audit entries that are no Akte change (a letter, a lock take-over); the version stays."""
        self.anlegen()
        with transaktion(self.akte_pfad(kundennummer)) as db:
            db.table("historie", cache_size=0).insert_multiple(e.model_dump(mode="json") for e in eintraege)

    def akten_nummern(self) -> list[str]:
        if not self.akten_dir.is_dir():
            return []
        return sorted(p.stem for p in self.akten_dir.glob("*.json") if not p.name.startswith("."))

