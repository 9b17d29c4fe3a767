"""The dropdown of every mask field (guide §3: "In Dropdown-Feldern ist aus dem hinterlegten Menü
die entsprechende Auswahl zu treffen"): Textual's Select, typed into as the README promises
("Anfangsbuchstaben tippen").

Textual's type-to-search also matches the empty row ("Kein Eintrag ausgewählt"), which comes first:
"k" in Status picked it instead of "kein Einverständnis". Here typed letters pick the real entry
that starts with them (the first one), else the one containing them earliest – never the empty row;
typing on a closed dropdown opens it. Entries are shown as written: a ``str`` option would be read
as markup (screens.klartext). Textual has no public hook for the search nor for the list's
English footer label ("Dismiss menu"), so the list widget is subclassed from ``textual.widgets._select``
(Textual pinned below 9 in pyproject.toml); everything else is the public Select API.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import RenderableType
from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Select
from textual.widgets._select import SelectCurrent, SelectOverlay

from kopl_tui.model import KEIN_EINTRAG
from screens.tasten import bindings


class _Liste(SelectOverlay):
    """The opened list: German footer label, search that skips the empty row."""

    BINDINGS = bindings("auswahlliste")

    def __init__(self, erster_eintrag: int) -> None:
        super().__init__(type_to_search=True)
        self.erster_eintrag = erster_eintrag  # 1 when row 0 is the empty entry

    def _find_search_match(self, query: str) -> int | None:
        gesucht, treffer = query.casefold(), None
        for index in range(self.erster_eintrag, self.option_count):
            prompt = self.get_option_at_index(index).prompt
            stelle = str(getattr(prompt, "plain", prompt)).casefold().find(gesucht)
            if stelle != -1 and (treffer is None or stelle < treffer[1]):
                treffer = (index, stelle)
        return treffer[0] if treffer else None


class Auswahlfeld(Select[str]):
    """Select with the guide's empty entry as prompt and type-to-search on real entries only."""

    def __init__(self, options: Iterable[tuple[RenderableType, str]], *, prompt: str = KEIN_EINTRAG,
                 allow_blank: bool = True, **kwargs: object) -> None:
        eintraege = [(Content(text) if isinstance(text, str) else text, wert) for text, wert in options]
        super().__init__(eintraege, prompt=prompt, allow_blank=allow_blank, **kwargs)  # type: ignore[arg-type]
        self._mit_leer = allow_blank

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield _Liste(1 if self._mit_leer else 0).data_bind(compact=Select.compact)

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        """Letters typed here are this field's (they open the list), never a screen's key."""
        return character is not None and character.isprintable() and character != " "

    def on_key(self, event: events.Key) -> None:
        """A letter on the closed dropdown opens it and searches, as if typed in the open list."""
        if self.expanded or not self.check_consume_key(event.key, event.character):
            return
        event.stop()
        event.prevent_default()
        self.action_show_overlay()
        self.app.simulate_key(event.key)
