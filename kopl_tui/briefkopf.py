"""Letterhead data: the Jobcenter's name and address, each Integrationsfachkraft's phone and e-mail,
and where letters are printed (the data folder's default printer, an IFK's own).

Read from ``<data>/briefkopf.toml`` when it exists; otherwise fictitious defaults, so a demo or a
test letter never carries a real office's address, and no printer. Example file::

    [jobcenter]
    name = "Jobcenter Landkreis Göttingen"
    strasse = "Beispielweg 1"
    plz_ort = "37073 Göttingen"
    telefon = "0551 000000-0"
    email_domain = "jobcenter.example"
    drucker = "Buero-EG"

    [ifk."Ina Beispiel"]
    telefon = "0551 000000-12"
    email = "ina.beispiel@jobcenter.example"
    drucker = "Etage2-Flur"

A printer name is a CUPS queue name (``lpstat -p``); it is checked when the file is read, so a typo
is reported with the file's name before anything is printed.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kopl_tui.dateien import StoreFehler, lesen
from kopl_tui.datenordner import BRIEFKOPF_DATEI, briefkopf_datei  # noqa: F401 - the name, for callers

_DRUCKERNAME = re.compile(r"(?!-)[^\x00-\x20\x7f/#\\'\"?]{1,127}")
"""CUPS queue names (lpadmin(8)): printable, no blank, "/", "#"; nor quotes, "\\", "?", a leading "-"
(lp would read it as an option)."""


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
    drucker: str | None = None
    """The data folder's default printer (``[jobcenter] drucker``)."""
    ifk_drucker: dict[str, str] = field(default_factory=dict)
    """An IFK's own printer (``[ifk."Name"] drucker``), used before the default."""

    def kontakt(self, ifk_name: str) -> Kontakt:
        """The IFK's own phone/e-mail if configured; else the switchboard and vorname.nachname@domain."""
        if ifk_name in self.ifk:
            return self.ifk[ifk_name]
        lokal = ".".join(_ascii(teil) for teil in ifk_name.split() if _ascii(teil))
        return Kontakt(self.telefon, f"{lokal}@{self.email_domain}" if lokal else "")

    def drucker_fuer(self, ifk_name: str) -> str | None:
        """Where a letter of this IFK's customer is printed: her own printer, else the default."""
        return self.ifk_drucker.get(ifk_name.strip()) or self.drucker


def druckername_ok(name: str) -> bool:
    return _DRUCKERNAME.fullmatch(name) is not None


def _ascii(text: str) -> str:
    """E-mail local part from a name: ä → ae, other accents dropped, only a-z0-9 and '-' kept."""
    text = text.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9-]", "", text)


def briefkopf_laden(data_dir: Path) -> Briefkopf:
    pfad = briefkopf_datei(data_dir)
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
               for name, werte in daten.get("ifk", {}).items() if "telefon" in werte or "email" in werte}
        drucker = _drucker(pfad, "[jobcenter]", daten.get("jobcenter", {}))
        ifk_drucker: dict[str, str] = {}
        for name, werte in daten.get("ifk", {}).items():
            if eigener := _drucker(pfad, f"[ifk.{_toml_text(str(name))}]", werte):
                ifk_drucker[str(name).strip()] = eigener
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, AttributeError, TypeError) as fehler:
        raise BriefkopfFehler(f"Die Briefkopf-Datei {pfad} kann nicht gelesen werden: {fehler}") from None
    return Briefkopf(**jobcenter, ifk=ifk, drucker=drucker, ifk_drucker=ifk_drucker)


def _drucker(pfad: Path, abschnitt: str, werte: dict[str, object]) -> str | None:
    """``drucker = "NAME"`` of one section, checked: a wrong name must not reach lp."""
    if "drucker" not in werte:
        return None
    name = werte["drucker"]
    if not isinstance(name, str) or not druckername_ok(name):
        raise BriefkopfFehler(
            f"Die Briefkopf-Datei {pfad}: unter {abschnitt} ist drucker = "
            f"{_toml_text(name) if isinstance(name, str) else name} kein gültiger Druckername. "
            "Bitte den Namen der Druckwarteschlange in Anführungszeichen angeben, wie ihn `lpstat -p` zeigt "
            "(ohne Leerzeichen, „/“, „#“, Anführungszeichen, „?“, „\\“; nicht mit „-“ beginnend).")
    return name


def _toml_text(text: str) -> str:
    """A TOML basic string (JSON's escaping is valid TOML for these)."""
    return json.dumps(text, ensure_ascii=False)
