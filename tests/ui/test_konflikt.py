"""Two staff members on one Akte, support on the CLI: no save is ever lost.

Two real app instances (one Pilot each) on one data folder; support's ``kopl-tui sperre-aufheben``
and a writer that ignores the edit lock run as real processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from textual.widgets import DataTable, TextArea

from kopl_tui.app import KoplApp
from kopl_tui.model import Status
from kopl_tui.sperre import AkteSperre
from kopl_tui.store import Store
from screens.falluebersicht import FalluebersichtScreen
from screens.maske import MaskeScreen
from screens.texteditor import TextEditorScreen
from screens.uebersicht import UebersichtScreen
from tests.conftest import HEUTE
from tests.ui.conftest import eintragen, kunde_oeffnen

NAME = "Mustermann Max"


def support(ordner: Path, nummer: str, *weitere: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kopl_tui", "sperre-aufheben", nummer, "--data", str(ordner),
                           "--benutzer", "support", *weitere], capture_output=True, text=True, timeout=60)


def gespeichert(ordner: Path, nummer: str):
    return Store(ordner).akte_laden(nummer)


def gespeicherter_plan(ordner: Path, nummer: str, plan_id: str):
    return next(p for p in gespeichert(ordner, nummer).plaene if p.id == plan_id)


def ziel_im_formular(app: KoplApp) -> str:
    return app.screen_stack[-1].query_one("#ziel", TextArea).text


async def ziel_aendern(app: KoplApp, pilot, text: str) -> None:
    """In the open mask: ``text`` before the Ziel, F2 (apply), Strg+S (final save)."""
    await eintragen(pilot, "#ziel", text + app.screen.query_one("#ziel", TextArea).text)
    await pilot.press("f2", "ctrl+s")
    await pilot.pause()


def fremd_speichern(ordner: Path, nummer: str, ziel: str, status: Status) -> None:
    """Someone who ignores the edit lock (a script on the data folder) saves the Akte, in a real process."""
    skript = textwrap.dedent(f"""
        from pathlib import Path
        from kopl_tui.akte import Kundenakte
        from kopl_tui.store import Store
        store = Store(Path({str(ordner)!r}))
        akte = Kundenakte.oeffnen(store, store.kunde({nummer!r}), "skript")
        plan = akte.plan(akte.plaene[0].id)
        plan.ziel, plan.status = {ziel!r}, {status.value!r}
        akte.uebernehmen(plan)
        akte.speichern()
    """)
    ergebnis = subprocess.run([sys.executable, "-c", skript], capture_output=True, text=True, timeout=60)
    assert ergebnis.returncode == 0, ergebnis.stderr


async def test_aufgehobene_sperre_kein_verlorenes_speichern(demo_ordner: Path):
    """The reported case: support lifts mueller's lock, schmidt saves, mueller saves: schmidt's change stays."""
    mueller = KoplApp(data_dir=demo_ordner, benutzer="mueller", heute=HEUTE)
    schmidt = KoplApp(data_dir=demo_ordner, benutzer="schmidt", heute=HEUTE)
    async with mueller.run_test(size=(100, 35), notifications=True) as pm:
        await kunde_oeffnen(pm, NAME)
        nummer = mueller.akte.kunde.kundennummer
        await pm.press("enter")
        await pm.pause()
        assert isinstance(mueller.screen, MaskeScreen)
        plan_id = mueller.screen.plan.id

        abgelehnt = support(demo_ordner, nummer)  # mueller's process is alive on this host
        assert abgelehnt.returncode == 1
        assert "mueller" in abgelehnt.stderr and f"Prozess {os.getpid()}" in abgelehnt.stderr
        assert "--erzwingen" in abgelehnt.stderr and "Traceback" not in abgelehnt.stderr
        assert AkteSperre.lesen(mueller.store, nummer).benutzer == "mueller"
        erzwungen = support(demo_ordner, nummer, "--erzwingen")
        assert erzwungen.returncode == 0, erzwungen.stderr
        assert "Sperre von mueller" in erzwungen.stdout and AkteSperre.lesen(mueller.store, nummer) is None

        async with schmidt.run_test(size=(100, 35)) as ps:
            await kunde_oeffnen(ps, NAME)
            assert not schmidt.akte.schreibgeschuetzt
            await ps.press("enter")
            await ps.pause()
            await ziel_aendern(schmidt, ps, "Schmidt: ")
            stand = gespeichert(demo_ordner, nummer)
            assert gespeicherter_plan(demo_ordner, nummer, plan_id).ziel.startswith("Schmidt: ")

            await ziel_aendern(mueller, pm, "Mueller: ")
            assert gespeichert(demo_ordner, nummer) == stand  # nothing written
            assert mueller.akte.schreibgeschuetzt and "NUR ANSICHT" in mueller.sub_title
            meldung = str(mueller.screen.query_one("#frage").render())
            assert "Bearbeitungssperre" in meldung and "schmidt" in meldung
            await pm.press("escape")
            await pm.pause()
            # every open screen shows the stored state now (or has closed)
            assert all(not isinstance(s, MaskeScreen) or ziel_im_formular(mueller).startswith("Schmidt: ")
                       for s in mueller.screen_stack)
            assert mueller.akte.plan(plan_id).ziel.startswith("Schmidt: ")

            # and whatever mueller presses now, nothing is written
            if isinstance(mueller.screen, MaskeScreen):
                await ziel_aendern(mueller, pm, "Nochmal: ")
            await pm.press("escape", "ctrl+s")
            await pm.pause()
            assert gespeichert(demo_ordner, nummer) == stand
            assert AkteSperre.lesen(schmidt.store, nummer).benutzer == "schmidt"  # mueller never touched it
    assert AkteSperre.lesen(Store(demo_ordner), nummer) is None
    aktionen = [e.aktion for e in Store(demo_ordner).historie(nummer)]
    assert any(a.startswith("Bearbeitungssperre aufgehoben (erzwungen): mueller") for a in aktionen)


async def ungespeicherte_aenderung(app: KoplApp, pilot) -> tuple[str, str]:
    """mueller opens Max Mustermann's newest plan, types before its Ziel and applies it (F2), unsaved;
    returns Kundennummer and plan id."""
    await kunde_oeffnen(pilot, NAME)
    await pilot.press("enter")
    await pilot.pause()
    plan_id = app.screen.plan.id
    await eintragen(pilot, "#ziel", "Mueller: " + app.screen.query_one("#ziel", TextArea).text)
    await pilot.press("f2")
    await pilot.pause()
    return app.akte.kunde.kundennummer, plan_id


async def test_neu_laden_zeigt_in_maske_und_fallübersicht_den_gespeicherten_stand(demo_ordner: Path):
    app = KoplApp(data_dir=demo_ordner, benutzer="mueller", heute=HEUTE)
    async with app.run_test(size=(100, 35)) as pilot:
        nummer, plan_id = await ungespeicherte_aenderung(app, pilot)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, FalluebersichtScreen)
        fremd_speichern(demo_ordner, nummer, "Vom Skript", Status.KEIN_EINVERSTAENDNIS)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.id == "konflikt-dialog"
        await pilot.press("1")  # Ja, neu laden
        await pilot.pause()
        stapel = app.screen_stack
        assert [type(s) for s in stapel[-3:]] == [UebersichtScreen, MaskeScreen, FalluebersichtScreen]
        zeile = stapel[-1].query_one("#aktuell", DataTable).get_row_at(0)
        assert zeile[0] == "kein Einverständnis"
        assert stapel[-2].query_one("#ziel", TextArea).text == "Vom Skript"
        assert stapel[-3].query_one("#plaene", DataTable).get_row_at(0)[0].plain == "kein Einverständnis"
        assert not app.akte.ungespeichert and "ungespeichert" not in app.sub_title
        await pilot.press("escape")  # back in the mask: saving again keeps the script's change
        await pilot.pause()
        await pilot.press("f2", "ctrl+s")
        await pilot.pause()
        plan = gespeicherter_plan(demo_ordner, nummer, plan_id)
        assert plan.ziel == "Vom Skript" and plan.status is Status.KEIN_EINVERSTAENDNIS
        assert gespeichert(demo_ordner, nummer).geaendert_von == "mueller"


async def test_neu_laden_schliesst_den_text_editor(demo_ordner: Path):
    """The editor holds a copy of the old text: after a reload it closes, it never writes it back."""
    app = KoplApp(data_dir=demo_ordner, benutzer="mueller", heute=HEUTE)
    async with app.run_test(size=(100, 35)) as pilot:
        nummer, plan_id = await ungespeicherte_aenderung(app, pilot)
        app.screen.query_one("#ziel", TextArea).focus()
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, TextEditorScreen)
        await pilot.press(*" und mehr")
        fremd_speichern(demo_ordner, nummer, "Vom Skript", Status.EINVERSTAENDNIS)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, MaskeScreen)
        assert not any(isinstance(s, TextEditorScreen) for s in app.screen_stack)
        assert app.screen.query_one("#ziel", TextArea).text == "Vom Skript"
        await pilot.press("f3", "ctrl+s")
        await pilot.pause()
        assert gespeicherter_plan(demo_ordner, nummer, plan_id).ziel == "Vom Skript"
