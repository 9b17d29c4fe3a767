"""Every key of the app in one place: id, keys, action, German label and help text, and where it acts.

Textual-free on purpose: screens turn these into ``Binding``s (``screens.tasten``), the F1 help and
the README's table are generated from / checked against this list. Keys follow one contract
(README, "Tasten"): F-keys for the mask (bare letters are typed into fields there), letters only on lists.
Enter is bound on the list widgets themselves, not as a priority key on the screen: a priority key
is handled before the widget has processed the keys typed just before it (fast typists, SSH).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Taste:
    id: str
    tasten: str  # Textual key names, comma separated (first one is shown)
    aktion: str
    text: str  # short label in the footer
    ort: str  # where it acts: "app" or a screen's name
    hilfe: str  # one line for F1 and the README
    anzeige: str | None = None  # how the footer/README shows the keys
    prioritaet: bool = False
    zeigen: bool = True


ORTE = {
    "app": "Überall",
    "kundenliste": "Kundenliste",
    "suchfeld": "Kundenliste, im Suchfeld",
    "kundentabelle": "Kundenliste, in der Liste",
    "plantabelle": "Kooperationsplan-Übersicht, in der Tabelle",
    "uebersicht": "Kooperationsplan-Übersicht",
    "maske": "Maske",
    "editor": "Text-Editor",
    "falluebersicht": "Fallübersicht",
    "historie": "Historie",
    "assistent": "Assistent zur Dokumenterzeugung",
    "ablage": "Dokumente (Ablage)",
    "dialog": "Dialoge",
    "auswahlliste": "Auswahlliste (geöffnet)",
    "hilfe": "Hilfe",
    "pruefliste": "Prüfliste",
    "befundtabelle": "Prüfliste, in der Liste",
    "stammdaten": "Stammdaten",
}

KEYMAP: tuple[Taste, ...] = (
    Taste("hilfe", "f1", "hilfe", "Hilfe", "app", "Alle Tasten des aktuellen Bildschirms (auch über die Befehlspalette)",
          prioritaet=True),
    Taste("speichern", "ctrl+s", "speichern", "Speichern", "app",
          "Finales Speichern der Kundenakte (Disketten-Symbol, §5); übernimmt vorher offene Eingaben"),
    Taste("kooperationsplan", "f5", "kooperationsplan", "Kooperationsplan", "app",
          "Aus der Kundenakte zur Kooperationsplan-Übersicht (auch: Befehlspalette „Fallmanagement › Kooperationsplan“)"),
    Taste("falluebersicht", "f9", "falluebersicht", "Fallübersicht", "app",
          "Fallübersicht Fallmanagement („grünes i“, §5): aktueller Kooperationsplan mit Statistikfeldern"),
    Taste("befehle", "ctrl+p", "command_palette", "Befehle", "app", "Befehlspalette"),
    Taste("beenden", "ctrl+q", "beenden", "Beenden", "app", "Programm beenden (fragt bei ungespeicherter Akte)",
          prioritaet=True),
    Taste("oeffnen", "enter", "screen.oeffnen", "Öffnen", "suchfeld",
          "Kundenakte des ersten Treffers an der Kooperationsplan-Übersicht öffnen", anzeige="Enter"),
    Taste("zur_liste", "down", "zur_liste", "Zur Liste", "suchfeld", "Vom Suchfeld in die Liste (dort ↑/↓ blättern)",
          anzeige="↓"),
    Taste("oeffnen_liste", "enter", "screen.oeffnen", "Öffnen", "kundentabelle",
          "Kundenakte des markierten Kunden an der Kooperationsplan-Übersicht öffnen", anzeige="Enter"),
    Taste("zeile_hoch", "up", "zeile_hoch", "Hoch", "kundentabelle",
          "Eine Zeile hoch; in der ersten Zeile zurück ins Suchfeld", anzeige="↑", zeigen=False),
    Taste("zeile_runter", "down", "zeile_runter", "Runter", "kundentabelle", "Eine Zeile runter", anzeige="↓",
          zeigen=False),
    Taste("seite_hoch", "pageup", "seite_hoch", "Seite hoch", "kundentabelle", "Eine Bildschirmseite hoch",
          anzeige="Bild↑", zeigen=False),
    Taste("seite_runter", "pagedown", "seite_runter", "Seite runter", "kundentabelle",
          "Eine Bildschirmseite runter", anzeige="Bild↓", zeigen=False),
    Taste("erste_zeile", "home", "erste_zeile", "Anfang", "kundentabelle", "Zum ersten Treffer", anzeige="Pos1",
          zeigen=False),
    Taste("letzte_zeile", "end", "letzte_zeile", "Ende", "kundentabelle", "Zum letzten Treffer", anzeige="Ende",
          zeigen=False),
    Taste("suche", "ctrl+f", "suche", "Suchen", "kundenliste",
          "In das Suchfeld (Name oder Kundennummer; filtert beim Tippen)"),
    Taste("pruefliste", "f8", "app.pruefliste", "Prüfliste", "kundenliste",
          "Prüfliste des Supports: alle Befunde (BA-Statistik-Regel, Plausibilität) über alle Akten "
          "(auch: Befehlspalette „Prüfliste“)"),
    Taste("bearbeiten_enter", "enter", "screen.bearbeiten", "Bearbeiten", "plantabelle",
          "Markierten Plan in der Maske öffnen (≙ Doppelklick, §2)", anzeige="Enter",
          zeigen=False),  # the footer shows it with b as "Enter/b"
    Taste("neu", "n", "neu", "Neu", "uebersicht", "Neuen Kooperationsplan anlegen (leere Maske, §3)"),
    Taste("bearbeiten", "b", "bearbeiten", "Bearbeiten", "uebersicht",
          "Markierten Plan in der Maske öffnen (wie Enter)", anzeige="Enter/b"),
    Taste("loeschen", "delete", "loeschen", "Löschen", "uebersicht",
          "Markierten Plan als gelöscht markieren (gespeichert erst mit Übernehmen, §4)", anzeige="Entf"),
    Taste("uebernehmen", "f2", "uebernehmen", "Übernehmen", "uebersicht",
          "Löschmarkierungen übernehmen (§4)"),
    Taste("uebernehmen_schliessen", "f3", "uebernehmen_schliessen", "Übernehmen und schließen", "uebersicht",
          "Löschmarkierungen übernehmen und die Übersicht schließen (§4)"),
    Taste("verwerfen", "f4", "verwerfen", "Verwerfen", "uebersicht", "Löschmarkierungen zurücknehmen (§4)"),
    Taste("schliessen", "escape", "schliessen", "Schließen", "uebersicht",
          "Übersicht schließen; fragt bei offenen Änderungen (§4)", anzeige="Esc"),
    Taste("historie", "h", "historie", "Historie", "uebersicht",
          "Historie der Akte: wer hat wann was geändert, gespeichert, gelöscht, gedruckt"),
    Taste("dokumente", "d", "app.dokumente", "Dokumente", "uebersicht",
          "Abgelegte Briefe des Kunden, neueste zuerst, mit Dateipfad (auch: Befehlspalette „Dokumente (Ablage)“)"),
    Taste("m_uebernehmen", "f2", "uebernehmen", "Übernehmen", "maske",
          "Eingaben prüfen und in die Akte übernehmen (noch nicht final gespeichert)"),
    Taste("m_uebernehmen_zurueck", "f3", "uebernehmen_zurueck", "Übernehmen & zurück", "maske",
          "Übernehmen und zurück zur Übersicht (§3.1)"),
    Taste("m_verwerfen", "f4", "verwerfen", "Verwerfen", "maske", "Eingaben seit dem letzten Übernehmen verwerfen"),
    Taste("m_editor", "f6", "editor", "Editor", "maske",
          "Text-Editor für das Freitextfeld mit dem Cursor (Ziel, nächste Schritte, Unterstützung, Schritte; §3.1)",
          prioritaet=True),  # TextArea binds F6 itself
    Taste("m_drucken", "f7", "drucken", "Drucken", "maske",
          "Die im Abschnitt mit dem Cursor gewählte Druckvorlage drucken (sonst die erste gewählte): "
          "Assistent zur Dokumenterzeugung; fragt vorher nach dem Speichern (§3.1)",
          prioritaet=True),  # TextArea binds F7 itself
    Taste("m_schliessen", "escape", "schliessen", "Schließen", "maske",
          "Maske schließen; fragt bei offenen Änderungen", anzeige="Esc"),
    Taste("m_text_anfang", "ctrl+home", "text_anfang", "Textanfang", "maske",
          "Im Freitextfeld: an den Anfang des Textes (Pos1: Anfang der Zeile)", anzeige="Strg+Pos1", zeigen=False),
    Taste("m_text_ende", "ctrl+end", "text_ende", "Textende", "maske",
          "Im Freitextfeld: ans Ende des Textes (Ende: Ende der Zeile)", anzeige="Strg+Ende", zeigen=False),
    Taste("e_uebernehmen", "f2", "uebernehmen", "Übernehmen", "editor", "Text übernehmen und zur Maske zurück"),
    Taste("e_schliessen", "escape", "schliessen", "Schließen", "editor",
          "Editor schließen; fragt, ob Änderungen übernommen werden (§3.1 Speicherabfrage)", anzeige="Esc"),
    Taste("e_text_anfang", "ctrl+home", "text_anfang", "Textanfang", "editor",
          "An den Anfang des Textes (Pos1: Anfang der Zeile)", anzeige="Strg+Pos1", zeigen=False),
    Taste("e_text_ende", "ctrl+end", "text_ende", "Textende", "editor",
          "Ans Ende des Textes (Ende: Ende der Zeile)", anzeige="Strg+Ende", zeigen=False),
    Taste("f_schliessen", "escape", "schliessen", "Schließen", "falluebersicht", "Fallübersicht schließen",
          anzeige="Esc"),
    Taste("h_schliessen", "escape", "schliessen", "Schließen", "historie", "Historie schließen", anzeige="Esc"),
    Taste("p_oeffnen", "enter", "screen.oeffnen", "Akte öffnen", "befundtabelle",
          "Kundenakte des markierten Befunds an der Kooperationsplan-Übersicht öffnen, der Plan ist markiert; "
          "nach dem Schließen der Akte wird der Kunde neu geprüft", anzeige="Enter"),
    Taste("p_neu_pruefen", "f8", "neu_pruefen", "Neu prüfen", "pruefliste", "Alle Akten neu prüfen"),
    Taste("p_schliessen", "escape", "schliessen", "Schließen", "pruefliste", "Prüfliste schließen", anzeige="Esc"),
    Taste("a_vorschau", "f2", "vorschau", "Vorschau", "assistent",
          "Den ganzen Brief zeigen, wie er gedruckt wird (Briefkopf bis Rechtsbehelfsbelehrung); gesperrt, wenn der "
          "Brief so nicht geht (die Gründe stehen in Rot)"),
    Taste("a_fertig", "f2", "fertig", "Fertig", "assistent",
          "In der Vorschau: das Word-Dokument erzeugen (§3.1 „Fertig“); gesperrt, solange im Brief eine Lücke steht "
          "(„[fehlt: …]“, „[bitte ergänzen: …]“, „XXXX“)"),
    Taste("a_zurueck", "f4", "zurueck", "Zurück", "assistent",
          "Aus der Vorschau zurück zu den Ergänzungen"),
    Taste("a_ablegen", "f3", "ablegen", "Ablegen", "assistent",
          "Das erzeugte Dokument in der Ablage des Kunden ablegen (wo LibreOffice installiert ist, auch als PDF)"),
    Taste("a_drucken", "f7", "drucken", "Drucken", "assistent",
          "Nach dem Ablegen: das PDF an den Drucker geben (CUPS; der Drucker der Integrationsfachkraft, sonst der des "
          "Datenordners, aus briefkopf.toml); zeigt die Auftragsnummer oder den Fehler"),
    Taste("a_herunterladen", "f8", "herunterladen", "Herunterladen", "assistent",
          "Nur im Browser (kopl-tui serve), nach dem Ablegen: PDF oder Word-Dokument herunterladen"),
    Taste("a_abbrechen", "escape", "abbrechen", "Abbrechen", "assistent",
          "Abbrechen: nichts wird abgelegt, ein schon erzeugtes Dokument wird gelöscht", anzeige="Esc"),
    Taste("a_schliessen", "escape", "schliessen", "Schließen", "assistent",
          "Nach dem Ablegen: Assistent schließen", anzeige="Esc"),
    Taste("ab_kopieren", "c", "kopieren", "Pfad kopieren", "ablage",
          "Pfad der markierten Datei in die Zwischenablage (OSC 52, wo das Terminal es erlaubt)"),
    Taste("ab_drucken", "f7", "drucken", "Drucken", "ablage",
          "PDF der markierten Datei an den Drucker geben (wie im Assistenten); gesperrt, wenn es kein PDF gibt"),
    Taste("ab_herunterladen", "f8", "herunterladen", "Herunterladen", "ablage",
          "Nur im Browser (kopl-tui serve): PDF oder Word-Dokument der markierten Datei herunterladen"),
    Taste("ab_schliessen", "escape", "schliessen", "Schließen", "ablage", "Dokumentenliste schließen",
          anzeige="Esc"),
    Taste("hilfe_schliessen", "escape,f1", "schliessen", "Schließen", "hilfe", "Hilfe schließen", anzeige="Esc / F1"),
    Taste("d_wahl", "1,2,3", "waehlen", "Auswahl", "dialog",
          "Im Dialog: Ziffer der Antwort, oder Tab/Pfeile und Enter", zeigen=False),
    Taste("d_abbrechen", "escape", "abbrechen", "Abbrechen", "dialog", "Dialog schließen ohne Entscheidung",
          anzeige="Esc"),
    Taste("d_vorige", "up", "app.focus_previous", "Vorige Antwort", "dialog", "Im Dialog: zur vorigen Antwort",
          anzeige="↑", zeigen=False),
    Taste("d_naechste", "down", "app.focus_next", "Nächste Antwort", "dialog", "Im Dialog: zur nächsten Antwort",
          anzeige="↓", zeigen=False),
    Taste("l_schliessen", "escape", "dismiss", "Liste schließen", "auswahlliste",
          "Geöffnete Auswahlliste schließen, ohne zu wählen (↑/↓ und Enter wählen, Buchstaben suchen)",
          anzeige="Esc"),
    Taste("stammdaten", "s", "app.stammdaten", "Stammdaten", "uebersicht",
          "Stammdaten des Kunden: Anschrift, BG-Nummer und Integrationsfachkraft korrigieren "
          "(auch: Befehlspalette „Stammdaten“)"),
    Taste("st_uebernehmen", "f2", "uebernehmen", "Übernehmen", "stammdaten",
          "Eingaben prüfen und in die Akte übernehmen (final gespeichert mit Strg+S, mit alt → neu in der Historie)"),
    Taste("st_uebernehmen_zurueck", "f3", "uebernehmen_zurueck", "Übernehmen & zurück", "stammdaten",
          "Übernehmen und zurück zur Übersicht"),
    Taste("st_verwerfen", "f4", "verwerfen", "Verwerfen", "stammdaten", "Eingaben seit dem letzten Übernehmen verwerfen"),
    Taste("st_schliessen", "escape", "schliessen", "Schließen", "stammdaten",
          "Stammdaten schließen; fragt bei Eingaben, die noch nicht übernommen sind", anzeige="Esc"),
)


# Keys bound on a screen's widgets belong to that screen's help.
_TEILE = {"kundenliste": ("suchfeld", "kundentabelle", "kundenliste"), "uebersicht": ("plantabelle", "uebersicht"),
          "pruefliste": ("befundtabelle", "pruefliste"), "maske": ("maske", "auswahlliste"),
          "assistent": ("assistent", "auswahlliste")}


def hilfe_tasten(ort: str) -> list[Taste]:
    """What F1 lists on a screen: its own keys (and its widgets'), the dialogs', the app-wide ones."""
    orte = [*_TEILE.get(ort, (ort,)), "dialog"] if ort != "app" else []
    return [taste for o in [*orte, "app"] for taste in tasten_fuer(o)]


def tasten_fuer(ort: str) -> list[Taste]:
    return [taste for taste in KEYMAP if taste.ort == ort]


def anzeige(taste: Taste) -> str:
    if taste.anzeige:
        return taste.anzeige
    def eine(taste_name: str) -> str:
        if taste_name.startswith("ctrl+"):
            return "Strg+" + taste_name.removeprefix("ctrl+").upper()
        return taste_name.upper() if len(taste_name) > 1 else taste_name

    return " / ".join(eine(k) for k in taste.tasten.split(","))


def readme_tabelle() -> str:
    """The README's keymap table; a test keeps README and code in sync."""
    zeilen = ["| Bereich | Taste | Aktion | Bedeutung |", "|---|---|---|---|"]
    for taste in KEYMAP:
        zeilen.append(f"| {ORTE[taste.ort]} | `{anzeige(taste)}` | {taste.text} | {taste.hilfe} |")
    return "\n".join(zeilen)
