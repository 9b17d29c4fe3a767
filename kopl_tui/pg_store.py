"""The data on PostgreSQL: the same operations and promises as the folder store (kopl_tui/store.py).

For a Jobcenter with more than one application server (README, "Mehrere Server"). One
``PgStore`` per app session holds one connection: the edit locks it takes live exactly as long
as that database session, so a pool or a transaction pooler
must never sit in between.

- Final save (§5): one transaction: the Akte's head row is updated only if its version is the one
  the Akte was opened with (optimistic, as the folder's version check), the plans are replaced and
  the history lines appended. A broken connection, a killed process, a full disk: the server rolls
  the transaction back, nothing is half saved.
- History: append-only rows (a trigger refuses UPDATE and DELETE).
- Edit lock: a row per locked Akte naming its holder and the holder's database session (backend
  pid and start time). The lock counts while that session exists in ``pg_stat_activity``; a
  session that ended (process killed, connection cut: over TCP noticed by keepalive, see
  kopl_tui/pg_verbindung.py) leaves a row that the next opener takes over, with a note in the
  history, as the folder does for a dead local process. Taking, checking and lifting one Akte's
  lock wait for each other (a transaction advisory lock keyed by the Kundennummer).
- Filed letters: the index rows here, the files in the Dateiordner (``data_dir``, kopl_tui/datenort.py:
  also letterhead and own templates); filing writes index row and history line in one transaction.

Errors reach callers as the store's German exceptions (``StoreFehler``, ``VersionKonflikt``,
``DateiDefekt`` for a row that does not fit the model), never as psycopg's.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import threading
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from kopl_tui import pg_schema
from kopl_tui.ablage import AblageEintrag
from kopl_tui.bestand import GeleseneAkte, Plan, PlanSicht
from kopl_tui.dateien import DateiDefekt, StoreFehler
from kopl_tui.datenordner import Datenordner, nummer_pruefen
from kopl_tui.datum import jetzt
from kopl_tui.kundenindex import _TRENNER, KundenZeile, Kundenliste, suchschluessel
from kopl_tui.model import HistorienEintrag, Kooperationsplan, Kunde, meldungen
from kopl_tui.pg_verbindung import (
    DatenbankFehler,
    SchemaFehlt,
    VerbindungAbgebrochen,
    beschreibung,
    deutsch,
    schema_fehlt_text,
    servermeldung,
    verbinden,
    verbindungsangaben,
)
from kopl_tui.sperre import FremdeSperre, SperreAktiv, SperreEntzogen, SperrInhaber
from kopl_tui.store import AkteStand, StammdatenAenderung, StammdatenKonflikt, Store, VersionKonflikt

if TYPE_CHECKING:
    import psycopg

_PLAENE = TypeAdapter(list[Kooperationsplan])
_PLAENE_SCHNELL = TypeAdapter(list[PlanSicht])
_HISTORIE = TypeAdapter(list[HistorienEintrag])
_ABLAGE = TypeAdapter(list[AblageEintrag])
_KUNDEN_FELDER = ("kundennummer", "id", "anrede", "nachname", "vorname", "geburtsdatum", "bg_nummer", "ifk",
                  "strasse", "plz", "ort")
# a KundenZeile as one string, fields in its order (the date as ISO, whatever the server's DateStyle)
_KUNDENZEILE_GEPACKT = "concat_ws(E'\\x1f', {})".format(", ".join(
    {"geburtsdatum": "to_char(geburtsdatum, 'YYYY-MM-DD')", "plz_ort": "''"}.get(feld, feld)
    for feld in KundenZeile._fields))
_NICHT_GEPRUEFT = [feld for feld in Kooperationsplan.model_fields if feld not in PlanSicht.model_fields]
_HISTORIE_JSON = ("json_build_object('zeit', zeit, 'benutzer', benutzer, 'aktion', aktion, 'plan_id', plan_id, "
                  "'alt', alt, 'neu', neu)")
_SPERRE_SPALTEN = "kennung, benutzer, rechner, pid, prozessstart, seit"
_LEBT = ("EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = s.backend_pid "
         # another role's sessions show no start time: such a holder is taken to be alive
         "AND (a.backend_start = s.backend_start OR a.backend_start IS NULL))")
_MEINE_SITZUNG = "pg_backend_pid(), (SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid())"


class DatensatzDefekt(DateiDefekt):
    """A row whose content does not fit the model (changed by hand, or by a faulty migration):
    reported with where it is, never overwritten. A ``DateiDefekt`` so that the sweep and the
    command line treat it as they treat a defective file."""

    def __init__(self, ort: str, grund: str):
        self.pfad, self.grund = Path(ort), grund
        StoreFehler.__init__(self, f"Der Datensatz {ort} in der Datenbank kann nicht gelesen werden ({grund}). "
                                   "Er wird nicht verändert; bitte den Support verständigen.")


@contextlib.contextmanager
def _defekt_wenn_ungueltig(ort: str) -> Iterator[None]:
    try:
        yield
    except ValidationError as fehler:
        erste = next(iter(meldungen(fehler).values()), "unbekannter Fehler")
        raise DatensatzDefekt(ort, f"Inhalt passt nicht zum Datenmodell: {erste[:200]}") from None


def _schluessel(kundennummer: str) -> int:
    """The advisory-lock key of an Akte: the Kundennummer read as a base-36 number. Ten characters
    of [0-9A-Z] stay below 36**10 < 2**63, so every Akte has its own key; no hash, no collision."""
    return int(kundennummer, 36)


class PgStore:
    """One app session's access to the database (``url``: a libpq URL without password); a
    ``Speicher`` (kopl_tui/speicher.py) like the folder store."""

    def __init__(self, url: str, data_dir: Path | None = None):
        from kopl_tui.datenort import STANDARD_DATEIEN

        verbindungsangaben(url)  # a malformed address or one with a password: refused at once
        self.url = url.strip()
        self.data_dir = Path(data_dir if data_dir is not None else STANDARD_DATEIEN).resolve()
        """The Dateiordner: filed letters' files, letterhead, own templates (kopl_tui/datenort.py);
        shared storage when several servers file letters."""
        self.ablage_dir = Datenordner(self.data_dir).ablage_dir  # the same place as in a data folder
        self._verbindung: psycopg.Connection[Any] | None = None
        self._prozess = 0
        self._lokal = threading.RLock()  # one transaction at a time on the one connection
        _STORES.add(self)

    def __repr__(self) -> str:
        return f"PgStore({beschreibung(self.url)})"

    # ---- the connection -------------------------------------------------------------------------
    @property
    def verbindung(self) -> psycopg.Connection[Any]:
        """The session's connection, made (again) when there is none or it broke; the schema is
        checked on each new connection. A copy of this object in a forked child never uses the
        parent's connection (that would mix two processes' statements on one session)."""
        if self._prozess != os.getpid():
            self._verbindung = None  # psycopg does not close a connection from a forked child
        if self._verbindung is None or not _noch_verbunden(self._verbindung):
            if self._verbindung is not None:
                self._verbindung.close()
            neu = verbinden(self.url)
            try:
                with deutsch("Öffnen", self.url):
                    stand = pg_schema.stand(neu)
            except StoreFehler:
                neu.close()
                raise
            if stand is None or stand < pg_schema.AKTUELL:
                neu.close()
                raise SchemaFehlt(schema_fehlt_text(self.url) if stand is None else
                                  f"Die {beschreibung(self.url)} hat den Schema-Stand {stand}, dieses Programm "
                                  f"braucht Stand {pg_schema.AKTUELL}: bitte „kopl-tui datenbank-anlegen --data "
                                  "ADRESSE“ ausführen.")
            if stand > pg_schema.AKTUELL:
                neu.close()
                raise DatenbankFehler(str(pg_schema.SchemaZuNeu(stand, pg_schema.AKTUELL)))
            self._verbindung, self._prozess = neu, os.getpid()
        return self._verbindung

    @contextlib.contextmanager
    def _arbeit(self, vorgang: str) -> Iterator[psycopg.Connection[Any]]:
        with self._lokal, deutsch(vorgang, self.url):
            yield self.verbindung

    @contextlib.contextmanager
    def _transaktion(self, vorgang: str) -> Iterator[psycopg.Connection[Any]]:
        """One transaction; inside another it joins that one (no savepoint: if any part fails, all
        of it is void). A break while committing leaves it unknown whether the server committed:
        said so, so the user reloads and looks."""
        import psycopg

        with self._arbeit(vorgang) as verbindung:
            if verbindung.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                yield verbindung  # part of the caller's transaction (the lock check around a save): one unit
                return
            im_commit = False
            try:
                with verbindung.transaction():
                    yield verbindung
                    im_commit = True
            except psycopg.OperationalError as fehler:
                if not im_commit:
                    raise
                raise VerbindungAbgebrochen(
                    f"{vorgang}: die Verbindung zur {beschreibung(self.url)} brach beim Abschließen ab (Meldung: "
                    f"{servermeldung(str(fehler))}). Ob gespeichert wurde, ist ungewiss: bitte die Akte neu laden "
                    "und prüfen.", ungewiss=True) from None

    def schliessen(self) -> None:
        """Give back this session's edit locks and close the connection (idempotent)."""
        for sperre in [s for s in _GEHALTEN.values() if s.store is self]:
            with contextlib.suppress(StoreFehler):
                sperre.freigeben()
        if self._verbindung is not None and self._prozess == os.getpid():
            self._verbindung.close()
        self._verbindung = None

    # ---- set-up and clean-up ----------------------------------------------------------------------
    def anlegen(self) -> PgStore:
        """The folder store creates its folders here; the database must have been set up by
        ``kopl-tui datenbank-anlegen`` (``SchemaFehlt`` otherwise)."""
        with self._arbeit("Öffnen"):
            pass
        return self

    def ist_leer(self) -> bool:
        with self._arbeit("Lesen") as verbindung:
            return not verbindung.execute("SELECT EXISTS (SELECT 1 FROM kunden) OR EXISTS (SELECT 1 FROM akten)"
                                          ).fetchone()[0]

    def leeren(self) -> None:
        """Remove this app's data (``demo --reset``); the letters' files in the Ablage folder stay."""
        with self._transaktion("Löschen") as verbindung:
            verbindung.execute("TRUNCATE kunden, akten, plaene, historie, ablage, sperren RESTART IDENTITY")

    def aufraeumen(self) -> list[Path]:
        """Start-up: nothing to clean in the database (the server rolls back what a killed session
        left open); drafts of killed sessions in the Dateiordner go (``Ablage.aufraeumen``)."""
        from kopl_tui.ablage import Ablage

        return Ablage(self).aufraeumen()

    # ---- customer index -----------------------------------------------------------------------------
    def kunden(self) -> list[Kunde]:
        """Every customer, in the order they were first written (as the folder's index)."""
        with self._arbeit("Lesen") as verbindung:
            zeilen = verbindung.execute(f"SELECT {', '.join(_KUNDEN_FELDER)} FROM kunden ORDER BY lfd").fetchall()
        with _defekt_wenn_ungueltig("kunden"):
            return [Kunde.model_validate(dict(zip(_KUNDEN_FELDER, zeile, strict=True))) for zeile in zeilen]

    def kunde(self, kundennummer: str) -> Kunde | None:
        with self._arbeit("Lesen") as verbindung:
            zeile = verbindung.execute(f"SELECT {', '.join(_KUNDEN_FELDER)} FROM kunden WHERE kundennummer = %s",
                                       (kundennummer,)).fetchone()
        with _defekt_wenn_ungueltig(f"kunden/{kundennummer}"):
            return Kunde.model_validate(dict(zip(_KUNDEN_FELDER, zeile, strict=True))) if zeile else None

    def kunden_zu(self, kundennummern: set[str]) -> dict[str, Kunde]:
        """The stored customers with these numbers (only they are validated, as in the folder)."""
        with self._arbeit("Lesen") as verbindung:
            zeilen = verbindung.execute(f"SELECT {', '.join(_KUNDEN_FELDER)} FROM kunden WHERE kundennummer = ANY(%s)",
                                        (sorted(kundennummern),)).fetchall()
        treffer = {}
        for zeile in zeilen:
            with _defekt_wenn_ungueltig(f"kunden/{zeile[0]}"):
                treffer[zeile[0]] = Kunde.model_validate(dict(zip(_KUNDEN_FELDER, zeile, strict=True)))
        return treffer

    def kunden_importieren(self, neu: Sequence[Kunde], aenderungen: Sequence[StammdatenAenderung]) -> list[str]:
        """An import, all or nothing, in one transaction: new customers inserted, existing ones
        changed field by field with each change's history entry. ``StammdatenKonflikt`` (nothing
        written) when meanwhile a new number was taken or a changed field was changed by someone
        else. Returns [] (the folder's "history entry still to be written" cannot happen here)."""
        with self._transaktion("Importieren") as verbindung, verbindung.cursor() as cursor:
            spalten = ", ".join(_KUNDEN_FELDER)
            for kunde in neu:
                daten = kunde.model_dump(mode="json")
                if cursor.execute(f"INSERT INTO kunden ({spalten}) VALUES ({', '.join(['%s'] * len(_KUNDEN_FELDER))}) "
                                  "ON CONFLICT (kundennummer) DO NOTHING RETURNING 1",
                                  tuple(daten[f] for f in _KUNDEN_FELDER)).fetchone() is None:
                    raise StammdatenKonflikt(kunde.kundennummer, f"Kundennummer {kunde.kundennummer} wurde "
                                             "inzwischen angelegt. Nichts wurde importiert; bitte den Import wiederholen.")
            for aenderung in aenderungen:
                self._stammdaten_aendern(cursor, aenderung, "Nichts wurde importiert; bitte den Import wiederholen.")
                if aenderung.eintrag is not None:
                    self._akte_anlegen(cursor, aenderung.kundennummer)
                    self._historie_schreiben(cursor, aenderung.kundennummer, [aenderung.eintrag])
        return []

    def _stammdaten_aendern(self, cursor: psycopg.Cursor[Any], aenderung: StammdatenAenderung, folge: str) -> None:
        """Inside the caller's transaction: the customer's row locked, checked unchanged in the
        changed fields (as the folder checks, ``Store._unveraendert_seit``), then written."""
        zeile = cursor.execute(f"SELECT {', '.join(_KUNDEN_FELDER)} FROM kunden WHERE kundennummer = %s FOR UPDATE",
                               (aenderung.kundennummer,)).fetchone()
        if zeile is None:
            raise StammdatenKonflikt(aenderung.kundennummer, f"Kunde {aenderung.kundennummer} steht nicht (mehr) im "
                                     "Kundenindex der Datenbank. Nichts wurde geschrieben.")
        with _defekt_wenn_ungueltig(f"kunden/{aenderung.kundennummer}"):
            gespeichert = Kunde.model_validate(dict(zip(_KUNDEN_FELDER, zeile, strict=True))).model_dump(mode="json")
        Store._unveraendert_seit(aenderung, gespeichert, folge)
        felder = [f for f in aenderung.neu if f in _KUNDEN_FELDER and f not in ("kundennummer", "id")]
        if felder:
            cursor.execute(f"UPDATE kunden SET {', '.join(f'{f} = %s' for f in felder)} WHERE kundennummer = %s",
                           (*(aenderung.neu[f] for f in felder), aenderung.kundennummer))

    def stammdaten_nachtragen(self, kundennummer: str, wartezeit: float | None = None) -> None:
        """Nothing to settle: master data and Akte change in one transaction here (the folder needs
        a note between two files, kopl_tui/store.py)."""

    def kunden_schreiben(self, kunden: Sequence[Kunde]) -> None:
        """Insert or update customers by Kundennummer (the internal id stays), all in one transaction."""
        spalten = ", ".join(_KUNDEN_FELDER)
        aendern = ", ".join(f"{f} = EXCLUDED.{f}" for f in _KUNDEN_FELDER if f not in ("kundennummer", "id"))
        werte = [tuple(k.model_dump(mode="json")[f] for f in _KUNDEN_FELDER) for k in kunden]
        with self._transaktion("Speichern") as verbindung, verbindung.cursor() as cursor:
            cursor.executemany(f"INSERT INTO kunden ({spalten}) VALUES ({', '.join(['%s'] * len(_KUNDEN_FELDER))}) "
                               f"ON CONFLICT (kundennummer) DO UPDATE SET {aendern}", werte)

    def kundenliste(self) -> Kundenliste:
        """The customer list's rows, sorted as kopl_tui/kundenindex.py sorts kunden.json. Each row
        comes packed from the server (one string: 20,000 rows in ~0.1 s); sorting stays in Python so
        the order is exactly the folder's, whatever the database's collation."""
        with self._arbeit("Lesen") as verbindung:
            gepackt = [z[0] for z in verbindung.execute(f"SELECT {_KUNDENZEILE_GEPACKT} FROM kunden ORDER BY lfd")]
        zeilen = [KundenZeile._make(zeile.split(_TRENNER)) for zeile in gepackt]
        reihenfolge = sorted(range(len(zeilen)), key=lambda i: (zeilen[i].nachname.lower(), zeilen[i].vorname.lower()))
        return Kundenliste([suchschluessel(zeilen[i]) for i in reihenfolge], [gepackt[i] for i in reihenfolge])

    # ---- Kundenakte -----------------------------------------------------------------------------------
    def akte_laden(self, kundennummer: str) -> AkteStand:
        """The Akte as committed (one statement: head, plans and history length belong together)."""
        nummer_pruefen(kundennummer)
        with self._arbeit("Lesen") as verbindung:
            version, am, von, plaene, bis = verbindung.execute(
                "SELECT coalesce(a.version, 0), a.geaendert_am, coalesce(a.geaendert_von, ''), "
                "  (SELECT coalesce(json_agg(p.daten ORDER BY p.lfd), '[]')::text FROM plaene p "
                "   WHERE p.kundennummer = n.nr), "
                "  (SELECT coalesce(max(h.nr), 0) FROM historie h WHERE h.kundennummer = n.nr) "
                "FROM (SELECT %s::text AS nr) n LEFT JOIN akten a ON a.kundennummer = n.nr",
                (kundennummer,)).fetchone()
        with _defekt_wenn_ungueltig(f"plaene/{kundennummer}"):
            stand = AkteStand(kundennummer=kundennummer, version=version, geaendert_am=am, geaendert_von=von,
                              plaene=_PLAENE.validate_json(plaene))
        stand._historie_laden = functools.partial(self._historie, kundennummer, bis)
        return stand

    def historie(self, kundennummer: str) -> list[HistorienEintrag]:
        """The committed audit trail as it is now, oldest first."""
        return self._historie(nummer_pruefen(kundennummer), None)

    def _historie(self, kundennummer: str, bis: int | None) -> list[HistorienEintrag]:
        with self._arbeit("Lesen") as verbindung:
            roh = verbindung.execute(
                f"SELECT coalesce(json_agg({_HISTORIE_JSON} ORDER BY nr), '[]')::text FROM historie "
                "WHERE kundennummer = %s AND (%s::bigint IS NULL OR nr <= %s::bigint)",
                (kundennummer, bis, bis)).fetchone()[0]
        with _defekt_wenn_ungueltig(f"historie/{kundennummer}"):
            return _HISTORIE.validate_json(roh)

    def akte_speichern(self, kundennummer: str, plaene: list[Kooperationsplan], erwartete_version: int,
                       benutzer: str, historie: Sequence[HistorienEintrag] = (),
                       stammdaten: StammdatenAenderung | None = None) -> AkteStand:
        """Final save (§5): all plans at once, only if nobody saved since ``erwartete_version``; with
        ``stammdaten`` the customer's master data too (its entry is among ``historie``), only if the
        changed fields were not changed meanwhile: all in one transaction."""
        from psycopg.types.json import Jsonb

        nummer_pruefen(kundennummer)
        daten = [plan.model_dump(mode="json") for plan in plaene]
        zeit = jetzt()
        with self._transaktion("Speichern") as verbindung, verbindung.cursor() as cursor:
            if erwartete_version == 0:
                self._akte_anlegen(cursor, kundennummer)
            zeile = cursor.execute("UPDATE akten SET version = version + 1, geaendert_am = %s, geaendert_von = %s "
                                   "WHERE kundennummer = %s AND version = %s RETURNING version",
                                   (zeit, benutzer, kundennummer, erwartete_version)).fetchone()
            if zeile is None:
                gefunden = cursor.execute("SELECT version FROM akten WHERE kundennummer = %s",
                                          (kundennummer,)).fetchone()
                raise VersionKonflikt(kundennummer, erwartete_version, gefunden[0] if gefunden else 0)
            if stammdaten is not None:
                self._stammdaten_aendern(cursor, stammdaten, "Nichts wurde gespeichert; bitte die Akte neu laden.")
            cursor.execute("DELETE FROM plaene WHERE kundennummer = %s", (kundennummer,))
            cursor.executemany("INSERT INTO plaene (kundennummer, id, lfd, daten) VALUES (%s, %s, %s, %s)",
                               [(kundennummer, d["id"], i, Jsonb(d)) for i, d in enumerate(daten)])
            bis = self._historie_schreiben(cursor, kundennummer, historie)
        stand = AkteStand(kundennummer=kundennummer, version=zeile[0], geaendert_am=zeit, geaendert_von=benutzer,
                          plaene=_PLAENE.validate_python(daten))
        stand._historie_laden = functools.partial(self._historie, kundennummer, bis)
        return stand

    def historie_anhaengen(self, kundennummer: str, eintraege: Sequence[HistorienEintrag]) -> None:
        """Audit entries that are no Akte change (a letter, a lock take-over); the version stays."""
        nummer_pruefen(kundennummer)
        with self._transaktion("Speichern") as verbindung, verbindung.cursor() as cursor:
            self._akte_anlegen(cursor, kundennummer)
            self._historie_schreiben(cursor, kundennummer, eintraege)

    @staticmethod
    def _akte_anlegen(cursor: psycopg.Cursor[Any], kundennummer: str) -> None:
        """The head row of a never saved Akte (version 0), which plans and history hang on."""
        cursor.execute("INSERT INTO akten (kundennummer) VALUES (%s) ON CONFLICT DO NOTHING", (kundennummer,))

    @staticmethod
    def _historie_schreiben(cursor: psycopg.Cursor[Any], kundennummer: str,
                            eintraege: Sequence[HistorienEintrag]) -> int:
        """Append inside the caller's transaction; returns the newest history row of the Akte."""
        from psycopg.types.json import Jsonb

        cursor.executemany("INSERT INTO historie (kundennummer, zeit, benutzer, aktion, plan_id, alt, neu) "
                           "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                           [(kundennummer, e.zeit, e.benutzer, e.aktion, e.plan_id, Jsonb(e.alt), Jsonb(e.neu))
                            for e in eintraege])
        return cursor.execute("SELECT coalesce(max(nr), 0) FROM historie WHERE kundennummer = %s",
                              (kundennummer,)).fetchone()[0]

    def akte_beiseite(self, kundennummer: str, benutzer: str) -> Path:
        """Refused always: a database has no file to move aside; an unreadable row is corrected by
        the database's administrators (``kopl-tui pruefen`` names it)."""
        raise StoreFehler("akte-beiseite gilt nur für einen Datenordner: in einer Datenbank wird ein unlesbarer "
                          "Datensatz nicht als Datei beiseitegelegt, sondern vom Datenbankbetrieb berichtigt "
                          "(„kopl-tui pruefen“ nennt ihn).")

    def akten_nummern(self) -> list[str]:
        with self._arbeit("Lesen") as verbindung:
            return sorted(z[0] for z in verbindung.execute("SELECT kundennummer FROM akten"))

    # ---- the edit lock ------------------------------------------------------------------------------
    def sperre_lesen(self, kundennummer: str) -> SperrInhaber | None:
        """Who the lock row names (for display); None if there is none."""
        nummer_pruefen(kundennummer)
        with self._arbeit("Lesen") as verbindung:
            zeile = verbindung.execute(f"SELECT {_SPERRE_SPALTEN} FROM sperren WHERE kundennummer = %s",
                                       (kundennummer,)).fetchone()
        return _inhaber(zeile) if zeile else None

    def _sperre_gesperrt(self, verbindung: psycopg.Connection[Any],
                         kundennummer: str) -> tuple[SperrInhaber, bool] | None:
        """Inside a transaction: wait for other lock operations on this Akte, then the holder and
        whether the holder's database session still exists."""
        verbindung.execute("SELECT pg_advisory_xact_lock(%s)", (_schluessel(kundennummer),))
        return self._sperre_zustand(verbindung, kundennummer)

    @staticmethod
    def _sperre_zustand(verbindung: psycopg.Connection[Any], kundennummer: str) -> tuple[SperrInhaber, bool] | None:
        zeile = verbindung.execute(f"SELECT {_SPERRE_SPALTEN}, {_LEBT} FROM sperren s WHERE kundennummer = %s",
                                   (kundennummer,)).fetchone()
        return (_inhaber(zeile[:6]), zeile[6]) if zeile else None

    def sperre_nehmen(self, kundennummer: str, benutzer: str) -> PgSperre | FremdeSperre:
        """Take the Akte's edit lock, or learn who holds it. The lock of a session that has ended
        is taken over and the take-over noted in the Akte's history, in the same transaction."""
        nummer_pruefen(kundennummer)
        with self._arbeit("Sperren") as verbindung:  # the common refusal in one round trip, without waiting
            vorab = self._sperre_zustand(verbindung, kundennummer)
        if vorab is not None and vorab[1]:
            return FremdeSperre(kundennummer, vorab[0])
        neu = SperrInhaber.hier(benutzer)
        with self._transaktion("Sperren") as verbindung, verbindung.cursor() as cursor:
            _ohne_warten_auf_platte(cursor)
            alt = self._sperre_gesperrt(verbindung, kundennummer)
            if alt is not None:
                inhaber, lebt = alt
                if lebt:
                    return FremdeSperre(kundennummer, inhaber)
                self._akte_anlegen(cursor, kundennummer)
                self._historie_schreiben(cursor, kundennummer, [HistorienEintrag(
                    zeit=jetzt(), benutzer=benutzer,
                    aktion=f"Bearbeitungssperre übernommen: Sitzung von {inhaber.beschreibung()} besteht nicht mehr")])
                cursor.execute("DELETE FROM sperren WHERE kundennummer = %s", (kundennummer,))
            cursor.execute(f"INSERT INTO sperren (kundennummer, {_SPERRE_SPALTEN}, backend_pid, backend_start) "
                           f"VALUES (%s, %s, %s, %s, %s, %s, %s, {_MEINE_SITZUNG})",
                           (kundennummer, neu.kennung, neu.benutzer, neu.rechner, neu.pid, neu.prozessstart, neu.seit))
        return PgSperre(self, kundennummer, neu, alt[0] if alt else None)

    def sperre_aufheben(self, kundennummer: str, benutzer: str, erzwingen: bool = False) -> SperrInhaber | None:
        """Support: lift a lock by hand, noted in the history. The lock of a session that is still
        connected is refused (``SperreAktiv``) unless ``erzwingen``: that session then can no longer
        save. Returns the lifted holder, None if there was no lock."""
        nummer_pruefen(kundennummer)
        with self._transaktion("Sperre aufheben") as verbindung, verbindung.cursor() as cursor:
            alt = self._sperre_gesperrt(verbindung, kundennummer)
            if alt is None:
                return None
            inhaber, lebt = alt
            if lebt and not erzwingen:
                raise SperreAktiv(kundennummer, inhaber)
            art = "aufgehoben (erzwungen)" if lebt else "aufgehoben"
            self._akte_anlegen(cursor, kundennummer)
            self._historie_schreiben(cursor, kundennummer, [HistorienEintrag(
                zeit=jetzt(), benutzer=benutzer,
                aktion=f"Bearbeitungssperre {art}: {inhaber.beschreibung()}")])
            cursor.execute("DELETE FROM sperren WHERE kundennummer = %s", (kundennummer,))
        return inhaber

    # ---- the archive index (filed letters) -------------------------------------------------------------
    def ablage_eintragen(self, kundennummer: str, eintrag: AblageEintrag,
                         historie: Sequence[HistorienEintrag] = ()) -> tuple[AblageEintrag, bool]:
        """Index entry and history line of a filed letter, both or neither. A letter already in the
        index (a retry) is returned as it is, with False, and nothing is added."""
        from psycopg.types.json import Jsonb

        nummer_pruefen(kundennummer)
        with self._transaktion("Ablegen") as verbindung, verbindung.cursor() as cursor:
            neu = cursor.execute("INSERT INTO ablage (kundennummer, id, datei, abgelegt_am, daten) "
                                 "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (kundennummer, datei) DO NOTHING RETURNING id",
                                 (kundennummer, eintrag.id, eintrag.datei, eintrag.abgelegt_am,
                                  Jsonb(eintrag.model_dump(mode="json")))).fetchone()
            if neu is None:
                roh = cursor.execute("SELECT daten::text FROM ablage WHERE kundennummer = %s AND datei = %s",
                                     (kundennummer, eintrag.datei)).fetchone()[0]
                with _defekt_wenn_ungueltig(f"ablage/{kundennummer}"):
                    return AblageEintrag.model_validate_json(roh), False
            if historie:
                self._akte_anlegen(cursor, kundennummer)
                self._historie_schreiben(cursor, kundennummer, historie)
        return eintrag, True

    def ablage_austragen(self, kundennummer: str, eintrag_id: str) -> None:
        nummer_pruefen(kundennummer)
        with self._transaktion("Ablegen") as verbindung:
            verbindung.execute("DELETE FROM ablage WHERE kundennummer = %s AND id = %s", (kundennummer, eintrag_id))

    def ablage_dokumente(self, kundennummer: str) -> list[AblageEintrag]:
        """A customer's filed letters, newest first (as kopl_tui/ablage.py lists them)."""
        nummer_pruefen(kundennummer)
        with self._arbeit("Lesen") as verbindung:
            roh = verbindung.execute("SELECT coalesce(json_agg(daten), '[]')::text FROM ablage WHERE kundennummer = %s",
                                     (kundennummer,)).fetchone()[0]
        with _defekt_wenn_ungueltig(f"ablage/{kundennummer}"):
            eintraege = _ABLAGE.validate_json(roh)
        return sorted(eintraege, key=lambda e: (e.abgelegt_am, e.datei), reverse=True)

    # ---- the support sweep ----------------------------------------------------------------------------
    def bestand_lesen(self) -> Iterator[GeleseneAkte]:
        """Every customer and every Akte by Kundennummer, as kopl_tui/bestand.py reads a folder:
        one streamed query (20,000 customers never sit in memory at once), the plans validated
        only in the fields the checks read, a row that does not fit reported in ``fehler``."""
        # a connection of its own: the sweep (a second or two) neither waits for nor blocks the
        # session's saves and locks, and nothing else joins its long read transaction
        with deutsch("Prüfen", self.url), verbinden(self.url) as verbindung, verbindung.transaction(), \
                verbindung.cursor(name="bestand") as cursor:
            cursor.itersize = 500
            cursor.execute(  # without the fields the checks never read (free texts): a fifth of the bytes
                "SELECT n.nr, k.nachname, k.vorname, k.kundennummer IS NOT NULL, "
                "  (SELECT json_agg(p.daten - %s::text[] ORDER BY p.lfd)::text FROM plaene p "
                "   WHERE p.kundennummer = n.nr) "
                "FROM (SELECT kundennummer AS nr FROM kunden UNION SELECT kundennummer FROM akten) n "
                "LEFT JOIN kunden k ON k.kundennummer = n.nr ORDER BY n.nr COLLATE \"C\"", (_NICHT_GEPRUEFT,))
            for nummer, nachname, vorname, im_index, plaene in cursor:
                name = f"{nachname or ''}, {vorname or ''}".strip(", ") if im_index else ""
                try:
                    gelesen = self._plaene_sicht(nummer, plaene)
                except StoreFehler as fehler:
                    yield GeleseneAkte(nummer, name, im_index=im_index, fehler=fehler)
                    continue
                yield GeleseneAkte(nummer, name, gelesen, im_index=im_index)

    def _plaene_sicht(self, kundennummer: str, roh: str | None) -> tuple[Plan, ...]:
        """The fast path of kopl_tui/bestand.py; an Akte it refuses is loaded whole, so the full
        model decides and names the reason (``DatensatzDefekt``)."""
        if roh is None:
            return ()
        try:
            return tuple(_PLAENE_SCHNELL.validate_json(roh))
        except ValidationError:
            return tuple(self.akte_laden(kundennummer).plaene)


def _noch_verbunden(verbindung: psycopg.Connection[Any]) -> bool:
    """Whether an idle connection is still usable. One the server ended meanwhile (a restart, an
    administrator, a network cut) has a readable socket: the server's farewell, then end-of-file.
    Noticed here, before use, the session is simply made anew (and a held edit lock moves to it at
    the next save, ``PgSperre.gesichert``) instead of failing the user's next step."""
    import select

    import psycopg

    if verbindung.closed or verbindung.broken:
        return False
    if verbindung.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        return True  # in use right now: never probed in the middle of a transaction
    for _ in range(10):
        lesbar, _, _ = select.select([verbindung.fileno()], [], [], 0)
        if not lesbar:
            return True
        try:
            verbindung.pgconn.consume_input()
        except psycopg.OperationalError:
            return False
    return verbindung.pgconn.status == psycopg.pq.ConnStatus.OK


def _ohne_warten_auf_platte(verbindung: psycopg.Connection[Any] | psycopg.Cursor[Any]) -> None:
    """Taking and giving back an edit lock commit without waiting for the disk (about half the time
    of opening an Akte on a busy server). Safe: a lock counts only while its holder's database
    session lives, and a server crash, the only way to lose such a commit, ends every session; the
    commit is lost whole (a take-over's history note with its lock), never in part. Saves,
    imports and support's lifting of a lock still wait for the disk."""
    verbindung.execute("SET LOCAL synchronous_commit = off")


def _inhaber(zeile: Sequence[Any]) -> SperrInhaber:
    kennung, benutzer, rechner, pid, prozessstart, seit = zeile
    return SperrInhaber(benutzer=benutzer, rechner=rechner, pid=pid, seit=seit, prozessstart=prozessstart,
                        kennung=kennung)


class PgSperre:
    """The edit lock this session holds; released by ``freigeben``, on ``with`` exit, by
    ``PgStore.schliessen`` and at exit; if the process dies, by the end of its database session."""

    def __init__(self, store: PgStore, kundennummer: str, inhaber: SperrInhaber, uebernommen: SperrInhaber | None):
        self.store, self.kundennummer, self.inhaber = store, kundennummer, inhaber
        self.uebernommen = uebernommen  # the lock of an ended session this one replaced, if any
        self.gehalten = True
        _GEHALTEN[inhaber.kennung] = self

    def _verloren(self) -> None:
        self.gehalten = False
        _GEHALTEN.pop(self.inhaber.kennung, None)

    @contextlib.contextmanager
    def gesichert(self) -> Iterator[None]:
        """Around the final save: one transaction in which the lock row must still carry this
        session's kennung (else ``SperreEntzogen`` saying who holds the Akte now) and which the
        save inside joins, so nobody can take the lock between the check and the write. After a
        reconnect the lock row is moved to the new database session."""
        with self.store._transaktion("Speichern") as verbindung:
            zustand = self.store._sperre_gesperrt(verbindung, self.kundennummer)
            if not self.gehalten or self.inhaber.pid != os.getpid() or zustand is None \
                    or zustand[0].kennung != self.inhaber.kennung:
                self._verloren()
                raise SperreEntzogen.fuer(self.kundennummer, zustand[0] if zustand is not None else None)
            if not zustand[1]:  # this process reconnected since it took the lock, and nobody took it over
                verbindung.execute(f"UPDATE sperren SET (backend_pid, backend_start) = (SELECT {_MEINE_SITZUNG}) "
                                   "WHERE kundennummer = %s", (self.kundennummer,))
            yield

    def freigeben(self) -> None:
        """Delete the lock row if it is still ours (idempotent; support may have lifted it).
        A forked copy of this object in another process never releases the parent's lock."""
        if not self.gehalten or self.inhaber.pid != os.getpid():
            return
        with self.store._transaktion("Sperre freigeben") as verbindung:
            _ohne_warten_auf_platte(verbindung)
            verbindung.execute("SELECT pg_advisory_xact_lock(%s)", (_schluessel(self.kundennummer),))
            verbindung.execute("DELETE FROM sperren WHERE kundennummer = %s AND kennung = %s",
                               (self.kundennummer, self.inhaber.kennung))
        self._verloren()

    def __enter__(self) -> PgSperre:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.freigeben()


_STORES: weakref.WeakSet[PgStore] = weakref.WeakSet()
_GEHALTEN: dict[str, PgSperre] = {}


def alle_freigeben() -> None:
    """Normal exit (also after an exception): give back every lock still held, close the sessions."""
    for store in list(_STORES):
        with contextlib.suppress(Exception):  # a lock left behind is taken over on the next open
            store.schliessen()


atexit.register(alle_freigeben)
os.register_at_fork(after_in_child=_GEHALTEN.clear)
