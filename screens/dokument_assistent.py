"""Assistent zur Dokumenterzeugung (guide §3.1 "Kooperationsplan drucken", §3.2, §3.3; issue 4).

Three steps, as in the guide: the check lists every value the letter will carry, marks missing
ones, and states refusals and hints → "Fertig" writes the Word document (a draft in the customer's
Ablage folder, path shown so it can be opened and checked) → "Ablegen" archives it, "Abbrechen"
deletes it. Esc is Abbrechen at every step; a draft is never left behind, also not when the screen
is left another way (F5, Strg+Q). Rendering and archiving run in worker threads: docxtpl and above
all LibreOffice (the PDF) take long enough to freeze the screen otherwise.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Label, Static

from kopl_tui.ablage import AblageErgebnis, Entwurf
from kopl_tui.briefe import Pruefung, Vorlage, VorlagenFehler, erzeugen, pruefen
from kopl_tui.briefkopf import BriefkopfFehler, briefkopf_laden
from kopl_tui.dateien import fehlertext
from kopl_tui.model import Kooperationsplan
from kopl_tui.store import StoreFehler
from screens.tasten import bindings

# Steps; the keys and buttons of each step follow from check_action.
PRUEFUNG, ERZEUGEN, ENTWURF, ABLEGEN, ABGELEGT = "pruefung", "erzeugen", "entwurf", "ablegen", "abgelegt"


class DokumentAssistent(Screen[AblageErgebnis | None]):
    """Returns the archive result after "Ablegen", None after "Abbrechen"."""

    CSS_PATH = "dokument_assistent.tcss"
    ORT = "assistent"
    BINDINGS = bindings("assistent")

    def __init__(self, vorlage: Vorlage, plan: Kooperationsplan):
        super().__init__()
        self.vorlage, self.plan = vorlage, plan
        self.pruefung: Pruefung | None = None
        self.schritt = PRUEFUNG
        self.entwurf: Entwurf | None = None
        self.ergebnis: AblageErgebnis | None = None
        self._verlassen = False

    # ---- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(f"Vorlage: {self.vorlage.titel}", id="vorlage")
        yield Static("", id="verweigert")  # above the list: on 80×24 it must not scroll out of sight
        with VerticalScroll(id="werte"):
            yield Static("", id="hinweise")
        yield Static("", id="datei")
        with Horizontal(id="knoepfe"):
            yield Button("F2 Fertig", id="fertig", variant="primary", compact=True)
            yield Button("F3 Ablegen", id="ablegen", variant="primary", compact=True)
            yield Button("Esc Abbrechen", id="abbrechen", compact=True)
            yield Button("Esc Schließen", id="schliessen", compact=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "Assistent zur Dokumenterzeugung"
        assert self.app.akte is not None
        kunde = self.app.akte.kunde
        self.sub_title = f"{kunde.name} · {kunde.kundennummer}"
        try:
            briefkopf = briefkopf_laden(self.app.store.data_dir)
        except BriefkopfFehler as fehler:
            self._zeige_meldungen([str(fehler)], [])
        else:
            self.pruefung = pruefen(self.vorlage, kunde, self.plan, briefkopf=briefkopf, datum=self.app.heute)
            self._zeige_pruefung(self.pruefung)
        self._schritt(PRUEFUNG)

    def _zeige_pruefung(self, pruefung: Pruefung) -> None:
        liste = self.query_one("#werte", VerticalScroll)
        zeilen = []
        for wert in pruefung.werte:
            text = "⚠ fehlt" if wert.fehlt else wert.text
            zeile = Horizontal(Label(wert.titel, classes="titel"), Static(text, classes="text", markup=False),
                               id=f"wert_{wert.schluessel}", classes="wert fehlt" if wert.fehlt else "wert")
            zeilen.append(zeile)
        liste.mount_all(zeilen, before="#hinweise")
        self._zeige_meldungen(pruefung.verweigert, pruefung.hinweise)

    def _zeige_meldungen(self, verweigert: list[str], hinweise: list[str]) -> None:
        feld = self.query_one("#verweigert", Static)
        feld.update("\n".join(f"✗ {text}" for text in verweigert))
        feld.display = bool(verweigert)
        self.query_one("#hinweise", Static).update("\n".join(f"• {text}" for text in hinweise))

    def _schritt(self, schritt: str) -> None:
        self.schritt = schritt
        sichtbar = {"fertig": (PRUEFUNG, ERZEUGEN), "ablegen": (ENTWURF, ABLEGEN),
                    "abbrechen": (PRUEFUNG, ERZEUGEN, ENTWURF, ABLEGEN), "schliessen": (ABGELEGT,)}
        for knopf, schritte in sichtbar.items():
            button = self.query_one(f"#{knopf}", Button)
            button.display = schritt in schritte
            button.disabled = self.check_action(knopf, ()) is not True
        aktiv = next((b for b in self.query("#knoepfe Button").results(Button) if b.display and not b.disabled),
                     None)
        if aktiv is not None:
            aktiv.focus()
        self.refresh_bindings()

    def _datei(self, text: str) -> None:
        """The box above the buttons: the draft's path and what happened to it (hidden until "Fertig")."""
        feld = self.query_one("#datei", Static)
        feld.update(text)
        feld.display = True

    @property
    def brief_moeglich(self) -> bool:
        return self.pruefung is not None and self.pruefung.ok

    # ---- keys and buttons ----------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "fertig":
            if self.schritt != PRUEFUNG:
                return False
            return True if self.brief_moeglich else None  # shown greyed: the refusal says why
        if action == "ablegen":
            return True if self.schritt == ENTWURF else (None if self.schritt == ABLEGEN else False)
        if action == "abbrechen":
            return True if self.schritt in (PRUEFUNG, ENTWURF) else (None if self.schritt != ABGELEGT else False)
        if action == "schliessen":
            return self.schritt == ABGELEGT
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and self.check_action(event.button.id, ()):
            getattr(self, f"action_{event.button.id}")()

    def action_fertig(self) -> None:
        """"Fertig": render and write the draft (guide: "wird das Word-Dokument geöffnet")."""
        if not self.brief_moeglich:
            self.notify("Der Brief kann so nicht erzeugt werden; die Gründe stehen in Rot.", severity="error")
            return
        self._schritt(ERZEUGEN)
        self._datei("Word-Dokument wird erzeugt …")
        self._erzeugen()

    def action_ablegen(self) -> None:
        if self.entwurf is None:
            return
        self._schritt(ABLEGEN)
        pdf = " und als PDF umgewandelt" if self.app.briefe_als_pdf else ""
        self._datei(f"{self.entwurf.pfad}\nwird abgelegt{pdf} …")
        self._ablegen(self.entwurf)

    def action_abbrechen(self) -> None:
        if self.entwurf is not None:
            nicht_geloescht = self.app.ablage.verwerfen(self.entwurf)
            self.entwurf = None
            if nicht_geloescht:
                self.notify(nicht_geloescht, title="Abgebrochen, nichts abgelegt", severity="warning", timeout=10)
            else:
                self.notify("Abgebrochen: das Word-Dokument wurde gelöscht, nichts abgelegt.", title="Drucken")
        self.dismiss(None)

    def action_schliessen(self) -> None:
        self.dismiss(self.ergebnis)

    # ---- workers --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="brief")
    def _erzeugen(self) -> None:
        assert self.pruefung is not None and self.app.akte is not None
        kundennummer = self.app.akte.kunde.kundennummer
        try:
            inhalt = erzeugen(self.pruefung)
            entwurf = self.app.ablage.entwurf_schreiben(kundennummer, self.vorlage, self.plan.id, inhalt,
                                                        self.app.heute)
        except (VorlagenFehler, StoreFehler, OSError) as fehler:
            self._aus_thread(self._nicht_erzeugt, fehlertext(fehler))
            return
        if not self._aus_thread(self._erzeugt, entwurf):
            self.app.ablage.verwerfen(entwurf)  # the app is gone: leave no draft behind

    def _erzeugt(self, entwurf: Entwurf) -> None:
        if self._verlassen:  # the screen was left meanwhile (F5, Strg+Q)
            self.app.ablage.verwerfen(entwurf)
            return
        self.entwurf = entwurf
        self._datei(
            f"Word-Dokument erzeugt: {entwurf.pfad}\nBitte öffnen und prüfen (manuell erforderliche Eingaben), "
            "dann F3 Ablegen oder Esc Abbrechen (die Datei wird dann gelöscht).")
        self._schritt(ENTWURF)

    def _nicht_erzeugt(self, meldung: str) -> None:
        if self._verlassen:
            return
        self._datei(f"Nicht erzeugt: {meldung}")
        self.notify(meldung, title="Brief nicht erzeugt", severity="error", timeout=10)
        self._schritt(PRUEFUNG)

    @work(thread=True, exclusive=True, group="brief")
    def _ablegen(self, entwurf: Entwurf) -> None:
        try:
            ergebnis = self.app.ablage.ablegen(entwurf, self.app.benutzer, pdf=self.app.briefe_als_pdf)
        except (StoreFehler, OSError) as fehler:
            self._aus_thread(self._nicht_abgelegt, fehlertext(fehler))
            return
        self._aus_thread(self._abgelegt, ergebnis)

    def _abgelegt(self, ergebnis: AblageErgebnis) -> None:
        if self._verlassen:  # archived all the same; say so on whatever screen is showing
            self.app.notify(f"{ergebnis.eintrag.titel} abgelegt: {ergebnis.docx}", title="Ablage")
            return
        self.entwurf, self.ergebnis = None, ergebnis
        zeilen = [f"Abgelegt: {ergebnis.docx}"]
        if ergebnis.pdf is not None:
            zeilen.append(f"PDF:      {ergebnis.pdf}")
        if ergebnis.pdf_hinweis:
            zeilen.append(ergebnis.pdf_hinweis)
            self.notify(ergebnis.pdf_hinweis, title="PDF", severity="warning", timeout=10)
        zeilen.append("Alle Dokumente des Kunden: in der Übersicht d (Dokumente).")
        self._datei("\n".join(zeilen))
        self.notify(f"{ergebnis.eintrag.titel} abgelegt.", title="Ablage")
        self._schritt(ABGELEGT)

    def _nicht_abgelegt(self, meldung: str) -> None:
        if self._verlassen:
            self.app.notify(meldung, title="Nicht abgelegt", severity="error", timeout=10)
            return
        self._datei(f"Nicht abgelegt: {meldung}")
        self.notify(meldung, title="Nicht abgelegt", severity="error", timeout=10)
        self._schritt(ENTWURF if self.entwurf is not None and self.entwurf.pfad.is_file() else PRUEFUNG)

    def _aus_thread(self, funktion, *argumente) -> bool:  # noqa: ANN001
        """Run ``funktion`` on the app's thread; False when the app is no longer running."""
        try:
            self.app.call_from_thread(funktion, *argumente)
        except RuntimeError:
            return False
        return True

    def on_unmount(self) -> None:
        """Left without Ablegen/Abbrechen (F5, Strg+Q): the draft is deleted, as with Abbrechen."""
        self._verlassen = True
        if self.schritt == ENTWURF and self.entwurf is not None:
            self.app.ablage.verwerfen(self.entwurf)
            self.entwurf = None
