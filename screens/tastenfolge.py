"""Keys are applied one after the other, in the order typed — also when they arrive together.

Textual hands a key to the focused widget as a message and goes on with the next key at once. What
the key does — a binding that moves the focus or opens a screen, a text field's Backspace, Strg+U or
Enter (run only after the key has bubbled up to the app,
https://github.com/Textualize/textual/issues/6605) — happens later, when the widgets have handled
the message. Keys that arrive in one read, as they do over SSH on a slow line or from a fast typist,
then go to the widget that *was* focused or land in the wrong order: "Strg+F Meier" typed in the
list lost "Meier", "abc⌫d" in a field gave "abc", Enter Enter (open the customer, open the plan)
lost the second Enter. A paste (bracketed paste) queues like a key: Strg+F, then paste a Kundennummer.

So the app hands over one key at a time. Behind each key a ``TasteErledigt`` message follows the
same way through the widgets; messages keep their order, so when it arrives back at the app the key
has been handled, bound actions included. A second lap follows for what the key set off in turn (a
button's ``Pressed``, a table's ``RowSelected``). Only then goes the next key, to the widget focused
*now*. While the app waits for a worker (an Akte being opened or saved) the keys for the screen it
waits on are held and go once the worker is done, so typing ahead into the next screen works;
``KoplApp.taste_jetzt`` says which keys may go meanwhile (F1, and the keys of the help it opens).
"""

from __future__ import annotations

import time
from collections import deque
from typing import TYPE_CHECKING

from textual import events
from textual.message import Message

Eingabe = events.Key | events.Paste  # what the terminal sends that must keep its order

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.timer import Timer

    _App = App[None]
else:
    _App = object  # a mixin in front of App

RUNDEN = 2  # the key itself, then the messages its handling posted (one level is what the screens use)
HOECHSTENS_WARTEND = 256  # keys kept while the app is busy; more are dropped (a key held down)
VERLOREN_NACH = 5.0  # s: a lap not back by then counts as done, as if the keys were not held at all


class TasteErledigt(Message):
    """Follows a key along the widgets it went to; back at the app, that key is done."""

    def __init__(self, runde: int) -> None:
        super().__init__()
        self.runde = runde


class Tastenfolge(_App):
    """App mixin: hands the terminal's keys to the widgets one at a time (see the module docstring)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._tasten_wartend: deque[Eingabe] = deque()
        self._tasten_gehalten: list[Eingabe] = []  # for the screen the app is busy on
        self._runde: tuple[TasteErledigt, MessagePump, float] | None = None
        self._tasten_wache: Timer | None = None

    def taste_jetzt(self, taste: Eingabe) -> bool:
        """May ``taste`` be handed over now? The app says no while it is busy; the key is then held
        until ``tasten_freigeben``."""
        return True

    def tasten_freigeben(self) -> None:
        """The app is no longer busy: the held keys go first, in the order typed."""
        self._tasten_wartend.extendleft(reversed(self._tasten_gehalten))
        self._tasten_gehalten.clear()
        self.call_later(self.tasten_weiter)  # after the current handler: the next screen is up by then

    def tasten_verwerfen(self) -> None:
        """Forget the keys typed ahead: what comes up was not foreseeable (an error after waiting)."""
        self._tasten_wartend.clear()
        self._tasten_gehalten.clear()

    async def tasten_weiter(self) -> None:
        """Hand over the waiting keys, one at a time, until one is on its way."""
        while self._runde is None and self._tasten_wartend:
            taste = self._tasten_wartend.popleft()
            if not self.taste_jetzt(taste):
                if len(self._tasten_gehalten) < HOECHSTENS_WARTEND:
                    self._tasten_gehalten.append(taste)
                continue
            await super().on_event(taste)  # Textual's own: priority bindings, else to the focused widget
            if taste.is_forwarded:
                self._nachschicken(1)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if len(self._tasten_wartend) < HOECHSTENS_WARTEND:
                self._tasten_wartend.append(event)
            if self._runde is None:
                await self.tasten_weiter()
            elif self._tasten_wache is None:
                self._tasten_wache = self.set_interval(0.05, self._runde_pruefen)
            else:
                self._tasten_wache.resume()
            return
        await super().on_event(event)

    def _nachschicken(self, runde: int) -> None:
        ziel = self.focused or self.screen
        nachricht = TasteErledigt(runde)
        if ziel.post_message(nachricht):
            self._runde = (nachricht, ziel, time.monotonic())

    async def on_taste_erledigt(self, nachricht: TasteErledigt) -> None:
        if self._runde is None or self._runde[0] is not nachricht:
            return  # a lap given up on (see _runde_pruefen)
        self._runde = None
        if nachricht.runde < RUNDEN:
            self._nachschicken(nachricht.runde + 1)
        await self.tasten_weiter()

    async def _runde_pruefen(self) -> None:
        """A lap is lost when a widget on its way went away (a dialog closed by the key); then, and
        after ``VERLOREN_NACH``, the next key goes."""
        if self._runde is not None:
            _, ziel, seit = self._runde
            if ziel.is_attached and time.monotonic() - seit < VERLOREN_NACH:
                return
            self._runde = None
            await self.tasten_weiter()
        if self._runde is None and self._tasten_wache is not None:
            self._tasten_wache.pause()
