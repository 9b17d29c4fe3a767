"""CSV import of customers: all rows or none, bad rows by line number."""

from kopl_tui.cli import main
from kopl_tui.kunden_import import importieren

KOPF = "kundennummer;anrede;nachname;vorname;geburtsdatum;bg_nummer;ifk\n"


def test_import_gute_datei(tmp_path, store):
    datei = tmp_path / "kunden.csv"
    datei.write_text(KOPF + "123D000001;Frau;Musterfrau;Erika;01.02.1980;12345//0000001;Ina Beispiel\n"
                     "123D000002;Herr;Mustermann;Max;31.12.1975;12345//0000002;Tom Muster\n", encoding="utf-8")
    ergebnis = importieren(datei, store)
    assert ergebnis.fehler == []
    assert [k.kundennummer for k in store.kunden()] == ["123D000001", "123D000002"]
    assert store.kunde("123D000002").geburtsdatum.isoformat() == "1975-12-31"


def test_import_fehlerhafte_zeilen_mit_zeilennummer_nichts_importiert(tmp_path, store, capsys):
    datei = tmp_path / "kunden.csv"
    datei.write_text(KOPF + "123D000001;Frau;Musterfrau;Erika;01.02.1980;12345//0000001;Ina\n"
                     "12D0001;Herr;Mustermann;Max;31.12.1975;12345//0000002;Tom\n"
                     "123D000003;Herr;Probe;Paul;31.02.1975;12345//0000003;Tom\n"
                     "123D000001;Frau;Doppelt;Dora;01.01.1990;12345//0000004;Ina\n"
                     "123D000005;Frau;Kurz\n", encoding="utf-8")
    assert main(["import-kunden", str(datei), "--data", str(store.data_dir)]) == 1
    fehler = capsys.readouterr().err
    assert "Zeile 3:" in fehler and "Kundennummer" in fehler
    assert "Zeile 4:" in fehler and "31.02.1975" in fehler
    assert "Zeile 5:" in fehler and "Zeile 2" in fehler
    assert "Zeile 6:" in fehler and "Spalten" in fehler
    assert "Zeile 2:" not in fehler.replace("Zeile 2\n", "").split("Zeile 5:")[0]
    assert store.ist_leer()


def test_import_falsche_kopfzeile(tmp_path, store):
    datei = tmp_path / "kunden.csv"
    datei.write_text("nr;name\n1;x\n", encoding="utf-8")
    assert "Kopfzeile" in importieren(datei, store).fehler[0]
