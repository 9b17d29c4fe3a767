"""Audit trail of the open Kundenakte: who changed what when, old → new of the statistics fields."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Label

from kopl_tui.model import FELDNAMEN, HistorienEintrag
from screens.basis import KoplScreen
from screens.klartext import zellen
from screens.tasten import bindings

FELDER = (("status", "Status"), ("gueltig_ab", "ab"), ("gueltig_bis", "bis"))


def aenderung(eintrag: HistorienEintrag) -> str:
    """old → new of each field the entry names: a plan's statistics fields (short titles), the
    customer's master data (their field names)."""
    titel = dict(FELDER)
    felder = [feld for feld, _ in FELDER] + [feld for feld in {**eintrag.alt, **eintrag.neu} if feld not in titel]
    teile = []
    for feld in felder:
        name = titel.get(feld) or FELDNAMEN.get(feld, feld)
        alt, neu = eintrag.alt.get(feld, ""), eintrag.neu.get(feld, "")
        if alt != neu:
            teile.append(f"{name}: {alt or '–'} → {neu or '–'}")
        elif neu and not eintrag.alt:
            teile.append(f"{name}: {neu}")
    return "; ".join(teile)


class HistorieScreen(KoplScreen[None]):
    CSS_PATH = "historie.tcss"
    ORT = "historie"
    BINDINGS = bindings("historie")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="historie-titel")
        yield DataTable(id="historie", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "Historie"
        tabelle = self.query_one("#historie", DataTable)
        tabelle.add_columns("Zeit", "Benutzer", "Aktion", "Änderung (alt → neu)")
        self.aktualisieren()
        tabelle.focus()

    def aktualisieren(self) -> None:
        if not self.akte_offen:
            return
        akte = self.akte
        eintraege = self.sitzung.historie(akte)
        zusatz = " – noch nicht gespeicherte Änderungen sind inbegriffen" if akte.ungespeichert else ""
        self.query_one("#historie-titel", Label).update(f"{len(eintraege)} Einträge, neueste zuerst{zusatz}.")
        tabelle = self.query_one("#historie", DataTable)
        tabelle.clear()
        for eintrag in eintraege:
            tabelle.add_row(*zellen(eintrag.zeit.astimezone().strftime("%d.%m.%Y %H:%M"), eintrag.benutzer,
                                    eintrag.aktion, aenderung(eintrag)))

    def neu_geladen(self) -> bool:
        return True

    def action_schliessen(self) -> None:
        self.dismiss()
