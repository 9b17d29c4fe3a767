"""Every command on a data folder the file system lets down: a full disk and a read-only disk (real
tmpfs), a folder of another account (a real second uid), a lock file that is a folder or holds a pid
beyond any process. Always exit code 2 and a German message naming the file and what to do; never
a traceback, never the C library's English."""

from __future__ import annotations

import encodings.utf_8_sig  # noqa: F401 - the CSV import's codec, loaded before the uid changes
import json
import os
import shutil
import socket
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import kopl_tui
import kopl_tui.ablage  # noqa: F401 - everything a command imports lazily, loaded before the uid changes
import kopl_tui.briefe
import kopl_tui.demo
import kopl_tui.kunden_import
import kopl_tui.pruefung
import kopl_tui.schulung
import kopl_tui.sperre
import kopl_tui.statistik
from kopl_tui.cli import main
from kopl_tui.demo import demo_jobcenter, schreiben
from kopl_tui.sperre import AkteSperre
from kopl_tui.store import Store
from tests.conftest import HEUTE, Platte, als_niemand

MAX = "100D000003"
KOPF = "kundennummer;anrede;nachname;vorname;geburtsdatum;bg_nummer;ifk\n"


def programm(*argumente: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kopl_tui", *argumente, "--benutzer", "support"],
                          capture_output=True, text=True, check=False)


def deutsch_ohne_traceback(ausgabe: str) -> bool:
    return not any(wort in ausgabe for wort in ("Traceback", "Errno", "No space", "Read-only", "Permission denied",
                                                "Error:"))


def csv_datei(ordner: Path) -> Path:
    datei = ordner / "neu.csv"
    datei.write_text(KOPF + "123D000001;Frau;Neu;Nora;01.02.1980;12345//0000001;Ina Beispiel\n", encoding="utf-8")
    datei.chmod(0o644)
    return datei


def demo_mit_sperre_und_defekter_akte(ordner: Path) -> Store:
    store = Store(ordner)
    schreiben(store, demo_jobcenter(HEUTE))
    AkteSperre.nehmen(store, MAX, "anna")  # a lock of this live test process: sperre-aufheben needs --erzwingen
    store.akte_pfad("100D000001").write_bytes(b"{kaputt")  # a defective Akte for akte-beiseite
    return store


# ---- full disk -------------------------------------------------------------------------------------

def test_volle_platte_jeder_schreibende_befehl_exit_2_deutsch(platte: Platte, tmp_path):
    store = demo_mit_sperre_und_defekter_akte(platte.ordner / "daten")
    platte.fuellen()
    daten = str(store.data_dir)
    laeufe = {
        "import-kunden": programm("import-kunden", str(csv_datei(tmp_path)), "--data", daten),
        "sperre-aufheben": programm("sperre-aufheben", MAX, "--erzwingen", "--data", daten),
        "demo": programm("demo", "--data", str(platte.ordner / "neu")),
    }
    for befehl, lauf in laeufe.items():
        assert lauf.returncode == 2, (befehl, lauf.stdout, lauf.stderr)
        assert "Kein Speicherplatz mehr frei" in lauf.stderr and "Was tun:" in lauf.stderr, (befehl, lauf.stderr)
        assert str(platte.ordner) in lauf.stderr and deutsch_ohne_traceback(lauf.stderr), (befehl, lauf.stderr)
    assert AkteSperre.lesen(store, MAX).benutzer == "anna"  # nothing half done
    assert [k.kundennummer for k in store.kunden()] == sorted(f.kunde.kundennummer for f in demo_jobcenter(HEUTE))


# ---- read-only disk --------------------------------------------------------------------------------

def test_nur_lesbar_schreibende_befehle_exit_2_lesende_arbeiten(platte: Platte, tmp_path):
    store = demo_mit_sperre_und_defekter_akte(platte.ordner / "daten")
    platte.nur_lesbar()
    daten = str(store.data_dir)
    for argumente in (("import-kunden", str(csv_datei(tmp_path))), ("demo", "--reset"),
                      ("akte-beiseite", "100D000001"), ("sperre-aufheben", MAX, "--erzwingen")):
        lauf = programm(*argumente, "--data", daten)
        assert lauf.returncode == 2, (argumente, lauf.stdout, lauf.stderr)
        assert "nur lesbar eingehängt" in lauf.stderr and daten in lauf.stderr, (argumente, lauf.stderr)
        assert deutsch_ohne_traceback(lauf.stderr), (argumente, lauf.stderr)
    for argumente in (("pruefen",), ("statistik", "--stichtag", "25.11.2026")):  # they only read
        lauf = programm(*argumente, "--data", daten)
        assert lauf.returncode == 1 and "Traceback" not in lauf.stderr, (argumente, lauf.stderr)  # the defect
        assert "100D000001" in lauf.stdout + lauf.stderr


# ---- a folder of another account ---------------------------------------------------------------------

def als_anderes_konto(*argumente: str) -> tuple[int, str, str]:
    return als_niemand(lambda: main([*argumente, "--benutzer", "support"]))


def test_ordner_eines_anderen_kontos_jeder_befehl_exit_2_deutsch(fremder_ordner: Path):
    store = demo_mit_sperre_und_defekter_akte(fremder_ordner / "daten")
    vorlagen = fremder_ordner / "vorlagen"
    shutil.copytree(Path(kopl_tui.__file__).resolve().parent.parent / "vorlagen", vorlagen,
                    ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    vorlagen.chmod(0o700)
    daten = str(store.data_dir)
    befehle = [
        ("pruefen", "--data", daten),
        ("statistik", "--data", daten, "--stichtag", "25.11.2026"),
        ("import-kunden", str(csv_datei(fremder_ordner)), "--data", daten),
        ("demo", "--reset", "--data", daten),
        ("akte-beiseite", "100D000001", "--data", daten),
        ("sperre-aufheben", MAX, "--erzwingen", "--data", daten),
        ("vorlagen-pruefen", "--vorlagen", str(vorlagen)),
    ]
    for argumente in befehle:
        code, ausgabe, fehler = als_anderes_konto(*argumente)
        assert code == 2, (argumente, ausgabe, fehler)
        assert "Keine Berechtigung" in fehler and "Was tun:" in fehler, (argumente, fehler)
        assert str(fremder_ordner) in fehler and deutsch_ohne_traceback(fehler), (argumente, fehler)
    assert AkteSperre.lesen(store, MAX).benutzer == "anna" and store.akte_pfad("100D000001").read_bytes() == b"{kaputt"


# ---- odd lock files -------------------------------------------------------------------------------------

def test_sperrdatei_als_ordner_sperre_aufheben_exit_2(store_mit_kunde):
    sperre = AkteSperre.pfad(store_mit_kunde, "123D456789")
    sperre.mkdir()
    lauf = programm("sperre-aufheben", "123D456789", "--data", str(store_mit_kunde.data_dir))
    assert lauf.returncode == 2 and deutsch_ohne_traceback(lauf.stderr), lauf.stderr
    assert str(sperre) in lauf.stderr and "ist ein Ordner, keine Datei" in lauf.stderr
    assert sperre.is_dir()


def test_sperrdatei_mit_riesiger_pid_wird_aufgehoben(store_mit_kunde):
    sperre = AkteSperre.pfad(store_mit_kunde, "123D456789")
    sperre.write_text(json.dumps({"benutzer": "anna", "rechner": socket.gethostname(), "pid": 10**23,
                                  "seit": datetime.now().astimezone().isoformat()}), encoding="utf-8")
    lauf = programm("sperre-aufheben", "123D456789", "--data", str(store_mit_kunde.data_dir))
    assert lauf.returncode == 0 and "Traceback" not in lauf.stderr, lauf.stderr
    assert "anna" in lauf.stdout and not sperre.exists()


def test_meldung_je_fehlernummer_deutsch():
    """The one errno → German mapping: file, reason, what to do; unknown numbers by their name."""
    import errno

    from kopl_tui.dateien import meldung

    for nummer, grund in ((errno.ENOSPC, "Kein Speicherplatz mehr frei"), (errno.EDQUOT, "Kontingent"),
                          (errno.EROFS, "nur lesbar"), (errno.EACCES, "Keine Berechtigung"),
                          (errno.EPERM, "nicht erlaubt"), (errno.EIO, "Ein-/Ausgabefehler"),
                          (errno.ENOTRECOVERABLE, "ENOTRECOVERABLE")):
        text = meldung(OSError(nummer, os.strerror(nummer)), "/srv/kopl/daten/akten/x.json", "Speichern")
        assert text.startswith("Speichern von /srv/kopl/daten/akten/x.json fehlgeschlagen: ") and grund in text
        assert "Was tun:" in text and os.strerror(nummer) not in text
