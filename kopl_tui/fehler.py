"""The refusals and failures a screen can meet, in one place: each with a German message for the user.

The screens (and the app shell) catch only what this module names; pydantic's ``ValidationError``
and the guide's ``RegelVerletzung`` never reach them – the session facade (``kopl_tui.sitzung``)
turns both into ``Abgelehnt``, a message per field. The other classes live with the code that
raises them and are named here, not copied, so every failure keeps one class and one name.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from kopl_tui.dateien import StoreFehler

if TYPE_CHECKING:
    from kopl_tui.akte import BaRegelVerletzt as BaRegelVerletzt
    from kopl_tui.akte import NurLesen as NurLesen
    from kopl_tui.akte import SperreVerloren as SperreVerloren
    from kopl_tui.briefkopf import BriefkopfFehler as BriefkopfFehler
    from kopl_tui.briefvorlagen import VorlagenFehler as VorlagenFehler
    from kopl_tui.drucken import DruckFehler as DruckFehler
    from kopl_tui.drucken import KeinDrucker as KeinDrucker
    from kopl_tui.ergaenzungen import ErgaenzungFehler as ErgaenzungFehler
    from kopl_tui.model import Befund
    from kopl_tui.store import VersionKonflikt as VersionKonflikt

__all__ = ["Abgelehnt", "BaRegelVerletzt", "BriefkopfFehler", "DruckFehler", "ErgaenzungFehler", "KeinDrucker",
           "NurLesen", "SperreVerloren", "StoreFehler", "VersionKonflikt", "VorlagenFehler", "GANZER_DATENSATZ"]

# Where each class lives; imported on first use, so that the customer list starts without pydantic
# and TinyDB (README "Kapazität": start-up).
_ORT = {"BaRegelVerletzt": "kopl_tui.akte", "NurLesen": "kopl_tui.akte", "SperreVerloren": "kopl_tui.akte",
        "BriefkopfFehler": "kopl_tui.briefkopf", "VorlagenFehler": "kopl_tui.briefvorlagen",
        "DruckFehler": "kopl_tui.drucken", "KeinDrucker": "kopl_tui.drucken",
        "ErgaenzungFehler": "kopl_tui.ergaenzungen", "VersionKonflikt": "kopl_tui.store"}


def __getattr__(name: str) -> Any:  # noqa: ANN401 - the class of the owning module
    modul = _ORT.get(name)
    if modul is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(modul), name)


GANZER_DATENSATZ = "__root__"
"""The "field" of a message that concerns the record as a whole (e.g. two dates that do not fit)."""


class Abgelehnt(ValueError):
    """Input refused, nothing applied: ``felder`` maps each field concerned to its German message
    (``GANZER_DATENSATZ`` for the record as a whole). Type errors (pydantic) and the guide's rules
    come alike, so the screen shows every message at its field (guide §3)."""

    def __init__(self, felder: Mapping[str, str]):
        self.felder = dict(felder)
        super().__init__(" ".join(self.felder.values()))

    @classmethod
    def aus_befunden(cls, befunde: Iterable[Befund]) -> Abgelehnt:
        """The first finding of each field (the guide's order)."""
        felder: dict[str, str] = {}
        for befund in befunde:
            felder.setdefault(befund.feld, befund.meldung)
        return cls(felder)
