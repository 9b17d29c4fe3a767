"""The data folder's layout and formats: the one module that knows where each file lies and what it is
called. Everyone else asks it (``tests/test_datenordner_layout.py`` holds them to that).

::

    <data>/kunden.json                  customer index (TinyDB JSON: table "kunden")
    <data>/kunden.json.cache            the customer list's rows, sorted (kopl_tui/kundenindex.py)
    <data>/akten/<nr>.json              one Kundenakte (TinyDB JSON: tables "akte", "plaene")
    <data>/akten/<nr>.historie.jsonl    its audit trail, append-only JSON Lines (store.py)
    <data>/akten/<nr>.sperre            its edit lock (sperre.py)
    <data>/ablage/<nr>/index.json       the customer's filed letters (TinyDB JSON: table "dokumente")
    <data>/ablage/<nr>/*.docx, *.pdf    the letters themselves (ablage.py)
    <data>/ablage/.entwuerfe/<nr>~<datei>  marker of a draft a running session holds (ablage.py)
    <data>/ablage/.pdf.lock             one PDF conversion at a time
    <data>/briefkopf.toml               letterhead and printers (briefkopf.py, drucken.py)
    <data>/vorlagen/                    the Jobcenter's own letter templates (briefvorlagen.py)
    <data>/SCHULUNG                     marks a training copy (schulung.py)
    <data>/serve-<pid>.sitzung          a running ``kopl-tui serve`` (sitzungen.py)
    <F>.lock                            the short lock held while F is written (``gesperrt``)

The fast raw readers (``json_tabellen``, ``kunden_dokumente``, ``akte_roh``) read these files
without the model: the customer list at start-up (no pydantic, no TinyDB on that path) and the
support sweep (kopl_tui/bestand.py). Only the standard library and kopl_tui.dateien are imported.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from kopl_tui import dateien
from kopl_tui.dateien import DateiDefekt, StoreFehler

KUNDEN_DATEI = "kunden.json"
KUNDEN_CACHE = f"{KUNDEN_DATEI}.cache"
AKTEN = "akten"
AKTE_ENDUNG = ".json"
HISTORIE_ENDUNG = ".historie.jsonl"
SPERR_ENDUNG = ".sperre"
KURZSPERRE_ENDUNG = ".lock"
ABLAGE = "ablage"
ABLAGE_INDEX = "index.json"
ENTWUERFE = ".entwuerfe"
"""Folder under ``ablage/`` with one marker per draft of a running session."""
MARKEN_TRENNER = "~"
PDF_SPERRE = ".pdf.lock"
BRIEFKOPF_DATEI = "briefkopf.toml"
VORLAGEN = "vorlagen"
SCHULUNG_MARKER = "SCHULUNG"
SERVE_MUSTER = "serve-*.sitzung"
DEFEKT_ZUSATZ = ".defekt-"

SPERR_WARTEZEIT = 10.0  # seconds a save waits for another process's save of the same file
_KUNDENNUMMER = re.compile(r"[0-9A-Z]{10}")
_EIGENE_AKTEN_DATEI = re.compile(rf"[0-9A-Z]{{10}}({re.escape(AKTE_ENDUNG)}|{re.escape(SPERR_ENDUNG)})")


def gesperrt(pfad: Path | str, wartezeit: float | None = None) -> AbstractContextManager[None]:
    """Hold the short lock ``<pfad>.lock`` (0600) while ``pfad`` is written (the store's rule: a file
    is only written, replaced or moved aside while its lock is held); a lock that stays busy becomes
    a German ``StoreFehler``. ``wartezeit`` None: ``SPERR_WARTEZEIT``, looked up at each call."""
    return dateien.sperre(f"{pfad}{KURZSPERRE_ENDUNG}", SPERR_WARTEZEIT if wartezeit is None else wartezeit, pfad)


def kurzsperren(ordner: Path) -> list[Path]:
    """The short locks' side files under ``ordner`` (recreated on use: a copied folder drops them)."""
    return sorted(Path(ordner).rglob(f"*{KURZSPERRE_ENDUNG}"))


def nummer_pruefen(kundennummer: str) -> str:
    """A Kundennummer becomes a file and folder name: only what the model allows, never a path."""
    if not _KUNDENNUMMER.fullmatch(kundennummer):
        raise StoreFehler(f"„{kundennummer}“ ist keine gültige Kundennummer.")
    return kundennummer


def ist_datenordner(ordner: Path) -> bool:
    """Whether ``ordner`` holds this app's data (a customer index or Akten)."""
    return (Path(ordner) / KUNDEN_DATEI).exists() or (Path(ordner) / AKTEN).is_dir()


def ist_schulung(ordner: Path) -> bool:
    """A training copy (schulung.py): the app shows "SCHULUNG" in its header then."""
    return (Path(ordner) / SCHULUNG_MARKER).is_file()


def briefkopf_datei(ordner: Path | str) -> Path:
    """The data folder's letterhead and printers, as the folder was given (shown in messages)."""
    return Path(ordner) / BRIEFKOPF_DATEI


def vorlagen_ordner(ordner: Path | str) -> Path:
    """The data folder's own letter templates, each overriding the shipped one of its name."""
    return Path(ordner) / VORLAGEN


@functools.lru_cache(maxsize=256)
def _datei_in(ordner: Path, name: str) -> Path:
    """``ordner / name``, the same object again for the same file (a Path keeps its text once made):
    a save asks for its Akte's paths several times, and joining and printing a Path each time costs
    more than the rest of that step."""
    return ordner / name


class Datenordner:
    """Where each file of one data folder lies."""

    def __init__(self, data_dir: Path | str):
        # Resolved once: links the administrator set up above the data folder are followed here;
        # below it, kopl_tui.dateien follows none.
        self.data_dir = Path(data_dir).resolve()
        self.kunden_datei = self.data_dir / KUNDEN_DATEI
        self.kunden_cache = self.data_dir / KUNDEN_CACHE
        self.akten_dir = self.data_dir / AKTEN
        self.ablage_dir = self.data_dir / ABLAGE
        self.ablage = Ablageordner(self.ablage_dir)
        self.schulung_marker = self.data_dir / SCHULUNG_MARKER

    # ---- one customer's files ------------------------------------------------------------------
    def akte_pfad(self, kundennummer: str) -> Path:
        return _datei_in(self.akten_dir, f"{nummer_pruefen(kundennummer)}{AKTE_ENDUNG}")

    def historie_pfad(self, kundennummer: str) -> Path:
        return _datei_in(self.akten_dir, f"{nummer_pruefen(kundennummer)}{HISTORIE_ENDUNG}")

    def sperre_pfad(self, kundennummer: str) -> Path:
        return _datei_in(self.akten_dir, f"{nummer_pruefen(kundennummer)}{SPERR_ENDUNG}")

    @staticmethod
    def beiseite(pfad: Path, zeit: str, nummer: int) -> Path:
        """Where a defective file is moved aside (``<name>.defekt-<zeit>[-<n>]``)."""
        return pfad.with_name(f"{pfad.name}{DEFEKT_ZUSATZ}{zeit}{'' if nummer == 1 else f'-{nummer}'}")

    @staticmethod
    def ist_historie(pfad: Path) -> bool:
        return f"{HISTORIE_ENDUNG}{DEFEKT_ZUSATZ}" in pfad.name or pfad.name.endswith(HISTORIE_ENDUNG)

    # ---- the whole folder ------------------------------------------------------------------------
    def akten_nummern(self) -> list[str]:
        """Every Kundennummer with an Akte file (names only: 20,000 files)."""
        return sorted(name.removesuffix(AKTE_ENDUNG) for name in dateien.namen(self.akten_dir)
                      if name.endswith(AKTE_ENDUNG) and not name.startswith("."))

    def sperr_dateien(self) -> list[Path]:
        """The edit locks present in the folder (live or left behind)."""
        return sorted(self.akten_dir.glob(f"*{SPERR_ENDUNG}"))

    @staticmethod
    def kundennummer_aus(pfad: Path) -> str:
        """The Kundennummer a file of ``akten/`` belongs to."""
        return pfad.name.split(".", 1)[0]

    def serve_vermerk(self, pid: int) -> Path:
        return self.data_dir / SERVE_MUSTER.replace("*", str(pid))

    def serve_vermerke(self) -> list[Path]:
        return sorted(self.data_dir.glob(SERVE_MUSTER))

    def ist_leer(self) -> bool:
        return dateien.vorhanden(self.kunden_datei) is None

    def leeren(self) -> None:
        """Remove this app's data (and nothing else a mistyped --data might point at)."""
        for ordner in (self.akten_dir, self.ablage_dir):
            shutil.rmtree(ordner, ignore_errors=True)
        for datei in self.data_dir.glob(f"{KUNDEN_DATEI}*"):
            datei.unlink()

    def eigene_datei(self, name: str) -> bool:
        """Files the store itself writes in the folder or ``akten/`` (their locks may be created)."""
        return name == KUNDEN_DATEI or _EIGENE_AKTEN_DATEI.fullmatch(name) is not None

    # ---- fast raw readers ---------------------------------------------------------------------------
    def kunden_dokumente(self) -> dict[str, Any]:
        """The customer index's raw records by document id, {} without kunden.json (a defect:
        ``DateiDefekt``). For the customer list and the sweep, which validate what they use."""
        return (json_tabellen(self.kunden_datei) or {}).get("kunden", {})

    @contextmanager
    def akten_lesen(self) -> Iterator[AktenLeser]:
        """Many Akte files in a row (the sweep): the folder is walked once."""
        try:
            with dateien.offener_ordner(self.akten_dir) as fd:
                yield AktenLeser(str(self.akten_dir), fd)
        except FileNotFoundError:
            yield AktenLeser(str(self.akten_dir), None)


class Ablageordner:
    """The archive's folder (``<data>/ablage``, or where a configuration puts the letters)."""

    def __init__(self, wurzel: Path):
        self.wurzel = Path(wurzel)
        self.entwuerfe_dir = self.wurzel / ENTWUERFE
        self.pdf_sperre = self.wurzel / PDF_SPERRE

    def ordner(self, kundennummer: str) -> Path:
        return self.wurzel / nummer_pruefen(kundennummer)

    def index(self, kundennummer: str) -> Path:
        return self.ordner(kundennummer) / ABLAGE_INDEX

    def entwurf_marke(self, kundennummer: str, datei: str) -> Path:
        return self.entwuerfe_dir / f"{kundennummer}{MARKEN_TRENNER}{datei}"

    @staticmethod
    def aus_entwurf_marke(marke: Path) -> tuple[str, str]:
        """(Kundennummer, file name) of a draft's marker."""
        kundennummer, _, datei = marke.name.partition(MARKEN_TRENNER)
        return kundennummer, datei

    @staticmethod
    def ist_index(name: str | None) -> bool:
        return name == ABLAGE_INDEX


class AktenLeser:
    """Raw bytes of Akte files, one folder fd for all (``Datenordner.akten_lesen``)."""

    def __init__(self, ordner: str, ordner_fd: int | None):
        self._ordner, self._fd = ordner, ordner_fd  # a string: 20,000 pathlib joins alone cost 0.3 s

    def pfad(self, kundennummer: str) -> str:
        return f"{self._ordner}{os.sep}{kundennummer}{AKTE_ENDUNG}"

    def roh(self, kundennummer: str) -> bytes | None:
        """The Akte file's bytes, None if it (or the folder) is missing; never through a link."""
        if self._fd is None:
            return None
        try:
            return dateien.lesen(self.pfad(kundennummer), ordner_fd=self._fd)
        except FileNotFoundError:
            return None


def json_tabellen(pfad: Path) -> dict[str, dict[str, Any]] | None:
    """A TinyDB JSON file's tables, None if it is missing; anything else than tables of documents
    is the file's ``DateiDefekt``, with a German reason."""
    roh = roh_lesen(pfad)
    return None if roh is None else json_tabellen_aus(roh, pfad)


def roh_lesen(pfad: Path) -> bytes | None:
    """A file's bytes, None if it is missing."""
    try:
        return dateien.lesen(pfad)
    except FileNotFoundError:
        return None


def json_tabellen_aus(roh: bytes, pfad: Path) -> dict[str, dict[str, Any]]:
    """The tables in the bytes ``roh`` of the TinyDB JSON file ``pfad`` (``json_tabellen``)."""
    if not roh.strip():
        raise DateiDefekt(pfad, "die Datei ist leer")
    try:
        daten = json.loads(roh.decode("utf-8"))
    except UnicodeDecodeError as fehler:
        raise DateiDefekt(pfad, f"kein gültiges UTF-8 ab Byte {fehler.start}") from None
    except json.JSONDecodeError as fehler:
        raise DateiDefekt(pfad, f"kein gültiges JSON, Zeile {fehler.lineno}, Spalte {fehler.colno}") from None
    except RecursionError:
        raise DateiDefekt(pfad, "zu tief verschachtelt") from None
    if not isinstance(daten, dict) or not all(isinstance(t, dict) for t in daten.values()):
        raise DateiDefekt(pfad, "unerwarteter Aufbau")
    return daten


def json_schreiben(pfad: Path, daten: dict[str, dict[str, Any]]) -> bytes:
    """The one way a TinyDB JSON file is written: compact UTF-8, atomically, 0600. Returns the
    bytes written."""
    roh = json.dumps(daten, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    dateien.atomar_schreiben(pfad, roh)
    return roh


def jsonl_zeilen(roh: bytes, pfad: Path) -> list[Any]:
    """The parsed lines of a JSON Lines file's committed bytes (ending in a newline)."""
    zeilen = []
    for nummer, zeile in enumerate(roh.split(b"\n")[:-1], start=1):
        try:
            zeilen.append(json.loads(zeile.decode("utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise DateiDefekt(pfad, f"Zeile {nummer} ist kein gültiges JSON") from None
    return zeilen


def jsonl_text(zeilen: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(z, ensure_ascii=False, separators=(",", ":")) + "\n" for z in zeilen).encode("utf-8")
