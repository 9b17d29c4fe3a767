"""Printing a letter's PDF through CUPS (``lp``), as a Jobcenter server without a desktop can.

Which printer: the one named on the command line, else the customer's Integrationsfachkraft's own,
else the data folder's default, both from ``<data>/briefkopf.toml`` (``drucker_bestimmen``, the one
resolution for the app and ``kopl-tui brief``). No printer configured is not a guess at CUPS' own
default: the message says which line to add to which file.

``lp`` is run with ``LC_ALL=C`` because its messages are localised: the job id is read from
"request id is Q-1 (1 file(s))", errors from stderr, and a hanging ``lp`` (scheduler gone) is stopped
after a time limit. Every failure is a German ``DruckFehler``. A print is noted in the Akte's history
("Brief gedruckt: …"), like a filing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kopl_tui.briefkopf import BriefkopfFehler, briefkopf_laden, druckername_ok
from kopl_tui.dateien import StoreFehler, fehlertext, vorhanden
from kopl_tui.datenordner import briefkopf_datei
from kopl_tui.datum import jetzt
from kopl_tui.model import HistorienEintrag

if TYPE_CHECKING:
    from kopl_tui.ablage import Ablage, AblageEintrag
    from kopl_tui.store import Store

LP_ZEITLIMIT = 30.0
"""Seconds lp may take to hand the job to the scheduler (read at each call)."""
_AUFTRAG = re.compile(r"request id is (\S+)")
_ERKLAERT = {  # lp's English messages (LC_ALL=C) → what to check, in German
    "does not exist": "CUPS kennt diesen Drucker nicht: den Namen prüfen (`lpstat -p` zeigt die Drucker) oder ob "
                      "der Druckdienst läuft (`lpstat -r`)",
    "not accepting jobs": "der Drucker nimmt keine Aufträge an (Verwaltung: `cupsaccept`)",
}
GEDRUCKT = "Brief gedruckt"
"""How the history line of a printed letter begins."""


class DruckFehler(Exception):
    """The letter was not handed to the printer; German message with the reason (lp's own, if any)."""


class KeinDrucker(DruckFehler):
    """No printer configured for this letter; the message says where to add one."""


@dataclass(frozen=True)
class Gedruckt:
    drucker: str
    auftrag: str
    historie_fehler: str | None = None
    """Printed, but the history line could not be written (German reason): say so, never "not printed"."""


def lp_fehlt() -> str | None:
    """German message if ``lp`` is not installed (checked before anything is filed or converted)."""
    if shutil.which("lp") is None:
        return "Das Druckprogramm lp (CUPS) ist auf diesem Rechner nicht installiert (Debian: apt-get install cups-client)."
    return None


def drucker_einrichten_text(data_dir: Path, ifk: str) -> str:
    """Exactly what to add where, for the data folder or for this IFK alone."""
    datei = briefkopf_datei(data_dir)
    text = (f"Kein Drucker eingerichtet. Bitte in {datei} eintragen – für alle Briefe dieses Datenordners "
            "unter [jobcenter] die Zeile\n    drucker = \"NAME\"")
    if ifk.strip():
        abschnitt = f"[ifk.{json.dumps(ifk.strip(), ensure_ascii=False)}]"
        text += f"\noder nur für Briefe von {ifk.strip()} unter {abschnitt} die Zeile\n    drucker = \"NAME\""
    return text + "\n(NAME: die Druckwarteschlange, wie `lpstat -p` sie zeigt)."


def drucker_bestimmen(data_dir: Path, ifk: str, angegeben: str | None = None) -> str:
    """The printer for a letter of ``ifk``'s customer: ``angegeben`` (command line), else the IFK's
    own from briefkopf.toml, else its default. DruckFehler with the set-up text when there is none."""
    if angegeben:
        if not druckername_ok(angegeben):
            raise DruckFehler(f"„{angegeben}“ ist kein gültiger Druckername (keine Leerzeichen, „/“ oder „#“).")
        return angegeben
    try:
        drucker = briefkopf_laden(data_dir).drucker_fuer(ifk)
    except BriefkopfFehler as fehler:
        raise DruckFehler(str(fehler)) from None
    if drucker is None:
        raise KeinDrucker(drucker_einrichten_text(data_dir, ifk))
    return drucker


def drucken(pdf: Path, drucker: str, *, titel: str | None = None, zeitlimit: float | None = None) -> str:
    """Hand ``pdf`` to the CUPS queue ``drucker``; returns lp's job id."""
    zeitlimit = LP_ZEITLIMIT if zeitlimit is None else zeitlimit
    programm = shutil.which("lp")
    if programm is None:
        raise DruckFehler(lp_fehlt() or "lp fehlt.")
    if not druckername_ok(drucker):
        raise DruckFehler(f"„{drucker}“ ist kein gültiger Druckername (keine Leerzeichen, „/“ oder „#“).")
    befehl = ["lp", "-d", drucker, *(["-t", titel] if titel else []), os.path.abspath(pdf)]  # never "-…"
    try:
        ergebnis = subprocess.run(befehl, executable=programm, capture_output=True, text=True, errors="replace", timeout=zeitlimit,
                                  stdin=subprocess.DEVNULL, env={**os.environ, "LC_ALL": "C"})
    except subprocess.TimeoutExpired:
        raise DruckFehler(f"lp hat nicht innerhalb von {zeitlimit:g} s geantwortet; läuft der Druckdienst "
                          "(CUPS)? Ob der Brief gedruckt wird, zeigt `lpstat -o`.") from None
    except OSError as fehler:
        raise DruckFehler(f"lp kann nicht gestartet werden: {fehler.strerror or fehler}") from None
    if ergebnis.returncode != 0:
        grund = (ergebnis.stderr.strip() or ergebnis.stdout.strip()).splitlines()[-1:] or [
            f"Exit-Code {ergebnis.returncode}"]
        erklaert = next((text for muster, text in _ERKLAERT.items() if muster in grund[0]), None)
        raise DruckFehler(f"Drucken auf „{drucker}“ fehlgeschlagen: {grund[0]}"
                          + (f" – {erklaert}." if erklaert else ""))
    auftrag = _AUFTRAG.search(ergebnis.stdout)
    if auftrag is None:
        raise DruckFehler(f"lp hat keine Auftragsnummer gemeldet: {ergebnis.stdout.strip() or '(keine Ausgabe)'}")
    return auftrag.group(1)


def druck_titel(vorlage_datei: str, kundennummer: str) -> str:
    """The job's title in the CUPS queue: template and customer number, no name."""
    return f"{Path(vorlage_datei).stem} {kundennummer}"


def brief_drucken(store: Store, kundennummer: str, *, pdf: Path | None, ifk: str, benutzer: str, titel: str,
                  vorlage_datei: str, plan_id: str, datei: str = "", drucker: str | None = None) -> Gedruckt:
    """Print a letter's PDF to its printer (``drucker_bestimmen``) and note it in the Akte's history.

    ``pdf`` None means the letter has no PDF (LibreOffice missing when it was filed): lp needs one.
    ``datei`` is the archived .docx's name ("" for a letter printed without filing)."""
    if pdf is None:
        raise DruckFehler("Zu diesem Brief gibt es kein PDF, und lp druckt nur das PDF: beim Ablegen war LibreOffice "
                          "nicht installiert (Debian: apt-get install libreoffice-writer-nogui) oder die Umwandlung "
                          "schlug fehl. Den Brief bitte neu erzeugen und ablegen.")
    try:
        da = vorhanden(pdf)
    except StoreFehler as fehler:
        raise DruckFehler(str(fehler)) from None
    if da is None:
        raise DruckFehler(f"Das PDF {pdf} ist nicht mehr vorhanden.")
    ziel = drucker_bestimmen(store.data_dir, ifk, drucker)
    auftrag = drucken(pdf, ziel, titel=druck_titel(vorlage_datei, kundennummer))
    eintrag = HistorienEintrag(zeit=jetzt(), benutzer=benutzer,
                               aktion=f"{GEDRUCKT}: {titel} (Drucker {ziel}, Auftrag {auftrag})", plan_id=plan_id,
                               neu={"datei": datei, "drucker": ziel, "auftrag": auftrag})
    try:
        store.historie_anhaengen(kundennummer, [eintrag])
    except (StoreFehler, OSError) as fehler:
        return Gedruckt(ziel, auftrag, f"Gedruckt, aber nicht in der Historie vermerkt: {fehlertext(fehler)}")
    return Gedruckt(ziel, auftrag)


def abgelegten_brief_drucken(ablage: Ablage, kundennummer: str, eintrag: AblageEintrag, *, ifk: str, benutzer: str,
                             drucker: str | None = None) -> Gedruckt:
    """A letter of the archive (assistant after "Ablegen", Dokumente screen, ``kopl-tui brief --ablegen``)."""
    return brief_drucken(ablage.store, kundennummer, pdf=ablage.pdf_pfad(kundennummer, eintrag), ifk=ifk,
                         benutzer=benutzer, titel=eintrag.titel, vorlage_datei=eintrag.vorlage,
                         plan_id=eintrag.plan_id, datei=eintrag.datei, drucker=drucker)
