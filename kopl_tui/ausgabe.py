"""What the app writes to the terminal and when it wakes up: as little as the picture needs.

Over SSH every byte and every wake-up of a session counts, times the number of staff on one server
(README "Kapazität"). ``KoplAusgabe`` is the part of the app shell (with kopl_tui/app.py, whose
``KoplApp`` inherits it) that changes how Textual writes and reads the terminal; each change is here
with the figure that justifies it: bytes for one action on the 20,000-customer folder at 80×24,
measured through a real pty (benchmarks/kapazitaet.py ``bytes_je_aktion``) with everything on and
with just that one change off:

- output without redundant style resets (kopl_tui/sgr.py): filter keystroke 6.3 → 3.7 KB, F1 help
  10.3 → 7.0 KB, a full repaint of the customer list 3.9 → 3.1 KB; for ~0.4 ms CPU per keystroke
  reply (against 20–60 ms for the keystroke itself);
- a screen that comes up is held until it has settled, then shown in one frame: F1 help 44 KB in 9
  frames → 7.0 KB in one, opening the mask 24 → 4.5 KB, opening the overview 6.3 → 3.5 KB. Settled
  is judged by the app's thread being idle, not by a pause between frames: on a loaded server the
  mask otherwise came up half-built first (16 KB), and a screen with a loading indicator (the
  Prüfliste) was held to the limit of 3 s;
- an opaque screen does not repaint for changes on the screen below it: Strg+S in the mask
  15.1 → 5.5 KB (the overview below follows the save);
- no repaint of the whole screen for a title or sub-title change (the Header repaints itself):
  Strg+S 10.0 → 5.5 KB (the header's "● ungespeichert" turns into "gespeichert");
- no blinking text cursor unless ``--blinken``: an idle session writes 0 B/s instead of ~1.7 KB/s;
- a loading indicator that stands still when animations are off: 0 B/s instead of ~27 KB/s (16
  frames of 1.7 KB a second) while the Prüfliste checks the 20,000 Akten; it says "Wird geladen …"
  instead of "Loading...";
- the input thread waits a second, not 0.1 s, once input has paused for a second: an idle session
  uses 0.015 % of a core instead of 0.15 % (run time of all its threads from /proc schedstat, 20 s
  on the customer list; 1 wake-up a second instead of 10).

Textual internals relied on (Textual is pinned ``>=8.2,<9`` in pyproject.toml; tests/test_ausgabe.py
fails loudly when one of them goes away or changes its shape):

- ``App._display(screen, renderable)``: the one place a rendered frame goes to the driver; holding a
  frame back is skipping this call (nothing is lost: the settled screen is refreshed whole).
- ``App._background_screens`` (property): the screens Textual repaints below the top one.
- ``LinuxDriver.run_input_thread`` with the driver's ``fileno``, ``exit_event``, ``_debug`` and
  ``process_message``, and ``textual._xterm_parser.XTermParser`` (``feed``, ``tick``): the input loop
  is Textual's own (drivers/linux_driver.py) with another wait; Textual offers no public setting
  for its fixed 0.1 s poll.

Public API used: ``App.get_driver_class``, ``App.get_loading_widget``, ``Driver.write``,
``push_screen``/``pop_screen``/``switch_screen``, ``Reactive(repaint=False)``, ``cursor_blink`` of
Input and TextArea, ``auto_refresh``.
"""

from __future__ import annotations

import os
import time
from functools import cache
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.driver import Driver
from textual.reactive import Reactive
from textual.screen import Screen

from kopl_tui.sgr import verdichten

if TYPE_CHECKING:
    from textual.drivers.linux_driver import LinuxDriver
    from textual.widget import Widget
    from textual.widgets import LoadingIndicator

    _AppBasis = App[None]
else:
    _AppBasis = object

# A screen that comes up lays itself out in several frames (tables measure their rows, scroll bars
# appear, the footer follows the keys): each a large part of the terminal, ~60 KB for F1 at 80×24.
# Its output is held until the app's thread has been idle for a check (as Textual judges idle in
# textual/_wait.py: CPU time against wall-clock time), at the earliest after BILD_RUHE seconds and
# at most BILD_HOECHSTENS; then one full frame shows the result.
BILD_RUHE = 0.1
BILD_HOECHSTENS = 3.0
BILD_CPU_ANTEIL = 0.05  # idle: below this share of a core since the last check (as textual/_wait.py)
# The input thread's wait while keys come (Textual's own, for the lone Escape reported ``ESCDELAY``
# after it) and once input has paused for a second.
EINGABE_WACH = 0.1
EINGABE_RUHIG = 1.0


def _eingabe_lesen(treiber: LinuxDriver) -> None:
    """Textual's LinuxDriver input loop (drivers/linux_driver.py ``run_input_thread``), except that it
    wakes up once a second, not ten times, after a second without input. The short wait stays while
    keys come and for the first second after each key; leaving the app without a key (the terminal
    hung up) waits at most that second for this thread."""
    from codecs import getincrementaldecoder
    from selectors import EVENT_READ, SelectSelector

    from textual._xterm_parser import XTermParser

    auswahl = SelectSelector()
    auswahl.register(treiber.fileno, EVENT_READ)
    parser, dekodieren = XTermParser(treiber._debug), getincrementaldecoder("utf-8")().decode
    ruhig_seit = time.monotonic()
    try:
        while not treiber.exit_event.is_set():
            wach = time.monotonic() - ruhig_seit < EINGABE_RUHIG
            if auswahl.select(EINGABE_WACH if wach else EINGABE_RUHIG):
                ruhig_seit = time.monotonic()
                daten = dekodieren(os.read(treiber.fileno, 1024 * 4))
                for ereignis in parser.feed(daten) if daten else ():
                    treiber.process_message(ereignis)
            for ereignis in parser.tick():
                treiber.process_message(ereignis)
    finally:
        auswahl.close()


@cache
def _ladeanzeige() -> type[LoadingIndicator]:
    """Made on first use: the customer list comes up without the loading indicator's imports."""
    from rich.text import Text
    from textual.widgets import LoadingIndicator

    class Ladeanzeige(LoadingIndicator):
        """Textual's loading indicator, in German; still when animations are off
        (``TEXTUAL_ANIMATIONS=none``, as over SSH), where Textual's would repaint its unchanging
        "Loading..." 16 times a second."""

        def on_mount(self) -> None:
            if self.app.animation_level == "none":  # after Textual's own mount handler starts it
                self.call_later(self._stillstehen)

        def _stillstehen(self) -> None:
            self.auto_refresh = None

        def render(self) -> Any:  # noqa: ANN401 - Textual's RenderResult
            return Text("Wird geladen …") if self.app.animation_level == "none" else super().render()

    return Ladeanzeige


class KoplAusgabe(_AppBasis):
    """Mixed into the App (``class KoplApp(KoplAusgabe, App[None])``): output and input as above."""

    # The Header shows these itself (it watches them); Textual's App would also repaint the screen.
    title: Reactive[str] = Reactive("", compute=False, repaint=False)
    sub_title: Reactive[str] = Reactive("", compute=False, repaint=False)
    blinken: bool = False  # text cursors blink (``--blinken``, ``KOPL_BLINKEN=1``)
    _halten_seit: float | None = None  # output held since (a screen is coming up)
    _gehalten = False
    _geprueft = (0.0, 0.0)  # monotonic and thread CPU time of the last check

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Text cursors (Input, TextArea, also the palette's) blink only with ``blinken``: a blinking
        cursor repaints its field twice a second. Set on focus, the only time Textual's blink timer
        runs."""
        if hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = self.blinken

    def get_loading_widget(self) -> Widget:
        return _ladeanzeige()()

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this terminal (or the browser's), writing without redundant style
        resets (kopl_tui/sgr.py); on a terminal with the quieter input loop."""
        basis = super().get_driver_class()

        class KurzerTreiber(basis):  # type: ignore[valid-type, misc]
            def write(self, data: str) -> None:
                super().write(verdichten(data))

        if basis.__name__ == "LinuxDriver":
            KurzerTreiber.run_input_thread = _eingabe_lesen  # type: ignore[method-assign]
        return KurzerTreiber

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 - Textual's overloads
        self._bild_halten()
        return super().push_screen(*args, **kwargs)

    def pop_screen(self) -> AwaitComplete:
        self._bild_halten()
        return super().pop_screen()

    def switch_screen(self, screen: Screen | str) -> AwaitComplete:
        self._bild_halten()
        return super().switch_screen(screen)

    def _bild_halten(self) -> None:
        """A screen comes up (pushed, or uncovered): hold its frames until it has settled."""
        self._halten_seit = time.monotonic()
        self._geprueft = (self._halten_seit, time.thread_time())
        self._gehalten = False
        self.set_timer(BILD_RUHE, self._bild_pruefen)

    def _bild_pruefen(self) -> None:
        """Settled: the app's thread (not its workers) has been idle since the last check, at least
        BILD_RUHE after the screen came. Building a screen keeps that thread busy between its frames
        (on a loaded server a step may take longer than BILD_RUHE without one: showing the half-built
        mask cost a full frame more, 16 KB instead of 4.5 KB); a cheap animation on a settled screen
        (the loading indicator at 16 frames a second) does not."""
        if self._halten_seit is None:
            return
        jetzt, cpu = time.monotonic(), time.thread_time()
        vorher, cpu_vorher = self._geprueft
        self._geprueft = (jetzt, cpu)
        untaetig = cpu - cpu_vorher < BILD_CPU_ANTEIL * (jetzt - vorher)
        if (self._gehalten and untaetig) or jetzt - self._halten_seit >= BILD_HOECHSTENS:
            self._halten_seit = None
            if self._gehalten and self.screen_stack:  # (no screen left while the app ends)
                self.screen.refresh()  # one full frame of the settled screen
        else:
            self.set_timer(BILD_RUHE / 2, self._bild_pruefen)

    def _display(self, screen: Screen, renderable: object) -> None:
        if self._halten_seit is not None and renderable is not None:
            self._gehalten = True
            return
        super()._display(screen, renderable)  # type: ignore[arg-type]

    @property
    def _background_screens(self) -> list[Screen]:
        """Screens seen through the top one. Textual counts the screen just below as seen also when
        the top screen is opaque, and every change there (its header following the sub-title, its
        footer following the bindings) then repaints the whole top screen. An opaque screen hides
        what is below; dialogs (translucent) still show it."""
        if self.screen_stack and self.screen.styles.background.a == 1:
            return []
        return super()._background_screens
