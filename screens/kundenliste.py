"""Kundenliste (start screen): search as you type, Enter opens the Kundenakte at the overview (§1)."""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.segment import Segment
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Input, Static

from kopl_tui.datum import format_datum
from kopl_tui.fehler import Abgelehnt
from kopl_tui.sitzung import Kundenliste, Kundensuche, KundenZeile
from screens.basis import KoplScreen
from screens.fusszeile import Fusszeile
from screens.tasten import bindings

# Rows shown at once. Each row added costs the DataTable ~0.3 ms (cell measuring, first render), so
# a page larger than a terminal shows would slow every keystroke (README "Kapazität": ≤ 50 ms on 20,000 customers).
SEITE = 50


class Zelle:
    """One cell of the list: a line of plain text, shown as typed (never read as Rich markup, so
    "[b]" stays "[b]"), rendered as a single Segment. A Rich ``Text`` would be wrapped, justified and
    split first: twice the time to draw the list after each keystroke."""

    __slots__ = ("text", "breite")

    def __init__(self, text: str):
        self.text = text if text.isprintable() else "".join(z if z.isprintable() else " " for z in text)
        self.breite = cell_len(self.text)

    def __str__(self) -> str:
        return self.text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> list[Segment]:
        breite = options.max_width
        return [Segment(self.text if self.breite <= breite else set_cell_size(self.text, breite))]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.breite, self.breite)


def _geburtsdatum(iso: str) -> str:
    try:
        return format_datum(date.fromisoformat(iso))
    except (TypeError, ValueError):
        return iso or ""


def zeile_anzeigen(zeile: KundenZeile) -> list[Zelle]:
    return [Zelle(zeile.kundennummer), Zelle(zeile.nachname), Zelle(zeile.vorname),
            Zelle(_geburtsdatum(zeile.geburtsdatum)), Zelle(zeile.ifk)]


class Suchfeld(Input):
    """The search field; Down goes straight into the list (the field itself has no use for it)."""

    BINDINGS = bindings("suchfeld")

    def action_zur_liste(self) -> None:
        self.screen.query_one("#kunden", DataTable).focus()


class KundenTabelle(DataTable):
    BINDINGS = bindings("kundentabelle")


class KundenlisteScreen(KoplScreen[None]):
    CSS_PATH = "kundenliste.tcss"
    ORT = "kundenliste"
    BINDINGS = bindings("kundenliste")

    def __init__(self) -> None:
        super().__init__()
        self._liste = Kundenliste([], [])
        self._suche = Kundensuche(self._liste)
        self._angezeigt: list[KundenZeile] = []
        self._seite: list[int] | None = None  # row numbers of the list shown
        self._gefiltert_nach: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Suchfeld(placeholder="Suche: Name oder Kundennummer (filtert beim Tippen)", id="suche")
        yield Static("", id="treffer")
        yield KundenTabelle(id="kunden", cursor_type="row", zebra_stripes=True)
        yield Fusszeile(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        tabelle = self.query_one("#kunden", DataTable)
        for schluessel, titel in (("kundennummer", "Kundennummer"), ("nachname", "Name"), ("vorname", "Vorname"),
                                  ("geburtsdatum", "Geburtsdatum"), ("ifk", "IFK")):
            tabelle.add_column(titel, key=schluessel)
        self._liste = self.app.kunden()
        self._suche = self.sitzung.kundensuche(self._liste)
        self._filtern("")
        self.query_one("#suche", Input).focus()

    def on_screen_resume(self) -> None:
        """Back from an Akte whose corrected master data were saved: the app has read kunden.json
        anew, the list shows it."""
        liste = self.app.kunden()
        if liste is not self._liste:
            self._liste, self._suche = liste, self.sitzung.kundensuche(liste)
            self._gefiltert_nach = self._seite = None
            self._filtern(self.query_one("#suche", Input).value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "suche":
            self._filtern(event.value)

    def _filtern(self, suche: str) -> None:
        if suche == self._gefiltert_nach:
            return
        self._gefiltert_nach = suche
        treffer = self._suche.treffer(suche)
        seite = list(treffer[:SEITE])
        tabelle = self.query_one("#kunden", DataTable)
        if seite == self._seite:  # e.g. a trailing space: the table need not be drawn again
            tabelle.move_cursor(row=0)
        else:
            self._seite = seite
            self._angezeigt = [self._liste.zeile(nummer) for nummer in seite]
            tabelle.clear()
            tabelle.add_rows(zeile_anzeigen(zeile) for zeile in self._angezeigt)
        if not len(self._liste):
            text = "Keine Kunden im Datenordner. Demo-Daten: kopl-tui demo --data DIR"
        elif len(treffer) > SEITE:
            text = f"{len(treffer):,} Treffer, die ersten {SEITE} werden gezeigt – Suche verfeinern.".replace(",", ".")
        else:
            text = f"{len(treffer)} von {len(self._liste)} Kunden"
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
        zeile = self._angezeigt[min(max(tabelle.cursor_row, 0), len(self._angezeigt) - 1)]
        try:  # the index row is checked when used
            kunde = self.sitzung.kunde_aus_zeile(zeile)
        except Abgelehnt as fehler:
            self.notify(f"Kunde {zeile.kundennummer}: {fehler}", title="Kundenindex", severity="error", timeout=15,
                        markup=False)
            return
        self.app.akte_oeffnen(kunde)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_oeffnen()

    def aktion_moeglich(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "oeffnen":
            return True if self._angezeigt else None
        return True

