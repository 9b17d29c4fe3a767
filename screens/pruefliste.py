"""Prüfliste: support works through the findings of ``kopl-tui pruefen`` one after another.

The sweep over all Akten runs in a worker thread (about a second for 20,000 customers). Enter opens
the finding's Kundenakte at the Kooperationsplan-Übersicht with its plan marked; when the Akte is
closed, only that customer is checked again (from disk: what counts is what was saved), so a fixed
finding drops out and the cursor stands on the next one.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState

from kopl_tui.datum import format_datum
from kopl_tui.fehler import StoreFehler
from screens.basis import KoplScreen
from screens.klartext import zellen
from screens.tasten import bindings

if TYPE_CHECKING:
    from kopl_tui.sitzung import Pruefbefund

SPALTEN = (("kundennummer", "Kundennummer"), ("name", "Name"), ("gueltig_ab", "Plan gültig ab"),
           ("regel", "Regel"), ("meldung", "Meldung"))
STIL = {"ba_statistik_regel": "bold red", "datei_unlesbar": "bold red"}


class BefundTabelle(DataTable):
    BINDINGS = bindings("befundtabelle")


class PrueflisteScreen(KoplScreen[None]):
    CSS_PATH = "pruefliste.tcss"
    ORT = "pruefliste"
    BINDINGS = bindings("pruefliste")

    def __init__(self) -> None:
        super().__init__()
        self.befunde: list[Pruefbefund] | None = None  # None while the sweep runs
        self._geoeffnet: tuple[str, str] | None = None  # (Kundennummer, Name) of the Akte opened from here

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="stand", markup=False)  # names, paths and error messages as they are
        yield BefundTabelle(id="befunde", cursor_type="row", zebra_stripes=True)
        yield Static("", id="meldung", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "Prüfliste"
        tabelle = self.query_one("#befunde", DataTable)
        for schluessel, titel in SPALTEN:
            tabelle.add_column(titel, key=schluessel)
        tabelle.focus()
        self.action_neu_pruefen()

    # ---- loading -----------------------------------------------------------------
    def action_neu_pruefen(self) -> None:
        self.befunde = None
        self.query_one("#befunde", DataTable).loading = True
        self.query_one("#stand", Static).update(f"Prüfe alle Akten (Stichtag {format_datum(self.sitzung.heute)}) …")
        self.query_one("#meldung", Static).update("")
        self._pruefen()

    @work(thread=True, exclusive=True, group="pruefliste", exit_on_error=False)
    def _pruefen(self) -> list[Pruefbefund]:
        return self.sitzung.pruefliste()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "pruefliste":
            return
        if event.state == WorkerState.SUCCESS:
            self.befunde = event.worker.result
            self._fuellen(0)
        elif event.state == WorkerState.ERROR:
            self.query_one("#befunde", DataTable).loading = False
            self.query_one("#stand", Static).update(
                f"Die Prüfung ist fehlgeschlagen: {event.worker.error}. F8 versucht es erneut.")

    def _fuellen(self, zeile: int) -> None:
        """Show ``self.befunde`` with the cursor on ``zeile`` (clamped)."""
        befunde = self.befunde or []
        tabelle = self.query_one("#befunde", DataTable)
        tabelle.loading = False
        tabelle.clear()
        for nummer, b in enumerate(befunde):
            stil = STIL.get(b.regel, "")
            tabelle.add_row(*zellen(b.kundennummer or "Kundenindex", b.name, format_datum(b.gueltig_ab)),
                            Text(b.titel, style=stil), Text(b.meldung), key=str(nummer))
        if befunde:
            tabelle.move_cursor(row=min(zeile, len(befunde) - 1))
        text = self.sitzung.pruefliste_zusammenfassung(befunde)
        if befunde:
            text += " Enter öffnet die Akte des markierten Befunds; nach dem Schließen wird der Kunde neu geprüft."
        self.query_one("#stand", Static).update(text)
        self._meldung_zeigen()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._meldung_zeigen()

    def _meldung_zeigen(self) -> None:
        """The whole message of the marked finding, readable however narrow the terminal is."""
        befund = self.markierter_befund()
        self.query_one("#meldung", Static).update(
            f"{befund.titel}\n{befund.meldung}" if befund else "")

    def markierter_befund(self) -> Pruefbefund | None:
        tabelle = self.query_one("#befunde", DataTable)
        if not self.befunde or tabelle.row_count == 0:
            return None
        return self.befunde[min(max(tabelle.cursor_row, 0), len(self.befunde) - 1)]

    # ---- to the Akte and back ------------------------------------------------------------
    def action_oeffnen(self) -> None:
        befund = self.markierter_befund()
        if befund is None:
            return
        try:
            kunde = self.sitzung.kunde(befund.kundennummer) if befund.kundennummer else None
        except StoreFehler as fehler:
            self.notify(str(fehler), title="Kundenindex", severity="error", timeout=15, markup=False)
            return
        if kunde is None:
            self.notify("Zu diesem Befund gibt es keinen Kunden in der Kundenliste; die Datei muss der "
                        "Betrieb prüfen (siehe Meldung).", severity="warning", timeout=8)
            return
        self._geoeffnet = (befund.kundennummer, befund.name)
        self.app.akte_oeffnen(kunde, plan_id=befund.plan_id or None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """A click on the marked row opens it, like Enter."""
        self.action_oeffnen()

    def akte_geschlossen(self, kundennummer: str) -> None:
        if self._geoeffnet is not None and self._geoeffnet[0] == kundennummer:
            _, name = self._geoeffnet
            self._geoeffnet = None
            self.kunde_neu_pruefen(kundennummer, name)

    def kunde_neu_pruefen(self, kundennummer: str, name: str) -> None:
        """Replace one customer's findings by a fresh check of the saved Akte, in place."""
        if self.befunde is None:
            return
        neu = self.sitzung.kunde_neu_pruefen(kundennummer, name)
        if neu is None:
            return  # still unreadable: its finding stays as it is
        alt = [i for i, b in enumerate(self.befunde) if b.kundennummer == kundennummer]
        if not alt:
            return
        self.befunde[alt[0]:alt[-1] + 1] = neu
        self._fuellen(alt[0])
        behoben = len(alt) - len(neu)
        if behoben > 0:
            self.notify(f"{kundennummer}: {behoben} Befund{'e' if behoben != 1 else ''} behoben, "
                        f"{len(neu)} offen.", title="Neu geprüft")

    def action_schliessen(self) -> None:
        self.dismiss()
