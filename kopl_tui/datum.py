"""Dates as staff type and read them (TT.MM.JJJJ) and the calendar arithmetic the guide needs."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

DATUMSFORMAT = "%d.%m.%Y"
_DATUM_RE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
_ZIFFERN_RE = re.compile(r"^\s*(\d{2})(\d{2})(\d{4})\s*$")  # 07012025: quick typing without dots


class DatumFehler(ValueError):
    """A date the user typed that is no real calendar day; the message is German and shown as is."""


def parse_datum(text: str) -> date | None:
    """TT.MM.JJJJ (or TTMMJJJJ) → date; empty or a mask's blank (``__.__.____``) → None."""
    roh = text.replace("_", "").strip()
    if roh in ("", "..", "."):
        return None
    treffer = _DATUM_RE.match(roh) or _ZIFFERN_RE.match(roh)
    if not treffer:
        raise DatumFehler(f"„{text.strip()}“ ist kein Datum im Format TT.MM.JJJJ.")
    tag, monat, jahr = (int(teil) for teil in treffer.groups())
    if jahr < 1900 or jahr > 2199:
        raise DatumFehler(f"Das Jahr {jahr} liegt außerhalb des zulässigen Bereichs (1900–2199).")
    if not 1 <= monat <= 12:
        raise DatumFehler(f"Den Monat {monat:02d} gibt es nicht.")
    letzter = calendar.monthrange(jahr, monat)[1]
    if not 1 <= tag <= letzter:
        raise DatumFehler(f"Den {tag:02d}.{monat:02d}.{jahr} gibt es nicht (der Monat hat {letzter} Tage).")
    return date(jahr, monat, tag)


def format_datum(wert: date | None, leer: str = "") -> str:
    return wert.strftime(DATUMSFORMAT) if wert else leer


def plus_monate(start: date, monate: int) -> date:
    """Calendar months forward; the 31.08. plus six months is the last day of February."""
    index = start.month - 1 + monate
    jahr, monat = start.year + index // 12, index % 12 + 1
    return date(jahr, monat, min(start.day, calendar.monthrange(jahr, monat)[1]))


def vortag(tag: date) -> date:
    return tag - timedelta(days=1)
