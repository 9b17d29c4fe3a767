"""The customer's archive ("Ablage in Doxis", guide §3.1): ``<data>/ablage/<kundennummer>/``.

"Fertig" writes the letter there as a draft; "Ablegen" adds it to the folder's index (a TinyDB file,
written like every other store file: atomically, under a lock), converts it to PDF where LibreOffice
is installed, and notes it in the Akte's history; "Abbrechen" deletes the draft and leaves no trace.
Files are 0600, folders 0700: letters carry the same Sozialdaten as the Akte.

A draft lives from "Fertig" to "Ablegen"/"Abbrechen", possibly for hours while the user checks it in
Word. For that time the session holds a marker ``ablage/.entwuerfe/<kundennummer>~<datei>``
(``dateien.Marke``: an flock the kernel drops when the process dies). A marker that nobody holds
any more belongs to a killed session: start-up clean-up (``aufraeumen``, under the customer
folder's index lock) then either removes the draft, its PDF and temp files (no index entry: it was
never filed) or, if the index entry was already written, adds the missing history line. So a
filing leaves index entry and history line both or neither, and a running session's draft is never
touched. Only markers are looked at: start-up costs nothing per customer folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kopl_tui import dateien
from kopl_tui.dateien import (
    Marke,
    SperreBelegt,
    atomar_schreiben,
    entfernen,
    exklusiv_anlegen,
    marke_anlegen,
    privater_ordner,
    sperre,
    tempdatei_ziel,
    verwaiste_marken,
    verwaiste_tempdateien,
    vorhanden,
)
from kopl_tui.datenordner import Ablageordner, gesperrt
from kopl_tui.datum import jetzt
from kopl_tui.model import AblageEintrag, ErgaenzungsEintrag, HistorienEintrag
from kopl_tui.speicher import Speicher
from kopl_tui.store import StoreFehler

if TYPE_CHECKING:  # start-up clean-up imports this module: keep docxtpl off that path
    from kopl_tui.briefe import Vorlage

PDF_ZEITLIMIT = 90.0  # seconds for one conversion, waiting for another session's included
ABGELEGT = "Brief abgelegt"
"""How the history line of a filed letter begins (the clean-up looks for it)."""


@dataclass(frozen=True)
class Entwurf:
    """A letter written by "Fertig", not yet archived: "Ablegen" or "Abbrechen" decides."""

    kundennummer: str
    pfad: Path
    vorlage: Vorlage
    plan_id: str
    datum: date
    ergaenzungen: tuple[ErgaenzungsEintrag, ...] = ()
    marke: Marke | None = field(default=None, compare=False, repr=False)
    """Held while the draft is open: start-up clean-up leaves it alone (module docstring)."""


@dataclass(frozen=True)
class AblageErgebnis:
    eintrag: AblageEintrag
    docx: Path
    pdf: Path | None
    pdf_hinweis: str | None = None
    """German note for the user: no PDF this time (LibreOffice missing: said only once per Ablage)."""


class PdfFehler(Exception):
    """The PDF could not be made; German message. The .docx is archived regardless."""


def soffice_pfad() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_umwandeln(docx: Path, ziel: Path, zeitlimit: float = PDF_ZEITLIMIT) -> Path:
    """LibreOffice headless with its own throw-away profile (parallel runs otherwise collide on the
    shared profile lock), a time limit, and a check that the PDF exists (exit codes lie)."""
    programm = soffice_pfad()
    if programm is None:
        raise PdfFehler("LibreOffice (soffice) ist auf diesem Rechner nicht installiert.")
    with tempfile.TemporaryDirectory(prefix="kopl-pdf-") as temp:
        profil, ausgabe = Path(temp) / "profil", Path(temp) / "ausgabe"
        ausgabe.mkdir()
        befehl = [programm, "--headless", "--norestore", f"-env:UserInstallation={profil.as_uri()}",
                  "--convert-to", "pdf", "--outdir", str(ausgabe), str(docx)]
        prozess = subprocess.Popen(befehl, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, fehlerausgabe = prozess.communicate(timeout=zeitlimit)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(prozess.pid, signal.SIGKILL)  # the group we started: soffice and its oosplash
            prozess.communicate()
            raise PdfFehler(f"LibreOffice hat das PDF nicht innerhalb von {zeitlimit:g} s erzeugt.") from None
        erzeugt = ausgabe / f"{docx.stem}.pdf"
        if not erzeugt.is_file() or erzeugt.stat().st_size == 0:
            grund = fehlerausgabe.decode(errors="replace").strip().splitlines()[-1:] or [f"Exit-Code {prozess.returncode}"]
            raise PdfFehler(f"LibreOffice hat kein PDF erzeugt ({grund[0]}).")
        atomar_schreiben(ziel, erzeugt.read_bytes())
    return ziel


class Ablage:
    """The archive of all customers under one data folder; one object per app session."""

    def __init__(self, store: Speicher):
        self.store = store
        self.layout = Ablageordner(store.ablage_dir)
        self.wurzel = self.layout.wurzel
        self._pdf_fehlt_gemeldet = False

    def ordner(self, kundennummer: str) -> Path:
        """The customer's folder (the number is checked: it becomes a folder name)."""
        return self.layout.ordner(kundennummer)

    # ---- "Fertig" ----------------------------------------------------------------------
    def entwurf_schreiben(self, kundennummer: str, vorlage: Vorlage, plan_id: str, inhalt: bytes,
                          datum: date, jetzt: datetime | None = None,
                          ergaenzungen: Iterable[tuple[str, str, str]] = ()) -> Entwurf:
        """Write the rendered letter under a fresh name (never overwriting another session's),
        its marker taken first so that no moment exists in which a clean-up could take the draft
        for a dead session's; ``ergaenzungen`` (name, label, printed value) go with it into the
        index on "Ablegen"."""
        privater_ordner(self.wurzel.parent)
        privater_ordner(self.wurzel)
        privater_ordner(self.layout.entwuerfe_dir)
        ordner = privater_ordner(self.ordner(kundennummer))
        stempel = (jetzt or datetime.now()).strftime("%Y-%m-%d_%H%M%S")
        for nummer in range(1, 1000):
            name = f"{stempel}_{vorlage.name}{'' if nummer == 1 else f'-{nummer}'}.docx"
            try:
                marke = marke_anlegen(self.layout.entwurf_marke(kundennummer, name))
            except FileExistsError:
                continue  # another session's draft of that name
            try:
                exklusiv_anlegen(ordner / name, inhalt)
            except FileExistsError:
                marke.loesen()
                continue  # a letter filed under that name
            except BaseException:
                marke.loesen()
                raise
            return Entwurf(kundennummer, ordner / name, vorlage, plan_id, datum, tuple(
                ErgaenzungsEintrag(name=name, titel=titel, wert=wert) for name, titel, wert in ergaenzungen), marke)
        raise StoreFehler(f"Kein freier Dateiname in {ordner}.")

    # ---- "Abbrechen" -------------------------------------------------------------------
    def verwerfen(self, entwurf: Entwurf) -> str | None:
        """Delete the draft. Never raises (it runs while a screen closes): if the file cannot be
        deleted now (e.g. a read-only disk), its marker is given up, not removed, so the next
        start-up clean-up deletes it; the German reason is returned for the user."""
        try:
            entfernen(entwurf.pfad)
        except StoreFehler as fehler:
            if entwurf.marke is not None:
                entwurf.marke.aufgeben()
            return f"{fehler} Der Entwurf wird beim nächsten Start gelöscht."
        if entwurf.marke is not None:
            with contextlib.suppress(StoreFehler):  # a marker left is cleaned up at the next start
                entwurf.marke.loesen()
        return None

    # ---- "Ablegen" ---------------------------------------------------------------------
    def ablegen(self, entwurf: Entwurf, benutzer: str, pdf: bool = True) -> AblageErgebnis:
        """Index entry, optional PDF next to the .docx, audit line in the Akte's history.

        Both or neither: if the history line cannot be written (disk full, defective Akte), the
        index entry is taken back and the draft stays, to be filed again; a retry never makes a
        second entry. A kill in between is completed by the start-up clean-up."""
        if vorhanden(entwurf.pfad) is None or (entwurf.marke is not None and not entwurf.marke.gehalten):
            raise StoreFehler(f"Der Entwurf {entwurf.pfad} ist nicht mehr vorhanden; bitte neu erzeugen.")
        from kopl_tui.briefe import BriefVerweigert, lueckengruende
        from kopl_tui.brieftext import brieftext

        offen = lueckengruende(brieftext(dateien.lesen(entwurf.pfad)))
        if offen:  # never an unfinished letter in the archive, however the draft came about
            raise BriefVerweigert(offen)
        pdf_pfad, hinweis = None, None
        if pdf:
            pdf_pfad, hinweis = self._pdf(entwurf.pfad)
        neu = AblageEintrag(vorlage=entwurf.vorlage.datei, titel=entwurf.vorlage.titel, plan_id=entwurf.plan_id,
                            datum=entwurf.datum, abgelegt_am=jetzt(), benutzer=benutzer,
                            datei=entwurf.pfad.name, pdf=pdf_pfad.name if pdf_pfad else "",
                            ergaenzungen=list(entwurf.ergaenzungen))
        abgelegt, ist_neu = self.store.ablage_eintragen(entwurf.kundennummer, neu, [_historie(neu)])
        if not ist_neu:  # an earlier attempt filed it; its history line may be what failed then
            self._historie_nachtragen(entwurf.kundennummer, abgelegt, nachgetragen=False)
        if entwurf.marke is not None:
            entwurf.marke.loesen()
        return AblageErgebnis(abgelegt, entwurf.pfad, pdf_pfad, hinweis)

    def _pdf(self, docx: Path) -> tuple[Path | None, str | None]:
        if soffice_pfad() is None:
            if self._pdf_fehlt_gemeldet:
                return None, None
            self._pdf_fehlt_gemeldet = True
            return None, ("LibreOffice (soffice) ist nicht installiert: Briefe werden nur als Word-Datei abgelegt, "
                          "ohne PDF.")
        try:  # one conversion at a time on this server: each soffice takes 100–300 MB
            with sperre(self.layout.pdf_sperre, PDF_ZEITLIMIT):
                return pdf_umwandeln(docx, docx.with_suffix(".pdf")), None
        except SperreBelegt:
            return None, "Kein PDF: eine andere PDF-Umwandlung läuft zu lange. Die Word-Datei ist abgelegt."
        except PdfFehler as fehler:
            return None, f"Kein PDF: {fehler} Die Word-Datei ist abgelegt."

    # ---- start-up clean-up -------------------------------------------------------------------
    def aufraeumen(self) -> list[Path]:
        """Finish what killed sessions left (module docstring); returns the files removed. A
        customer folder that cannot be cleaned now (busy, defective) keeps its marker for next time."""
        entfernt: list[Path] = []
        try:
            marken = verwaiste_marken(self.layout.entwuerfe_dir)
        except StoreFehler:
            return []  # e.g. a link in its place: reported when a letter is written, never cleaned through
        for marke in marken:
            try:
                entfernt += self._entwurf_aufraeumen(marke)
            except StoreFehler:
                continue  # the marker is dropped unremoved: the next start tries again
            marke.loesen()
        return entfernt

    def _entwurf_aufraeumen(self, marke: Marke) -> list[Path]:
        kundennummer, name = Ablageordner.aus_entwurf_marke(marke.pfad)
        ordner = self.ordner(kundennummer)  # a name this app did not make: StoreFehler, left alone
        if vorhanden(ordner) is None:
            return []  # killed before the folder existed
        entfernt = []
        with gesperrt(self.layout.index(kundennummer)):
            eintraege = {e.datei: e for e in self.dokumente(kundennummer)}
            if name in eintraege:  # filed; only the history line may be missing
                self._historie_nachtragen(kundennummer, eintraege[name])
            else:  # never filed: the draft and what its filing had begun go
                entfernt += [p for p in (ordner / name, (ordner / name).with_suffix(".pdf")) if entfernen(p)]
            eigene = {name, str(Path(name).with_suffix(".pdf"))}
            entfernt += [t for t in verwaiste_tempdateien(ordner)
                         if (tempdatei_ziel(t) in eigene or Ablageordner.ist_index(tempdatei_ziel(t))) and entfernen(t)]
        return entfernt

    def _historie_nachtragen(self, kundennummer: str, abgelegt: AblageEintrag, nachgetragen: bool = True) -> None:
        if not any(e.aktion.startswith(ABGELEGT) and e.neu.get("datei") == abgelegt.datei
                   for e in self.store.historie(kundennummer)):
            self.store.historie_anhaengen(kundennummer, [_historie(abgelegt, nachgetragen=nachgetragen)])

    # ---- the archive list ----------------------------------------------------------------
    def dokumente(self, kundennummer: str) -> list[AblageEintrag]:
        """A customer's archived letters, newest first."""
        return self.store.ablage_dokumente(kundennummer)

    def pfad(self, kundennummer: str, eintrag: AblageEintrag) -> Path:
        """Absolute path of the archived .docx (shown so a user over SSH can fetch it)."""
        return self.ordner(kundennummer) / eintrag.datei

    def pdf_pfad(self, kundennummer: str, eintrag: AblageEintrag) -> Path | None:
        return self.ordner(kundennummer) / eintrag.pdf if eintrag.pdf else None


def _historie(abgelegt: AblageEintrag, nachgetragen: bool = False) -> HistorienEintrag:
    zusatz = " (beim Aufräumen nachgetragen: die Sitzung endete während des Ablegens)" if nachgetragen else ""
    return HistorienEintrag(zeit=abgelegt.abgelegt_am, benutzer=abgelegt.benutzer,
                            aktion=f"{ABGELEGT}: {abgelegt.titel}{zusatz}", plan_id=abgelegt.plan_id,
                            neu={"datei": abgelegt.datei})
