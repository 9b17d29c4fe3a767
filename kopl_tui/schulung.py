"""Training rooms (README, "Schulung"): one identical, independent copy of the demo Jobcenter per trainee.

The demo is generated once and copied (``DIR/tn01 … tnNN``), so every trainee starts from the same
bytes, plan ids included. Each copy carries a marker file; the app shows "SCHULUNG" in its header
when it runs on such a folder, and ``--reset`` only ever replaces folders that carry it, so a
mistyped path cannot wipe live data. A reset generates the demo anew with today's date, so the
situations that depend on the day (a Schlichtung running for a week, an overdue review) still hold.
A reset is refused while a trainee folder has a live session (sitzungen.py) unless forced; a session
forced out can no longer save (its edit lock is gone with the old folder, sperre.py).
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from kopl_tui.dateien import StoreFehler, atomar_schreiben, privater_ordner
from kopl_tui.datenordner import SCHULUNG_MARKER as MARKER  # noqa: F401 - the marker's name, for callers
from kopl_tui.datenordner import Datenordner, ist_datenordner, ist_schulung, kurzsperren
from kopl_tui.datum import format_datum


class SchulungFehler(StoreFehler):
    """Training folders cannot be set up as asked (German message); nothing was changed."""


def teilnehmer_ordner(ziel: Path, anzahl: int) -> list[Path]:
    return [Path(ziel) / f"tn{nummer:02d}" for nummer in range(1, anzahl + 1)]


def _pruefen(ziel: Path, ordner: list[Path], reset: bool, erzwingen: bool) -> None:
    """Refuse before anything is written: never inside a live data folder, never over foreign data."""
    if ist_datenordner(ziel):
        raise SchulungFehler(f"{ziel} ist selbst ein Datenordner; bitte einen eigenen Ordner für die Schulung wählen.")
    vorhanden = [o for o in ordner if o.exists()]
    fremd = [o.name for o in vorhanden if not ist_schulung(o)]
    if fremd:
        raise SchulungFehler(f"{', '.join(fremd)} in {ziel} sind keine Schulungsordner (Markierung {MARKER} fehlt) "
                             "und werden nicht überschrieben.")
    if vorhanden and not reset:
        raise SchulungFehler(f"In {ziel} gibt es schon Schulungsordner ({', '.join(o.name for o in vorhanden)}); "
                             "--reset setzt sie auf den Anfangsstand zurück.")
    if vorhanden and not erzwingen:
        _keine_lebenden_sitzungen(vorhanden)


def _keine_lebenden_sitzungen(ordner: list[Path]) -> None:
    from kopl_tui.sitzungen import lebende_sitzungen  # pydantic: kept off the app's start-up path

    belegt = {o.name: lebende_sitzungen(o) for o in ordner}
    belegt = {name: zeilen for name, zeilen in belegt.items() if zeilen}
    if belegt:
        einzeln = "".join(f"\n  {name}: {zeile}" for name, zeilen in belegt.items() for zeile in zeilen)
        raise SchulungFehler(
            f"Zurücksetzen abgelehnt: in {', '.join(belegt)} wird noch gearbeitet.{einzeln}\n"
            "Bitte zuerst die Sitzungen beenden (Akte schließen bzw. Browser-Tab schließen, kopl-tui serve mit "
            "Strg+C beenden). Nur wenn das nicht geht: --erzwingen (ungespeicherte Änderungen dieser Sitzungen "
            "gehen verloren; sie können danach nicht mehr speichern).")


def _vorlage(ordner: Path, heute: date) -> None:
    """The demo Jobcenter once, with the marker, as the source of every copy."""
    from kopl_tui import demo  # pydantic/TinyDB: not on the app's start-up path (README, "Leistung")
    from kopl_tui.store import Store

    demo.schreiben(Store(ordner), demo.demo_jobcenter(heute))
    atomar_schreiben(Datenordner(ordner).schulung_marker, f"Schulungsdaten: fiktives Demo-Jobcenter vom {format_datum(heute)}. "
                                      "Keine echten Fälle eintragen.\n")
    for sperre in kurzsperren(ordner):  # recreated on use
        sperre.unlink()


def _ersetzen(quelle: Path, ziel: Path) -> None:
    """Copy to a hidden sibling first, then swap it in: a trainee's folder is never half written.
    A ``kopl-tui serve`` still running on it (a forced reset) stays noted in the new folder."""
    neu, alt = ziel.with_name(f".{ziel.name}-neu"), ziel.with_name(f".{ziel.name}-alt")
    for rest in (neu, alt):
        shutil.rmtree(rest, ignore_errors=True)
    shutil.copytree(quelle, neu)  # copy2 keeps 0600/0700
    if ziel.exists():
        from kopl_tui.sitzungen import lebende_serve_vermerke

        for vermerk, inhaber in lebende_serve_vermerke(ziel).items():
            atomar_schreiben(neu / vermerk.name, inhaber.als_json())
        ziel.rename(alt)
    neu.rename(ziel)
    shutil.rmtree(alt, ignore_errors=True)


def schulung_anlegen(ziel: Path, anzahl: int, reset: bool = False, heute: date | None = None,
                     erzwingen: bool = False) -> list[Path]:
    """Create (or with ``reset`` restore) ``ziel/tn01 … tnNN``; returns the folders. A reset refuses
    folders with a live session unless ``erzwingen``."""
    ziel = Path(ziel)
    ordner = teilnehmer_ordner(ziel, anzahl)
    _pruefen(ziel, ordner, reset, erzwingen)
    privater_ordner(ziel)
    with tempfile.TemporaryDirectory(prefix=".vorlage-", dir=ziel) as temp:
        vorlage = Path(temp) / "daten"
        _vorlage(vorlage, heute or date.today())
        for teilnehmer in ordner:
            _ersetzen(vorlage, teilnehmer)
    return ordner
