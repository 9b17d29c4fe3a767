"""Floors for `make bench`: what bare Textual needs for the same screen work, to read the app's
figures against. Measured exactly like the app (benchmarks/run.py ``bis``), with nothing of kopl_tui.

- keystroke: an Input and a DataTable of five string columns; each keystroke replaces the table's
  rows with the first ``SEITE`` hits prepared beforehand (no search cost) — what the customer list
  did before it drew only the lines on screen (screens/kundentabelle.py);
- overview: Enter pushes an installed screen (Header, Static, DataTable of six columns, Footer) that
  refills its table on resume, as the Kooperationsplan overview does.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

SEITE = 50


class _Liste(App[None]):
    def __init__(self, seiten: dict[str, list[tuple[str, ...]]]):
        super().__init__()
        self.seiten = seiten

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(id="suche")
        yield Static("", id="treffer")
        yield DataTable(id="kunden", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        tabelle = self.query_one(DataTable)
        tabelle.add_columns("Kundennummer", "Name", "Vorname", "Geburtsdatum", "IFK")
        self._fuellen("")
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fuellen(event.value)

    def _fuellen(self, text: str) -> None:
        tabelle = self.query_one(DataTable)
        tabelle.clear()
        tabelle.add_rows(self.seiten[text])
        self.query_one(Static).update(f"{len(self.seiten[text])} Treffer")


async def tastendruck(seiten: dict[str, list[tuple[str, ...]]], schritte: list[tuple[str, str | None, str]],
                      bis: Callable, taste: Callable, groesse: tuple[int, int]) -> list[float]:  # noqa: ANN001
    """``schritte``: (key name, character, text after the key) as typed in the app's measurement."""
    app = _Liste(seiten)
    zeiten = []
    async with app.run_test(size=groesse) as pilot:
        await pilot.pause()
        tabelle = app.query_one(DataTable)
        for name, zeichen, text in schritte:
            soll = [zeile[0] for zeile in seiten[text]]

            def fertig(t: str = text, s: list[str] = soll) -> bool:
                return (app.query_one(Input).value == t and tabelle.row_count == len(s)
                        and all(str(tabelle.get_row_at(i)[0]) == nr for i, nr in enumerate(s)))

            zeiten.append(await bis(pilot, fertig, taste(app, name, zeichen)))
    return zeiten


PLAN_ZEILE = ("Einverständnis", "01.12.2024", "Unbegrenzt", "", "", "")


class _Uebersicht(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Schließen"), Binding("n", "app.bell", "Neu"),
                Binding("b", "app.bell", "Bearbeiten"), Binding("delete", "app.bell", "Löschen"),
                Binding("f2", "app.bell", "Übernehmen"), Binding("f3", "app.bell", "Übernehmen und schließen"),
                Binding("f4", "app.bell", "Verwerfen"), Binding("f1", "app.bell", "Hilfe"),
                Binding("ctrl+s", "app.bell", "Speichern"), Binding("f5", "app.bell", "Kooperationsplan"),
                Binding("f9", "app.bell", "Fallübersicht")]

    def __init__(self, zeilen: int):
        super().__init__()
        self.zeilen = zeilen

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="kunde")
        yield DataTable(id="plaene", cursor_type="row", zebra_stripes=True)
        yield Static("", id="hinweis")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        tabelle = self.query_one(DataTable)
        tabelle.add_columns("Status", "gültig ab", "gültig bis", "Aufforderung", "Schlichtung", "Hinweis")
        tabelle.focus()

    def on_screen_resume(self) -> None:
        tabelle = self.query_one(DataTable)
        tabelle.clear()
        tabelle.add_rows([PLAN_ZEILE] * self.zeilen)
        self.query_one("#kunde", Static).update("Frau Erika Beispiel · 100D000001")
        self.app.sub_title = "Beispiel, Erika · 100D000001"


class _Start(App[None]):
    BINDINGS = [Binding("enter", "oeffnen", "Öffnen", priority=True)]

    def __init__(self, zeilen: int):
        super().__init__()
        self.zeilen = zeilen

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(id="suche")
        yield DataTable()
        yield Footer(compact=True)

    def action_oeffnen(self) -> None:
        if not self.is_screen_installed("uebersicht"):
            self.install_screen(_Uebersicht(self.zeilen), "uebersicht")
        self.push_screen("uebersicht")


async def oeffnen(runden: int, zeilen: int, bis: Callable, taste: Callable,  # noqa: ANN001
                  groesse: tuple[int, int]) -> list[float]:
    """Like the app's figure: the first opening (building the screen) is counted too."""
    app = _Start(zeilen)
    zeiten = []
    async with app.run_test(size=groesse) as pilot:
        await pilot.pause()
        for _ in range(runden):
            def fertig() -> bool:
                return isinstance(app.screen, _Uebersicht) and app.screen.query_one(DataTable).row_count == zeilen

            zeiten.append(await bis(pilot, fertig, taste(app, "enter", "\r")))
            await pilot.press("escape")
            await pilot.pause()
    return zeiten


def median_ms(zeiten: list[float]) -> float:
    return statistics.median(zeiten) * 1000
