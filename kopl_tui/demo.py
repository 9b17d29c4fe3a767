"""A fictitious demo Jobcenter: every situation of the guide, and synthetic data at any size.

All people are obviously invented (surnames like "Musterfrau"); the generator is deterministic for
a seed and a reference day, so training copies and benchmark folders are reproducible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from kopl_tui.datum import plus_monate, vortag
from kopl_tui.model import (
    UNBEGRENZT,
    UNTERSTUETZUNG_VORGABE,
    Anrede,
    JaNein,
    Kooperationsplan,
    Kunde,
    Status,
)
from kopl_tui.store import Store

NACHNAMEN = ["Musterfrau", "Mustermann", "Beispiel", "Probe", "Testweg", "Platzhalter", "Fiktiv",
             "Erfunden", "Demoberg", "Ausgedacht", "Schablone", "Vorlage", "Modell", "Entwurf",
             "Annahme", "Simulant", "Attrappe", "Dummy", "Muster-Klein", "Beispiel-Groß"]
VORNAMEN_W = ["Erika", "Maria", "Anna", "Lea", "Sabine", "Fatma", "Olga", "Jana", "Petra", "Aylin"]
VORNAMEN_M = ["Max", "Paul", "Jonas", "Ali", "Thomas", "Piotr", "Lukas", "Ahmet", "Jens", "Karl"]
IFK = ["Ina Beispiel", "Tom Muster", "Uta Probe", "Ben Vorlage"]
ZIELE = [
    "Aufnahme einer sozialversicherungspflichtigen Beschäftigung als Lagerhelferin in Göttingen.",
    "Abschluss des Integrationskurses (B1) und anschließend Suche nach einer Stelle in der Pflege.",
    "Stabilisierung der gesundheitlichen Situation und schrittweiser Einstieg in Teilzeitarbeit.",
    "Beginn einer Ausbildung zum Kaufmann im Einzelhandel zum 01.08.",
    "Nachholen des Hauptschulabschlusses an der Volkshochschule.",
]
SCHRITTE = [
    "Ich bewerbe mich monatlich auf mindestens fünf Stellen und lege die Nachweise bis zum Monatsende vor.",
    "Ich melde mich beim Träger der Maßnahme an und nehme regelmäßig teil.",
    "Ich kläre die Kinderbetreuung mit der Kita und teile das Ergebnis meiner Integrationsfachkraft mit.",
    "Ich erstelle mit Unterstützung der JobFabrik vollständige Bewerbungsunterlagen.",
]
AUFFORDERUNG_SCHRITTE = (
    "Bitte bewerben Sie sich bis zur genannten Frist auf die folgenden Stellen und legen Sie die "
    "Nachweise (Kopie der Bewerbung, Antwort des Arbeitgebers) vor:\n"
    "1. Helfer/in Lager, Muster-Logistik GmbH, Göttingen\n"
    "2. Verkäufer/in, Beispielmarkt, Northeim"
)
LUECKENTEXT = ("Ergänzende Absprachen aus dem Beratungsgespräch; weitere Schritte werden beim nächsten "
               "Termin gemeinsam festgelegt. ")


@dataclass(frozen=True)
class DemoKunde:
    kunde: Kunde
    plaene: list[Kooperationsplan]


def _kunde(nr: int, rnd: random.Random, nachname: str | None = None, vorname: str | None = None,
           anrede: Anrede | None = None) -> Kunde:
    weiblich = rnd.random() < 0.5 if anrede is None else anrede is Anrede.FRAU
    return Kunde(
        kundennummer=f"{100 + nr // 1_000_000:03d}D{nr % 1_000_000:06d}",
        anrede=anrede or (Anrede.FRAU if weiblich else Anrede.HERR),
        nachname=nachname or rnd.choice(NACHNAMEN),
        vorname=vorname or rnd.choice(VORNAMEN_W if weiblich else VORNAMEN_M),
        geburtsdatum=date(1960, 1, 1) + timedelta(days=rnd.randrange(0, 40 * 365)),
        bg_nummer=f"{rnd.randrange(10000, 99999)}//{nr:07d}",
        ifk=IFK[nr % len(IFK)],
        strasse=f"Musterweg {nr % 97 + 1}",
        plz="37073",
        ort="Göttingen",
    )


def _plan(**werte: object) -> Kooperationsplan:
    werte.setdefault("angelegt_von", "demo")
    return Kooperationsplan.model_validate(werte)


def _text(rnd: random.Random, basis: list[str], lang: bool) -> str:
    text = rnd.choice(basis)
    if lang:
        while len(text) < rnd.randrange(200, 800):
            text += " " + LUECKENTEXT
    return text.strip()


def besondere_faelle(heute: date) -> list[DemoKunde]:
    """One customer per situation of the guide, with telling names in the Vorname."""
    rnd = random.Random(1)
    faelle: list[DemoKunde] = []

    def fall(nachname: str, vorname: str, anrede: Anrede, *plaene: Kooperationsplan) -> None:
        faelle.append(DemoKunde(_kunde(len(faelle) + 1, rnd, nachname, vorname, anrede), list(plaene)))

    # The guide's overview example (§3.1): three migrated plans and an unbegrenzt "Einverständnis"
    # plan next to an older unbegrenzt one: the BA-statistics rule is broken until fixed.
    fall("Beispiel", "Erika", Anrede.FRAU,
         _plan(gueltig_ab=date(2022, 9, 21), gueltig_bis=date(2023, 3, 20), unterstuetzung=""),
         _plan(gueltig_ab=date(2023, 7, 12), gueltig_bis=date(2024, 10, 31), unterstuetzung=""),
         _plan(gueltig_ab=date(2024, 11, 1), gueltig_bis=UNBEGRENZT, unterstuetzung=""),
         _plan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 1, 7), gueltig_bis=UNBEGRENZT,
               ziel=ZIELE[0], naechste_schritte=SCHRITTE[0]))
    aktuell = plus_monate(heute, -2)
    fall("Musterfrau", "Ina", Anrede.FRAU,
         _plan(status=Status.IN_BEARBEITUNG, gueltig_ab=heute, ziel=ZIELE[1]))
    fall("Mustermann", "Max", Anrede.HERR,
         _plan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2024, 2, 1), gueltig_bis=vortag(aktuell),
               ziel=ZIELE[3], naechste_schritte=SCHRITTE[3], ueberprueft_am=date(2024, 7, 15)),
         _plan(status=Status.EINVERSTAENDNIS, gueltig_ab=aktuell, ziel=ZIELE[0], naechste_schritte=SCHRITTE[0]))
    # Kein Einverständnis, Schlichtung running (began a week ago).
    beginn = heute - timedelta(days=7)
    fall("Probe", "Paul", Anrede.HERR,
         _plan(status=Status.KEIN_EINVERSTAENDNIS, gueltig_ab=beginn, ziel=ZIELE[4],
               schlichtung_notwendig=JaNein.JA, schlichtung_beginn=beginn))
    # Kein Einverständnis, Schlichtung finished with agreement.
    fall("Testweg", "Fatma", Anrede.FRAU,
         _plan(status=Status.KEIN_EINVERSTAENDNIS, gueltig_ab=date(2025, 3, 3), gueltig_bis=date(2025, 4, 30),
               ziel=ZIELE[2], schlichtung_notwendig=JaNein.JA, schlichtung_beginn=date(2025, 3, 10),
               schlichtung_ergebnis=date(2025, 3, 28), einigung_erfolgt=JaNein.JA),
         _plan(status=Status.EINVERSTAENDNIS, gueltig_ab=date(2025, 5, 1), ziel=ZIELE[2],
               naechste_schritte=SCHRITTE[2], ueberprueft_am=plus_monate(heute, -1)))
    # Schlichtung past its four weeks without Ergebnis (a plausibility finding for support).
    fall("Platzhalter", "Jonas", Anrede.HERR,
         _plan(status=Status.KEIN_EINVERSTAENDNIS, gueltig_ab=heute - timedelta(days=60), ziel=ZIELE[0],
               schlichtung_notwendig=JaNein.JA, schlichtung_beginn=heute - timedelta(days=45)))
    # Review overdue: unbegrenzt plan started 14 months ago, never reviewed.
    fall("Fiktiv", "Sabine", Anrede.FRAU,
         _plan(status=Status.EINVERSTAENDNIS, gueltig_ab=plus_monate(heute, -14), ziel=ZIELE[1],
               naechste_schritte=SCHRITTE[1]))
    # One Aufforderung per print template of §3.2 (nur Aufforderung and within a plan).
    tag = heute - timedelta(days=3)
    frist = heute + timedelta(days=14)
    fall("Erfunden", "Ali", Anrede.HERR,  # Allgemein: Schritte go into the letter
         _plan(status=Status.NUR_AUFFORDERUNG, gueltig_bis=None, tag_der_aufforderung=tag,
               frist_zur_erledigung=frist, schritte=AUFFORDERUNG_SCHRITTE, unterstuetzung=""))
    fall("Demoberg", "Lea", Anrede.FRAU,  # Bewerbung
         _plan(status=Status.NUR_AUFFORDERUNG, gueltig_bis=None, tag_der_aufforderung=tag,
               frist_zur_erledigung=frist, unterstuetzung=""))
    fall("Ausgedacht", "Piotr", Anrede.HERR,  # JobFabrik
         _plan(status=Status.NUR_AUFFORDERUNG, gueltig_bis=None, tag_der_aufforderung=tag - timedelta(days=20),
               frist_zur_erledigung=tag - timedelta(days=6), unterstuetzung=""))
    fall("Schablone", "Olga", Anrede.FRAU,  # Maßnahme-/und oder Stellenangebot
         _plan(status=Status.NUR_AUFFORDERUNG, gueltig_bis=None, tag_der_aufforderung=tag,
               frist_zur_erledigung=frist, unterstuetzung=""))
    fall("Vorlage", "Thomas", Anrede.HERR,  # Kooperationsplan Aufforderung mit Rechtsfolgen
         _plan(status=Status.EINVERSTAENDNIS, gueltig_ab=plus_monate(heute, -3), ziel=ZIELE[3],
               naechste_schritte=SCHRITTE[0], tag_der_aufforderung=tag, frist_zur_erledigung=frist))
    fall("Modell", "Aylin", Anrede.FRAU,  # Kooperationsplan Aufforderung ohne Rechtsfolgen
         _plan(status=Status.IN_BEARBEITUNG, gueltig_ab=plus_monate(heute, -1), ziel=ZIELE[1],
               tag_der_aufforderung=tag, frist_zur_erledigung=frist))
    fall("Entwurf", "Kim", Anrede.OHNE)  # no plan yet: the place to practise "Neu"
    return faelle


def zufalls_faelle(anzahl: int, plaene_gesamt: int, heute: date, seed: int, start_nr: int,
                   lange_texte: bool = False) -> list[DemoKunde]:
    """Ordinary customers: a history of ended plans and one current unbegrenzt plan each, reviewed
    within six months, so `kopl-tui pruefen` finds nothing here but the deliberate cases."""
    rnd = random.Random(seed)
    faelle = []
    rest = plaene_gesamt
    for i in range(anzahl):
        kunde = _kunde(start_nr + i, rnd)
        noch = anzahl - i
        zahl = min(rest, max(0, round(rest / noch + rnd.uniform(-1, 1))))
        rest -= zahl
        plaene = []
        beginn = plus_monate(heute, -6 * zahl - rnd.randrange(0, 6))
        for j in range(zahl):
            letzter = j == zahl - 1
            ende = None if letzter else vortag(plus_monate(beginn, 6))
            status = rnd.choice([Status.EINVERSTAENDNIS, Status.EINVERSTAENDNIS, Status.IN_BEARBEITUNG,
                                 Status.KEIN_EINVERSTAENDNIS]) if letzter else Status.EINVERSTAENDNIS
            plaene.append(_plan(status=status, gueltig_ab=beginn, gueltig_bis=ende or UNBEGRENZT,
                                ziel=_text(rnd, ZIELE, lange_texte),
                                naechste_schritte=_text(rnd, SCHRITTE, lange_texte),
                                unterstuetzung=UNTERSTUETZUNG_VORGABE,
                                ueberprueft_am=plus_monate(beginn, 5) if letzter else None,
                                angelegt_von=IFK[i % len(IFK)]))
            if not letzter:
                beginn = plus_monate(beginn, 6)
        faelle.append(DemoKunde(kunde, plaene))
    return faelle


def schreiben(store: Store, faelle: list[DemoKunde], benutzer: str = "demo") -> None:
    store.anlegen()
    store.kunden_schreiben([f.kunde for f in faelle])
    for fall in faelle:
        if fall.plaene:
            stand = store.akte_laden(fall.kunde.kundennummer)
            store.akte_speichern(fall.kunde.kundennummer, fall.plaene, stand.version, benutzer)


def demo_jobcenter(heute: date | None = None, kunden: int = 32) -> list[DemoKunde]:
    """The training/demo Jobcenter: the guide's situations first, then ordinary customers."""
    heute = heute or date.today()
    faelle = besondere_faelle(heute)
    weitere = max(0, kunden - len(faelle))
    return faelle + zufalls_faelle(weitere, weitere * 2, heute, seed=7, start_nr=len(faelle) + 1)
