"""Printing a letter's PDF through CUPS (``lp``), as a Jobcenter server without a desktop can.

``lp`` is run with ``LC_ALL=C`` because its messages are localised (research briefe-zustellen.md
§3): the job id is read from "request id is Q-1 (1 file(s))", errors from stderr, and a hanging
``lp`` (scheduler gone) is stopped after a time limit. Every failure is a German ``DruckFehler``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

LP_ZEITLIMIT = 30.0
_AUFTRAG = re.compile(r"request id is (\S+)")
_DRUCKERNAME = re.compile(r"[^\s/#\\'\"-][^\s/#\\'\"]{0,126}")  # CUPS queue names: no blanks, "/", "#"


class DruckFehler(Exception):
    """The letter was not handed to the printer; German message with lp's own reason."""


def drucken(pdf: Path, drucker: str | None = None, *, titel: str | None = None,
            zeitlimit: float = LP_ZEITLIMIT) -> str:
    """Hand ``pdf`` to CUPS (``drucker`` or the system's default printer); returns lp's job id."""
    programm = shutil.which("lp")
    if programm is None:
        raise DruckFehler("Das Druckprogramm lp (CUPS) ist auf diesem Rechner nicht installiert "
                          "(Debian: apt-get install cups-client).")
    if drucker is not None and not _DRUCKERNAME.fullmatch(drucker):
        raise DruckFehler(f"„{drucker}“ ist kein gültiger Druckername (keine Leerzeichen, „/“ oder „#“).")
    befehl = [programm, *(["-d", drucker] if drucker else []), *(["-t", titel] if titel else []), str(pdf)]
    try:
        ergebnis = subprocess.run(befehl, capture_output=True, text=True, timeout=zeitlimit,
                                  stdin=subprocess.DEVNULL, env={**os.environ, "LC_ALL": "C"})
    except subprocess.TimeoutExpired:
        raise DruckFehler(f"lp hat nicht innerhalb von {zeitlimit:g} s geantwortet; läuft der Druckdienst "
                          "(CUPS)?") from None
    except OSError as fehler:
        raise DruckFehler(f"lp kann nicht gestartet werden: {fehler.strerror or fehler}") from None
    if ergebnis.returncode != 0:
        grund = (ergebnis.stderr.strip() or ergebnis.stdout.strip()).splitlines()[-1:] or [
            f"Exit-Code {ergebnis.returncode}"]
        ziel = f"„{drucker}“" if drucker else "den Standarddrucker"
        raise DruckFehler(f"Drucken auf {ziel} fehlgeschlagen: {grund[0]}")
    auftrag = _AUFTRAG.search(ergebnis.stdout)
    if auftrag is None:
        raise DruckFehler(f"lp hat keine Auftragsnummer gemeldet: {ergebnis.stdout.strip() or '(keine Ausgabe)'}")
    return auftrag.group(1)
