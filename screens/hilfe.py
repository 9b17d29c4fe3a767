"""F1 Hilfe: every key of the current screen and of the whole app, from the one keymap."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label

from kopl_tui.keymap import ORTE, anzeige, hilfe_tasten
from screens.basis import KoplModal
from screens.klartext import zellen
from screens.tasten import bindings


class HilfeScreen(KoplModal[None]):
    CSS_PATH = "hilfe.tcss"
    ORT = "hilfe"
    BINDINGS = bindings("hilfe")

    def __init__(self, ort: str):
        super().__init__()
        self.ort = ort

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="rahmen"):
            yield Label(f"Hilfe – {ORTE.get(self.ort, 'Tasten')}", id="titel")
            yield DataTable(id="tasten", cursor_type="row", show_cursor=False)
            yield Label("Esc oder F1 schließt die Hilfe. Hilfe gibt es auch in der Befehlspalette (Strg+P).")

    def on_mount(self) -> None:
        tabelle = self.query_one("#tasten", DataTable)
        tabelle.add_columns("Taste", "Aktion", "Bedeutung")
        for taste in hilfe_tasten(self.ort):
            tabelle.add_row(*zellen(anzeige(taste), taste.text, taste.hilfe))  # „[fehlt: …]“ stays
        tabelle.focus()

    def action_schliessen(self) -> None:
        self.dismiss()
