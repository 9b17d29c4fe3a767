"""Command line: ``kopl-tui [--data DIR]`` starts the TUI; sub-commands for set-up and support."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kopl_tui.dateien import DATEISYSTEM_FEHLER, StoreFehler, fehlertext
from kopl_tui.datenort import Datenort, datenort

if TYPE_CHECKING:  # pydantic stays off the TUI's start-up path
    from kopl_tui.speicher import Speicher


def _gemeinsam(standard: object) -> argparse.ArgumentParser:
    """The options every command takes, before or after the command's name. A command's copy has no
    default of its own (``argparse.SUPPRESS``): otherwise its None would overwrite ``--data`` given
    before the command, and ``kopl-tui --data X serve`` would silently serve ./data/arbeitsbestand."""
    gemeinsam = argparse.ArgumentParser(add_help=False, argument_default=standard)
    gemeinsam.add_argument("--data", metavar="DIR|ADRESSE",
                           help="Datenordner (Standard: $KOPL_DATA oder ./data/arbeitsbestand) oder eine PostgreSQL-"
                                "Datenbank postgresql://BENUTZER@RECHNER:PORT/DATENBANK, ohne Passwort (README, "
                                "„Mehrere Server“)")
    gemeinsam.add_argument("--dateien", metavar="DIR",
                           help="nur mit einer Datenbank: Ordner für abgelegte Briefe, Briefkopf und eigene Vorlagen "
                                "(Standard: $KOPL_DATEIEN oder ./data/dateien)")
    gemeinsam.add_argument("--benutzer", metavar="NAME", help="Name für das Protokoll (per SSH-ForceCommand gesetzt)")
    return gemeinsam


def _parser() -> argparse.ArgumentParser:
    gemeinsam = _gemeinsam(argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="kopl-tui", parents=[_gemeinsam(None)],
                                     description="Kooperationsplan, Aufforderung und Schlichtungsverfahren (§§ 15, 15a SGB II)")
    parser.add_argument("--blinken", action="store_true",
                        help="blinkender Cursor in Eingabefeldern (Standard aus: spart Bandbreite über SSH; "
                             "auch KOPL_BLINKEN=1)")
    befehle = parser.add_subparsers(dest="befehl", metavar="BEFEHL")
    demo = befehle.add_parser("demo", parents=[gemeinsam], help="fiktives Demo-Jobcenter in den Datenordner schreiben")
    demo.add_argument("--reset", action="store_true", help="vorhandene Daten im Ordner vorher löschen")
    demo.add_argument("--wenn-leer", action="store_true", help="nur schreiben, wenn der Ordner noch keine Daten hat")
    imp = befehle.add_parser("import-kunden", parents=[gemeinsam], help="Kunden aus einer CSV-Datei importieren")
    imp.add_argument("datei", type=Path, help="CSV mit Kopfzeile kundennummer;anrede;nachname;vorname;geburtsdatum;"
                                              "bg_nummer;ifk, wahlweise dahinter strasse;plz;ort")
    imp.add_argument("--aktualisieren", action="store_true",
                     help="vorhandene Kunden (gleiche Kundennummer) ändern statt die Zeile abzulehnen; leere Zellen "
                          "lassen den gespeicherten Wert stehen; jede Änderung steht in der Historie des Kunden")
    vp = befehle.add_parser("vorlagen-pruefen", parents=[gemeinsam],
                            help="die verwendeten Briefvorlagen (mitgeliefert oder eigene) prüfen")
    vp.add_argument("--vorlagen", metavar="DIR",
                    help="Ordner mit eigenen Vorlagen, die die mitgelieferten ersetzen (Standard: <Datenordner>/vorlagen)")
    _support_befehle(befehle, gemeinsam)
    beiseite = befehle.add_parser("akte-beiseite", parents=[gemeinsam],
                                  help="eine defekte (unlesbare) Akte-Datei als <name>.defekt-<zeit> beiseitelegen")
    beiseite.add_argument("kundennummer", metavar="KUNDENNR")
    aufheben = befehle.add_parser("sperre-aufheben", parents=[gemeinsam],
                                  help="Bearbeitungssperre einer Akte von Hand aufheben (wird protokolliert)")
    aufheben.add_argument("kundennummer", metavar="KUNDENNR")
    aufheben.add_argument("--erzwingen", action="store_true",
                          help="auch die Sperre einer Sitzung aufheben, die auf diesem Rechner noch läuft")
    _serve_befehl(befehle, gemeinsam)
    befehle.add_parser(
        "datenbank-anlegen", parents=[gemeinsam],
        help="PostgreSQL-Datenbank einrichten oder auf den aktuellen Stand bringen (--data postgresql://…)",
        description="Legt in der mit --data postgresql://BENUTZER@RECHNER:PORT/DATENBANK angegebenen Datenbank die "
                    "Tabellen von kopl-tui an oder bringt sie auf den Stand dieser Programmversion; ein zweiter Aufruf "
                    "ändert nichts. Das Passwort steht nie in der Adresse, sondern in ~/.pgpass (README, „Mehrere "
                    "Server“). Exit-Code 0: eingerichtet, 2: Datenbank nicht erreichbar oder nicht nutzbar.")
    umziehen = befehle.add_parser(
        "umziehen", parents=[gemeinsam], help="alle Daten von einem Datenort an einen anderen kopieren und prüfen "
                                              "(Ordner ↔ PostgreSQL)",
        description="Kopiert Kunden, Akten mit Plänen und vollständiger Historie, den Index der abgelegten Briefe "
                    "und (wenn die Dateiordner verschieden sind) deren Dateien, Briefkopf und eigene Vorlagen von "
                    "QUELLE nach ZIEL; jedes ist ein Datenordner oder eine Adresse postgresql://… (README, „Mehrere "
                    "Server“). Danach werden beide Seiten gezählt und geprüft: der Umzug gilt nur, wenn die Zahlen "
                    "gleich sind und „pruefen“ dieselben Befunde findet. Nur, während niemand arbeitet. Die Quelle "
                    "bleibt unverändert. Exit-Code 0: umgezogen und geprüft, 1: abgelehnt oder Prüfung "
                    "fehlgeschlagen, 2: Datenort nicht nutzbar.")
    umziehen.add_argument("--von", metavar="QUELLE", required=True, help="Datenordner oder postgresql://…")
    umziehen.add_argument("--nach", metavar="ZIEL", required=True, help="Datenordner oder postgresql://…")
    umziehen.add_argument("--dateien-von", metavar="DIR", help="Dateiordner der Quelle, wenn sie eine Datenbank ist "
                                                              "(Standard: $KOPL_DATEIEN oder ./data/dateien)")
    umziehen.add_argument("--dateien-nach", metavar="DIR", help="Dateiordner des Ziels, wenn es eine Datenbank ist "
                                                               "(Standard: $KOPL_DATEIEN oder ./data/dateien)")
    umziehen.add_argument("--ueberschreiben", action="store_true",
                          help="Daten, die im Ziel schon stehen, vorher löschen (sonst wird ein nicht leeres Ziel "
                               "abgelehnt)")
    from kopl_tui.brief_befehl import parser_anlegen

    parser_anlegen(befehle, gemeinsam)
    vorstart = befehle.add_parser(
        "vorstart", help="Server, von dem die SSH-Sitzungen starten: Programm einmal im Speicher statt je Sitzung",
        description="Lädt das Programm einmal und startet jede Oberfläche, die ein kopl-tui mit KOPL_VORSTART=PFAD "
                    "hier anfragt, als Abzweig dieses Prozesses auf dem Terminal des Anfragenden (README, "
                    "„Vorstart“). Läuft bis SIGTERM; laufende Sitzungen laufen danach weiter.")
    vorstart.add_argument("--socket", metavar="PFAD", type=Path, required=True,
                          help="Unix-Socket, in einem Ordner nur dieses Kontos (0700), z. B. /run/kopl/vorstart.sock")
    vorstart.add_argument("--data", metavar="DIR",
                          help="Datenordner, dessen Kundenliste gleich mitgeladen wird (Standard: $KOPL_DATA; "
                               "Sitzungen mit einem anderen Ordner laden ihre Liste selbst)")
    return parser


def nur_oberflaeche(argv: list[str]) -> bool:
    """Whether ``argv`` starts the TUI (no command, no --help, no error): what a Vorstart server
    (kopl_tui/vorstart.py) serves; anything else runs as it always did."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            args = _parser().parse_args(argv)
    except SystemExit:
        return False
    return args.befehl is None


def main(argv: list[str] | None = None) -> int:
    """Every command; the data folder unusable as it is (disk full, read-only, another account's,
    a link or folder where a file belongs …) ends with a German message and exit code 2, never a
    traceback."""
    os.umask(0o077)
    args = _parser().parse_args(argv)
    try:
        return _befehl(args)
    except DATEISYSTEM_FEHLER as fehler:
        print(f"kopl-tui: {fehlertext(fehler)}", file=sys.stderr)
        return 2


def _befehl(args: argparse.Namespace) -> int:
    if args.befehl == "vorstart":
        from kopl_tui.vorstart import dienen

        return dienen(args.socket, args.data or os.environ.get("KOPL_DATA"))
    from kopl_tui.pg_verbindung import DatenbankFehler, ist_postgresql

    if args.befehl == "datenbank-anlegen":
        return _datenbank_anlegen(args.data or os.environ.get("KOPL_DATA"))
    if args.befehl == "umziehen":
        return _umziehen(args)
    if args.befehl == "schulung" and ist_postgresql(args.data):
        print("kopl-tui schulung: Schulungsdaten liegen immer in einem Ordner (je Teilnehmer eine Kopie); bitte mit "
              "--data DIR einen Ordner angeben, keine Datenbank.", file=sys.stderr)
        return 2
    try:
        ort = datenort(args.data, args.dateien)
    except StoreFehler as fehler:  # an address that cannot be read or carries a password
        print(f"kopl-tui: {fehler}", file=sys.stderr)
        return 2
    daten = ort.ordner
    if args.befehl == "vorlagen-pruefen":
        if args.vorlagen and not Path(args.vorlagen).is_dir():
            print(f"kopl-tui vorlagen-pruefen: der Ordner {args.vorlagen} existiert nicht.", file=sys.stderr)
            return 2
        from kopl_tui.datenordner import vorlagen_ordner

        return _vorlagen_pruefen(Path(args.vorlagen).resolve() if args.vorlagen else vorlagen_ordner(daten))
    from kopl_tui.benutzer import ermittle_benutzer

    try:
        benutzer = ermittle_benutzer(args.benutzer)
    except ValueError as fehler:
        print(fehler, file=sys.stderr)
        return 2
    if args.befehl in ("pruefen", "statistik", "schulung"):
        return _support(args, ort)
    if args.befehl == "serve":
        return _serve(args, ort, benutzer)
    if args.befehl == "brief":
        from kopl_tui.brief_befehl import ausfuehren

        return ausfuehren(args, ort, benutzer)
    if args.befehl in ("demo", "import-kunden", "akte-beiseite", "sperre-aufheben"):
        store = ort.store()  # imported here: pydantic and TinyDB stay off the TUI's start-up path
        try:
            if args.befehl == "demo":
                return _demo(store, ort, args.reset, args.wenn_leer)
            if args.befehl == "import-kunden":
                return _import(store, args.datei, args.aktualisieren, benutzer)
            return _reparatur(store, args.befehl, args.kundennummer.strip().upper(), benutzer,
                              getattr(args, "erzwingen", False))
        except DATEISYSTEM_FEHLER:
            raise
        except DatenbankFehler as fehler:  # unreachable, password, schema missing …: nothing written
            print(f"kopl-tui {args.befehl}: {fehler}", file=sys.stderr)
            return 2
        except StoreFehler as fehler:  # a refusal (e.g. a readable Akte is not moved aside)
            print(fehler, file=sys.stderr)
            return 1
    return _oberflaeche(ort, benutzer, args.blinken or os.environ.get("KOPL_BLINKEN") == "1")


def _oberflaeche(ort: Datenort, benutzer: str, blinken: bool = False) -> int:
    """The TUI: only in a terminal, and it ends with its terminal (kopl_tui/terminal.py)."""
    from kopl_tui.terminal import Terminalwache, startverbot

    verbot = startverbot()
    if verbot:
        with contextlib.suppress(OSError):  # the client may be gone already
            print(verbot, file=sys.stderr)
        return 1
    from kopl_tui.app import KoplApp
    from kopl_tui.sitzung import Sitzung

    app = KoplApp(sitzung=Sitzung(ort, benutzer), blinken=blinken)
    Terminalwache(app.von_aussen_beenden).starten()
    app.run()
    return app.return_code or 0


def _demo(store: Speicher, ort: Datenort, reset: bool, wenn_leer: bool) -> int:
    from kopl_tui import demo

    if wenn_leer and not store.ist_leer():
        return 0
    if not store.ist_leer() and not reset:
        print(f"{ort} enthält schon Daten; --reset löscht sie vorher.", file=sys.stderr)
        return 1
    if reset:
        store.leeren()
    faelle = demo.demo_jobcenter()
    demo.schreiben(store, faelle)
    print(f"Demo-Jobcenter mit {len(faelle)} Kunden in {ort} angelegt.")
    return 0


def _import(store: Speicher, datei: Path, aktualisieren: bool, benutzer: str) -> int:
    from kopl_tui.kunden_import import importieren

    ergebnis = importieren(datei, store, aktualisieren, benutzer)
    if ergebnis.fehler:
        print("Nichts importiert. Fehlerhafte Zeilen:", file=sys.stderr)
        for zeile in ergebnis.fehler:
            print(f"  {zeile}", file=sys.stderr)
        return 1
    for aktualisierung in ergebnis.aktualisiert:
        print(aktualisierung.text())
    anzahl = len(ergebnis.kunden) + len(ergebnis.aktualisiert)
    teile = [f"{len(ergebnis.kunden)} neu", f"{len(ergebnis.aktualisiert)} aktualisiert"] if aktualisieren else []
    if ergebnis.unveraendert:
        teile.append(f"{ergebnis.unveraendert} unverändert")
    print(f"{anzahl} Kunden importiert" + (f" ({', '.join(teile)})." if teile else "."))
    if ergebnis.historie_offen:
        print(f"Hinweis: der Historieneintrag von {', '.join(ergebnis.historie_offen)} wird beim nächsten Öffnen "
              "der Akte nachgetragen (die Akte-Datei ließ sich gerade nicht schreiben).", file=sys.stderr)
    return 0


def _vorlagen_pruefen(eigene: Path) -> int:
    from kopl_tui.vorlagenpruefung import fremde_dateien, vorlagen_pruefen

    print(f"Eigene Vorlagen: {eigene}" + ("" if eigene.is_dir() else " (nicht vorhanden)"))
    befunde = vorlagen_pruefen(eigene)
    for befund in befunde:
        print(f"  {befund.vorlage.datei}: {befund.datei.herkunft} ({befund.datei.pfad})"
              + (" – FEHLER" if befund.probleme else ""))
    for name in fremde_dateien(eigene):
        print(f"Hinweis: {name} in {eigene} ersetzt keine Vorlage des Katalogs und wird nicht verwendet.")
    probleme = [problem for befund in befunde for problem in befund.probleme]
    for problem in probleme:
        print(problem, file=sys.stderr)
    if probleme:
        print(f"{len(probleme)} Problem(e) in den Vorlagen.", file=sys.stderr)
        return 1
    eigene_anzahl = sum(befund.datei.eigene for befund in befunde)
    print(f"{len(befunde)} Vorlagen geprüft ({eigene_anzahl} eigene, {len(befunde) - eigene_anzahl} mitgelieferte): "
          "alle in Ordnung.")
    return 0


# ---- support and training (README, "Support", "Schulung"): read-only checks, statistics export, training copies ----------

def _datum_argument(text: str):  # noqa: ANN202 - date, imported lazily
    from kopl_tui.datum import DatumFehler, parse_datum

    try:
        tag = parse_datum(text)
    except DatumFehler as fehler:
        raise argparse.ArgumentTypeError(str(fehler)) from None
    if tag is None:
        raise argparse.ArgumentTypeError("Bitte ein Datum im Format TT.MM.JJJJ angeben.")
    return tag


def _teilnehmer_argument(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 99:
        raise argparse.ArgumentTypeError(f"„{text}“: bitte eine Zahl von 1 bis 99 angeben.")
    return int(text)


def _support_befehle(befehle, gemeinsam: argparse.ArgumentParser) -> None:  # noqa: ANN001 - argparse's private type
    pruefen = befehle.add_parser(
        "pruefen", parents=[gemeinsam], help="alle Akten prüfen: BA-Statistik-Regel und Plausibilität (nur lesend)",
        description="Listet je Kunde und Plan jeden Verstoß gegen die BA-Statistik-Regel (mehr als ein unbegrenzter "
                    "Kooperationsplan) und jedes Plausibilitätsproblem: „gültig bis“ vor „gültig ab“, Frist vor dem "
                    "Tag der Aufforderung, Schlichtung nach vier Wochen ohne Ergebnis, Überprüfung überfällig, "
                    "„nur Aufforderung“ mit Gültigkeitsdaten; dazu unlesbare Dateien und Akten ohne Kunde. "
                    "Ändert nichts. Exit-Code 0: keine Befunde, 1: Befunde, 2: Aufruffehler.")
    pruefen.add_argument("--format", choices=("text", "csv", "json"), default="text",
                         help="Ausgabe: text (Standard), csv (Semikolon, Datum TT.MM.JJJJ) oder json (ISO-Datum)")
    pruefen.add_argument("--stichtag", type=_datum_argument, metavar="TT.MM.JJJJ",
                         help="Tag, an dem Überprüfung und Schlichtung gemessen werden (Standard: heute)")
    statistik = befehle.add_parser(
        "statistik", parents=[gemeinsam], help="Statistikfelder des aktuellen Plans je Kunde als CSV (nur lesend)",
        description="Schreibt als CSV (Semikolon, UTF-8, Kopfzeile) je Kunde die Statistikfelder des am Stichtag "
                    "aktuellen Kooperationsplans (wie die Fallübersicht): Kundennummer; gültig ab (17.6); "
                    "gültig bis (17.7, „unbegrenzt“ ausgeschrieben); Status. Kunden ohne aktuellen Plan erscheinen "
                    "mit leeren Feldern. Unlesbare Akten werden auf stderr gemeldet und ausgelassen (Exit-Code 1), "
                    "alle anderen trotzdem ausgegeben. Ändert nichts.")
    statistik.add_argument("--stichtag", type=_datum_argument, metavar="TT.MM.JJJJ", required=True,
                           help="Tag, für den der aktuelle Plan bestimmt wird")
    schulung = befehle.add_parser(
        "schulung", parents=[gemeinsam], help="Schulungsraum: je Teilnehmer eine Kopie des Demo-Jobcenters",
        description="Legt unter --data die Ordner tn01 … tnNN an, jeder eine gleiche, unabhängige Kopie des "
                    "Demo-Jobcenters mit der Markierung SCHULUNG. --reset setzt vorhandene Schulungsordner auf "
                    "den Anfangsstand zurück (mit heutigem Datum neu erzeugt), aber nicht, solange in einem "
                    "Ordner noch gearbeitet wird (--erzwingen). Ordner ohne die Markierung werden nie gelöscht.")
    schulung.add_argument("--teilnehmer", type=_teilnehmer_argument, metavar="N", required=True,
                          help="Anzahl der Teilnehmer (1–99)")
    schulung.add_argument("--reset", action="store_true", help="vorhandene Schulungsordner zurücksetzen")
    schulung.add_argument("--erzwingen", action="store_true",
                          help="mit --reset: auch Ordner zurücksetzen, in denen noch eine Sitzung läuft")


def _support(args: argparse.Namespace, ort: Datenort) -> int:
    if args.befehl == "schulung":
        if not args.data:
            print("kopl-tui schulung: bitte mit --data DIR den Ordner für die Schulungsdaten angeben.", file=sys.stderr)
            return 2
        from kopl_tui.schulung import SchulungFehler, schulung_anlegen

        try:
            ordner = schulung_anlegen(Path(args.data).resolve(), args.teilnehmer, reset=args.reset,
                                      erzwingen=args.erzwingen)
        except SchulungFehler as fehler:
            print(fehler, file=sys.stderr)
            return 1
        print(f"{len(ordner)} Schulungsordner bereit: {ordner[0]} … {ordner[-1]}")
        return 0
    daten = ort.ordner
    from kopl_tui.datenordner import AKTEN, KUNDEN_DATEI, ist_datenordner

    if not ort.ist_datenbank and not ist_datenordner(daten):
        print(f"{daten} ist kein Datenordner von kopl-tui (weder {KUNDEN_DATEI} noch {AKTEN}/ gefunden).",
              file=sys.stderr)
        return 2
    try:
        return _lesend(args, ort.store())
    except StoreFehler as fehler:  # a database unreachable, its schema missing …: nothing read, nothing written
        print(f"kopl-tui {args.befehl}: {fehler}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `| head`: the reader has had enough; no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _lesend(args: argparse.Namespace, daten: Speicher) -> int:
    """pruefen and statistik: read-only, output to stdout, exit 1 for findings or unreadable files."""
    from datetime import date

    if args.befehl == "statistik":
        from kopl_tui.statistik import csv_schreiben

        return 1 if csv_schreiben(daten, args.stichtag, sys.stdout, sys.stderr) else 0
    from kopl_tui import pruefung

    stichtag = args.stichtag or date.today()
    befunde = pruefung.pruefliste(daten, stichtag)
    if args.format == "json":
        sys.stdout.write(pruefung.als_json(befunde, stichtag))
    elif args.format == "csv":
        pruefung.als_csv(befunde, sys.stdout)
    else:
        sys.stdout.write(pruefung.als_text(befunde, stichtag))
    sys.stdout.flush()
    return 1 if befunde else 0


# ---- browser access (README, "Im Browser (Schulungsraum)") ------------------------------------------------------------------------

def _port_argument(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"„{text}“: bitte eine Portnummer von 1 bis 65535 angeben.")
    return int(text)


def _serve_befehl(befehle, gemeinsam: argparse.ArgumentParser) -> None:  # noqa: ANN001 - argparse's private type
    from kopl_tui.serve import STANDARD_HOST, STANDARD_PORT

    serve = befehle.add_parser(
        "serve", parents=[gemeinsam], help="die App im Browser anbieten (textual-serve, Standard nur 127.0.0.1)",
        description="Bietet dieselbe App im Browser an: jeder Browser-Tab startet eine eigene App mit demselben "
                    "--data und --benutzer. Ohne eigene Anmeldung – daher standardmäßig nur auf 127.0.0.1; für "
                    "andere Rechner einen Reverse-Proxy mit Anmeldung davorsetzen. Beenden mit Strg+C.")
    serve.add_argument("--host", default=STANDARD_HOST, help=f"Adresse, auf der gelauscht wird (Standard: {STANDARD_HOST})")
    serve.add_argument("--port", type=_port_argument, default=STANDARD_PORT, help=f"Port (Standard: {STANDARD_PORT})")
    serve.add_argument("--public-url", metavar="URL",
                       help="Adresse, unter der die Browser den Server erreichen (hinter einem Reverse-Proxy), "
                            "z. B. https://kopl.example.org")


def _serve(args: argparse.Namespace, daten: Datenort, benutzer: str) -> int:
    from kopl_tui.serve import serve, warnung

    hinweis = warnung(args.host, args.port)
    if hinweis:
        print(hinweis, file=sys.stderr, flush=True)
    try:
        serve(daten, args.host, args.port, benutzer=benutzer, public_url=args.public_url)
    except OSError as fehler:
        print(f"kopl-tui serve: {args.host}:{args.port} kann nicht verwendet werden: {fehler.strerror or fehler}",
              file=sys.stderr)
        return 1
    return 0


def _datenbank_anlegen(ort: str | None) -> int:
    """Create or migrate the schema (kopl_tui/pg_schema.py); idempotent, says which step it is at."""
    from kopl_tui.pg_verbindung import ist_postgresql

    if not ist_postgresql(ort):
        print("kopl-tui datenbank-anlegen: bitte die Datenbank mit --data postgresql://BENUTZER@RECHNER:PORT/DATENBANK "
              "angeben (README, „Mehrere Server“).", file=sys.stderr)
        return 2
    from kopl_tui import pg_schema
    from kopl_tui.pg_verbindung import DatenbankFehler, beschreibung, deutsch, verbinden

    try:
        with verbinden(ort, "kopl-tui datenbank-anlegen") as verbindung, deutsch("Einrichten", ort):
            vorher, nachher = pg_schema.migrieren(verbindung)
        wo = beschreibung(ort)
    except (DatenbankFehler, pg_schema.SchemaZuNeu) as fehler:
        print(f"kopl-tui datenbank-anlegen: {fehler}", file=sys.stderr)
        return 2
    if vorher == nachher:
        print(f"{wo}: Schema ist bereits auf dem aktuellen Stand {nachher}; nichts geändert.")
    else:
        print(f"{wo}: Schema angelegt, Stand {nachher}." if vorher == 0 else
              f"{wo}: Schema von Stand {vorher} auf Stand {nachher} gebracht.")
    return 0


def _umziehen(args: argparse.Namespace) -> int:
    from kopl_tui.benutzer import ermittle_benutzer
    from kopl_tui.pg_verbindung import DatenbankFehler
    from kopl_tui.umzug import ZAEHLUNG, umziehen

    try:
        benutzer = ermittle_benutzer(args.benutzer)
        von, nach = datenort(args.von, args.dateien_von), datenort(args.nach, args.dateien_nach)
    except (ValueError, StoreFehler) as fehler:
        print(f"kopl-tui umziehen: {fehler}", file=sys.stderr)
        return 2
    try:
        bericht = umziehen(von, nach, benutzer, args.ueberschreiben,
                           fortschritt=lambda text: print(text, file=sys.stderr, flush=True))
    except DatenbankFehler as fehler:
        print(f"kopl-tui umziehen: {fehler}", file=sys.stderr)
        return 2
    except StoreFehler as fehler:
        print(f"kopl-tui umziehen: {fehler}", file=sys.stderr)
        return 1
    print(f"Umgezogen von {von} nach {nach}: " + ", ".join(f"{bericht.ziel[name]} {name}" for name in ZAEHLUNG)
          + (f", {bericht.dateien} Dateien" if bericht.dateien else "") + ".")
    print(f"Geprüft: gleiche Zahlen, „pruefen“ findet auf beiden Seiten dieselben {bericht.befunde} Befunde.")
    return 0


def _reparatur(store: Speicher, befehl: str, kundennummer: str, benutzer: str, erzwingen: bool) -> int:
    """Support repairs: each is explicit, never automatic, and noted in the Akte's history."""
    if befehl == "akte-beiseite":
        ziel = store.akte_beiseite(kundennummer, benutzer)
        from kopl_tui.datenordner import Datenordner

        folge = "die Pläne bleiben, die Historie beginnt neu" if Datenordner.ist_historie(ziel) else "die Akte beginnt leer"
        print(f"Akte {kundennummer}: defekte Datei nach {ziel} verschoben; {folge}.")
        return 0
    alt = store.sperre_aufheben(kundennummer, benutzer, erzwingen=erzwingen)
    print(f"Akte {kundennummer}: " + (f"Sperre von {alt.beschreibung()} aufgehoben." if alt else "nicht gesperrt."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
