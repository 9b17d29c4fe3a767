"""The footer line of the screens: Textual's Footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.widgets import Footer


class Fusszeile(Footer):
    """Textual's Footer rebuilds all its keys (one widget each) whenever the screen's bindings may
    have changed: focus moves, a screen resumes, the app refreshes bindings. Opening the
    Kooperationsplan overview did that four times, ~50 keys built, styled and drawn anew: half of
    the ~60 ms the opening took (issue 6). Here a rebuild is skipped while the shown keys (key,
    label, action, enabled, tooltip) are those already shown, or while the screen is not shown
    (the bindings change as an Akte is opened or closed, just before its screen is left)."""

    _gezeigt: tuple[object, ...] | None = None

    def _tasten(self) -> tuple[object, ...]:
        return (self.compact, self.show_command_palette, *(
            (binding.key, binding.description, binding.action, aktiv, tooltip)
            for _, binding, aktiv, tooltip in self.screen.active_bindings.values() if binding.show))

    async def recompose(self) -> None:
        if self.is_attached:
            if not self.screen.is_current:  # left meanwhile: its resume asks again
                return
            tasten = self._tasten()
            if tasten == self._gezeigt and self.children:
                return
            self._gezeigt = tasten
        await super().recompose()
