"""Fixtures for the PostgreSQL store and for tests that run the same assertions on both stores.

One private server per test session (tests/pg/server.py), a fresh database per test. Without
Debian's ``postgresql`` package the tests are skipped, which CI (KOPL_KEINE_AUSNAHMEN=1, see
tests/conftest.py) turns into failures: there the package is installed (.ci/pakete).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kopl_tui import pg_schema
from kopl_tui.pg_verbindung import verbinden
from tests.pg.backend import Backend
from tests.pg.server import APP_ROLLE, PgServer, konto_vorhanden, server_programme

VORLAGE = "kopl_vorlage"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    programme = server_programme()
    if programme is None:
        pytest.skip("PostgreSQL-Server nicht installiert (Debian-Paket postgresql)")
    if os.geteuid() == 0 and not konto_vorhanden("postgres"):
        pytest.skip("Systemkonto postgres fehlt (legt das Debian-Paket postgresql an)")
    server = PgServer(programme).starten()
    try:
        server.admin(f"CREATE DATABASE {VORLAGE} OWNER {APP_ROLLE}")
        with verbinden(server.url(VORLAGE, APP_ROLLE)) as verbindung:
            pg_schema.migrieren(verbindung)
        yield server
    finally:
        server.stoppen()


@pytest.fixture
def pg_leer(pg_server: PgServer) -> Iterator[str]:
    """The URL of a fresh, empty database owned by the app's role (nothing set up yet)."""
    name = pg_server.neue_datenbank()
    yield pg_server.url(name, APP_ROLLE)
    pg_server.datenbank_entfernen(name)


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """The URL of a fresh database with the current schema, as ``datenbank-anlegen`` leaves it."""
    name = pg_server.neue_datenbank(vorlage=VORLAGE)
    yield pg_server.url(name, APP_ROLLE)
    pg_server.datenbank_entfernen(name)


@pytest.fixture(params=["ordner", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """The same test on the data folder and on PostgreSQL."""
    if request.param == "ordner":
        ort = str(tmp_path / "daten")
    else:
        ort = request.getfixturevalue("pg_url")
    stand = Backend(request.param, ort)
    yield stand
    stand.schliessen()
