"""Pilot tests drive the real app on a real demo data folder (fixed reference day)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kopl_tui.app import KoplApp
from kopl_tui.demo import demo_jobcenter, schreiben
from kopl_tui.store import Store
from tests.conftest import HEUTE


@pytest.fixture
def demo_ordner(tmp_path: Path) -> Path:
    ordner = tmp_path / "demo"
    schreiben(Store(ordner), demo_jobcenter(HEUTE))
    return ordner


@pytest.fixture
def app(demo_ordner: Path) -> KoplApp:
    return KoplApp(data_dir=demo_ordner, benutzer="tester", heute=HEUTE)


async def kunde_oeffnen(pilot, suche: str) -> None:
    """Type into #suche and press Enter, as a user would."""
    await pilot.press(*suche)
    await pilot.press("enter")
    await pilot.pause()


async def auswahl(pilot, wert: str) -> None:
    """Choose a value in the focused Select: open it, type to search, Enter."""
    await pilot.press("enter")
    await pilot.press(*wert[:4])
    await pilot.press("enter")
    await pilot.pause()
