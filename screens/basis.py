"""The base of every kopl-tui screen: the typed way to the app, the session facade and the open
Kundenakte, and the hooks the app calls (unsaved input, the final save, a reloaded Akte).

Screens reach the domain only through ``self.sitzung`` (``kopl_tui.sitzung.Sitzung``) and
``self.akte`` (the open ``Kundenakte``); the app tells them what happened to the Akte with the
messages of ``screens.nachrichten``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual import events, on
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import TextArea

from screens.nachrichten import AkteGeaendert, AkteGeschlossen

if TYPE_CHECKING:
    from kopl_tui.app import KoplApp
    from kopl_tui.sitzung import Kundenakte, Sitzung

Ergebnis = TypeVar("Ergebnis")

class KoplScreen(Screen[Ergebnis]):
    """A full screen of the app."""

    ORT: ClassVar[str] = "app"
    """The keymap's place of this screen (F1 shows its keys)."""

    @property
    def app(self) -> KoplApp:
        return cast("KoplApp", super().app)

    @property
    def sitzung(self) -> Sitzung:
        return self.app.sitzung

    @property
    def akte(self) -> Kundenakte:
        """The open Kundenakte (screens of an Akte exist only while one is open)."""
        akte = self.app.akte
        assert akte is not None
        return akte

    @property
    def akte_offen(self) -> bool:
        return self.app.akte is not None

    # ---- keys --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the app waits for an Akte to open or save (a file lock may hold it for seconds), the
        screen's keys rest: they would change what is being written. Help (F1) and reading go on."""
        if self.app.wartet:
            return False
        return self.aktion_moeglich(action, parameters)

    def aktion_moeglich(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The screen's own ``check_action`` (True: shown, None: dimmed, False: hidden)."""
        return True

    def action_text_anfang(self) -> None:
        """Strg+Pos1 in a free text: its start. Textual's TextArea binds Pos1/Ende to the line only, and
        whoever writes long texts all day expects the text's start and end one key away."""
        if isinstance(self.focused, TextArea):
            self.focused.move_cursor((0, 0))

    def action_text_ende(self) -> None:
        """Strg+Ende in a free text: its end (see ``action_text_anfang``)."""
        if isinstance(self.focused, TextArea):
            self.focused.move_cursor(self.focused.document.end)

    # ---- what the app asks -----------------------------------------------------------------
    def offene_aenderungen(self) -> bool:
        """Input typed or rows marked here but not applied to the Akte."""
        return False

    def offenes_uebernehmen(self, weiter: Callable[[], None]) -> None:
        """Before the final save: apply what is open here, then ``weiter``; a refusal stops there."""
        weiter()

    def neu_geladen(self) -> bool:
        """The Akte was reloaded (version conflict, lost edit lock). True: this screen shows the stored
        state from now on; False: it holds a copy of the old data and must close (with everything
        above it), else it could bring the old data back into the Akte."""
        return False

    def aktualisieren(self) -> None:
        """Show the open Akte's current state (after ``AkteGeaendert``)."""

    def akte_geschlossen(self, kundennummer: str) -> None:
        """The Akte was closed and this screen is shown again (after ``AkteGeschlossen``)."""

    def on_akte_geaendert(self, nachricht: AkteGeaendert) -> None:
        if self.is_attached:
            self.aktualisieren()

    def on_akte_geschlossen(self, nachricht: AkteGeschlossen) -> None:
        self.akte_geschlossen(nachricht.kundennummer)


class KoplModal(ModalScreen[Ergebnis]):
    """A dialog of the app (help, questions): the typed app, no hooks."""

    ORT: ClassVar[str] = "dialog"
    _toasts_darunter: Widget | None = None

    @property
    def app(self) -> KoplApp:
        return cast("KoplApp", super().app)

    @on(events.Mount)
    def _toasts_darunter_ausblenden(self) -> None:
        """The dialog shows the notifications itself (the question dialog at the top, away from its
        buttons); the screen below, still visible around it, would show the same ones a second time."""
        if len(self.app.screen_stack) > 1:
            with contextlib.suppress(NoMatches):
                self._toasts_darunter = self.app.screen_stack[-2].query_one("#textual-toastrack")
                self._toasts_darunter.display = False

    @on(events.Unmount)
    def _toasts_darunter_zeigen(self) -> None:
        if self._toasts_darunter is not None and self._toasts_darunter.is_attached:
            self._toasts_darunter.display = True
