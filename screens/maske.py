"""The dynamic mask (guide §3): Kooperationsplan, Aufforderung, Schlichtungsverfahren, top to bottom.

The form holds raw values; "Übernehmen" hands them to the session facade, which makes them a
``Kooperationsplan`` (types checked) and applies it to the Kundenakte (the guide's rules checked).
Every refusal comes back as ``Abgelehnt``, a message per field, and is shown at the field it
concerns; nothing is applied then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Header, Input, Label, Select, Static, TextArea

from kopl_tui.datum import DatumFehler, format_datum, parse_datum
from kopl_tui.fehler import GANZER_DATENSATZ, Abgelehnt, NurLesen
from kopl_tui.model import FELDNAMEN, UNBEGRENZT, JaNein, Kooperationsplan, Status, max_ende_folgt_beginn
from kopl_tui.sitzung import Abschnitt, Beendigungsvorschlag, Vorlage, vorlage, vorlagen_fuer
from screens.auswahl_dialog import JA_NEIN_WAHL, AuswahlDialog
from screens.auswahlfeld import Auswahlfeld
from screens.datum_input import DatumInput
from screens.formular import Formular
from screens.fusszeile import Fusszeile
from screens.tasten import bindings

HINWEIS_GRAU = ("Wenn Aufforderung OHNE Kooperationsplan, bitte beide Datumfelder leer lassen. "
                "Das Bis-Datum soll ansonsten immer auf „unbegrenzt“ stehen.")
TEXT_LABELS = {
    "ziel": "Gemeinsam mit meiner Integrationsfachkraft habe ich folgendes Ziel besprochen:",
    "naechste_schritte": "Meine nächsten Schritte sind:",
    "unterstuetzung": "Das Jobcenter unterstützt mich durch:",
    "schritte": "Nur bei Druckvorlage „Aufforderung ohne Kooperationsplan (Allgemein)“ bitte hier die "
                "„Schritte“ eintragen:",
}
DATUMSFELDER = ("gueltig_ab", "gueltig_bis", "ueberprueft_am", "tag_der_aufforderung", "frist_zur_erledigung",
                "schlichtung_beginn", "schlichtung_max_ende", "schlichtung_ergebnis")
AUSWAHLFELDER = ("status", "schlichtung_notwendig", "einigung_erfolgt")
TEXTFELDER = tuple(TEXT_LABELS)
# The print dropdown at the end of each section (guide §3.1–3.3): widget id and the guide's label.
# Not part of the plan: they never make the mask "dirty".
DRUCKAUSWAHL: dict[Abschnitt, tuple[str, str]] = {
    Abschnitt.KOOPERATIONSPLAN: ("kooperationsplan_drucken", "Kooperationsplan drucken:"),
    Abschnitt.AUFFORDERUNG: ("aufforderung_drucken", "Aufforderung drucken:"),
    Abschnitt.SCHLICHTUNG: ("schlichtung_drucken", "Druck Schlichtungsverfahren:"),
}
ABSCHNITT_FELDER: dict[Abschnitt, tuple[str, ...]] = {
    Abschnitt.KOOPERATIONSPLAN: ("status", "ziel", "naechste_schritte", "unterstuetzung", "gueltig_ab", "gueltig_bis",
                                 "ueberprueft_am", DRUCKAUSWAHL[Abschnitt.KOOPERATIONSPLAN][0]),
    Abschnitt.AUFFORDERUNG: ("tag_der_aufforderung", "frist_zur_erledigung", "schritte",
                             DRUCKAUSWAHL[Abschnitt.AUFFORDERUNG][0]),
    Abschnitt.SCHLICHTUNG: ("schlichtung_notwendig", "schlichtung_beginn", "schlichtung_max_ende",
                            "schlichtung_ergebnis", "einigung_erfolgt", DRUCKAUSWAHL[Abschnitt.SCHLICHTUNG][0]),
}


def _feld(feld: str, widget: Widget, label: str | None = None) -> Vertical:
    """Label, input and the German error line of one field (the error line id is fehler_<feld>)."""
    return Vertical(Label(label or FELDNAMEN[feld], classes="feldname"), widget,
                    Static("", id=f"fehler_{feld}", classes="fehler", markup=False),  # messages quote input
                    classes="feld", id=f"feld_{feld}")


def _druckauswahl(abschnitt: Abschnitt) -> Vertical:
    """The section's print dropdown: its templates by title, "Kein Eintrag ausgewählt" until chosen."""
    feld, label = DRUCKAUSWAHL[abschnitt]
    auswahl = Auswahlfeld([(v.titel, v.datei) for v in vorlagen_fuer(abschnitt)], id=feld, compact=True,
                          classes="druckauswahl")
    return _feld(feld, auswahl, label)


class MaskeScreen(Formular):
    CSS_PATH = "maske.tcss"
    ORT = "maske"
    BINDINGS = bindings("maske")
    FRAGE_OFFEN = "Die Maske enthält Änderungen, die noch nicht übernommen wurden."

    def __init__(self, plan: Kooperationsplan, neu: bool = False):
        super().__init__()
        self.plan = plan  # the state the mask was opened with or last applied
        self.neu = neu  # not yet applied
        self.neuanlage = neu  # opened with "Neu" (§3), also after it was applied
        self._sauber: dict[str, Any] = {}
        self._gesperrt_gemerkt: dict[str, str] = {}
        self._beginn_bisher = plan.schlichtung_beginn  # the Beginn that max. Ende was last derived from

    # ---- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="maske", can_focus=False):  # Tab goes field to field only
            yield Label("Kooperationsplan", classes="abschnitt-titel")
            yield _feld("status", Auswahlfeld([(s.value, s.value) for s in Status], id="status", compact=True),
                        "Status Kooperationsplan (Pflichtfeld)")
            yield Label("Inhalte des Kooperationsplans", classes="unter-titel")
            for feld in ("ziel", "naechste_schritte", "unterstuetzung"):
                yield _feld(feld, TextArea(id=feld, classes="freitext", compact=True), TEXT_LABELS[feld] + "  (F6: Editor)")
            yield Label("Gültigkeitszeitraum des Kooperationsplans", classes="unter-titel")
            with Horizontal(id="gueltigkeit"):
                with Vertical(id="daten"):
                    yield _feld("gueltig_ab", DatumInput(id="gueltig_ab"))
                    yield _feld("gueltig_bis", DatumInput(id="gueltig_bis", unbegrenzt=True))
                yield Static(HINWEIS_GRAU, id="hinweis")
            yield Static("", id="hinweis_gueltig_bis", classes="hinweis-feld")
            yield _feld("ueberprueft_am", DatumInput(id="ueberprueft_am"), "zuletzt gemeinsam überprüft am")
            yield Static("", id="ueberpruefung")
            yield _druckauswahl(Abschnitt.KOOPERATIONSPLAN)
            yield Label("Aufforderung", classes="abschnitt-titel")
            with Horizontal(classes="datumszeile"):
                yield _feld("tag_der_aufforderung", DatumInput(id="tag_der_aufforderung"), "Tag der Aufforderung:")
                yield _feld("frist_zur_erledigung", DatumInput(id="frist_zur_erledigung"), "Frist zur Erledigung:")
            yield _feld("schritte", TextArea(id="schritte", classes="freitext", compact=True), TEXT_LABELS["schritte"])
            yield _druckauswahl(Abschnitt.AUFFORDERUNG)
            yield Label("Schlichtungsverfahren", classes="abschnitt-titel")
            yield _feld("schlichtung_notwendig", Auswahlfeld([(w.value, w.value) for w in JaNein],
                                                             id="schlichtung_notwendig", compact=True))
            with Horizontal(classes="datumszeile"):
                yield _feld("schlichtung_beginn", DatumInput(id="schlichtung_beginn"))
                yield _feld("schlichtung_max_ende", DatumInput(id="schlichtung_max_ende"))
                yield _feld("schlichtung_ergebnis", DatumInput(id="schlichtung_ergebnis"))
            yield _feld("einigung_erfolgt", Auswahlfeld([(w.value, w.value) for w in JaNein], id="einigung_erfolgt",
                                                        compact=True))
            yield _druckauswahl(Abschnitt.SCHLICHTUNG)
            yield Static("", id=f"fehler_{GANZER_DATENSATZ}", classes="fehler", markup=False)
        yield Fusszeile(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._formular_setzen(self.plan)
        self.query_one("#status", Select).focus()
        self.title = "Neuer Kooperationsplan" if self.neu else "Kooperationsplan bearbeiten"
        if self.akte.schreibgeschuetzt:
            self.title = "Kooperationsplan ansehen (nur Ansicht)"

    # ---- form <-> model -------------------------------------------------------------
    def _formular_setzen(self, plan: Kooperationsplan) -> None:
        """Show ``plan``. Only fields whose value differs are set: after Übernehmen the cursor stays
        where it was (setting a text moves it to the start)."""
        for feld in AUSWAHLFELDER:
            wert = getattr(plan, feld)
            auswahl = self.query_one(f"#{feld}", Select)
            if auswahl.value != (neu := wert.value if wert else Select.NULL):
                auswahl.value = neu
        for feld in TEXTFELDER:
            textfeld = self.query_one(f"#{feld}", TextArea)
            if textfeld.text != (text := getattr(plan, feld)):
                textfeld.text = text
        for feld in DATUMSFELDER:
            wert = getattr(plan, feld)
            eingabe = self.query_one(f"#{feld}", Input)
            if eingabe.value != (text := UNBEGRENZT if wert == UNBEGRENZT else format_datum(wert)):
                eingabe.value = text
        self._gesperrt_gemerkt = {}
        self._beginn_bisher = plan.schlichtung_beginn
        self._sperre_gueltigkeit(plan.status is Status.NUR_AUFFORDERUNG, leeren=False)
        self._zeige_fehler({})
        self._sauber = self.formularwerte()
        self._ueberpruefung_anzeigen()
        self._hinweis_gueltig_bis()

    def formularwerte(self) -> dict[str, Any]:
        """The raw values as typed (strings, None for empty dropdowns)."""
        werte: dict[str, Any] = {}
        for feld in AUSWAHLFELDER:
            wert = self.query_one(f"#{feld}", Select).value
            werte[feld] = None if wert is Select.NULL else wert
        for feld in TEXTFELDER:
            werte[feld] = self.query_one(f"#{feld}", TextArea).text
        for feld in DATUMSFELDER:
            werte[feld] = self.query_one(f"#{feld}", Input).value.strip() or None
        return werte

    def offene_aenderungen(self) -> bool:
        if self.akte_offen and self.akte.schreibgeschuetzt:
            return False  # nothing typed here can be applied, so nothing is pending
        return bool(self._sauber) and self.formularwerte() != self._sauber

    def aktion_moeglich(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("uebernehmen", "uebernehmen_zurueck", "verwerfen") and self.akte_offen \
                and self.akte.schreibgeschuetzt:
            return None  # read-only Akte: shown dimmed
        if action == "editor":
            # Only where it acts (a free text has the cursor): keeps the 80-column footer readable.
            return isinstance(self.focused, TextArea) and self.focused.id in TEXT_LABELS
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    # ---- live behaviour of the fields ---------------------------------------------------
    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.has_class("druckauswahl"):
            for feld, _ in DRUCKAUSWAHL.values():
                self._zeige_fehler_feld(feld, "")
            return
        if event.select.id == "status":
            self._sperre_gueltigkeit(event.value == Status.NUR_AUFFORDERUNG.value, leeren=True)
            self._hinweis_gueltig_bis()
        self.app.aktualisiere_kopf()

    def _sperre_gueltigkeit(self, sperren: bool, leeren: bool) -> None:
        """§3.1: with "nur Aufforderung" the validity fields stay locked and empty."""
        for feld in ("gueltig_ab", "gueltig_bis"):
            eingabe = self.query_one(f"#{feld}", Input)
            if sperren and not eingabe.disabled:
                if leeren:
                    self._gesperrt_gemerkt[feld] = eingabe.value
                    eingabe.value = ""
                eingabe.disabled = True
            elif not sperren and eingabe.disabled:
                eingabe.disabled = False
                if leeren:
                    eingabe.value = self._gesperrt_gemerkt.pop(feld, "")
                if feld == "gueltig_bis" and not eingabe.value:
                    eingabe.value = UNBEGRENZT

    def on_input_changed(self, event: Input.Changed) -> None:
        feld = event.input.id or ""
        if event.validation_result is not None and not event.validation_result.is_valid:
            self._zeige_fehler_feld(feld, event.validation_result.failure_descriptions[0])
        else:
            self._zeige_fehler_feld(feld, "")
        if feld == "schlichtung_beginn":
            self._max_ende_nachfuehren(event.value)
        if feld in ("gueltig_ab", "ueberprueft_am"):
            self._ueberpruefung_anzeigen()
        if feld == "gueltig_bis":
            self._hinweis_gueltig_bis()

    def _max_ende_nachfuehren(self, beginn_text: str) -> None:
        """§3.3: max. Ende follows Beginn (four weeks) unless typed by hand (model.max_ende_folgt_beginn)."""
        ende = self.query_one("#schlichtung_max_ende", Input)
        try:
            beginn = parse_datum(beginn_text)
            bisher = parse_datum(ende.value)
        except DatumFehler:
            return  # Beginn half typed, or max. Ende not a date: that one is the user's
        neu = max_ende_folgt_beginn(self._beginn_bisher, beginn, bisher)
        self._beginn_bisher = beginn
        if neu != bisher:
            ende.value = format_datum(neu)

    def _hinweis_gueltig_bis(self) -> None:
        """§3.1 grey box: a new plan's gültig bis should be "unbegrenzt"; a date gets a hint, no refusal."""
        text = self.sitzung.hinweis_gueltig_bis(self.formularwerte()) if self.neuanlage else ""
        hinweis = self.query_one("#hinweis_gueltig_bis", Static)
        hinweis.update(text)
        hinweis.set_class(bool(text), "sichtbar")

    def _ueberpruefung_anzeigen(self) -> None:
        try:
            faellig = self.sitzung.ueberpruefung_faellig_am(self.formularwerte())
        except Abgelehnt:
            return  # half typed: the line stays as it was
        text = f"Überprüfung spätestens am {format_datum(faellig)} (§ 15 Abs. 3 SGB II: alle sechs Monate)" \
            if faellig else ""
        self.query_one("#ueberpruefung", Static).update(text)

    # ---- errors at the fields ---------------------------------------------------------------
    def _zeige_fehler(self, fehler: dict[str, str]) -> None:
        for feld in (*AUSWAHLFELDER, *TEXTFELDER, *DATUMSFELDER, GANZER_DATENSATZ):
            self._zeige_fehler_feld(feld, fehler.get(feld, ""))
        if fehler:
            erstes = next((f for f in (*AUSWAHLFELDER[:1], *TEXTFELDER[:3], *DATUMSFELDER, *AUSWAHLFELDER[1:],
                                       TEXTFELDER[3]) if f in fehler), None)
            if erstes:
                widget = self.query_one(f"#{erstes}")
                if not widget.disabled:
                    widget.focus()
            self.notify("\n".join(fehler.values()), title="Nicht übernommen", severity="error", timeout=8,
                        markup=False)

    # ---- Übernehmen / Verwerfen / Schließen ------------------------------------------------------
    def uebernehmen(self, danach: Callable[[], None] | None = None) -> bool:
        """Apply the form to the Akte; False (and messages at the fields) when refused."""
        try:
            vorschlaege = self.sitzung.plan_uebernehmen(self.akte, self.plan, self.formularwerte())
        except NurLesen as fehler:
            self.notify(str(fehler), title="Nur Ansicht", severity="warning", markup=False)
            return False
        except Abgelehnt as abgelehnt:
            self._zeige_fehler(abgelehnt.felder)
            return False
        self.plan, self.neu = self.akte.plan(self.plan.id), False
        self._formular_setzen(self.plan)
        self.title = "Kooperationsplan bearbeiten"
        self.notify("Übernommen. Final gespeichert wird mit Strg+S.", title="Übernehmen")
        self.app.aktualisiere_kopf()
        if vorschlaege:
            self._beenden_anbieten(vorschlaege, danach)
        elif danach:
            danach()
        return True

    def _beenden_anbieten(self, vorschlaege: list[Beendigungsvorschlag], danach: Callable[[], None] | None) -> None:
        """§3.1 BA rule: an older unbegrenzt plan is not ended automatically; offer to end it."""
        def antwort(wahl: str | None) -> None:
            if wahl == "ja":
                try:
                    self.sitzung.vorschlaege_anwenden(self.akte, vorschlaege)
                except Abgelehnt as abgelehnt:  # the older plan cannot end then (e.g. it begins later)
                    self.notify(str(abgelehnt), title="Nicht beendet", severity="error", timeout=10, markup=False)
                else:
                    self.notify("Älterer Plan beendet (übernommen, noch nicht gespeichert).")
            else:
                self.notify("Die Übersicht zeigt den Verstoß gegen die BA-Statistik-Regel rot an.",
                            severity="warning")
            self.app.aktualisiere_kopf()
            if danach:
                danach()

        liste = "\n".join(f"• {v.text()}" for v in vorschlaege)
        self.app.push_screen(AuswahlDialog(
            "BA-Statistik-Regel", "Es darf nur einen unbegrenzt gültigen Kooperationsplan geben. "
            f"Soll der ältere Plan am Vortag des neuen enden?\n{liste}", JA_NEIN_WAHL,
            standard=1, dialog_id="ba-vorschlag-dialog"), antwort)  # §3.1 ends old plans by hand: no reflex "Ja"

    def action_verwerfen(self) -> None:
        self._formular_setzen(self.plan)
        self.notify("Eingaben verworfen.")

    def action_editor(self) -> None:
        """§3.1: each free text opens in a full-screen editor (the pencil icon)."""
        from screens.texteditor import TextEditorScreen

        feld = self.focused
        if not isinstance(feld, TextArea) or feld.id not in TEXT_LABELS:
            return  # check_action offers F6 only in a free text

        def uebernehmen(text: str | None) -> None:
            if text is not None:
                feld.text = text
            feld.focus()

        self.app.push_screen(TextEditorScreen(TEXT_LABELS[feld.id], feld.text), uebernehmen)

    # ---- Drucken (§3.1 "Kooperationsplan drucken", §3.2, §3.3) -----------------------------------
    def _abschnitt_mit_cursor(self) -> Abschnitt | None:
        knoten = self.focused
        while knoten is not None and knoten is not self:
            for abschnitt, felder in ABSCHNITT_FELDER.items():
                if knoten.id in felder:
                    return abschnitt
            knoten = knoten.parent
        return None

    def gewaehlte_vorlage(self) -> Vorlage | None:
        """The template chosen in the section with the cursor, else the first chosen one (top to bottom)."""
        gewaehlt: dict[Abschnitt, str] = {}
        for abschnitt, (feld, _) in DRUCKAUSWAHL.items():
            wert = self.query_one(f"#{feld}", Select).value
            if wert is not Select.NULL:
                gewaehlt[abschnitt] = str(wert)
        if not gewaehlt:
            return None
        return vorlage(gewaehlt.get(self._abschnitt_mit_cursor()) or next(iter(gewaehlt.values())))

    def _ungespeichert(self) -> str:
        """Why printing must save first (§3.1), as a German sentence; empty when all is saved."""
        return self.sitzung.speichern_vor_drucken(self.akte, neuer_plan=self.neu,
                                                  eingaben_offen=self.offene_aenderungen())

    def action_drucken(self) -> None:
        """F7, the guide's print button: the document assistant for the chosen template; saves first."""
        gewaehlt = self.gewaehlte_vorlage()
        if gewaehlt is None:
            namen = ", ".join(f"„{label}“" for _, label in DRUCKAUSWAHL.values())
            meldung = f"Bitte zuerst eine Druckvorlage wählen ({namen}, jeweils am Ende des Abschnitts), dann F7."
            abschnitt = self._abschnitt_mit_cursor() or Abschnitt.KOOPERATIONSPLAN
            self._zeige_fehler_feld(DRUCKAUSWAHL[abschnitt][0], meldung)
            self.notify(meldung, title="Drucken", severity="warning", timeout=8)
            return
        grund = self._ungespeichert()
        if not grund:
            self._assistent_oeffnen(gewaehlt)
            return

        def speichern() -> None:  # a refused save shows its dialog and stops here
            self.app.alles_speichern(danach=lambda: self._assistent_oeffnen(gewaehlt))

        def antwort(wahl: str | None) -> None:
            if wahl != "speichern":
                return
            if self.neu or self.offene_aenderungen():
                self.uebernehmen(danach=speichern)  # a refusal shows at the fields and stops here
            else:
                speichern()

        self.app.push_screen(AuswahlDialog(
            "Vor dem Drucken speichern", f"{grund}\nBevor gedruckt wird, sollte der Kooperationsplan gespeichert "
            "werden (§3.1). Jetzt übernehmen, final speichern und dann drucken?",
            [("speichern", "Speichern und drucken"), ("abbrechen", "Abbrechen")],
            dialog_id="drucken-dialog"), antwort)

    def _assistent_oeffnen(self, gewaehlt: Vorlage) -> None:
        from screens.dokument_assistent import DokumentAssistent

        self.app.push_screen(DokumentAssistent(gewaehlt, self.akte.plan(self.plan.id)))

    # ---- hooks for the app -------------------------------------------------------------------
    def neu_geladen(self) -> bool:
        """The Akte was reloaded: show its stored plan. False (close the mask) when the stored Akte has
        no such plan; a new, never applied mask keeps what was typed, it overwrites nothing."""
        if self.neu:
            return True
        try:
            self.plan = self.akte.plan(self.plan.id)
        except KeyError:
            return False
        self._formular_setzen(self.plan)
        if self.akte.schreibgeschuetzt:
            self.title = "Kooperationsplan ansehen (nur Ansicht)"
        return True
