"""How docs/browser-kundenliste.png was made (by hand, not part of the test suite).

The textual-serve page needs JavaScript, a websocket and real time, so ``chromium --screenshot``
(taken at the load event) shows only the start dialog. This drives headless Chromium over the
DevTools protocol instead: open the page, wait, click into the search field (the Footer is drawn
only while the tab has the focus), take the picture.

    apt-get install -y chromium
    kopl-tui schulung --data /tmp/raum --teilnehmer 1
    kopl-tui serve --data /tmp/raum/tn01 --benutzer tn01 &
    .venv/bin/python docs/browser_screenshot.py http://127.0.0.1:8000/ docs/browser-kundenliste.png
"""

from __future__ import annotations

import asyncio
import base64
import subprocess
import sys
import tempfile
from pathlib import Path

import aiohttp

PORT = 9333
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,760", f"--remote-debugging-port={PORT}"]


async def aufnehmen(url: str, ziel: Path, warten: float) -> None:
    with tempfile.TemporaryDirectory() as profil:
        chrome = subprocess.Popen(["chromium", *FLAGS, f"--user-data-dir={profil}", "about:blank"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            async with aiohttp.ClientSession() as sitzung:
                for _ in range(50):
                    try:
                        async with sitzung.get(f"http://127.0.0.1:{PORT}/json") as antwort:
                            ziele = await antwort.json()
                        break
                    except aiohttp.ClientError:
                        await asyncio.sleep(0.2)
                seite = next(z for z in ziele if z["type"] == "page")
                async with sitzung.ws_connect(seite["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                    nummer = 0

                    async def cdp(methode: str, **parameter: object) -> dict:
                        nonlocal nummer
                        nummer += 1
                        await ws.send_json({"id": nummer, "method": methode, "params": parameter})
                        while (nachricht := await ws.receive_json()).get("id") != nummer:
                            pass
                        return nachricht

                    await cdp("Emulation.setFocusEmulationEnabled", enabled=True)
                    await cdp("Page.navigate", url=url)
                    await asyncio.sleep(warten)
                    for art in ("mousePressed", "mouseReleased"):
                        await cdp("Input.dispatchMouseEvent", type=art, x=300, y=50, button="left", clickCount=1)
                    await asyncio.sleep(2)
                    bild = await cdp("Page.captureScreenshot", format="png")
                    ziel.write_bytes(base64.b64decode(bild["result"]["data"]))
        finally:
            chrome.terminate()
            chrome.wait(10)


if __name__ == "__main__":
    asyncio.run(aufnehmen(sys.argv[1], Path(sys.argv[2]), float(sys.argv[3]) if len(sys.argv) > 3 else 5))
