"""Kundenliste (start screen): search as you type, Enter opens the Kundenakte at the overview (§1)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from kopl_tui.datum import format_datum
from kopl_tui.model import Kunde
from screens.tasten import bindings

SEITE = 200  # rows shown at once: DataTable costs ~0.2 ms per row on first layout (research §4)


def suchschluessel(kunde: Kunde) -> str:
    return f"{kunde.kundennummer} {kunde.nachname} {kunde.vorname} {kunde.vorname} {kunde.nachname}".lower()


class Suchfeld(Input):
    """The search field; Down goes straight into the list (the field itself has no use for it)."""

    BINDINGS = bindings("suchfeld")

    def action_zur_liste(self) -> None:
        self.screen.query_one("#kunden", DataTable).focus()


class KundenTabelle(DataTable):
    BINDINGS = bindings("kundentabelle")


class KundenlisteScreen(Screen):
    CSS_PATH = "kundenliste.tcss"
    ORT = "kundenliste"
    BINDINGS = bindings("kundenliste")

    def __init__(self) -> None:
        super().__init__()
        self._index: list[tuple[str, Kunde]] = []
        self._angezeigt: list[Kunde] = []
        self._gefiltert_nach: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Suchfeld(placeholder="Suche: Name oder Kundennummer (filtert beim Tippen)", id="suche")
        yield Static("", id="treffer")
        yield KundenTabelle(id="kunden", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        tabelle = self.query_one("#kunden", DataTable)
        for schluessel, titel in (("kundennummer", "Kundennummer"), ("nachname", "Name"), ("vorname", "Vorname"),
                                  ("geburtsdatum", "Geburtsdatum"), ("ifk", "IFK")):
            tabelle.add_column(titel, key=schluessel)
        self._index = [(suchschluessel(k), k) for k in self.app.kunden()]
        self._filtern("")
        self.query_one("#suche", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "suche":
            self._filtern(event.value)

    def _filtern(self, suche: str) -> None:
        if suche == self._gefiltert_nach:
            return
        self._gefiltert_nach = suche
        woerter = suche.lower().split()
        treffer = [k for schluessel, k in self._index if all(w in schluessel for w in woerter)]
        self._angezeigt = treffer[:SEITE]
        tabelle = self.query_one("#kunden", DataTable)
        tabelle.clear()
        tabelle.add_rows(
            (k.kundennummer, k.nachname, k.vorname, format_datum(k.geburtsdatum), k.ifk) for k in self._angezeigt)
        if not self._index:
            text = "Keine Kunden im Datenordner. Demo-Daten: kopl-tui demo --data DIR"
        elif len(treffer) > SEITE:
            text = f"{len(treffer):,} Treffer, die ersten {SEITE} werden gezeigt – Suche verfeinern.".replace(",", ".")
        else:
            text = f"{len(treffer)} von {len(self._index)} Kunden"
        self.query_one("#treffer", Static).update(text)

    def action_suche(self) -> None:
        self.query_one("#suche", Input).focus()

    def action_oeffnen(self) -> None:
        # Enter may arrive before the last keystroke's Changed message: filter by what is typed now.
        self._filtern(self.query_one("#suche", Input).value)
        tabelle = self.query_one("#kunden", DataTable)
        if not self._angezeigt:
            self.notify("Kein Kunde gefunden.", severity="warning")
            return
        zeile = min(max(tabelle.cursor_row, 0), len(self._angezeigt) - 1)
        self.app.akte_oeffnen(self._angezeigt[zeile])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_oeffnen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "oeffnen":
            return True if self._angezeigt else None
        return True

