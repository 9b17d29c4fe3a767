"""The customer's archive ("Ablage in Doxis", guide §3.1): ``<data>/ablage/<kundennummer>/``.

"Fertig" writes the letter there as a draft; "Ablegen" adds it to the folder's index (a TinyDB file,
written like every other store file: atomically, under a lock), converts it to PDF where LibreOffice
is installed, and notes it in the Akte's history; "Abbrechen" deletes the draft and leaves no trace.
Files are 0600, folders 0700: letters carry the same Sozialdaten as the Akte.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from filelock import FileLock, Timeout
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from kopl_tui.briefe import BriefVerweigert, Vorlage, lueckengruende
from kopl_tui.dateien import DATEI_MODUS, atomar_schreiben, privater_ordner
from kopl_tui.model import HistorienEintrag, neue_id
from kopl_tui.store import Store, StoreFehler, lesen, transaktion

PDF_ZEITLIMIT = 90.0  # seconds for one conversion, waiting for another session's included
INDEX_DATEI = "index.json"


class ErgaenzungsEintrag(BaseModel):
    """One Ergänzung as the filed letter printed it: the archive shows what was demanded."""

    model_config = ConfigDict(frozen=True)

    name: str
    titel: str
    wert: str


class AblageEintrag(BaseModel):
    """One archived letter: what the archive list shows."""

    id: str = Field(default_factory=neue_id)
    vorlage: str
    """Template file name (catalogue key)."""
    titel: str
    plan_id: str
    datum: date
    """Date of the letter."""
    abgelegt_am: datetime
    benutzer: str
    datei: str
    pdf: str = ""
    ergaenzungen: list[ErgaenzungsEintrag] = Field(default_factory=list)
    """The values typed for the letter (§3.2 "manuell erforderliche Eingaben"), as printed."""


_EINTRAEGE = TypeAdapter(list[AblageEintrag])


@dataclass(frozen=True)
class Entwurf:
    """A letter written by "Fertig", not yet archived: "Ablegen" or "Abbrechen" decides."""

    kundennummer: str
    pfad: Path
    vorlage: Vorlage
    plan_id: str
    datum: date
    ergaenzungen: tuple[ErgaenzungsEintrag, ...] = ()


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

    def __init__(self, store: Store):
        self.store = store
        self.wurzel = store.data_dir / "ablage"
        self._pdf_fehlt_gemeldet = False

    def ordner(self, kundennummer: str) -> Path:
        self.store.akte_pfad(kundennummer)  # validates the number: it becomes a folder name
        return self.wurzel / kundennummer

    def _index(self, kundennummer: str) -> Path:
        return self.ordner(kundennummer) / INDEX_DATEI

    # ---- "Fertig" ----------------------------------------------------------------------
    def entwurf_schreiben(self, kundennummer: str, vorlage: Vorlage, plan_id: str, inhalt: bytes,
                          datum: date, jetzt: datetime | None = None,
                          ergaenzungen: Iterable[tuple[str, str, str]] = ()) -> Entwurf:
        """Write the rendered letter under a fresh name (never overwriting another session's);
        ``ergaenzungen`` (name, label, printed value) go with it into the index on "Ablegen"."""
        privater_ordner(self.store.data_dir)
        privater_ordner(self.wurzel)
        ordner = privater_ordner(self.ordner(kundennummer))
        stempel = (jetzt or datetime.now()).strftime("%Y-%m-%d_%H%M%S")
        for nummer in range(1, 1000):
            name = f"{stempel}_{vorlage.name}{'' if nummer == 1 else f'-{nummer}'}.docx"
            try:  # reserve the name atomically, then replace it with the content
                os.close(os.open(ordner / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, DATEI_MODUS))
                break
            except FileExistsError:
                continue
        else:
            raise StoreFehler(f"Kein freier Dateiname in {ordner}.")
        pfad = ordner / name
        try:
            atomar_schreiben(pfad, inhalt)
        except BaseException:
            pfad.unlink(missing_ok=True)
            raise
        return Entwurf(kundennummer, pfad, vorlage, plan_id, datum, tuple(
            ErgaenzungsEintrag(name=name, titel=titel, wert=wert) for name, titel, wert in ergaenzungen))

    # ---- "Abbrechen" -------------------------------------------------------------------
    def verwerfen(self, entwurf: Entwurf) -> None:
        entwurf.pfad.unlink(missing_ok=True)

    # ---- "Ablegen" ---------------------------------------------------------------------
    def ablegen(self, entwurf: Entwurf, benutzer: str, pdf: bool = True) -> AblageErgebnis:
        """Index entry, optional PDF next to the .docx, audit line in the Akte's history."""
        if not entwurf.pfad.is_file():
            raise StoreFehler(f"Der Entwurf {entwurf.pfad} ist nicht mehr vorhanden; bitte neu erzeugen.")
        from kopl_tui.brieftext import brieftext

        offen = lueckengruende(brieftext(entwurf.pfad.read_bytes()))
        if offen:  # never an unfinished letter in the archive, however the draft came about
            raise BriefVerweigert(offen)
        pdf_pfad, hinweis = None, None
        if pdf:
            pdf_pfad, hinweis = self._pdf(entwurf.pfad)
        eintrag = AblageEintrag(vorlage=entwurf.vorlage.datei, titel=entwurf.vorlage.titel, plan_id=entwurf.plan_id,
                                datum=entwurf.datum, abgelegt_am=datetime.now().astimezone(), benutzer=benutzer,
                                datei=entwurf.pfad.name, pdf=pdf_pfad.name if pdf_pfad else "",
                                ergaenzungen=list(entwurf.ergaenzungen))
        with transaktion(self._index(entwurf.kundennummer)) as db:
            db.table("dokumente", cache_size=0).insert(eintrag.model_dump(mode="json"))
        self.store.historie_anhaengen(entwurf.kundennummer, [HistorienEintrag(
            zeit=eintrag.abgelegt_am, benutzer=benutzer, aktion=f"Brief abgelegt: {eintrag.titel}",
            plan_id=entwurf.plan_id, neu={"datei": eintrag.datei})])
        return AblageErgebnis(eintrag, entwurf.pfad, pdf_pfad, hinweis)

    def _pdf(self, docx: Path) -> tuple[Path | None, str | None]:
        if soffice_pfad() is None:
            if self._pdf_fehlt_gemeldet:
                return None, None
            self._pdf_fehlt_gemeldet = True
            return None, ("LibreOffice (soffice) ist nicht installiert: Briefe werden nur als Word-Datei abgelegt, "
                          "ohne PDF.")
        try:  # one conversion at a time on this server: each soffice takes 100–300 MB
            with FileLock(self.wurzel / ".pdf.lock", timeout=PDF_ZEITLIMIT, mode=DATEI_MODUS):
                return pdf_umwandeln(docx, docx.with_suffix(".pdf")), None
        except Timeout:
            return None, "Kein PDF: eine andere PDF-Umwandlung läuft zu lange. Die Word-Datei ist abgelegt."
        except PdfFehler as fehler:
            return None, f"Kein PDF: {fehler} Die Word-Datei ist abgelegt."

    # ---- the archive list ----------------------------------------------------------------
    def dokumente(self, kundennummer: str) -> list[AblageEintrag]:
        """A customer's archived letters, newest first."""
        with lesen(self._index(kundennummer)) as db:
            eintraege = _EINTRAEGE.validate_python(list(db.table("dokumente", cache_size=0).all()))
        return sorted(eintraege, key=lambda e: (e.abgelegt_am, e.datei), reverse=True)

    def pfad(self, kundennummer: str, eintrag: AblageEintrag) -> Path:
        """Absolute path of the archived .docx (shown so a user over SSH can fetch it)."""
        return (self.ordner(kundennummer) / eintrag.datei).resolve()

    def pdf_pfad(self, kundennummer: str, eintrag: AblageEintrag) -> Path | None:
        return (self.ordner(kundennummer) / eintrag.pdf).resolve() if eintrag.pdf else None

    def verwaiste_entwuerfe(self, kundennummer: str, aelter_als: timedelta = timedelta(hours=12)) -> list[Path]:
        """Drafts a crashed session left (no index entry, older than ``aelter_als``): for clean-up."""
        ordner = self.ordner(kundennummer)
        if not ordner.is_dir():
            return []
        bekannt = {e.datei for e in self.dokumente(kundennummer)}
        grenze = (datetime.now() - aelter_als).timestamp()
        return sorted(p for p in ordner.glob("*.docx") if p.name not in bekannt and p.stat().st_mtime < grenze)
