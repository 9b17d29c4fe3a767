"""User data on screen exactly as typed: names, plan texts, IFK, user names, paths, messages quoting input.

Textual reads ``[...]`` in a plain ``str`` as markup in ``Static``/``Label`` (also ``update``),
``Button`` labels, ``notify``, border titles and ``Select`` options, and a ``DataTable`` reads ``str``
cells as Rich markup. A customer "Mei[/er]" then ends the app (MarkupError), "[@click=app.quit]x[/]"
becomes a live link running an app action, "Kunde [Alt]" loses its "[Alt]". ``textual.markup.escape``
does not help (it leaves "[Alt]" alone). What the screens use instead, Textual's own means:

- ``Static(..., markup=False)`` / ``Label(..., markup=False)``: every later ``update(str)`` is literal too;
- ``Content(text)`` where a widget takes a visual (``Button`` label, ``Static.update``);
- ``notify(..., markup=False)`` (the title is always literal);
- ``zellen(...)`` below for ``DataTable`` rows; ``screens.auswahlfeld.Auswahlfeld`` for dropdowns.

``Header`` (title, sub_title), ``Footer``, ``Input`` and ``TextArea`` show strings as they are.
"""

from __future__ import annotations

from rich.text import Text


def zellen(*werte: str) -> list[Text]:
    """One DataTable row shown as typed (a ``str`` cell would be read as Rich markup)."""
    return [Text(wert) for wert in werte]
