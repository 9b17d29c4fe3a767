"""The lock around every read-modify-write of a data file (kopl_tui.dateien.sperre)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap

import pytest

from kopl_tui.dateien import StoreFehler, sperre


def test_zweiter_wartet_und_meldet_deutsch_nach_der_wartezeit(tmp_path):
    pfad = tmp_path / "akte.json.lock"
    halter = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from kopl_tui.dateien import sperre
        with sperre({str(pfad)!r}, 5):
            print("gesperrt", flush=True)
            time.sleep(3)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert halter.stdout.readline().strip() == "gesperrt"
        with pytest.raises(StoreFehler, match="von einem anderen Programm gespeichert"):
            with sperre(pfad, 0.2):
                pass
    finally:
        halter.kill()
        halter.wait()


def test_nach_dem_ende_des_halters_frei(tmp_path):
    pfad = tmp_path / "akte.json.lock"
    subprocess.run([sys.executable, "-c", f"from kopl_tui.dateien import sperre\nwith sperre({str(pfad)!r}, 5): pass"],
                   check=True)
    with sperre(pfad, 0.2):
        assert stat.S_IMODE(os.stat(pfad).st_mode) == 0o600
