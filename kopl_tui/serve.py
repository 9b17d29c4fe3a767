"""Browser access: ``kopl-tui serve`` offers the same app through textual-serve.

textual-serve starts one app process per browser tab, with this package's own command line, so a
browser user gets exactly the terminal app (same data folder, same Benutzer for the log).
textual-serve has no authentication of its own, and the app shows personal data: by default it
listens on the loopback address only; anything else is said loudly on stderr.

Two things textual-serve does not do are added here. It accepts a page request and a WebSocket from
any web page the browser happens to show (Cross-Site WebSocket Hijacking): a middleware refuses
every request whose Host or Origin is not the server's own address or the
``--public-url``'s (403), and no page may frame it. And its page is replaced by ``web/app_index.html``
(a copy of textual-serve 1.1.3's, adapted: German, the font from the server instead of Google Fonts,
and the session rules of the training room; see the comments there).
"""

from __future__ import annotations

import contextlib
import ipaddress
import shlex
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from kopl_tui.datenort import Datenort
from kopl_tui.schulung import ist_schulung

if TYPE_CHECKING:
    from aiohttp import web

STANDARD_HOST = "127.0.0.1"
STANDARD_PORT = 8000
TITEL = "Kooperationsplan"
SEITENVORLAGEN = Path(__file__).parent / "web"  # textual-serve needs an absolute path and app_index.html in it
UNGESPEICHERT = "● "  # leads the tab title while the Akte has unsaved work; the page asks before leaving then
LOOPBACK_NAMEN = ("127.0.0.1", "localhost", "::1")
STANDARD_PORTS = {"http": 80, "https": 443}


def ist_loopback(host: str) -> bool:
    """Only this machine can connect. A host name other than localhost may resolve anywhere."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def warnung(host: str, port: int) -> str | None:
    """The German warning for a non-loopback bind, or None."""
    if ist_loopback(host):
        return None
    return (f"WARNUNG: kopl-tui serve lauscht auf {host}:{port} und ist damit nicht nur von diesem Rechner aus "
            "erreichbar.\nDie App zeigt Sozialdaten (personenbezogene Daten) und hat im Browser keine eigene "
            "Anmeldung:\njeder, der diese Adresse erreicht, kann alle Kundenakten lesen und ändern.\n"
            f"Bitte auf {STANDARD_HOST} binden und einen Reverse-Proxy mit Anmeldung und TLS davorsetzen "
            "(--public-url nennt dann dessen Adresse).")


def browser_titel(benutzer: str, schulung: bool, ungespeichert: bool = False) -> str:
    """The tab title: app, whose session, training marker; the app sends it anew as its state changes."""
    titel = " – ".join([TITEL, benutzer, *(["SCHULUNG"] if schulung else [])])
    return f"{UNGESPEICHERT}{titel}" if ungespeichert else titel


def app_befehl(data_dir: Path | Datenort, benutzer: str | None) -> str:
    """The shell command textual-serve runs per browser tab: this interpreter, this package's CLI.
    A database is passed by its address (no password in it) and its Dateiordner."""
    if isinstance(data_dir, Datenort) and data_dir.adresse is not None:
        teile = [sys.executable, "-m", "kopl_tui", "--data", data_dir.adresse, "--dateien", str(data_dir.ordner)]
    else:
        ordner = data_dir.ordner if isinstance(data_dir, Datenort) else data_dir
        teile = [sys.executable, "-m", "kopl_tui", "--data", str(Path(ordner).resolve())]
    if benutzer:
        teile += ["--benutzer", benutzer]
    return shlex.join(teile)


def _origin(schema: str, host: str, port: int | None) -> str:
    """``schema://host[:port]`` as a browser writes it in the Origin header (default port left out)."""
    host = host.lower().strip("[]")
    if ":" in host:
        host = f"[{host}]"
    return f"{schema}://{host}" if port in (None, STANDARD_PORTS.get(schema)) else f"{schema}://{host}:{port}"


def eigene_origins(host: str, port: int, public_url: str | None) -> set[str]:
    """Where the page and its WebSocket may come from: the server's own address (bound to loopback,
    also as 127.0.0.1, localhost and [::1]: all name this machine) and the ``--public-url``'s."""
    namen = LOOPBACK_NAMEN if ist_loopback(host) else (host,)
    origins = {_origin("http", name, port) for name in namen}
    if public_url:
        teile = urlsplit(public_url)
        origins.add(_origin(teile.scheme.lower(), teile.hostname or "", teile.port))
    return origins


def eigene_hosts(origins: set[str]) -> set[str]:
    """The Host headers of requests for those origins (with and without a default port)."""
    hosts = set()
    for origin in origins:
        teile = urlsplit(origin)
        hosts.add(teile.netloc)
        if teile.port is None:
            hosts.add(f"{teile.netloc}:{STANDARD_PORTS[teile.scheme]}")
    return hosts


Handler = Callable[["web.Request"], Awaitable["web.StreamResponse"]]


def herkunftspruefung(origins: set[str]) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    """aiohttp middleware: only requests for this server's own address, from its own pages.

    Host: another name that resolves here (DNS rebinding) is refused. Origin: a page of another site
    is refused; a WebSocket handshake must name its origin (browsers always do, RFC 6455 §4.1), a
    plain page or file request may omit it (browsers send none when the user opens the address)."""
    from aiohttp import web

    hosts = eigene_hosts(origins)

    @web.middleware
    async def pruefen(request: web.Request, handler: Handler) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        websocket = request.headers.get("Upgrade", "").lower() == "websocket" or request.path == "/ws"
        if request.headers.get("Host", "").lower() not in hosts or \
                (origin is None and websocket) or (origin is not None and origin.lower() not in origins):
            raise web.HTTPForbidden(text="403: Zugriff nur über die Adresse dieses Servers.")
        antwort = await handler(request)
        if not antwort.prepared:  # no other site may show the app inside its own page (clickjacking)
            antwort.headers["X-Frame-Options"] = "DENY"
            antwort.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        return antwort

    return pruefen


def serve(data_dir: Path | Datenort, host: str, port: int, benutzer: str, public_url: str | None = None) -> None:
    """Run the web server until Ctrl+C / SIGTERM. Raises OSError when the address cannot be bound."""
    from aiohttp import web
    from textual_serve.server import Server

    from kopl_tui.sitzungen import serve_vermerk

    if public_url is None and ":" in host:
        public_url = f"http://[{host.strip('[]')}]:{port}"
    middleware = herkunftspruefung(eigene_origins(host, port, public_url))

    class GeschuetzterServer(Server):
        """textual-serve with the origin check. ``_make_app`` is textual-serve's own (1.1.x, pinned)."""

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(middleware)
            return app

    ordner = data_dir if isinstance(data_dir, Path) else None if data_dir.ist_datenbank else data_dir.ordner
    server = GeschuetzterServer(app_befehl(data_dir, benutzer), host=host, port=port,
                                title=browser_titel(benutzer, ordner is not None and ist_schulung(ordner)),
                                public_url=public_url, templates_path=SEITENVORLAGEN)
    # a training room reset sees that the folder is in use (training rooms are folders only)
    with serve_vermerk(ordner, benutzer) if ordner is not None else contextlib.nullcontext():
        server.serve()
