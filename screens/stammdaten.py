"""Stammdaten of the open Kundenakte: correct the address, BG-Nummer and Integrationsfachkraft.

Works like the mask (guide §3): "Übernehmen" applies the input to the Akte, checked, each refusal
at its field; the final save (Strg+S, guide §5) writes it, with old → new in the history. The Akte's
edit lock covers it: an Akte opened read-only shows the data and changes nothing. Everything the
customer record holds is shown as plain text (never read as markup).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Input, Label, Static

from kopl_tui.datum import format_datum
from kopl_tui.fehler import Abgelehnt, NurLesen
from kopl_tui.model import FELDNAMEN, STAMMDATEN_FELDER
from screens.formular import Formular
from screens.fusszeile import Fusszeile
from screens.tasten import bindings

PLATZHALTER = {"strasse": "Straße und Hausnummer", "plz": "12345", "ort": "Ort",
               "bg_nummer": "12345//0001234", "ifk": "Vorname Nachname"}


def _feld(feld: str, mit_fehlerzeile: bool = True) -> Vertical:
    """Label, input and the German error line of one field (the error line id is fehler_<feld>)."""
    teile = [Label(FELDNAMEN[feld], classes="feldname"),
             Input(id=feld, placeholder=PLATZHALTER[feld], compact=True, select_on_focus=False)]
    return Vertical(*teile, *([_fehlerzeile(feld)] if mit_fehlerzeile else []), classes="feld", id=f"feld_{feld}")


def _fehlerzeile(feld: str) -> Static:
    return Static("", id=f"fehler_{feld}", classes="fehler", markup=False)


class StammdatenScreen(Formular):
    CSS_PATH = "stammdaten.tcss"
    ORT = "stammdaten"
    BINDINGS = bindings("stammdaten")
    FRAGE_OFFEN = "Die Stammdaten enthalten Eingaben, die noch nicht übernommen wurden."

    def __init__(self) -> None:
        super().__init__()
        self._sauber: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stammdaten", can_focus=False):  # Tab goes field to field only
            yield Static("", id="kunde", markup=False)
            yield Static("", id="nur_ansicht", markup=False)
            yield Label("Anschrift", classes="abschnitt-titel")
            yield _feld("strasse")
            with Horizontal(id="plz_ort"):  # side by side; their messages below, in full width
                yield _feld("plz", mit_fehlerzeile=False)
                yield _feld("ort", mit_fehlerzeile=False)
            yield _fehlerzeile("plz")
            yield _fehlerzeile("ort")
            yield Label("Zuordnung", classes="abschnitt-titel")
            yield _feld("bg_nummer")
            yield _feld("ifk")
        yield Fusszeile(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._formular_setzen()
        self.query_one("#strasse", Input).focus()

    # ---- display -----------------------------------------------------------------------
    def _formular_setzen(self) -> None:
        """Show the Akte's customer (with applied corrections); errors cleared."""
        kunde = self.akte.kunde
        for feld in STAMMDATEN_FELDER:
            eingabe = self.query_one(f"#{feld}", Input)
            if eingabe.value != (wert := getattr(kunde, feld)):
                eingabe.value = wert
            eingabe.disabled = self.akte.schreibgeschuetzt
            self._zeige_fehler_feld(feld, "")
        self._sauber = self.formularwerte()
        self.aktualisieren()

    def aktualisieren(self) -> None:
        """The customer line and the read-only note (after a save or reload)."""
        if not self.akte_offen:
            return
        kunde = self.akte.kunde
        self.query_one("#kunde", Static).update(
            f"{kunde.name_mit_anrede} · Kundennummer {kunde.kundennummer} · "
            f"geboren am {format_datum(kunde.geburtsdatum)}")
        nur_ansicht = self.query_one("#nur_ansicht", Static)
        nur_ansicht.update(f"Nur Ansicht: {self.akte.grund}".strip() if self.akte.schreibgeschuetzt else "")
        nur_ansicht.display = self.akte.schreibgeschuetzt
        self.title = "Stammdaten ansehen (nur Ansicht)" if self.akte.schreibgeschuetzt else "Stammdaten"

    def formularwerte(self) -> dict[str, str]:
        return {feld: self.query_one(f"#{feld}", Input).value for feld in STAMMDATEN_FELDER}

    def offene_aenderungen(self) -> bool:
        if not self.akte_offen or self.akte.schreibgeschuetzt:
            return False  # nothing typed here can be applied, so nothing is pending
        return bool(self._sauber) and self.formularwerte() != self._sauber

    def aktion_moeglich(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("uebernehmen", "uebernehmen_zurueck", "verwerfen") and self.akte_offen \
                and self.akte.schreibgeschuetzt:
            return None  # read-only Akte: shown dimmed
        return True

    def on_input_changed(self, event: Input.Changed) -> None:
        self._zeige_fehler_feld(event.input.id or "", "")  # the message stays until the field is changed

    # ---- errors at the fields -------------------------------------------------------------
    def _zeige_fehler(self, fehler: dict[str, str]) -> None:
        for feld in STAMMDATEN_FELDER:
            self._zeige_fehler_feld(feld, fehler.get(feld, ""))
        erstes = next((feld for feld in STAMMDATEN_FELDER if feld in fehler), None)
        if erstes is not None:
            self.query_one(f"#{erstes}", Input).focus()
        self.notify("\n".join(fehler.values()), title="Nicht übernommen", severity="error", timeout=8, markup=False)

    # ---- Übernehmen / Verwerfen / Schließen ----------------------------------------------------
    def uebernehmen(self, danach: Callable[[], None] | None = None) -> bool:
        """Apply the input to the Akte; False (and messages at the fields) when refused."""
        try:
            self.sitzung.stammdaten_uebernehmen(self.akte, self.formularwerte())
        except NurLesen as fehler:
            self.notify(str(fehler), title="Nur Ansicht", severity="warning", markup=False)
            return False
        except Abgelehnt as abgelehnt:
            fehler: dict[str, str] = {}
            for feld, meldung in abgelehnt.felder.items():  # a message of the whole record: at the first field
                fehler.setdefault(feld if feld in STAMMDATEN_FELDER else "strasse", meldung)
            self._zeige_fehler(fehler)
            return False
        self._formular_setzen()
        self.notify("Übernommen. Final gespeichert wird mit Strg+S.", title="Übernehmen")
        self.app.aktualisiere_kopf()
        if danach:
            danach()
        return True

    def action_verwerfen(self) -> None:
        self._formular_setzen()
        self.notify("Eingaben verworfen.")

    # ---- hooks for the app -------------------------------------------------------------------
    def neu_geladen(self) -> bool:
        """The Akte was reloaded (version conflict, lost lock): show the stored customer."""
        self._formular_setzen()
        return True
