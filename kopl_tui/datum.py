"""Dates as staff type and read them (TT.MM.JJJJ) and the calendar arithmetic the guide needs."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta, timezone

DATUMSFORMAT = "%d.%m.%Y"
_DATUM_RE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
_ZIFFERN_RE = re.compile(r"^\s*(\d{2})(\d{2})(\d{4})\s*$")  # 07012025: quick typing without dots


def jetzt() -> datetime:
    """Now, in local time with its UTC offset (how every time stamp is stored). From UTC, as the
    moment is unambiguous then, also in the hour repeated when summer time ends; and it takes one
    look-up of the local offset where ``datetime.now().astimezone()`` takes four."""
    return datetime.now(timezone.utc).astimezone()


class DatumFehler(ValueError):
    """A date the user typed that is no real calendar day; the message is German and shown as is."""


def parse_datum(text: str) -> date | None:
    """TT.MM.JJJJ (or TTMMJJJJ) → date; empty or a mask's blank (``__.__.____``) → None."""
    roh = text.replace("_", "").strip()
    if roh in ("", "..", "."):
        return None
    treffer = _DATUM_RE.match(roh) or _ZIFFERN_RE.match(roh)
    if not treffer:
        raise DatumFehler(f"{zitat(text)} ist kein Datum im Format TT.MM.JJJJ.")
    tag, monat, jahr = (int(teil) for teil in treffer.groups())
    if not ERSTES_JAHR <= jahr <= LETZTES_JAHR:
        raise DatumFehler(_jahr_ausserhalb(jahr))
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


# Typed dates, dates from the disk and dates from code share one range, so date arithmetic
# (four weeks, six months) can never overflow and a year 0 or 9999 is a message, not a crash.
ERSTES_JAHR, LETZTES_JAHR = 1900, 2199


def _jahr_ausserhalb(jahr: int) -> str:
    return f"Das Jahr {jahr} liegt außerhalb des zulässigen Bereichs ({ERSTES_JAHR}–{LETZTES_JAHR})."


def im_bereich(tag: date) -> date:
    """A date that did not come through ``parse_datum`` (ISO from disk, a date object) checked alike."""
    if not ERSTES_JAHR <= tag.year <= LETZTES_JAHR:
        raise DatumFehler(_jahr_ausserhalb(tag.year))
    return tag


def zitat(text: str, hoechstens: int = 30) -> str:
    """User input quoted in a message: trimmed and shortened (pasted megabytes stay out of dialogs),
    unprintable characters (controls, direction marks, surrogates) shown as �."""
    kurz = "".join(z if z.isprintable() else "�" for z in text.strip()[:hoechstens + 1])
    return f"„{kurz[:hoechstens]}…“" if len(kurz) > hoechstens else f"„{kurz}“"
