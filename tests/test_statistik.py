"""`kopl-tui statistik`: the current plan's statistics fields (17.6, 17.7, Status) per customer."""

import csv
import io
from datetime import date

import pytest

from kopl_tui.cli import main
from kopl_tui.model import UNBEGRENZT, Anrede, Kooperationsplan, Kunde, Status
from kopl_tui.store import Store


def kunde(nr: str) -> Kunde:
    return Kunde(kundennummer=nr, anrede=Anrede.HERR, nachname="Statistik", vorname="Sven",
                 geburtsdatum="03.04.1975", bg_nummer="54321//0004321")


def plan(status: Status | None, ab: date | None, bis: date | str | None = UNBEGRENZT, **werte) -> Kooperationsplan:
    return Kooperationsplan(status=status, gueltig_ab=ab, gueltig_bis=bis, **werte)


# Known input, Stichtag 25.11.2026, and the rows the Fallübersicht would show for it (guide §5).
AKTEN = {
    # an ended plan and the current unbegrenzt one
    "300D000001": [plan(Status.EINVERSTAENDNIS, date(2025, 1, 1), date(2025, 6, 30)),
                   plan(Status.EINVERSTAENDNIS, date(2025, 7, 1))],
    # a plan with an end date that is still running
    "300D000002": [plan(Status.IN_BEARBEITUNG, date(2026, 10, 1), date(2026, 12, 31))],
    # only an Aufforderung: no Kooperationsplan
    "300D000003": [plan(Status.NUR_AUFFORDERUNG, None, None, tag_der_aufforderung=date(2026, 11, 1),
                        frist_zur_erledigung=date(2026, 11, 30))],
    # starts after the Stichtag
    "300D000004": [plan(Status.EINVERSTAENDNIS, date(2026, 12, 1))],
    # 300D000005: in the index only, no Akte file
    # BA rule broken: the one that started last is the current one
    "300D000006": [plan(Status.EINVERSTAENDNIS, date(2025, 3, 1)),
                   plan(Status.KEIN_EINVERSTAENDNIS, date(2026, 6, 1))],
    # ended the day before the Stichtag / ends on the Stichtag
    "300D000007": [plan(Status.EINVERSTAENDNIS, date(2026, 5, 1), date(2026, 11, 24))],
    "300D000008": [plan(Status.EINVERSTAENDNIS, date(2026, 5, 1), date(2026, 11, 25))],
    # a migrated plan without status
    "300D000009": [plan(None, date(2024, 11, 1))],
}

ERWARTET = """\
Kundennummer;Kooperationsplan gültig ab (17.6);gültig bis (17.7);Status Kooperationsplan
300D000001;01.07.2025;unbegrenzt;Einverständnis
300D000002;01.10.2026;31.12.2026;in Bearbeitung
300D000003;;;
300D000004;;;
300D000005;;;
300D000006;01.06.2026;unbegrenzt;kein Einverständnis
300D000007;;;
300D000008;01.05.2026;25.11.2026;Einverständnis
300D000009;01.11.2024;unbegrenzt;
"""


@pytest.fixture
def bekannter_ordner(tmp_path) -> Store:
    store = Store(tmp_path / "daten")
    store.kunden_schreiben([kunde(nr) for nr in [*AKTEN, "300D000005"]])
    for nr, plaene in AKTEN.items():
        store.akte_speichern(nr, plaene, 0, "test")
    return store


def test_statistik_csv_gleich_der_erwarteten(bekannter_ordner, capsys):
    assert main(["statistik", "--data", str(bekannter_ordner.data_dir), "--stichtag", "25.11.2026"]) == 0
    ausgabe = capsys.readouterr()
    assert ausgabe.out == ERWARTET
    assert ausgabe.err == ""
    assert len(list(csv.reader(io.StringIO(ausgabe.out), delimiter=";"))) == 10


def test_statistik_haengt_am_stichtag(bekannter_ordner, capsys):
    main(["statistik", "--data", str(bekannter_ordner.data_dir), "--stichtag", "01.12.2026"])
    zeilen = {z[0]: z[1:] for z in csv.reader(io.StringIO(capsys.readouterr().out), delimiter=";")}
    assert zeilen["300D000004"] == ["01.12.2026", "unbegrenzt", "Einverständnis"]
    assert zeilen["300D000008"] == ["", "", ""]


def test_unlesbare_akte_auf_stderr_rest_vollstaendig(bekannter_ordner, capsys):
    bekannter_ordner.akte_pfad("300D000002").write_bytes(b"\x00\x01kaputt")
    assert main(["statistik", "--data", str(bekannter_ordner.data_dir), "--stichtag", "25.11.2026"]) == 1
    ausgabe = capsys.readouterr()
    assert ausgabe.out == ERWARTET.replace("300D000002;01.10.2026;31.12.2026;in Bearbeitung\n", "")
    assert "300D000002.json" in ausgabe.err and "kann nicht gelesen werden" in ausgabe.err


def test_stichtag_ist_pflicht(bekannter_ordner):
    with pytest.raises(SystemExit) as ende:
        main(["statistik", "--data", str(bekannter_ordner.data_dir)])
    assert ende.value.code == 2
