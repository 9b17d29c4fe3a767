"""Fallübersicht Fallmanagement (guide §5, the "green i"): only the current Kooperationsplan, with
the X-Sozial statistics field numbers; never the Aufforderung or the Schlichtung."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Static

from kopl_tui.datum import format_datum
from screens.tasten import bindings

SPALTEN = ("Status Kooperationsplan", "Kooperationsplan gültig ab (17.6)", "gültig bis (17.7)",
           "Tag der Aufforderung:", "Beginn Schlichtungsverfahren")


class FalluebersichtScreen(Screen):
    CSS_PATH = "falluebersicht.tcss"
    ORT = "falluebersicht"
    BINDINGS = bindings("falluebersicht")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Fallübersicht Fallmanagement", classes="abschnitt-titel")
        yield Label("Eingliederungsvereinbarung", id="ueberschrift")
        yield DataTable(id="aktuell", cursor_type="none", show_cursor=False)
        yield Static("", id="hinweis")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "Fallübersicht"
        tabelle = self.query_one("#aktuell", DataTable)
        tabelle.add_columns(*SPALTEN)
        self.aktualisieren()

    def aktualisieren(self) -> None:
        akte = self.app.akte
        if akte is None:
            return
        tabelle = self.query_one("#aktuell", DataTable)
        tabelle.clear()
        plan = akte.aktueller_plan(self.app.heute)
        hinweis = self.query_one("#hinweis", Static)
        if plan is None:
            hinweis.update(f"Am {format_datum(self.app.heute)} gilt kein Kooperationsplan.")
            return
        tabelle.add_row(plan.status.value if plan.status else "", format_datum(plan.gueltig_ab),
                        plan.gueltig_bis_text().lower(), "-", "-")
        faellig = plan.ueberpruefung_faellig_am
        text = f"Stand: {format_datum(self.app.heute)}. Nächste Überprüfung spätestens am {format_datum(faellig)}"
        if plan.ueberpruefung_ueberfaellig(self.app.heute):
            text += " – ÜBERFÄLLIG"
        if akte.ungespeichert:
            text += "\nHinweis: die Akte enthält noch nicht gespeicherte Änderungen (Strg+S)."
        hinweis.update(text + ".")

    def action_schliessen(self) -> None:
        self.dismiss()
