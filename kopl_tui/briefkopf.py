"""Letterhead data: the Jobcenter's name and address, each Integrationsfachkraft's phone and e-mail.

Read from ``<data>/briefkopf.toml`` when it exists; otherwise fictitious defaults, so a demo or a
test letter never carries a real office's address. Example file::

    [jobcenter]
    name = "Jobcenter Landkreis Göttingen"
    strasse = "Beispielweg 1"
    plz_ort = "37073 Göttingen"
    telefon = "0551 000000-0"
    email_domain = "jobcenter.example"

    [ifk."Ina Beispiel"]
    telefon = "0551 000000-12"
    email = "ina.beispiel@jobcenter.example"
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kopl_tui.dateien import StoreFehler, lesen

BRIEFKOPF_DATEI = "briefkopf.toml"


class BriefkopfFehler(ValueError):
    """The letterhead file is unreadable; German message naming the file."""


@dataclass(frozen=True)
class Kontakt:
    telefon: str
    email: str


@dataclass(frozen=True)
class Briefkopf:
    name: str = "Jobcenter Landkreis Göttingen (Demo)"
    strasse: str = "Musterstraße 1"
    plz_ort: str = "37073 Göttingen"
    telefon: str = "0551 000000-0 (Demo)"
    email_domain: str = "jobcenter-demo.invalid"
    ifk: dict[str, Kontakt] = field(default_factory=dict)

    def kontakt(self, ifk_name: str) -> Kontakt:
        """The IFK's own phone/e-mail if configured; else the switchboard and vorname.nachname@domain."""
        if ifk_name in self.ifk:
            return self.ifk[ifk_name]
        lokal = ".".join(_ascii(teil) for teil in ifk_name.split() if _ascii(teil))
        return Kontakt(self.telefon, f"{lokal}@{self.email_domain}" if lokal else "")


def _ascii(text: str) -> str:
    """E-mail local part from a name: ä → ae, other accents dropped, only a-z0-9 and '-' kept."""
    text = text.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9-]", "", text)


def briefkopf_laden(data_dir: Path) -> Briefkopf:
    pfad = Path(data_dir) / BRIEFKOPF_DATEI
    try:
        roh = lesen(pfad)  # in the data folder: never through a link
    except FileNotFoundError:
        return Briefkopf()
    except StoreFehler as fehler:
        raise BriefkopfFehler(str(fehler)) from None
    try:
        daten = tomllib.loads(roh.decode("utf-8"))
        jobcenter = {k: str(v) for k, v in daten.get("jobcenter", {}).items()
                     if k in ("name", "strasse", "plz_ort", "telefon", "email_domain")}
        ifk = {str(name): Kontakt(str(werte.get("telefon", "")), str(werte.get("email", "")))
               for name, werte in daten.get("ifk", {}).items()}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, AttributeError) as fehler:
        raise BriefkopfFehler(f"Die Briefkopf-Datei {pfad} kann nicht gelesen werden: {fehler}") from None
    return Briefkopf(**jobcenter, ifk=ifk)
