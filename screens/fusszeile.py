"""The footer line of the screens: Textual's Footer, the screen's own keys always readable."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widget import Widget
from textual.widgets import Footer

HILFE_ID = "hilfe"  # kopl_tui.keymap: F1 Hilfe, shown with the screen's own keys
IMMER_IDS = (HILFE_ID, "speichern")  # and the final save (§5), where it acts: never crowded out by other keys


class Fusszeile(Footer):
    """At 80 columns (many SSH windows) one line does not hold the overview's or the mask's keys:
    Textual cut them off ("F1 Hi"). Here the screen's own keys, F1 Hilfe and Strg+S Speichern come
    first and wrap onto a second line where one is not enough; the other app-wide keys (all listed by
    F1) fill only the room left on the last line.

    Textual's Footer also rebuilds all its keys (one widget each) whenever the screen's bindings may
    have changed: focus moves, a screen resumes, the app refreshes bindings. Opening the
    Kooperationsplan overview did that four times, ~50 keys built, styled and drawn anew: half of
    the ~60 ms the opening took. Here a rebuild is skipped while the shown keys (key,
    label, action, enabled, tooltip) and the width are those already shown, or while the screen is
    not shown (the bindings change as an Akte is opened or closed, just before its screen is left)."""

    DEFAULT_CSS = """
    Fusszeile {
        layout: vertical;
        height: auto;
    }
    Fusszeile > HorizontalGroup {
        height: 1;
    }
    """

    _gezeigt: tuple[object, ...] | None = None

    def _breite(self) -> int:
        return self.size.width or self.app.size.width

    def _tasten(self) -> tuple[object, ...]:
        return (self.compact, self.show_command_palette, self._breite(), *(
            (binding.key, binding.description, binding.action, aktiv, tooltip)
            for _, binding, aktiv, tooltip in self.screen.active_bindings.values() if binding.show))

    def compose(self) -> ComposeResult:
        """Footer's keys (FooterKey widgets), sorted into lines as the class docstring says."""
        aktiv = self.screen.active_bindings
        eigene: list[Widget] = []
        hilfe: list[Widget] = []
        weitere: list[Widget] = []
        for taste in super().compose():
            eintrag = aktiv.get(getattr(taste, "key", ""))
            if eintrag is not None and eintrag.binding.id in IMMER_IDS:
                hilfe.append(taste)
            elif eintrag is not None and eintrag.node is self.app:
                weitere.append(taste)
            else:
                eigene.append(taste)
        eigene += hilfe
        breite = self._breite()
        zeilen: list[list[Widget]] = [[]]
        frei = breite + 1  # every key is followed by one blank, the last one's may stand outside
        for taste in eigene:
            noetig = _breite_der_taste(taste)
            if noetig > frei and zeilen[-1]:
                zeilen.append([])
                frei = breite + 1
            zeilen[-1].append(taste)
            frei -= noetig
        for taste in weitere:
            if (noetig := _breite_der_taste(taste)) <= frei:
                zeilen[-1].append(taste)
                frei -= noetig
        for zeile in zeilen:
            if zeile:
                yield HorizontalGroup(*zeile)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != getattr(self, "_breite_vorher", None):
            self._breite_vorher = event.size.width
            self.call_after_refresh(self.recompose)

    async def recompose(self) -> None:
        if self.is_attached:
            if not self.screen.is_current:  # left meanwhile: its resume asks again
                return
            tasten = self._tasten()
            if tasten == self._gezeigt and self.children:
                return
            self._gezeigt = tasten
        await super().recompose()


def _breite_der_taste(taste: Widget) -> int:
    """Cells a compact footer key takes: key, blank, label, and the blank after it."""
    anzeige, text = str(getattr(taste, "key_display", "")), str(getattr(taste, "description", ""))
    return cell_len(anzeige) + (1 + cell_len(text) if text else 0) + 1
