"""The store interface: exactly the operations the app, the command line, the Kundenakte and the
Ablage ask of a data store, with the promises each backend keeps.

``kopl_tui.store.Store`` (the data folder, TinyDB files, layout in kopl_tui/datenordner.py) is the
default implementation; a second backend (e.g. PostgreSQL for several application servers)
implements the same protocol and is then interchangeable everywhere a ``Speicher`` is expected.
Everything raised is a German ``StoreFehler`` (or a subclass: ``DateiDefekt`` for stored content
that does not fit the model, ``VersionKonflikt``/``StammdatenKonflikt``, ``SperreAktiv``), never a
library's exception.

Promises every implementation keeps (the tests of the folder store check them):

- Final save (``akte_speichern``, guide §5) is all or nothing: the version check, the plans, the
  history entries (and corrected master data, if given) commit together or not at all; a crash at
  any moment leaves the old or the new state, never a mix, and never a history entry without its
  change.
- The edit lock (``sperre_nehmen``) admits one editor per Akte; it cannot outlive its session
  (a dead holder's lock is taken over, with a history entry); the holder checks it is still its
  own around the final save (``Bearbeitungssperre.gesichert``).
- History is append-only; entries are never changed or removed.
- Readers never block on writers and never see half a write.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # types only: this module is imported by the Kundenakte and must stay light
    from kopl_tui.bestand import GeleseneAkte
    from kopl_tui.kundenindex import Kundenliste
    from kopl_tui.model import AblageEintrag, HistorienEintrag, Kooperationsplan, Kunde
    from kopl_tui.sperre import FremdeSperre, SperrInhaber
    from kopl_tui.store import AkteStand, StammdatenAenderung


class Bearbeitungssperre(Protocol):
    """An edit lock this session holds (``Speicher.sperre_nehmen``)."""

    inhaber: SperrInhaber
    uebernommen: SperrInhaber | None
    """The lock of an ended session this one replaced, if any."""

    def gesichert(self) -> AbstractContextManager[None]:
        """Held around the final save: raises ``sperre.SperreEntzogen`` (nothing written) unless the
        lock is still this session's; nobody can take it between the check and the write."""

    def freigeben(self) -> None:
        """Give the lock back if it is still ours (idempotent); also at exit."""


@runtime_checkable
class Speicher(Protocol):
    """One data set (customers, Akten with history, edit locks, the archive's index)."""

    ablage_dir: Path
    """Where the filed letters' files lie (``<data>/ablage`` for the folder store)."""

    # ---- set-up --------------------------------------------------------------------------------
    def anlegen(self) -> Speicher:
        """Make the store usable (create folders; a database must exist already). Returns itself."""

    def ist_leer(self) -> bool:
        """No customer index yet (``demo --wenn-leer``)."""

    def leeren(self) -> None:
        """Remove this app's data and nothing else (``demo --reset``)."""

    def aufraeumen(self) -> list[Path]:
        """Start-up: remove what killed processes left (temp files, drafts never filed) without
        touching the work of sessions running now. Returns what was removed."""

    # ---- customers -------------------------------------------------------------------------------
    def kunden(self) -> list[Kunde]:
        """Every customer, validated, in the order first written."""

    def kunde(self, kundennummer: str) -> Kunde | None:
        ...

    def kunden_zu(self, kundennummern: set[str]) -> dict[str, Kunde]:
        """The stored customers with these numbers; only they are validated (an import must not
        fail on another record)."""

    def kunden_schreiben(self, kunden: list[Kunde]) -> None:
        """Insert or update by Kundennummer (the internal id stays), all in one write."""

    def kunden_importieren(self, neu: list[Kunde], aenderungen: list[StammdatenAenderung]) -> list[str]:
        """An import, all or nothing: new customers, changed fields each with its history entry;
        ``StammdatenKonflikt`` (nothing written) when meanwhile a number was taken or a field
        changed. Returns the customers whose history entry is settled at their next opening."""

    def kundenliste(self) -> Kundenliste:
        """The customer list's rows (plain strings, sorted by Nachname, Vorname), fast: the start
        screen shows 20,000 customers from it without validating each."""

    # ---- Kundenakte --------------------------------------------------------------------------------
    def akte_laden(self, kundennummer: str) -> AkteStand:
        """The Akte as committed (version 0 and no plans if it was never saved)."""

    def historie(self, kundennummer: str) -> list[HistorienEintrag]:
        """The committed audit trail as it is now, oldest first."""

    def akte_speichern(self, kundennummer: str, plaene: list[Kooperationsplan], erwartete_version: int,
                       benutzer: str, historie: Sequence[HistorienEintrag] = (),
                       stammdaten: StammdatenAenderung | None = None) -> AkteStand:
        """Final save (§5): all plans at once with the history entries, only if nobody saved since
        ``erwartete_version`` (``VersionKonflikt`` otherwise), and with ``stammdaten`` the customer's
        corrected master data, only if those fields were not changed meanwhile. Atomic."""

    def stammdaten_nachtragen(self, kundennummer: str, wartezeit: float | None = None) -> None:
        """Settle master data a save or import cut off left half way (nothing to do otherwise);
        ``wartezeit`` 0: busy right now is a ``StoreFehler`` at once."""

    def historie_anhaengen(self, kundennummer: str, eintraege: list[HistorienEintrag]) -> None:
        """Audit entries that are no Akte change (a letter, a lock take-over); the version stays."""

    def akten_nummern(self) -> list[str]:
        """Every Kundennummer that has an Akte, sorted."""

    def akte_beiseite(self, kundennummer: str, benutzer: str) -> Path:
        """Support (``kopl-tui akte-beiseite``): move an unreadable Akte aside so the customer can be
        worked on again, noted in the new history; a readable Akte is refused. A backend without
        files may refuse always, with a German ``StoreFehler``."""

    # ---- the edit lock ----------------------------------------------------------------------------------
    def sperre_lesen(self, kundennummer: str) -> SperrInhaber | None:
        """Who holds the Akte's edit lock now (for display); None if nobody."""

    def sperre_nehmen(self, kundennummer: str, benutzer: str) -> Bearbeitungssperre | FremdeSperre:
        """Take the edit lock, or learn who holds it ("Akte wird bearbeitet von …"). A dead holder's
        lock is taken over, with a history entry."""

    def sperre_aufheben(self, kundennummer: str, benutzer: str, erzwingen: bool = False) -> SperrInhaber | None:
        """Support: lift a lock by hand, noted in the history; a live holder's only with
        ``erzwingen`` (``SperreAktiv`` otherwise). Returns the lifted holder, None if none."""

    # ---- the archive's index ------------------------------------------------------------------------------
    def ablage_eintragen(self, kundennummer: str, eintrag: AblageEintrag,
                         historie: Sequence[HistorienEintrag] = ()) -> tuple[AblageEintrag, bool]:
        """Index entry and history lines of a filed letter, both or neither. A letter already in
        the index (a retry) is returned as it is, with False, and nothing is added."""

    def ablage_austragen(self, kundennummer: str, eintrag_id: str) -> None:
        ...

    def ablage_dokumente(self, kundennummer: str) -> list[AblageEintrag]:
        """A customer's filed letters, newest first."""

    # ---- the support sweep ----------------------------------------------------------------------------------
    def bestand_lesen(self) -> Iterator[GeleseneAkte]:
        """Every customer and every Akte by Kundennummer, read-only, fast (20,000 in about a
        second), never stopping at a defect (it is the entry's ``fehler``). Feeds ``pruefen``,
        the Prüfliste and ``statistik``."""
