"""``kopl-tui serve`` answers only its own address and its own pages (Cross-Site WebSocket Hijacking,
DNS rebinding, framing): real server processes, real HTTP and WebSocket handshakes on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import os
import signal
import socket
import time
from pathlib import Path

import aiohttp
import pytest
from tests.kennzahlen import melden

from kopl_tui.sperre import AkteSperre
from kopl_tui.store import Store
from tests.test_serve import START_FRIST, bildschirm_lesen, freier_port, seite_laden, server  # noqa: F401

EVIL = "http://evil.example"


def anfrage(port: int, pfad: str = "/", host: str | None = None, origin: str | None = None,
            websocket: bool = False) -> tuple[int, dict[str, str]]:
    """One raw HTTP/1.1 request, exactly as given (a browser's or an attacker's): status and headers."""
    zeilen = [f"GET {pfad} HTTP/1.1", f"Host: {host or f'127.0.0.1:{port}'}", "Connection: close"]
    if websocket:
        zeilen[2] = "Connection: Upgrade"
        zeilen += ["Upgrade: websocket", "Sec-WebSocket-Version: 13",
                   f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}"]
    if origin is not None:
        zeilen.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as verbindung:
        verbindung.sendall(("\r\n".join(zeilen) + "\r\n\r\n").encode())
        antwort = b""
        while b"\r\n\r\n" not in antwort:
            teil = verbindung.recv(4096)
            if not teil:
                break
            antwort += teil
    kopf = antwort.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    felder = dict(zeile.split(": ", 1) for zeile in kopf[1:] if ": " in zeile)
    return int(kopf[0].split()[1]), {k.lower(): v for k, v in felder.items()}


def test_fremde_herkunft_bekommt_403_eigene_die_app(tmp_path: Path, demo_ordner: Path):  # noqa: F811
    port = freier_port()
    with server(tmp_path, "--data", str(demo_ordner), "--port", str(port), "--benutzer", "tn01") as (prozess, _):
        seite_laden(f"http://127.0.0.1:{port}/", prozess)
        status, kopf = anfrage(port)
        assert status == 200
        assert kopf["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in kopf["content-security-policy"]
        abgelehnt = {
            "WebSocket von evil.example": anfrage(port, "/ws", origin=EVIL, websocket=True),
            "WebSocket ohne Origin": anfrage(port, "/ws", websocket=True),
            "WebSocket aus einer Sandbox (Origin null)": anfrage(port, "/ws", origin="null", websocket=True),
            "WebSocket, anderer Port": anfrage(port, "/ws", origin=f"http://127.0.0.1:{port + 1}", websocket=True),
            "WebSocket, https statt http": anfrage(port, "/ws", origin=f"https://127.0.0.1:{port}", websocket=True),
            "DNS-Rebinding, Seite": anfrage(port, "/", host=f"evil.example:{port}"),
            "DNS-Rebinding, WebSocket": anfrage(port, "/ws", host=f"evil.example:{port}",
                                                origin=f"http://evil.example:{port}", websocket=True),
            "Seite mit fremdem Origin": anfrage(port, "/", origin=EVIL),
            "Download mit fremdem Origin": anfrage(port, "/download/abc", origin=EVIL),
            "Datei mit fremdem Origin": anfrage(port, "/static/js/textual.js", origin=EVIL),
        }
        assert {fall: status for fall, (status, _) in abgelehnt.items()} == {fall: 403 for fall in abgelehnt}
        for name in ("127.0.0.1", "localhost", "[::1]"):  # all name this machine's loopback: the same server
            assert anfrage(port, "/ws", host=f"{name}:{port}", origin=f"http://{name}:{port}",
                           websocket=True)[0] == 101
        nachname = b"Mustermann"
        bildschirm = asyncio.run(bildschirm_lesen(f"ws://127.0.0.1:{port}/ws?width=100&height=30", nachname))
        assert nachname in bildschirm  # with the page's own origin: the app


def test_hinter_dem_proxy_gilt_die_public_url(tmp_path: Path, demo_ordner: Path):  # noqa: F811
    port = freier_port()
    with server(tmp_path, "--data", str(demo_ordner), "--port", str(port),
                "--public-url", "https://kopl.example.org") as (prozess, _):
        _, html = seite_laden(f"http://127.0.0.1:{port}/", prozess)
        assert "wss://kopl.example.org/ws" in html
        proxy = {"host": "kopl.example.org", "origin": "https://kopl.example.org", "websocket": True}
        assert anfrage(port, "/ws", **proxy)[0] == 101  # nginx with "proxy_set_header Host $host"
        assert anfrage(port, "/ws", origin="https://kopl.example.org", websocket=True)[0] == 101  # Host unchanged
        assert anfrage(port, "/", host="kopl.example.org:443")[0] == 200
        assert anfrage(port, "/ws", **(proxy | {"origin": "http://kopl.example.org"}))[0] == 403
        assert anfrage(port, "/ws", **(proxy | {"origin": "https://kopl.example.org.evil.example"}))[0] == 403
        assert anfrage(port, "/ws", **(proxy | {"origin": EVIL}))[0] == 403


@pytest.mark.parametrize(("host", "public_url", "erwartet"), [
    ("127.0.0.1", None, {"http://127.0.0.1:8001", "http://localhost:8001", "http://[::1]:8001"}),
    ("::1", "http://[::1]:8001", {"http://127.0.0.1:8001", "http://localhost:8001", "http://[::1]:8001"}),
    ("10.0.0.5", None, {"http://10.0.0.5:8001"}),
    ("127.0.0.1", "https://Kopl.Example.org:443/pfad",
     {"http://127.0.0.1:8001", "http://localhost:8001", "http://[::1]:8001", "https://kopl.example.org"}),
])
def test_eigene_origins(host: str, public_url: str | None, erwartet: set[str]):
    from kopl_tui.serve import eigene_origins

    assert eigene_origins(host, 8001, public_url) == erwartet


def test_server_weg_app_endet_und_gibt_die_sperre_frei(tmp_path: Path, demo_ordner: Path):  # noqa: F811
    """The server is killed while a tab has an Akte open: its app must not live on with the lock."""
    port = freier_port()
    with server(tmp_path, "--data", str(demo_ordner), "--port", str(port), "--benutzer", "tn01") as (prozess, _):
        seite_laden(f"http://127.0.0.1:{port}/", prozess)

        async def akte_im_browser_oeffnen() -> int:
            async with aiohttp.ClientSession() as sitzung, sitzung.ws_connect(
                    f"ws://127.0.0.1:{port}/ws?width=100&height=30", origin=f"http://127.0.0.1:{port}") as ws:
                empfangen = b""
                while b"Mustermann" not in empfangen:
                    nachricht = await ws.receive(timeout=START_FRIST)
                    empfangen += nachricht.data if nachricht.type == aiohttp.WSMsgType.BINARY else b""
                await ws.send_json(["stdin", "Mustermann Max\r"])
                ende = time.monotonic() + START_FRIST
                while not list((demo_ordner / "akten").glob("*.sperre")):
                    assert time.monotonic() < ende
                    await asyncio.sleep(0.05)
                sperre = next((demo_ordner / "akten").glob("*.sperre"))
                app_pid = AkteSperre.lesen(Store(demo_ordner), sperre.stem).pid
                os.kill(prozess.pid, signal.SIGKILL)  # the server only; its app process is left alone
                return app_pid

        app_pid = asyncio.run(akte_im_browser_oeffnen())
        weg = time.monotonic()
        while (list((demo_ordner / "akten").glob("*.sperre")) or Path(f"/proc/{app_pid}").exists()) \
                and time.monotonic() - weg < 10:
            time.sleep(0.02)
        dauer = time.monotonic() - weg
        assert not list((demo_ordner / "akten").glob("*.sperre")) and not Path(f"/proc/{app_pid}").exists()
        assert dauer <= 3.0
        melden("Browser, Server beendet (SIGKILL)", App_beendet_und_Sperre_frei_nach=f"{dauer:.2f} s")
