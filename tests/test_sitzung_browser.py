"""The training room in a real browser: headless Chromium (Debian's) driven by Playwright against a real
``kopl-tui serve`` on 127.0.0.1. Skipped only where Chromium is not installed (CI: apt-get install chromium)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.kennzahlen import melden

from kopl_tui.cli import main
from tests.test_serve import freier_port, seite_laden, server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium fehlt (apt-get install chromium)")
# As root, in a machine without network (see the machine notes): no sandbox, no background connections.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
START_FRIST = 60_000  # ms: upper bound for a loaded CI machine, not a speed goal
FREI_FRIST = 5.0  # s: "leaving the page ends its app at once": the lock is gone well within this
TITEL = "Kooperationsplan – tn01 – SCHULUNG"


@pytest.fixture
def raum(tmp_path: Path) -> Path:
    assert main(["schulung", "--data", str(tmp_path / "raum"), "--teilnehmer", "1"]) == 0
    return tmp_path / "raum" / "tn01"


@pytest.fixture
def adresse(tmp_path: Path, raum: Path) -> Iterator[str]:
    port = freier_port()
    with server(tmp_path, "--data", str(raum), "--port", str(port), "--benutzer", "tn01") as (prozess, _):
        url = f"http://127.0.0.1:{port}/"
        seite_laden(url, prozess)
        yield url


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def sperren(raum: Path) -> list[Path]:
    return sorted((raum / "akten").glob("*.sperre"))


def warten(bedingung: Callable[[], bool], frist: float) -> float | None:
    """Seconds until ``bedingung`` holds, None if it did not within ``frist``."""
    anfang = time.monotonic()
    while not bedingung():
        if time.monotonic() - anfang > frist:
            return None
        time.sleep(0.02)
    return time.monotonic() - anfang


def sitzung_oeffnen(browser, adresse: str):  # noqa: ANN001, ANN201 - Playwright's types
    seite = browser.new_page(viewport={"width": 1200, "height": 750})
    dialoge: list[str] = []
    seite.on("dialog", lambda dialog: (dialoge.append(dialog.type), dialog.dismiss()))
    seite.goto(adresse)
    seite.wait_for_selector("body.-first-byte", timeout=START_FRIST)
    return seite, dialoge


def akte_oeffnen(seite, raum: Path) -> None:  # noqa: ANN001
    """Typed as a trainee would, right after the page loaded: no click first."""
    seite.keyboard.type("Mustermann Max")
    seite.keyboard.press("Enter")
    assert warten(lambda: bool(sperren(raum)), START_FRIST / 1000) is not None, "Tippen kam nicht in der App an"


def test_fokus_titel_deutsch_und_frage_vor_dem_verlassen(browser, adresse: str, raum: Path, tmp_path: Path):
    seite, dialoge = sitzung_oeffnen(browser, adresse)
    assert seite.title() == TITEL
    assert seite.evaluate("document.documentElement.lang") == "de"
    texte = seite.evaluate("document.body.textContent")
    assert "Sitzung beendet." in texte and "Neu starten" in texte
    assert "Session ended" not in texte and "Restart" not in texte
    assert seite.evaluate("document.activeElement.className") == "xterm-helper-textarea"
    akte_oeffnen(seite, raum)  # the search field filtered to Max Mustermann, Enter opened his Akte
    seite.wait_for_timeout(300)

    seite.keyboard.press("Delete")  # marks the newest plan for deletion: unsaved work
    seite.wait_for_function(f"document.title === '● {TITEL}'")
    seite.screenshot(path=tmp_path / "ungespeichert.png")
    seite.evaluate("location.reload()")  # Strg+R, or any navigation
    seite.wait_for_timeout(1000)
    assert dialoge == ["beforeunload"]  # asked; the trainee stays
    assert sperren(raum) and "-closed" not in seite.evaluate("document.body.className")

    seite.keyboard.press("F4")  # Verwerfen: nothing unsaved any more
    seite.wait_for_function(f"document.title === '{TITEL}'")
    seite.goto("about:blank")  # leaving: no question now, and the app ends at once
    dauer = warten(lambda: not sperren(raum), FREI_FRIST)
    assert dialoge == ["beforeunload"]
    assert dauer is not None, "Bearbeitungssperre nach dem Verlassen der Seite nicht freigegeben"
    melden("Browser, Seite verlassen", Sperre_frei_nach=f"{dauer:.2f} s", Frage_bei_ungespeichert="ja",
           Frage_ohne_Änderungen="nein")


def test_tab_schliessen_beendet_die_app(browser, adresse: str, raum: Path):
    seite, _ = sitzung_oeffnen(browser, adresse)
    akte_oeffnen(seite, raum)
    seite.close()
    dauer = warten(lambda: not sperren(raum), FREI_FRIST)
    assert dauer is not None, "Bearbeitungssperre nach dem Schließen des Tabs nicht freigegeben"
    melden("Browser, Tab geschlossen", Sperre_frei_nach=f"{dauer:.2f} s")


def test_beendete_sitzung_startet_mit_enter_neu(browser, adresse: str, tmp_path: Path):
    seite, _ = sitzung_oeffnen(browser, adresse)
    seite.keyboard.press("Control+q")  # the app ends: "Sitzung beendet."
    seite.wait_for_selector("body.-closed", timeout=START_FRIST)
    seite.wait_for_function("document.activeElement.id === 'neu-starten'")
    seite.screenshot(path=tmp_path / "beendet.png")
    seite.keyboard.press("Enter")
    seite.wait_for_selector("body.-first-byte:not(.-closed)", timeout=START_FRIST)
    assert seite.title() == TITEL
