"""Vorstart (README "Vorstart"): sessions forked from one preloaded server, the console script as its
client. Real processes: ``kopl-tui vorstart`` of this venv on a Unix socket in a tmp folder, the real
``kopl-tui`` in real ptys (the pty its controlling terminal, as sshd starts it), real files."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import signal
import socket
import struct
import subprocess
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kopl_tui.demo import schreiben
from kopl_tui.einstieg import ueber_vorstart, weiterzugeben
from kopl_tui.store import Store
from tests.conftest import als_niemand, bis
from tests.test_sitzung_terminal import KOPL_TUI, NAME, START_FRIST, Terminal, umgebung

WURZEL = Path(__file__).resolve().parent.parent
FRIST = 10.0  # upper bound for an end to be seen on a loaded machine; not a speed goal


def kinder(pid: int) -> list[int]:
    """The processes ``pid`` has forked and not yet reaped."""
    try:
        return [int(kind) for kind in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def faeden(pid: int) -> int:
    """Threads of ``pid``: a client waiting for its worker has one, a running app several (Textual's
    input and output threads, the terminal watch)."""
    return len(os.listdir(f"/proc/{pid}/task"))


def lebt(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class Vorstart:
    """A ``kopl-tui vorstart`` process on a socket in its own 0700 folder; its log is its stderr."""

    def __init__(self, ordner: Path, env: dict[str, str], daten: Path | None = None, pass_fds: tuple[int, ...] = ()):
        self.socket = ordner / "run" / "vorstart.sock"
        self.logdatei = ordner / "vorstart.log"
        argumente = [KOPL_TUI, "vorstart", "--socket", str(self.socket)] + (["--data", str(daten)] if daten else [])
        with open(self.logdatei, "wb") as log:
            self.prozess = subprocess.Popen(argumente, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
                                            pass_fds=pass_fds)
        self.pid = self.prozess.pid
        bis(lambda: "bereit auf" in self.log() or self.prozess.poll() is not None, START_FRIST, "Server bereit")
        assert self.prozess.poll() is None, self.log()
        self.arbeiter_gesehen: set[int] = set()

    def log(self) -> str:
        return self.logdatei.read_text(encoding="utf-8")

    def arbeiter(self) -> list[int]:
        jetzt = kinder(self.pid)
        self.arbeiter_gesehen.update(jetzt)
        return jetzt

    def arbeiter_von(self, client: int) -> int:
        """The worker on the same terminal as ``client``."""
        tty = os.readlink(f"/proc/{client}/fd/0")
        bis(lambda: any(os.readlink(f"/proc/{k}/fd/0") == tty for k in self.arbeiter()), START_FRIST,
            "Arbeitsprozess")
        return next(k for k in self.arbeiter() if os.readlink(f"/proc/{k}/fd/0") == tty)

    def beenden(self) -> None:
        if self.prozess.poll() is None:
            self.prozess.terminate()
            self.prozess.wait(FRIST)
        for pid in self.arbeiter_gesehen:  # workers go on without their server: none left behind
            if lebt(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def vorstart(tmp_path: Path, demo_ordner: Path) -> Iterator[Vorstart]:
    server = Vorstart(tmp_path, umgebung(), demo_ordner)
    try:
        yield server
    finally:
        server.beenden()


def client(ordner: Path | None, socket_pfad: Path | str, argumente: list[str] | None = None,
           groesse: tuple[int, int] = (80, 24), **env: str) -> Terminal:
    """``kopl-tui`` with KOPL_VORSTART, as sshd starts a forced command: a new session, the pty its
    controlling terminal."""
    argv = [KOPL_TUI, *(argumente if argumente is not None else ["--data", str(ordner), "--benutzer", "mueller"])]
    pid, master = pty.fork()
    if pid == 0:
        try:
            groesse_setzen(0, groesse)
            os.execve(KOPL_TUI, argv, umgebung(KOPL_VORSTART=str(socket_pfad), **env))
        finally:
            os._exit(127)
    return Terminal(master, pid)


def groesse_setzen(fd: int, groesse: tuple[int, int]) -> None:
    """Columns × rows of the pty; set on the master side, the kernel sends SIGWINCH."""
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", groesse[1], groesse[0], 0, 0))


def sperrdatei(ordner: Path) -> Path:
    nummer = next(k.kundennummer for k in Store(ordner).kunden() if (k.nachname, k.vorname) == ("Mustermann", "Max"))
    return ordner / "akten" / f"{nummer}.sperre"


def akte_oeffnen(terminal: Terminal, ordner: Path) -> Path:
    """Type the customer's name into the search, Enter: the Akte open for editing; its lock file."""
    terminal.warten_auf(b"von 32 Kunden")
    terminal.tippen(NAME + "\r")
    terminal.warten_auf(b"gespeichert")  # the overview's header
    datei = sperrdatei(ordner)
    bis(datei.exists, START_FRIST, "Sperre")
    return datei


def abwarten(terminal: Terminal) -> int | None:
    bis(lambda: not terminal.laeuft(), FRIST, "Client beendet")
    return terminal.code


# ---- through the server ----------------------------------------------------------------------------


def test_liste_tippen_akte_und_strg_q_ueber_den_server(vorstart: Vorstart, demo_ordner: Path):
    terminal = client(demo_ordner, vorstart.socket)
    try:
        terminal.warten_auf(b"32 von 32 Kunden")
        terminal.tippen("Schablone")
        terminal.warten_auf(b"1 von 32 Kunden")
        terminal.tippen("\x15")  # Strg+U: the search empty again
        sperre = akte_oeffnen(terminal, demo_ordner)
        arbeiter = vorstart.arbeiter_von(terminal.pid)
        assert json.loads(sperre.read_text())["pid"] == arbeiter  # the worker holds the lock, not the client
        assert faeden(terminal.pid) == 1  # the client only waits, as a small interpreter of its own
        assert Path(f"/proc/{terminal.pid}/cmdline").read_bytes().split(b"\0")[1:3] == [b"-I", b"-S"]
        assert Path(f"/proc/{terminal.pid}/comm").read_text().strip() == "kopl-tui"
        assert f"Sitzung {arbeiter} gestartet: --data {demo_ordner} --benutzer mueller" in vorstart.log()
        terminal.tippen("\x1b")
        terminal.warten_auf(b"Kunden")
        terminal.tippen("\x11")  # Strg+Q
        assert abwarten(terminal) == 0
        assert not sperre.exists()
        bis(lambda: f"Sitzung {arbeiter} beendet (Exit-Code 0)" in vorstart.log(), was="Arbeitsprozess geerntet")
    finally:
        terminal.beenden()


def test_exit_code_eines_getoeteten_arbeitsprozesses_erreicht_den_client(vorstart: Vorstart, demo_ordner: Path):
    """The worker cannot report its end itself: the server, which reaps it, does."""
    terminal = client(demo_ordner, vorstart.socket)
    try:
        terminal.warten_auf(b"von 32 Kunden")
        os.kill(vorstart.arbeiter_von(terminal.pid), signal.SIGKILL)
        assert abwarten(terminal) == 128 + signal.SIGKILL
    finally:
        terminal.beenden()


def test_neue_fenstergroesse_erreicht_die_app(vorstart: Vorstart, demo_ordner: Path):
    """The kernel signals the client (the terminal's foreground process); the app redraws at the new
    size: 40 rows, where before there were 24."""
    terminal = client(demo_ordner, vorstart.socket)
    try:
        terminal.warten_auf(b"von 32 Kunden")
        time.sleep(0.5)  # settled: nothing of the start is drawn after the mark
        assert b"\x1b[24;1H" in terminal.ausgabe and b"\x1b[40;" not in terminal.ausgabe
        marke = len(terminal.ausgabe)
        groesse_setzen(terminal.master, (120, 40))
        bis(lambda: b"\x1b[40;1H" in terminal.ausgabe[marke:], START_FRIST, "Neuzeichnen mit 40 Zeilen")
    finally:
        terminal.beenden()


@pytest.mark.parametrize("art", ["aufgelegt", "Client getötet"])
def test_sitzung_ohne_terminal_oder_client_endet_und_gibt_die_sperre_frei(vorstart: Vorstart, demo_ordner: Path,
                                                                         art: str):
    """The SSH connection drops (the pty's master side closes), or only the waiting client is killed
    and the terminal stays: either way the worker gives its lock back and ends, as on a hang-up."""
    terminal = client(demo_ordner, vorstart.socket)
    try:
        sperre = akte_oeffnen(terminal, demo_ordner)
        arbeiter = vorstart.arbeiter_von(terminal.pid)
        if art == "aufgelegt":
            terminal.schliessen()
        else:
            os.kill(terminal.pid, signal.SIGKILL)
        bis(lambda: not sperre.exists(), was="Sperre frei")
        bis(lambda: not lebt(arbeiter), was="Arbeitsprozess beendet")
        bis(lambda: f"Sitzung {arbeiter} beendet (Exit-Code {128 + signal.SIGHUP})" in vorstart.log(),
            was="als Auflegen beendet")
        assert abwarten(terminal) == (128 + signal.SIGHUP if art == "aufgelegt" else -signal.SIGKILL)
    finally:
        terminal.beenden()


@pytest.mark.parametrize("art", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_server_weg_sitzung_laeuft_weiter_neuer_start_normal(vorstart: Vorstart, demo_ordner: Path,
                                                            art: signal.Signals):
    """SIGKILL leaves a stale socket behind, SIGTERM removes it; either way the running session goes on
    and ends with its exit code, and a new start is a normal start."""
    erste = client(demo_ordner, vorstart.socket)
    zweite = None
    try:
        sperre = akte_oeffnen(erste, demo_ordner)
        arbeiter = vorstart.arbeiter_von(erste.pid)
        os.kill(vorstart.pid, art)
        vorstart.prozess.wait(FRIST)
        assert vorstart.socket.exists() == (art == signal.SIGKILL)
        if art == signal.SIGKILL:  # no worker holds the listening socket: the stale one refuses at once
            with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as probe, \
                    pytest.raises(ConnectionRefusedError):
                probe.connect(str(vorstart.socket))
        assert lebt(arbeiter) and sperre.exists()
        marke = len(erste.ausgabe)
        erste.tippen("\x1b")  # still answers: back to the list
        bis(lambda: b"Kunden" in erste.ausgabe[marke:], START_FRIST, "Kundenliste nach Esc")

        zweite = client(demo_ordner, vorstart.socket)
        zweite.warten_auf(b"von 32 Kunden")
        assert faeden(zweite.pid) > 1  # the app runs in the client's own process
        erste.tippen("\x11")
        assert abwarten(erste) == 0  # reported by the worker itself
        assert not sperre.exists()
    finally:
        erste.beenden()
        if zweite is not None:
            zweite.beenden()


@pytest.mark.parametrize("art", ["kein Socket", "Socket ohne Server", "normale Datei"])
def test_ohne_antwortenden_server_normaler_start(tmp_path: Path, demo_ordner: Path, art: str):
    pfad = tmp_path / "vorstart.sock"
    if art == "Socket ohne Server":
        with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as verlassen:
            verlassen.bind(str(pfad))
    elif art == "normale Datei":
        pfad.write_text("")
    terminal = client(demo_ordner, pfad)
    try:
        terminal.warten_auf(b"von 32 Kunden")
        assert faeden(terminal.pid) > 1
        terminal.tippen("\x11")
        assert abwarten(terminal) == 0
    finally:
        terminal.beenden()


def _kopie_der_installation(ziel: Path) -> Path:
    """kopl_tui and screens copied elsewhere: another installation of the same program, as after an
    upgrade (new files) – found before this venv's through PYTHONPATH."""
    for paket in ("kopl_tui", "screens"):
        shutil.copytree(WURZEL / paket, ziel / paket, ignore=shutil.ignore_patterns("__pycache__"))
    return ziel


@pytest.mark.parametrize("art", ["andere Installation", "andere Textual-Einstellungen"])
def test_server_einer_anderen_version_wird_nicht_benutzt(tmp_path: Path, demo_ordner: Path, art: str):
    if art == "andere Installation":
        server = Vorstart(tmp_path, umgebung(PYTHONPATH=str(_kopie_der_installation(tmp_path / "alt"))))
        terminal = client(demo_ordner, server.socket)
    else:  # Textual read ESCDELAY when the server imported it
        server = Vorstart(tmp_path, umgebung(ESCDELAY="250"))
        terminal = client(demo_ordner, server.socket, ESCDELAY="200")
    try:
        terminal.warten_auf(b"von 32 Kunden")
        assert faeden(terminal.pid) > 1 and server.arbeiter() == []
        assert f"abgewiesen: {'ein Client einer anderen Installation' if art == 'andere Installation' else art}" \
            in server.log()
        terminal.tippen("\x11")
        assert abwarten(terminal) == 0
    finally:
        terminal.beenden()
        server.beenden()


def test_befehle_laufen_wie_bisher(vorstart: Vorstart, demo_ordner: Path):
    """Only the TUI goes through the server: a command (here ``pruefen``) runs in the client's process,
    with its output and exit code."""
    terminal = client(None, vorstart.socket, ["pruefen", "--data", str(demo_ordner), "--stichtag", "25.11.2026"])
    try:
        code = abwarten(terminal)
        terminal._leser.join(5)
        direkt = subprocess.run([KOPL_TUI, "pruefen", "--data", str(demo_ordner), "--stichtag", "25.11.2026"],
                                capture_output=True, env=umgebung(), timeout=START_FRIST)
        assert code == direkt.returncode
        # on the terminal stdout and stderr are one stream: the same lines, maybe interleaved otherwise
        assert sorted(bytes(terminal.ausgabe).decode().splitlines()) == \
            sorted((direkt.stdout + direkt.stderr).decode().splitlines())
        assert direkt.stdout
        assert vorstart.arbeiter_gesehen == set() and "Sitzung" not in vorstart.log()
    finally:
        terminal.beenden()


def test_umgebung_nur_was_freigegeben_ist(tmp_path: Path, demo_ordner: Path):
    """The worker has the client's environment, not the server's, and of it only what may pass:
    KOPL_DATA chooses the folder (the server's own KOPL_DATA names another); LINES, which would fix
    the window at 12 rows, reaches it neither from the client nor from the server: the app fills all
    24 rows."""
    leer = tmp_path / "leer"
    schreiben(Store(leer), [])
    server = Vorstart(tmp_path, umgebung(KOPL_DATA=str(leer), LINES="12"))
    terminal = client(None, server.socket, ["--benutzer", "mueller"], KOPL_DATA=str(demo_ordner), LINES="12")
    try:
        terminal.warten_auf(b"von 32 Kunden")
        assert server.arbeiter_von(terminal.pid)
        assert b"\x1b[24;1H" in terminal.ausgabe
        assert not weiterzugeben("LINES") and weiterzugeben("KOPL_DATA") and weiterzugeben("LC_ALL")
    finally:
        terminal.beenden()
        server.beenden()


def test_arbeitsprozess_erbt_nichts_vom_starter_des_servers(tmp_path: Path, demo_ordner: Path):
    """A descriptor the server was started with (here a pipe, as a shell may leave one) reaches no
    session: the worker has the terminal on 0–2 and otherwise only what it opens itself."""
    lesen, schreiben_ = os.pipe()
    server = Vorstart(tmp_path, umgebung(), demo_ordner, pass_fds=(schreiben_,))
    os.close(schreiben_)
    terminal = client(demo_ordner, server.socket)
    try:
        terminal.warten_auf(b"von 32 Kunden")
        arbeiter = server.arbeiter_von(terminal.pid)
        ziele = {fd: os.readlink(f"/proc/{arbeiter}/fd/{fd}") for fd in map(int, os.listdir(f"/proc/{arbeiter}/fd"))}
        rohr = os.readlink(f"/proc/self/fd/{lesen}")
        assert rohr not in ziele.values(), ziele
        assert {ziele[0], ziele[1], ziele[2]} == {os.readlink(f"/proc/{terminal.pid}/fd/0")}
    finally:
        terminal.beenden()
        server.beenden()
        os.close(lesen)


def test_anderes_konto_wird_abgewiesen(fremder_ordner: Path):
    """A client of another uid (nobody) that can reach the socket (rights opened by mistake) is
    refused by the server (SO_PEERCRED) and starts normally."""
    server = Vorstart(fremder_ordner, umgebung())
    try:
        server.socket.parent.chmod(0o711)
        server.socket.chmod(0o666)

        def als_client() -> int:
            _master, slave = os.openpty()
            for fd in (0, 1, 2):
                os.dup2(slave, fd)
            signal.alarm(int(FRIST))  # were it served, it would wait for a session nobody ends
            print(ueber_vorstart(str(server.socket), [KOPL_TUI]))
            return 0

        code, ausgabe, fehler = als_niemand(als_client)
        assert (code, ausgabe.strip(), fehler) == (0, "None", "")
        assert "eines anderen Kontos (uid 65534)" in server.log()
        assert server.arbeiter() == []
    finally:
        server.beenden()


# ---- the server itself ------------------------------------------------------------------------------


def test_server_verweigert_offenen_ordner_und_zweiten_start(tmp_path: Path, vorstart: Vorstart):
    offen = tmp_path / "offen"
    offen.mkdir(mode=0o755)
    offen.chmod(0o755)
    for socket_pfad, erwartet in ((offen / "v.sock", "muss diesem Konto gehören und die Rechte 0700 haben"),
                                  (vorstart.socket, "läuft schon ein Vorstart-Server")):
        lauf = subprocess.run([KOPL_TUI, "vorstart", "--socket", str(socket_pfad)], capture_output=True, text=True,
                              env=umgebung(), timeout=START_FRIST)
        assert lauf.returncode == 2 and erwartet in lauf.stderr and "Traceback" not in lauf.stderr
    assert vorstart.prozess.poll() is None and vorstart.socket.exists()
    assert (vorstart.socket.parent.stat().st_mode & 0o777, vorstart.socket.stat().st_mode & 0o777) == (0o700, 0o600)


def test_kundenliste_vorgeladen_und_nach_aenderung_neu(vorstart: Vorstart, demo_ordner: Path):
    """The server holds the list of its --data folder; after kunden.json has changed it loads it
    again before the next session, which shows the new customer."""
    assert "vorgeladen: 32 Kunden" in vorstart.log()
    from kopl_tui.model import Anrede, Kunde

    store = Store(demo_ordner)
    store.kunden_schreiben([*store.kunden(), Kunde(kundennummer="999D999999", anrede=Anrede.FRAU, nachname="Neuzugang",
                                                   vorname="Nora", geburtsdatum="01.02.1980",
                                                   bg_nummer="12345//0009999", ifk="Ina Beispiel")])
    terminal = client(demo_ordner, vorstart.socket)
    try:
        terminal.warten_auf(b"33 von 33 Kunden")
        assert "vorgeladen: 33 Kunden" in vorstart.log()
    finally:
        terminal.beenden()
