"""Installed like any Python tool: the wheel carries every template, and a fresh venv outside the
repository renders every letter from another working directory, with no environment variable.

Slow (a build and a dependency install from the local pip index): one module-scoped venv for both tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document

from kopl_tui import briefe
from tests.test_vorlagen import EIGENER_SATZ, bearbeitete_kopie

REPO = Path(__file__).resolve().parent.parent

# Renders every catalogue template with the installed package, as the app does: through the one
# resolver, with the data folder's own templates first. Prints where kopl_tui came from.
SKRIPT = """
import sys
from pathlib import Path
import kopl_tui
from kopl_tui import briefe
from kopl_tui.briefvorlagen import eigener_ordner, rendern_datei, vorlagendatei
daten, ausgabe = Path(sys.argv[1]), Path(sys.argv[2])
print(kopl_tui.__file__)
for vorlage in briefe.VORLAGEN:
    datei = vorlagendatei(vorlage.datei, eigener_ordner(daten))
    (ausgabe / vorlage.datei).write_bytes(rendern_datei(datei.pfad, briefe.beispiel_kontext()))
    print(vorlage.datei, datei.herkunft, datei.pfad)
"""


def _ohne_kopl_umgebung() -> dict[str, str]:
    """No variable that could point the installed app at the repository."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith("KOPL_") and k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}


def _quellbaum(ziel: Path) -> Path:
    """The files of a fresh checkout (tracked and new, not ignored): setuptools builds in the source
    folder, and neither the repository's build/ nor its .venv may leak into the wheel."""
    namen = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, namen):
        if (REPO / name).is_file():
            (ziel / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, ziel / name)
    return ziel


@pytest.fixture(scope="module")
def installiert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(wheel, venv): the wheel built from a copy of the checkout, installed into a fresh venv."""
    wurzel = tmp_path_factory.mktemp("wheel")
    quelle = _quellbaum(wurzel / "quelle")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wurzel / "dist"),
                    str(quelle)], check=True, capture_output=True, timeout=600, cwd=wurzel)
    [wheel] = (wurzel / "dist").glob("kopl_tui-*.whl")
    venv = wurzel / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                   check=True, capture_output=True, timeout=900, cwd=wurzel, env=_ohne_kopl_umgebung())
    return wheel, venv


def test_wheel_enthaelt_jede_vorlage(installiert):
    wheel, _ = installiert
    namen = zipfile.ZipFile(wheel).namelist()
    docx = sorted(n for n in namen if n.endswith(".docx"))
    assert docx == sorted(f"kopl_tui/vorlagen/{v.datei}" for v in briefe.VORLAGEN)
    assert len(docx) == 9
    for vorlage in briefe.VORLAGEN:  # the very bytes of the repository's vorlagen/
        assert zipfile.ZipFile(wheel).read(f"kopl_tui/vorlagen/{vorlage.datei}") == \
            (REPO / "vorlagen" / vorlage.datei).read_bytes()
    # the other files the app reads beside its code: style sheets and the browser page of ``serve``
    daneben = sorted(str(d.relative_to(REPO)) for d in [*REPO.glob("kopl_tui/*.tcss"), *REPO.glob("screens/*.tcss"),
                                                         *REPO.glob("kopl_tui/web/*")])
    assert "kopl_tui/web/app_index.html" in daneben and sorted(n for n in namen if n in daneben) == daneben


def test_installiert_rendert_jede_vorlage_aus_anderem_ordner(installiert, tmp_path):
    _, venv = installiert
    anderswo, daten, briefe_ordner = tmp_path / "anderswo", tmp_path / "daten", tmp_path / "briefe"
    for ordner in (anderswo, daten, briefe_ordner):
        ordner.mkdir()
    umgebung = _ohne_kopl_umgebung()

    pruefen = subprocess.run([str(venv / "bin" / "kopl-tui"), "vorlagen-pruefen", "--data", str(daten)], cwd=anderswo,
                             capture_output=True, text=True, timeout=300, env=umgebung)
    assert pruefen.returncode == 0, pruefen.stderr
    assert f"{len(briefe.VORLAGEN)} Vorlagen geprüft (0 eigene, 9 mitgelieferte): alle in Ordnung." in pruefen.stdout
    site = str(venv / "lib")
    for vorlage in briefe.VORLAGEN:
        assert f"  {vorlage.datei}: mitgeliefert ({site}" in pruefen.stdout

    bearbeitete_kopie(daten / "vorlagen")  # the Jobcenter's own Kooperationsplan wins here too
    gerendert = subprocess.run([str(venv / "bin" / "python"), "-c", SKRIPT, str(daten), str(briefe_ordner)],
                               cwd=anderswo, capture_output=True, text=True, timeout=300, env=umgebung)
    assert gerendert.returncode == 0, gerendert.stderr
    zeilen = gerendert.stdout.splitlines()
    assert zeilen[0].startswith(site)  # the installed package, not the checkout
    assert f"kooperationsplan.docx eigene Vorlage {daten / 'vorlagen' / 'kooperationsplan.docx'}" in zeilen
    for vorlage in briefe.VORLAGEN:
        text = "\n".join(p.text for p in Document(str(briefe_ordner / vorlage.datei)).paragraphs)
        assert "Sehr geehrte Frau Beispiel," in text and "{{" not in text, vorlage.datei
        assert (EIGENER_SATZ in text) == (vorlage.datei == "kooperationsplan.docx")
