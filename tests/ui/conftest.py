"""Pilot tests drive the real app on a real demo data folder (fixed reference day).

Opening an Akte and the final save run in thread workers (they wait for file locks). A key press
the Pilot sends returns once the app is idle, which a worker waiting for the disk (fsync) also looks
like; so after every key and pause the Pilot here also waits for the app's Akte workers to end and
for what they hand back to be shown – as a user waits for the screen. A test of the waiting itself
switches that off with ``nicht_auf_akte_warten``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from textual.worker import WorkerState

from kopl_tui.app import KoplApp
from tests.conftest import HEUTE


_AUF_AKTE_WARTEN = [True]


@contextlib.contextmanager
def nicht_auf_akte_warten() -> Iterator[None]:
    """Inside the block the Pilot returns while an Akte is still opening or saving."""
    _AUF_AKTE_WARTEN.append(False)
    try:
        yield
    finally:
        _AUF_AKTE_WARTEN.pop()


async def akte_abwarten(pilot: Pilot) -> None:
    """Until no Akte worker runs, each one's result on screen."""
    urspruenglich = _PAUSE_ORIGINAL
    while True:
        laufend = [w for w in pilot.app.workers if w.group == "akte" and w.state in (WorkerState.PENDING,
                                                                                      WorkerState.RUNNING)]
        if not laufend:
            return
        for worker in laufend:
            with contextlib.suppress(Exception):  # its failure is the app's to show
                await worker.wait()
        await urspruenglich(pilot)


_PRESS_ORIGINAL, _PAUSE_ORIGINAL = Pilot.press, Pilot.pause


@pytest.fixture(autouse=True)
def pilot_wartet_auf_akte(monkeypatch: pytest.MonkeyPatch) -> None:
    async def press(self: Pilot, *keys: str) -> None:
        for taste in keys:  # a key after Strg+S comes when the save is done, as a user sees it
            await _PRESS_ORIGINAL(self, taste)
            if _AUF_AKTE_WARTEN[-1]:
                await akte_abwarten(self)

    async def pause(self: Pilot, delay: float | None = None) -> None:
        await _PAUSE_ORIGINAL(self, delay)
        if _AUF_AKTE_WARTEN[-1]:
            await akte_abwarten(self)

    monkeypatch.setattr(Pilot, "press", press)
    monkeypatch.setattr(Pilot, "pause", pause)


@pytest.fixture
def app(demo_ordner: Path) -> KoplApp:
    return KoplApp(data_dir=demo_ordner, benutzer="tester", heute=HEUTE)


async def eintragen(pilot: Pilot, selektor: str, wert: str) -> None:
    """The Input or TextArea ``selektor`` of the current screen then holds ``wert``, as if a user had
    typed it over what stood there: for tests whose subject is not the typed characters (one step
    instead of a key press per character; tests of typing itself press the keys).

    The way a user's typing goes, through public API: the field gets the focus (its own focus
    handling runs; a disabled field refuses it), the widget's own editing method replaces the text,
    so an Input's ``restrict`` and ``max_length`` apply and the same ``Changed`` message is posted
    that a key press would post; the cursor stands after the text. A value the field refuses, or a
    read-only TextArea, fails the test: typing would not have put it there either."""
    feld = pilot.app.screen.query_one(selektor)
    assert isinstance(feld, (Input, TextArea)), f"{selektor} ist kein Eingabefeld: {type(feld).__name__}"
    feld.focus()
    await pilot.pause()
    assert pilot.app.focused is feld, f"{selektor} nimmt den Fokus nicht (gesperrt?)"
    if isinstance(feld, Input):
        feld.replace(wert, 0, len(feld.value))
        angekommen = feld.value
    else:
        assert not feld.read_only, f"{selektor} ist schreibgeschützt"
        feld.replace(wert, feld.document.start, feld.document.end)
        feld.move_cursor(feld.document.end)
        angekommen = feld.text
    assert angekommen == wert, f"{selektor} nimmt {wert!r} nicht an (steht: {angekommen!r})"
    await pilot.pause()


async def kunde_oeffnen(pilot, suche: str) -> None:
    """The search in #suche, then Enter, as a user would (typing the search: tests/ui/test_kundenliste.py)."""
    await eintragen(pilot, "#suche", suche)
    await pilot.press("enter")
    await pilot.pause()


async def auswahl(pilot, wert: str) -> None:
    """Choose a value in the focused Select: open it, type to search, Enter."""
    await pilot.press("enter")
    await pilot.press(*wert[:4])
    await pilot.press("enter")
    await pilot.pause()
