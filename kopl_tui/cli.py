"""Command line: ``kopl-tui [--data DIR]`` starts the TUI; sub-commands for set-up and support."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

STANDARD_DATEN = Path("data/arbeitsbestand")


def _daten_pfad(wert: str | None) -> Path:
    return Path(wert or os.environ.get("KOPL_DATA") or STANDARD_DATEN)


def _parser() -> argparse.ArgumentParser:
    gemeinsam = argparse.ArgumentParser(add_help=False)
    gemeinsam.add_argument("--data", metavar="DIR", help="Datenordner (Standard: $KOPL_DATA oder ./data/arbeitsbestand)")
    gemeinsam.add_argument("--benutzer", metavar="NAME", help="Name für das Protokoll (per SSH-ForceCommand gesetzt)")
    parser = argparse.ArgumentParser(prog="kopl-tui", parents=[gemeinsam],
                                     description="Kooperationsplan, Aufforderung und Schlichtungsverfahren (§§ 15, 15a SGB II)")
    befehle = parser.add_subparsers(dest="befehl", metavar="BEFEHL")
    demo = befehle.add_parser("demo", parents=[gemeinsam], help="fiktives Demo-Jobcenter in den Datenordner schreiben")
    demo.add_argument("--reset", action="store_true", help="vorhandene Daten im Ordner vorher löschen")
    demo.add_argument("--wenn-leer", action="store_true", help="nur schreiben, wenn der Ordner noch keine Daten hat")
    imp = befehle.add_parser("import-kunden", parents=[gemeinsam], help="Kunden aus einer CSV-Datei importieren")
    imp.add_argument("datei", type=Path, help="CSV mit Kopfzeile kundennummer;anrede;nachname;vorname;geburtsdatum;bg_nummer;ifk")
    vp = befehle.add_parser("vorlagen-pruefen", parents=[gemeinsam],
                            help="alle Briefvorlagen gegen die Platzhalter der App prüfen")
    vp.add_argument("--vorlagen", metavar="DIR", help="Vorlagenordner (Standard: $KOPL_VORLAGEN oder ./vorlagen)")
    return parser


def main(argv: list[str] | None = None) -> int:
    os.umask(0o077)
    args = _parser().parse_args(argv)
    if args.befehl == "vorlagen-pruefen":
        return _vorlagen_pruefen(args.vorlagen)
    daten = _daten_pfad(args.data)
    from kopl_tui.benutzer import ermittle_benutzer
    from kopl_tui.store import Store, StoreFehler

    try:
        benutzer = ermittle_benutzer(args.benutzer)
    except ValueError as fehler:
        print(fehler, file=sys.stderr)
        return 2
    store = Store(daten)
    try:
        if args.befehl == "demo":
            return _demo(store, args.reset, args.wenn_leer)
        if args.befehl == "import-kunden":
            return _import(store, args.datei)
    except StoreFehler as fehler:
        print(fehler, file=sys.stderr)
        return 1
    from kopl_tui.app import KoplApp

    KoplApp(data_dir=daten, benutzer=benutzer).run()
    return 0


def _demo(store, reset: bool, wenn_leer: bool) -> int:  # noqa: ANN001 - Store, imported lazily
    from kopl_tui import demo

    if wenn_leer and not store.ist_leer():
        return 0
    if not store.ist_leer() and not reset:
        print(f"{store.data_dir} enthält schon Daten; --reset löscht sie vorher.", file=sys.stderr)
        return 1
    if reset:
        store.leeren()
    faelle = demo.demo_jobcenter()
    demo.schreiben(store, faelle)
    print(f"Demo-Jobcenter mit {len(faelle)} Kunden in {store.data_dir} angelegt.")
    return 0


def _import(store, datei: Path) -> int:  # noqa: ANN001
    from kopl_tui.kunden_import import importieren

    ergebnis = importieren(datei, store)
    if ergebnis.fehler:
        print("Nichts importiert. Fehlerhafte Zeilen:", file=sys.stderr)
        for zeile in ergebnis.fehler:
            print(f"  {zeile}", file=sys.stderr)
        return 1
    print(f"{len(ergebnis.kunden)} Kunden importiert.")
    return 0


def _vorlagen_pruefen(ordner: str | None) -> int:
    from kopl_tui.briefe import VORLAGEN, vorlagen_ordner, vorlagen_pruefen

    probleme = vorlagen_pruefen(vorlagen_ordner(ordner))
    for problem in probleme:
        print(problem, file=sys.stderr)
    if probleme:
        print(f"{len(probleme)} Problem(e) in den Vorlagen unter {vorlagen_ordner(ordner)}.", file=sys.stderr)
        return 1
    print(f"{len(VORLAGEN)} Vorlagen in {vorlagen_ordner(ordner)} geprüft: alle Platzhalter bekannt.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
