"""One test body, two stores: the data folder (kopl_tui/store.py) and PostgreSQL
(kopl_tui/pg_store.py), both a ``Speicher`` (kopl_tui/speicher.py); each call goes to the real
implementation of its store."""

from __future__ import annotations

from dataclasses import dataclass, field

from kopl_tui.datenort import datenort
from kopl_tui.pg_store import PgStore
from kopl_tui.speicher import Speicher


def store_fuer(ort: str) -> Speicher:
    """A store for a data location as ``--data`` gives it (what a new process would make)."""
    return datenort(ort).store().anlegen()


@dataclass
class Backend:
    art: str
    """"ordner" or "postgresql" (the test id)."""
    ort: str
    """Folder path or URL: picklable, for the store a child process makes."""
    _offen: list[Speicher] = field(default_factory=list)

    def store(self) -> Speicher:
        store = store_fuer(self.ort)
        self._offen.append(store)
        return store

    def schliessen(self) -> None:
        for store in self._offen:
            if isinstance(store, PgStore):
                store.schliessen()
