"""Fetching filed letters over SSH, read-only: the forced command of README "Betrieb" (OpenSSH's
sftp-server with -R, started in the archive folder), driven by the real OpenSSH ``sftp`` client,
which talks to a local server directly (``sftp -D``). Needs Debian's openssh-sftp-server and
openssh-client; CI installs them."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from kopl_tui.ablage import Ablage
from kopl_tui.model import Kunde
from kopl_tui.store import Store
from tests.test_ablage import fertig, plan  # noqa: F401 - plan is a fixture
from tests.test_briefe import text_von

SFTP_SERVER = Path("/usr/lib/openssh/sftp-server")
README = Path(__file__).resolve().parents[1] / "README.md"
DOKUMENTIERT = "/srv/kopl/daten/ablage"

pytestmark = pytest.mark.skipif(not SFTP_SERVER.is_file() or not (shutil.which("sftp") and shutil.which("scp")),
                                reason="OpenSSH sftp-server/sftp fehlt (apt-get install openssh-sftp-server "
                                       "openssh-client)")


def erzwungener_befehl() -> list[str]:
    """The forced command of the letters key exactly as README documents it (external sftp-server form)."""
    befehle = re.findall(r'command="(/usr/lib/openssh/sftp-server [^"]*)"', README.read_text(encoding="utf-8"))
    assert befehle, "README „Betrieb“ nennt keinen Schlüssel mit command=\"/usr/lib/openssh/sftp-server …\""
    assert len(set(befehle)) == 1, befehle
    return shlex.split(befehle[0])


def sftp(befehl: list[str], ablage: Path, arbeitsordner: Path, *kommandos: str) -> subprocess.CompletedProcess[str]:
    """One sftp batch (stops at the first failing command) against the documented server, in ``ablage``."""
    server = shlex.join([str(ablage) if teil == DOKUMENTIERT else teil for teil in befehl])
    stapel = arbeitsordner / "stapel.txt"
    stapel.write_text("\n".join(kommandos) + "\n")
    return subprocess.run(["sftp", "-D", server, "-b", str(stapel)], cwd=arbeitsordner, capture_output=True,
                          text=True, timeout=30, stdin=subprocess.DEVNULL)


@pytest.fixture
def abgelegt(store_mit_kunde: Store, kunde: Kunde, plan) -> tuple[Path, str]:  # noqa: F811
    """A filed letter in a real archive; returns the archive folder and the path the Dokumente screen shows."""
    kunde = kunde.model_copy(update={"strasse": "Musterweg 1", "plz": "37073", "ort": "Göttingen"})
    ablage = Ablage(store_mit_kunde)
    ergebnis = ablage.ablegen(fertig(ablage, kunde, plan), benutzer="ibeispiel", pdf=False)
    return ablage.wurzel, f"{kunde.kundennummer}/{ergebnis.docx.name}"


def test_readme_befehl_ist_nur_lesend_im_ablageordner():
    befehl = erzwungener_befehl()
    assert befehl[0] == str(SFTP_SERVER) and "-R" in befehl
    assert befehl[befehl.index("-d") + 1] == DOKUMENTIERT


def test_brief_holen_geht_schreiben_und_loeschen_nicht(abgelegt: tuple[Path, str], tmp_path: Path):
    ablage, relativ = abgelegt
    befehl = erzwungener_befehl()
    hier = tmp_path / "arbeitsplatz"
    hier.mkdir()
    vorher = sorted(p.relative_to(ablage) for p in ablage.rglob("*"))

    ergebnis = sftp(befehl, ablage, hier, f"get {relativ}")  # the path the Dokumente screen shows
    assert ergebnis.returncode == 0, ergebnis.stderr
    geholt = hier / Path(relativ).name
    assert geholt.read_bytes() == (ablage / relativ).read_bytes()
    assert "Musterfrau" in text_von(geholt.read_bytes())

    (hier / "fremd.docx").write_bytes(b"PK")
    for kommando in (f"put fremd.docx {Path(relativ).parent}/fremd.docx", f"rm {relativ}", "mkdir neu",
                     f"rename {relativ} weg.docx", f"chmod 666 {relativ}"):
        ergebnis = sftp(befehl, ablage, hier, kommando)
        assert ergebnis.returncode != 0, kommando
        assert "Permission denied" in ergebnis.stderr, (kommando, ergebnis.stderr)
    assert sorted(p.relative_to(ablage) for p in ablage.rglob("*")) == vorher


def test_d_ist_kein_gefaengnis(abgelegt: tuple[Path, str], tmp_path: Path):
    """What README's caveat says: -d only sets the start folder; without ChrootDirectory the key can read
    everything its Unix account can (here the Akten next to the archive)."""
    ablage, _ = abgelegt
    hier = tmp_path / "arbeitsplatz"
    hier.mkdir()
    ergebnis = sftp(erzwungener_befehl(), ablage, hier, "cd ..", "ls akten")
    assert ergebnis.returncode == 0 and ".json" in ergebnis.stdout


def test_scp_ab_openssh_9_holt_ueber_denselben_dienst(abgelegt: tuple[Path, str], tmp_path: Path):
    """README: ``scp`` (SFTP mode, the default since OpenSSH 9.0) works with the letters key and the relative
    path. ``scp -S`` replaces ssh by a program that starts the forced command, as sshd would."""
    ablage, relativ = abgelegt
    hier = tmp_path / "arbeitsplatz"
    hier.mkdir()
    verbindung = tmp_path / "ssh-ersatz"
    server = shlex.join([str(ablage) if teil == DOKUMENTIERT else teil for teil in erzwungener_befehl()])
    verbindung.write_text(f"#!/bin/sh\nexec {server}\n")
    verbindung.chmod(0o755)
    ergebnis = subprocess.run(["scp", "-S", str(verbindung), f"kopl@server:{relativ}", "."], cwd=hier,
                              capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert ergebnis.returncode == 0, ergebnis.stderr
    assert (hier / Path(relativ).name).read_bytes() == (ablage / relativ).read_bytes()
    ergebnis = subprocess.run(["scp", "-S", str(verbindung), str(hier / Path(relativ).name), "kopl@server:neu.docx"],
                              cwd=hier, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert ergebnis.returncode != 0 and "Permission denied" in ergebnis.stderr
    assert not (ablage / "neu.docx").exists()
