"""Figures the reliability tests measure; conftest prints them at the end of every run."""

from __future__ import annotations

ERGEBNISSE: list[str] = []


def melden(titel: str, **werte: object) -> None:
    zeile = f"{titel}: " + ", ".join(f"{name.replace('_', ' ')} {wert}" for name, wert in werte.items())
    ERGEBNISSE.append(zeile)
    print(zeile)
