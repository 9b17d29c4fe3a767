"""The edit lock in the app (README, "Zuverlässigkeit"): a second user opening a locked Akte gets it read-only and is told who holds it."""

from pathlib import Path

from kopl_tui.app import KoplApp
from kopl_tui.sperre import AkteSperre
from kopl_tui.store import Store
from screens.maske import MaskeScreen
from screens.uebersicht import UebersichtScreen
from tests.conftest import HEUTE
from tests.ui.conftest import kunde_oeffnen


async def test_gesperrte_akte_nur_ansicht_mit_inhaber(demo_ordner: Path):
    store = Store(demo_ordner)
    anna = AkteSperre.nehmen(store, "100D000003", "anna")  # anna edits Mustermann Max
    app = KoplApp(data_dir=demo_ordner, benutzer="bernd", heute=HEUTE)
    vorher = store.akte_pfad("100D000003").read_bytes()
    async with app.run_test(size=(100, 35), notifications=True) as pilot:
        await kunde_oeffnen(pilot, "Mustermann Max")
        assert isinstance(app.screen, UebersichtScreen)
        assert app.akte.schreibgeschuetzt and "Akte wird bearbeitet von anna seit" in app.akte.grund
        assert "NUR ANSICHT" in app.sub_title
        assert any("anna" in str(n.message) for n in app._notifications)
        await pilot.press("delete", "n")
        await pilot.pause()
        assert not app.akte.hat_loeschmarken and isinstance(app.screen, UebersichtScreen)
        await pilot.press("enter")  # looking is allowed
        await pilot.pause()
        assert isinstance(app.screen, MaskeScreen)
        app.screen.query_one("#ziel").focus()
        await pilot.press(*"geändert", "f2", "ctrl+s", "escape")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        await pilot.press("escape")
        await pilot.pause()
    assert store.akte_pfad("100D000003").read_bytes() == vorher
    assert AkteSperre.lesen(store, "100D000003").benutzer == "anna"  # bernd never took anna's lock
    anna.freigeben()


async def test_akte_schliessen_gibt_sperre_frei(app: KoplApp):
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Mustermann Max")
        assert AkteSperre.lesen(app.store, "100D000003").benutzer == "tester"
        await pilot.press("escape")
        await pilot.pause()
        assert app.akte is None
        assert AkteSperre.lesen(app.store, "100D000003") is None
