"""The customer list's table: Textual's Line API (a ``ScrollView`` that draws each line on request).

A ``DataTable`` rebuilt after every keystroke cost ~19 ms of the ~37 ms CPU a filter keystroke took
over SSH (it measures and renders every cell of every row it holds, through Rich's padding and
console machinery); this widget draws only the lines on the terminal, each as one ``Strip`` of
plain segments, so a keystroke costs the same for 3 hits as for all 20,000, and every hit can be
scrolled to (README "Kapazität"). Cells are shown as typed: never read as markup, control
characters as spaces.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from screens.tasten import bindings

Zellen = tuple[str, ...]


def lesbar(text: str) -> str:
    """One line as the user typed it; a control character (tab, line break, escape) as a space."""
    return text if text.isprintable() else "".join(z if z.isprintable() else " " for z in text)


class KundenTabelle(ScrollView, can_focus=True):
    """Rows of cells under a fixed header line; a cursor row; Enter or a click on it opens it.

    The rows are not held here: ``zeigen`` gets their number and a function giving a row's cells, and
    only rows drawn are asked for (and kept until the next ``zeigen``)."""

    BINDINGS = bindings("kundentabelle")
    COMPONENT_CLASSES = {"kundentabelle--kopf", "kundentabelle--cursor", "kundentabelle--zebra"}
    DEFAULT_CSS = """
    KundenTabelle {
        background: $surface;
        color: $foreground;
        height: 1fr;
        & > .kundentabelle--kopf { text-style: bold; background: $panel; color: $foreground; }
        & > .kundentabelle--zebra { background: $surface-lighten-1 50%; }
        &:dark > .kundentabelle--zebra { background: $surface-darken-1 40%; }
        & > .kundentabelle--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .kundentabelle--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    cursor_zeile: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Gewaehlt(Message):
        """A row was clicked while it had the cursor (Enter is a key of the screen: the keymap's)."""

        def __init__(self, zeile: int) -> None:
            super().__init__()
            self.zeile = zeile

    def __init__(self, spalten: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._kopf: Zellen = tuple(spalten)
        self._anzahl = 0
        self._holen: Callable[[int], Zellen] = lambda nummer: ()
        self._zellen: dict[int, Zellen] = {}
        self._breiten = [cell_len(titel) for titel in self._kopf]

    # ---- content -------------------------------------------------------------------------

    @property
    def anzahl(self) -> int:
        return self._anzahl

    def zeigen(self, anzahl: int, holen: Callable[[int], Zellen]) -> None:
        """Show ``anzahl`` rows, row ``n`` being ``holen(n)``; cursor and view back to the top."""
        self._anzahl, self._holen, self._zellen = anzahl, holen, {}
        self._breiten = [cell_len(titel) for titel in self._kopf]
        for nummer in range(min(anzahl, max(self.size.height, 24))):  # the widths of what is seen first
            self.zellen(nummer)
        self._groesse_setzen()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.cursor_zeile = 0
        self.refresh()

    def zellen(self, nummer: int) -> Zellen:
        """Row ``nummer``'s cells as shown (the columns grow to fit it)."""
        zellen = self._zellen.get(nummer)
        if zellen is None:
            zellen = self._zellen[nummer] = tuple(lesbar(text) for text in self._holen(nummer))
            breiter = False
            for spalte, text in enumerate(zellen):
                if (breite := cell_len(text)) > self._breiten[spalte]:
                    self._breiten[spalte], breiter = breite, True
            if breiter and self.is_mounted:
                self._groesse_setzen()
                self.refresh()
        return zellen

    def _groesse_setzen(self) -> None:
        self.virtual_size = Size(sum(self._breiten) + 2 * len(self._breiten), self._anzahl + 1)

    # ---- drawing -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        breite = self.scrollable_content_region.width
        if y == 0:
            zellen, stil = self._kopf, self.get_component_rich_style("kundentabelle--kopf")
        else:
            nummer = scroll_y + y - 1
            if nummer >= self._anzahl:
                return Strip.blank(breite, self.rich_style)
            zellen = self.zellen(nummer)
            if nummer == self.cursor_zeile:
                stil = self.get_component_rich_style("kundentabelle--cursor")
            elif nummer % 2 == 0:
                stil = self.get_component_rich_style("kundentabelle--zebra")
            else:
                stil = self.rich_style
        return self._strip(zellen, stil).crop_extend(scroll_x, scroll_x + breite, stil)

    def _strip(self, zellen: Zellen, stil: Style) -> Strip:
        segmente = [Segment(f" {set_cell_size(text, breite)} ", stil) for text, breite in zip(zellen, self._breiten)]
        return Strip(segmente, sum(self._breiten) + 2 * len(self._breiten))

    def watch_cursor_zeile(self, alt: int, neu: int) -> None:
        # Only the two lines change: the old cursor line and the new one.
        _, scroll_y = self.scroll_offset
        for nummer in (alt, neu):
            self.refresh_line(nummer - scroll_y + 1)
        self._cursor_sichtbar()

    def _cursor_sichtbar(self) -> None:
        zeilen = max(self.scrollable_content_region.height - 1, 1)
        _, scroll_y = self.scroll_offset
        if self.cursor_zeile < scroll_y:
            self.scroll_to(y=self.cursor_zeile, animate=False, immediate=True)
        elif self.cursor_zeile >= scroll_y + zeilen:
            self.scroll_to(y=self.cursor_zeile - zeilen + 1, animate=False, immediate=True)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # ---- keys and mouse ------------------------------------------------------------------

    def _zu(self, nummer: int) -> None:
        self.cursor_zeile = max(0, min(nummer, self._anzahl - 1))

    def action_zeile_hoch(self) -> None:
        if self.cursor_zeile == 0:  # above the list lies the search field
            self.screen.focus_previous()
        else:
            self._zu(self.cursor_zeile - 1)

    def action_zeile_runter(self) -> None:
        self._zu(self.cursor_zeile + 1)

    def action_seite_hoch(self) -> None:
        self._zu(self.cursor_zeile - max(self.scrollable_content_region.height - 1, 1))

    def action_seite_runter(self) -> None:
        self._zu(self.cursor_zeile + max(self.scrollable_content_region.height - 1, 1))

    def action_erste_zeile(self) -> None:
        self._zu(0)

    def action_letzte_zeile(self) -> None:
        self._zu(self._anzahl - 1)

    def on_click(self, event: events.Click) -> None:
        versatz = event.get_content_offset(self)
        if versatz is None or versatz.y == 0:
            return
        nummer = self.scroll_offset.y + versatz.y - 1
        if nummer >= self._anzahl:
            return
        if nummer == self.cursor_zeile:
            self.post_message(self.Gewaehlt(nummer))
        else:
            self._zu(nummer)
