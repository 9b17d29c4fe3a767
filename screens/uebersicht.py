"""Kooperationsplan-Übersicht of the open Kundenakte (guide §1, §2, §4).

Newest first, "Unbegrenzt" spelled out; rows breaking the BA-statistics rule are highlighted with
the reason; Löschen only marks a row until Übernehmen, Verwerfen restores it.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from kopl_tui.akte import Kundenakte
from kopl_tui.datum import format_datum
from kopl_tui.model import Kooperationsplan
from kopl_tui.regeln import BA_REGEL_GRUND
from screens.auswahl_dialog import VERWERFEN_WAHL, AuswahlDialog
from screens.fusszeile import Fusszeile
from screens.tasten import bindings

SPALTEN = (("status", "Status Kooperationsplan"), ("gueltig_ab", "Kooperationsplan gültig ab"),
           ("gueltig_bis", "gültig bis"), ("tag_der_aufforderung", "Tag der Aufforderung:"),
           ("schlichtung_beginn", "Beginn Schlichtungsverfahren"), ("hinweis", "Hinweis"))


class PlanTabelle(DataTable):
    BINDINGS = bindings("plantabelle")


class UebersichtScreen(Screen):
    CSS_PATH = "uebersicht.tcss"
    ORT = "uebersicht"
    BINDINGS = bindings("uebersicht")

    def __init__(self) -> None:
        super().__init__()
        self._start_plan: str | None = None

    def beginnen_bei(self, plan_id: str | None) -> None:
        """The row the cursor starts on when the screen is shown next (the Prüfliste opens an Akte at
        a finding's plan). The screen is built once and refilled for each Akte (issue 6)."""
        self._start_plan = plan_id

    @property
    def akte(self) -> Kundenakte:
        assert self.app.akte is not None
        return self.app.akte

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="kunde")
        yield PlanTabelle(id="plaene", cursor_type="row", zebra_stripes=True)
        yield Static("", id="zeilen_hinweis")
        yield Static("", id="ba_hinweis")
        yield Fusszeile(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        tabelle = self.query_one("#plaene", DataTable)
        for schluessel, titel in SPALTEN:
            tabelle.add_column(titel, key=schluessel)
        tabelle.focus()

    def on_screen_resume(self) -> None:
        """Also right after the first mount: the table is filled once per showing (issue 6)."""
        self.aktualisieren()

    # ---- display ---------------------------------------------------------------
    def aktualisieren(self) -> None:
        if self.app.akte is None:
            return
        kunde = self.akte.kunde
        anrede = "" if kunde.anrede.value == "ohne Anrede" else f"{kunde.anrede.value} "
        self.query_one("#kunde", Static).update(Text(  # names as typed, never read as markup
            f"{anrede}{kunde.vorname} {kunde.nachname} · {kunde.kundennummer} · BG {kunde.bg_nummer} · IFK {kunde.ifk}"))
        tabelle = self.query_one("#plaene", DataTable)
        markiert, self._start_plan = self._start_plan or self._markierte_id(), None
        verstoesse = {p.id for p in self.akte.ba_verstoesse()}
        tabelle.clear()
        for plan in self.akte.plaene:
            tabelle.add_row(*self._zeile(plan, plan.id in verstoesse), key=plan.id)
        if markiert is not None and markiert in tabelle.rows:
            tabelle.move_cursor(row=tabelle.get_row_index(markiert))
        hinweis = self.query_one("#ba_hinweis", Static)
        hinweis.update(f"⚠ {BA_REGEL_GRUND} Betroffene Zeilen sind rot markiert; bitte beim älteren Plan "
                       "„gültig bis“ setzen." if verstoesse else
                       ("Keine Kooperationspläne vorhanden – mit n einen neuen anlegen." if not self.akte.plaene
                        else ""))
        hinweis.set_class(bool(verstoesse), "verstoss")
        self.app.aktualisiere_kopf()

    def _zeile(self, plan: Kooperationsplan, verstoss: bool) -> list[Text]:
        werte = [plan.status.value if plan.status else "", format_datum(plan.gueltig_ab), plan.gueltig_bis_text(),
                 format_datum(plan.tag_der_aufforderung), format_datum(plan.schlichtung_beginn)]
        stil, hinweis = "", ""
        if self.akte.ist_loeschmarkiert(plan.id):
            stil, hinweis = "strike dim", "gelöscht (Übernehmen F2 / Verwerfen F4)"
        elif verstoss:
            stil, hinweis = "bold red", "BA-Regel: mehr als ein unbegrenzter Plan"
        elif plan.ueberpruefung_ueberfaellig(self.app.heute):
            stil = "yellow"
            hinweis = f"Überprüfung fällig seit {format_datum(plan.ueberpruefung_faellig_am)}"
        return [Text(wert, style=stil) for wert in werte] + [Text(hinweis, style="italic " + stil)]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The Hinweis of the marked row, readable also where the table is wider than the terminal."""
        hinweis = str(event.data_table.get_row(event.row_key)[-1]) if event.row_key is not None else ""
        self.query_one("#zeilen_hinweis", Static).update(f"Markierte Zeile: {hinweis}" if hinweis else "")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """A click on the marked row (the guide's double click) opens it."""
        self.action_bearbeiten()

    def _markierte_id(self) -> str | None:
        tabelle = self.query_one("#plaene", DataTable)
        if tabelle.row_count == 0:
            return None
        return tabelle.coordinate_to_cell_key((tabelle.cursor_row, 0)).row_key.value

    # ---- actions -------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.app.akte is None:
            return True
        if self.akte.schreibgeschuetzt and action in ("neu", "loeschen"):
            return None  # read-only (someone else edits it): shown dimmed
        if action in ("bearbeiten", "loeschen"):
            return True if self.akte.plaene else None
        if action in ("uebernehmen", "uebernehmen_schliessen", "verwerfen"):
            return self.akte.hat_loeschmarken  # shown only while rows are marked (room in an 80-column footer)
        return True

    def action_neu(self) -> None:
        from screens.maske import MaskeScreen

        self.app.push_screen(MaskeScreen(self.akte.neuer_plan(), neu=True))

    def action_bearbeiten(self) -> None:
        from screens.maske import MaskeScreen

        plan_id = self._markierte_id()
        if plan_id is None:
            return
        if self.akte.ist_loeschmarkiert(plan_id):
            self.notify("Dieser Plan ist zum Löschen markiert (F4 Verwerfen hebt das auf).", severity="warning")
            return
        self.app.push_screen(MaskeScreen(self.akte.plan(plan_id)))

    def action_historie(self) -> None:
        from screens.historie import HistorieScreen

        self.app.push_screen(HistorieScreen())

    def action_loeschen(self) -> None:
        plan_id = self._markierte_id()
        if plan_id is None:
            return
        if self.akte.ist_loeschmarkiert(plan_id):
            self.notify("Schon zum Löschen markiert: F2 Übernehmen oder F4 Verwerfen.")
            return
        self.akte.loeschen_markieren(plan_id)
        self.aktualisieren()
        self.refresh_bindings()

    def action_uebernehmen(self) -> None:
        self.akte.loeschmarken_uebernehmen()
        self.aktualisieren()

    def action_uebernehmen_schliessen(self) -> None:
        self.action_uebernehmen()
        self.app.akte_schliessen()

    def action_verwerfen(self) -> None:
        self.akte.loeschmarken_verwerfen()
        self.aktualisieren()

    def action_schliessen(self) -> None:
        """§4: closing with marked rows asks first (the guide's three choices)."""
        if not self.akte.hat_loeschmarken:
            self.app.akte_schliessen()
            return

        def antwort(wahl: str | None) -> None:
            if wahl == "uebernehmen":
                self.action_uebernehmen_schliessen()
            elif wahl == "verwerfen":
                self.akte.loeschmarken_verwerfen()
                self.aktualisieren()
                self.app.akte_schliessen()

        self.app.push_screen(AuswahlDialog(
            "Sicherheitsabfrage", "Es gibt Änderungen, die noch nicht übernommen wurden "
            "(zum Löschen markierte Kooperationspläne).", VERWERFEN_WAHL, dialog_id="verwerfen-dialog"), antwort)

    # ---- hooks for the app (final save, quitting) --------------------------------------
    def offene_aenderungen(self) -> bool:
        return self.app.akte is not None and self.akte.hat_loeschmarken

    def offenes_uebernehmen(self, weiter: Callable[[], None]) -> None:
        """Before the final save: marked rows are deleted (the user asked for both)."""
        if self.app.akte is not None and self.akte.hat_loeschmarken:
            self.action_uebernehmen()
        weiter()
