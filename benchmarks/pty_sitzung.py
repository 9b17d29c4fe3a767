"""Sessions of the real console script in pseudo-terminals, as sshd runs them: for `make bench`.

Each session is a child process ``kopl-tui --data DIR --benutzer NAME`` on the slave side of its own
pty (its controlling terminal, 80×24, ``TERM=xterm-256color``); this process is the terminal: it
reads everything the app writes, answers the one query Textual asks, and types keys as a terminal
sends them. One thread reads all sessions (epoll), so a hundred sessions cost the measuring side
little.

Where a frame ends. Textual 8.2 asks the terminal at start whether it supports synchronized output
(DECRQM ``ESC[?2026$p``); when the answer is yes (kitty, WezTerm, foot, iTerm2, Windows Terminal,
recent VTE do), it wraps every frame in ``ESC[?2026h`` … ``ESC[?2026l``. This terminal answers yes,
so a frame is complete when its ``ESC[?2026l`` has been read. The reaction to a key may be several
frames (the character in the field, then the filtered table): it is complete when the session has
written a frame end and then nothing more for ``RUHE`` seconds; its time is that of the last frame
end. That holds only because an idle session writes nothing (no cursor blink): the benchmark checks
it in the idle figure, and the capacity run counts every byte written outside a closed frame.
"""

from __future__ import annotations

import bisect
import contextlib
import fcntl
import os
import pty
import selectors
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

KOPL_TUI = str(Path(sys.executable).with_name("kopl-tui"))
SYNC_START = b"\x1b[?2026h"
SYNC_ENDE = b"\x1b[?2026l"
SYNC_FRAGE = b"\x1b[?2026$p"
SYNC_ANTWORT = b"\x1b[?2026;2$y"  # "supported, currently reset", as a terminal answers DECRQM
GROESSE = (80, 24)
RUHE = 0.3  # no output for this long after a frame end: the reaction to a key is complete
SEITENTASTE = {"enter": b"\r", "escape": b"\x1b", "backspace": b"\x7f", "tab": b"\t", "f1": b"\x1bOP",
               "ctrl+s": b"\x13", "ctrl+u": b"\x15", "down": b"\x1b[B", "up": b"\x1b[A", "end": b"\x1b[F",
               "home": b"\x1b[H", "space": b" "}


def umgebung(**zusatz: str) -> dict[str, str]:
    """The environment of an SSH forced command (README "Betrieb"): TERM from the client, no
    COLORTERM (sshd passes only LANG/LC_* by default), no animations; nothing of this process's
    Textual settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("TEXTUAL") and k not in ("SSH_ORIGINAL_COMMAND", "COLORTERM", "NO_COLOR",
                                                        "KOPL_BLINKEN", "ESCDELAY")}
    return env | {"TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none", "LANG": "C.UTF-8"} | zusatz


@dataclass
class Sitzung:
    """One app in one pty. ``ausgabe`` is everything it wrote; ``enden`` the times at which a frame
    end was read (monotonic seconds); ``letzte`` the time of the last byte read."""

    pid: int
    fd: int
    start: float
    arbeiter: int | None = None  # started through a Vorstart server: the worker running its app
    ausgabe: bytearray = field(default_factory=bytearray)
    enden: list[float] = field(default_factory=list)
    lesezeiten: list[float] = field(default_factory=list)  # time of each read
    gelesen_bis: list[int] = field(default_factory=list)  # length of ``ausgabe`` after each read
    letzte: float = 0.0
    offen: bool = False  # inside ESC[?2026h … not yet closed
    beendet: bool = False
    geantwortet: bool = False  # the synchronized-output query answered

    def senden(self, taste: str) -> float:
        """A key as xterm sends it (Textual key names for the special ones); the time it was sent."""
        daten = SEITENTASTE.get(taste, taste.encode())
        jetzt = time.monotonic()
        os.write(self.fd, daten)
        return jetzt

    def frame_ende_bei(self, stelle: int) -> float:
        """When the byte at ``stelle`` of ``ausgabe`` was read."""
        return self.lesezeiten[bisect.bisect_right(self.gelesen_bis, stelle)]


def starten(ordner: Path, benutzer: str, env: dict[str, str], argumente: Iterable[str] = (),
            groesse: tuple[int, int] = GROESSE) -> Sitzung:
    """Fork a session as sshd does: a new session with the pty as controlling terminal."""
    pid, fd = pty.fork()
    if pid == 0:  # child: only exec (nothing of the parent's state is used)
        try:
            os.setpriority(os.PRIO_PROCESS, 0, 0)  # as sshd starts it, whatever this process runs at
            groesse_setzen(0, groesse)
            os.execve(KOPL_TUI, [KOPL_TUI, "--data", str(ordner), "--benutzer", benutzer, *argumente], env)
        finally:
            os._exit(127)
    return Sitzung(pid, fd, time.monotonic())


def groesse_setzen(fd: int, groesse: tuple[int, int]) -> None:
    """Columns × rows of the pty; on the master side the kernel sends SIGWINCH to the app."""
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", groesse[1], groesse[0], 0, 0))


class Terminal:
    """The terminal side of many sessions: one reader thread for all of them."""

    def __init__(self, vorrang: bool = False) -> None:
        """``vorrang``: the reading thread runs at nice -10, so that on a machine the sessions keep
        busy it still reads each frame when it comes (the time measured is the app's, not ours)."""
        self.vorrang = vorrang
        self.sitzungen: dict[int, Sitzung] = {}
        self._auswahl = selectors.DefaultSelector()
        self._sperre = threading.Lock()
        self._laeuft = True
        self._leser = threading.Thread(target=self._lesen, name="pty-leser", daemon=True)
        self._leser.start()

    def dazu(self, sitzung: Sitzung) -> Sitzung:
        with self._sperre:
            self.sitzungen[sitzung.fd] = sitzung
            self._auswahl.register(sitzung.fd, selectors.EVENT_READ, sitzung)
        return sitzung

    def _lesen(self) -> None:
        if self.vorrang:
            os.setpriority(os.PRIO_PROCESS, 0, -10)  # this thread only (Linux: per thread)
        while self._laeuft:
            if not self.sitzungen:
                time.sleep(0.02)
                continue
            bereit = self._auswahl.select(0.02)  # epoll: sessions may come and go meanwhile
            with self._sperre:  # a session closed meanwhile (its fd maybe reused) is not read
                for schluessel, _ in bereit:
                    if self.sitzungen.get(schluessel.fd) is schluessel.data:
                        self._einlesen(schluessel.data)

    def _einlesen(self, sitzung: Sitzung) -> None:
        try:
            daten = os.read(sitzung.fd, 1 << 16)
        except OSError:  # EIO: the app has gone
            daten = b""
        jetzt = time.monotonic()
        if not daten:
            self._auswahl.unregister(sitzung.fd)
            sitzung.beendet = True
            return
        vorher = len(sitzung.ausgabe)
        sitzung.ausgabe += daten
        sitzung.lesezeiten.append(jetzt)
        sitzung.gelesen_bis.append(len(sitzung.ausgabe))
        sitzung.letzte = jetzt
        # Markers may be split between two reads: look from a little before this read.
        bereich = sitzung.ausgabe[max(0, vorher - 16):]
        if not sitzung.geantwortet and SYNC_FRAGE in bereich:
            sitzung.geantwortet = True
            os.write(sitzung.fd, SYNC_ANTWORT)
        start, ende = bereich.rfind(SYNC_START), bereich.rfind(SYNC_ENDE)
        if ende >= 0 and ende > start:
            sitzung.offen = False
            sitzung.enden.append(jetzt)
        elif start >= 0:
            sitzung.offen = True

    def warten_auf(self, sitzung: Sitzung, text: bytes, frist: float = 60.0) -> None:
        ende = time.monotonic() + frist
        while text not in sitzung.ausgabe:
            if time.monotonic() > ende or sitzung.beendet:
                raise TimeoutError(f"{text!r} nicht erschienen: {bytes(sitzung.ausgabe[-400:])!r}")
            time.sleep(0.01)

    def ruhig(self, sitzung: Sitzung, seit: float = 0.0, ruhe: float = RUHE, frist: float = 60.0) -> float:
        """Wait until the session has closed a frame after ``seit`` and then written nothing for
        ``ruhe`` seconds; the time of its last frame end."""
        ende = time.monotonic() + frist
        while True:
            jetzt = time.monotonic()
            if (not sitzung.offen and sitzung.enden and sitzung.enden[-1] >= seit
                    and jetzt - sitzung.letzte >= ruhe):
                return sitzung.enden[-1]
            if jetzt > ende or sitzung.beendet:
                raise TimeoutError(f"Sitzung {sitzung.pid} zeichnet nach der Taste nichts oder kommt nicht zur "
                                   f"Ruhe (beendet: {sitzung.beendet}, offener Frame: {sitzung.offen}, letztes "
                                   f"Byte vor {jetzt - sitzung.letzte:.1f} s): {bytes(sitzung.ausgabe[-300:])!r}")
            time.sleep(0.005)

    def beenden(self, sitzung: Sitzung) -> None:
        """Hang up, as a closed SSH connection does (the app gives its locks back and ends)."""
        self._auflegen(sitzung)
        self._abwarten(sitzung)

    def _auflegen(self, sitzung: Sitzung) -> None:
        with self._sperre:
            if sitzung.fd in self.sitzungen:
                del self.sitzungen[sitzung.fd]
                if not sitzung.beendet:
                    self._auswahl.unregister(sitzung.fd)
        os.close(sitzung.fd)

    @staticmethod
    def _abwarten(sitzung: Sitzung) -> None:
        for _ in range(100):
            pid, _status = os.waitpid(sitzung.pid, os.WNOHANG)
            if pid:
                return
            time.sleep(0.05)
        os.kill(sitzung.pid, signal.SIGKILL)
        os.waitpid(sitzung.pid, 0)

    def schliessen(self) -> None:
        """Hang up every session at once, then wait for each to end."""
        alle = list(self.sitzungen.values())
        for sitzung in alle:
            self._auflegen(sitzung)
        for sitzung in alle:
            self._abwarten(sitzung)
        self._laeuft = False
        self._leser.join(2)


def prozesse(sitzung: Sitzung) -> list[int]:
    """The processes a session costs: the console script, and through Vorstart also its worker."""
    return [sitzung.pid] + ([sitzung.arbeiter] if sitzung.arbeiter else [])


class Vorstart:
    """A ``kopl-tui vorstart`` server for the sessions (README "Vorstart"): on a socket in a private
    temporary folder, with the sessions' environment (a server with other Textual settings serves
    none), the list of ``ordner`` preloaded. Sessions use it with ``umgebung(KOPL_VORSTART=…)``."""

    def __init__(self, ordner: Path, env: dict[str, str], frist: float = 120.0):
        self.tmp = Path(tempfile.mkdtemp(prefix="kopl-vorstart-"))
        self.socket = self.tmp / "vorstart.sock"
        self.log = self.tmp / "vorstart.log"
        with open(self.log, "wb") as log:
            self.prozess = subprocess.Popen([KOPL_TUI, "vorstart", "--socket", str(self.socket), "--data", str(ordner)],
                                            stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env)
        self.pid = self.prozess.pid
        ende = time.monotonic() + frist
        while "bereit auf" not in self.log.read_text(encoding="utf-8"):
            if self.prozess.poll() is not None or time.monotonic() > ende:
                raise RuntimeError(f"Vorstart-Server startet nicht: {self.log.read_text(encoding='utf-8')}")
            time.sleep(0.05)

    def zuordnen(self, sitzung: Sitzung) -> int:
        """Find the session's worker: the server's child on the same terminal as its client."""
        tty = os.readlink(f"/proc/{sitzung.pid}/fd/0")
        for _ in range(200):
            with open(f"/proc/{self.pid}/task/{self.pid}/children", encoding="ascii") as datei:
                for kind in map(int, datei.read().split()):
                    with contextlib.suppress(OSError):
                        if os.readlink(f"/proc/{kind}/fd/0") == tty:
                            sitzung.arbeiter = kind
                            return kind
            time.sleep(0.05)
        raise RuntimeError(f"Sitzung {sitzung.pid}: kein Arbeitsprozess des Vorstart-Servers (normaler Start?)")

    def stoppen(self) -> None:
        """SIGTERM, as systemd stops it; the sessions are hung up by their terminal beforehand."""
        if self.prozess.poll() is None:
            self.prozess.terminate()
            self.prozess.wait(30)
        shutil.rmtree(self.tmp, ignore_errors=True)


def uss_kib(pid: int) -> int:
    """Unique set size: the pages only this process holds (Private_Clean + Private_Dirty), KiB."""
    gesamt = 0
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as datei:
        for zeile in datei:
            if zeile.startswith(("Private_Clean:", "Private_Dirty:", "Private_Hugetlb:")):
                gesamt += int(zeile.split()[1])
    return gesamt


def rss_kib(pid: int) -> int:
    """Resident set size (shared pages included), KiB."""
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as datei:
        return next(int(zeile.split()[1]) for zeile in datei if zeile.startswith("Rss:"))


def cpu_sekunden(pid: int) -> float:
    """User + system CPU time of the process so far."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as datei:
        felder = datei.read().rsplit(")", 1)[1].split()
    return (int(felder[11]) + int(felder[12])) / os.sysconf("SC_CLK_TCK")


def laufzeit_s(pid: int) -> float:
    """Time the process's live threads have run on a CPU, to the nanosecond (/proc schedstat): for
    the idle figure, where a 20 s window holds only a few of the 10 ms ticks ``cpu_sekunden``
    counts in (0.1 % of 20 s is 2 ticks). ``cpu_sekunden`` on a kernel without schedstat."""
    summe, gelesen = 0, False
    for faden in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{faden}/schedstat", encoding="ascii") as datei:
                summe, gelesen = summe + int(datei.read().split()[0]), True
        except FileNotFoundError:  # the thread has just ended (or no schedstat: below)
            continue
    return summe / 1e9 if gelesen else cpu_sekunden(pid)
