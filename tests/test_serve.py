"""Browser access (README, "Im Browser (Schulungsraum)"): ``kopl-tui serve`` as a real subprocess on a free loopback port."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import pytest

from kopl_tui.serve import ist_loopback
from kopl_tui.store import Store

START_FRIST = 30.0  # seconds: an upper bound for a slow CI machine, not a speed requirement


def freier_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(tmp_path: Path, *argumente: str) -> Iterator[tuple[subprocess.Popen, Path]]:
    """``kopl-tui serve`` in its own process group; always stopped (SIGTERM, then SIGKILL) with
    every app process it spawned."""
    fehler = tmp_path / "serve.err"
    with open(tmp_path / "serve.out", "wb") as aus, open(fehler, "wb") as err:
        prozess = subprocess.Popen([sys.executable, "-m", "kopl_tui", "serve", *argumente], stdout=aus, stderr=err,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        yield prozess, fehler
    finally:
        for signal_, frist in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            try:
                os.killpg(prozess.pid, signal_)
            except ProcessLookupError:
                break
            try:
                prozess.wait(timeout=frist)
                break
            except subprocess.TimeoutExpired:
                continue
        try:  # app processes of the group that outlived the server
            os.killpg(prozess.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def seite_laden(url: str, prozess: subprocess.Popen) -> tuple[int, str]:
    ende = time.monotonic() + START_FRIST
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as antwort:
                return antwort.status, antwort.read().decode("utf-8")
        except OSError:
            if prozess.poll() is not None or time.monotonic() > ende:
                raise
            time.sleep(0.2)


async def bildschirm_lesen(url: str, gesucht: bytes) -> bytes:
    """What a browser tab receives: terminal output of the app spawned for this websocket."""
    empfangen = b""
    herkunft = url.replace("ws://", "http://").split("/ws", 1)[0]  # a browser names the page's origin
    async with aiohttp.ClientSession() as sitzung, sitzung.ws_connect(url, origin=herkunft) as ws:
        ende = time.monotonic() + START_FRIST
        while gesucht not in empfangen and time.monotonic() < ende:
            try:
                nachricht = await ws.receive(timeout=1)
            except asyncio.TimeoutError:
                continue
            if nachricht.type == aiohttp.WSMsgType.BINARY:
                empfangen += nachricht.data
            elif nachricht.type != aiohttp.WSMsgType.TEXT:
                break
    return empfangen


def test_serve_liefert_die_seite_und_die_app_mit_der_kundenliste(tmp_path: Path, demo_ordner: Path):
    port = freier_port()
    with server(tmp_path, "--data", str(demo_ordner), "--port", str(port), "--benutzer", "schulung") as (prozess, err):
        status, html = seite_laden(f"http://127.0.0.1:{port}/", prozess)
        assert status == 200
        assert f"ws://127.0.0.1:{port}/ws" in html
        assert "googleapis" not in html and "RobotoMono" in html  # no third party learns who uses the app
        nachname = Store(demo_ordner).kunden()[0].nachname.encode()
        bildschirm = asyncio.run(bildschirm_lesen(f"ws://127.0.0.1:{port}/ws?width=120&height=35", nachname))
        assert nachname in bildschirm and b"Kooperationsplan" in bildschirm and b"schulung" in bildschirm
    assert "WARNUNG" not in err.read_text()


def test_serve_warnt_bei_einer_adresse_ausserhalb_des_rechners(tmp_path: Path, demo_ordner: Path):
    """192.0.2.1 is TEST-NET-1 (never this machine's): the warning comes first, then the bind fails."""
    with server(tmp_path, "--data", str(demo_ordner), "--host", "192.0.2.1", "--port", str(freier_port())) \
            as (prozess, err):
        try:
            prozess.wait(timeout=START_FRIST)
        except subprocess.TimeoutExpired:
            pass  # a machine that allows non-local binds: the warning must be there all the same
        meldung = err.read_text()
    assert "WARNUNG" in meldung and "Sozialdaten" in meldung and "Reverse-Proxy mit Anmeldung" in meldung
    if prozess.returncode is not None:
        assert prozess.returncode == 1 and "kann nicht verwendet werden" in meldung


@pytest.mark.parametrize(("host", "lokal"), [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                             ("127.0.0.2", True), ("0.0.0.0", False), ("::", False),
                                             ("192.168.10.5", False), ("kopl.example.org", False)])
def test_nur_loopback_gilt_als_lokal(host: str, lokal: bool):
    assert ist_loopback(host) is lokal
