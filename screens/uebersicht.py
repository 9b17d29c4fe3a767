"""Kooperationsplan-Übersicht of the open Kundenakte (guide §1, §2, §4).

Newest first, "Unbegrenzt" spelled out; rows breaking the BA-statistics rule are highlighted with
the reason; Löschen only marks a row until Übernehmen, Verwerfen restores it.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from kopl_tui.datum import format_datum
from kopl_tui.model import Kooperationsplan
from kopl_tui.sitzung import BA_REGEL_GRUND
from screens.auswahl_dialog import VERWERFEN_WAHL, AuswahlDialog
from screens.basis import KoplScreen
from screens.fusszeile import Fusszeile
from screens.spalten import STATUS_BREITE, Spalte, gesamtbreite, spalten_setzen
from screens.tasten import bindings

# The guide's overview columns (§3.1 example table), two header lines each at most (80×24).
SPALTEN = (Spalte("status", "Status\nKooperationsplan", STATUS_BREITE), Spalte("gueltig_ab", "Kooperationsplan\ngültig ab"),
           Spalte("gueltig_bis", "gültig bis"), Spalte("tag_der_aufforderung", "Tag der Auf-\nforderung:"),
           Spalte("schlichtung_beginn", "Beginn Schlich-\ntungsverfahren"))
RAND = 2  # the table's left padding and its vertical scrollbar


class PlanTabelle(DataTable):
    BINDINGS = bindings("plantabelle")


class UebersichtScreen(KoplScreen[None]):
    CSS_PATH = "uebersicht.tcss"
    ORT = "uebersicht"
    BINDINGS = bindings("uebersicht")

    def __init__(self) -> None:
        super().__init__()
        self._start_plan: str | None = None
        self._hinweise: dict[str, str] = {}  # plan id → the Hinweis of its row, in full
        self._spalten: tuple[Spalte, ...] = ()

    def beginnen_bei(self, plan_id: str | None) -> None:
        """The row the cursor starts on when the screen is shown next (the Prüfliste opens an Akte at
        a finding's plan). The screen is built once and refilled for each Akte."""
        self._start_plan = plan_id
        if self.is_mounted:  # the rows of the Akte shown before go at once, not when the screen resumes
            self.query_one("#plaene", DataTable).clear()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="kunde")
        yield PlanTabelle(id="plaene", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static("", id="zeilen_hinweis")
        yield Static("", id="ba_hinweis")
        yield Fusszeile(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#plaene", DataTable).focus()

    def on_screen_resume(self) -> None:
        """Also right after the first mount: the table is filled once per showing."""
        self.aktualisieren()

    # ---- display ---------------------------------------------------------------
    def aktualisieren(self) -> None:
        if not self.akte_offen:
            return
        kunde = self.akte.kunde
        self.query_one("#kunde", Static).update(Text(  # names as typed, never read as markup
            f"{kunde.name_mit_anrede} · {kunde.kundennummer} · BG {kunde.bg_nummer} · IFK {kunde.ifk}"))
        tabelle = self.query_one("#plaene", DataTable)
        markiert, self._start_plan = self._start_plan or self._markierte_id(), None
        verstoesse = {p.id for p in self.akte.ba_verstoesse()}
        zeilen = {plan.id: self._zeile(plan, plan.id in verstoesse) for plan in self.akte.plaene}
        self._hinweise = {plan_id: lang for plan_id, (_, _, _, lang) in zeilen.items() if lang}
        spalten = self._spalten_fuer(max((cell_len(kurz) for _, _, kurz, _ in zeilen.values()), default=0))
        if spalten != self._spalten:
            spalten_setzen(tabelle, spalten)
            self._spalten = spalten
        else:
            tabelle.clear()
        for plan_id, (werte, stil, kurz, _) in zeilen.items():
            zellen = [Text(wert, style=stil) for wert in werte]
            if len(spalten) > len(SPALTEN):
                zellen.append(Text(kurz, style="italic " + stil))
            tabelle.add_row(*zellen, key=plan_id)
        if markiert is not None and markiert in tabelle.rows:
            tabelle.move_cursor(row=tabelle.get_row_index(markiert))
        hinweis = self.query_one("#ba_hinweis", Static)
        hinweis.update(f"⚠ {BA_REGEL_GRUND} Betroffene Zeilen sind rot markiert; bitte beim älteren Plan "
                       "„gültig bis“ setzen." if verstoesse else
                       ("Keine Kooperationspläne vorhanden – mit n einen neuen anlegen." if not self.akte.plaene
                        else ""))
        hinweis.set_class(bool(verstoesse), "verstoss")
        self.app.aktualisiere_kopf()

    def _spalten_fuer(self, hinweis_breite: int) -> tuple[Spalte, ...]:
        """The guide's five columns; a Hinweis column besides where a row has one and it fits."""
        hinweis = Spalte("hinweis", "Hinweis", hinweis_breite)
        if hinweis_breite and gesamtbreite((*SPALTEN, hinweis)) + RAND <= self.size.width:
            return (*SPALTEN, hinweis)
        return SPALTEN

    def _zeile(self, plan: Kooperationsplan, verstoss: bool) -> tuple[list[str], str, str, str]:
        """Values, style, the short Hinweis for the column and the full one for the marked row."""
        werte = [plan.status.value if plan.status else "", format_datum(plan.gueltig_ab), plan.gueltig_bis_text(),
                 format_datum(plan.tag_der_aufforderung), format_datum(plan.schlichtung_beginn)]
        stil, kurz, lang = "", "", ""
        if self.akte.ist_loeschmarkiert(plan.id):
            stil, kurz, lang = "strike dim", "gelöscht", "gelöscht (Übernehmen F2 / Verwerfen F4)"
        elif verstoss:
            stil, kurz, lang = "bold red", "BA-Regel", "BA-Regel: mehr als ein unbegrenzter Plan"
        elif plan.ueberpruefung_ueberfaellig(self.sitzung.heute):
            stil, kurz = "yellow", "Überprüfung fällig"
            lang = f"Überprüfung fällig seit {format_datum(plan.ueberpruefung_faellig_am)}"
        return werte, stil, kurz, lang

    def on_resize(self, event: events.Resize) -> None:
        """The Hinweis column comes and goes with the room for it."""
        if self.akte_offen and self.is_current:
            self.aktualisieren()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The full Hinweis of the marked row (the column, where shown, has it short)."""
        hinweis = self._hinweise.get(event.row_key.value or "", "") if event.row_key is not None else ""
        self.query_one("#zeilen_hinweis", Static).update(f"Markierte Zeile: {hinweis}" if hinweis else "")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """A click on the marked row (the guide's double click) opens it."""
        self.action_bearbeiten()

    def _markierte_id(self) -> str | None:
        tabelle = self.query_one("#plaene", DataTable)
        if tabelle.row_count == 0:
            return None
        plan_id = tabelle.coordinate_to_cell_key((tabelle.cursor_row, 0)).row_key.value
        # A key typed ahead (a second Enter on the list, a loaded server) can reach the screen before
        # it is refilled for this Akte: a row of another Akte is no plan to act on.
        return plan_id if plan_id is not None and self.akte.hat_plan(plan_id) else None

    # ---- actions -------------------------------------------------------------------
    def aktion_moeglich(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.akte_offen:
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

    # ---- hooks for the app (final save, quitting, reload) --------------------------------------
    def offene_aenderungen(self) -> bool:
        return self.akte_offen and self.akte.hat_loeschmarken

    def offenes_uebernehmen(self, weiter: Callable[[], None]) -> None:
        """Before the final save: marked rows are deleted (the user asked for both)."""
        if self.akte_offen and self.akte.hat_loeschmarken:
            self.action_uebernehmen()
        weiter()

    def neu_geladen(self) -> bool:
        """Shows the reloaded Akte (AkteGeaendert follows)."""
        return True
