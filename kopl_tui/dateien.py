"""Crash-safe, private files: the one way this app writes anything holding Sozialdaten.

Atomic replace (temp file in the same folder, flush, fsync, ``os.replace``, fsync of the folder),
mode 0600 set explicitly (umask-independent), folders 0700. See research/store-and-letters.md §1.3.
A temp file is named ``.tmp-<target>~<random>`` so start-up clean-up knows whose lock guards it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

DATEI_MODUS = 0o600
ORDNER_MODUS = 0o700
TEMP_PRAEFIX = ".tmp-"
_ZIEL_TRENNER = "~"


class StoreFehler(Exception):
    """A store problem with a German message meant for the user."""


class DateiDefekt(StoreFehler):
    """A data file that cannot be parsed: reported, never overwritten."""

    def __init__(self, pfad: Path, grund: str):
        self.pfad, self.grund = pfad, grund
        super().__init__(f"Die Datei {pfad} kann nicht gelesen werden ({grund}). "
                         "Sie wird nicht verändert; bitte den Support verständigen.")


def privater_ordner(pfad: Path) -> Path:
    pfad.mkdir(parents=True, exist_ok=True)
    os.chmod(pfad, ORDNER_MODUS)
    return pfad


def ordner_fsync(ordner: Path) -> None:
    fd = os.open(ordner, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _private_tempdatei(ziel: Path, daten: bytes) -> str:
    """The full content, synced, in a 0600 temp file next to ``ziel`` (removed again on failure)."""
    fd, temp = tempfile.mkstemp(prefix=f"{TEMP_PRAEFIX}{ziel.name}{_ZIEL_TRENNER}", dir=ziel.parent)
    try:
        os.fchmod(fd, DATEI_MODUS)
        with os.fdopen(fd, "wb") as datei:
            datei.write(daten)
            datei.flush()
            os.fsync(datei.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    return temp


def _als_bytes(inhalt: bytes | str) -> bytes:
    return inhalt.encode("utf-8") if isinstance(inhalt, str) else inhalt


def atomar_schreiben(ziel: Path, inhalt: bytes | str) -> None:
    """Either the old or the new content survives a crash at any moment; never a mix."""
    temp = _private_tempdatei(ziel, _als_bytes(inhalt))
    try:
        os.replace(temp, ziel)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    ordner_fsync(ziel.parent)


def exklusiv_anlegen(ziel: Path, inhalt: bytes | str) -> None:
    """Create ``ziel`` only if it does not exist, complete in one step (``FileExistsError`` otherwise).

    Like ``O_CREAT|O_EXCL``, but ``link`` publishes the already written file: nobody ever sees it
    empty or half written, not even after a crash right after creation.
    """
    temp = _private_tempdatei(ziel, _als_bytes(inhalt))
    try:
        os.link(temp, ziel)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
    ordner_fsync(ziel.parent)
@contextlib.contextmanager
def sperre(pfad: Path | str, wartezeit: float) -> Iterator[None]:
    """Exclusive ``flock`` on ``pfad`` (created 0600), released when the block ends or the process dies.

    The same lock filelock's UnixFileLock takes on that file, at a hundredth of its cost (filelock 4
    spends ~0.3 ms per acquire in bookkeeping: a quarter of a whole final save, issue 6)."""
    fd = os.open(pfad, os.O_RDWR | os.O_CREAT, DATEI_MODUS)
    try:
        ende = time.monotonic() + wartezeit
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= ende:
                    raise StoreFehler(f"Die Datei {str(pfad).removesuffix('.lock')} wird seit {wartezeit:.0f} s von "
                                      "einem anderen Programm gespeichert; bitte später erneut versuchen.") from None
                time.sleep(0.01)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def verwaiste_tempdateien(ordner: Path) -> list[Path]:
    """Temp files a killed process left behind (they hold personal data: remove, never read)."""
    try:
        namen = os.listdir(ordner)  # names only: the Akten folder holds 20,000 files (issue 6)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(ordner / name for name in namen if name.startswith(TEMP_PRAEFIX))


def tempdatei_ziel(temp: Path) -> str | None:
    """The name of the file a temp file was written for, or None for a name this app did not make."""
    rest = temp.name.removeprefix(TEMP_PRAEFIX)
    if rest == temp.name or _ZIEL_TRENNER not in rest:
        return None
    return rest.rsplit(_ZIEL_TRENNER, 1)[0] or None


def anhaengen_ab(pfad: Path, laenge: int, daten: bytes) -> int:
    """Append ``daten`` at byte ``laenge`` (the committed length), fsynced; returns the new length.

    Whatever lies beyond ``laenge`` was left by a write that never committed (a crash) and is cut
    off first. A file shorter than ``laenge`` lost committed data: ``ValueError``.
    """
    neu = not pfad.exists()
    fd = os.open(pfad, os.O_RDWR | os.O_CREAT, DATEI_MODUS)
    try:
        os.fchmod(fd, DATEI_MODUS)
        groesse = os.fstat(fd).st_size
        if groesse < laenge:
            raise ValueError(f"die Datei ist kürzer ({groesse} Bytes) als gespeichert ({laenge} Bytes)")
        if groesse > laenge:
            os.ftruncate(fd, laenge)
        geschrieben = 0
        while geschrieben < len(daten):
            geschrieben += os.pwrite(fd, daten[geschrieben:], laenge + geschrieben)
        os.fsync(fd)
    finally:
        os.close(fd)
    if neu:
        ordner_fsync(pfad.parent)
    return laenge + len(daten)
