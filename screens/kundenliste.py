"""Kundenliste (start screen): search as you type, Enter opens the Kundenakte at the overview (§1)."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.widgets import Header, Input, Static

from kopl_tui.datum import format_datum
from kopl_tui.fehler import Abgelehnt
from kopl_tui.sitzung import Kundenliste, Kundensuche, KundenZeile
from screens.basis import KoplScreen
from screens.fusszeile import Fusszeile
from screens.kundentabelle import KundenTabelle
from screens.tasten import bindings

SPALTEN = ("Kundennummer", "Name", "Vorname", "Geburtsdatum", "IFK")


def _geburtsdatum(iso: str) -> str:
    try:
        return format_datum(date.fromisoformat(iso))
    except (TypeError, ValueError):
        return iso or ""


def zeile_anzeigen(zeile: KundenZeile) -> tuple[str, ...]:
    return zeile.kundennummer, zeile.nachname, zeile.vorname, _geburtsdatum(zeile.geburtsdatum), zeile.ifk


class Suchfeld(Input):
    """The search field; Down goes straight into the list (the field itself has no use for it)."""

    BINDINGS = bindings("suchfeld")

    def action_zur_liste(self) -> None:
        self.screen.query_one("#kunden", KundenTabelle).focus()


class KundenlisteScreen(KoplScreen[None]):
    CSS_PATH = "kundenliste.tcss"
    ORT = "kundenliste"
    BINDINGS = bindings("kundenliste")

    def __init__(self) -> None:
        super().__init__()
        self._liste = Kundenliste([], [])
        self._suche = Kundensuche(self._liste)
        self._treffer: range | list[int] | None = None  # row numbers of the list shown
        self._gefiltert_nach: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Suchfeld(placeholder="Suche: Name oder Kundennummer (filtert beim Tippen)", id="suche")
        yield Static("", id="treffer")
        yield KundenTabelle(SPALTEN, id="kunden")
        yield Fusszeile(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
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
            self._gefiltert_nach = self._treffer = None
            self._filtern(self.query_one("#suche", Input).value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "suche":
            self._filtern(event.value)

    def _filtern(self, suche: str) -> None:
        if suche == self._gefiltert_nach:
            return
        self._gefiltert_nach = suche
        treffer = self._suche.treffer(suche)
        tabelle = self.query_one("#kunden", KundenTabelle)
        if treffer == self._treffer:  # e.g. a trailing space: the table need not be drawn again
            tabelle.cursor_zeile = 0
        else:
            self._treffer = treffer
            liste = self._liste
            tabelle.zeigen(len(treffer), lambda nummer: zeile_anzeigen(liste.zeile(treffer[nummer])))
        if not len(self._liste):
            text = "Keine Kunden im Datenordner. Demo-Daten: kopl-tui demo --data DIR"
        else:
            text = f"{len(treffer):,} von {len(self._liste):,} Kunden".replace(",", ".")
        # One line whatever it says (kundenliste.tcss): no layout pass over the screen per keystroke.
        self.query_one("#treffer", Static).update(text, layout=False)

    def action_suche(self) -> None:
        self.query_one("#suche", Input).focus()

    def action_oeffnen(self) -> None:
        # Enter may arrive before the last keystroke's Changed message: filter by what is typed now.
        self._filtern(self.query_one("#suche", Input).value)
        tabelle = self.query_one("#kunden", KundenTabelle)
        if not self._treffer:
            self.notify("Kein Kunde gefunden.", severity="warning")
            return
        zeile = self._liste.zeile(self._treffer[min(max(tabelle.cursor_zeile, 0), len(self._treffer) - 1)])
        try:  # the index row is checked when used
            kunde = self.sitzung.kunde_aus_zeile(zeile)
        except Abgelehnt as fehler:
            self.notify(f"Kunde {zeile.kundennummer}: {fehler}", title="Kundenindex", severity="error", timeout=15,
                        markup=False)
            return
        self.app.akte_oeffnen(kunde)

    def on_kunden_tabelle_gewaehlt(self, event: KundenTabelle.Gewaehlt) -> None:
        self.action_oeffnen()

    def aktion_moeglich(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "oeffnen":
            return True if self._treffer else None
        return True

