"""One test body, two stores: the data folder (kopl_tui/store.py with kopl_tui/sperre.py) and
PostgreSQL (kopl_tui/pg_store.py). Each call goes to the real implementation of its store; the
edit lock's three operations have the folder's names there and the store's methods here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from kopl_tui.akte import Kundenakte
from kopl_tui.model import Kunde
from kopl_tui.pg_store import PgSperre, PgStore
from kopl_tui.sperre import AkteSperre, FremdeSperre, Sperre, SperrInhaber, akte_oeffnen
from kopl_tui.store import Store

EinStore = Union[Store, PgStore]


def store_fuer(ort: str) -> EinStore:
    """A store for a data location as ``--data`` gives it (what a new process would make)."""
    return PgStore(ort) if ort.startswith("postgresql://") else Store(Path(ort)).anlegen()


def sperre_nehmen(store: EinStore, kundennummer: str, benutzer: str) -> Sperre | PgSperre | FremdeSperre:
    if isinstance(store, PgStore):
        return store.sperre_nehmen(kundennummer, benutzer)
    return AkteSperre.nehmen(store, kundennummer, benutzer)


def sperre_lesen(store: EinStore, kundennummer: str) -> SperrInhaber | None:
    if isinstance(store, PgStore):
        return store.sperre_lesen(kundennummer)
    return AkteSperre.lesen(store, kundennummer)


def sperre_aufheben(store: EinStore, kundennummer: str, benutzer: str, erzwingen: bool = False) -> SperrInhaber | None:
    if isinstance(store, PgStore):
        return store.sperre_aufheben(kundennummer, benutzer, erzwingen)
    return AkteSperre.aufheben(store, kundennummer, benutzer, erzwingen)


def akte_mit_sperre(store: EinStore, kunde: Kunde, benutzer: str) -> Kundenakte:
    """Open an Akte as the app does: with its edit lock, or read-only with the holder's message."""
    return akte_oeffnen(store, kunde, benutzer)


@dataclass
class Backend:
    art: str
    """"ordner" or "postgresql" (the test id)."""
    ort: str
    """Folder path or URL: picklable, for the store a child process makes."""
    _offen: list[EinStore] = field(default_factory=list)

    def store(self) -> EinStore:
        store = store_fuer(self.ort)
        self._offen.append(store)
        return store

    def schliessen(self) -> None:
        for store in self._offen:
            if isinstance(store, PgStore):
                store.schliessen()
