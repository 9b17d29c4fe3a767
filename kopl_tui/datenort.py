"""The data location: ``--data``/``KOPL_DATA`` names a folder (the TinyDB store, the default) or a
PostgreSQL database (``postgresql://…``, README "Mehrere Server"); this turns it into the store that
the app and every command work on.

A database holds customers, Akten, plans, history, the index of filed letters and the edit locks.
Files stay files, in the *Dateiordner* (``--dateien``/``KOPL_DATEIEN``): the filed letters
(``ablage/``, .docx and PDF a user fetches over SSH), the letterhead and own
templates ``vorlagen/``. For a data folder the Dateiordner is that folder itself.

Nothing heavy is imported at the top: the TUI's start-up with a folder loads neither pydantic nor
psycopg here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kopl_tui.pg_verbindung import ist_postgresql

if TYPE_CHECKING:
    from kopl_tui.speicher import Speicher

STANDARD_DATEN = Path("data/arbeitsbestand")
STANDARD_DATEIEN = Path("data/dateien")
"""The Dateiordner of a database when neither --dateien nor KOPL_DATEIEN names one."""


@dataclass(frozen=True)
class Datenort:
    """Where the data is: ``adresse`` a PostgreSQL address (None for a folder); ``ordner`` the data
    folder, or for a database its Dateiordner (resolved once: links above it are the
    administrator's; below it kopl_tui.dateien follows none)."""

    ordner: Path
    adresse: str | None = None

    @property
    def ist_datenbank(self) -> bool:
        return self.adresse is not None

    def __str__(self) -> str:
        """For messages: the folder, or the database in words (never a password)."""
        if self.adresse is None:
            return str(self.ordner)
        from kopl_tui.pg_verbindung import beschreibung

        return beschreibung(self.adresse)

    def store(self) -> Speicher:
        """A store for this location (for a folder: its folders are created on first write)."""
        if self.adresse is not None:
            from kopl_tui.pg_store import PgStore

            return PgStore(self.adresse, self.ordner)
        from kopl_tui.store import Store

        return Store(self.ordner)


def datenort(wert: str | os.PathLike[str] | None = None, dateien: str | os.PathLike[str] | None = None) -> Datenort:
    """``--data`` (else ``KOPL_DATA``, else ./data/arbeitsbestand) as a data location;
    ``dateien`` (else ``KOPL_DATEIEN``) is the Dateiordner of a database. An address that cannot
    be read or carries a password is refused here (``AdresseUngueltig``, German), before anything
    connects or is written anywhere."""
    text = (os.fspath(wert) if wert else "") or os.environ.get("KOPL_DATA") or ""
    if ist_postgresql(text):
        from kopl_tui.pg_verbindung import verbindungsangaben

        verbindungsangaben(text)
        ordner = dateien if dateien is not None else os.environ.get("KOPL_DATEIEN") or STANDARD_DATEIEN
        return Datenort(Path(ordner).resolve(), text.strip())
    if dateien is not None:  # a folder holds its files itself; a second folder would be silently ignored
        from kopl_tui.pg_verbindung import AdresseUngueltig

        raise AdresseUngueltig("--dateien gilt nur mit einer Datenbank (--data postgresql://…); in einem Datenordner "
                               "liegen Briefe, Briefkopf und Vorlagen im Datenordner selbst.")
    return Datenort(Path(text or STANDARD_DATEN).resolve())
