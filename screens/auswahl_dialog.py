"""One dialog shape for every question the guide asks (§4 Sicherheitsabfrage, quitting, BA-rule fix).

Keys: the digit of an answer, or Tab/arrows and Enter; Esc closes without a decision (None).
Notifications show at the top while a dialog is open, so they never cover its buttons (80×24).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Label, Static

from kopl_tui.keymap import tasten_fuer
from screens.tasten import bindings
from screens.basis import KoplModal

Wahl = tuple[str, str]  # (result value, German button label)

VERWERFEN_WAHL: list[Wahl] = [("uebernehmen", "Änderungen übernehmen"), ("verwerfen", "Änderungen verwerfen"),
                              ("zurueck", "Zurück zur Maske")]
BEENDEN_WAHL: list[Wahl] = [("speichern", "Speichern"), ("verwerfen", "Verwerfen"), ("abbrechen", "Abbrechen")]
JA_NEIN_WAHL: list[Wahl] = [("ja", "Ja"), ("nein", "Nein")]
OK_WAHL: list[Wahl] = [("ok", "OK")]

_ZIFFERN = next(t for t in tasten_fuer("dialog") if t.id == "d_wahl").tasten.split(",")


class AuswahlDialog(KoplModal[str | None]):
    CSS_PATH = "auswahl_dialog.tcss"
    ORT = "dialog"
    # The digit of an answer picks it (hidden: the buttons show the digits); the dialog's other keys
    # from the keymap (the arrows move between the buttons).
    BINDINGS = [
        *(Binding(ziffer, f"nummer({nummer})", show=False) for nummer, ziffer in enumerate(_ZIFFERN, start=1)),
        *(binding for binding in bindings("dialog") if binding.id != "d_wahl"),
    ]

    def __init__(self, titel: str, frage: str, wahl: list[Wahl], standard: int = 0, dialog_id: str = "dialog"):
        super().__init__(id=dialog_id)
        self.titel, self.frage, self.wahl, self.standard = titel, frage, wahl, standard

    def compose(self) -> ComposeResult:
        with Vertical(id="rahmen"):
            # Questions name customers, files and messages quoting input: shown as typed (screens.klartext).
            yield Label(self.titel, id="titel", markup=False)
            yield Static(self.frage, id="frage", markup=False)
            with Vertical(id="knoepfe"):
                for nummer, (wert, text) in enumerate(self.wahl, start=1):  # the preselected one stands out
                    yield Button(Content(f"{nummer} {text}"), id=f"wahl-{wert}", compact=True,
                                 variant="primary" if nummer - 1 == self.standard else "default")

    def on_mount(self) -> None:
        self.query_one(f"#wahl-{self.wahl[self.standard][0]}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id.removeprefix("wahl-") if event.button.id else None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "nummer":
            return isinstance(parameters[0], int) and 1 <= parameters[0] <= len(self.wahl)
        return True

    def action_nummer(self, nummer: int) -> None:
        self.dismiss(self.wahl[nummer - 1][0])

    def action_waehlen(self, wert: str) -> None:
        self.dismiss(wert)

    def action_abbrechen(self) -> None:
        self.dismiss(None)

