"""The customer list's rows: kunden.json read fast, sorted, and cached for the next start.

The app must show 20,000 customers about as fast as an empty Textual app starts (README, "Leistung"). Parsing
the 5 MB index and sorting it takes ~0.15 s in a fresh process; validating every row with the
model took another ~0.4 s. So the list works on plain rows (each validated as a ``Kunde`` when its
Akte is opened), and keeps them, sorted, in ``kunden.json.cache`` next to the index: a marshal file,
~0.03 s to load, 0600 like every data file, used only while kunden.json is exactly the file it was
made from (size, mtime and inode; an atomic replace changes the inode), else rebuilt. Only this
app's user can write the data folder (0700), so the cache is as trusted as kunden.json itself.
No pydantic, no TinyDB here: this module is on the start-up path. Where the files lie and how
kunden.json is parsed is kopl_tui/datenordner.py's.
"""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import NamedTuple

from kopl_tui import dateien
from kopl_tui.dateien import DateiDefekt, StoreFehler, atomar_schreiben
from kopl_tui.datenordner import Datenordner

_FORMAT = 3  # 3: PLZ and Ort as two fields


class KundenZeile(NamedTuple):
    """One customer as kunden.json holds it, all strings ("" where a field is missing)."""

    kundennummer: str
    nachname: str
    vorname: str
    geburtsdatum: str  # ISO, as stored
    ifk: str
    anrede: str
    bg_nummer: str
    strasse: str
    plz: str
    ort: str
    plz_ort: str  # only in data folders written before PLZ and Ort were two fields (model.Kunde migrates it)
    id: str

    def felder(self) -> dict[str, str]:
        """The stored fields, for ``Kunde.model_validate`` (missing ones left out, as in the file)."""
        return {name: wert for name, wert in self._asdict().items() if wert != ""}


_TRENNER = "\x1f"  # unit separator; the model strips control characters from every stored field


class Kundenliste:
    """The customers, sorted by Nachname, Vorname (file order within), each row kept as one string.

    40,000 strings load from the cache in ~5 ms where 200,000 (a string per field) take ~30 ms and
    20,000 row objects another ~13 ms; a row object is made only for the rows shown or opened."""

    def __init__(self, schluessel: list[str], gepackt: list[str]):
        self.schluessel = schluessel
        """Per row, lowercase: "kundennummer nachname vorname" (what the search looks in)."""
        self._gepackt = gepackt

    def __len__(self) -> int:
        return len(self._gepackt)

    def zeile(self, nummer: int) -> KundenZeile:
        return KundenZeile._make(self._gepackt[nummer].split(_TRENNER))

    def zeilen(self) -> list[KundenZeile]:
        return [self.zeile(nummer) for nummer in range(len(self))]


def suchschluessel(zeile: KundenZeile) -> str:
    return f"{zeile.kundennummer} {zeile.nachname} {zeile.vorname}".lower()


def _text(wert: object) -> str:
    text = "" if wert is None else wert if isinstance(wert, str) else str(wert)
    return text.replace(_TRENNER, " ")


def _signatur(pfad: Path) -> tuple[int, int, int] | None:
    stat = dateien.vorhanden(pfad)  # a link is not followed: reading it then reports it
    return None if stat is None else (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _aus_json(ordner: Datenordner) -> Kundenliste:
    tabelle = ordner.kunden_dokumente()
    if not all(isinstance(doc, dict) for doc in tabelle.values()):
        raise DateiDefekt(ordner.kunden_datei, "unerwarteter Aufbau")
    zeilen = [KundenZeile._make(_text(doc.get(feld)) for feld in KundenZeile._fields) for doc in tabelle.values()]
    zeilen.sort(key=lambda z: (z.nachname.lower(), z.vorname.lower()))
    return Kundenliste([suchschluessel(z) for z in zeilen], [_TRENNER.join(z) for z in zeilen])


def _aus_cache(pfad: Path, signatur: tuple[int, int, int]) -> Kundenliste | None:
    """The cached list if it was made from exactly this kunden.json; None otherwise (rebuilt).
    A cache that is no plain file (a link) is a DateiDefekt: reported, never read or replaced."""
    try:
        roh = dateien.lesen(pfad)
    except (FileNotFoundError, dateien.Dateifehler):
        return None
    try:
        form, gemacht_aus, schluessel, gepackt = marshal.loads(roh)  # marshal.load(): 5× slower
    except (EOFError, ValueError, TypeError):
        return None
    if form != _FORMAT or tuple(gemacht_aus) != signatur or len(schluessel) != len(gepackt):
        return None
    return Kundenliste(schluessel, gepackt)


_VORGELADEN: dict[Path, tuple[tuple[int, int, int], Kundenliste]] = {}


def vorladen(data_dir: Path) -> int:
    """Keep ``data_dir``'s list in this process, for the sessions a Vorstart server forks
    (kopl_tui/vorstart.py): they share its memory and use it while kunden.json is the file it was
    made from (size, mtime, inode, as the cache), else load their own. Loaded again when kunden.json
    has changed. Returns the number of customers; a defect is the StoreFehler of ``Kundenindex.laden``."""
    index = Kundenindex(data_dir)
    signatur = _signatur(index.datei)
    vorhanden = _VORGELADEN.get(index.data_dir)
    if vorhanden is None or vorhanden[0] != signatur:
        _VORGELADEN.pop(index.data_dir, None)
        if signatur is None:
            return 0
        _VORGELADEN[index.data_dir] = signatur, index.laden()  # a change meanwhile: no session matches
    return len(_VORGELADEN[index.data_dir][1])


class Kundenindex:
    """One data folder's kunden.json as the customer list reads it."""

    def __init__(self, data_dir: Path):
        self.ordner = Datenordner(data_dir)  # as Store: below it no link is followed
        self.data_dir = self.ordner.data_dir
        self.datei = self.ordner.kunden_datei
        self.cache = self.ordner.kunden_cache
        self._neu_zu_cachen: tuple[tuple[int, int, int], Kundenliste] | None = None
        self.cache_defekt: StoreFehler | None = None
        """Set when the cache file is a link or the like: the list comes from kunden.json then,
        the cache is left alone, and the app reports it."""

    def laden(self) -> Kundenliste:
        """Every customer; empty without kunden.json. A StoreFehler (German) for an unreadable
        index, a link in its place or a file system error."""
        signatur = _signatur(self.datei)  # taken before reading: a later replace makes the cache stale
        if signatur is None:
            return Kundenliste([], [])
        vorgeladen = _VORGELADEN.get(self.data_dir)
        if vorgeladen is not None and vorgeladen[0] == signatur:
            return vorgeladen[1]
        try:
            liste = _aus_cache(self.cache, signatur)
        except DateiDefekt as defekt:
            liste, self.cache_defekt = None, defekt
        if liste is None:
            liste = _aus_json(self.ordner)
            if self.cache_defekt is None:
                self._neu_zu_cachen = signatur, liste
        return liste

    def cache_schreiben(self) -> None:
        """Write the cache if ``laden()`` had to read the JSON (kept off the start-up path)."""
        if self._neu_zu_cachen is None:
            return
        signatur, liste = self._neu_zu_cachen
        atomar_schreiben(self.cache, marshal.dumps((_FORMAT, signatur, liste.schluessel, liste._gepackt)))
        self._neu_zu_cachen = None
