"""The TUI and its terminal: refused without one, gone with it (SSH forced command: scp, sftp, ssh -T,
lost connections). Real ptys, the real ``kopl-tui`` console script of this venv, real files."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest
from tests.kennzahlen import melden

from kopl_tui.store import Store

KOPL_TUI = str(Path(sys.executable).with_name("kopl-tui"))
FRIST = 3.0  # the promise: lock released and process gone this long after the terminal went away
START_FRIST = 60.0  # upper bound for a loaded CI machine to draw the customer list, not a speed goal
NAME = "Mustermann Max"


def umgebung(**zusatz: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SSH_ORIGINAL_COMMAND", "TEXTUAL_DRIVER")}
    return env | {"TERM": "xterm-256color"} | zusatz


class Terminal:
    """The master side of a pty with the app on its slave; everything the app writes is drained
    (a full pty buffer would stop the app) and kept for assertions."""

    def __init__(self, master: int, pid: int, popen: subprocess.Popen | None = None):
        self.master, self.pid, self.popen = master, pid, popen
        self.code: int | None = None
        self.ausgabe = bytearray()
        self._leser = threading.Thread(target=self._lesen, daemon=True)
        self._leser.start()

    def _lesen(self) -> None:
        while True:
            try:
                bereit, _, _ = select.select([self.master], [], [], 0.2)
                if bereit:
                    daten = os.read(self.master, 65536)
                    if not daten:
                        return
                    self.ausgabe += daten
            except OSError:  # closed by the test, or the app is gone
                return

    def warten_auf(self, text: bytes, frist: float = START_FRIST) -> None:
        ende = time.monotonic() + frist
        while text not in self.ausgabe:
            assert time.monotonic() < ende, f"{text!r} nicht erschienen: {bytes(self.ausgabe[-300:])!r}"
            assert self.laeuft(), f"App vorzeitig beendet: {bytes(self.ausgabe[-300:])!r}"
            time.sleep(0.05)

    def tippen(self, text: str) -> None:
        for zeichen in text:
            os.write(self.master, zeichen.encode())
            time.sleep(0.02)

    def laeuft(self) -> bool:
        if self.code is not None:
            return False
        if self.popen is not None:
            self.code = self.popen.poll()
        else:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid == self.pid:
                self.code = os.waitstatus_to_exitcode(status)
        return self.code is None

    def schliessen(self) -> None:
        """The SSH client is gone: the master side of the pty closes."""
        os.close(self.master)

    def beenden(self) -> None:
        if self.laeuft():
            os.kill(self.pid, signal.SIGKILL)
            if self.popen is not None:
                self.popen.wait(10)
            else:
                os.waitpid(self.pid, 0)


def groesse_setzen(fd: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))


def mit_steuerterminal(ordner: Path, sighup_ignoriert: bool) -> Terminal:
    """As sshd does it: a new session whose controlling terminal is the pty."""
    argumente = [KOPL_TUI, "--data", str(ordner), "--benutzer", "mueller"]
    pid, master = pty.fork()
    if pid == 0:  # child: becomes the app at once
        if sighup_ignoriert:
            signal.signal(signal.SIGHUP, signal.SIG_IGN)  # like nohup; inherited through exec
        os.execve(KOPL_TUI, argumente, umgebung())
    groesse_setzen(master)
    return Terminal(master, pid)


def ohne_steuerterminal(ordner: Path) -> Terminal:
    """The pty is only stdin/stdout/stderr, not the controlling terminal: its hang-up sends no SIGHUP."""
    master, slave = os.openpty()
    groesse_setzen(slave)
    popen = subprocess.Popen([KOPL_TUI, "--data", str(ordner), "--benutzer", "mueller"], stdin=slave, stdout=slave,
                             stderr=slave, env=umgebung(), start_new_session=True)
    os.close(slave)
    return Terminal(master, popen.pid, popen)


@pytest.mark.parametrize("art", ["SIGHUP", "SIGHUP ignoriert", "ohne Steuerterminal"])
def test_terminal_weg_sperre_frei_und_prozess_beendet(demo_ordner: Path, art: str):
    terminal = ohne_steuerterminal(demo_ordner) if art == "ohne Steuerterminal" else \
        mit_steuerterminal(demo_ordner, sighup_ignoriert=art == "SIGHUP ignoriert")
    try:
        terminal.warten_auf(b"Mustermann")
        nummer = next(k.kundennummer for k in Store(demo_ordner).kunden() if k.nachname == "Mustermann"
                      and k.vorname == "Max")
        sperrdatei = demo_ordner / "akten" / f"{nummer}.sperre"
        terminal.tippen(NAME + "\r")
        ende = time.monotonic() + START_FRIST
        while not sperrdatei.exists():
            assert time.monotonic() < ende and terminal.laeuft(), bytes(terminal.ausgabe[-300:])
            time.sleep(0.05)
        terminal.warten_auf(b"gespeichert")  # the overview's header: the Akte is open for editing
        terminal.schliessen()
        weg = time.monotonic()
        frei = beendet = None
        while (frei is None or beendet is None) and time.monotonic() - weg < 10:
            jetzt = time.monotonic() - weg
            frei = jetzt if frei is None and not sperrdatei.exists() else frei
            beendet = jetzt if beendet is None and not terminal.laeuft() else beendet
            time.sleep(0.01)
        assert frei is not None, "Bearbeitungssperre nicht freigegeben"
        assert beendet is not None, "Prozess läuft ohne Terminal weiter"
        assert max(frei, beendet) <= FRIST
        assert terminal.code in (-signal.SIGHUP, 128 + signal.SIGHUP)
        melden(f"Terminal weg ({art})", Sperre_frei_nach=f"{frei:.2f} s", Prozess_beendet_nach=f"{beendet:.2f} s",
               Frist=f"{FRIST:.0f} s")
    finally:
        terminal.beenden()


@pytest.mark.parametrize("befehl", ["/usr/lib/openssh/sftp-server", "scp -t briefe/", "scp -f x", "ls; id", ""])
def test_ssh_befehl_wird_mit_einer_zeile_abgelehnt(demo_ordner: Path, befehl: str):
    """sftp, scp and ``ssh host cmd`` through the forced command: also with a pty (``ssh -t host cmd``)."""
    pid, master = pty.fork()
    if pid == 0:
        os.execve(KOPL_TUI, [KOPL_TUI, "--data", str(demo_ordner)], umgebung(SSH_ORIGINAL_COMMAND=befehl))
    terminal = Terminal(master, pid)
    try:
        ende = time.monotonic() + START_FRIST
        while terminal.laeuft():
            assert time.monotonic() < ende
            time.sleep(0.02)
        terminal._leser.join(5)
        zeilen = bytes(terminal.ausgabe).decode().strip().splitlines()
        assert terminal.code == 1 and len(zeilen) == 1 and "nur die Oberfläche" in zeilen[0] and "\x1b" not in zeilen[0]
    finally:
        terminal.beenden()


@pytest.mark.parametrize("art", ["ssh -T (Pipes)", "stdin /dev/null", "nur stdout umgeleitet"])
def test_ohne_terminal_sofort_exit_1(demo_ordner: Path, art: str, tmp_path: Path):
    if art == "nur stdout umgeleitet":  # stdin and stderr on a pty, stdout into a file
        pid, master = pty.fork()
        if pid == 0:
            fd = os.open(tmp_path / "aus", os.O_WRONLY | os.O_CREAT)
            os.dup2(fd, 1)
            os.execve(KOPL_TUI, [KOPL_TUI, "--data", str(demo_ordner)], umgebung())
        terminal = Terminal(master, pid)
        try:
            ende = time.monotonic() + START_FRIST
            while terminal.laeuft() and time.monotonic() < ende:
                time.sleep(0.02)
            terminal._leser.join(5)
            code, meldung = terminal.code, bytes(terminal.ausgabe).decode()
        finally:
            terminal.beenden()
    else:
        eingabe = {"input": b""} if art.startswith("ssh") else {"stdin": subprocess.DEVNULL}  # a pipe, or /dev/null
        ergebnis = subprocess.run([KOPL_TUI, "--data", str(demo_ordner)], capture_output=True, env=umgebung(),
                                  timeout=START_FRIST, **eingabe)
        code, meldung = ergebnis.returncode, ergebnis.stderr.decode()
    assert code == 1
    assert meldung.strip() == "kopl-tui: Die Oberfläche braucht ein Terminal (z. B. ssh -t); ohne Terminal startet " \
                              "sie nicht."
    assert not list((demo_ordner / "akten").glob("*.sperre"))


def test_sigterm_gibt_die_sperre_frei_und_stellt_das_terminal_wieder_her(demo_ordner: Path):
    terminal = mit_steuerterminal(demo_ordner, sighup_ignoriert=False)
    try:
        terminal.warten_auf(b"Mustermann")
        terminal.tippen(NAME + "\r")
        terminal.warten_auf(b"gespeichert")
        assert list((demo_ordner / "akten").glob("*.sperre"))
        os.kill(terminal.pid, signal.SIGTERM)
        ende = time.monotonic() + FRIST
        while terminal.laeuft() and time.monotonic() < ende:
            time.sleep(0.02)
        assert terminal.code == 128 + signal.SIGTERM
        assert not list((demo_ordner / "akten").glob("*.sperre"))
        terminal._leser.join(5)
        assert b"\x1b[?1049l" in terminal.ausgabe  # left the alternate screen: the shell is usable again
    finally:
        terminal.beenden()
