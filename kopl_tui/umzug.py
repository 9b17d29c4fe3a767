"""``kopl-tui umziehen --von QUELLE --nach ZIEL``: a whole data set from one data location to
another (a folder to PostgreSQL, PostgreSQL to a folder, …), checked afterwards (README, "Mehrere
Server").

What moves: every customer (in the index's order, with its internal id), every Akte with its
plans and its complete history (each entry with its own time and user), the index of filed letters,
and, when the two Dateiordner differ, the letters' files, the letterhead and own templates. Edit
locks do not move: the move runs while nobody works (a lock held in the source is refused). The
Akte's saved state counts anew from 1 in the target (the version only guards concurrent saves).

Before anything is written the source is swept (``pruefen``): an unreadable Akte or index is
refused, so the target never gets a partial copy of one. Afterwards both sides are counted
(customers, Akten, plans, history entries, filed letters) and swept again; the move counts as done
only if the counts agree and ``pruefen`` finds the same findings on both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kopl_tui import dateien
from kopl_tui.dateien import StoreFehler
from kopl_tui.datenort import Datenort

if TYPE_CHECKING:
    from kopl_tui.ablage import Ablage, AblageEintrag
    from kopl_tui.speicher import Speicher

ZAEHLUNG = ("Kunden", "Akten", "Pläne", "Historieneinträge", "abgelegte Briefe")


class UmzugFehler(StoreFehler):
    """The move is refused or did not check out; German message."""


@dataclass(frozen=True)
class Umzugsbericht:
    quelle: dict[str, int]
    ziel: dict[str, int]
    befunde: int
    """How many findings ``pruefen`` reports on both sides (the same ones)."""
    dateien: int
    """Files copied into the target's Dateiordner."""


def befunde(store: Speicher, stichtag: date) -> list[tuple[str, str, str, str]]:
    """What ``pruefen`` finds, without where a defect lies (a file path here, a row there)."""
    from kopl_tui.pruefung import pruefliste

    return sorted((b.kundennummer, b.plan_id, b.regel, b.meldung if b.regel != "datei_unlesbar" else "")
                  for b in pruefliste(store, stichtag))


def zaehlen(store: Speicher) -> dict[str, int]:
    """Customers, Akten, plans, history entries, filed letters of one data set."""
    nummern = store.akten_nummern()
    kunden = store.kunden()
    briefe = sum(len(store.ablage_dokumente(nr)) for nr in sorted({*nummern, *(k.kundennummer for k in kunden)}))
    plaene = historie = 0
    for nr in nummern:
        stand = store.akte_laden(nr)
        plaene += len(stand.plaene)
        historie += len(stand.historie)
    return dict(zip(ZAEHLUNG, (len(kunden), len(nummern), plaene, historie, briefe), strict=True))


def umziehen(von: Datenort, nach: Datenort, benutzer: str, ueberschreiben: bool = False,
             stichtag: date | None = None, fortschritt: Callable[[str], None] = lambda _: None) -> Umzugsbericht:
    """Copy the data set ``von`` → ``nach`` and check it (module docstring)."""
    from kopl_tui.ablage import Ablage

    if von == nach:
        raise UmzugFehler("Quelle und Ziel sind derselbe Datenort.")
    tag = stichtag or date.today()
    quelle, ziel = von.store(), nach.store()
    if not von.ist_datenbank and quelle.ist_leer() and not quelle.akten_nummern():
        raise UmzugFehler(f"In {von} gibt es keine Daten von kopl-tui (kein kunden.json, keine Akten).")
    ziel.anlegen()
    if not ziel.ist_leer() or ziel.akten_nummern():
        if not ueberschreiben:
            raise UmzugFehler(f"{nach} enthält schon Daten. Nichts wurde geschrieben; --ueberschreiben löscht sie "
                              "vorher.")
        ziel.leeren()
        ziel.anlegen()  # a folder's own folders went with its data
    vorher = befunde(quelle, tag)
    unlesbar = [nr or "Kundenindex" for nr, _, regel, _ in vorher if regel == "datei_unlesbar"]
    if unlesbar:
        raise UmzugFehler(f"{len(unlesbar)} Akte(n) in {von} sind unlesbar ({', '.join(unlesbar[:5])}"
                          f"{' …' if len(unlesbar) > 5 else ''}); „kopl-tui pruefen“ nennt den Grund. Nichts wurde "
                          "geschrieben; bitte zuerst beheben.")
    kunden = quelle.kunden()
    fortschritt(f"{len(kunden)} Kunden …")
    ziel.kunden_schreiben(kunden)
    nummern = quelle.akten_nummern()
    ablage_von, ablage_nach = Ablage(quelle), Ablage(ziel)
    for i, nr in enumerate(nummern, 1):
        _akte_kopieren(quelle, ziel, nr, benutzer)
        if i % 1000 == 0:
            fortschritt(f"{i} von {len(nummern)} Akten …")
    dateien_kopiert = 0
    for nr in sorted({*nummern, *(k.kundennummer for k in kunden)}):
        for eintrag in quelle.ablage_dokumente(nr):
            dateien.privater_ordner(ablage_nach.ordner(nr))
            ziel.ablage_eintragen(nr, eintrag)  # without a history line: the Akte's history came along whole
            if quelle.data_dir != ziel.data_dir:
                dateien_kopiert += _briefdateien(ablage_von, ablage_nach, nr, eintrag)
    if quelle.data_dir != ziel.data_dir:
        dateien_kopiert += _einstellungen(quelle.data_dir, ziel.data_dir)
    fortschritt("Prüfen …")
    bericht = Umzugsbericht(zaehlen(quelle), zaehlen(ziel), len(vorher), dateien_kopiert)
    if bericht.quelle != bericht.ziel:
        unterschiede = ", ".join(f"{name} {bericht.quelle[name]} → {bericht.ziel[name]}" for name in ZAEHLUNG
                                 if bericht.quelle[name] != bericht.ziel[name])
        raise UmzugFehler(f"Nach dem Kopieren stimmen die Zahlen nicht überein ({unterschiede}). {nach} ist "
                          "unvollständig: bitte mit --ueberschreiben wiederholen.")
    if befunde(ziel, tag) != vorher:
        raise UmzugFehler(f"„pruefen“ findet in {nach} andere Befunde als in {von}. Bitte mit --ueberschreiben "
                          "wiederholen und sonst den Support verständigen.")
    return bericht


def _akte_kopieren(quelle: Speicher, ziel: Speicher, nr: str, benutzer: str) -> None:
    """One Akte: plans and its whole history in one save of the target (both or neither)."""
    sperre = quelle.sperre_lesen(nr)
    if sperre is not None:
        raise UmzugFehler(f"Die Akte {nr} wird gerade bearbeitet ({sperre.beschreibung()}). Der Umzug läuft nur, "
                          "während niemand arbeitet; bitte alle Sitzungen beenden (oder die Sperre mit „kopl-tui "
                          "sperre-aufheben“ lösen) und mit --ueberschreiben wiederholen.")
    stand = quelle.akte_laden(nr)
    if stand.stammdaten_offen:  # a change of master data left half way in the folder: settled first
        quelle.stammdaten_nachtragen(nr)
        stand = quelle.akte_laden(nr)
    if stand.version == 0:  # never saved (only letters or lock notes): history only, as in the source
        if stand.historie:
            ziel.historie_anhaengen(nr, stand.historie)
        return
    ziel.akte_speichern(nr, stand.plaene, 0, stand.geaendert_von or benutzer, stand.historie)


def _briefdateien(von: Ablage, nach: Ablage, nr: str, eintrag: AblageEintrag) -> int:
    kopiert = 0
    for name in (eintrag.datei, eintrag.pdf):
        if not name:
            continue
        try:
            inhalt = dateien.lesen(von.ordner(nr) / name)
        except FileNotFoundError:
            continue  # the index names a file that is gone: pruefen of the Ablage is another job
        dateien.atomar_schreiben(dateien.privater_ordner(nach.ordner(nr)) / name, inhalt)
        kopiert += 1
    return kopiert


def _einstellungen(von: Path, nach: Path) -> int:
    """Letterhead and own templates, where the target has none of its own."""
    from kopl_tui.datenordner import briefkopf_datei, vorlagen_ordner

    kopiert = 0
    quellen = [briefkopf_datei(von), *sorted(vorlagen_ordner(von).glob("*.docx"))]
    for datei in quellen:
        ziel = nach / datei.relative_to(von)
        if not datei.is_file() or ziel.exists():
            continue
        dateien.privater_ordner(ziel.parent)
        dateien.atomar_schreiben(ziel, dateien.lesen(datei))
        kopiert += 1
    return kopiert
