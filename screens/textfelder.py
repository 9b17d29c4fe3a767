"""Text fields that apply the keys in the order they were typed.

Textual's ``Input`` and ``TextArea`` (8.2) type a character in the field itself, but run a key bound
to the field (Backspace, ←/→, Pos1/Ende, Strg+U, Enter …) only after the key has bubbled up to the
app — by then the characters typed after it may already stand in the field. Keys that arrive
together, as they do over SSH on a slow line or from a fast typist, then come out wrong: "abc⌫d"
gives "abc" (the Backspace deletes the d), Strg+U followed by a new search word deletes the word
(Textual issue https://github.com/Textualize/textual/issues/6605). The fields here run their own
bindings at once, in the order of the keys; keys bound elsewhere (the screen's, the app's) take
Textual's usual way. Every text field of the app is one of these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Input, TextArea

if TYPE_CHECKING:
    from textual.widget import Widget

    _Feld = Widget
else:
    _Feld = object  # a mixin: Textual takes a widget's CSS from its first widget base class


class _InReihenfolge(_Feld):
    """Runs the field's own bindings when their key arrives, as Textual's ``App._check_bindings``
    would run them later (the same bindings, in the same order, the same check of the action)."""

    async def on_key(self, event: events.Key) -> None:
        if event.is_printable:
            return  # the field types it itself, in order
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return


class Textfeld(_InReihenfolge, Input):
    """A one-line text field (``Input``) that keeps the order of the keys."""


class Textbereich(_InReihenfolge, TextArea):
    """A multi-line text field (``TextArea``) that keeps the order of the keys."""
