from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kopl_tui.model import Anrede, Kunde
from kopl_tui.store import Store

HEUTE = date(2026, 11, 25)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "daten").anlegen()


@pytest.fixture
def kunde() -> Kunde:
    return Kunde(kundennummer="123D456789", anrede=Anrede.FRAU, nachname="Musterfrau", vorname="Erika",
                 geburtsdatum="01.02.1980", bg_nummer="12345//0001234", ifk="Ina Beispiel")


@pytest.fixture
def store_mit_kunde(store: Store, kunde: Kunde) -> Store:
    store.kunden_schreiben([kunde])
    return store


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest's reporter
    """The reliability figures (tests/kennzahlen.py) appear in every run's summary, without -s."""
    from tests.kennzahlen import ERGEBNISSE

    if ERGEBNISSE:
        terminalreporter.section("Zuverlässigkeit: Kennzahlen")
        for zeile in ERGEBNISSE:
            terminalreporter.write_line(zeile)
