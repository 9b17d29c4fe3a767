"""The app on a data folder the file system lets down: a full disk (real tmpfs), a read-only disk,
a lock file that is a folder or holds a pid beyond any process. Every time a German dialog names
the file and what to do, the app stays on the customer list, and nothing typed is lost."""

from __future__ import annotations

import ast
import asyncio
import json
import socket
from datetime import datetime
from pathlib import Path

from kopl_tui.app import KoplApp
from kopl_tui.demo import demo_jobcenter, schreiben
from kopl_tui.sperre import AkteSperre
from kopl_tui.store import Store
from screens.kundenliste import KundenlisteScreen
from screens.maske import MaskeScreen
from screens.uebersicht import UebersichtScreen
from tests.conftest import HEUTE, Platte, als_niemand
from tests.ui.conftest import kunde_oeffnen

MAX = "100D000003"  # Mustermann Max in the demo


def demo_auf(platte: Platte) -> Path:
    ordner = platte.ordner / "daten"
    schreiben(Store(ordner), demo_jobcenter(HEUTE))
    return ordner


def ohne_englisch(text: str) -> bool:
    return not any(wort in text for wort in ("Errno", "No space", "Read-only", "Permission denied", "Traceback"))


async def fehlerdialog_und_zurueck_zur_liste(pilot, app: KoplApp, *erwartet: str) -> str:
    await kunde_oeffnen(pilot, "Mustermann Max")
    assert app.screen.id == "oeffnen-fehler", app.screen
    text = app.screen.frage
    assert all(teil in text for teil in erwartet), text
    assert ohne_englisch(text) and ("Was tun:" in text or "Support" in text), text
    await pilot.press("enter")  # OK
    await pilot.pause()
    assert isinstance(app.screen, KundenlisteScreen) and app.akte is None and app.is_running
    return text


async def test_volle_platte_beim_oeffnen_dialog_liste_bleibt_danach_geht_es(platte: Platte):
    ordner = demo_auf(platte)
    platte.fuellen()
    app = KoplApp(data_dir=ordner, benutzer="tester", heute=HEUTE)
    async with app.run_test(size=(100, 35)) as pilot:
        await fehlerdialog_und_zurueck_zur_liste(pilot, app, "Kein Speicherplatz mehr frei",
                                                 str(ordner / "akten" / f"{MAX}.sperre"))
        platte.freigeben()
        await pilot.press("enter")  # the same customer again, now there is room
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen) and app.akte.kunde.kundennummer == MAX
    assert not [p for p in (ordner / "akten").iterdir() if p.name.startswith(".tmp-")]


async def test_speichern_auf_voller_platte_deutsch_und_nichts_verloren(platte: Platte):
    ordner = demo_auf(platte)
    app = KoplApp(data_dir=ordner, benutzer="tester", heute=HEUTE)
    vorher = Store(ordner).akte_pfad(MAX).read_bytes()
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Mustermann Max")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MaskeScreen)
        app.screen.query_one("#ziel").focus()
        await pilot.press(*"Neu: ", "f2")
        await pilot.pause()
        platte.fuellen()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.id == "speichern-fehler"
        text = app.screen.frage
        assert "Kein Speicherplatz mehr frei" in text and str(ordner / "akten") in text and ohne_englisch(text)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MaskeScreen) and app.akte.ungespeichert  # the change is still there
        assert Store(ordner).akte_pfad(MAX).read_bytes() == vorher
        platte.freigeben()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.akte.ungespeichert
    assert any(p.ziel.startswith("Neu: ") for p in Store(ordner).akte_laden(MAX).plaene)


async def test_nur_lesbarer_datenordner_dialog_beim_oeffnen(platte: Platte):
    ordner = demo_auf(platte)
    platte.nur_lesbar()
    app = KoplApp(data_dir=ordner, benutzer="tester", heute=HEUTE)
    async with app.run_test(size=(100, 35)) as pilot:
        await fehlerdialog_und_zurueck_zur_liste(pilot, app, "nur lesbar eingehängt", str(ordner))
        assert len(app.kunden()) == len(demo_jobcenter(HEUTE))  # the list itself still shows everyone


async def test_sperrdatei_ist_ein_ordner(demo_ordner: Path):
    sperre = AkteSperre.pfad(Store(demo_ordner), MAX)
    sperre.mkdir()
    app = KoplApp(data_dir=demo_ordner, benutzer="tester", heute=HEUTE)
    async with app.run_test(size=(100, 35)) as pilot:
        await fehlerdialog_und_zurueck_zur_liste(pilot, app, str(sperre), "ist ein Ordner, keine Datei")
    assert sperre.is_dir()  # reported, never removed


async def test_sperrdatei_mit_pid_jenseits_jedes_prozesses(demo_ordner: Path):
    """pid 10**23 cannot be a process (os.kill overflows): a stale lock of this host, taken over."""
    store = Store(demo_ordner)
    AkteSperre.pfad(store, MAX).write_text(json.dumps({
        "benutzer": "anna", "rechner": socket.gethostname(), "pid": 10**23,
        "seit": datetime.now().astimezone().isoformat(), "kennung": "alt"}), encoding="utf-8")
    app = KoplApp(data_dir=demo_ordner, benutzer="tester", heute=HEUTE)
    async with app.run_test(size=(100, 35)) as pilot:
        await kunde_oeffnen(pilot, "Mustermann Max")
        assert isinstance(app.screen, UebersichtScreen) and not app.akte.schreibgeschuetzt
        assert AkteSperre.lesen(store, MAX).benutzer == "tester"
    assert any("Bearbeitungssperre übernommen" in e.aktion and "anna" in e.aktion for e in store.historie(MAX))


async def _start_und_oeffnen(ordner: Path) -> tuple[str, list[str]]:
    app = KoplApp(data_dir=ordner, benutzer="tester", heute=HEUTE)
    async with app.run_test(size=(100, 35), notifications=True) as pilot:
        await pilot.pause(0.8)  # past the preload (store, clean-up) half a second after start
        await kunde_oeffnen(pilot, "Mustermann Max")
        return type(app.screen).__name__, [str(n.message) for n in app._notifications]


def test_app_auf_dem_ordner_eines_anderen_kontos_startet_und_meldet(fremder_ordner: Path):
    """It used to die at start (PermissionError). As nobody, against root's 0700 folder: the list
    comes up empty with a German message naming kunden.json; nothing crashes."""
    ordner = fremder_ordner / "daten"
    schreiben(Store(ordner), demo_jobcenter(HEUTE))
    assert asyncio.run(_start_und_oeffnen(ordner))[0] == "UebersichtScreen"  # as root; loads every module first

    def sitzung() -> int:
        print(repr(asyncio.run(_start_und_oeffnen(ordner))))
        return 0

    code, ausgabe, fehler = als_niemand(sitzung)
    assert code == 0 and "Traceback" not in fehler, fehler
    screen, meldungen = ast.literal_eval(ausgabe)
    assert screen == "KundenlisteScreen"
    assert any(str(ordner / "kunden.json") in m and "Keine Berechtigung" in m and "Was tun:" in m for m in meldungen)
