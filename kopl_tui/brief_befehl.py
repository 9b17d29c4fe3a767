"""``kopl-tui brief``: one letter from the command line, for support and scripts.

The same context, Ergänzungen, checks and refusals as the document assistant (``briefe.pruefen``,
``briefe.entwerfen``), and with ``--ablegen`` the same archive entry and history line
(``Ablage.ablegen``). Exit codes: 0 done, 1 refused or failed (every reason printed), 2 usage error
(unknown customer, plan, template or Ergänzung, a value of the wrong type). Without an output option
the letter's text is printed: a dry run that shows what would be sent.

Only argparse is imported at module level: the TUI builds this parser on every start.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kopl_tui.ablage import AblageErgebnis
    from kopl_tui.briefe import Vorlage
    from kopl_tui.ergaenzungen import Ergaenzung, ErgaenzungsWert
    from kopl_tui.model import Kooperationsplan
    from kopl_tui.datenort import Datenort
    from kopl_tui.store import Store

OK, VERWEIGERT, AUFRUFFEHLER = 0, 1, 2


class Aufruffehler(Exception):
    """A usage error (exit 2); the German message says what to give instead."""


def parser_anlegen(befehle, gemeinsam: argparse.ArgumentParser) -> None:  # noqa: ANN001 - argparse's private type
    brief = befehle.add_parser(
        "brief", parents=[gemeinsam], help="einen Brief prüfen und erzeugen, ablegen oder drucken (wie der Assistent)",
        description="Erzeugt einen Brief wie der Assistent zur Dokumenterzeugung: dieselben Werte, Ergänzungen, "
                    "Prüfungen und Ablehnungen. Ohne --ausgabe, --ablegen oder --drucken wird der Brieftext "
                    "ausgegeben (Vorschau). Eine unbekannte Vorlage oder Ergänzung listet, was es gibt. "
                    "Exit-Code 0: erledigt, 1: abgelehnt oder fehlgeschlagen (alle Gründe auf stderr), "
                    "2: Aufruffehler.")
    brief.add_argument("kundennummer", metavar="KUNDENNR")
    brief.add_argument("vorlage", metavar="VORLAGE", help="Vorlage: Dateiname ohne .docx (z. B. aufforderung-bewerbung) "
                                                          "oder Titel aus der Druckauswahl")
    brief.add_argument("--plan", metavar="ID", help="Kennung des Plans (oder ihr eindeutiger Anfang); Standard: für "
                                                    "Kooperationsplan-Briefe der aktuelle Plan, sonst der neueste")
    brief.add_argument("--ergaenzung", metavar="NAME=WERT", action="append", default=[],
                       help="eine Ergänzung der Vorlage (Zahl, Datum TT.MM.JJJJ, Text oder Auswahl); mehrfach")
    brief.add_argument("--ablegen", action="store_true",
                       help="in der Ablage des Kunden ablegen (mit PDF, wo LibreOffice installiert ist) und in der "
                            "Historie vermerken")
    brief.add_argument("--drucken", nargs="?", const="", metavar="DRUCKER",
                       help="als PDF an CUPS (lp) geben: an DRUCKER, sonst an den Drucker aus <data>/briefkopf.toml "
                            "(der Integrationsfachkraft, sonst des Datenordners); in der Historie vermerkt")
    brief.add_argument("--ausgabe", metavar="DATEI", type=Path, help="das Word-Dokument (.docx) in DATEI schreiben")


def ausfuehren(args: argparse.Namespace, ort: Datenort, benutzer: str) -> int:
    try:
        return _brief(args, ort, benutzer)
    except Aufruffehler as fehler:
        print(f"kopl-tui brief: {fehler}", file=sys.stderr)
        return AUFRUFFEHLER
    except BrokenPipeError:  # e.g. `| head`: the reader has had enough
        return VERWEIGERT


def _brief(args: argparse.Namespace, ort: Datenort, benutzer: str) -> int:
    from kopl_tui import briefe
    from kopl_tui.ablage import Ablage
    from kopl_tui.briefkopf import BriefkopfFehler, briefkopf_laden
    from kopl_tui.store import StoreFehler

    from kopl_tui.datenordner import KUNDEN_DATEI, Datenordner

    daten = ort.ordner  # letterhead, own templates, filed letters: also for a database (kopl_tui/datenort.py)
    if not ort.ist_datenbank and not Datenordner(daten).kunden_datei.exists():
        raise Aufruffehler(f"{daten} ist kein Datenordner von kopl-tui ({KUNDEN_DATEI} fehlt).")
    vorlage = _vorlage(args.vorlage)
    store = ort.store()
    kundennummer = args.kundennummer.strip().upper()
    heute = date.today()
    try:
        kunde = store.kunde(kundennummer) if len(kundennummer) == 10 else None
        if kunde is None:
            raise Aufruffehler(f"Einen Kunden mit der Kundennummer „{args.kundennummer}“ gibt es in {ort} nicht.")
        plan = _plan(store.akte_laden(kundennummer).plaene, vorlage, heute, args.plan, kundennummer)
        briefkopf = briefkopf_laden(daten)
    except (StoreFehler, BriefkopfFehler) as fehler:
        print(fehler, file=sys.stderr)
        return VERWEIGERT
    werte = _ergaenzungen(vorlage, plan, args.ergaenzung)

    pruefung = briefe.pruefen(vorlage, kunde, plan, briefkopf=briefkopf, datum=heute, ergaenzungen=werte)
    print(f"Plan {plan.id}: {_plan_text(plan)}", file=sys.stderr)
    for warnung in pruefung.warnungen:
        print(warnung, file=sys.stderr)
    try:
        brief = briefe.entwerfen(pruefung, daten)  # also when refused: every reason, gaps included, is listed
    except briefe.VorlagenFehler as fehler:
        print(fehler, file=sys.stderr)
        return VERWEIGERT
    if brief.gruende:
        print(f"Brief „{vorlage.titel}“ nicht erzeugt:", file=sys.stderr)
        for grund in brief.gruende:
            print(f"  ✗ {grund}", file=sys.stderr)
        fehlend = [e for e in pruefung.ergaenzungen if e.name not in pruefung.eingetragen]
        if fehlend:
            print("Fehlende Ergänzungen: " + " ".join(f"--ergaenzung {e.name}=…" for e in fehlend), file=sys.stderr)
        return VERWEIGERT

    if not (args.ausgabe or args.ablegen or args.drucken is not None):
        sys.stdout.write(brief.text)
        return OK
    drucker = None
    if args.drucken is not None:  # before anything is written: nothing half-done
        from kopl_tui.ablage import soffice_pfad
        from kopl_tui.drucken import DruckFehler, drucker_bestimmen, lp_fehlt

        try:
            drucker = drucker_bestimmen(daten, kunde.ifk, args.drucken or None)
        except DruckFehler as fehler:
            print(f"Nicht gedruckt: {fehler}", file=sys.stderr)
            return VERWEIGERT
        fehlt = lp_fehlt()
        if fehlt is None and soffice_pfad() is None:
            fehlt = ("LibreOffice (soffice) ist nicht installiert, und lp druckt nur das PDF (Debian: apt-get install "
                     "libreoffice-writer-nogui).")
        if fehlt:
            print(f"Nicht gedruckt: {fehlt}", file=sys.stderr)
            return VERWEIGERT
    inhalt = brief.fertig()
    if args.ausgabe:
        code = _ausgabe(args.ausgabe, inhalt)
        if code != OK:
            return code
    ergebnis = None
    if args.ablegen:
        ablage = Ablage(store)
        try:
            entwurf = ablage.entwurf_schreiben(kundennummer, vorlage, plan.id, inhalt, heute,
                                               ergaenzungen=pruefung.ergaenzungs_texte())
            try:
                ergebnis = ablage.ablegen(entwurf, benutzer, pdf=True)
            except BaseException:
                ablage.verwerfen(entwurf)  # never a file without its index entry
                raise
        except (briefe.VorlagenFehler, StoreFehler, OSError) as fehler:
            print(f"Nicht abgelegt: {fehler}", file=sys.stderr)
            return VERWEIGERT
        print(f"Abgelegt: {ergebnis.docx}")
        if ergebnis.pdf:
            print(f"PDF:      {ergebnis.pdf}")
        if ergebnis.pdf_hinweis:
            print(ergebnis.pdf_hinweis, file=sys.stderr)
    if drucker is not None:
        return _drucken(store, kundennummer, benutzer, inhalt, ergebnis, drucker, kunde.ifk, vorlage, plan.id)
    return OK


# ---- arguments -----------------------------------------------------------------------------

def _vorlage(angabe: str) -> Vorlage:
    from kopl_tui import briefe

    try:
        return briefe.vorlage(angabe.strip())
    except KeyError:
        raise Aufruffehler(f"Eine Vorlage „{angabe}“ gibt es nicht. Vorlagen (Name, Titel) und ihre "
                           f"Ergänzungen:\n{_vorlagen_liste(briefe.VORLAGEN)}") from None


def _vorlagen_liste(vorlagen: Iterable[Vorlage]) -> str:
    zeilen = []
    for vorlage in vorlagen:
        zeilen.append(f"  {vorlage.name}  „{vorlage.titel}“")
        zeilen += [f"      {_ergaenzung_text(e)}" for e in vorlage.ergaenzungen]
    return "\n".join(zeilen)


def _ergaenzung_text(ergaenzung: Ergaenzung) -> str:
    from kopl_tui.ergaenzungen import Art

    art = {Art.ZAHL: f"Zahl {ergaenzung.minimum}–{ergaenzung.maximum}", Art.DATUM: "Datum TT.MM.JJJJ",
           Art.TEXT: f"Text bis {ergaenzung.max_laenge} Zeichen",
           Art.AUSWAHL: "eine von: " + " | ".join(ergaenzung.auswahl)}[ergaenzung.art]
    bedingung = ", nur solange der Plantext „XXXX“ enthält" if ergaenzung.ersetzt else ""
    return f"{ergaenzung.name}=…  {ergaenzung.titel} ({art}{bedingung})"


def _plan(plaene: list[Kooperationsplan], vorlage: Vorlage, heute: date, kennung: str | None,
          kundennummer: str) -> Kooperationsplan:
    """``--plan`` (an id or its unique beginning); else the current Kooperationsplan for a plan letter
    (the Fallübersicht's), the newest row of the overview for the others."""
    from kopl_tui.regeln import aktueller_plan, sortiert_neueste_zuerst

    if not plaene:
        raise Aufruffehler(f"Kunde {kundennummer} hat noch keinen Plan: bitte zuerst in der Maske anlegen.")
    neueste = sortiert_neueste_zuerst(plaene)
    if kennung:
        treffer = [p for p in neueste if p.id == kennung.strip()] or [
            p for p in neueste if p.id.startswith(kennung.strip())]
        if len(treffer) != 1:
            liste = "\n".join(f"  {p.id}  {_plan_text(p)}" for p in neueste)
            grund = "passt auf mehrere Pläne" if treffer else "passt auf keinen Plan"
            raise Aufruffehler(f"--plan „{kennung}“ {grund} von Kunde {kundennummer}. Pläne:\n{liste}")
        return treffer[0]
    return (aktueller_plan(plaene, heute) if vorlage.plan_noetig else None) or neueste[0]


def _plan_text(plan: Kooperationsplan) -> str:
    from kopl_tui.datum import format_datum

    teile = [f"Status „{plan.status.value}“" if plan.status else "ohne Status"]
    if plan.gueltig_ab:
        teile.append(f"gültig ab {format_datum(plan.gueltig_ab)}")
    if plan.tag_der_aufforderung:
        teile.append(f"Aufforderung vom {format_datum(plan.tag_der_aufforderung)}")
    return ", ".join(teile)


def _ergaenzungen(vorlage: Vorlage, plan: Kooperationsplan, angaben: list[str]) -> dict[str, ErgaenzungsWert]:
    """``NAME=WERT`` → checked values, read exactly as the assistant reads its inputs."""
    from kopl_tui.ergaenzungen import ErgaenzungFehler

    bekannt = {e.name: e for e in vorlage.ergaenzungen}
    gebraucht = {e.name for e in vorlage.ergaenzungen_fuer(plan)}
    werte: dict[str, ErgaenzungsWert] = {}
    for angabe in angaben:
        name, gleich, text = angabe.partition("=")
        name = name.strip()
        if not gleich or not name:
            raise Aufruffehler(f"--ergaenzung „{angabe}“: bitte als NAME=WERT angeben.")
        if name not in bekannt:
            moeglich = "\n".join(f"  {_ergaenzung_text(e)}" for e in vorlage.ergaenzungen) or "  (keine)"
            raise Aufruffehler(f"Die Vorlage „{vorlage.titel}“ kennt keine Ergänzung „{name}“. Ihre Ergänzungen:\n"
                               f"{moeglich}")
        if name not in gebraucht:
            raise Aufruffehler(f"Die Ergänzung „{name}“ wird für diesen Plan nicht gebraucht: sein Text enthält kein "
                               "„XXXX“ mehr.")
        if name in werte:
            raise Aufruffehler(f"Die Ergänzung „{name}“ ist mehrfach angegeben.")
        try:
            wert = bekannt[name].lesen(text)
        except ErgaenzungFehler as fehler:
            raise Aufruffehler(str(fehler)) from None
        if wert is not None:
            werte[name] = wert
    return werte


# ---- output --------------------------------------------------------------------------------

def _ausgabe(ziel: Path, inhalt: bytes) -> int:
    from kopl_tui.dateien import atomar_schreiben

    if ziel.is_dir():
        print(f"--ausgabe {ziel} ist ein Ordner: bitte einen Dateinamen angeben (z. B. brief.docx).", file=sys.stderr)
        return AUFRUFFEHLER
    try:
        atomar_schreiben(ziel, inhalt)
    except OSError as fehler:
        print(f"Die Datei {ziel} kann nicht geschrieben werden: {fehler.strerror or fehler}", file=sys.stderr)
        return VERWEIGERT
    print(f"Word-Dokument geschrieben: {ziel}")
    return OK


def _drucken(store: Store, kundennummer: str, benutzer: str, inhalt: bytes, ergebnis: AblageErgebnis | None,
             drucker: str, ifk: str, vorlage: Vorlage, plan_id: str) -> int:
    """The archived PDF, or one made for this print only (in a private temp folder, removed after);
    noted in the Akte's history like a print from the app."""
    from kopl_tui.ablage import Ablage, PdfFehler, pdf_umwandeln
    from kopl_tui.drucken import DruckFehler, abgelegten_brief_drucken, brief_drucken

    with tempfile.TemporaryDirectory(prefix="kopl-druck-") as temp:
        try:
            if ergebnis is not None:
                gedruckt = abgelegten_brief_drucken(Ablage(store), kundennummer, ergebnis.eintrag, ifk=ifk,
                                                    benutzer=benutzer, drucker=drucker)
            else:
                docx = Path(temp) / "brief.docx"
                docx.write_bytes(inhalt)
                pdf = pdf_umwandeln(docx, Path(temp) / "brief.pdf")
                gedruckt = brief_drucken(store, kundennummer, pdf=pdf, ifk=ifk, benutzer=benutzer,
                                         titel=vorlage.titel, vorlage_datei=vorlage.datei, plan_id=plan_id,
                                         drucker=drucker)
        except (PdfFehler, DruckFehler) as fehler:
            print(f"Nicht gedruckt: {fehler}", file=sys.stderr)
            return VERWEIGERT
    print(f"Gedruckt: Auftrag {gedruckt.auftrag} an {gedruckt.drucker}.")
    if gedruckt.historie_fehler:
        print(gedruckt.historie_fehler, file=sys.stderr)
        return VERWEIGERT
    return OK
