"""The Textual App shell (the only module of kopl_tui that imports Textual)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class KoplApp(App):
    TITLE = "Kooperationsplan"

    def __init__(self, data_dir: Path, benutzer: str | None = None):
        super().__init__()
        self.data_dir = Path(data_dir)
        self.benutzer = benutzer or "unbekannt"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("kopl-tui")
        yield Footer()
