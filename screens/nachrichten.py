"""What the app tells the screens about the open Kundenakte (Textual messages, one module).

The app posts them to every screen on the stack; ``screens.basis.KoplScreen`` handles them, so a
screen only says what it does (``aktualisieren``, ``akte_geschlossen``). They never bubble: each
screen gets its own copy.
"""

from __future__ import annotations

from textual.message import Message


class AkteGeaendert(Message, bubble=False):
    """The open Akte changed: saved, reloaded, or a change applied that other screens show (header,
    overview rows). Every screen of it shows the current state."""


class AkteGeschlossen(Message, bubble=False):
    """The Akte ``kundennummer`` was closed (its edit lock given back); the screens below it remain."""

    def __init__(self, kundennummer: str) -> None:
        super().__init__()
        self.kundennummer = kundennummer
