"""Browser access (issue 7): ``kopl-tui serve`` offers the same app through textual-serve.

textual-serve starts one app process per browser tab, with this package's own command line, so a
browser user gets exactly the terminal app (same data folder, same Benutzer for the log).
textual-serve has no authentication of its own, and the app shows personal data: by default it
listens on the loopback address only; anything else is said loudly on stderr. Its page template
loads the terminal font from Google Fonts, which tells a third party who is using the app; the
same font ships with textual-serve, so the page is served with that local copy instead.
"""

from __future__ import annotations

import ipaddress
import re
import shlex
import sys
import tempfile
from pathlib import Path

from kopl_tui.schulung import ist_schulung

STANDARD_HOST = "127.0.0.1"
STANDARD_PORT = 8000


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


def app_befehl(data_dir: Path, benutzer: str | None) -> str:
    """The shell command textual-serve runs per browser tab: this interpreter, this package's CLI."""
    teile = [sys.executable, "-m", "kopl_tui", "--data", str(Path(data_dir).resolve())]
    if benutzer:
        teile += ["--benutzer", benutzer]
    return shlex.join(teile)


FREMDE_SCHRIFT = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.DOTALL)
EIGENE_SCHRIFT = ('<style>@font-face { font-family: "Roboto Mono"; '
                  'src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf"); }</style>')


def seitenvorlage(ziel: Path) -> Path:
    """textual-serve's page template, with the font from its own static files instead of Google's."""
    import textual_serve

    vorlage = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    (ziel / vorlage.name).write_text(FREMDE_SCHRIFT.sub(EIGENE_SCHRIFT, vorlage.read_text(encoding="utf-8")),
                                     encoding="utf-8")
    return ziel


def serve(data_dir: Path, host: str, port: int, benutzer: str | None = None, public_url: str | None = None) -> None:
    """Run the web server until Ctrl+C / SIGTERM. Raises OSError when the address cannot be bound."""
    from textual_serve.server import Server

    titel = "Kooperationsplan – SCHULUNG" if ist_schulung(data_dir) else "Kooperationsplan"
    if public_url is None and ":" in host:
        public_url = f"http://[{host.strip('[]')}]:{port}"
    with tempfile.TemporaryDirectory(prefix="kopl-serve-") as ordner:
        Server(app_befehl(data_dir, benutzer), host=host, port=port, title=titel, public_url=public_url,
               templates_path=seitenvorlage(Path(ordner))).serve()
