"""What an SSH session costs and how many one server carries: measured through real ptys.

Every figure comes from outside, as an SSH server sees it: the project's console script ``kopl-tui``
runs in its own pty (benchmarks/pty_sitzung.py), 80×24, ``TERM=xterm-256color``, and this process
reads everything it writes.

- ``leerlauf``: an idle session's bytes per second and CPU share;
- ``bytes_je_aktion``: bytes to the terminal for one action each, against one full repaint of the
  screen the action leaves on the terminal (the frame in which that screen came up whole);
- ``kapazitaet``: N sessions on one folder, each typing about one key a second into the search and
  opening and closing an Akte now and then; time from each key to its *complete* frame, CPU and
  private memory (USS);
- ``gleichzeitig_starten``: N sessions started at once, time until each shows the customer list.

Capacity and start-up also through a Vorstart server (README "Vorstart"): the sessions are clients
of one ``kopl-tui vorstart``, and a session's cost is its client's plus its worker's.
"""

from __future__ import annotations

import bisect
import heapq
import os
import random
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from pty_sitzung import (SYNC_ENDE, Sitzung, Terminal, Vorstart, cpu_sekunden, laufzeit_s, prozesse, starten, umgebung,
                         uss_kib)

LISTE_BEREIT = re.compile(rb"\d Kunden")  # the hit line: "12 von 12 Kunden", "20.000 von 20.000 Kunden"
MASKE = "Übernehmen & zurück".encode()  # the mask's footer
HILFE = "Bedeutung".encode()  # its table header (the title may be scrolled away at 80×24)


def kopf(kundennummer: str) -> bytes:
    """The header of an open Akte: "gespeichert · NR · Name" (also "● ungespeichert · NR")."""
    return f"· {kundennummer} ·".encode()


# ---- one session, step by step ----------------------------------------------------------------

@dataclass
class Reaktion:
    taste: str
    bytes: int
    frames: int
    ms: float  # from the key to the end of its last frame
    groesster_frame: int


def bereit(terminal: Terminal, sitzung: Sitzung, frist: float = 120.0) -> float:
    """Seconds from the session's start until the customer list is on the terminal, complete (its hit
    line was drawn and the frame it is in has ended); returns once the session is quiet."""
    grenze = time.monotonic() + frist
    while (treffer := LISTE_BEREIT.search(sitzung.ausgabe)) is None or \
            (ende := sitzung.ausgabe.find(SYNC_ENDE, treffer.end())) < 0:
        if time.monotonic() > grenze or sitzung.beendet:
            raise TimeoutError(f"Kundenliste erscheint nicht: {bytes(sitzung.ausgabe[-300:])!r}")
        time.sleep(0.005)
    terminal.ruhig(sitzung, frist=frist)
    return sitzung.frame_ende_bei(ende) - sitzung.start


def aktion(terminal: Terminal, sitzung: Sitzung, taste: str, erwartet: bytes | None = None,
           ruhe: float = 0.5) -> Reaktion:
    """Press ``taste``; wait for ``erwartet`` (text the new screen shows) if given, then until the
    session is quiet. Bytes, frames and time of everything it wrote in reply."""
    marke, frames = len(sitzung.ausgabe), len(sitzung.enden)
    gesendet = sitzung.senden(taste)
    if erwartet is not None:
        frist = time.monotonic() + 60
        while erwartet not in sitzung.ausgabe[marke:]:
            if time.monotonic() > frist:
                raise TimeoutError(f"{taste}: {erwartet!r} erscheint nicht")
            time.sleep(0.005)
    ende = terminal.ruhig(sitzung, gesendet, ruhe)
    antwort = bytes(sitzung.ausgabe[marke:])
    return Reaktion(taste, len(antwort), len(sitzung.enden) - frames, (ende - gesendet) * 1000,
                    max((len(f) for f in antwort.split(SYNC_ENDE)), default=0))


def vollbild(reaktion: Reaktion) -> int:
    """Bytes of one full repaint of the screen a screen change left on the terminal: Textual draws a
    screen that comes up (or comes back) whole, so the largest frame of that reply is the full
    screen, at the terminal's size."""
    return reaktion.groesster_frame


# ---- idle ----------------------------------------------------------------------------------

def leerlauf(ordner: Path, sekunden: float, **env: str) -> tuple[float, float]:
    """Bytes per second and CPU share (percent of one core) of a session left alone on its customer
    list, after it has settled (the background loading half a second after start included)."""
    terminal = Terminal()
    try:
        sitzung = terminal.dazu(starten(ordner, "leerlauf", umgebung(**env)))
        bereit(terminal, sitzung)
        time.sleep(3)
        marke, cpu, start = len(sitzung.ausgabe), laufzeit_s(sitzung.pid), time.monotonic()
        time.sleep(sekunden)
        dauer = time.monotonic() - start
        return (len(sitzung.ausgabe) - marke) / dauer, (laufzeit_s(sitzung.pid) - cpu) / dauer * 100
    finally:
        terminal.schliessen()


# ---- bytes per action ----------------------------------------------------------------------

@dataclass
class Aktionsbytes:
    name: str
    reaktion: Reaktion
    vollbild: int  # bytes of one full repaint of the screen after the action
    alle: list[int] = field(default_factory=list)  # every measured reply, where several were


def bytes_je_aktion(ordner: Path, kundennummer: str, suche: str, groesse: tuple[int, int] = (80, 24),
                    **env: str) -> list[Aktionsbytes]:
    """One session, one action after the other, each measured by itself:
    filter keystrokes (``suche`` typed letter by letter), opening the Akte of ``kundennummer`` (the
    overview), F1 and back, opening its first plan in the mask, characters typed into the mask's
    first free text, Strg+S (applies the mask and saves; until its message has gone again)."""
    terminal = Terminal()
    ergebnis: list[Aktionsbytes] = []
    try:
        sitzung = terminal.dazu(starten(ordner, "bytes", umgebung(**env), groesse=groesse))
        bereit(terminal, sitzung)
        time.sleep(1.5)  # the background loading after start: not part of any action
        tasten = [aktion(terminal, sitzung, z if z != " " else "space") for z in suche]
        aktion(terminal, sitzung, "ctrl+u")
        for zeichen in kundennummer:
            aktion(terminal, sitzung, zeichen)
        erstes = aktion(terminal, sitzung, "enter", kopf(kundennummer))  # builds the overview screen
        zurueck = aktion(terminal, sitzung, "escape", "Kundennummer".encode())  # the list, drawn whole
        groesster = max(tasten, key=lambda r: r.bytes)
        ergebnis.append(Aktionsbytes("Filter-Tastendruck in der Kundenliste", groesster, vollbild(zurueck),
                                     [r.bytes for r in tasten]))
        offen = aktion(terminal, sitzung, "enter", kopf(kundennummer))
        ergebnis.append(Aktionsbytes("Übersicht öffnen (Enter in der Kundenliste)", offen, vollbild(offen),
                                     [erstes.bytes, offen.bytes]))
        hilfe = aktion(terminal, sitzung, "f1", HILFE)
        ergebnis.append(Aktionsbytes("F1 Hilfe öffnen", hilfe, vollbild(hilfe)))
        aktion(terminal, sitzung, "escape")
        maske = aktion(terminal, sitzung, "b", MASKE)
        ergebnis.append(Aktionsbytes("Maske öffnen (b in der Übersicht)", maske, vollbild(maske)))
        aktion(terminal, sitzung, "tab")  # from Status to the first free text
        aktion(terminal, sitzung, "end")
        zeichen = [aktion(terminal, sitzung, z) for z in "abcdef"]
        folgende = zeichen[1:]  # the first one also marks the header "● ungespeichert"
        typisch = sorted(folgende, key=lambda r: r.bytes)[len(folgende) // 2]
        ergebnis.append(Aktionsbytes("Zeichen in ein Textfeld der Maske", typisch, vollbild(maske),
                                     [r.bytes for r in zeichen]))
        speichern = aktion(terminal, sitzung, "ctrl+s", "gespeichert.".encode(), ruhe=6.5)
        ergebnis.append(Aktionsbytes("Strg+S (übernehmen und speichern, mit Meldung)", speichern, vollbild(maske)))
    finally:
        terminal.schliessen()
    return ergebnis


# ---- capacity ----------------------------------------------------------------------------------

@dataclass
class Taste:
    sitzung: int
    art: str  # "suche" (a letter), "leeren" (Strg+U), "oeffnen" (Enter), "schliessen" (Escape)
    gesendet: float
    ms: float | None = None  # to the end of the last frame before the session's next key
    erstes_byte_ms: float | None = None
    offen_am_ende: bool = False  # still writing when the next key came: its reply may run on
    ohne_antwort: bool = False  # no frame ended before the next key


@dataclass
class Kapazitaet:
    sitzungen: int
    dauer_s: float
    tasten: list[Taste]
    cpu_kerne: float  # CPU seconds of all sessions per second of the run
    uss_mb: list[float]  # per session: the console script, through Vorstart plus its worker
    start_s: list[float]
    last: tuple[float, float]
    uss_teile: list[list[float]] = field(default_factory=list)  # per session: each process's USS, MB
    beendet: list[bytes] = field(default_factory=list)  # the last output of each session that ended during the run

    def zeiten(self, *arten: str) -> list[float]:
        return [t.ms for t in self.tasten if t.ms is not None and (not arten or t.art in arten)]

    def ohne_antwort(self) -> int:
        return sum(1 for t in self.tasten if t.ohne_antwort)

    def offen(self) -> int:
        return sum(1 for t in self.tasten if t.offen_am_ende)


def perzentil(werte: list[float], p: float) -> float:
    if not werte:
        return float("nan")
    werte = sorted(werte)
    return werte[min(len(werte) - 1, max(0, round(p / 100 * len(werte) + 0.5) - 1))]


def _woerter(ordner: Path, anzahl: int, zufall: random.Random) -> list[str]:
    """Search words as staff type them: the start of a customer's surname, 3 to 5 letters."""
    from kopl_tui.kundenindex import Kundenindex

    liste = Kundenindex(ordner).laden()
    namen = [liste.zeile(i).nachname for i in range(len(liste))]
    return [n[:zufall.randint(3, 5)].lower() for n in zufall.sample(namen, min(anzahl, len(namen)))]


def _ablauf(woerter: list[str], zufall: random.Random) -> list[tuple[str, str]]:
    """One session's keys, endlessly repeated by the caller: a word letter by letter, in a third of
    the cases Enter on the first hit and Escape back, then Strg+U empties the search."""
    tasten: list[tuple[str, str]] = []
    for wort in woerter:
        tasten += [(z, "suche") for z in wort]
        if zufall.random() < 1 / 3:
            tasten += [("enter", "oeffnen"), ("escape", "schliessen")]
        tasten.append(("ctrl+u", "leeren"))
    return tasten


def vorstart_umgebung(vorstart: Vorstart | None) -> dict[str, str]:
    return umgebung(**({"KOPL_VORSTART": str(vorstart.socket)} if vorstart else {}))


def kapazitaet(ordner: Path, sitzungen: int, sekunden: float, takt: float = 1.0, seed: int = 14,
               vorstart: Vorstart | None = None) -> Kapazitaet:
    """``sitzungen`` sessions, started ten at a time until all show the list, then each pressing a key
    every ``takt`` seconds (±25 %, so they do not march in step) for ``sekunden``; after the run,
    USS of every session. With ``vorstart`` each session is a client of that server."""
    zufall = random.Random(seed)
    woerter = _woerter(ordner, 400, zufall)
    terminal = Terminal(vorrang=True)
    prioritaet = os.getpriority(os.PRIO_PROCESS, 0)
    try:
        alle: list[Sitzung] = []
        start_s: list[float] = []
        for welle in range(0, sitzungen, 10):
            neu = [terminal.dazu(starten(ordner, f"last{i}", vorstart_umgebung(vorstart)))
                   for i in range(welle, min(welle + 10, sitzungen))]
            start_s += [bereit(terminal, s) for s in neu]
            if vorstart:
                for sitzung in neu:
                    vorstart.zuordnen(sitzung)
            alle += neu
        time.sleep(2)  # every session's background loading done
        os.setpriority(os.PRIO_PROCESS, 0, -10)  # the typist keeps time also when the sessions are busy
        plaene = [_ablauf(zufall.sample(woerter, len(woerter)), zufall) for _ in alle]
        stelle = [0] * len(alle)
        faellig = [(time.monotonic() + zufall.uniform(0, takt), i) for i in range(len(alle))]
        heapq.heapify(faellig)
        tasten: list[Taste] = []
        je_sitzung: list[list[Taste]] = [[] for _ in alle]
        cpu_vorher = [_cpu(s) for s in alle]
        last_vorher = os.getloadavg()[0]
        beginn = time.monotonic()
        ende = beginn + sekunden
        while faellig and faellig[0][0] < ende:
            zeit, i = heapq.heappop(faellig)
            warten = zeit - time.monotonic()
            if warten > 0:
                time.sleep(warten)
            taste, art = plaene[i][stelle[i] % len(plaene[i])]
            stelle[i] += 1
            eintrag = Taste(i, art, alle[i].senden(taste))
            tasten.append(eintrag)
            je_sitzung[i].append(eintrag)
            pause = takt * zufall.uniform(0.75, 1.25) * (2 if art == "oeffnen" else 1)  # reads the overview
            heapq.heappush(faellig, (zeit + pause, i))
        dauer = time.monotonic() - beginn
        cpu = sum(_cpu(s) - v for s, v in zip(alle, cpu_vorher)) / dauer
        time.sleep(max(1.5, takt))  # the last replies
        last_nachher = os.getloadavg()[0]
        for i, sitzung in enumerate(alle):
            _auswerten(sitzung, je_sitzung[i])
        # A session that ended during the run is a finding of its own (its last output is kept for
        # the reader), not a reason to lose the run: the memory figures are those of the others.
        beendet = [bytes(s.ausgabe[-2000:]) for s in alle if s.beendet]
        teile = [[uss_kib(pid) / 1024 for pid in prozesse(s)] for s in alle if not s.beendet]
        return Kapazitaet(sitzungen, dauer, tasten, cpu, [sum(t) for t in teile], start_s, (last_vorher, last_nachher),
                          teile, beendet)
    finally:
        os.setpriority(os.PRIO_PROCESS, 0, prioritaet)
        terminal.schliessen()


def _cpu(sitzung: Sitzung) -> float:
    return sum(cpu_sekunden(pid) for pid in prozesse(sitzung))


def _auswerten(sitzung: Sitzung, tasten: list[Taste]) -> None:
    """Each key's reply: every frame the session ended between the key and its next key (an idle
    session writes nothing, so all of it answers this key); its time is that of the last frame end.
    A key without a frame end before the next key (the session is behind) gets the time of the first
    frame end after it, whenever that came: a lower bound, counted as ``ohne_antwort``."""
    enden, lesezeiten = sitzung.enden, sitzung.lesezeiten
    for k, taste in enumerate(tasten):
        bis = tasten[k + 1].gesendet if k + 1 < len(tasten) else float("inf")
        von_ende, bis_ende = bisect.bisect_left(enden, taste.gesendet), bisect.bisect_left(enden, bis)
        if bis_ende > von_ende:
            taste.ms = (enden[bis_ende - 1] - taste.gesendet) * 1000
        else:
            taste.ohne_antwort = True
            taste.ms = ((enden[von_ende] if von_ende < len(enden) else sitzung.letzte) - taste.gesendet) * 1000
        von_lesen, bis_lesen = bisect.bisect_left(lesezeiten, taste.gesendet), bisect.bisect_left(lesezeiten, bis)
        if bis_lesen > von_lesen:
            taste.erstes_byte_ms = (lesezeiten[von_lesen] - taste.gesendet) * 1000
            taste.offen_am_ende = bis_ende > von_ende and lesezeiten[bis_lesen - 1] > enden[bis_ende - 1]


# ---- many at once --------------------------------------------------------------------------

def gleichzeitig_starten(ordner: Path, anzahl: int, vorstart: Vorstart | None = None) -> list[float]:
    """Seconds from each session's start until its customer list is shown, all started at once."""
    terminal = Terminal()
    try:
        alle = [terminal.dazu(starten(ordner, f"start{i}", vorstart_umgebung(vorstart))) for i in range(anzahl)]
        zeiten = [bereit(terminal, s, frist=300) for s in alle]
        if vorstart:  # each really ran in a worker (none fell back to the normal start)
            for sitzung in alle:
                vorstart.zuordnen(sitzung)
        return zeiten
    finally:
        terminal.schliessen()


def median(werte: list[float]) -> float:
    return statistics.median(werte) if werte else float("nan")


def farbtiefe(ordner: Path, kundennummer: str, **env: str) -> tuple[int, int]:
    """Bytes of one full repaint of the customer list and of opening the overview, under ``env``
    (e.g. ``TEXTUAL_COLOR_SYSTEM=standard``): what the colour depth costs on the wire."""
    terminal = Terminal()
    try:
        sitzung = terminal.dazu(starten(ordner, "farben", umgebung(**env)))
        bereit(terminal, sitzung)
        time.sleep(1.5)
        for zeichen in kundennummer:
            aktion(terminal, sitzung, zeichen)
        oeffnen = aktion(terminal, sitzung, "enter", kopf(kundennummer)).bytes
        zurueck = aktion(terminal, sitzung, "escape", "Kundennummer".encode())
        return vollbild(zurueck), oeffnen
    finally:
        terminal.schliessen()


def messkunde(ordner: Path) -> tuple[str, str]:
    """A customer of ``ordner`` with an Akte (for opening it) and a search word from its list."""
    from kopl_tui.kundenindex import Kundenindex
    from kopl_tui.store import Store

    liste, store = Kundenindex(ordner).laden(), Store(ordner)
    zeilen = [liste.zeile(i) for i in range(len(liste))]
    nummer = next(z.kundennummer for z in zeilen if store.akte_pfad(z.kundennummer).exists())
    return nummer, zeilen[len(zeilen) // 2].nachname[:6].lower()
