"""The console script ``kopl-tui``: through a Vorstart server when ``KOPL_VORSTART`` names one that
answers, else the normal start (kopl_tui/cli.py).

This process stays alive for the whole session, and its private memory counts per session: it
imports only what the handover needs (os, socket, signal; together ~0.6 MB over a bare interpreter)
and decides before kopl_tui.cli loads anything (that alone would be 3.5 MB more). Handed over to the
server (kopl_tui/vorstart.py) in one message on its Unix socket: the terminal (stdin, stdout, stderr
as file descriptors, SCM_RIGHTS), the working directory (a descriptor too, so the worker is exactly
there, whatever the path), the arguments and the environment, as far as ``weiterzugeben`` lets it
through. The server forks a worker that runs what ``kopl-tui ARGS`` would run, on that terminal.

While the worker runs, this process only waits (kopl_tui/warten.py, into which it execs to shed
its imports): for the worker's exit code, which becomes its own, and for the signals the kernel
sends it as the terminal's foreground process – window size changed, hang-up, SIGTERM, SIGINT –
which it passes on over the socket (the worker raises them in itself; kopl_tui/vorstart.py says
why this process keeps the controlling terminal). If this process is killed, its end of the socket
closes, and the worker takes that as a hang-up.

Anything unusual – no server, a stale socket, a server of another installation or with other
Textual settings, no terminal, a command instead of the TUI, any error – means the normal start,
without a word: the user gets the same app either way; why the server declined stands in its log.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys

from kopl_tui import warten

PROTOKOLL = b"kopl-vorstart 1"
ANTWORTFRIST = 10.0  # seconds for connecting and the server's answer; a stuck server → normal start
_WEITERGEGEBEN = frozenset({"TERM", "COLORTERM", "NO_COLOR", "LANG", "TZ", "ESCDELAY", "HOME", "PATH", "TMPDIR",
                            "USER", "LOGNAME", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"})
_WEITERGEGEBEN_ANFANG = ("LC_", "TEXTUAL_", "KOPL_", "PG")  # locale, Textual, the app's own, libpq (PostgreSQL)


def weiterzugeben(name: str) -> bool:
    """Whether an environment variable reaches the worker: what the terminal, the locale, Textual,
    the app and its database connection read, and who is connected. Nothing else of the client's
    environment (``LINES``/``COLUMNS`` would fix the window size, ``PYTHON…`` is read only at
    interpreter start, which the worker does not have)."""
    return name in _WEITERGEGEBEN or name.startswith(_WEITERGEGEBEN_ANFANG)


def kennung() -> str:
    """Which installation this is: the identity of this very file (device, inode, size, mtime). A
    wheel upgrade or reinstall writes new files, even at the same version number, so a server that
    loaded the old ones no longer matches and is not used."""
    info = os.stat(__file__)
    return f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}"


def anfrage(argv: list[str], umgebung: dict[str, str]) -> bytes:
    """The request: protocol, installation, arguments (``argv[0]`` too), the environment that may
    pass. NUL-separated: no argument or variable can contain NUL."""
    teile = [PROTOKOLL, kennung().encode(), str(len(argv)).encode(), *map(os.fsencode, argv),
             *(os.fsencode(f"{name}={wert}") for name, wert in umgebung.items() if weiterzugeben(name))]
    return b"\0".join(teile)


def anfrage_lesen(daten: bytes) -> tuple[str, list[str], dict[str, str]]:
    """``anfrage`` read back: (installation, argv, environment – only what may pass). ValueError if
    it is not a request of this protocol."""
    teile = daten.split(b"\0")
    if len(teile) < 3 or teile[0] != PROTOKOLL or not teile[2].isdigit():
        raise ValueError("keine Anfrage dieses Protokolls")
    anzahl = int(teile[2])
    argv = [os.fsdecode(teil) for teil in teile[3:3 + anzahl]]
    if len(argv) != anzahl or not argv:
        raise ValueError("Argumente unvollständig")
    umgebung: dict[str, str] = {}
    for eintrag in teile[3 + anzahl:]:
        name, gleich, wert = os.fsdecode(eintrag).partition("=")
        if gleich and weiterzugeben(name):
            umgebung[name] = wert
    return teile[1].decode(errors="replace"), argv, umgebung


def main() -> int:
    """The console script's entry point."""
    pfad = os.environ.get("KOPL_VORSTART")
    if pfad:
        code = ueber_vorstart(pfad, sys.argv)
        if code is not None:
            return code
    from kopl_tui.cli import main as normaler_start

    return normaler_start()


def ueber_vorstart(pfad: str, argv: list[str]) -> int | None:
    """Run this start in a worker of the server at ``pfad``; its exit code, or None where the server
    is not used (then nothing has happened on the terminal, and the caller starts normally)."""
    if "SSH_ORIGINAL_COMMAND" in os.environ or os.environ.get("TEXTUAL_DRIVER") \
            or not all(os.isatty(fd) for fd in (0, 1, 2)):
        return None  # the normal start refuses with its one line (kopl_tui/terminal.py), or is the browser's
    try:
        verbindung = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    except OSError:
        return None
    with verbindung:
        # A signal before the worker runs is held back, then passed on by ``warten`` (or, on the
        # normal start, acts on this process as it would have anyway).
        vorher = signal.pthread_sigmask(signal.SIG_BLOCK, warten.WEITERGEREICHT)
        try:
            angenommen = _uebergeben(verbindung, pfad, argv)
        except (OSError, ValueError):
            angenommen = False
        if not angenommen:
            signal.pthread_sigmask(signal.SIG_SETMASK, vorher)
            return None
        fd = verbindung.fileno()
        os.set_inheritable(fd, True)
        if sys.executable and warten.__file__.endswith(".py"):
            with contextlib.suppress(OSError):  # no new interpreter: wait in this one
                os.execv(sys.executable, [sys.executable, "-I", "-S", warten.__file__, str(fd)])
        return warten.warten(fd)


def _uebergeben(verbindung: socket.socket, pfad: str, argv: list[str]) -> bool:
    """Connect, hand over terminal, directory, arguments and environment; whether a worker took them."""
    verbindung.settimeout(ANTWORTFRIST)
    verbindung.connect(pfad)
    ort = os.open(".", os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        socket.send_fds(verbindung, [anfrage(argv, dict(os.environ))], [0, 1, 2, ort])
    finally:
        os.close(ort)
    antwort = verbindung.recv(256)
    verbindung.settimeout(None)
    return antwort.startswith(b"ok ")
