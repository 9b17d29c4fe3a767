from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest

from kopl_tui.demo import demo_jobcenter, schreiben
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


@pytest.fixture
def demo_ordner(tmp_path: Path) -> Path:
    """The demo Jobcenter's data folder (reference day ``HEUTE``), written afresh for the test."""
    ordner = tmp_path / "demo"
    schreiben(Store(ordner), demo_jobcenter(HEUTE))
    return ordner


class Platte:
    """A real, small file system (tmpfs, 1 MB) mounted for one test: it can be filled up or made
    read-only, as a data folder's disk can. Needs root (mount); unmounted afterwards."""

    def __init__(self, ordner: Path):
        self.ordner = ordner
        self.fueller = ordner / "fueller"

    def fuellen(self) -> None:
        """Write until the disk is full (ENOSPC), as another program would."""
        fd = os.open(self.fueller, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            for groesse in (1 << 16, 4096, 512, 1):
                try:
                    while True:
                        os.write(fd, b"\0" * groesse)
                except OSError as fehler:
                    assert fehler.errno == errno.ENOSPC, fehler
        finally:
            os.close(fd)
        try:  # really full: not one more byte in a new file
            (self.ordner / "probe").write_bytes(b"x")
        except OSError as fehler:
            assert fehler.errno == errno.ENOSPC
        else:
            raise AssertionError("die Platte ist nicht voll")

    def freigeben(self) -> None:
        self.fueller.unlink()
        (self.ordner / "probe").unlink(missing_ok=True)

    def nur_lesbar(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.ordner)], check=True)


@pytest.fixture
def platte(tmp_path: Path) -> Iterator[Platte]:
    if os.geteuid() != 0:
        pytest.skip("eine echte volle/nur lesbare Platte braucht mount (root)")
    ordner = tmp_path / "platte"
    ordner.mkdir()
    lauf = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(ordner)],
                          capture_output=True, text=True)
    if lauf.returncode:
        pytest.skip(f"tmpfs lässt sich nicht einhängen: {lauf.stderr.strip()}")
    try:
        yield Platte(ordner)
    finally:
        subprocess.run(["umount", "-l", str(ordner)], check=False)


NIEMAND = 65534  # the account "nobody"


@pytest.fixture
def fremder_ordner() -> Iterator[Path]:
    """A folder everyone may pass through (0711) but not list, outside pytest's private tmp: what
    root creates in it (0700) is another account's folder for ``als_niemand``."""
    if os.geteuid() != 0:
        pytest.skip("ein zweites Konto (setuid) braucht root")
    basis = Path(tempfile.mkdtemp(prefix="kopl-fremd-", dir="/tmp"))
    basis.chmod(0o711)
    # nobody reads the app's own files (app.tcss, lazily imported modules) from this checkout: a
    # clone in a 0700 folder (mktemp -d) is made passable for the test's duration, then restored
    gesperrt = [(ordner, ordner.stat().st_mode) for ordner in Path(__file__).resolve().parents
                if not ordner.stat().st_mode & stat.S_IXOTH]
    for ordner, modus in gesperrt:
        ordner.chmod(stat.S_IMODE(modus) | stat.S_IXOTH)
    try:
        yield basis
    finally:
        for ordner, modus in gesperrt:
            ordner.chmod(stat.S_IMODE(modus))
        shutil.rmtree(basis)


WARTE_FRIST = 60.0  # s: how long a test waits for what happens "soon", on a loaded CI machine; never a speed goal
_T = TypeVar("_T")


def bis(bedingung: Callable[[], _T], frist: float = WARTE_FRIST, was: str = "") -> _T:
    """Wait until ``bedingung()`` gives something true and return it; fail naming ``was`` after
    ``frist`` seconds. A deadline, not a count of short sleeps: on a loaded machine the rounds
    themselves take longer, and a count turns slowness into a failure."""
    ende = time.monotonic() + frist
    while not (ergebnis := bedingung()):
        assert time.monotonic() < ende, f"nicht eingetreten: {was}"
        time.sleep(0.01)
    return ergebnis


def als_niemand(aufgabe: Callable[[], int | None]) -> tuple[int, str, str]:
    """Run ``aufgabe`` in a forked child as the account nobody (a real second uid); returns its exit
    code (the return value), stdout and stderr. Only modules already loaded can be used after the
    switch: the interpreter's own files belong to root."""
    aus_lesen, aus_schreiben = os.pipe()
    fehler_lesen, fehler_schreiben = os.pipe()
    kind = os.fork()
    if kind == 0:  # the child
        code = 99
        try:
            os.close(aus_lesen)
            os.close(fehler_lesen)
            sys.stdout = open(aus_schreiben, "w", encoding="utf-8")  # noqa: SIM115
            sys.stderr = open(fehler_schreiben, "w", encoding="utf-8")  # noqa: SIM115
            os.setgroups([])
            os.setgid(NIEMAND)
            os.setuid(NIEMAND)
            code = aufgabe() or 0
        except SystemExit as ende:
            code = ende.code if isinstance(ende.code, int) else 98
        except BaseException:
            traceback.print_exc()
        finally:  # the child never returns into pytest, also when flushing fails (reader gone)
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    os.close(aus_schreiben)
    os.close(fehler_schreiben)
    with open(aus_lesen, encoding="utf-8") as aus, open(fehler_lesen, encoding="utf-8") as fehler:
        ausgabe, fehlerausgabe = aus.read(), fehler.read()
    _, status = os.waitpid(kind, 0)
    return os.waitstatus_to_exitcode(status), ausgabe, fehlerausgabe


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest's reporter
    """The reliability figures (tests/kennzahlen.py) appear in every run's summary, without -s."""
    from tests.kennzahlen import ERGEBNISSE

    if ERGEBNISSE:
        terminalreporter.section("Zuverlässigkeit: Kennzahlen")
        for zeile in ERGEBNISSE:
            terminalreporter.write_line(zeile)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """In CI (``.ci/run`` sets KOPL_KEINE_AUSNAHMEN=1 after installing LibreOffice, Chromium, sftp …)
    a test that would be skipped for a missing program or right fails instead: nothing the README
    promises goes untested there."""
    ergebnis = yield
    bericht = ergebnis.get_result()
    if os.environ.get("KOPL_KEINE_AUSNAHMEN") == "1" and bericht.skipped:
        bericht.outcome = "failed"
        bericht.longrepr = f"In CI übersprungen, aber verlangt: {bericht.longrepr}"
