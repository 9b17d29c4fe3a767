"""Fallübersicht Fallmanagement (guide §5, the "green i"): only the current Kooperationsplan, with
the X-Sozial statistics field numbers; never the Aufforderung or the Schlichtung."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Label, Static

from kopl_tui.datum import format_datum
from screens.basis import KoplScreen
from screens.fusszeile import Fusszeile
from screens.spalten import STATUS_BREITE, Spalte, spalten_setzen
from screens.tasten import bindings

# The guide's §5 table with the X-Sozial field numbers, two header lines each (80×24).
SPALTEN = (Spalte("status", "Status\nKooperationsplan", STATUS_BREITE),
           Spalte("gueltig_ab", "Kooperationsplan\ngültig ab (17.6)"), Spalte("gueltig_bis", "gültig bis\n(17.7)"),
           Spalte("tag_der_aufforderung", "Tag der Auf-\nforderung:"),
           Spalte("schlichtung_beginn", "Beginn Schlich-\ntungsverfahren"))


class FalluebersichtScreen(KoplScreen[None]):
    CSS_PATH = "falluebersicht.tcss"
    ORT = "falluebersicht"
    BINDINGS = bindings("falluebersicht")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Fallübersicht Fallmanagement", classes="abschnitt-titel")
        yield Label("Eingliederungsvereinbarung", id="ueberschrift")
        yield DataTable(id="aktuell", cursor_type="none", show_cursor=False, cell_padding=0)
        yield Static("", id="hinweis")
        yield Fusszeile(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "Fallübersicht"
        tabelle = self.query_one("#aktuell", DataTable)
        spalten_setzen(tabelle, SPALTEN)
        self.aktualisieren()

    def aktualisieren(self) -> None:
        if not self.akte_offen:
            return
        akte = self.akte
        tabelle = self.query_one("#aktuell", DataTable)
        tabelle.clear()
        plan = akte.aktueller_plan(self.sitzung.heute)
        hinweis = self.query_one("#hinweis", Static)
        if plan is None:
            hinweis.update(f"Am {format_datum(self.sitzung.heute)} gilt kein Kooperationsplan.")
            return
        tabelle.add_row(plan.status.value if plan.status else "", format_datum(plan.gueltig_ab),
                        plan.gueltig_bis_text().lower(), "-", "-")
        faellig = plan.ueberpruefung_faellig_am
        text = f"Stand: {format_datum(self.sitzung.heute)}. Nächste Überprüfung spätestens am {format_datum(faellig)}"
        if plan.ueberpruefung_ueberfaellig(self.sitzung.heute):
            text += " – ÜBERFÄLLIG"
        if akte.ungespeichert:
            text += "\nHinweis: die Akte enthält noch nicht gespeicherte Änderungen (Strg+S)."
        hinweis.update(text + ".")

    def neu_geladen(self) -> bool:
        return True

    def action_schliessen(self) -> None:
        self.dismiss()
