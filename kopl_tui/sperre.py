"""The edit lock of a Kundenakte: one person edits, everyone else may look (README, "Zuverlässigkeit").

``<data>/akten/<kundennummer>.sperre`` (0600) holds who has the Akte open for editing: user,
host, pid (with the process start time, so a reused pid is not taken for the holder) and since
when. It is created exclusively and complete in one step (``dateien.exklusiv_anlegen``: written
to a temp file, then ``link``-ed, which fails like ``O_CREAT|O_EXCL`` if the lock exists), so no
reader ever sees an empty lock, even after a crash. Take-over and release compare and then delete,
so all three run under the lock file's own short file lock ``<kundennummer>.sperre.lock``
(the store's rule: a file is only written while its ``.lock`` is held).

A lock whose process is gone on this host (crash, killed SSH session) is taken over, with a note in
the Akte's audit trail; a lock of another host is never taken over automatically (its process
cannot be checked from here) — support lifts it with ``AkteSperre.aufheben``, which refuses the lock
of a process still running here unless forced.

The lock file names its holder's random ``kennung``. The final save holds the lock file's own lock
and checks that the file still carries this session's kennung (``Sperre.gesichert``): a session
whose lock was lifted or reset meanwhile can never write, even if the Akte's version still matches.

This module knows nothing of the Kundenakte: opening an Akte with its lock is ``akte.akte_oeffnen``.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import socket
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kopl_tui.dateien import StoreFehler, exklusiv_anlegen, ordner_fsync, ordner_offen
from kopl_tui.datenordner import gesperrt, roh_lesen
from kopl_tui.datum import format_datum, jetzt
from kopl_tui.model import HistorienEintrag

if TYPE_CHECKING:  # the store offers these locks (Store.sperre_nehmen …) and imports this module
    from kopl_tui.store import Store

UNBEKANNT = "unbekannt"


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """(state, start time) of ``pid`` from Linux /proc; None where /proc cannot tell."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    felder = stat.rsplit(")", 1)[-1].split()  # the command name before ")" may hold spaces
    return (felder[0], felder[19]) if len(felder) > 19 else None


def _prozess_laeuft(pid: int, start: str | None) -> bool:
    """Whether ``pid`` on this host is still the process that took the lock."""
    if pid <= 0:
        return True  # unreadable holder: never assume it is gone
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # OverflowError: beyond any pid, e.g. 10**23
        return False
    except PermissionError:
        pass  # exists, belongs to another account
    stat = _proc_stat(pid)
    if stat is None:
        return True
    zustand, gestartet = stat
    if zustand in ("Z", "X"):
        return False  # ended, not yet reaped by its parent
    return start is None or gestartet == start  # a different start time: the pid was reused


@dataclass(frozen=True)
class SperrInhaber:
    """Who holds an Akte's edit lock, as written in the lock file."""

    benutzer: str
    rechner: str
    pid: int
    seit: datetime
    prozessstart: str | None = None
    kennung: str = ""

    @classmethod
    def hier(cls, benutzer: str) -> SperrInhaber:
        pid = os.getpid()
        stat = _proc_stat(pid)
        return cls(benutzer=benutzer, rechner=socket.gethostname(), pid=pid, seit=jetzt(),
                   prozessstart=stat[1] if stat else None, kennung=uuid.uuid4().hex)

    @classmethod
    def unbekannt(cls, seit: datetime) -> SperrInhaber:
        return cls(benutzer=UNBEKANNT, rechner=UNBEKANNT, pid=0, seit=seit)

    def als_json(self) -> str:
        return json.dumps({**asdict(self), "seit": self.seit.isoformat()}, ensure_ascii=False)

    @classmethod
    def aus_datei(cls, pfad: Path) -> SperrInhaber | None:
        """None if there is no lock; an unreadable lock counts as held by someone unknown. A link or
        folder in its place is a DateiDefekt (never followed, never removed)."""
        return cls.aus_bytes(roh_lesen(pfad), pfad)

    @classmethod
    def aus_bytes(cls, roh: bytes | None, pfad: Path) -> SperrInhaber | None:
        """``aus_datei`` for the bytes ``roh`` already read from ``pfad`` (None: no file)."""
        if roh is None:
            return None
        try:
            daten = json.loads(roh.decode("utf-8"))
            return cls(benutzer=str(daten["benutzer"]), rechner=str(daten["rechner"]), pid=int(daten["pid"]),
                       seit=datetime.fromisoformat(daten["seit"]), prozessstart=daten.get("prozessstart"),
                       kennung=str(daten.get("kennung", "")))
        except (ValueError, KeyError, TypeError, AttributeError):
            return cls.unbekannt(datetime.fromtimestamp(pfad.stat().st_mtime).astimezone())

    @property
    def auf_diesem_rechner(self) -> bool:
        return self.rechner == socket.gethostname()

    def verwaist(self) -> bool:
        """A lock left by a process that has ended on this host; other hosts are never judged."""
        return self.auf_diesem_rechner and not _prozess_laeuft(self.pid, self.prozessstart)

    def zeitpunkt(self, heute: date | None = None) -> str:
        lokal = self.seit.astimezone()
        if lokal.date() == (heute or date.today()):
            return f"{lokal:%H:%M} Uhr"
        return f"{format_datum(lokal.date())}, {lokal:%H:%M} Uhr"

    def beschreibung(self) -> str:
        return f"{self.benutzer} (Prozess {self.pid} auf {self.rechner}, gesperrt seit {self.zeitpunkt()})"


@dataclass(frozen=True)
class FremdeSperre:
    """Someone else edits the Akte: it may be opened read-only."""

    kundennummer: str
    inhaber: SperrInhaber

    @property
    def meldung(self) -> str:
        rechner = "" if self.inhaber.auf_diesem_rechner else f" (auf {self.inhaber.rechner})"
        return f"Akte wird bearbeitet von {self.inhaber.benutzer}{rechner} seit {self.inhaber.zeitpunkt()}."

    @property
    def hinweis(self) -> str:
        return "Sie können die Akte ansehen, aber nicht ändern."


class SperreAktiv(StoreFehler):
    """Support asked to lift the lock of a session that is still running on this host: refused."""

    def __init__(self, kundennummer: str, inhaber: SperrInhaber):
        self.inhaber = inhaber
        super().__init__(
            f"Die Akte {kundennummer} wird gerade bearbeitet von {inhaber.benutzer} (Prozess {inhaber.pid} auf "
            f"{inhaber.rechner}, seit {inhaber.zeitpunkt()}); dieser Prozess läuft noch. Die Sperre wird nicht "
            "aufgehoben: bitte die Sitzung beenden lassen. Nur wenn das nicht geht: --erzwingen (was diese Sitzung "
            "noch nicht gespeichert hat, kann sie dann nicht mehr speichern).")


class SperreEntzogen(StoreFehler):
    """The lock this session took is no longer its own (support lifted it, a training room was
    reset); ``grund`` says who holds it now. The Kundenakte turns it into ``akte.SperreVerloren``."""

    def __init__(self, grund: str):
        self.grund = grund
        super().__init__(grund)

    @classmethod
    def fuer(cls, kundennummer: str, aktuell: SperrInhaber | None) -> SperreEntzogen:
        """The one message of both stores: the lock is gone, and who holds the Akte now (if anyone)."""
        wer = (FremdeSperre(kundennummer, aktuell).meldung if aktuell is not None else
               "Niemand bearbeitet sie gerade; zum Bearbeiten die Akte schließen und neu öffnen.")
        return cls(f"Ihre Bearbeitungssperre für die Akte {kundennummer} wurde aufgehoben. {wer}")


class Sperre:
    """The edit lock this process holds; released by ``freigeben``, on ``with`` exit and at exit."""

    def __init__(self, store: Store, kundennummer: str, pfad: Path, inhaber: SperrInhaber,
                 uebernommen: SperrInhaber | None):
        self.store, self.kundennummer, self.pfad = store, kundennummer, pfad
        self.ordner = os.fspath(pfad.parent)  # made once: every save opens it (``gesichert``)
        self.inhaber = inhaber
        self._geschrieben = inhaber.als_json().encode("utf-8")  # what AkteSperre.nehmen wrote to the file
        self.uebernommen = uebernommen  # the stale lock this one replaced, if any
        self.gehalten = True
        _GEHALTEN[inhaber.kennung] = self

    @contextlib.contextmanager
    def gesichert(self) -> Iterator[None]:
        """Around the final save: the lock file's own lock is held, and the file must still carry this
        session's kennung, else ``SperreEntzogen`` saying who holds the Akte now. Taking over or
        lifting a lock waits meanwhile, so nobody takes it between the check and the write. The lock
        file's folder is the Akte's: opened once for the check and the save inside."""
        with ordner_offen(self.ordner), gesperrt(self.pfad):
            # The file as this session wrote it is its own and need not be parsed (at every save);
            # anything else is parsed and judged by its kennung.
            roh = roh_lesen(self.pfad)
            aktuell = self.inhaber if roh == self._geschrieben else SperrInhaber.aus_bytes(roh, self.pfad)
            if not self.gehalten or self.inhaber.pid != os.getpid() or aktuell is None \
                    or aktuell.kennung != self.inhaber.kennung:
                self.gehalten = False
                _GEHALTEN.pop(self.inhaber.kennung, None)
                raise SperreEntzogen.fuer(self.kundennummer, aktuell)
            yield

    def freigeben(self) -> None:
        """Delete the lock file if it is still ours (idempotent; support may have lifted it).
        A forked copy of this object in another process never releases the parent's lock."""
        if not self.gehalten or self.inhaber.pid != os.getpid():
            return
        with gesperrt(self.pfad):
            aktuell = SperrInhaber.aus_datei(self.pfad)
            if aktuell is not None and aktuell.kennung == self.inhaber.kennung:
                self.pfad.unlink()
                ordner_fsync(self.pfad.parent)
        self.gehalten = False
        _GEHALTEN.pop(self.inhaber.kennung, None)

    def __enter__(self) -> Sperre:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.freigeben()


class AkteSperre:
    """Taking and lifting the edit lock of one Kundenakte."""

    @staticmethod
    def pfad(store: Store, kundennummer: str) -> Path:
        return store.ordner.sperre_pfad(kundennummer)

    @staticmethod
    def lesen(store: Store, kundennummer: str) -> SperrInhaber | None:
        """Who holds the lock now (for display); None if nobody."""
        return SperrInhaber.aus_datei(AkteSperre.pfad(store, kundennummer))

    @staticmethod
    def nehmen(store: Store, kundennummer: str, benutzer: str) -> Sperre | FremdeSperre:
        """Take the Akte's edit lock, or learn who holds it. A stale lock of this host is taken
        over and the take-over noted in the Akte's history (if that history cannot be written,
        e.g. a defective Akte file, the ``StoreFehler`` is raised and the old lock stays)."""
        pfad = AkteSperre.pfad(store, kundennummer)
        store.anlegen()
        with gesperrt(pfad):
            alt = SperrInhaber.aus_datei(pfad)
            if alt is not None:
                if not alt.verwaist():
                    return FremdeSperre(kundennummer, alt)
                store.historie_anhaengen(kundennummer, [HistorienEintrag(
                    zeit=jetzt(), benutzer=benutzer,
                    aktion=f"Bearbeitungssperre übernommen: Sitzung von {alt.beschreibung()} besteht nicht mehr")])
                pfad.unlink()
            neu = SperrInhaber.hier(benutzer)
            try:
                exklusiv_anlegen(pfad, neu.als_json())
            except FileExistsError:  # someone ignored the lock rule: never overwrite, report
                return FremdeSperre(kundennummer, SperrInhaber.aus_datei(pfad) or SperrInhaber.unbekannt(jetzt()))
        return Sperre(store, kundennummer, pfad, neu, alt)

    @staticmethod
    def aufheben(store: Store, kundennummer: str, benutzer: str, erzwingen: bool = False) -> SperrInhaber | None:
        """Support: lift a lock by hand (e.g. of another host whose session is known to be gone),
        noted in the audit trail. The lock of a process still running on this host is refused
        (``SperreAktiv``) unless ``erzwingen``: that session then can no longer save.
        Returns the lifted holder, None if there was no lock."""
        pfad = AkteSperre.pfad(store, kundennummer)
        with gesperrt(pfad):
            alt = SperrInhaber.aus_datei(pfad)
            if alt is None:
                return None
            lebt = alt.auf_diesem_rechner and not alt.verwaist()
            if lebt and not erzwingen:
                raise SperreAktiv(kundennummer, alt)
            art = "aufgehoben (erzwungen)" if lebt else "aufgehoben"
            store.historie_anhaengen(kundennummer, [HistorienEintrag(
                zeit=jetzt(), benutzer=benutzer, aktion=f"Bearbeitungssperre {art}: {alt.beschreibung()}")])
            pfad.unlink()
            ordner_fsync(pfad.parent)
        return alt


_GEHALTEN: dict[str, Sperre] = {}


def alle_freigeben() -> None:
    """Normal exit (also after an exception in the app), lost terminal: give back every lock still held."""
    for sperre in list(_GEHALTEN.values()):
        with contextlib.suppress(Exception):  # a lock left behind is taken over on the next open
            sperre.freigeben()


atexit.register(alle_freigeben)
os.register_at_fork(after_in_child=_GEHALTEN.clear)
