"""Opening an Akte and the final save wait for short file locks in a worker: meanwhile the app says
that it waits, answers keys (F1 Hilfe), holds the keys for the Akte until it is done (they act then),
and finishes once the lock is free. The test holds the very lock the app waits for (another process's save would hold it)."""

from __future__ import annotations

import time
from pathlib import Path

from kopl_tui.app import KoplApp
from kopl_tui.sperre import AkteSperre
from kopl_tui.store import Store, gesperrt
from screens.hilfe import HilfeScreen
from screens.kundenliste import KundenlisteScreen
from screens.maske import MaskeScreen
from screens.uebersicht import UebersichtScreen
from tests.conftest import WARTE_FRIST
from tests.ui.conftest import akte_abwarten, kunde_oeffnen, nicht_auf_akte_warten

NR = "100D000003"  # Mustermann, Max


async def _bis(pilot, bedingung) -> None:
    """Pause until ``bedingung()`` holds (the header's waiting note comes after a short delay); a
    deadline, not a count of pauses (tests/conftest.py ``bis``)."""
    ende = time.monotonic() + WARTE_FRIST
    while not bedingung():
        assert time.monotonic() < ende, "Bedingung nicht erreicht"
        await pilot.pause(0.05)


async def test_speichern_wartet_auf_die_sperre_und_die_app_antwortet(app: KoplApp, demo_ordner: Path):
    store = Store(demo_ordner)
    vorher = store.akte_laden(NR).version
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Mustermann Max")
        await pilot.press("enter")
        assert isinstance(app.screen, MaskeScreen)
        app.screen.query_one("#ziel").focus()
        await pilot.press(*"neu", "f3")
        assert isinstance(app.screen, UebersichtScreen) and app.akte.ungespeichert
        with nicht_auf_akte_warten():
            with gesperrt(store.akte_pfad(NR)):  # the Akte file's short lock, as a save elsewhere holds it
                await pilot.press("ctrl+s")
                await _bis(pilot, lambda: "Speichern" in app.sub_title and "wartet" in app.sub_title)
                assert app.wartet and app.akte.ungespeichert
                await pilot.press("delete")  # keys for the Akte are held meanwhile …
                assert not app.akte.hat_loeschmarken
                await pilot.press("f1")  # the app answers
                assert isinstance(app.screen, HilfeScreen)
                await pilot.press("escape")
                assert isinstance(app.screen, UebersichtScreen)
                assert store.akte_laden(NR).version == vorher  # still waiting: nothing written
            await akte_abwarten(pilot)
        assert not app.wartet and not app.akte.ungespeichert
        assert app.akte.hat_loeschmarken  # … and act once it is saved: the key typed ahead is not lost
        assert "gespeichert" in app.sub_title and "wartet" not in app.sub_title
    assert store.akte_laden(NR).version == vorher + 1
    assert any("neu" in plan.ziel for plan in store.akte_laden(NR).plaene)


async def test_oeffnen_wartet_auf_die_sperre_und_die_app_antwortet(app: KoplApp, demo_ordner: Path):
    store = Store(demo_ordner)
    async with app.run_test(size=(100, 35)) as pilot:
        with nicht_auf_akte_warten():
            with gesperrt(AkteSperre.pfad(store, NR)):  # the edit lock file's short lock
                await kunde_oeffnen(pilot, "Mustermann Max")
                await _bis(pilot, lambda: "geöffnet" in app.sub_title and "wartet" in app.sub_title)
                assert isinstance(app.screen, KundenlisteScreen) and app.akte is None
                await pilot.press("f1")
                assert isinstance(app.screen, HilfeScreen)
                await pilot.press("escape")
                assert isinstance(app.screen, KundenlisteScreen)
            await akte_abwarten(pilot)
        assert isinstance(app.screen, UebersichtScreen)
        assert app.akte is not None and app.akte.kunde.kundennummer == NR and not app.akte.schreibgeschuetzt
    assert AkteSperre.lesen(store, NR) is None  # given back when the app ended
