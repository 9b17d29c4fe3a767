"""Assistent zur Dokumenterzeugung (guide §3.1 "Kooperationsplan drucken", §3.2, §3.3).

The guide's steps, without Word (staff work over SSH): the check lists every value the letter will
carry and asks for the template's Ergänzungen – what §3.2 has staff type into the Word document –
as checked inputs → F2 "Vorschau" shows the whole letter as it will print → F2 "Fertig" (refused
while a gap is left) writes the Word document (a draft in the customer's Ablage folder) → F3
"Ablegen" archives it with the values typed, "Abbrechen" deletes it. Esc is Abbrechen at every
step; a draft is never left behind, also not when the screen is left another way (F5, Strg+Q).
After "Ablegen" the letter can leave the app at once: F7 prints its PDF, F8 downloads it in the
browser (``screens.zustellung``).
Rendering and archiving run in worker threads: docxtpl and above all LibreOffice (the PDF) take
long enough to freeze the screen otherwise.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Button, ContentSwitcher, Footer, Header, Input, Label, Select, Static

from kopl_tui.fehler import BriefkopfFehler, ErgaenzungFehler, StoreFehler, VorlagenFehler
from kopl_tui.model import Kooperationsplan
from kopl_tui.sitzung import (
    LUECKEN_MUSTER,
    AblageErgebnis,
    Art,
    Brief,
    Briefkopf,
    Entwurf,
    Ergaenzung,
    ErgaenzungsWert,
    Pruefung,
    Vorlage,
)
from screens.auswahlfeld import Auswahlfeld
from screens.datum_input import DatumInput
from screens.tasten import bindings
from screens.zustellung import Zustellung

# Steps; the keys and buttons of each step follow from check_action.
PRUEFUNG, VORSCHAU_LAEDT, VORSCHAU = "pruefung", "vorschau_laedt", "vorschau"
ERZEUGEN, ENTWURF, ABLEGEN, ABGELEGT = "erzeugen", "entwurf", "ablegen", "abgelegt"
KNOEPFE = {  # button (= action) → the steps it is shown in
    "vorschau": (PRUEFUNG, VORSCHAU_LAEDT), "fertig": (VORSCHAU, ERZEUGEN), "zurueck": (VORSCHAU,),
    "ablegen": (ENTWURF, ABLEGEN), "abbrechen": (PRUEFUNG, VORSCHAU_LAEDT, VORSCHAU, ERZEUGEN, ENTWURF, ABLEGEN),
    "schliessen": (ABGELEGT,), "drucken": (ABGELEGT,), "herunterladen": (ABGELEGT,),
}
HINWEIS_VORSCHAU = ("F2 zeigt den ganzen Brief, wie er gedruckt wird: bitte dort prüfen (§3.2: „manuell "
                    "erforderliche Eingaben und Anpassungen“), dann F2 Fertig.")


def _kurz(marke: str) -> str:
    """A gap marker as the list above the preview names it: the missing Ergänzung's label."""
    return marke.removeprefix("[bitte ergänzen: ").removesuffix("]") if marke.startswith("[bitte ergänzen: ") \
        else marke


class _ErgaenzungPruefer(Validator):
    """The domain's reading of the value, so the field turns red exactly when the letter would refuse it."""

    def __init__(self, ergaenzung: Ergaenzung):
        super().__init__()
        self.ergaenzung = ergaenzung

    def validate(self, value: str) -> ValidationResult:
        try:
            self.ergaenzung.lesen(value)
        except ErgaenzungFehler as fehler:
            return self.failure(str(fehler))
        return self.success()


def _eingabe(ergaenzung: Ergaenzung) -> Widget:
    """Numbers as digits, dates as TT.MM.JJJJ (the project's date input), choices as a Select."""
    kennung = f"e_{ergaenzung.name}"
    if ergaenzung.art is Art.AUSWAHL:
        return Auswahlfeld([(w, w) for w in ergaenzung.auswahl], prompt="Bitte wählen", id=kennung, compact=True)
    if ergaenzung.art is Art.DATUM:
        return DatumInput(id=kennung)
    pruefer = [_ErgaenzungPruefer(ergaenzung)]
    if ergaenzung.art is Art.ZAHL:
        return Input(placeholder=ergaenzung.beispiel, restrict=r"\d*", max_length=6, validators=pruefer,
                     valid_empty=True, id=kennung, compact=True)
    return Input(placeholder=ergaenzung.beispiel, max_length=ergaenzung.max_laenge, validators=pruefer,
                 valid_empty=True, id=kennung, compact=True)


class DokumentAssistent(Zustellung[AblageErgebnis | None]):
    """Returns the archive result after "Ablegen", None after "Abbrechen"."""

    CSS_PATH = "dokument_assistent.tcss"
    ORT = "assistent"
    BINDINGS = bindings("assistent")

    def __init__(self, vorlage: Vorlage, plan: Kooperationsplan):
        super().__init__()
        self.vorlage, self.plan = vorlage, plan
        self.ergaenzungen = vorlage.ergaenzungen_fuer(plan)
        self.briefkopf: Briefkopf | None = None
        self.pruefung: Pruefung | None = None
        self.brief: Brief | None = None
        self.schritt = PRUEFUNG
        self.entwurf: Entwurf | None = None
        self.ergebnis: AblageErgebnis | None = None
        self._abgelegt_text = ""
        self._verlassen = False

    # ---- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(f"Vorlage: {self.vorlage.titel}", id="vorlage")
        yield Static("", id="verweigert")  # above the list: on 80×24 it must not scroll out of sight
        yield Static("", id="warnungen")
        with ContentSwitcher(initial="werte", id="inhalt"):
            with VerticalScroll(id="werte", can_focus=False):  # Tab goes input to input
                if self.ergaenzungen:
                    yield Label("Ergänzungen für diesen Brief", classes="abschnitt")
                for ergaenzung in self.ergaenzungen:
                    with Vertical(classes="ergaenzung", id=f"erg_{ergaenzung.name}"):
                        with Horizontal(classes="zeile"):
                            yield Label(ergaenzung.titel, classes="titel")
                            yield _eingabe(ergaenzung)
                        yield Static("", id=f"fehler_{ergaenzung.name}", classes="fehler", markup=False)
                yield Label("Aus Akte und Briefkopf", classes="abschnitt")
                yield Static("", id="hinweise")
            with VerticalScroll(id="vorschau_bereich") as vorschau:
                vorschau.border_title = "Vorschau: so wird der Brief gedruckt (↑/↓, Bild↑/Bild↓ blättern)"
                yield Static("", id="brieftext")
        yield Static("", id="datei")
        with Horizontal(id="knoepfe"):
            yield Button("F2 Vorschau", id="vorschau", variant="primary", compact=True)
            yield Button("F2 Fertig", id="fertig", variant="primary", compact=True)
            yield Button("F4 Zurück", id="zurueck", compact=True)
            yield Button("F3 Ablegen", id="ablegen", variant="primary", compact=True)
            yield Button("Esc Abbrechen", id="abbrechen", compact=True)
            yield Button("Esc Schließen", id="schliessen", compact=True)
            yield Button("F7 Drucken", id="drucken", variant="primary", compact=True)
            yield Button("F8 Herunterladen", id="herunterladen", compact=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "Assistent zur Dokumenterzeugung"
        kunde = self.akte.kunde
        self.sub_title = f"{kunde.name} · {kunde.kundennummer}"
        try:
            self.briefkopf = self.sitzung.briefkopf()
        except BriefkopfFehler as fehler:
            self._zeige_meldungen([str(fehler)], [], [])
        else:
            self._neu_pruefen()
            for warnung in self.pruefung.warnungen if self.pruefung else []:
                self.notify(warnung, title="Warnung", severity="warning", timeout=10, markup=False)
        self._schritt(PRUEFUNG)
        erste = next(iter(self.query(".ergaenzung Input, .ergaenzung Select")), None)
        if erste is not None and self.brief_moeglich:
            erste.focus()

    # ---- the check and the Ergänzungen -----------------------------------------------------
    def ergaenzungs_werte(self) -> tuple[dict[str, ErgaenzungsWert], dict[str, str]]:
        """The checked values typed so far, and the German message of each field that does not fit."""
        werte: dict[str, ErgaenzungsWert] = {}
        fehler: dict[str, str] = {}
        for ergaenzung in self.ergaenzungen:
            feld = self.query_one(f"#e_{ergaenzung.name}")
            if isinstance(feld, Select):
                roh = "" if feld.value is Select.NULL else str(feld.value)
            else:
                assert isinstance(feld, Input)
                roh = feld.value
            try:
                wert = ergaenzung.lesen(roh)
            except ErgaenzungFehler as meldung:
                fehler[ergaenzung.name] = str(meldung)
                continue
            if wert is not None:
                werte[ergaenzung.name] = wert
        return werte, fehler

    def _neu_pruefen(self) -> None:
        """Check again with the Ergänzungen as typed (a Beginn in the past is a refusal, for example)."""
        assert self.briefkopf is not None
        werte, fehler = self.ergaenzungs_werte()
        self.pruefung = self.sitzung.brief_pruefen(self.vorlage, self.akte.kunde, self.plan, self.briefkopf, werte)
        for ergaenzung in self.ergaenzungen:  # the message at the field it concerns
            meldung = fehler.get(ergaenzung.name) or next(
                (m for m in self.pruefung.verweigert if m.startswith(f"„{ergaenzung.titel}“ (")), "")
            feld = self.query_one(f"#fehler_{ergaenzung.name}", Static)
            feld.update(meldung)
            feld.display = bool(meldung)
        self._zeige_pruefung(self.pruefung)

    def _ergaenzung_geaendert(self, feld: Widget) -> None:
        if feld.id and feld.id.startswith("e_") and self.schritt == PRUEFUNG and self.briefkopf is not None:
            self._neu_pruefen()
            self._schritt(PRUEFUNG)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._ergaenzung_geaendert(event.input)

    def on_select_changed(self, event: Select.Changed) -> None:
        self._ergaenzung_geaendert(event.select)

    def _zeige_pruefung(self, pruefung: Pruefung) -> None:
        liste = self.query_one("#werte", VerticalScroll)
        for wert in pruefung.werte:
            text = "⚠ fehlt" if wert.fehlt else wert.text
            vorhanden = liste.query(f"#wert_{wert.schluessel}")
            if vorhanden:
                vorhanden.first().query_one(".text", Static).update(text)
                continue
            zeile = Horizontal(Label(wert.titel, classes="titel"), Static(text, classes="text", markup=False),
                               id=f"wert_{wert.schluessel}", classes="wert fehlt" if wert.fehlt else "wert")
            liste.mount(zeile, before="#hinweise")
        self._zeige_meldungen(pruefung.verweigert, pruefung.warnungen,
                              [*pruefung.hinweise, HINWEIS_VORSCHAU] if pruefung.ok else pruefung.hinweise)

    def _zeige_meldungen(self, verweigert: list[str], warnungen: list[str], hinweise: list[str]) -> None:
        feld = self.query_one("#verweigert", Static)
        feld.update(Content("\n".join(f"✗ {text}" for text in verweigert)))
        feld.display = bool(verweigert)
        warn = self.query_one("#warnungen", Static)
        warn.update(Content("\n".join(f"⚠ {text}" for text in warnungen)))
        warn.display = bool(warnungen)
        self.query_one("#hinweise", Static).update(Content("\n".join(f"• {text}" for text in hinweise)))

    # ---- steps ---------------------------------------------------------------------------
    def _schritt(self, schritt: str) -> None:
        self.schritt = schritt
        self.query_one("#inhalt", ContentSwitcher).current = "werte" if schritt == PRUEFUNG else "vorschau_bereich"
        for knopf, schritte in KNOEPFE.items():
            button = self.query_one(f"#{knopf}", Button)
            button.display = schritt in schritte and self.check_action(knopf, ()) is not False
            button.disabled = self.check_action(knopf, ()) is not True
        if schritt in (VORSCHAU, ENTWURF):  # arrows and PageUp/PageDown scroll the letter
            self.query_one("#vorschau_bereich").focus()
        elif not (schritt == PRUEFUNG and isinstance(self.focused, Input | Select)):
            aktiv = next((b for b in self.query("#knoepfe Button").results(Button) if b.display and not b.disabled),
                         None)
            if aktiv is not None:
                aktiv.focus()
        self.refresh_bindings()

    def _datei(self, text: str) -> None:
        """The box above the buttons: the draft's path and what happened to it (hidden until "Fertig")."""
        feld = self.query_one("#datei", Static)
        feld.update(Content(text))
        feld.display = bool(text)

    @property
    def brief_moeglich(self) -> bool:
        return self.pruefung is not None and self.pruefung.ok

    # ---- keys and buttons ----------------------------------------------------------------
    def aktion_moeglich(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in KNOEPFE and self.schritt not in KNOEPFE[action]:
            return False
        if action == "vorschau":
            return True if self.schritt == PRUEFUNG and self.brief_moeglich else None  # greyed: the refusal says why
        if action == "fertig":
            return True if self.schritt == VORSCHAU and self.brief is not None and not self.brief.gruende else None
        if action == "ablegen":
            return True if self.schritt == ENTWURF else None
        if action == "abbrechen":
            return True if self.schritt in (PRUEFUNG, VORSCHAU, ENTWURF) else None
        if action == "drucken":  # greyed while printing, and without a PDF (the file box says why)
            return True if self.ergebnis is not None and self.ergebnis.pdf is not None and not self.druckt else None
        if action == "herunterladen":
            return self.app.is_web  # in a terminal there is no browser to download into
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and self.check_action(event.button.id, ()):
            getattr(self, f"action_{event.button.id}")()

    def action_vorschau(self) -> None:
        """F2 in the check: the whole letter as it will print, before "Fertig"."""
        _, fehler = self.ergaenzungs_werte()
        if fehler:
            erstes = next(iter(fehler))
            self.query_one(f"#e_{erstes}").focus()
            self.notify(fehler[erstes], title="Eingabe prüfen", severity="error", markup=False)
            return
        self._neu_pruefen()
        if not self.brief_moeglich:
            self._schritt(PRUEFUNG)
            self.notify("Der Brief kann so nicht erzeugt werden; die Gründe stehen in Rot.", severity="error")
            return
        self._schritt(VORSCHAU_LAEDT)
        self.query_one("#brieftext", Static).update("Der Brief wird zusammengestellt …")
        self._entwerfen()

    def action_zurueck(self) -> None:
        """F4 in the preview: back to the Ergänzungen (nothing written yet)."""
        self.brief = None
        self._datei("")
        self._schritt(PRUEFUNG)
        assert self.pruefung is not None
        self._zeige_pruefung(self.pruefung)
        erste = next(iter(self.query(".ergaenzung Input, .ergaenzung Select")), None)
        if erste is not None:
            erste.focus()

    def action_fertig(self) -> None:
        """"Fertig": write the previewed letter as the Word document (refused while a gap is left)."""
        if self.brief is None or self.brief.gruende:
            self.notify("Der Brief hat noch Lücken (rot markiert): F4 Zurück und ergänzen.", severity="error")
            return
        self._schritt(ERZEUGEN)
        self._datei("Word-Dokument wird geschrieben …")
        self._erzeugen(self.brief)

    def action_ablegen(self) -> None:
        if self.entwurf is None:
            return
        self._schritt(ABLEGEN)
        pdf = " und als PDF umgewandelt" if self.app.briefe_als_pdf else ""
        self._datei(f"{self.entwurf.pfad}\nwird abgelegt{pdf} …")
        self._ablegen(self.entwurf)

    def action_abbrechen(self) -> None:
        if self.entwurf is not None:
            nicht_geloescht = self.sitzung.entwurf_verwerfen(self.entwurf)
            self.entwurf = None
            if nicht_geloescht:
                self.notify(nicht_geloescht, title="Abgebrochen, nichts abgelegt", severity="warning", timeout=10,
                            markup=False)
            else:
                self.notify("Abgebrochen: das Word-Dokument wurde gelöscht, nichts abgelegt.", title="Drucken")
        self.dismiss(None)

    def action_schliessen(self) -> None:
        self.dismiss(self.ergebnis)

    def action_drucken(self) -> None:
        if self.ergebnis is not None and self.check_action("drucken", ()):
            self.drucken_starten(self.ergebnis.eintrag)

    def action_herunterladen(self) -> None:
        if self.ergebnis is not None and self.check_action("herunterladen", ()):
            self.herunterladen_fragen(self.ergebnis.eintrag)

    def zustellung_zeigen(self, text: str, fehler: bool = False) -> None:
        """Below what was filed: the print's job id or error, the download's file name."""
        self._datei(f"{self._abgelegt_text}\n{text}")
        self.query_one("#drucken", Button).disabled = self.check_action("drucken", ()) is not True  # while printing

    # ---- workers --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="brief")
    def _entwerfen(self) -> None:
        assert self.pruefung is not None
        try:
            brief = self.sitzung.brief_entwerfen(self.pruefung)
        except VorlagenFehler as fehler:
            self._aus_thread(self._nicht_erzeugt, str(fehler))
            return
        self._aus_thread(self._vorschau_zeigen, brief)

    def _vorschau_zeigen(self, brief: Brief) -> None:
        if self._verlassen:
            return
        self.brief = brief
        text = Content(brief.text).highlight_regex(LUECKEN_MUSTER, style="bold $text-error on $error-muted")
        self.query_one("#brieftext", Static).update(text)
        self.query_one("#vorschau_bereich", VerticalScroll).scroll_home(animate=False)
        offen = [f"Noch offen im Brief: {', '.join(_kurz(m) for m in brief.luecken)} – F4 Zurück zum Ergänzen."
                 ] if brief.luecken else []
        self._zeige_meldungen([*brief.pruefung.verweigert, *offen], brief.pruefung.warnungen, [])
        self._schritt(VORSCHAU)

    @work(thread=True, exclusive=True, group="brief")
    def _erzeugen(self, brief: Brief) -> None:
        try:
            entwurf = self.sitzung.entwurf_schreiben(self._kundennummer, self.vorlage, self.plan.id, brief)
        except (VorlagenFehler, StoreFehler) as fehler:
            self._aus_thread(self._nicht_erzeugt, str(fehler))
            return
        if not self._aus_thread(self._erzeugt, entwurf):
            self.sitzung.entwurf_verwerfen(entwurf)  # the app is gone: leave no draft behind

    def _erzeugt(self, entwurf: Entwurf) -> None:
        if self._verlassen:  # the screen was left meanwhile (F5, Strg+Q)
            self.sitzung.entwurf_verwerfen(entwurf)
            return
        self.entwurf = entwurf
        self._datei(f"Word-Dokument erzeugt: {entwurf.pfad}\nF3 Ablegen oder Esc Abbrechen (die Datei wird dann "
                    "gelöscht).")
        self._schritt(ENTWURF)

    def _nicht_erzeugt(self, meldung: str) -> None:
        if self._verlassen:
            return
        self._datei(f"Nicht erzeugt: {meldung}")
        self.notify(meldung, title="Brief nicht erzeugt", severity="error", timeout=10, markup=False)
        self._schritt(VORSCHAU if self.brief is not None else PRUEFUNG)

    @work(thread=True, exclusive=True, group="brief")
    def _ablegen(self, entwurf: Entwurf) -> None:
        try:
            ergebnis = self.sitzung.entwurf_ablegen(entwurf)
        except (VorlagenFehler, StoreFehler) as fehler:
            self._aus_thread(self._nicht_abgelegt, str(fehler))
            return
        self._aus_thread(self._abgelegt, ergebnis)

    def _abgelegt(self, ergebnis: AblageErgebnis) -> None:
        if self._verlassen:  # archived all the same; say so on whatever screen is showing
            self.app.notify(f"{ergebnis.eintrag.titel} abgelegt: {ergebnis.docx}", title="Ablage", markup=False)
            return
        self.entwurf, self.ergebnis = None, ergebnis
        zeilen = [f"Abgelegt: {ergebnis.docx}"]
        if ergebnis.pdf is not None:
            zeilen.append(f"PDF:      {ergebnis.pdf}")
        if ergebnis.pdf_hinweis:
            zeilen.append(ergebnis.pdf_hinweis)
            self.notify(ergebnis.pdf_hinweis, title="PDF", severity="warning", timeout=10, markup=False)
        zeilen.append(self.druck_hinweis(ergebnis.eintrag))
        if self.app.is_web:
            zeilen.append("Herunterladen (F8): PDF oder Word-Dokument in den Browser.")
        zeilen.append("Alle Dokumente des Kunden: in der Übersicht d (Dokumente).")
        self._abgelegt_text = "\n".join(zeilen)
        self._datei(self._abgelegt_text)
        self.notify(f"{ergebnis.eintrag.titel} abgelegt.", title="Ablage")
        self._schritt(ABGELEGT)

    def _nicht_abgelegt(self, meldung: str) -> None:
        if self._verlassen:
            self.app.notify(meldung, title="Nicht abgelegt", severity="error", timeout=10, markup=False)
            return
        self._datei(f"Nicht abgelegt: {meldung}")
        self.notify(meldung, title="Nicht abgelegt", severity="error", timeout=10, markup=False)
        self._schritt(ENTWURF if self.entwurf is not None and self.entwurf.pfad.is_file() else PRUEFUNG)

    def on_unmount(self) -> None:
        """Left without Ablegen/Abbrechen (F5, Strg+Q): the draft is deleted, as with Abbrechen."""
        self._verlassen = True
        if self.schritt == ENTWURF and self.entwurf is not None:
            self.sitzung.entwurf_verwerfen(self.entwurf)
            self.entwurf = None
