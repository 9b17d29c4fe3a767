"""F1 Hilfe: every key of the current screen and of the whole app, from the one keymap."""

from __future__ import annotations

from rich.cells import cell_len
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
        """The meaning column takes the width that is left and wraps, so that at 80×24 every
        explanation is whole (a cut "Markierten Plan in der Maske ö" helps nobody)."""
        tasten = hilfe_tasten(self.ort)
        tabelle = self.query_one("#tasten", DataTable)
        breite_taste = max(cell_len("Taste"), *(cell_len(anzeige(taste)) for taste in tasten))
        breite_aktion = max(cell_len("Aktion"), *(cell_len(taste.text) for taste in tasten))
        # the frame (95 % of the terminal) less border, padding, both scroll bars' room and each
        # column's cell padding
        rest = self.app.size.width * 95 // 100 - 2 - 2 - 4 - 3 * 2 - breite_taste - breite_aktion
        tabelle.add_column("Taste", width=breite_taste)
        tabelle.add_column("Aktion", width=breite_aktion)
        tabelle.add_column("Bedeutung", width=max(20, rest))
        for taste in tasten:
            tabelle.add_row(*zellen(anzeige(taste), taste.text, taste.hilfe), height=None)  # „[fehlt: …]“ stays
        tabelle.focus()

    def action_schliessen(self) -> None:
        self.dismiss()
