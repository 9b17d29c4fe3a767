"""Live sessions on a data folder: what resetting a training room must not pull away underneath.

Two kinds: an edit lock (``akten/<kundennummer>.sperre``, sperre.py) whose process still runs on
this host, or of another host (whose process cannot be checked from here, so it counts as live);
and a running ``kopl-tui serve`` on the folder, which notes itself in ``<data>/serve-<pid>.sitzung``
while it runs (each browser tab is an app process that takes edit locks like any other).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from kopl_tui.dateien import StoreFehler, atomar_schreiben, entfernen, privater_ordner
from kopl_tui.datenordner import Datenordner
from kopl_tui.sperre import SperrInhaber


def _lebt(inhaber: SperrInhaber) -> bool:
    return not inhaber.verwaist()


@contextlib.contextmanager
def serve_vermerk(data_dir: Path, benutzer: str) -> Iterator[Path]:
    """While the block runs, ``data_dir`` shows that a ``kopl-tui serve`` of this process offers it."""
    inhaber = SperrInhaber.hier(benutzer)
    privater_ordner(Path(data_dir))
    pfad = Datenordner(data_dir).serve_vermerk(inhaber.pid)
    atomar_schreiben(pfad, inhaber.als_json())
    try:
        yield pfad
    finally:
        with contextlib.suppress(StoreFehler):  # a link put there is reported elsewhere, never followed
            entfernen(pfad)


def lebende_serve_vermerke(data_dir: Path) -> dict[Path, SperrInhaber]:
    """The notes of ``kopl-tui serve`` processes still running on ``data_dir``."""
    vermerke = {p: SperrInhaber.aus_datei(p) for p in Datenordner(data_dir).serve_vermerke()}
    return {p: inhaber for p, inhaber in vermerke.items() if inhaber is not None and _lebt(inhaber)}


def lebende_sitzungen(data_dir: Path) -> list[str]:
    """One German line per live session on ``data_dir``: locked Akten first, then serve processes."""
    zeilen = []
    for pfad in Datenordner(data_dir).sperr_dateien():
        inhaber = SperrInhaber.aus_datei(pfad)
        if inhaber is not None and _lebt(inhaber):
            zeilen.append(f"Akte {Datenordner.kundennummer_aus(pfad)} wird bearbeitet von {inhaber.beschreibung()}")
    for inhaber in lebende_serve_vermerke(data_dir).values():
        zeilen.append(f"kopl-tui serve für {inhaber.benutzer} läuft (Prozess {inhaber.pid} auf {inhaber.rechner}, "
                      f"seit {inhaber.zeitpunkt()})")
    return zeilen
