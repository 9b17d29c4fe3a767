"""Crash-safe, private files, never through a link: the one way this app touches its data folder.

Atomic replace (temp file in the same folder, flush, fsync, ``os.replace``, fsync of the folder),
mode 0600 set explicitly (umask-independent), folders 0700.
A temp file is named ``.tmp-<target>~<random>`` so start-up clean-up knows whose lock guards it.

Links. The data folder's own path is resolved once (``Store``, ``Kundenindex``: what the
administrator set up is trusted); from there on nothing is followed through a symbolic link.
``O_NOFOLLOW`` only checks the last component, so every folder on the way is opened with
``O_DIRECTORY|O_NOFOLLOW`` relative to the one before (or, where Linux has it, in one ``openat2``
call that refuses any link on the way), and the file relative to its folder. A link,
a folder where a file belongs, a FIFO or device: a ``DateiDefekt`` naming the path, and that entry
is never opened, written, truncated, chmod-ed or removed. Several operations in one folder (a save)
share one fd of it: ``ordner_offen``.

Errors of the file system (disk full, read-only, no permission, …) leave here as a ``Dateifehler``
with German text: what failed, why, and what to do (``meldung``: one errno → German mapping, used
by the app and the command line too). Only "not there" (``FileNotFoundError`` while reading,
``FileExistsError`` while creating exclusively) stays an ``OSError``: callers decide with it.
"""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import errno
import fcntl
import os
import platform
import stat
import sys
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

DATEI_MODUS = 0o600
ORDNER_MODUS = 0o700
TEMP_PRAEFIX = ".tmp-"
_ZIEL_TRENNER = "~"
_ORDNER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_DATEI_FLAGS = os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK  # NONBLOCK: a FIFO never blocks the open


class StoreFehler(Exception):
    """A store problem with a German message meant for the user."""


class DateiDefekt(StoreFehler):
    """A data file that cannot be used as it is (unparsable, a link, a folder): reported, never
    overwritten."""

    def __init__(self, pfad: Path | str, grund: str):
        self.pfad, self.grund = Path(pfad), grund
        super().__init__(f"Die Datei {pfad} kann nicht gelesen werden ({grund}). "
                         "Sie wird nicht verändert; bitte den Support verständigen.")


class Dateifehler(StoreFehler):
    """The file system refused (disk full, read-only, no permission …); nothing half written."""

    def __init__(self, pfad: Path | str, fehler: OSError, vorgang: str):
        self.pfad, self.errno, self.vorgang = Path(pfad), fehler.errno, vorgang
        super().__init__(meldung(fehler, pfad, vorgang))


class SperreBelegt(StoreFehler):
    """A short file lock stayed busy for the whole waiting time."""


# ---- errno → German -------------------------------------------------------------------------

_BETRIEB = "bitte den Betrieb verständigen"
_GRUENDE: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("Kein Speicherplatz mehr frei",
                   f"{_BETRIEB} (Platz auf dem Datenträger schaffen) und es dann erneut versuchen"),
    errno.EDQUOT: ("Das Speicherkontingent (Quota) ist ausgeschöpft",
                   f"{_BETRIEB} (Kontingent erhöhen oder Platz schaffen) und es dann erneut versuchen"),
    errno.EROFS: ("Der Datenträger ist nur lesbar eingehängt",
                  f"{_BETRIEB}; Änderungen sind erst wieder möglich, wenn er beschreibbar ist"),
    errno.EACCES: ("Keine Berechtigung",
                   f"die Anwendung muss unter dem Konto laufen, dem der Datenordner gehört (README, Betrieb); "
                   f"{_BETRIEB}"),
    errno.EPERM: ("Vorgang nicht erlaubt",
                  f"die Anwendung muss unter dem Konto laufen, dem der Datenordner gehört (README, Betrieb); "
                  f"{_BETRIEB}"),
    errno.EIO: ("Ein-/Ausgabefehler des Datenträgers", f"{_BETRIEB} (Datenträger prüfen lassen)"),
    errno.ENOENT: ("Datei oder Ordner nicht vorhanden",
                   "bitte prüfen, ob der Datenordner richtig angegeben ist (--data), sonst den Support verständigen"),
    errno.EISDIR: ("Dort liegt ein Ordner, keine Datei", "bitte den Support verständigen"),
    errno.ENOTDIR: ("Ein Teil des Pfads ist kein Ordner", "bitte den Support verständigen"),
    errno.ELOOP: ("Ein symbolischer Verweis (Link) wird nicht verfolgt", "bitte den Support verständigen"),
    errno.EMFILE: ("Zu viele offene Dateien", "bitte die Anwendung neu starten"),
    errno.ENFILE: ("Zu viele offene Dateien im System", _BETRIEB),
    errno.ENAMETOOLONG: ("Der Dateiname ist zu lang", "bitte einen kürzeren Pfad für den Datenordner wählen"),
    errno.EBUSY: ("Die Datei ist belegt", "bitte später erneut versuchen"),
    errno.ETXTBSY: ("Die Datei ist belegt", "bitte später erneut versuchen"),
    errno.EAGAIN: ("Die Datei ist vorübergehend belegt", "bitte später erneut versuchen"),
    errno.EFBIG: ("Die Datei ist zu groß", _BETRIEB),
    errno.EMLINK: ("Zu viele Einträge im Ordner", _BETRIEB),
    errno.EXDEV: ("Verschieben zwischen Datenträgern ist nicht möglich", _BETRIEB),
    errno.ESTALE: ("Die Netzwerk-Freigabe ist nicht mehr erreichbar", f"{_BETRIEB} und es dann erneut versuchen"),
}


def meldung(fehler: OSError, pfad: Path | str | None = None, vorgang: str | None = None) -> str:
    """German text for an ``OSError``: which file, what went wrong, what to do; never the C
    library's English ``strerror``. ``vorgang`` ("Speichern", "Lesen" …) says what was attempted."""
    ziel = pfad if pfad is not None else (fehler.filename if fehler.filename is not None else "")
    grund, tun = _GRUENDE.get(fehler.errno or 0, (
        f"Fehler des Dateisystems ({errno.errorcode.get(fehler.errno or 0, fehler.errno)})", _BETRIEB))
    was = f"{vorgang} von {ziel}" if vorgang and ziel else vorgang or (f"Zugriff auf {ziel}" if ziel else "Dateizugriff")
    return f"{was} fehlgeschlagen: {grund}. Was tun: {tun[:1].upper()}{tun[1:]}."


def fehlertext(fehler: BaseException) -> str:
    """What to show the user for an error from a file operation (German for an ``OSError`` too)."""
    return meldung(fehler) if isinstance(fehler, OSError) else str(fehler)


#: What the command line reports with exit code 2: the data folder cannot be used as it is.
DATEISYSTEM_FEHLER = (OSError, Dateifehler, DateiDefekt)


class _Deutsch:
    """``OSError`` → ``Dateifehler`` (German); the listed kinds pass unchanged (the caller's signal).
    A class, as ``_Ordner``: every file operation enters both, and a generator-based context
    manager costs about four times as much."""

    __slots__ = ("pfad", "vorgang", "durchlassen")

    def __init__(self, pfad: Path | str, vorgang: str, *durchlassen: type[OSError]):
        self.pfad, self.vorgang, self.durchlassen = pfad, vorgang, durchlassen

    def __enter__(self) -> None:
        return None

    def __exit__(self, art: object, fehler: BaseException | None, verlauf: object) -> bool:
        if isinstance(fehler, OSError) and not isinstance(fehler, self.durchlassen):
            raise Dateifehler(self.pfad, fehler, self.vorgang) from None
        return False


# ---- walking without links ------------------------------------------------------------------

def _art(ordner_fd: int, name: str) -> str:
    """Why the entry ``name`` is not what the app expects there (for DateiDefekt)."""
    try:
        modus = os.stat(name, dir_fd=ordner_fd, follow_symlinks=False).st_mode
    except OSError:
        return "nicht zugänglich"
    if stat.S_ISLNK(modus):
        return "ist ein symbolischer Verweis (Link); Links im Datenordner werden nicht verfolgt"
    if stat.S_ISDIR(modus):
        return "ist ein Ordner, keine Datei"
    if stat.S_ISREG(modus):
        return "ist eine Datei, kein Ordner"
    return "ist keine gewöhnliche Datei (Gerät, FIFO oder Socket)"


class _OpenHow(ctypes.Structure):
    """``struct open_how`` of openat2(2)."""

    _fields_ = [("flags", ctypes.c_uint64), ("mode", ctypes.c_uint64), ("resolve", ctypes.c_uint64)]


def _openat2_laden() -> Callable[[bytes], int] | None:
    """``openat2(AT_FDCWD, pfad, O_DIRECTORY|O_NOFOLLOW, RESOLVE_NO_SYMLINKS)``: the kernel opens the
    folder and refuses a link anywhere on the way, in one system call instead of an open and a close
    per component. Returns the fd, or -1 for any failure (the caller then walks, which names the
    cause). None where the kernel (Linux < 5.6) or a sandbox does not offer it, or the C library
    cannot be called."""
    if sys.platform != "linux" or platform.machine() == "alpha":  # 437 on every other architecture
        return None
    try:
        aufruf = ctypes.CDLL(None, use_errno=True).syscall
    except (OSError, AttributeError):
        return None
    aufruf.restype = ctypes.c_long
    aufruf.argtypes = [ctypes.c_long, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t]
    wie = _OpenHow(_ORDNER_FLAGS, 0, 0x04)  # RESOLVE_NO_SYMLINKS
    adresse, groesse = ctypes.addressof(wie), ctypes.sizeof(wie)

    def oeffnen(pfad: bytes) -> int:
        return aufruf(437, -100, pfad, adresse, groesse)  # SYS_openat2, AT_FDCWD

    probe = oeffnen(b"/")
    if probe < 0:
        return None
    os.close(probe)
    oeffnen.wie = wie  # type: ignore[attr-defined]  # keeps the struct alive with the function
    return oeffnen


_OHNE_LINKS = _openat2_laden()


def _ordner_fd(ordner: Path | str, anlegen: bool = False) -> int:
    """An fd of ``ordner``, reached without following any link (missing folders created when
    ``anlegen``). Relative paths start at the working directory. In one call where it can; else, and
    whenever that fails, component by component, which creates what is missing and names the link,
    the file or the missing folder that stands in the way."""
    if _OHNE_LINKS is not None and not anlegen:
        fd = _OHNE_LINKS(os.fsencode(ordner))
        if fd >= 0:
            return fd
    ordner = Path(ordner)
    teile = ordner.parts
    start = "."
    if ordner.is_absolute():
        start, teile = teile[0], teile[1:]
    fd = os.open(start, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for nummer, teil in enumerate(teile):
            bisher = (start, *teile[:nummer + 1])
            try:
                neu = _unterordner(fd, teil, bisher)
            except FileNotFoundError:
                if not anlegen:
                    raise
                with contextlib.suppress(FileExistsError):
                    os.mkdir(teil, 0o777, dir_fd=fd)  # as mkdir(parents=True); the folder itself gets 0700
                neu = _unterordner(fd, teil, bisher)
            os.close(fd)
            fd = neu
    except BaseException:
        os.close(fd)
        raise
    return fd


def _unterordner(fd: int, teil: str, bisher: tuple[str, ...]) -> int:
    try:
        return os.open(teil, _ORDNER_FLAGS, dir_fd=fd)
    except OSError as fehler:
        if fehler.errno not in (errno.ELOOP, errno.ENOTDIR):
            raise
        raise DateiDefekt(Path(*bisher), _art(fd, teil)) from None


_OFFENE_ORDNER: contextvars.ContextVar[dict[str, int]] = contextvars.ContextVar("offene_ordner", default={})
"""The folders of the ``ordner_offen`` blocks running in this context (as ``os.fspath`` gives
them), with their fds."""


def ordner_offen(ordner: Path | str) -> _OffenerOrdner:
    """Walk ``ordner`` once for several operations in it (a save: lock, read, history, replace).

    Inside the ``with`` block every function here reaches that folder through the one fd instead of
    resolving its path again, and all of them act on the same folder even if it is renamed or
    replaced meanwhile (the lock guards the file next to it). A folder that cannot be walked now is
    not kept: each operation then walks and reports exactly as without the block. The fd is closed
    when the block ends, so the block must not hand work to other tasks or threads."""
    return _OffenerOrdner(os.fspath(ordner))


class _OffenerOrdner:
    """``ordner_offen``'s block (a class, as ``_Deutsch``: every save enters two)."""

    __slots__ = ("ordner", "fd", "token")

    def __init__(self, ordner: str):
        self.ordner, self.fd = ordner, None

    def __enter__(self) -> None:
        offen = _OFFENE_ORDNER.get()
        if self.ordner in offen:
            return
        with contextlib.suppress(OSError, StoreFehler):
            self.fd = _ordner_fd(self.ordner)
        if self.fd is not None:
            self.token = _OFFENE_ORDNER.set({**offen, self.ordner: self.fd})

    def __exit__(self, *_: object) -> bool:
        if self.fd is not None:
            _OFFENE_ORDNER.reset(self.token)
            os.close(self.fd)
            self.fd = None
        return False


def _teilen(pfad: Path | str) -> tuple[str, str]:
    """A file's folder and name as strings: Path objects (and even ``os.path.split``) cost a save
    about a tenth of its time."""
    ordner, trenner, name = os.fspath(pfad).rpartition(os.sep)
    return ordner or trenner or ".", name


class _Ordner:
    """``with _Ordner(ordner) as fd``: the folder's fd, the one of an ``ordner_offen`` block or one
    walked (and closed again) for this operation."""

    __slots__ = ("ordner", "anlegen", "fd", "schliessen")

    def __init__(self, ordner: Path | str, anlegen: bool = False):
        self.ordner, self.anlegen = ordner, anlegen

    def __enter__(self) -> int:
        offen = _OFFENE_ORDNER.get().get(os.fspath(self.ordner))
        self.schliessen = offen is None
        self.fd = _ordner_fd(self.ordner, self.anlegen) if offen is None else offen
        return self.fd

    def __exit__(self, *_: object) -> bool:
        if self.schliessen:
            os.close(self.fd)
        return False


def _datei_oeffnen(ordner_fd: int, name: str, flags: int, pfad: Path | str) -> int:
    """Open a regular file in its folder; anything else there (link, folder, FIFO) is a DateiDefekt."""
    return _datei_mit_stat(ordner_fd, name, flags, pfad)[0]


def _datei_mit_stat(ordner_fd: int, name: str, flags: int, pfad: Path | str) -> tuple[int, os.stat_result]:
    """``_datei_oeffnen`` and the open file's stat (which it takes anyway)."""
    try:
        fd = os.open(name, flags | _DATEI_FLAGS, DATEI_MODUS, dir_fd=ordner_fd)
    except OSError as fehler:
        if fehler.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO, errno.ENOTDIR):
            raise DateiDefekt(pfad, _art(ordner_fd, name)) from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise DateiDefekt(pfad, _art(ordner_fd, name))
    return fd, info


def _privat(fd: int, info: os.stat_result) -> None:
    """Mode 0600 whatever the umask or whoever created the file; no write to the inode if it has it."""
    if stat.S_IMODE(info.st_mode) != DATEI_MODUS:
        os.fchmod(fd, DATEI_MODUS)


def _gewoehnlich_oder_fehlt(ordner_fd: int, name: str, pfad: Path) -> os.stat_result | None:
    """The entry's own stat (never a link's target); None if missing; DateiDefekt if not a plain file."""
    try:
        info = os.stat(name, dir_fd=ordner_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode):
        raise DateiDefekt(pfad, _art(ordner_fd, name))
    return info


# ---- folders --------------------------------------------------------------------------------

def privater_ordner(pfad: Path) -> Path:
    """Create ``pfad`` (and missing parents) and make it 0700; a link on the way is a DateiDefekt."""
    with _Deutsch(pfad, "Anlegen"), _Ordner(pfad, anlegen=True) as fd:
        if stat.S_IMODE(os.fstat(fd).st_mode) != ORDNER_MODUS:  # no needless write (a read-only disk)
            os.fchmod(fd, ORDNER_MODUS)
    return pfad


def ordner_fsync(ordner: Path) -> None:
    with _Deutsch(ordner, "Speichern"), _Ordner(ordner) as fd:
        os.fsync(fd)


def namen(ordner: Path) -> list[str]:
    """The entries of a folder (names only: the Akten folder holds 20,000 files); [] if it is missing."""
    with _Deutsch(ordner, "Lesen"):
        try:
            with _Ordner(ordner) as fd:
                return os.listdir(fd)
        except FileNotFoundError:
            return []


@contextlib.contextmanager
def offener_ordner(ordner: Path) -> Iterator[int]:
    """An fd of the folder for many reads in a row (``lesen(..., ordner_fd=fd)``), walked once."""
    with _Deutsch(ordner, "Lesen", FileNotFoundError), _Ordner(ordner) as fd:
        yield fd


# ---- reading --------------------------------------------------------------------------------

def lesen(pfad: Path | str, *, ordner_fd: int | None = None, hoechstens: int | None = None) -> bytes:
    """The file's bytes (at most ``hoechstens``); ``FileNotFoundError`` if it (or its folder) is
    missing. With ``ordner_fd`` (``offener_ordner``) the file's name is opened in that folder:
    20,000 reads in a row walk the path once, and no ``Path`` is built unless something fails."""
    with _Deutsch(pfad, "Lesen", FileNotFoundError):
        if ordner_fd is not None:
            return _lesen_in(ordner_fd, os.path.basename(pfad), pfad, hoechstens)
        ordner, name = _teilen(pfad)
        with _Ordner(ordner) as fd:
            return _lesen_in(fd, name, pfad, hoechstens)


def _lesen_in(ordner_fd: int, name: str, pfad: Path | str, hoechstens: int | None) -> bytes:
    """Read with the size the open's stat gave: one read (and one that finds the end) for the whole
    file, where a file object would stat and seek twice more."""
    fd, info = _datei_mit_stat(ordner_fd, name, os.O_RDONLY, pfad)
    try:
        teile, rest = [], info.st_size + 1 if hoechstens is None else hoechstens
        while rest > 0 and (teil := os.read(fd, rest)):
            teile.append(teil)
            rest = 1 << 16 if hoechstens is None else rest - len(teil)  # a file that grew meanwhile: read on
        return b"".join(teile)
    finally:
        os.close(fd)


def vorhanden(pfad: Path) -> os.stat_result | None:
    """The entry's own stat (a link is not followed), None if there is none; a link on the way
    there is a DateiDefekt."""
    pfad = Path(pfad)
    with _Deutsch(pfad, "Lesen"):
        try:
            with _Ordner(pfad.parent) as fd:
                return os.stat(pfad.name, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            return None


# ---- writing --------------------------------------------------------------------------------

def _private_tempdatei(ordner_fd: int, ziel: str, daten: bytes) -> str:
    """The full content, synced, in a new 0600 temp file next to ``ziel`` (removed on failure).
    ``tempfile.mkstemp`` cannot create relative to a folder fd, hence these few lines."""
    while True:
        name = f"{TEMP_PRAEFIX}{ziel}{_ZIEL_TRENNER}{os.urandom(6).hex()}"
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _DATEI_FLAGS, DATEI_MODUS, dir_fd=ordner_fd)
            break
        except FileExistsError:
            continue
    try:
        _privat(fd, os.fstat(fd))
        geschrieben = 0
        while geschrieben < len(daten):  # one write() may take only part (a nearly full disk): the next one fails
            geschrieben += os.write(fd, memoryview(daten)[geschrieben:])
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name, dir_fd=ordner_fd)
        raise
    os.close(fd)
    return name


def _als_bytes(inhalt: bytes | str) -> bytes:
    return inhalt.encode("utf-8") if isinstance(inhalt, str) else inhalt


def atomar_schreiben(ziel: Path, inhalt: bytes | str) -> None:
    """Either the old or the new content survives a crash at any moment; never a mix. A link (or
    folder) at ``ziel`` is reported, not replaced."""
    ordner, name = _teilen(ziel)
    with _Deutsch(ziel, "Speichern"), _Ordner(ordner) as fd:
        _gewoehnlich_oder_fehlt(fd, name, ziel)
        temp = _private_tempdatei(fd, name, _als_bytes(inhalt))
        try:
            os.replace(temp, name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp, dir_fd=fd)
            raise
        os.fsync(fd)


def exklusiv_anlegen(ziel: Path, inhalt: bytes | str) -> None:
    """Create ``ziel`` only if it does not exist, complete in one step (``FileExistsError`` otherwise).

    Like ``O_CREAT|O_EXCL``, but ``link`` publishes the already written file: nobody ever sees it
    empty or half written, not even after a crash right after creation.
    """
    ziel = Path(ziel)
    with _Deutsch(ziel, "Anlegen", FileExistsError), _Ordner(ziel.parent) as fd:
        temp = _private_tempdatei(fd, ziel.name, _als_bytes(inhalt))
        try:
            os.link(temp, ziel.name, src_dir_fd=fd, dst_dir_fd=fd, follow_symlinks=False)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp, dir_fd=fd)
        os.fsync(fd)


def anhaengen_ab(pfad: Path, laenge: int, daten: bytes) -> int:
    """Append ``daten`` at byte ``laenge`` (the committed length), fsynced; returns the new length.

    Whatever lies beyond ``laenge`` was left by a write that never committed (a crash) and is cut
    off first. A file shorter than ``laenge`` lost committed data: ``ValueError``.
    """
    ordner_name, name = _teilen(pfad)
    with _Deutsch(pfad, "Speichern"), _Ordner(ordner_name) as ordner:
        fd, info = _datei_mit_stat(ordner, name, os.O_RDWR | os.O_CREAT, pfad)
        groesse = info.st_size
        neu = groesse == 0  # just created (or left empty): its name is made durable below
        try:
            _privat(fd, info)
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
            os.fsync(ordner)
    return laenge + len(daten)


def entfernen(pfad: Path) -> bool:
    """Remove a plain file (False if it was not there); a link or folder there is left alone and
    reported."""
    pfad = Path(pfad)
    with _Deutsch(pfad, "Löschen"):
        try:
            with _Ordner(pfad.parent) as fd:
                if _gewoehnlich_oder_fehlt(fd, pfad.name, pfad) is None:
                    return False
                os.unlink(pfad.name, dir_fd=fd)
                return True
        except FileNotFoundError:
            return False


def umbenennen(alt: Path, neu: Path) -> None:
    """Rename a plain file within its folder; never over an existing entry (``FileExistsError``)."""
    alt, neu = Path(alt), Path(neu)
    assert alt.parent == neu.parent, "only within one folder"
    with _Deutsch(alt, "Umbenennen", FileExistsError, FileNotFoundError), _Ordner(alt.parent) as fd:
        if _gewoehnlich_oder_fehlt(fd, alt.name, alt) is None:
            raise FileNotFoundError(errno.ENOENT, "fehlt", str(alt))
        with contextlib.suppress(FileNotFoundError):
            os.stat(neu.name, dir_fd=fd, follow_symlinks=False)
            raise FileExistsError(errno.EEXIST, "vorhanden", str(neu))
        os.rename(alt.name, neu.name, src_dir_fd=fd, dst_dir_fd=fd)
        os.fsync(fd)


# ---- short locks -----------------------------------------------------------------------------

def sperre(pfad: Path | str, wartezeit: float, datei: Path | str | None = None) -> _Dateisperre:
    """Exclusive ``flock`` on ``pfad`` (created 0600), held for a ``with`` block (``_Dateisperre``)."""
    return _Dateisperre(pfad, wartezeit, datei)


class _Dateisperre:
    """Exclusive ``flock`` on ``pfad`` (created 0600), released when the block ends or the process dies.
    The one implementation of short file locks (``datenordner.gesperrt`` names them after the file
    they guard, ``datei``, which the message names).

    Polled, not a blocking ``flock`` in a helper thread: a thread blocked in ``flock`` cannot be
    cancelled, and would take the lock after its caller gave up. The first attempt costs one system
    call; only a busy lock waits, in steps growing from 1 ms to 10 ms. Callers on the event loop run
    this in a worker. A lock that stays busy for ``wartezeit`` seconds is a ``SperreBelegt``.
    A class, not a generator: every save takes two (see ``_Deutsch``)."""

    __slots__ = ("pfad", "wartezeit", "datei", "fd")

    def __init__(self, pfad: Path | str, wartezeit: float, datei: Path | str | None = None):
        self.pfad, self.wartezeit, self.datei = pfad, wartezeit, datei

    def __enter__(self) -> None:
        ordner_name, name = _teilen(self.pfad)
        with _Deutsch(self.pfad, "Sperren"), _Ordner(ordner_name) as ordner:
            fd = _datei_oeffnen(ordner, name, os.O_RDWR | os.O_CREAT, self.pfad)
        try:
            self._nehmen(fd)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd

    def _nehmen(self, fd: int) -> None:
        ende, pause = time.monotonic() + self.wartezeit, 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                jetzt = time.monotonic()
                if jetzt >= ende:
                    raise SperreBelegt(
                        f"Die Datei {self.datei if self.datei is not None else self.pfad} wird seit "
                        f"{self.wartezeit:.0f} s von einem anderen Programm gespeichert; bitte später erneut "
                        "versuchen.") from None
                time.sleep(min(pause, ende - jetzt))
                pause = min(pause * 2, 0.01)

    def __exit__(self, *_: object) -> bool:
        os.close(self.fd)  # closing releases the lock
        return False


# ---- markers of work in progress ---------------------------------------------------------------

class Marke:
    """A file that stands for work in progress exactly as long as the process doing it lives: that
    process holds an ``flock`` on it, which the kernel drops when the process dies (even SIGKILL).
    A marker whose lock can be taken was left by a process that has ended: its work is to be
    cleaned up (``verwaiste_marken``). Dropping the object without ``loesen`` closes the fd, so the
    work then counts as abandoned."""

    def __init__(self, pfad: Path, fd: int):
        self.pfad = pfad
        self._schliessen = weakref.finalize(self, os.close, fd)

    @property
    def gehalten(self) -> bool:
        return self._schliessen.alive

    def loesen(self) -> None:
        """The work is done (or cleaned up): remove the marker while still holding it, then release."""
        if not self._schliessen.alive:
            return
        try:
            entfernen(self.pfad)
        finally:
            self._schliessen()

    def aufgeben(self) -> None:
        """Release without removing: the work counts as abandoned and is cleaned up later."""
        self._schliessen()


def _noch_verlinkt(ordner_fd: int, name: str, fd: int) -> bool:
    """Whether ``name`` still is the file ``fd`` has open (a cleaner may have removed it meanwhile)."""
    try:
        auf_platte = os.stat(name, dir_fd=ordner_fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    offen = os.fstat(fd)
    return (auf_platte.st_dev, auf_platte.st_ino) == (offen.st_dev, offen.st_ino)


def marke_anlegen(pfad: Path) -> Marke:
    """Create the marker ``pfad`` and hold it (``FileExistsError`` if someone else has it).

    Between creating and locking, a cleaner may find it unlocked and remove it; so after locking,
    the name must still be this file, or it is created anew."""
    pfad = Path(pfad)
    with _Deutsch(pfad, "Anlegen", FileExistsError), _Ordner(pfad.parent) as ordner:
        while True:
            fd = _datei_oeffnen(ordner, pfad.name, os.O_RDWR | os.O_CREAT | os.O_EXCL, pfad)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                if _noch_verlinkt(ordner, pfad.name, fd):
                    os.fsync(ordner)
                    return Marke(pfad, fd)
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)


def verwaiste_marken(ordner: Path) -> list[Marke]:
    """The markers in ``ordner`` whose process has ended, now held by the caller (who cleans up the
    work each stands for and then calls ``loesen``). Markers of running processes are skipped, and
    so is anything that is not a plain file (never touched)."""
    ordner = Path(ordner)
    gefunden = []
    with _Deutsch(ordner, "Aufräumen"):
        try:
            ordner_fd = _ordner_fd(ordner)
        except FileNotFoundError:
            return []
        try:
            for name in os.listdir(ordner_fd):
                if name.startswith(TEMP_PRAEFIX):
                    continue
                try:
                    fd = _datei_oeffnen(ordner_fd, name, os.O_RDONLY, ordner / name)
                except (FileNotFoundError, DateiDefekt):
                    continue
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(fd)
                    continue  # its process is running
                if _noch_verlinkt(ordner_fd, name, fd):
                    gefunden.append(Marke(ordner / name, fd))
                else:
                    os.close(fd)
        finally:
            os.close(ordner_fd)
    return gefunden


# ---- start-up clean-up ---------------------------------------------------------------------------

def verwaiste_tempdateien(ordner: Path) -> list[Path]:
    """Temp files a killed process left behind (they hold personal data: remove, never read)."""
    try:
        return sorted(ordner / name for name in namen(ordner) if name.startswith(TEMP_PRAEFIX))
    except DateiDefekt:
        return []  # the folder is a link: reported where it is used, never cleaned through


def tempdatei_ziel(temp: Path) -> str | None:
    """The name of the file a temp file was written for, or None for a name this app did not make."""
    rest = temp.name.removeprefix(TEMP_PRAEFIX)
    if rest == temp.name or _ZIEL_TRENNER not in rest:
        return None
    return rest.rsplit(_ZIEL_TRENNER, 1)[0] or None
