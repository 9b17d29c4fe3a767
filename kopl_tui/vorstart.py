"""``kopl-tui vorstart --socket PFAD``: one preloaded process that SSH sessions fork from.

Each session as its own process costs 45–50 MB of private memory, most of it the interpreter,
Textual, pydantic and TinyDB loaded again. This server loads them once (``VORLADEN``) and forks a
worker per session: the worker shares all of it copy-on-write and owns only what its session
changes. Two things keep it shared (the recipe of ``gc.freeze``'s documentation): no garbage
collection while loading (freed cycles would leave holes in the loaded pages, which a worker's
first allocations would fill, copying each page), and the loaded objects frozen out of every later
collection (a collection in a worker writes to every object it looks at). The pattern is Emacs'
daemon with ``emacsclient -t``: the command a user runs (kopl_tui/einstieg.py) is a small client
that hands its terminal over.

The server is single-threaded and never runs an event loop (forking a process with threads or a
running loop copies them half-done); it waits with ``selectors`` on its socket, the connections
whose request has not come yet, and a pidfd per worker, whose exit code it sends to the worker's
client. A worker runs in its own session (``setsid``) with the client's terminal on 0, 1 and 2, the
client's directory, arguments and environment (kopl_tui/einstieg.py, ``weiterzugeben``), and then
exactly what ``kopl-tui ARGS`` runs (``cli.main``); its locks carry its own process id.

**The controlling terminal stays with the client.** The alternative – the client gives it up
(TIOCNOTTY) and the worker takes it (setsid + TIOCSCTTY) – works only where the client leads its
session. Not even sshd's forced command gives that: sshd runs it through the account's shell, and
Debian's ``sh -c "env … kopl-tui …"`` stays the session leader with kopl-tui as its child (seen on
Debian 12); nor does a start from a shell or under ``sudo``. There the terminal stays the
controlling terminal of the shell's session and cannot be taken (EPERM). Keeping it works
everywhere: the kernel signals the client as the foreground process, and the client passes on what
the app acts on (SIGWINCH, SIGHUP, SIGTERM, SIGINT) over the socket; the worker raises each in
itself, so Textual's and kopl_tui/terminal.py's handlers run as in a direct start. Without a
controlling terminal, the worker's reads, writes and ``tcsetattr`` are never stopped by job control
(the kernel checks that only for a process whose controlling terminal it is). A hang-up reaches the
worker twice: its terminal watch sees the closed pty itself (kopl_tui/terminal.py, also tested
without a controlling terminal), and the client passes on its SIGHUP. SIGCONT is not passed on: the
worker is never stopped with the client, and a SIGCONT to a running Textual app restarts its
application mode.

**Ends.** Strg+Q: the worker sends its exit code itself, the server sends it again when it reaps
the worker (the only sender when the worker was killed); the client exits with the first one. The
client killed: its end of the socket closes, and the worker's watch raises SIGHUP in the worker –
locks back, end, as on a hang-up. The server killed or stopped: running workers keep their
terminal and client and go on until their user ends them (so the systemd unit needs
``KillMode=process``, README "Vorstart"); new starts find no server and start normally.

**Version.** A server runs the code it loaded. The client sends the identity of its installation
(``einstieg.kennung``), and a server loaded from other files declines, as it declines a client whose
Textual settings (``TEXTUAL_*``, ``ESCDELAY``) differ from its own: Textual reads them once, when
it is imported (``textual.constants``), which for a worker was in the server.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import pkgutil
import selectors
import signal
import socket
import stat
import struct
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kopl_tui.einstieg import anfrage_lesen, kennung
from kopl_tui.warten import WEITERGEREICHT, nachricht

# What a session needs for the customer list, an open Akte, the mask and letters; every module of
# screens/ comes on top (``vorladen``). Not PostgreSQL's driver: only with a database (psycopg).
VORLADEN = ("kopl_tui.cli", "kopl_tui.app", "kopl_tui.sitzung", "kopl_tui.akte", "kopl_tui.model",
            "kopl_tui.store", "kopl_tui.sperre", "kopl_tui.kundenindex", "kopl_tui.kundensuche", "kopl_tui.ablage",
            "kopl_tui.briefe", "kopl_tui.briefvorlagen", "tinydb", "docxtpl")
_ANKOMMEND = 4  # descriptors with a request: stdin, stdout, stderr, working directory
_SERVER_SIGNALE = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}


class VorstartFehler(Exception):
    """The server cannot start (German text for the operator)."""


def textual_einstellungen(umgebung: Mapping[str, str]) -> dict[str, str]:
    """The variables Textual reads when it is imported."""
    return {name: wert for name, wert in umgebung.items() if name.startswith("TEXTUAL_") or name == "ESCDELAY"}


def vorladen() -> None:
    """Import what sessions use (``VORLADEN`` and every screen)."""
    for name in VORLADEN:
        importlib.import_module(name)
    import screens

    for modul in pkgutil.iter_modules(screens.__path__):
        importlib.import_module(f"screens.{modul.name}")


def probelauf() -> None:
    """Run the app once before any fork, headless, on an empty temporary data folder, until its
    customer list is drawn: Textual then has parsed the stylesheets and filled its style and render
    caches, which every worker shares instead of building its own (~1.3 MB less per session).
    Nothing of it runs on: the loop is closed after (``asyncio.run``), no thread is left."""
    import asyncio
    import tempfile

    from kopl_tui.app import KoplApp
    from kopl_tui.datenort import datenort
    from kopl_tui.sitzung import Sitzung

    async def anhalten(pilot) -> None:  # noqa: ANN001 - textual.pilot.Pilot
        await pilot.pause()
        pilot.app.exit()

    with tempfile.TemporaryDirectory(prefix="kopl-vorstart-") as ordner:
        app = KoplApp(sitzung=Sitzung(datenort(ordner), "vorstart"))
        asyncio.run(app.run_async(headless=True, size=(80, 24), auto_pilot=anhalten))


def melden(text: str) -> None:
    """One line to the server's log (stderr: the journal under systemd)."""
    with contextlib.suppress(OSError, ValueError):
        print(f"kopl-tui vorstart: {text}", file=sys.stderr, flush=True)


def dienen(pfad: Path, daten: str | None = None) -> int:
    """Run the server until SIGTERM (exit 0) – or, in a forked worker, the session (its exit code).
    ``daten``: the data folder whose customer list is preloaded too (a database: none)."""
    try:
        server = Server(pfad, _listenordner(daten))
    except VorstartFehler as fehler:
        melden(str(fehler))
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        auftrag = server.laufen()
    except KeyboardInterrupt:
        return 0
    finally:
        server.schliessen()
    return auftrag.ausfuehren()


@dataclass
class Arbeiter:
    """A worker the server has forked: its client's connection and a pidfd for its end."""

    pid: int
    pidfd: int
    verbindung: socket.socket


@dataclass
class Auftrag:
    """What a worker received: its client's connection, terminal, directory, arguments, environment."""

    verbindung: socket.socket
    fds: list[int]
    argv: list[str]
    umgebung: dict[str, str]
    _beendet: bool = field(default=False, init=False)

    def ausfuehren(self) -> int:
        """In the worker: become the client's session, run ``kopl-tui ARGS``, report the exit code."""
        os.setsid()  # out of the server's session and process group: its signals are not ours
        for ziel, fd in enumerate(self.fds[:3]):
            os.dup2(fd, ziel)
        os.fchdir(self.fds[3])
        for fd in self.fds:
            os.close(fd)
        os.environ.clear()
        os.environ.update(self.umgebung)
        sys.argv = list(self.argv)
        _stroeme_auf_dem_terminal()
        try:
            self.verbindung.send(b"ok %d" % os.getpid())
        except OSError:
            return 1  # the client gave up waiting (or was killed): nobody to draw for
        threading.Thread(target=self._client_wachen, name="vorstart-client", daemon=True).start()
        from kopl_tui.cli import main

        code = main(self.argv[1:])
        self._ende(code)
        return code

    def _client_wachen(self) -> None:
        """The client's messages: a signal it received, raised here as the kernel would have sent
        it to a direct start; the end of its connection (the client killed) counts as a hang-up."""
        while True:
            try:
                daten = self.verbindung.recv(64)
            except OSError:
                daten = b""
            if self._beendet:
                return
            if not daten:
                os.kill(os.getpid(), signal.SIGHUP)
                return
            wort, nummer = nachricht(daten)
            if wort == b"signal" and nummer in WEITERGEREICHT:
                os.kill(os.getpid(), nummer)

    def _ende(self, code: int) -> None:
        """Let go of the terminal (the client may now exit and sshd close it without this process
        taking that for a hang-up), then tell the client the exit code."""
        self._beendet = True
        for strom in (sys.__stdout__, sys.__stderr__):
            with contextlib.suppress(OSError, ValueError):
                strom.flush()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.close(null)
        with contextlib.suppress(OSError):
            self.verbindung.send(b"ende %d" % code)


_SERVER_STROEME: list[object] = []


def _stroeme_auf_dem_terminal() -> None:
    """sys.stdin, stdout, stderr new on the terminal, as a direct start has them: UTF-8 (Python's
    choice for a terminal on a current Linux, also in the C locale, PEP 538), output line-buffered.
    New objects, because the server's remember what their descriptor was (a log file is seekable);
    those are kept alive, as collecting one would close its descriptor – now the terminal."""
    _SERVER_STROEME.extend((sys.stdin, sys.stdout, sys.stderr, sys.__stdin__, sys.__stdout__, sys.__stderr__))
    sys.stdin = sys.__stdin__ = open(0, encoding="utf-8", errors="strict", closefd=False)  # noqa: SIM115
    sys.stdout = sys.__stdout__ = open(1, "w", buffering=1, encoding="utf-8", errors="strict", closefd=False)  # noqa: SIM115
    sys.stderr = sys.__stderr__ = open(2, "w", buffering=1, encoding="utf-8", errors="backslashreplace",  # noqa: SIM115
                                       closefd=False)


def _listenordner(daten: str | None) -> Path | None:
    if not daten:
        return None
    from kopl_tui.datenort import datenort
    from kopl_tui.dateien import StoreFehler

    try:
        ort = datenort(daten)
    except StoreFehler as fehler:
        raise VorstartFehler(str(fehler)) from None
    return None if ort.ist_datenbank else ort.ordner


class Server:
    """The socket, the connections waiting for their request, the running workers."""

    def __init__(self, pfad: Path, listenordner: Path | None = None):
        self.pfad = Path(pfad).absolute()
        self.listenordner = listenordner
        self._liste_gemeldet: int | None = None
        self.pid = os.getpid()
        self.uid = os.getuid()
        _ordner_pruefen(self.pfad.parent)
        _vorhandenen_socket_pruefen(self.pfad)
        for fd in (0, 1, 2):  # received descriptors must never land on 0–2 (they are dup2'd there)
            try:
                os.fstat(fd)
            except OSError:
                os.open(os.devnull, os.O_RDWR)
        # Whatever started the server may have left it descriptors (a shell's pipes, a terminal):
        # every worker would inherit them. Nothing of this process has opened one yet.
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        gc.disable()
        vorladen()
        try:
            probelauf()
        except Exception as fehler:  # noqa: BLE001 - only the warm-up is lost; sessions start as without
            melden(f"Probelauf fehlgeschlagen ({type(fehler).__name__}: {fehler}); Sitzungen starten trotzdem")
        if threading.active_count() > 1:
            raise VorstartFehler("nach dem Laden laufen Threads; ein Abzweig davon wäre nicht sicher")
        self._liste_vorladen()
        gc.freeze()
        gc.enable()  # from now on only what the server makes is collected: its own garbage, as usual
        self.kennung = kennung()
        self.textual = textual_einstellungen(os.environ)
        self.auswahl = selectors.DefaultSelector()
        self.arbeiter: dict[int, Arbeiter] = {}
        self.wartend: set[socket.socket] = set()
        self.zuhoerer = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        vorher = os.umask(0o177)
        try:
            self.zuhoerer.bind(str(self.pfad))
        except OSError as fehler:
            self.zuhoerer.close()
            raise VorstartFehler(f"Socket {self.pfad} lässt sich nicht anlegen: {fehler.strerror or fehler}") from None
        finally:
            os.umask(vorher)
        os.chmod(self.pfad, 0o600)
        self.socket_inode = os.lstat(self.pfad).st_ino
        self.zuhoerer.listen(socket.SOMAXCONN)
        self.zuhoerer.setblocking(False)
        self.auswahl.register(self.zuhoerer, selectors.EVENT_READ, "zuhoerer")
        melden(f"bereit auf {self.pfad} (Prozess {self.pid}, {len(sys.modules)} Module geladen)")

    def _liste_vorladen(self) -> None:
        """The customer list of ``listenordner`` loaded (again, if kunden.json has changed since)."""
        if self.listenordner is None:
            return
        from kopl_tui import kundenindex
        from kopl_tui.dateien import DATEISYSTEM_FEHLER, StoreFehler

        try:
            anzahl = kundenindex.vorladen(self.listenordner)
        except (StoreFehler, *DATEISYSTEM_FEHLER) as fehler:  # each session then reads and reports it itself
            melden(f"Kundenliste von {self.listenordner} nicht vorgeladen: {fehler}")
            return
        if anzahl != self._liste_gemeldet:
            self._liste_gemeldet = anzahl
            melden(f"Kundenliste von {self.listenordner} vorgeladen: {anzahl} Kunden")

    def laufen(self) -> Auftrag:
        """Serve until SIGTERM; returns only in a freshly forked worker, with its task."""
        while True:
            for schluessel, _ in self.auswahl.select():
                if schluessel.data == "zuhoerer":
                    self._annehmen()
                elif isinstance(schluessel.data, Arbeiter):
                    self._ernten(schluessel.data)
                else:
                    auftrag = self._anfrage(schluessel.fileobj)
                    if auftrag is not None:
                        return auftrag

    def _annehmen(self) -> None:
        while True:
            try:
                verbindung, _ = self.zuhoerer.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as fehler:  # e.g. out of descriptors: this client starts normally
                melden(f"Verbindung nicht angenommen: {fehler.strerror or fehler}")
                return
            pid, uid, _gid = struct.unpack("3i", verbindung.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                                        struct.calcsize("3i")))
            if uid != self.uid:
                melden(f"abgewiesen: Prozess {pid} eines anderen Kontos (uid {uid})")
                _ablehnen(verbindung, "anderes Konto")
                continue
            verbindung.setblocking(False)
            self.wartend.add(verbindung)
            self.auswahl.register(verbindung, selectors.EVENT_READ, "anfrage")

    def _anfrage(self, verbindung: socket.socket) -> Auftrag | None:
        """A client's request: declined with a reason, or a worker forked for it."""
        self.auswahl.unregister(verbindung)
        self.wartend.discard(verbindung)
        try:
            daten, fds, flags, _ = socket.recv_fds(verbindung, 1 << 16, _ANKOMMEND, socket.MSG_CMSG_CLOEXEC)
        except (BlockingIOError, InterruptedError):
            self.wartend.add(verbindung)
            self.auswahl.register(verbindung, selectors.EVENT_READ, "anfrage")
            return None
        except OSError:
            verbindung.close()
            return None
        grund, argv, umgebung = self._pruefen(daten, fds, flags)
        if grund is not None:
            for fd in fds:
                os.close(fd)
            _ablehnen(verbindung, grund)
            return None
        return self._gabeln(verbindung, fds, argv, umgebung)

    def _pruefen(self, daten: bytes, fds: list[int], flags: int) -> tuple[str | None, list[str], dict[str, str]]:
        """Why this request is not served (None: it is), with its arguments and environment."""
        if not daten:
            return "ohne Anfrage", [], {}
        if len(fds) != _ANKOMMEND or flags & (socket.MSG_TRUNC | socket.MSG_CTRUNC):
            return "unvollständige Anfrage", [], {}
        try:
            installation, argv, umgebung = anfrage_lesen(daten)
        except ValueError as fehler:
            melden(f"abgewiesen: {fehler}")
            return "unbekanntes Protokoll", [], {}
        if installation != self.kennung:
            melden("abgewiesen: ein Client einer anderen Installation (neue Version installiert? Dann diesen "
                   "Server neu starten, README „Vorstart“)")
            return "andere Installation", argv, umgebung
        abweichend = sorted(set(self.textual.items()) ^ set(textual_einstellungen(umgebung).items()))
        if abweichend:
            namen = ", ".join(sorted({name for name, _ in abweichend}))
            melden(f"abgewiesen: andere Textual-Einstellungen als dieser Server ({namen}); die Umgebung des "
                   "Servers muss die des erzwungenen Befehls sein, README „Vorstart“")
            return "andere Textual-Einstellungen", argv, umgebung
        from kopl_tui.cli import nur_oberflaeche

        if not nur_oberflaeche(argv[1:]):
            return "keine Oberfläche", argv, umgebung  # a command, --help, a typo: the normal start
        return None, argv, umgebung

    def _gabeln(self, verbindung: socket.socket, fds: list[int], argv: list[str], umgebung: dict[str, str]) -> Auftrag | None:
        for strom in (sys.stdout, sys.stderr):  # nothing of the server's output may reach a terminal
            with contextlib.suppress(OSError, ValueError):
                strom.flush()
        self._liste_vorladen()
        signal.pthread_sigmask(signal.SIG_BLOCK, _SERVER_SIGNALE)
        gc.collect()  # the server's garbage since the last fork, not frozen into every worker
        gc.freeze()  # the rest (a reloaded customer list): out of the worker's collections too
        try:
            pid = os.fork()
        except OSError as fehler:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _SERVER_SIGNALE)
            melden(f"kein neuer Prozess möglich: {fehler.strerror or fehler}")
            for fd in fds:
                os.close(fd)
            _ablehnen(verbindung, "kein Prozess")
            return None
        if pid == 0:  # the worker: none of the server's signal handlers, sockets or children
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGHUP, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            self._im_arbeiter_schliessen(verbindung)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _SERVER_SIGNALE)
            return Auftrag(verbindung, fds, argv, umgebung)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SERVER_SIGNALE)
        for fd in fds:
            os.close(fd)
        arbeiter = Arbeiter(pid, os.pidfd_open(pid), verbindung)
        self.arbeiter[pid] = arbeiter
        self.auswahl.register(arbeiter.pidfd, selectors.EVENT_READ, arbeiter)
        melden(f"Sitzung {pid} gestartet: {' '.join(argv[1:]) or '(ohne Argumente)'}")
        return None

    def _ernten(self, arbeiter: Arbeiter) -> None:
        """A worker has ended: its exit code to its client (which may have it already, or be gone)."""
        self.auswahl.unregister(arbeiter.pidfd)
        _, status = os.waitpid(arbeiter.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        with contextlib.suppress(OSError):
            arbeiter.verbindung.send(b"ende %d" % code)
        arbeiter.verbindung.close()
        os.close(arbeiter.pidfd)
        del self.arbeiter[arbeiter.pid]
        melden(f"Sitzung {arbeiter.pid} beendet (Exit-Code {code})")

    def _im_arbeiter_schliessen(self, behalten: socket.socket) -> None:
        """In a new worker: close what belongs to the server. A worker holding the listening socket
        would keep a dead server's socket answering; one holding another client's connection would
        keep that client waiting after its own worker ended."""
        self.auswahl.close()
        self.zuhoerer.close()
        for verbindung in self.wartend:
            verbindung.close()
        for arbeiter in self.arbeiter.values():
            arbeiter.verbindung.close()
            os.close(arbeiter.pidfd)
        self.wartend.clear()
        self.arbeiter.clear()
        behalten.setblocking(True)

    def schliessen(self) -> None:
        """The server ends: its socket goes (only its own – never one a newer server made); workers
        go on (module docstring)."""
        if os.getpid() != self.pid:
            return
        with contextlib.suppress(OSError):
            if os.lstat(self.pfad).st_ino == self.socket_inode:
                os.unlink(self.pfad)
        self.zuhoerer.close()
        melden(f"beendet; {len(self.arbeiter)} Sitzung(en) laufen weiter")


def _ablehnen(verbindung: socket.socket, grund: str) -> None:
    with contextlib.suppress(OSError):
        verbindung.send(f"nein {grund}".encode())
    verbindung.close()


def _ordner_pruefen(ordner: Path) -> None:
    """The socket's folder: made 0700 if missing; else it must be this account's and closed to
    everyone else (the socket is the way into every session's data)."""
    with contextlib.suppress(FileExistsError):
        os.mkdir(ordner, 0o700)
    try:
        info = os.lstat(ordner)
    except OSError as fehler:
        raise VorstartFehler(f"Ordner {ordner} nicht nutzbar: {fehler.strerror or fehler}") from None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise VorstartFehler(f"Der Ordner {ordner} muss diesem Konto gehören und die Rechte 0700 haben "
                             f"(ist {stat.filemode(info.st_mode)}, Besitzer uid {info.st_uid}). Was tun: einen "
                             "eigenen Ordner nehmen, z. B. RuntimeDirectory=kopl mit RuntimeDirectoryMode=0700 "
                             "(README „Vorstart“).")


def _vorhandenen_socket_pruefen(pfad: Path) -> None:
    """A socket left by an ended server is removed; one that answers belongs to a running server."""
    try:
        info = os.lstat(pfad)
    except FileNotFoundError:
        return
    if not stat.S_ISSOCK(info.st_mode):
        raise VorstartFehler(f"{pfad} ist kein Socket; bitte einen anderen Pfad angeben.")
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as probe:
        try:
            probe.connect(str(pfad))
        except OSError:
            os.unlink(pfad)
            return
    raise VorstartFehler(f"Auf {pfad} läuft schon ein Vorstart-Server.")
