"""Crash-safe, private files: the one way this app writes anything holding Sozialdaten.

Atomic replace (temp file in the same folder, flush, fsync, ``os.replace``, fsync of the folder),
mode 0600 set explicitly (umask-independent), folders 0700. See research/store-and-letters.md §1.3.
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


def atomar_schreiben(ziel: Path, inhalt: bytes | str) -> None:
    """Either the old or the new content survives a crash at any moment; never a mix."""
    daten = inhalt.encode("utf-8") if isinstance(inhalt, str) else inhalt
    fd, temp = tempfile.mkstemp(prefix=TEMP_PRAEFIX, suffix=ziel.suffix, dir=ziel.parent)
    try:
        os.fchmod(fd, DATEI_MODUS)
        with os.fdopen(fd, "wb") as datei:
            datei.write(daten)
            datei.flush()
            os.fsync(datei.fileno())
        os.replace(temp, ziel)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
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
