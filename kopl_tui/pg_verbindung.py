"""The data location as a PostgreSQL address: recognised, checked, connected, errors in German.

``--data`` names either a folder (the TinyDB default) or a libpq URL ``postgresql://…`` (README,
"Mehrere Server"). ``ist_postgresql`` is all the command line needs to tell them apart, so this
module imports nothing heavy at the top: psycopg is loaded only when a database is really used,
never on the TUI's start-up path with a folder.

The password never appears in the address (it would stand in the process list, in shell histories
and in every message quoting the address): libpq reads it from ``~/.pgpass`` or ``$PGPASSFILE``
(0600), or from ``$PGPASSWORD``. An address with a password is refused before anything connects.

libpq reports a failed connection without SQLSTATE, with the server's text in the server's
language; so the German message names the likely cause from the stable parts of that text and
quotes the server's own first line (which never holds the password) for the administrator.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kopl_tui.dateien import StoreFehler

if TYPE_CHECKING:
    import psycopg

SCHEMEN = ("postgresql://", "postgres://")
VERBINDUNGS_WARTEZEIT = 10  # seconds to reach the server (libpq connect_timeout)
SPERR_WARTEZEIT_MS = 10_000  # a save waits at most this long for another session's row lock
# The server notices a vanished client (a laptop lid closed, an SSH session cut) after about
# idle + interval × count seconds and ends its session; that frees the client's edit locks.
TCP_KEEPALIVE = {"tcp_keepalives_idle": 60, "tcp_keepalives_interval": 10, "tcp_keepalives_count": 3}
ANWENDUNG = "kopl-tui"


def ist_postgresql(wert: str | None) -> bool:
    """Whether a ``--data``/``KOPL_DATA`` value names a PostgreSQL database rather than a folder."""
    return bool(wert) and wert.strip().lower().startswith(SCHEMEN)


class DatenbankFehler(StoreFehler):
    """The database cannot be used as asked; German message, nothing half written."""


class AdresseUngueltig(DatenbankFehler):
    """The address cannot be read, or carries a password."""


class NichtErreichbar(DatenbankFehler):
    """The server does not answer (down, wrong host or port, no network)."""


class AnmeldungAbgelehnt(DatenbankFehler):
    """Wrong or missing password, unknown role, or the server's pg_hba.conf refuses."""


class RechteFehlen(DatenbankFehler):
    """The role may not do what was asked (CONNECT, CREATE, a table)."""


class SchemaFehlt(DatenbankFehler):
    """The database has not been set up (or only for an older program version)."""


class VerbindungAbgebrochen(DatenbankFehler):
    """The connection broke off while working; the open transaction is void."""

    def __init__(self, meldung: str, *, ungewiss: bool = False):
        self.ungewiss = ungewiss
        """True when the break came while committing: whether the server committed is unknown."""
        super().__init__(meldung)


def verbindungsangaben(url: str) -> dict[str, str]:
    """The address's parts (libpq's own parser); ``AdresseUngueltig`` for a malformed address or
    one that carries a password."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        teile = {k: str(v) for k, v in conninfo_to_dict(url.strip()).items() if v is not None}
    except Exception:  # noqa: BLE001 - psycopg.ProgrammingError; its text may quote the password
        raise AdresseUngueltig("Die Datenbank-Adresse ist ungültig. Erwartet wird die Form "
                               "postgresql://BENUTZER@RECHNER:PORT/DATENBANK (README, „Mehrere Server“).") from None
    if "password" in teile:
        raise AdresseUngueltig(
            "Die Datenbank-Adresse enthält ein Passwort. Es darf dort nicht stehen (es wäre in der Prozessliste und "
            "in Protokollen zu lesen): bitte die Adresse ohne Passwort angeben und das Passwort in ~/.pgpass "
            "(Rechte 0600) oder in der Datei aus PGPASSFILE hinterlegen (README, „Mehrere Server“).")
    return teile


def beschreibung(url: str) -> str:
    """The database in words for messages: name, server, role; never a password."""
    teile = verbindungsangaben(url)
    datenbank = teile.get("dbname") or os.environ.get("PGDATABASE") or teile.get("user") or "(Standard)"
    rechner = teile.get("host") or teile.get("hostaddr") or os.environ.get("PGHOST") or ""
    port = teile.get("port") or os.environ.get("PGPORT") or ""
    if rechner.startswith("/") or not rechner:
        ort = f"lokalem Socket {rechner}" if rechner else "lokalem Socket"
    else:
        ort = f"{rechner}:{port}" if port else rechner
    benutzer = teile.get("user") or os.environ.get("PGUSER")
    return f"Datenbank „{datenbank}“ auf {ort}" + (f" (Rolle {benutzer})" if benutzer else "")


def servermeldung(text: str) -> str:
    """The server's reason without libpq's "connection to server … failed:" and severity prefixes."""
    zeile = next((z for z in text.splitlines() if z.strip()), text).strip()
    for praefix in ("connection is bad:", "connection failed:"):
        zeile = zeile.removeprefix(praefix).strip()
    if " failed: " in zeile:
        zeile = zeile.split(" failed: ", 1)[1]
    return zeile.removeprefix("FATAL:").strip()


# Stable parts of libpq's and the server's texts (English, and German for a server with German
# lc_messages), enough to name the likely cause; the server's own line is always quoted as well.
_ANMELDUNG = ("password authentication failed", "no password supplied", "authentication failed", "pg_hba.conf",
              'role "', "passwort-authentifizierung", "kein passwort", "rolle »", "authentifizierung")
_RECHTE = ("permission denied", "connect privilege", "keine berechtigung", "connect-privileg")
_DATENBANK = ('database "', "datenbank »")
_FEHLT = ("does not exist", "existiert nicht")


def verbindungsfehler(fehler: Exception, url: str) -> DatenbankFehler:
    """The German error for a connection attempt that failed (``psycopg.OperationalError``)."""
    text = str(fehler)
    klein = text.lower()
    wo, grund = beschreibung(url), servermeldung(text)
    if any(t in klein for t in _ANMELDUNG):
        return AnmeldungAbgelehnt(
            f"Anmeldung an der {wo} abgelehnt: Passwort falsch oder nicht hinterlegt, oder die Rolle gibt es nicht. "
            "Das Passwort gehört in ~/.pgpass (Rechte 0600) oder in die Datei aus PGPASSFILE, nie in die Adresse "
            f"(README, „Mehrere Server“). Meldung des Servers: {grund}")
    if any(t in klein for t in _RECHTE):
        return RechteFehlen(f"Die Rolle darf sich nicht mit der {wo} verbinden (Recht CONNECT fehlt); bitte den "
                            f"Datenbankbetrieb verständigen. Meldung des Servers: {grund}")
    if any(t in klein for t in _DATENBANK) and any(t in klein for t in _FEHLT):
        return NichtErreichbar(f"Die {wo} gibt es auf dem Server nicht; bitte die Adresse prüfen oder die Datenbank "
                               f"anlegen lassen (README, „Mehrere Server“). Meldung des Servers: {grund}")
    return NichtErreichbar(f"Die {wo} ist nicht erreichbar: läuft der Server, und stimmen Rechner und Port? "
                           f"Bitte den Datenbankbetrieb verständigen. Meldung: {grund}")


def verbinden(url: str, anwendung: str = ANWENDUNG) -> psycopg.Connection[Any]:
    """A new connection in autocommit mode (every change runs in an explicit transaction), with the
    session settings the store relies on; ``DatenbankFehler`` in German if it cannot be had."""
    import psycopg

    angegeben = verbindungsangaben(url)  # refuses a password in the address before anything is sent
    vorgaben = {"application_name": anwendung, "connect_timeout": VERBINDUNGS_WARTEZEIT, "keepalives": 1,
                "keepalives_idle": 60, "keepalives_interval": 10, "keepalives_count": 3}
    try:  # what the address itself sets (e.g. another connect_timeout) wins over these defaults
        verbindung = psycopg.connect(url.strip(), autocommit=True,
                                     **{k: v for k, v in vorgaben.items() if k not in angegeben})
    except psycopg.OperationalError as fehler:
        raise verbindungsfehler(fehler, url) from None
    einstellungen = {"lock_timeout": SPERR_WARTEZEIT_MS, **TCP_KEEPALIVE}
    try:  # one round trip (several statements are allowed in a query without parameters)
        verbindung.execute("; ".join(f"SET {name} = {wert}" for name, wert in einstellungen.items()))
    except psycopg.Error as fehler:
        verbindung.close()
        raise DatenbankFehler(f"Die {beschreibung(url)} lässt die Sitzung nicht einrichten: "
                              f"{servermeldung(str(fehler))}") from None
    return verbindung


@contextlib.contextmanager
def deutsch(vorgang: str, url: str) -> Iterator[None]:
    """Errors of the database while ``vorgang`` ("Speichern", "Lesen" …) runs, as German
    ``DatenbankFehler``; our own ``StoreFehler`` pass unchanged."""
    import psycopg
    from psycopg import errors

    try:
        yield
    except StoreFehler:
        raise
    except errors.InsufficientPrivilege as fehler:
        raise RechteFehlen(f"{vorgang} nicht möglich: der Rolle fehlen Rechte in der {beschreibung(url)} "
                           f"({servermeldung(str(fehler))}). Bitte den Datenbankbetrieb verständigen "
                           "(README, „Mehrere Server“).") from None
    except (errors.UndefinedTable, errors.UndefinedColumn, errors.UndefinedFunction):
        raise SchemaFehlt(schema_fehlt_text(url)) from None
    except errors.LockNotAvailable:
        raise DatenbankFehler(f"{vorgang} nicht möglich: die Akte wird seit {SPERR_WARTEZEIT_MS // 1000} s von einer "
                              "anderen Sitzung gespeichert; bitte später erneut versuchen.") from None
    except errors.ReadOnlySqlTransaction:
        raise DatenbankFehler(f"{vorgang} nicht möglich: die {beschreibung(url)} nimmt gerade nur Lesezugriffe an "
                              "(Bereitschaftsserver); bitte den Datenbankbetrieb verständigen.") from None
    except errors.DiskFull:
        raise DatenbankFehler(f"{vorgang} nicht möglich: auf dem Datenbankserver ist kein Speicherplatz mehr frei; "
                              "nichts wurde gespeichert. Bitte den Datenbankbetrieb verständigen.") from None
    except psycopg.OperationalError as fehler:
        raise VerbindungAbgebrochen(
            f"{vorgang} nicht möglich: die Verbindung zur {beschreibung(url)} ist abgebrochen "
            f"({servermeldung(str(fehler))}). Nichts wurde halb gespeichert; bitte erneut versuchen.") from None
    except psycopg.Error as fehler:
        raise DatenbankFehler(f"{vorgang} nicht möglich, die Datenbank meldet: {servermeldung(str(fehler))}") from None


def schema_fehlt_text(url: str) -> str:
    return (f"Die {beschreibung(url)} ist für kopl-tui noch nicht eingerichtet. Bitte einmal "
            "„kopl-tui datenbank-anlegen --data ADRESSE“ ausführen (README, „Mehrere Server“).")
