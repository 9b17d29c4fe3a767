"""Full-screen text editor for one free text of the mask (guide §3.1, the pencil icon).

Leaving it with changes asks whether to keep them ("Speicherabfrage").
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Header, Label, TextArea

from screens.auswahl_dialog import AuswahlDialog
from screens.basis import KoplScreen
from screens.tasten import bindings


class TextEditorScreen(KoplScreen[str | None]):
    """Returns the edited text, or None when nothing is to change."""

    CSS_PATH = "texteditor.tcss"
    ORT = "editor"
    BINDINGS = bindings("editor")

    def __init__(self, titel: str, text: str):
        super().__init__()
        self.titel, self.ursprung = titel, text

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(self.titel, id="editor-titel", markup=False)
        yield TextArea(self.ursprung, id="editor", soft_wrap=True, show_line_numbers=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        editor = self.query_one("#editor", TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    @property
    def text(self) -> str:
        return self.query_one("#editor", TextArea).text

    def action_uebernehmen(self) -> None:
        self.dismiss(self.text if self.text != self.ursprung else None)

    def action_schliessen(self) -> None:
        if self.text == self.ursprung:
            self.dismiss(None)
            return

        def antwort(wahl: str | None) -> None:
            if wahl == "uebernehmen":
                self.dismiss(self.text)
            elif wahl == "verwerfen":
                self.dismiss(None)

        self.app.push_screen(AuswahlDialog(
            "Text-Editor schließen", "Der Text wurde geändert. Sollen die Änderungen übernommen werden?",
            [("uebernehmen", "Änderungen übernehmen"), ("verwerfen", "Änderungen verwerfen"),
             ("zurueck", "Zurück zum Editor")], dialog_id="editor-dialog"), antwort)
