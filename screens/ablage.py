"""Dokumente (Ablage): a customer's archived letters, newest first (the guide's "Ablage in Doxis").

Shows the full path of the marked file and its path relative to the archive folder – what a user
types in WinSCP or sftp with the read-only SFTP key (README "Betrieb") –, and the Ergänzungen typed
for it, so the archive shows what the letter demanded. F7 prints the marked letter's PDF, F8
downloads it when the app runs in the browser (``screens.zustellung``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from kopl_tui.datum import format_datum
from kopl_tui.fehler import StoreFehler
from screens.klartext import zellen
from screens.tasten import bindings
from screens.zustellung import Zustellung

if TYPE_CHECKING:
    from kopl_tui.sitzung import AblageEintrag

SPALTEN = (("abgelegt_am", "Abgelegt am"), ("titel", "Vorlage"), ("benutzer", "Benutzer"), ("datei", "Datei"))


class AblageScreen(Zustellung[None]):
    CSS_PATH = "ablage.tcss"
    ORT = "ablage"
    BINDINGS = bindings("ablage")

    def __init__(self) -> None:
        super().__init__()
        self.eintraege: list[AblageEintrag] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="kunde", markup=False)  # names and paths as they are
        yield DataTable(id="dokumente", cursor_type="row", zebra_stripes=True)
        yield Static("", id="pfad", markup=False)
        yield Static("", id="zustellung", markup=False)
        ergaenzungen = Static("", id="ergaenzungen", markup=False)
        ergaenzungen.border_title = "Ergänzungen im Brief"
        yield ergaenzungen
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "Dokumente (Ablage)"
        tabelle = self.query_one("#dokumente", DataTable)
        for schluessel, titel in SPALTEN:
            tabelle.add_column(titel, key=schluessel)
        self.aktualisieren()
        tabelle.focus()

    @property
    def kundennummer(self) -> str:
        return self.akte.kunde.kundennummer

    def aktualisieren(self) -> None:
        if not self.akte_offen:
            return
        kunde = self.akte.kunde
        ordner = self.sitzung.ablage_ordner(kunde.kundennummer).resolve()
        self.query_one("#kunde", Static).update(f"{kunde.name} · {kunde.kundennummer} · Ordner {ordner}")
        tabelle = self.query_one("#dokumente", DataTable)
        tabelle.clear()
        try:
            self.eintraege = self.sitzung.dokumente(kunde.kundennummer)
        except StoreFehler as fehler:
            self.eintraege = []
            self.query_one("#pfad", Static).update(str(fehler))
            return
        for eintrag in self.eintraege:
            zeit = eintrag.abgelegt_am.astimezone()
            tabelle.add_row(*zellen(f"{format_datum(zeit.date())} {zeit:%H:%M}", eintrag.titel, eintrag.benutzer,
                                    eintrag.datei), key=eintrag.id)
        if not self.eintraege:
            self.query_one("#pfad", Static).update(
                "Noch keine Briefe abgelegt. Drucken: in der Maske eine Druckvorlage wählen, dann F7.")

    def markierter(self) -> AblageEintrag | None:
        tabelle = self.query_one("#dokumente", DataTable)
        if not self.eintraege or not 0 <= tabelle.cursor_row < len(self.eintraege):
            return None
        return self.eintraege[tabelle.cursor_row]

    def pfade(self, eintrag: AblageEintrag) -> list[str]:
        """The archived .docx and, where made, the PDF: absolute paths."""
        return [str(pfad) for pfad in self.sitzung.ablage_dateien(self.kundennummer, eintrag)]

    def sftp_pfade(self, eintrag: AblageEintrag) -> list[str]:
        """The same files relative to the archive folder, where the SFTP access starts."""
        return [f"{self.kundennummer}/{name}" for name in (eintrag.datei, eintrag.pdf) if name]

    def pfad_text(self, eintrag: AblageEintrag) -> str:
        zeilen = ["Datei: " + "\nPDF:   ".join(self.pfade(eintrag))]
        zeilen.append("SFTP:  " + "\n       ".join(self.sftp_pfade(eintrag)))  # as typed in WinSCP/sftp
        zeilen.append(self.druck_hinweis(eintrag))
        return "\n".join(zeilen)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        eintrag = self.markierter()
        if eintrag is not None:
            self.query_one("#pfad", Static).update(self.pfad_text(eintrag))
        self.zustellung_zeigen("")
        self.refresh_bindings()  # F7 follows the marked letter: greyed without a PDF
        ergaenzungen = self.query_one("#ergaenzungen", Static)
        ergaenzungen.update("\n".join(f"{e.titel}: {e.wert}" for e in eintrag.ergaenzungen) if eintrag else "")
        ergaenzungen.display = bool(eintrag and eintrag.ergaenzungen)

    def aktion_moeglich(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "kopieren":
            return True if self.eintraege else None
        if action == "drucken":
            eintrag = self.markierter()
            return True if eintrag is not None and eintrag.pdf and not self.druckt else None
        if action == "herunterladen":
            return (True if self.eintraege else None) if self.app.is_web else False
        return True

    def action_kopieren(self) -> None:
        eintrag = self.markierter()
        if eintrag is not None:
            self.app.copy_to_clipboard(self.pfade(eintrag)[0])
            self.notify("Pfad an die Zwischenablage des Terminals gesendet (wo das Terminal OSC 52 unterstützt).")

    def action_drucken(self) -> None:
        eintrag = self.markierter()
        if eintrag is not None and self.check_action("drucken", ()):
            self.drucken_starten(eintrag)

    def action_herunterladen(self) -> None:
        eintrag = self.markierter()
        if eintrag is not None and self.check_action("herunterladen", ()):
            self.herunterladen_fragen(eintrag)

    def zustellung_zeigen(self, text: str, fehler: bool = False) -> None:
        """The print's job id or error, the download's file name; cleared when another letter is marked."""
        feld = self.query_one("#zustellung", Static)
        feld.update(text)
        feld.display = bool(text)
        feld.set_class(fehler, "fehler")

    def neu_geladen(self) -> bool:
        return True

    def action_schliessen(self) -> None:
        self.dismiss()
