"""`make bench`, part "postgresql": the same data set in a PostgreSQL database, next to the folder.

A private server from Debian's ``postgresql`` package (tests/pg/server.py: Unix socket only, under
/tmp), this time with fsync and synchronous commit on, as a production server runs. The data folder
is moved in with ``kopl-tui umziehen``'s own code (kopl_tui/umzug.py, which also checks the copy),
the database analysed, and the server stopped at the end. Without the package the part is left out
with a note on stderr.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from kopl_tui.datenort import Datenort


@contextlib.contextmanager
def datenbank_mit(ordner: Path) -> Iterator[Datenort | None]:
    """The folder's data in a fresh database of a private server (None without PostgreSQL)."""
    import psycopg

    from kopl_tui import pg_schema
    from kopl_tui.pg_verbindung import verbinden
    from kopl_tui.umzug import umziehen
    from tests.pg.server import APP_ROLLE, PgServer, server_programme

    programme = server_programme()
    if programme is None:
        print("  PostgreSQL: nicht installiert (Debian-Paket postgresql), Teil ausgelassen", file=sys.stderr)
        yield None
        return
    server = PgServer(programme).starten(haltbar=True)
    dateien = Path(tempfile.mkdtemp(prefix="kopl-bench-dateien-"))
    try:
        server.admin(f"CREATE DATABASE bench OWNER {APP_ROLLE}",
                     "ALTER DATABASE bench SET synchronous_commit = off")  # loading only: reset below
        url = server.url("bench", APP_ROLLE)
        with verbinden(url) as verbindung:
            pg_schema.migrieren(verbindung)
        ort = Datenort(dateien, url)
        start = time.perf_counter()
        umziehen(Datenort(ordner), ort, "bench")
        print(f"  PostgreSQL: Bestand umgezogen und geprüft in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        server.admin("ALTER DATABASE bench RESET synchronous_commit")
        with psycopg.connect(url, autocommit=True) as verbindung:
            verbindung.execute("VACUUM ANALYZE")
        yield ort
    finally:
        server.stoppen()
        shutil.rmtree(dateien, ignore_errors=True)
