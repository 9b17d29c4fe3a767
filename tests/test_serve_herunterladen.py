"""Download in the browser, end to end: ``kopl-tui serve`` on 127.0.0.1, a WebSocket client doing what
textual-serve's page does (keys as "stdin", on "deliver_file_start" a GET of /download/<key>)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import aiohttp

from kopl_tui import demo
from kopl_tui.ablage import Ablage
from kopl_tui.store import Store
from tests.test_serve import START_FRIST, freier_port, seite_laden, server

F8 = "\x1b[19~"  # what xterm.js sends for F8


class Browser:
    """One tab: reads the app's screen output and the server's JSON messages."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse):
        self.ws, self.bildschirm, self.nachrichten = ws, b"", []

    async def tippen(self, text: str) -> None:
        await self.ws.send_json(["stdin", text])

    async def warten_auf(self, gesucht: bytes | None = None, nachricht: str | None = None) -> object:
        """Until the screen shows ``gesucht`` (after what was seen so far) or a JSON ``nachricht`` arrives."""
        ende, start = time.monotonic() + START_FRIST, len(self.bildschirm)
        while time.monotonic() < ende:
            if gesucht is not None and gesucht in self.bildschirm[start:]:
                return gesucht
            for empfangen in self.nachrichten:
                if empfangen[0] == nachricht:
                    self.nachrichten.remove(empfangen)
                    return empfangen[1]
            try:
                antwort = await self.ws.receive(timeout=1)
            except asyncio.TimeoutError:
                continue
            if antwort.type == aiohttp.WSMsgType.BINARY:
                self.bildschirm += antwort.data
            elif antwort.type == aiohttp.WSMsgType.TEXT:
                self.nachrichten.append(json.loads(antwort.data))
            else:
                break
        raise AssertionError(f"nicht erschienen: {gesucht or nachricht}; zuletzt: {self.bildschirm[-400:]!r}")


def test_im_browser_laedt_f8_den_abgelegten_brief_herunter(tmp_path: Path):
    heute = date.today()  # the letter is filed by `kopl-tui brief`, dated today
    daten = tmp_path / "demo"
    faelle = {fall.kunde.nachname: fall for fall in demo.demo_jobcenter(heute)}
    demo.schreiben(Store(daten), list(faelle.values()))
    kunde = faelle["Probe"].kunde
    leer = tmp_path / "leer"  # no LibreOffice: the letter is filed as .docx
    leer.mkdir()
    abgelegt = subprocess.run([str(Path(sys.executable).with_name("kopl-tui")), "brief", kunde.kundennummer,
                               "schlichtungsverfahren-merkblatt", "--data", str(daten), "--benutzer", "support1",
                               "--ablegen"], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "PATH": str(leer)})
    assert abgelegt.returncode == 0, abgelegt.stderr
    [eintrag] = Ablage(Store(daten)).dokumente(kunde.kundennummer)
    docx = daten / "ablage" / kunde.kundennummer / eintrag.datei

    port = freier_port()
    with server(tmp_path, "--data", str(daten), "--port", str(port), "--benutzer", "schulung") as (prozess, _):
        seite_laden(f"http://127.0.0.1:{port}/", prozess)

        async def browser() -> tuple[int, dict[str, str], bytes]:
            async with aiohttp.ClientSession() as sitzung, \
                    sitzung.ws_connect(f"ws://127.0.0.1:{port}/ws?width=110&height=35",
                                       origin=f"http://127.0.0.1:{port}") as ws:  # as the page's script
                tab = Browser(ws)
                await tab.warten_auf(Store(daten).kunden()[0].nachname.encode())  # the customer list
                await tab.tippen(f"{kunde.nachname} {kunde.vorname}")
                await tab.warten_auf(kunde.vorname.encode())
                await tab.tippen("\r")  # the Kundenakte at its Kooperationsplan overview
                await tab.warten_auf(b"Dokumente")
                await tab.tippen("d")
                await tab.warten_auf(b"SFTP:")
                await tab.tippen(F8)
                await tab.warten_auf(b"Word-Dokument (.docx)")
                await tab.tippen("1")
                schluessel = await tab.warten_auf(nachricht="deliver_file_start")
                async with sitzung.get(f"http://127.0.0.1:{port}/download/{schluessel}") as antwort:
                    return antwort.status, dict(antwort.headers), await antwort.read()

        status, kopf, inhalt = asyncio.run(browser())
    assert status == 200 and inhalt == docx.read_bytes()
    assert kopf["Content-Disposition"] == f"attachment; filename={kunde.kundennummer}_{eintrag.datei}"
    assert kopf["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
