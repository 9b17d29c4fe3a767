"""`make bench`: the performance and capacity figures on 20,000 customers / 100,000 plans, against their goals.

    .venv/bin/python benchmarks/run.py [--runden 7] [--neu] [--nur start,ui,…] [--sitzungen 10,50,100]

Builds (once; cached under benchmarks/results/) the synthetic data folders, then measures each
figure as the median of ``--runden`` runs (at least 5): start-up in child processes (benchmarks/
kind.py), typing and opening in this process (headless), saving and a letter in this process; typing,
opening and saving once more with the same data in a PostgreSQL database (benchmarks/postgresql.py),
each figure next to the folder's of the same run; then
what an SSH session costs, through real ptys with the console script (benchmarks/kapazitaet.py):
idle, bytes per action, colour depth, capacity with 10/50/100 sessions, many started at once; then
capacity with 10/50 sessions and many started at once through one Vorstart server (README
"Vorstart"), which carries the memory goal.
Prints one table and writes benchmarks/results/latest.json. Not a test: nothing here fails a build;
the table says which goal is met. ``--ordner DIR`` runs the pty parts on another folder (the test
suite runs them on a tiny demo folder with tiny counts).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

HIER = Path(__file__).resolve().parent
sys.path.insert(0, str(HIER))
sys.path.insert(0, str(HIER.parent))

import boden  # noqa: E402
import daten  # noqa: E402
import kapazitaet  # noqa: E402
import pty_sitzung  # noqa: E402
import textual  # noqa: E402
from textual import events  # noqa: E402
from textual.css.query import NoMatches  # noqa: E402
from textual.widgets import DataTable, Input  # noqa: E402

from kopl_tui import briefe  # noqa: E402
from kopl_tui.akte import akte_oeffnen  # noqa: E402
from kopl_tui.app import KoplApp  # noqa: E402
from kopl_tui.datenort import Datenort  # noqa: E402
from kopl_tui.datenordner import KUNDEN_CACHE as CACHE_DATEI  # noqa: E402
from kopl_tui.kundenindex import Kundenindex  # noqa: E402
from kopl_tui.model import Status  # noqa: E402
from kopl_tui.store import Store  # noqa: E402
from screens.kundentabelle import KundenTabelle  # noqa: E402

MESSKUNDE_PLAENE = len(daten.messkunde().plaene)
GROESSE = (120, 40)  # terminal of the headless runs: 30-odd visible rows, like a real SSH window
TIPPEN = "mustermann jonas"  # typed one key at a time, then deleted again with Backspace


@dataclass
class Figur:
    name: str
    wert: float
    einheit: str
    verhaeltnis: float | None = None
    bezug: str = ""
    ziel: str = ""
    erfuellt: bool | None = None
    laeufe: list[float] = field(default_factory=list)
    notiz: str = ""


def median_ms(zeiten: list[float]) -> float:
    return statistics.median(zeiten) * 1000


# ---- start-up and memory: child processes ----------------------------------------------

def kind(*argumente: str) -> tuple[float, int]:
    """Seconds from process start to ``BEREIT``, and the child's peak RSS in KiB."""
    start = time.perf_counter()
    prozess = subprocess.Popen([sys.executable, str(HIER / "kind.py"), *argumente], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert prozess.stdout is not None
    zeile = prozess.stdout.readline()
    dauer = time.perf_counter() - start
    rest, fehler = prozess.communicate(timeout=120)
    if zeile.strip() != "BEREIT" or prozess.returncode != 0:
        raise RuntimeError(f"kind.py {' '.join(argumente)} scheiterte:\n{zeile}{rest}{fehler}")
    rss = next(int(z.split()[1]) for z in rest.splitlines() if z.startswith("RSS "))
    return dauer, rss


def start_messen(gross: Path, klein: Path, runden: int) -> list[Figur]:
    kind("leer"), kind("kopl", str(gross))  # warm-up: bytecode and page cache, as on a used server
    leer, app, app_klein, ohne_cache, rss = [], [], [], [], []
    cache = gross / CACHE_DATEI
    for _ in range(runden):  # interleaved, so a load change hits both alike
        leer.append(kind("leer")[0])
        dauer, kib = kind("kopl", str(gross))
        app.append(dauer)
        rss.append(kib)
        app_klein.append(kind("kopl", str(klein))[0])
        cache.unlink(missing_ok=True)  # the first start after kunden.json changed (the app rebuilds it)
        ohne_cache.append(kind("kopl", str(gross))[0])
    index = Kundenindex(gross)  # the folder keeps its cache for the next figures and runs
    index.laden()
    index.cache_schreiben()
    verhaeltnis = statistics.median(app) / statistics.median(leer)
    return [
        Figur("Start bis Kundenliste bedienbar, 20.000 Kunden", median_ms(app), "ms", verhaeltnis,
              "leere Textual-App", "≤ 1,5×", verhaeltnis <= 1.5, app),
        Figur("Start leere Textual-App mit DataTable (Boden)", median_ms(leer), "ms", laeufe=leer),
        Figur("Erster Start nach Änderung des Kundenindex (ohne Cache)", median_ms(ohne_cache), "ms",
              statistics.median(ohne_cache) / statistics.median(leer), "leere Textual-App", laeufe=ohne_cache,
              notiz="kunden.json wird gelesen und sortiert; danach schreibt die App kunden.json.cache"),
        Figur("Start bis Kundenliste bedienbar, 100 Kunden", median_ms(app_klein), "ms",
              statistics.median(app_klein) / statistics.median(leer), "leere Textual-App", laeufe=app_klein),
        Figur("Spitzen-RSS, 20.000 Kunden geöffnet", max(rss) / 1024, "MB", ziel="≤ 250 MB",
              erfuellt=max(rss) / 1024 <= 250, laeufe=[r / 1024 for r in rss],
              notiz="nach Suche, Akte öffnen und schließen; Maximum der Läufe"),
    ]


# ---- the running app: keystroke and overview, in this process -------------------------------

def ausstehend(screen) -> bool:  # noqa: ANN001
    """A DataTable measures new rows when it is idle, after the rows are in: until then a frame may
    show old column widths. (Private DataTable state: a benchmark may look, the app never does.)"""
    return any(t._require_update_dimensions or t._updated_cells for t in screen.query(DataTable))


async def bis(pilot, fertig: Callable[[], bool], aktion: Callable[[], None]) -> float:  # noqa: ANN001
    """Time from ``aktion`` (a key sent like a terminal sends it) until ``fertig()`` holds, every
    table has measured its rows, and the frame is laid out and rendered (as ``Pilot.pause`` does it,
    without waiting for the 60 fps frame timer)."""
    app = pilot.app
    start = time.perf_counter()
    aktion()
    while True:
        await pilot._wait_for_screen()
        try:
            if fertig() and not ausstehend(app.screen):
                break
        except NoMatches:  # the new screen is not composed yet
            pass
        if time.perf_counter() - start > 30:
            raise TimeoutError("Die App hat den erwarteten Zustand nicht erreicht.")
    app.screen._on_timer_update()
    return time.perf_counter() - start


BIS = bis  # the floors are measured with this one even where profil.py wraps ``bis``


def taste(app: KoplApp, name: str, zeichen: str | None) -> Callable[[], None]:
    def senden() -> None:
        ereignis = events.Key(name, zeichen)
        ereignis.set_sender(app)
        app._driver.send_message(ereignis)
    senden.taste = name  # type: ignore[attr-defined]
    return senden


def index_zeilen(ordner: Path) -> list[tuple[str, str, str, str, str]]:
    """The customer list's rows as the benchmark expects them: the index validated through the model,
    ordered by (Nachname, Vorname), file order within. Plain tuples, the models dropped: 20,000 models
    would make the garbage collector of this process, which also runs the app, slower than the app's."""
    kunden = sorted(Store(ordner).kunden(), key=lambda k: (k.nachname.lower(), k.vorname.lower()))
    return [(k.kundennummer, k.nachname, k.vorname, k.geburtsdatum.strftime("%d.%m.%Y"), k.ifk) for k in kunden]


def erwartete_zeilen(kunden: list[tuple[str, ...]], suche: str) -> list[str]:
    """The rows the list must show: every word a substring of Kundennummer, Nachname or Vorname,
    in the app's order. Written here independently of the screen's code."""
    woerter = suche.lower().split()
    return [k[0] for k in kunden if all(any(w in teil.lower() for teil in k[:3]) for w in woerter)]


def zeigt(tabelle: KundenTabelle, nummern: list[str]) -> bool:
    """The table holds exactly these hits, and its first screenful is drawn from them."""
    if tabelle.anzahl != len(nummern):
        return False
    sichtbar = min(len(nummern), tabelle.scrollable_content_region.height - 1)
    return all(tabelle.render_line(i + 1).text.split()[0] == nummern[i] for i in range(sichtbar))


async def ui_messen(ordner: Path, runden: int, ort: Datenort | None = None) -> list[Figur]:
    """Typing and opening on ``ordner``, or on ``ort`` (the same data in a database: then without
    the Textual floor, and the figures named with "(PostgreSQL)")."""
    from screens.kundenliste import KundenlisteScreen
    from screens.uebersicht import UebersichtScreen

    app = KoplApp(data_dir=ort or ordner, benutzer="bench", heute=daten.STICHTAG)
    async with app.run_test(size=GROESSE) as pilot:
        await pilot.pause()
        liste = app.screen
        assert isinstance(liste, KundenlisteScreen)
        suche, tabelle = liste.query_one("#suche", Input), liste.query_one("#kunden", KundenTabelle)
        kunden = index_zeilen(ordner)
        gc.collect()

        # Typing: every keystroke of TIPPEN and its deletion, each until the table shows the right rows.
        schritte: list[tuple[str, str | None, str]] = []  # key, character, text after it
        for zeichen in TIPPEN:
            schritte.append((zeichen if zeichen != " " else "space", zeichen, (schritte[-1][2] if schritte else "")
                             + zeichen))
        for _ in TIPPEN:
            schritte.append(("backspace", None, schritte[-1][2][:-1]))
        schritte *= max(1, runden // 5)
        tasten: list[float] = []
        for name, zeichen, text in schritte:
            soll = erwartete_zeilen(kunden, text)
            tasten.append(await bis(pilot, lambda s=soll, t=text: suche.value == t and zeigt(tabelle, s),
                                    taste(app, name, zeichen)))

        # Opening an overview: Enter on a found customer until the plan table is filled.
        mit_plaenen = [k[0] for k in kunden if Store(ordner).akte_pfad(k[0]).exists()]
        auswahl = [mit_plaenen[i * len(mit_plaenen) // runden] for i in range(runden)]
        oeffnen: list[float] = []
        for nummer in auswahl:
            suche.value = nummer
            await pilot.pause()
            assert zeigt(tabelle, [nummer])
            anzahl = len(Store(ordner).akte_laden(nummer).plaene)

            def offen(nr: str = nummer, n: int = anzahl) -> bool:
                screen = app.screen
                return (isinstance(screen, UebersichtScreen) and app.akte is not None
                        and app.akte.kunde.kundennummer == nr and screen.query_one("#plaene", DataTable).row_count == n)

            oeffnen.append(await bis(pilot, offen, taste(app, "enter", "\r")))
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, KundenlisteScreen)
            suche.value = ""
            await pilot.pause()

    if ort is not None:
        return [
            Figur(f"Ein Tastendruck in #suche, 20.000 Kunden{PG}", median_ms(tasten), "ms", ziel="≤ 50 ms",
                  erfuellt=median_ms(tasten) <= 50, laeufe=tasten, notiz=f"max. {max(tasten) * 1000:.0f} ms"),
            Figur(f"Übersicht öffnen (Akte lesen + Tabelle füllen){PG}", median_ms(oeffnen), "ms", ziel="≤ 50 ms",
                  erfuellt=median_ms(oeffnen) <= 50, laeufe=oeffnen,
                  notiz="mit Bearbeitungssperre (Zeile + Sitzungsprüfung) und Akte lesen, je ein Rundweg"),
        ]
    # The same screen work in bare Textual (benchmarks/boden.py), for comparison.
    nach_nummer = {k[0]: k for k in kunden}
    seiten = {text: [nach_nummer[nr] for nr in erwartete_zeilen(kunden, text)[:boden.SEITE]]
              for text in {"", *(t for _, _, t in schritte)}}
    tasten_boden = await boden.tastendruck(seiten, schritte, BIS, taste, GROESSE)
    oeffnen_boden = await boden.oeffnen(runden, MESSKUNDE_PLAENE, BIS, taste, GROESSE)
    return [
        Figur("Ein Tastendruck in #suche, 20.000 Kunden", median_ms(tasten), "ms",
              median_ms(tasten) / boden.median_ms(tasten_boden), "Textual-Boden", "≤ 50 ms",
              median_ms(tasten) <= 50, tasten,
              notiz=f"„{TIPPEN}“ tippen und löschen, bis die Tabelle die richtigen Zeilen zeigt und gezeichnet ist; "
                    f"max. {max(tasten) * 1000:.0f} ms"),
        Figur(f"Boden: Tastendruck, leere Textual-App (Input + DataTable mit {boden.SEITE} Zeilen)", boden.median_ms(tasten_boden), "ms",
              laeufe=tasten_boden, notiz="dieselben Seiten, vorab berechnet: nur Textuals Arbeit"),
        Figur("Übersicht öffnen (Akte lesen + Tabelle füllen)", median_ms(oeffnen), "ms",
              median_ms(oeffnen) / boden.median_ms(oeffnen_boden), "Textual-Boden", "≤ 50 ms",
              median_ms(oeffnen) <= 50, oeffnen,
              notiz=f"{runden} verschiedene Kunden, Enter in der Kundenliste; das erste Öffnen baut den Screen: "
                    f"{oeffnen[0] * 1000:.0f} ms"),
        Figur("Boden: Screen mit DataTable zeigen, leere Textual-App", boden.median_ms(oeffnen_boden), "ms",
              laeufe=oeffnen_boden),
    ]


# ---- final save and its I/O floor --------------------------------------------------------------

def io_boden(objekt: object, ziel: Path, ordner_fsync: bool = False, historie: bytes | None = None
             ) -> tuple[float, float]:
    """The least a crash-safe save of this Akte must do: serialise, write, fsync, replace;
    with ``ordner_fsync`` also the fsync of the folder that makes the replace itself durable; with
    ``historie`` first one history line appended and fsynced, as the app's save commits its history
    before the Akte (the floor with the same durability steps as ``Kundenakte.speichern``; README
    "Leistung"). Seconds of wall clock and of this process's CPU time."""
    start, cpu = time.perf_counter(), time.process_time()
    if historie is not None:
        fd = os.open(ziel.with_name(ziel.name + ".historie"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, historie)
            os.fsync(fd)
        finally:
            os.close(fd)
    text = json.dumps(objekt, ensure_ascii=False, separators=(",", ":"))
    temp = ziel.with_name(ziel.name + ".tmp")
    with open(temp, "wb") as datei:
        datei.write(text.encode("utf-8"))
        datei.flush()
        os.fsync(datei.fileno())
    os.replace(temp, ziel)
    if ordner_fsync:
        fd = os.open(ziel.parent, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    return time.perf_counter() - start, time.process_time() - cpu


HISTORIENZEILE = (json.dumps({"zeit": "2025-06-02T08:00:00+00:00", "benutzer": "bench", "aktion": "gespeichert",
                              "plan_id": None, "alt": None, "neu": None}, separators=(",", ":")) + "\n").encode()


@dataclass
class Speichermessung:
    """Seconds per run of the save and its floors (wall clock), and CPU time of save and full floor."""

    speichern: list[float] = field(default_factory=list)
    io: list[float] = field(default_factory=list)
    io_ordner: list[float] = field(default_factory=list)
    io_voll: list[float] = field(default_factory=list)
    speichern_cpu: list[float] = field(default_factory=list)
    io_voll_cpu: list[float] = field(default_factory=list)

    def __iadd__(self, andere: Speichermessung) -> Speichermessung:
        for name in self.__dataclass_fields__:
            getattr(self, name).extend(getattr(andere, name))
        return self


def speichern_messen(ordner: Path, runden: int) -> Speichermessung:
    """The Messkunde's final save as Strg+S does it (``Kundenakte.speichern`` with the edit lock
    held: lock check, short file lock, version check, history, atomic write with fsync), alternating
    with the floors; the Akte file is restored afterwards."""
    store = Store(ordner)
    kunde = daten.messkunde().kunde
    pfad = store.akte_pfad(kunde.kundennummer)
    vorher = pfad.read_bytes()
    boden_ziel = pfad.with_name("bench-boden.json")
    boden_ziel.write_bytes(vorher)
    objekt = json.loads(vorher)
    messung = Speichermessung()
    akte = akte_oeffnen(store, kunde, "bench")
    try:
        assert akte.sperre is not None, akte.grund
        for _ in range(runden * 2):
            start, cpu = time.perf_counter(), time.process_time()
            akte.speichern()
            messung.speichern_cpu.append(time.process_time() - cpu)
            messung.speichern.append(time.perf_counter() - start)
            # The full floor right after the save, not after its near copies below: each of the two
            # compared runs follows other work (warm caches would flatter either one).
            wand, cpu = io_boden(objekt, boden_ziel, ordner_fsync=True, historie=HISTORIENZEILE)
            messung.io_voll.append(wand)
            messung.io_voll_cpu.append(cpu)
            messung.io.append(io_boden(objekt, boden_ziel)[0])
            messung.io_ordner.append(io_boden(objekt, boden_ziel, ordner_fsync=True)[0])
    finally:
        akte.schliessen()
        pfad.write_bytes(vorher)
        boden_ziel.unlink(missing_ok=True)
        boden_ziel.with_name(boden_ziel.name + ".historie").unlink(missing_ok=True)
    return messung


def speichern_figuren(klein: Path, gross: Path, runden: int) -> list[Figur]:
    # Both stores in turns, so a change of the disk's pace (other processes) hits both alike.
    s_klein, g = [], Speichermessung()
    for _ in range(4):
        s_klein += speichern_messen(klein, runden).speichern
        g += speichern_messen(gross, runden)
    flach = statistics.median(g.speichern) / statistics.median(s_klein)
    zum_boden = statistics.median(g.speichern) / statistics.median(g.io)
    zum_vollen_boden = statistics.median(g.speichern) / statistics.median(g.io_voll)
    cpu_zum_boden = statistics.median(g.speichern_cpu) / statistics.median(g.io_voll_cpu)
    return [
        Figur("Finales Speichern einer Akte, 1.000 Pläne im Bestand", median_ms(s_klein), "ms", laeufe=s_klein),
        Figur("Finales Speichern einer Akte, 100.000 Pläne im Bestand", median_ms(g.speichern), "ms", flach,
              "1.000 Pläne", "≤ 1,5×", flach <= 1.5, g.speichern,
              notiz="wie Strg+S: Kundenakte.speichern() mit gehaltener Bearbeitungssperre"),
        Figur("I/O-Boden: json.dumps + write + fsync + os.replace", median_ms(g.io), "ms", laeufe=g.io),
        Figur("Finales Speichern gegen I/O-Boden", median_ms(g.speichern), "ms", zum_boden, "I/O-Boden",
              notiz="das frühere Ziel ≤ 2× gilt jetzt gegen den Boden mit denselben Haltbarkeitsschritten "
                    "(unten): dieser Boden lässt Ordner-fsync und Historie weg"),
        Figur("I/O-Boden + fsync des Ordners (wie dateien.atomar_schreiben)", median_ms(g.io_ordner), "ms",
              laeufe=g.io_ordner),
        Figur("Finales Speichern gegen I/O-Boden + Ordner-fsync", median_ms(g.speichern), "ms",
              statistics.median(g.speichern) / statistics.median(g.io_ordner), "Boden + Ordner-fsync"),
        Figur(HALTBARKEITS_BODEN, median_ms(g.io_voll), "ms", laeufe=g.io_voll),
        Figur("Finales Speichern gegen Haltbarkeits-Boden (Wanduhr)", median_ms(g.speichern), "ms",
              zum_vollen_boden, "Haltbarkeits-Boden",
              notiz="Wanduhr: vor allem die drei fsync, die auf die Platte warten; das Ziel gilt der CPU-Zeit"),
        Figur("Haltbarkeits-Boden, CPU-Zeit", median_ms(g.io_voll_cpu), "ms", laeufe=g.io_voll_cpu),
        Figur("Finales Speichern gegen Haltbarkeits-Boden, CPU-Zeit", median_ms(g.speichern_cpu), "ms",
              cpu_zum_boden, "Haltbarkeits-Boden", "≤ 2×", cpu_zum_boden <= 2, g.speichern_cpu,
              notiz=f"dieselbe Akte ({MESSKUNDE_PLAENE} Pläne mit Historie) im 100.000-Pläne-Bestand, "
                    f"{len(g.speichern_cpu)} Speicherungen im Wechsel mit dem Boden; Speichern = Strg+S "
                    "(Kundenakte.speichern() mit Bearbeitungssperre); Boden = dieselben Haltbarkeitsschritte "
                    "ohne Sperren, Versionsprüfung, Prüfung und Historie-Eintrag (CPU-Zeit dieses Prozesses)"),
    ]


HALTBARKEITS_BODEN = ("Haltbarkeits-Boden: Historienzeile + fsync, json.dumps, Temp-Datei + fsync, rename, "
                      "Ordner-fsync")


# ---- the same on PostgreSQL ------------------------------------------------------------------------

PG = " (PostgreSQL)"
"""Suffix of a figure measured on the database; the folder's figure of the same name is its reference."""


def speichern_pg(ordner: Path, ort: Datenort, runden: int) -> list[Figur]:
    """The Messkunde's final save on the database as Strg+S does it (edit lock held; one transaction:
    version check, plans, history, commit with fsync), in turns with the same save in the folder."""
    store = ort.store()
    kunde = daten.messkunde().kunde
    tinydb, pg = [], []
    try:
        akte = akte_oeffnen(store, kunde, "bench")
        try:
            for _ in range(4):
                tinydb += speichern_messen(ordner, runden).speichern
                for _ in range(runden * 2):
                    start = time.perf_counter()
                    akte.speichern()
                    pg.append(time.perf_counter() - start)
        finally:
            akte.schliessen()
    finally:
        store.schliessen()
    return [Figur(f"Finales Speichern einer Akte, 100.000 Pläne im Bestand{PG}", median_ms(pg), "ms",
                  statistics.median(pg) / statistics.median(tinydb), "TinyDB, abwechselnd gemessen", laeufe=pg,
                  notiz=f"TinyDB im selben Lauf: {median_ms(tinydb):.1f} ms; Server lokal (Unix-Socket), fsync an")]


def postgresql_figuren(ordner: Path, runden: int) -> list[Figur]:
    import postgresql

    with postgresql.datenbank_mit(ordner) as ort:
        if ort is None:
            return []
        return asyncio.run(ui_messen(ordner, runden, ort)) + speichern_pg(ordner, ort, runden)


def neben_tinydb(figuren: list[Figur]) -> None:
    """A database figure without its own reference gets the folder's figure of this run as one."""
    nach_name = {f.name: f for f in figuren}
    for figur in figuren:
        ordner = nach_name.get(figur.name.removesuffix(PG))
        if figur.name.endswith(PG) and figur.verhaeltnis is None and ordner is not None and ordner.wert:
            figur.verhaeltnis, figur.bezug = figur.wert / ordner.wert, "TinyDB"


# ---- one letter -------------------------------------------------------------------------------

def brief_messen(ordner: Path, runden: int) -> list[Figur]:
    store = Store(ordner)
    kunde = daten.messkunde().kunde
    plaene = [p for p in store.akte_laden(kunde.kundennummer).plaene if p.status is not Status.NUR_AUFFORDERUNG]
    vorlage = briefe.vorlage("kooperationsplan.docx")

    def einmal() -> float:
        start = time.perf_counter()
        pruefung = briefe.pruefen(vorlage, kunde, plaene[-1], datum=daten.STICHTAG,
                                  ergaenzungen={"unterstuetzung_ergaenzung": "ein Bewerbungstraining."})
        assert pruefung.ok, pruefung.verweigert
        assert briefe.erzeugen(pruefung, store.data_dir)[:2] == b"PK"
        return time.perf_counter() - start

    kalt = einmal()
    warm = [einmal() for _ in range(runden)]
    return [Figur("Ein Brief (briefe.pruefen + erzeugen, docxtpl)", median_ms(warm), "ms", ziel="≤ 200 ms",
                  erfuellt=median_ms(warm) <= 200, laeufe=warm,
                  notiz=f"erster Brief der Sitzung (mit Import von docxtpl): {kalt * 1000:.0f} ms")]


# ---- through real ptys: what a session costs on the wire and on the server (kapazitaet.py) ------

def kb(anzahl: float) -> str:
    return zahl(anzahl / 1024, "KB")


def leerlauf_figuren(ordner: Path, sekunden: float) -> list[Figur]:
    bytes_s, cpu = kapazitaet.leerlauf(ordner, sekunden)
    blinkend, _ = kapazitaet.leerlauf(ordner, min(sekunden, 5), KOPL_BLINKEN="1")
    return [
        Figur("Leerlauf einer Sitzung: Bytes ans Terminal", bytes_s, "B/s", ziel="0 B/s", erfuellt=bytes_s == 0,
              notiz=f"{sekunden:.0f} s auf der Kundenliste, 80×24, ohne Eingabe"),
        Figur("Leerlauf einer Sitzung: CPU", cpu, "%", ziel="≤ 0,1 %", erfuellt=cpu <= 0.1,
              notiz=f"genau {cpu:.3f} %".replace(".", ",") + " eines Kerns (Laufzeit aller Threads, schedstat)"),
        Figur("Leerlauf mit blinkendem Cursor (--blinken, KOPL_BLINKEN=1)", blinkend, "B/s"),
    ]


GRENZEN = {"Zeichen in ein Textfeld der Maske": 1024, "Filter-Tastendruck in der Kundenliste": 8 * 1024,
           "Übersicht öffnen (Enter in der Kundenliste)": 16 * 1024, "F1 Hilfe öffnen": 16 * 1024,
           "Maske öffnen (b in der Übersicht)": 16 * 1024}


def bytes_figuren(ordner: Path, kundennummer: str, suche: str) -> list[Figur]:
    figuren = []
    for messung in kapazitaet.bytes_je_aktion(ordner, kundennummer, suche):
        grenze = GRENZEN.get(messung.name)
        wert = messung.reaktion.bytes
        notiz = f"{messung.reaktion.frames} Frames, volles Neuzeichnen dieses Bildes {kb(messung.vollbild)}"
        if messung.alle:
            notiz += "; alle Messungen: " + ", ".join(kb(b) for b in messung.alle)
        figuren.append(Figur(f"Bytes: {messung.name}", wert / 1024, "KB", wert / messung.vollbild,
                             "volles Neuzeichnen", "" if grenze is None else f"≤ {grenze // 1024} KB",
                             None if grenze is None else wert <= grenze, notiz=notiz))
    return figuren


def farbtiefe_figuren(ordner: Path, kundennummer: str) -> list[Figur]:
    figuren = []
    for name, env in (("truecolor (COLORTERM=truecolor)", {"COLORTERM": "truecolor"}),
                      ("256 Farben (TERM=xterm-256color, Standard über SSH)", {}),
                      ("16 Farben (TEXTUAL_COLOR_SYSTEM=standard)", {"TEXTUAL_COLOR_SYSTEM": "standard"})):
        liste, oeffnen = kapazitaet.farbtiefe(ordner, kundennummer, **env)
        figuren.append(Figur(f"Farbtiefe {name}: Kundenliste neu zeichnen", liste / 1024, "KB",
                             notiz=f"Übersicht öffnen {kb(oeffnen)}"))
    return figuren


def kapazitaet_figuren(ordner: Path, anzahlen: list[int], sekunden: float,
                       vorstart: pty_sitzung.Vorstart | None = None) -> list[Figur]:
    """Direct starts (each session a whole process) carry the response-time goal at 100 sessions;
    through Vorstart (``vorstart``: each session a client and a worker forked from the server) the
    memory goal, at the largest count."""
    figuren = []
    weg = " über Vorstart" if vorstart else ""
    for anzahl in anzahlen:
        lauf = kapazitaet.kapazitaet(ordner, anzahl, sekunden, vorstart=vorstart)
        zeiten = lauf.zeiten("suche", "leeren", "oeffnen")
        p95, ziel = kapazitaet.perzentil(zeiten, 95), not vorstart and anzahl == max(anzahlen) and anzahl >= 100
        uss_ziel = bool(vorstart) and anzahl == max(anzahlen)
        esc = lauf.zeiten("schliessen")
        oeffnen = lauf.zeiten("oeffnen")
        last = f"Last (1 min) vorher/nachher {lauf.last[0]:.2f}/{lauf.last[1]:.2f}"
        figuren += [
            Figur(f"{anzahl} Sitzungen{weg}: Taste bis vollständiger Frame, p95", p95, "ms", ziel="≤ 100 ms" if ziel else "",
                  erfuellt=(p95 <= 100) if ziel else None, laeufe=zeiten,
                  notiz=f"{len(zeiten)} Tasten (Suche, Strg+U, Enter) in {lauf.dauer_s:.0f} s: p50 "
                        f"{kapazitaet.perzentil(zeiten, 50):.0f} ms, max {max(zeiten, default=0):.0f} ms; "
                        f"Enter (Akte öffnen) p95 {kapazitaet.perzentil(oeffnen, 95):.0f} ms; Esc p95 "
                        f"{kapazitaet.perzentil(esc, 95):.0f} ms (davon ESCDELAY 100 ms); vor der nächsten Taste "
                        f"nicht fertig {lauf.ohne_antwort()} (mit dem nächsten Frame-Ende gezählt), noch "
                        f"schreibend bei der nächsten Taste {lauf.offen()}; {last}"),
            _uss_figur(anzahl, lauf, vorstart, uss_ziel),
            Figur(f"{anzahl} Sitzungen{weg}: USS gesamt", sum(lauf.uss_mb), "MB",
                  notiz="dazu einmal der Vorstart-Server (eigene Zeile)" if vorstart else ""),
            Figur(f"{anzahl} Sitzungen{weg}: während des Laufs beendet", len(lauf.beendet), "Sitzungen",
                  ziel="0", erfuellt=not lauf.beendet,
                  notiz="; ".join(repr(a[-300:]) for a in lauf.beendet) or "keine"),
            Figur(f"{anzahl} Sitzungen{weg}: CPU belegt", lauf.cpu_kerne, "Kerne",
                  notiz=f"{len(lauf.tasten) / lauf.dauer_s:.0f} Tasten/s gesendet; "
                        f"{lauf.cpu_kerne / max(1, len(lauf.tasten) / lauf.dauer_s) * 1000:.0f} ms CPU je Taste"),
        ]
    return figuren


def _uss_figur(anzahl: int, lauf: kapazitaet.Kapazitaet, vorstart: pty_sitzung.Vorstart | None, ziel: bool) -> Figur:
    notiz = f"Median {kapazitaet.median(lauf.uss_mb):.1f} MB; /proc/<pid>/smaps_rollup"
    if not vorstart:
        return Figur(f"{anzahl} Sitzungen: USS je Sitzung (Maximum)", max(lauf.uss_mb), "MB", laeufe=lauf.uss_mb,
                     notiz=notiz + "; Direktstart: jede Sitzung ein ganzer Prozess (das Ziel ≤ 35 MB gilt dem Start "
                                   "über Vorstart)")
    client = kapazitaet.median([teile[0] for teile in lauf.uss_teile])
    arbeiter = kapazitaet.median([teile[-1] for teile in lauf.uss_teile])
    return Figur(f"{anzahl} Sitzungen über Vorstart: USS je Sitzung (Client + Arbeitsprozess, Maximum)",
                 max(lauf.uss_mb), "MB", ziel="≤ 35 MB" if ziel else "", erfuellt=(max(lauf.uss_mb) <= 35) if ziel else None,
                 laeufe=lauf.uss_mb, notiz=f"{notiz}; je Sitzung das Konsolenprogramm (Median {client:.1f} MB) und "
                                           f"sein Arbeitsprozess vom Server (Median {arbeiter:.1f} MB)")


def vorstart_figuren(ordner: Path, anzahlen: list[int], sekunden: float, gleichzeitig: int) -> list[Figur]:
    """One ``kopl-tui vorstart`` for all of it, as on a server; its own memory counted once."""
    server = pty_sitzung.Vorstart(ordner, kapazitaet.umgebung())
    try:
        figuren = kapazitaet_figuren(ordner, anzahlen, sekunden, server)
        figuren += start_figuren(ordner, gleichzeitig, server)
        figuren.append(Figur("Vorstart-Server: Speicher, einmal für alle Sitzungen (RSS)",
                             pty_sitzung.rss_kib(server.pid) / 1024, "MB",
                             notiz=f"davon privat (USS) {pty_sitzung.uss_kib(server.pid) / 1024:.1f} MB; Module und "
                                   "Kundenliste, die jede Sitzung mitbenutzt"))
    finally:
        server.stoppen()
    return figuren


def start_figuren(ordner: Path, anzahl: int, vorstart: pty_sitzung.Vorstart | None = None) -> list[Figur]:
    zeiten = kapazitaet.gleichzeitig_starten(ordner, anzahl, vorstart)
    weg = " über Vorstart" if vorstart else ""
    return [Figur(f"{anzahl} Sitzungen gleichzeitig{weg} gestartet: bis Kundenliste gezeigt, Median",
                  kapazitaet.median(zeiten) * 1000, "ms", laeufe=zeiten,
                  notiz=f"langsamste {max(zeiten) * 1000:.0f} ms")]


# ---- output ---------------------------------------------------------------------------------

def zahl(wert: float, einheit: str) -> str:
    """German number; below 1 with two decimals (a CPU time of 0,4 ms says too little)."""
    return f"{wert:,.{2 if abs(wert) < 1 else 1}f} {einheit}".replace(",", "X").replace(".", ",").replace("X", ".")


def tabelle(figuren: list[Figur]) -> str:
    zeilen = [("Figur", "Wert", "Verhältnis", "Ziel", "erfüllt?")]
    for f in figuren:
        verh = "" if f.verhaeltnis is None else f"{f.verhaeltnis:.2f}".replace(".", ",") + f"× {f.bezug}"
        erfuellt = "" if f.erfuellt is None else ("ja" if f.erfuellt else "NEIN")
        zeilen.append((f.name, zahl(f.wert, f.einheit), verh, f.ziel, erfuellt))
    breiten = [max(len(z[i]) for z in zeilen) for i in range(5)]
    text = [" | ".join(z[i].ljust(breiten[i]) if i != 1 else z[i].rjust(breiten[i]) for i in range(5))
            for z in zeilen]
    text.insert(1, "-+-".join("-" * b for b in breiten))
    return "\n".join(text)


def maschine() -> dict[str, object]:
    return {"kerne": os.cpu_count(), "python": platform.python_version(), "textual": textual.__version__,
            "system": f"{platform.system()} {platform.release()}", "prozessor": platform.processor() or platform.machine()}


SCHRITTE = ("start", "ui", "speichern", "postgresql", "brief", "leerlauf", "bytes", "farben", "kapazitaet",
            "gleichzeitig", "vorstart")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runden", type=int, default=7, help="Läufe je Figur (Median; mindestens 5)")
    parser.add_argument("--neu", action="store_true", help="Datenordner neu erzeugen")
    parser.add_argument("--nur", default=",".join(SCHRITTE), help=f"Teile, mit Komma: {','.join(SCHRITTE)}")
    parser.add_argument("--ordner", type=Path, help="Datenordner für die pty-Teile statt des 20.000-Kunden-Ordners "
                                                    "(dann nur leerlauf,bytes,farben,kapazitaet,gleichzeitig,vorstart)")
    parser.add_argument("--sitzungen", default="10,50,100", help="Sitzungen der Kapazitätsläufe")
    parser.add_argument("--sitzungen-vorstart", default="10,50", help="Sitzungen der Kapazitätsläufe über Vorstart")
    parser.add_argument("--kapazitaet-s", type=float, default=60, help="Dauer eines Kapazitätslaufs")
    parser.add_argument("--leerlauf-s", type=float, default=20, help="Dauer der Leerlaufmessung")
    parser.add_argument("--gleichzeitig", type=int, default=20, help="gleichzeitig gestartete Sitzungen")
    parser.add_argument("--ergebnis", type=Path, default=daten.ERGEBNISSE / "latest.json")
    args = parser.parse_args()
    runden = max(5, args.runden)
    nur = [teil for teil in args.nur.split(",") if teil]
    unbekannt = set(nur) - set(SCHRITTE)
    if unbekannt or (args.ordner and set(nur) & {"start", "ui", "speichern", "postgresql", "brief"}):
        parser.error(f"--nur: {', '.join(sorted(unbekannt)) or 'mit --ordner nur die pty-Teile'}")
    beginn = time.perf_counter()
    last_vorher = os.getloadavg()

    if args.ordner:
        klein = gross = args.ordner.resolve()
        kundennummer, suche = kapazitaet.messkunde(gross)
    else:
        # Built in a child process (kept under benchmarks/results/): this process, which starts the
        # start-up children and runs the app, does not grow by the generator's few hundred MB.
        subprocess.run([sys.executable, str(HIER / "daten.py"), *(["--neu"] if args.neu else [])], check=True)
        klein, gross = daten.KLEIN.ordner, daten.GROSS.ordner
        kundennummer, suche = daten.messkunde().kunde.kundennummer, "schmidt"
    sitzungen = [int(n) for n in args.sitzungen.split(",") if n]
    ueber_vorstart = [int(n) for n in args.sitzungen_vorstart.split(",") if n]

    schritte: dict[str, tuple[str, Callable[[], list[Figur]]]] = {
        "start": ("Start und Speicher", lambda: start_messen(gross, klein, runden)),
        "ui": ("Tippen und Öffnen", lambda: asyncio.run(ui_messen(gross, runden))),
        "speichern": ("Speichern", lambda: speichern_figuren(klein, gross, runden)),
        "postgresql": ("PostgreSQL: Tippen, Öffnen, Speichern", lambda: postgresql_figuren(gross, runden)),
        "brief": ("Brief", lambda: brief_messen(gross, runden)),
        "leerlauf": ("Leerlauf (pty)", lambda: leerlauf_figuren(gross, args.leerlauf_s)),
        "bytes": ("Bytes je Aktion (pty)", lambda: bytes_figuren(gross, kundennummer, suche)),
        "farben": ("Farbtiefe (pty)", lambda: farbtiefe_figuren(gross, kundennummer)),
        "kapazitaet": ("Kapazität (pty)", lambda: kapazitaet_figuren(gross, sitzungen, args.kapazitaet_s)),
        "gleichzeitig": ("Gleichzeitiger Start (pty)", lambda: start_figuren(gross, args.gleichzeitig)),
        "vorstart": ("Kapazität und Start über Vorstart (pty)",
                     lambda: vorstart_figuren(gross, ueber_vorstart, args.kapazitaet_s, args.gleichzeitig)),
    }
    figuren: list[Figur] = []
    for teil in nur:
        titel, schritt = schritte[teil]
        t = time.perf_counter()
        figuren += schritt()
        print(f"  {titel}: {time.perf_counter() - t:.1f} s, Last {os.getloadavg()[0]:.2f}", file=sys.stderr)

    neben_tinydb(figuren)
    last_nachher = os.getloadavg()
    info = maschine()
    print()
    print(f"{info['kerne']} Kerne, Python {info['python']}, Textual {info['textual']}, "
          f"Last vorher/nachher {last_vorher[0]:.2f}/{last_nachher[0]:.2f}, Median aus {runden} Läufen")
    print(tabelle(figuren))
    for f in figuren:
        if f.notiz:
            print(f"  {f.name}: {f.notiz}")
    gesamt = time.perf_counter() - beginn
    print(f"Dauer {gesamt:.0f} s")
    args.ergebnis.parent.mkdir(parents=True, exist_ok=True)
    ergebnis = {"zeit": datetime.now().astimezone().isoformat(timespec="seconds"), "maschine": info,
                "last_1min": {"vorher": last_vorher[0], "nachher": last_nachher[0]}, "runden": runden,
                "dauer_s": round(gesamt, 1), "figuren": [asdict(f) for f in figuren]}
    args.ergebnis.write_text(json.dumps(ergebnis, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
