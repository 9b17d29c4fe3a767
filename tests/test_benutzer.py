"""Audit identity (README, "Betrieb"): the forced command's --benutzer, else the real uid's login name;
never $USER/$LOGNAME, which anyone can set."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys

import pytest

from kopl_tui.benutzer import ermittle_benutzer

ECHTER_NAME = pwd.getpwuid(os.getuid()).pw_name


def test_user_und_logname_werden_ignoriert(monkeypatch):
    for variable in ("USER", "LOGNAME", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, "chefin")
    assert ECHTER_NAME != "chefin"
    assert ermittle_benutzer() == ECHTER_NAME


def test_user_in_einem_neuen_prozess_ignoriert_protokoll_nennt_echten_namen(store_mit_kunde, kunde):
    """End to end: a session started with a forged $USER writes the real name into the audit trail."""
    skript = ("from pathlib import Path; from kopl_tui.store import Store; from kopl_tui.benutzer import "
              "ermittle_benutzer; from kopl_tui.akte import akte_oeffnen; from kopl_tui.model import "
              "Kooperationsplan, Status; import datetime as d; s = Store(Path(__import__('sys').argv[1])); "
              "a = akte_oeffnen(s, s.kunde('123D456789'), ermittle_benutzer()); "
              "a.uebernehmen(Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=d.date(2025, 1, 7))); "
              "a.speichern(); a.schliessen()")
    umgebung = {**os.environ, "USER": "chefin", "LOGNAME": "chefin"}
    ergebnis = subprocess.run([sys.executable, "-c", skript, str(store_mit_kunde.data_dir)], env=umgebung,
                              capture_output=True, text=True, timeout=60)
    assert ergebnis.returncode == 0, ergebnis.stderr
    assert {e.benutzer for e in store_mit_kunde.historie(kunde.kundennummer)} == {ECHTER_NAME}


def test_name_aus_dem_erzwungenen_befehl_gilt(monkeypatch):
    monkeypatch.setenv("USER", "chefin")
    assert ermittle_benutzer("mueller") == "mueller"


@pytest.mark.parametrize("name", ["a b", "x;rm", "-rf", "ä" * 3, "a" * 65])
def test_ungueltiger_name_wird_abgelehnt(name):
    with pytest.raises(ValueError, match="kein gültiger Benutzername"):
        ermittle_benutzer(name)
