"""The terminal the TUI runs in: never started without one, ended as soon as it goes away.

Staff reach the app through an SSH forced command (README "Betrieb"). A client that sends a command,
``scp`` or ``sftp`` still starts it, with ``SSH_ORIGINAL_COMMAND`` set, and often without a
terminal. Textual's LinuxDriver reads ``sys.__stdin__`` and writes to
``sys.__stderr__``; on a closed stdin its input thread spins on EOF and the process never ends. When
the terminal hangs up, the default SIGHUP kills the process before it gives back its edit lock; with
SIGHUP ignored the driver spins on EOF again. And a write to a
dead terminal can stop Textual's writer thread, after which the app's own loop blocks on its full
queue, so the watch must not depend on that loop.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping
from types import FrameType

# Seconds a normal exit may take before the process ends hard: with the terminal gone there is nothing
# left to restore; on SIGTERM with a live terminal, the exit puts the user's terminal back in order.
ABSCHIEDSFRIST = {signal.SIGHUP: 0.5, signal.SIGTERM: 2.0}
WEG = select.POLLHUP | select.POLLERR | select.POLLNVAL


def startverbot(umgebung: Mapping[str, str] | None = None) -> str | None:
    """Why the TUI must not start here (one German line), or None."""
    umgebung = os.environ if umgebung is None else umgebung
    if "SSH_ORIGINAL_COMMAND" in umgebung:
        return ("kopl-tui: Über diesen Zugang läuft nur die Oberfläche; Befehle, scp und sftp sind nicht möglich "
                "(bitte ohne Befehl anmelden: ssh benutzer@server).")
    if umgebung.get("TEXTUAL_DRIVER"):
        return None  # in the browser (textual-serve): that driver talks over pipes by design
    if not all(strom is not None and strom.isatty() for strom in (sys.__stdin__, sys.__stdout__, sys.__stderr__)):
        return "kopl-tui: Die Oberfläche braucht ein Terminal (z. B. ssh -t); ohne Terminal startet sie nicht."
    return None


def _sperren_freigeben() -> None:
    """Give back every edit lock this process holds. Without the lock module loaded no Akte was opened."""
    sperre = sys.modules.get("kopl_tui.sperre")
    if sperre is not None:
        sperre.alle_freigeben()


class Terminalwache:
    """Ends the app within ``ABSCHIEDSFRIST`` when its terminal goes away (hang-up, closed pty or pipe,
    SIGHUP also when inherited as ignored, SIGTERM), after giving back every edit lock first.

    ``beenden(code)`` asks the app to exit; it must be thread-safe and must not block. Unsaved
    changes are lost then: nobody is left to ask, and only the user may save (guide §5)."""

    def __init__(self, beenden: Callable[[int], None]):
        self._beenden = beenden
        self._einmal = threading.Lock()

    def starten(self) -> None:
        for nummer in (signal.SIGHUP, signal.SIGTERM):
            signal.signal(nummer, self._signal)
        threading.Thread(target=self._wachen, name="terminalwache", daemon=True).start()

    def _signal(self, nummer: int, _rahmen: FrameType | None) -> None:
        self.abschied(signal.Signals(nummer))

    def _wachen(self) -> None:
        """Blocks in poll() until one of stdin, stdout, stderr hangs up: no CPU while all is well."""
        abfrage = select.poll()
        for fd in (0, 1, 2):
            abfrage.register(fd, 0)  # no events asked for: hang-up and errors are always reported
        while True:
            if any(ereignis & WEG for _fd, ereignis in abfrage.poll()):
                self.abschied(signal.SIGHUP)
                return

    def abschied(self, grund: signal.Signals) -> None:
        """Once: locks back, ask the app to end, and end the process hard if that does not finish
        (exit status 128 + signal number, as if the signal had ended it)."""
        if self._einmal.acquire(blocking=False):
            threading.Thread(target=self._abschied, args=(grund,), name="abschied", daemon=True).start()

    def _abschied(self, grund: signal.Signals) -> None:
        with contextlib.suppress(Exception):  # a lock left behind is taken over on the next open anyway
            _sperren_freigeben()
        with contextlib.suppress(Exception):
            self._beenden(128 + grund)
        time.sleep(ABSCHIEDSFRIST[grund])
        os._exit(128 + grund)
