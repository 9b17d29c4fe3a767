"""The PostgreSQL schema, created and migrated by the app itself (``kopl-tui datenbank-anlegen``).

Numbered steps, applied in order, each in its own transaction together with its row in
``schema_version``: a step is there completely or not at all, and running the command again does
nothing (idempotent). Two administrators starting it at once wait for each other (a transaction
advisory lock). A step once released is never changed; a change of the schema is a new step.

What the tables hold mirrors the data folder (kopl_tui/store.py): the customer index, per Akte a
head row with the version the final save checks (§5), the plans as JSONB of the model's own dump
(one row each, so the database is read like the files are), the append-only history, the index of
filed letters (their .docx/.pdf stay in the Ablage folder), and the edit locks. Customers and
Akten are not tied by a foreign key: an Akte without a customer is a finding of ``pruefen``, as in
the folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

SPERR_NAMENSRAUM = 0x6B6F706C  # "kopl": classid of this app's two-key advisory locks
"""Advisory locks of the two-int form (namespace, object); the single-bigint form (one key per
Kundennummer, kopl_tui/pg_store.py) is a key space of its own and never collides with these."""
MIGRATION = 1  # object id of the migration lock in SPERR_NAMENSRAUM


@dataclass(frozen=True)
class Schritt:
    nummer: int
    titel: str
    sql: str


SCHRITTE: tuple[Schritt, ...] = (
    Schritt(1, "Kunden, Akten, Pläne, Historie, Ablage-Index, Bearbeitungssperren", r"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE kunden (
    kundennummer text PRIMARY KEY CHECK (kundennummer ~ '^[0-9]{3}[A-Z][0-9]{6}$'),
    lfd          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,  -- import order, as the folder keeps it
    id           text NOT NULL,
    anrede       text NOT NULL,
    nachname     text NOT NULL,
    vorname      text NOT NULL,
    geburtsdatum date NOT NULL,
    bg_nummer    text NOT NULL,
    ifk          text NOT NULL DEFAULT '',
    strasse      text NOT NULL DEFAULT '',
    plz_ort      text NOT NULL DEFAULT '',
    suchtext     text GENERATED ALWAYS AS (lower(kundennummer || ' ' || nachname || ' ' || vorname)) STORED
);
-- search as you type (kopl_tui/kundensuche.py): every word a substring of the search text
CREATE INDEX kunden_suchtext_trgm ON kunden USING gin (suchtext gin_trgm_ops);

CREATE TABLE akten (
    kundennummer text PRIMARY KEY CHECK (kundennummer ~ '^[0-9A-Z]{10}$'),
    version      integer NOT NULL DEFAULT 0 CHECK (version >= 0),
    geaendert_am timestamptz,
    geaendert_von text NOT NULL DEFAULT ''
);

CREATE TABLE plaene (
    kundennummer text NOT NULL REFERENCES akten,
    id           text NOT NULL,
    lfd          integer NOT NULL,
    daten        jsonb NOT NULL,
    PRIMARY KEY (kundennummer, id)
);

CREATE TABLE historie (
    nr           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kundennummer text NOT NULL REFERENCES akten,
    zeit         timestamptz NOT NULL,
    benutzer     text NOT NULL,
    aktion       text NOT NULL,
    plan_id      text NOT NULL DEFAULT '',
    alt          jsonb NOT NULL DEFAULT '{}',
    neu          jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX historie_akte ON historie (kundennummer, nr);

CREATE FUNCTION historie_nur_anhaengen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Die Historie einer Akte wird nur ergänzt, nie geändert oder gelöscht.'
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER historie_nur_anhaengen BEFORE UPDATE OR DELETE ON historie
    FOR EACH ROW EXECUTE FUNCTION historie_nur_anhaengen();

CREATE TABLE ablage (
    kundennummer text NOT NULL CHECK (kundennummer ~ '^[0-9A-Z]{10}$'),
    id           text NOT NULL,
    datei        text NOT NULL,
    abgelegt_am  timestamptz NOT NULL,
    daten        jsonb NOT NULL,
    PRIMARY KEY (kundennummer, id),
    UNIQUE (kundennummer, datei)
);

CREATE TABLE sperren (
    kundennummer  text PRIMARY KEY CHECK (kundennummer ~ '^[0-9A-Z]{10}$'),
    kennung       text NOT NULL,
    benutzer      text NOT NULL,
    rechner       text NOT NULL,
    pid           integer NOT NULL,
    prozessstart  text,
    seit          timestamptz NOT NULL,
    backend_pid   integer NOT NULL,      -- the holder's database session: the lock lives as long as it
    backend_start timestamptz NOT NULL   -- tells a reused backend pid from the holder's
);
"""),
    Schritt(2, "Anschrift: PLZ und Ort als zwei Felder", r"""
ALTER TABLE kunden ADD COLUMN plz text NOT NULL DEFAULT '', ADD COLUMN ort text NOT NULL DEFAULT '';
-- as model.Kunde reads a former plz_ort: five digits first are the PLZ, everything else the Ort
UPDATE kunden SET plz = substring(plz_ort FROM '^\s*([0-9]{5})(?:\s|$)'),
                  ort = coalesce(btrim(substring(plz_ort FROM '^\s*[0-9]{5}\s+(.*)$')), '')
    WHERE plz_ort ~ '^\s*[0-9]{5}(\s|$)';
UPDATE kunden SET ort = plz_ort WHERE plz_ort <> '' AND plz_ort !~ '^\s*[0-9]{5}(\s|$)';
ALTER TABLE kunden DROP COLUMN plz_ort;
"""),
)

AKTUELL = SCHRITTE[-1].nummer


class SchemaZuNeu(Exception):
    """The database was migrated by a newer program version than this one."""

    def __init__(self, stand: int, bekannt: int):
        self.stand, self.bekannt = stand, bekannt
        super().__init__(f"Die Datenbank hat den Schema-Stand {stand}, dieses Programm kennt nur bis Stand {bekannt}. "
                         "Bitte kopl-tui auf allen Servern aktualisieren; die Datenbank bleibt unverändert.")


def _stand_gesperrt(verbindung: psycopg.Connection[Any]) -> int:
    """The applied step, with the migration lock held (inside a transaction)."""
    verbindung.execute("SELECT pg_advisory_xact_lock(%s, %s)", (SPERR_NAMENSRAUM, MIGRATION))
    verbindung.execute("""CREATE TABLE IF NOT EXISTS schema_version (
        version integer PRIMARY KEY, titel text NOT NULL, angewendet_am timestamptz NOT NULL DEFAULT now())""")
    return verbindung.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def stand(verbindung: psycopg.Connection[Any]) -> int | None:
    """The schema step the database is at; None if it was never set up. Reads only."""
    zeile = verbindung.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not zeile[0]:
        return None
    return verbindung.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrieren(verbindung: psycopg.Connection[Any], schritte: tuple[Schritt, ...] = SCHRITTE) -> tuple[int, int]:
    """Apply every missing step, each in its own transaction; returns (stand before, stand after).
    ``SchemaZuNeu`` if the database is ahead of this program (nothing is changed then)."""
    bekannt = schritte[-1].nummer
    vorher: int | None = None
    for schritt in schritte:
        with verbindung.transaction():
            jetzt = _stand_gesperrt(verbindung)
            vorher = jetzt if vorher is None else vorher
            if jetzt > bekannt:
                raise SchemaZuNeu(jetzt, bekannt)
            if jetzt >= schritt.nummer:
                continue
            verbindung.execute(schritt.sql)
            verbindung.execute("INSERT INTO schema_version (version, titel) VALUES (%s, %s)",
                               (schritt.nummer, schritt.titel))
    return vorher or 0, bekannt
