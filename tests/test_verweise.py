"""Symbolic links in the data folder are never followed: a link where the app expects a file or
folder is reported (German, naming the path) and neither the link nor what it points to is opened
for writing, truncated, chmod-ed or written into. Real links, real files, real processes."""

from __future__ import annotations

import hashlib
import os
import platform
import stat
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from kopl_tui import dateien
from kopl_tui.ablage import Ablage
from kopl_tui.akte import Kundenakte
from kopl_tui.briefe import vorlage
from kopl_tui.dateien import DateiDefekt
from kopl_tui.kundenindex import Kundenindex
from kopl_tui.model import HistorienEintrag, Kooperationsplan, Status
from kopl_tui.akte import akte_oeffnen
from kopl_tui.sperre import AkteSperre
from kopl_tui.store import Store

NR = "123D456789"
LINK = "symbolischer Verweis"


def plan(ziel: str = "Ziel") -> Kooperationsplan:
    return Kooperationsplan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 1, 7), ziel=ziel)


def eintrag(text: str) -> HistorienEintrag:
    return HistorienEintrag(zeit=datetime.now().astimezone(), benutzer="anna", aktion=text)


class Fremd:
    """Files and a folder outside the data folder that links point at: must stay exactly as they are."""

    def __init__(self, tmp_path: Path):
        self.ordner = tmp_path / "fremd"
        self.ordner.mkdir()
        self.ordner.chmod(0o755)
        self.datei = self.ordner / "wichtig.txt"
        self.datei.write_bytes(b"fremde Daten\n" * 400)  # 5,200 bytes, as in the report
        self.datei.chmod(0o644)
        self.vorher = self.zustand()

    def zustand(self) -> dict[str, tuple[int, int, str]]:
        return {p.name: (stat.S_IMODE(p.lstat().st_mode), p.lstat().st_mtime_ns,
                         hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "")
                for p in [self.ordner, *self.ordner.iterdir()]}

    def unveraendert(self) -> bool:
        return self.zustand() == self.vorher


@pytest.fixture
def fremd(tmp_path: Path) -> Fremd:
    return Fremd(tmp_path)


def gespeicherte_akte(store: Store) -> None:
    store.akte_speichern(NR, [plan("eins")], 0, "anna", [eintrag("erstes Speichern")])


def test_historie_als_link_wird_weder_gekuerzt_noch_beschrieben(store_mit_kunde, fremd):
    """The reported case: history replaced by a link, then a save (it used to truncate 5,200 → 350 bytes)."""
    gespeicherte_akte(store_mit_kunde)
    historie = store_mit_kunde.historie_pfad(NR)
    historie.unlink()
    historie.symlink_to(fremd.datei)
    with pytest.raises(DateiDefekt, match=LINK) as fehler:
        store_mit_kunde.akte_speichern(NR, [plan("zwei")], 1, "anna", [eintrag("zweites Speichern")])
    assert str(historie) in str(fehler.value)
    with pytest.raises(DateiDefekt, match=LINK):
        store_mit_kunde.historie(NR)
    assert fremd.unveraendert() and historie.is_symlink()
    assert store_mit_kunde.akte_laden(NR).version == 1  # nothing committed


@pytest.mark.parametrize("name", [f"{NR}.json", f"{NR}.json.lock", f"{NR}.sperre", f"{NR}.sperre.lock"])
def test_akte_sperre_und_sperrdateien_als_link(store_mit_kunde, kunde, fremd, name):
    gespeicherte_akte(store_mit_kunde)
    link = store_mit_kunde.akten_dir / name
    link.unlink(missing_ok=True)
    link.symlink_to(fremd.datei)
    with pytest.raises(DateiDefekt, match=LINK) as fehler:
        akte = akte_oeffnen(store_mit_kunde, kunde, "anna")  # takes the lock, reads the Akte
        geaendert = akte.plan(akte.plaene[0].id)
        geaendert.ziel = "zwei"
        akte.uebernehmen(geaendert)
        akte.speichern()
    assert str(link) in str(fehler.value)
    assert fremd.unveraendert() and link.is_symlink()


@pytest.mark.parametrize("ordner", ["akten", "ablage", "ablage/" + NR])
def test_verlinkter_ordner_wird_weder_beschrieben_noch_chmod(store_mit_kunde, kunde, fremd, ordner):
    gespeicherte_akte(store_mit_kunde)
    link = store_mit_kunde.data_dir / ordner
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.exists():
        os.rename(link, link.with_name("beiseite"))
    link.symlink_to(fremd.ordner, target_is_directory=True)
    versuche = [
        lambda: store_mit_kunde.anlegen(),
        lambda: store_mit_kunde.akte_speichern(NR, [plan("zwei")], 1, "anna"),
        lambda: AkteSperre.nehmen(store_mit_kunde, NR, "anna"),
        lambda: Ablage(store_mit_kunde).entwurf_schreiben(NR, vorlage("Kooperationsplan"), "p", b"docx",
                                                          date(2026, 11, 25)),
    ]
    gemeldet = 0
    for versuch in versuche:
        try:
            versuch()
        except DateiDefekt as fehler:
            assert LINK in str(fehler) and str(link) in str(fehler)
            gemeldet += 1
    assert gemeldet >= 1 if ordner != "akten" else gemeldet == len(versuche) - 1  # the draft needs no akten/
    assert fremd.unveraendert()  # nothing written into the target, its mode not changed
    assert link.is_symlink()


def test_kundenindex_als_link(store_mit_kunde, fremd):
    index = store_mit_kunde.kunden_datei
    index.unlink()
    index.symlink_to(fremd.datei)
    with pytest.raises(DateiDefekt, match=LINK):
        Kundenindex(store_mit_kunde.data_dir).laden()
    with pytest.raises(DateiDefekt, match=LINK):
        store_mit_kunde.kunden()
    with pytest.raises(DateiDefekt, match=LINK):
        store_mit_kunde.kunden_schreiben([])
    assert fremd.unveraendert() and index.is_symlink()


def test_listen_cache_als_link_liste_kommt_aus_dem_index_cache_bleibt(store_mit_kunde, kunde, fremd):
    cache = store_mit_kunde.data_dir / "kunden.json.cache"
    cache.symlink_to(fremd.datei)
    index = Kundenindex(store_mit_kunde.data_dir)
    liste = index.laden()
    assert [z.kundennummer for z in liste.zeilen()] == [kunde.kundennummer]
    assert index.cache_defekt is not None and LINK in str(index.cache_defekt) and str(cache) in str(index.cache_defekt)
    index.cache_schreiben()
    assert fremd.unveraendert() and cache.is_symlink()


def test_datenordner_selbst_darf_ueber_einen_link_erreicht_werden(store_mit_kunde, kunde, tmp_path):
    """Links above the data folder are the administrator's (e.g. /srv → /data): resolved once."""
    zugang = tmp_path / "zugang"
    zugang.symlink_to(store_mit_kunde.data_dir, target_is_directory=True)
    store = Store(zugang)
    store.akte_speichern(NR, [plan()], 0, "anna")
    assert store.akte_laden(NR).plaene[0].ziel == "Ziel"
    assert [z.kundennummer for z in Kundenindex(zugang).laden().zeilen()] == [kunde.kundennummer]


def test_aufraeumen_folgt_keinem_link(store_mit_kunde, fremd):
    """A link named like a temp file, or in place of the drafts' marker folder, is never removed or
    cleaned through."""
    (store_mit_kunde.akten_dir / f".tmp-{NR}.json~alt").symlink_to(fremd.datei)
    os.utime(fremd.datei, (0, 0))
    fremd.vorher = fremd.zustand()
    (store_mit_kunde.data_dir / "ablage").mkdir()
    (store_mit_kunde.data_dir / "ablage" / ".entwuerfe").symlink_to(fremd.ordner, target_is_directory=True)
    (fremd.ordner / f"{NR}~brief.docx").write_bytes(b"x")
    fremd.vorher = fremd.zustand()
    store_mit_kunde.aufraeumen()
    assert fremd.unveraendert()
    assert (store_mit_kunde.akten_dir / f".tmp-{NR}.json~alt").is_symlink()


def test_pruefen_meldet_verlinkte_akte_und_aendert_nichts(store_mit_kunde, fremd):
    gespeicherte_akte(store_mit_kunde)
    akte = store_mit_kunde.akte_pfad(NR)
    akte.unlink()
    akte.symlink_to(fremd.datei)
    lauf = subprocess.run([sys.executable, "-m", "kopl_tui", "pruefen", "--data", str(store_mit_kunde.data_dir)],
                          capture_output=True, text=True, check=False)
    assert lauf.returncode == 1 and "Traceback" not in lauf.stderr
    assert LINK in lauf.stdout and str(akte) in lauf.stdout
    assert fremd.unveraendert() and akte.is_symlink()


def test_sperre_aufheben_an_verlinkter_sperre_exit_2_ohne_traceback(store_mit_kunde, fremd):
    sperre = AkteSperre.pfad(store_mit_kunde, NR)
    sperre.symlink_to(fremd.datei)
    lauf = subprocess.run([sys.executable, "-m", "kopl_tui", "sperre-aufheben", NR, "--data",
                           str(store_mit_kunde.data_dir), "--benutzer", "support"],
                          capture_output=True, text=True, check=False)
    assert lauf.returncode == 2 and "Traceback" not in lauf.stderr
    assert LINK in lauf.stderr and str(sperre) in lauf.stderr
    assert fremd.unveraendert() and sperre.is_symlink()


def test_akte_oeffnen_mit_verlinkter_akte_gibt_sperre_zurueck(store_mit_kunde, kunde, fremd):
    """Opening fails on the Akte file after the lock was taken: the lock goes again, nothing else changes."""
    akte = store_mit_kunde.akte_pfad(NR)
    akte.symlink_to(fremd.datei)
    with pytest.raises(DateiDefekt, match=LINK):
        Kundenakte.oeffnen(store_mit_kunde, kunde, "anna")
    with pytest.raises(DateiDefekt, match=LINK):
        akte_oeffnen(store_mit_kunde, kunde, "anna")
    assert AkteSperre.lesen(store_mit_kunde, NR) is None
    assert fremd.unveraendert()


def test_speichern_oeffnet_akten_einmal_ein_link_danach_wird_gemeldet(store_mit_kunde, fremd):
    """A save opens akten/ once and does lock, read, history and replace in that folder, so a folder
    renamed and replaced by a link meanwhile gets nothing through the link; nothing of it is kept for
    the next save, which reports the link."""
    store_mit_kunde.akte_speichern(NR, [plan("eins")], 0, "anna")
    akten = store_mit_kunde.akten_dir
    beiseite = akten.with_name("beiseite")
    with dateien.ordner_offen(akten):
        os.rename(akten, beiseite)
        akten.symlink_to(fremd.ordner, target_is_directory=True)
        store_mit_kunde.akte_speichern(NR, [plan("zwei")], 1, "anna", [eintrag("im offenen Ordner")])
    assert fremd.unveraendert()
    os.unlink(akten)
    os.rename(beiseite, akten)
    assert [p.ziel for p in Store(akten.parent).akte_laden(NR).plaene] == ["zwei"]
    assert [e.aktion for e in Store(akten.parent).historie(NR)][-1] == "im offenen Ordner"
    os.rename(akten, beiseite)
    akten.symlink_to(beiseite, target_is_directory=True)  # the very same folder, but through a link
    vorher = {p.name: p.read_bytes() for p in beiseite.iterdir()}
    with pytest.raises(DateiDefekt, match=LINK) as fehler:
        store_mit_kunde.akte_speichern(NR, [plan("drei")], 2, "anna")
    assert str(akten) in str(fehler.value)
    assert {p.name: p.read_bytes() for p in beiseite.iterdir()} == vorher


@pytest.mark.skipif(sys.platform != "linux" or tuple(map(int, platform.release().split(".")[:2])) < (5, 6),
                    reason="openat2 kommt mit Linux 5.6")
def test_ordner_in_einem_aufruf_ohne_link_auf_dem_weg(tmp_path):
    """Where Linux has openat2, a folder is opened in one system call that refuses a link anywhere on
    the way (the walk, one open per folder, only names what stands in the way)."""
    oeffnen = dateien._OHNE_LINKS
    assert oeffnen is not None
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "l").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "a" / "datei").write_text("x")
    fd = oeffnen(os.fsencode(tmp_path / "a" / "b"))
    assert fd >= 0
    try:
        assert os.path.samestat(os.fstat(fd), os.stat(tmp_path / "a" / "b"))
    finally:
        os.close(fd)
    for weg in (tmp_path / "l", tmp_path / "l" / "b", tmp_path / "a" / "datei", tmp_path / "fehlt"):
        assert oeffnen(os.fsencode(weg)) == -1, weg
    with pytest.raises(DateiDefekt, match=LINK) as fehler:
        dateien.lesen(tmp_path / "l" / "b" / "x")
    assert str(tmp_path / "l") in str(fehler.value) and str(tmp_path / "l" / "b") not in str(fehler.value)
