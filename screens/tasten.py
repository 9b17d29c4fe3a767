"""Textual ``Binding``s from the one keymap (kopl_tui.keymap)."""

from __future__ import annotations

from textual.binding import Binding

from kopl_tui.keymap import anzeige, tasten_fuer


def bindings(ort: str) -> list[Binding]:
    return [
        Binding(taste.tasten, taste.aktion, taste.text, show=taste.zeigen, key_display=anzeige(taste),
                priority=taste.prioritaet, tooltip=taste.hilfe, id=taste.id)
        for taste in tasten_fuer(ort)
    ]
