"""vorlagen/erzeugen.py: how the shipped templates were made, and that each tag sits in one run."""

from __future__ import annotations

import re
import runpy
import zipfile
from pathlib import Path

from kopl_tui import briefe
from kopl_tui.vorlagenpruefung import vorlagen_pruefen

ERZEUGEN = Path(__file__).resolve().parent.parent / "vorlagen" / "erzeugen.py"


def test_erzeugte_vorlagen_haben_jeden_jinja_tag_in_einem_lauf_und_bestehen_die_pruefung(tmp_path):
    main = runpy.run_path(str(ERZEUGEN))["main"]
    assert main(["--ordner", str(tmp_path)]) == 0
    for vorlage in briefe.VORLAGEN:
        with zipfile.ZipFile(tmp_path / vorlage.datei) as docx:
            teile = [docx.read(n).decode() for n in docx.namelist()
                     if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
        for xml in teile:
            for absatz in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S):
                laeufe = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", absatz)
                for lauf in laeufe:  # every tag opened in a run is closed in the same run
                    assert lauf.count("{{") == lauf.count("}}") and lauf.count("{%") == lauf.count("%}"), lauf
    befunde = vorlagen_pruefen(tmp_path)
    assert all(b.datei.eigene for b in befunde) and [b.probleme for b in befunde] == [[]] * len(briefe.VORLAGEN)


def test_erzeugen_ueberschreibt_keine_bearbeitete_vorlage(tmp_path):
    main = runpy.run_path(str(ERZEUGEN))["main"]
    bearbeitet = tmp_path / briefe.VORLAGEN[0].datei
    bearbeitet.write_bytes(b"in Word bearbeitet")
    main(["--ordner", str(tmp_path)])
    assert bearbeitet.read_bytes() == b"in Word bearbeitet"
    main(["--ordner", str(tmp_path), "--ueberschreiben"])
    assert zipfile.is_zipfile(bearbeitet)


def test_mitgelieferte_vorlagen_sind_genau_was_erzeugen_schreibt(tmp_path):
    """Byte for byte, on every run: the script is the source, and a merge can simply regenerate."""
    main = runpy.run_path(str(ERZEUGEN))["main"]
    for lauf in ("eins", "zwei"):
        assert main(["--ordner", str(tmp_path / lauf)]) == 0
    for vorlage in briefe.VORLAGEN:
        erzeugt = (tmp_path / "eins" / vorlage.datei).read_bytes()
        assert erzeugt == (tmp_path / "zwei" / vorlage.datei).read_bytes(), vorlage.datei
        assert erzeugt == (ERZEUGEN.parent / vorlage.datei).read_bytes(), \
            f"{vorlage.datei}: bitte mit `python vorlagen/erzeugen.py --ueberschreiben` neu erzeugen"
