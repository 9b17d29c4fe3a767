from datetime import date

import pytest

from kopl_tui.datum import DatumFehler, format_datum, parse_datum, plus_monate


def test_datum_tt_mm_jjjj_wird_gelesen_und_geschrieben():
    assert parse_datum("07.01.2025") == date(2025, 1, 7)
    assert format_datum(date(2025, 1, 7)) == "07.01.2025"


@pytest.mark.parametrize("leer", ["", "  ", "__.__.____", ".."])
def test_leeres_datum_ist_kein_datum(leer):
    assert parse_datum(leer) is None


@pytest.mark.parametrize("text, teil", [
    ("31.02.2024", "gibt es nicht"), ("01.13.2024", "Monat 13"), ("2024-01-01", "TT.MM.JJJJ"),
    ("01.01.0000", "Jahr 0"), ("aa.bb.cccc", "TT.MM.JJJJ"),
])
def test_ungueltiges_datum_deutsche_meldung(text, teil):
    with pytest.raises(DatumFehler, match=teil):
        parse_datum(text)


def test_plus_monate_am_monatsende():
    assert plus_monate(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert plus_monate(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert plus_monate(date(2025, 1, 7), 6) == date(2025, 7, 7)
