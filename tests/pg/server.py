"""A real, private PostgreSQL server for the tests.

Debian's server binaries (package ``postgresql``; not on PATH), one cluster in a fresh folder under
/tmp, listening only on a Unix socket in that folder (``listen_addresses=''``: no TCP port at all),
fsync off for speed: the tests never survive a power cut, they only need a real server. The server
refuses to run as root, so as root it runs as the ``postgres`` system user the package creates,
which must be able to pass through every parent folder: hence /tmp, not pytest's private tmp.

Roles for the failure tests: ``mit_passwort`` must log in with a password (scram-sha-256, ahead of
the ``trust`` lines in pg_hba.conf), ``ohne_rechte`` may log in but owns nothing.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

PASSWORT = "richtig-geheim"
PASSWORT_ROLLE = "mit_passwort"
OHNE_RECHTE = "ohne_rechte"
APP_ROLLE = "kopl"
"""The app's role as the README sets it up: LOGIN only, owner of its database, nothing else."""


def server_programme() -> Path | None:
    """The newest installed server's bin folder, or None."""
    kandidaten = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                        key=lambda p: [int(t) for t in p.parent.parent.name.split(".") if t.isdigit()])
    return kandidaten[-1].parent if kandidaten else None


def konto_vorhanden(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


class PgServer:
    def __init__(self, programme: Path):
        self.programme = programme
        self.ordner = Path(tempfile.mkdtemp(prefix="kopl-pg-", dir="/tmp"))
        self.daten = self.ordner / "data"
        self._als_root = os.geteuid() == 0
        if self._als_root:
            os.chown(self.ordner, pwd.getpwnam("postgres").pw_uid, -1)
        self._nummer = 0

    # ---- starting and stopping ----------------------------------------------------------------
    def _programm(self, name: str, *argumente: str) -> subprocess.CompletedProcess[str]:
        befehl = [str(self.programme / name), *argumente]
        if self._als_root:
            befehl = ["runuser", "-u", "postgres", "--", *befehl]
        return subprocess.run(befehl, capture_output=True, text=True, timeout=120, check=True)

    def starten(self, haltbar: bool = False) -> PgServer:
        """``haltbar``: fsync and synchronous commit on, as a production server runs (``make bench``
        compares saves with the folder's fsynced ones); the tests run without."""
        self._programm("initdb", "-D", str(self.daten), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                       "--locale=C.UTF-8", "--no-sync")
        hba = self.daten / "pg_hba.conf"
        hba.write_text(f"local all {PASSWORT_ROLLE} scram-sha-256\n" + hba.read_text())
        optionen = f"-k {self.ordner} -c listen_addresses='' -c max_connections=200"
        if not haltbar:
            optionen += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        self._programm("pg_ctl", "-D", str(self.daten), "-l", str(self.ordner / "log"), "-w", "-o", optionen, "start")
        self.admin(f"CREATE ROLE {PASSWORT_ROLLE} LOGIN PASSWORD '{PASSWORT}'",
                   f"CREATE ROLE {OHNE_RECHTE} LOGIN", f"CREATE ROLE {APP_ROLLE} LOGIN")
        return self

    def stoppen(self) -> None:
        try:
            self._programm("pg_ctl", "-D", str(self.daten), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.ordner, ignore_errors=True)

    # ---- addresses and databases ---------------------------------------------------------------
    def url(self, datenbank: str = "postgres", rolle: str = "postgres") -> str:
        """A libpq URL for the private socket (no password: trust, or PGPASSWORD in the test)."""
        return f"postgresql://{rolle}@/{datenbank}?host={quote(str(self.ordner), safe='/')}"

    def admin(self, *befehle: str) -> list[list[tuple]]:
        """Statements as the superuser, each in autocommit (CREATE DATABASE needs that)."""
        import psycopg

        ergebnisse = []
        with psycopg.connect(self.url(), autocommit=True) as verbindung:
            for befehl in befehle:
                cursor = verbindung.execute(befehl)
                ergebnisse.append(cursor.fetchall() if cursor.description else [])
        return ergebnisse

    def neue_datenbank(self, vorlage: str = "template1", eigentuemer: str = APP_ROLLE) -> str:
        """A fresh database for one test, owned by the app's role."""
        self._nummer += 1
        name = f"test_{os.getpid()}_{self._nummer}"
        self.admin(f"CREATE DATABASE {name} OWNER {eigentuemer} TEMPLATE {vorlage} STRATEGY FILE_COPY",
                   f"REVOKE ALL ON DATABASE {name} FROM PUBLIC")
        return name

    def datenbank_entfernen(self, name: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
