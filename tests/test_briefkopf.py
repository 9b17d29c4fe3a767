"""Letterhead data: fictitious defaults, a small TOML file per data folder."""

from __future__ import annotations

import pytest

from kopl_tui.briefkopf import BRIEFKOPF_DATEI, Briefkopf, BriefkopfFehler, Kontakt, briefkopf_laden


def test_ohne_datei_fiktive_vorgaben(tmp_path):
    kopf = briefkopf_laden(tmp_path)
    assert kopf == Briefkopf()
    assert "(Demo)" in kopf.name
    assert kopf.kontakt("Ina Beispiel").email.endswith(".invalid")


def test_email_aus_dem_namen_ohne_umlaute():
    assert Briefkopf(email_domain="jc.example").kontakt("Jürgen Groß-Öztürk").email == "juergen.gross-oeztuerk@jc.example"


def test_datei_ueberschreibt_jobcenter_und_einzelne_ifk(tmp_path):
    (tmp_path / BRIEFKOPF_DATEI).write_text(
        '[jobcenter]\nname = "Jobcenter Probe"\nstrasse = "Weg 2"\nplz_ort = "12345 Ort"\ntelefon = "0000 1"\n'
        'email_domain = "probe.example"\n\n[ifk."Tom Muster"]\ntelefon = "0000 77"\nemail = "t.m@probe.example"\n',
        encoding="utf-8")
    kopf = briefkopf_laden(tmp_path)
    assert (kopf.name, kopf.strasse, kopf.plz_ort) == ("Jobcenter Probe", "Weg 2", "12345 Ort")
    assert kopf.kontakt("Tom Muster") == Kontakt("0000 77", "t.m@probe.example")
    assert kopf.kontakt("Uta Probe") == Kontakt("0000 1", "uta.probe@probe.example")


def test_kaputte_datei_wird_mit_dateiname_gemeldet(tmp_path):
    (tmp_path / BRIEFKOPF_DATEI).write_text("[jobcenter\nname=", encoding="utf-8")
    with pytest.raises(BriefkopfFehler, match=BRIEFKOPF_DATEI):
        briefkopf_laden(tmp_path)
