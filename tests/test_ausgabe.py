"""kopl_tui/ausgabe.py leans on Textual internals (its docstring names each one and why). Textual is
pinned ``>=8.2,<9``; should a release in that range drop or reshape one of them, these tests fail by
name, instead of the app quietly writing more bytes over SSH or its input thread dying in a session."""

from __future__ import annotations

import inspect
import os
import signal
import threading
from collections.abc import Iterator

import pytest
from textual import events
from textual.app import App
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message
from textual.reactive import Reactive

from kopl_tui import ausgabe
from kopl_tui.app import KoplApp
from kopl_tui.ausgabe import KoplAusgabe


def test_app_interna_die_die_ausgabe_ersetzt_gibt_es_noch() -> None:
    assert list(inspect.signature(App._display).parameters) == ["self", "screen", "renderable"]
    assert isinstance(inspect.getattr_static(App, "_background_screens"), property)
    assert isinstance(inspect.getattr_static(App, "_screen_stack"), property)
    for name in ("title", "sub_title"):
        assert isinstance(App.__dict__[name], Reactive)
    assert "repaint" in inspect.signature(Reactive).parameters


def test_koplapp_nimmt_die_ersetzungen_der_ausgabe() -> None:
    """A method renamed on either side would silently fall back to Textual's own."""
    for name in ("_display", "_background_screens", "get_driver_class", "get_loading_widget", "push_screen",
                 "pop_screen", "switch_screen"):
        assert name in KoplAusgabe.__dict__ and hasattr(App, name), name
        assert inspect.getattr_static(KoplApp, name) is KoplAusgabe.__dict__[name], name
    for name in ("title", "sub_title"):
        assert KoplApp._reactives[name] is KoplAusgabe.__dict__[name]
        assert KoplApp._reactives[name]._repaint is False


@pytest.fixture
def signale() -> Iterator[None]:
    """LinuxDriver installs handlers for Ctrl+Z (SIGTSTP, SIGCONT) when made: given back afterwards."""
    vorher = {nummer: signal.getsignal(nummer) for nummer in (signal.SIGTSTP, signal.SIGCONT)}
    yield
    for nummer, handler in vorher.items():
        signal.signal(nummer, handler)


async def test_eingabeschleife_mit_textuals_treiber_und_parser(signale: None) -> None:
    """The replaced input loop with Textual's real LinuxDriver and XTermParser, reading a pipe as if
    it were the terminal: a key, a lone Escape (reported ESCDELAY after it, by the parser's tick),
    and the thread ends when the driver's exit event is set."""
    app = KoplApp.__new__(KoplApp)  # only its driver class is asked for (no data folder needed)
    treiber_klasse = KoplAusgabe.get_driver_class(app)
    assert issubclass(treiber_klasse, LinuxDriver)
    assert treiber_klasse.run_input_thread is ausgabe._eingabe_lesen
    assert "run_input_thread" in LinuxDriver.__dict__

    angekommen: list[Message] = []
    da = threading.Event()

    class Treiber(LinuxDriver):
        def send_message(self, message: Message) -> None:  # the app's queue: collected here
            angekommen.append(message)
            if isinstance(message, events.Key) and message.key == "escape":
                da.set()

    treiber = Treiber(App(), debug=False, mouse=False, size=(80, 24))
    lesen, schreiben = os.pipe()
    treiber.fileno = lesen  # the terminal's input
    assert isinstance(treiber.exit_event, threading.Event) and treiber._debug is False
    faden = threading.Thread(target=ausgabe._eingabe_lesen, args=(treiber,), daemon=True)
    faden.start()
    try:
        os.write(schreiben, "aä".encode())
        os.write(schreiben, b"\x1b")
        assert da.wait(10), angekommen
        assert [m.key for m in angekommen if isinstance(m, events.Key)] == ["a", "ä", "escape"]
    finally:
        treiber.exit_event.set()
        faden.join(10)
        os.close(schreiben)
        os.close(lesen)
    assert not faden.is_alive()
