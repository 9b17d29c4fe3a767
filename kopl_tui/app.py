"""The Textual App shell: global keys, the one open Kundenakte, final save, quitting.

The only module of kopl_tui besides kopl_tui/ausgabe.py (how it writes to the terminal) that
imports Textual. The domain is reached through the session facade (``app.sitzung``,
kopl_tui/sitzung.py) and the open Kundenakte (``app.akte``); what happens to the Akte is told to the
screens with the messages of screens/nachrichten.py. Opening an Akte and the final save wait for
short file locks: they run in thread workers, and the UI stays responsive.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.content import Content
from textual.screen import Screen
from textual.theme import ThemeProvider

from kopl_tui.ausgabe import KoplAusgabe
from kopl_tui.serve import TITEL, browser_titel
from kopl_tui.sitzung import Kundenliste, Sitzung
from screens.auswahl_dialog import BEENDEN_WAHL, JA_NEIN_WAHL, OK_WAHL, AuswahlDialog
from screens.basis import KoplModal, KoplScreen
from screens.nachrichten import AkteGeaendert, AkteGeschlossen
from screens.tasten import bindings
from screens.tastenfolge import Tastenfolge

# Opening or saving that has not finished after this many seconds (a file lock held by another
# session) says so in the header; quicker ones never change the picture.
WARTEN_ZEIGEN_AB = 0.3

if TYPE_CHECKING:  # pydantic and TinyDB load after the customer list is shown (README "Kapazität": start-up)
    from kopl_tui.ablage import Ablage
    from kopl_tui.akte import Kundenakte
    from kopl_tui.fehler import StoreFehler
    from kopl_tui.model import Kunde
    from kopl_tui.sitzung import Gespeichert
    from kopl_tui.datenort import Datenort
    from kopl_tui.speicher import Speicher


WAEHREND_WARTEN = ("hilfe", "command_palette")  # actions while an Akte is opened or saved


class KoplApp(Tastenfolge, KoplAusgabe, App[None], inherit_bindings=False):
    CSS_PATH = "app.tcss"
    TITLE = TITEL
    BINDINGS = bindings("app")
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, data_dir: Path | Datenort | None = None, benutzer: str | None = None, heute: date | None = None,
                 blinken: bool = False, sitzung: Sitzung | None = None):
        super().__init__()
        if sitzung is None:
            assert data_dir is not None
            sitzung = Sitzung(data_dir, benutzer, heute)
        self.sitzung = sitzung
        self.blinken = blinken
        self.akte: Kundenakte | None = None
        self._akte_basis = 1  # screens below the open Akte (the Prüfliste stays when the Akte closes)
        self._wartet_auf: str | None = None  # what an Akte worker does now ("Öffnen", "Speichern")
        if self.schulung:
            self.title = f"{self.TITLE} – SCHULUNG"
            self.add_class("-schulung")
        self._browser_titel = ""
        self._schleife: asyncio.AbstractEventLoop | None = None  # set on mount

    # ---- the session (kopl_tui/sitzung.py) --------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        return self.sitzung.data_dir

    @property
    def benutzer(self) -> str:
        return self.sitzung.benutzer

    @property
    def heute(self) -> date:
        return self.sitzung.heute

    @property
    def schulung(self) -> bool:
        return self.sitzung.schulung

    @property
    def store(self) -> Speicher:
        return self.sitzung.store

    @property
    def ablage(self) -> Ablage:
        return self.sitzung.ablage

    @property
    def briefe_als_pdf(self) -> bool:
        return self.sitzung.briefe_als_pdf

    @briefe_als_pdf.setter
    def briefe_als_pdf(self, wert: bool) -> None:
        self.sitzung.briefe_als_pdf = wert

    @property
    def wartet(self) -> bool:
        """An Akte is being opened or saved in a worker: keys for it wait meanwhile (``taste_jetzt``)."""
        return self._wartet_auf is not None

    def taste_jetzt(self, taste: events.Key | events.Paste) -> bool:
        """While an Akte is opened or saved, keys typed ahead wait for the screen that comes next —
        except F1/Strg+P (help to read meanwhile) and keys for a screen opened while waiting (the help)."""
        if not self.wartet or self.screen is not self._warten_auf_screen:
            return True
        if not isinstance(taste, events.Key):
            return False
        gebunden = self.active_bindings.get(taste.key)
        return gebunden is not None and gebunden.binding.action in WAEHREND_WARTEN

    def kunden(self) -> Kundenliste:
        """The customer index as the session holds it; a problem reading it is said once."""
        liste, meldungen = self.sitzung.kundenliste()
        for meldung in meldungen:
            self.notify(meldung.text, title=meldung.titel, severity="error" if meldung.fehler else "warning",
                        timeout=15, markup=False)
        return liste

    def get_default_screen(self) -> Screen:
        from screens.kundenliste import KundenlisteScreen

        return KundenlisteScreen()

    def on_mount(self) -> None:
        self._schleife = asyncio.get_running_loop()
        self.aktualisiere_kopf()
        # Half a second after start, when the list is long on screen: its ~0.15 s of imports would
        # otherwise share the interpreter with drawing the first frame (README "Kapazität").
        self.set_timer(0.5, lambda: self.run_worker(self._vorladen, thread=True, exit_on_error=False))

    def von_aussen_beenden(self, return_code: int) -> None:
        """End the app from another thread (the terminal watch, kopl_tui/terminal.py); never blocks,
        also not when the app's loop is stuck."""
        schleife = self._schleife
        if schleife is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed already: the app is ending
                schleife.call_soon_threadsafe(self.exit, None, return_code)

    def on_unmount(self) -> None:
        if self.akte is not None:
            self.akte.schliessen()

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        """A download in the browser (F8) broke off; Textual tells only the App, so it is said here."""
        self.notify(f"Herunterladen von {event.name or 'der Datei'} fehlgeschlagen: {event.exception}",
                    title="Herunterladen", severity="error", timeout=10, markup=False)

    def format_title(self, title: str, sub_title: str) -> Content:
        """Training data is never mistaken for live data: "SCHULUNG" in every screen's header."""
        if self.schulung and "SCHULUNG" not in title:
            title = f"{title} – SCHULUNG"
        return super().format_title(title, sub_title)

    def _vorladen(self) -> None:
        """In a thread, while the user reads the list: what opening an Akte needs (pydantic, TinyDB,
        the overview screen), the data folder (created, stale temp files removed), the list's cache."""
        import screens.uebersicht  # noqa: F401

        self.sitzung.vorbereiten()
        # Everything loaded so far (~100,000 objects: Textual, pydantic, the customer list) lives as
        # long as the app; frozen, a full garbage collection no longer scans it: 60 ms less at the
        # keystroke it happens to fall on (README "Kapazität").
        gc.collect()
        gc.freeze()

    def aktualisiere_kopf(self) -> None:
        """Header: the open customer and whether the Akte has unsaved changes (§5)."""
        if self.akte is None:
            self.sub_title = f"Benutzer: {self.benutzer}"
        else:
            kunde = self.akte.kunde
            # State and Kundennummer first: a narrow terminal truncates the header from the right.
            zustand = "● ungespeichert" if self._offene_arbeit() else "gespeichert"
            if self.akte.schreibgeschuetzt:
                zustand = "NUR ANSICHT"
            self.sub_title = f"{zustand} · {kunde.kundennummer} · {kunde.name}"
        if self._wartet_auf is not None and self._warten_gezeigt:
            self.sub_title = f"⏳ {self._wartet_auf} … (wartet auf die Datei; F1 Hilfe geht) · {self.sub_title}"
        self.refresh_bindings()
        self._browser_titel_melden()

    def _browser_titel_melden(self) -> None:
        """In the browser (kopl-tui serve) the page shows this as the tab title and asks before it is
        left while the title marks unsaved work (kopl_tui/web/app_index.html). The title goes to the
        terminal as OSC 2, through the driver as Textual itself sends OSC 52 (clipboard); a terminal
        over SSH keeps its own title."""
        if not self.is_web:
            return
        titel = browser_titel(self.benutzer, self.schulung, ungespeichert=self._offene_arbeit())
        if titel != self._browser_titel:
            self._browser_titel = titel
            self._driver.write(f"\x1b]2;{titel}\x07")

    # Typing in the mask is unsaved work before anything is applied: the page must know at once.
    def on_input_changed(self) -> None:
        self._browser_titel_melden()

    def on_text_area_changed(self) -> None:
        self._browser_titel_melden()

    def on_select_changed(self) -> None:
        self._browser_titel_melden()

    # ---- waiting for an Akte (file locks) ---------------------------------------------------------
    def _warten_beginnen(self, was: str) -> None:
        """An Akte worker starts: keys typed on this screen wait for it; after ``WARTEN_ZEIGEN_AB`` the
        header says what the app waits for."""
        self._wartet_auf, self._warten_gezeigt = was, False
        self._warten_auf_screen = self.screen

        def zeigen() -> None:
            if self._wartet_auf == was:
                self._warten_gezeigt = True
                self.aktualisiere_kopf()

        self._warten_timer = self.set_timer(WARTEN_ZEIGEN_AB, zeigen)

    def _warten_beenden(self, tasten_verwerfen: bool = False) -> None:
        """The worker is done. Keys typed meanwhile go on once the screen that follows is there —
        unless the outcome could not be foreseen (an error): then they are dropped, never a blind
        answer to a dialog the user has not seen."""
        gezeigt = self._warten_gezeigt
        self._wartet_auf, self._warten_gezeigt = None, False
        self._warten_timer.stop()
        if gezeigt:
            self.aktualisiere_kopf()
        if tasten_verwerfen:
            self.tasten_verwerfen()
        self.tasten_freigeben()

    _warten_gezeigt = False
    _warten_auf_screen: Screen | None = None

    def _aus_worker(self, funktion: Callable[..., None], *argumente: object) -> bool:
        """Run ``funktion`` on the app's thread and wait for it; False when the app has ended."""
        try:
            self.call_from_thread(funktion, *argumente)
        except RuntimeError:
            return False
        return True

    # ---- Kundenakte ---------------------------------------------------------
    def akte_oeffnen(self, kunde: Kunde, plan_id: str | None = None) -> None:
        """Open the Akte at the overview; ``plan_id`` is the row to mark first (from the Prüfliste).
        Taking the edit lock waits for short file locks: a worker does it."""
        if self.wartet or self.akte is not None:
            return
        self._warten_beginnen(f"Akte {kunde.kundennummer} wird geöffnet")
        self._oeffnen(kunde, plan_id)

    @work(thread=True, group="akte", exit_on_error=False)
    def _oeffnen(self, kunde: Kunde, plan_id: str | None) -> None:
        from kopl_tui.fehler import StoreFehler

        try:
            akte = self.sitzung.akte_oeffnen(kunde)
        except StoreFehler as fehler:
            self._aus_worker(self._nicht_geoeffnet, fehler)
            return
        except Exception as fehler:  # noqa: BLE001 - said in German, never a traceback
            self._aus_worker(self._nicht_geoeffnet, StoreFehler(f"Unerwarteter Fehler beim Öffnen: {fehler}"))
            return
        if not self._aus_worker(self._geoeffnet, akte, plan_id):
            akte.schliessen()  # the app has ended meanwhile: give the edit lock back

    def _nicht_geoeffnet(self, fehler: StoreFehler) -> None:
        self._warten_beenden(tasten_verwerfen=True)
        self.push_screen(AuswahlDialog("Akte kann nicht geöffnet werden", str(fehler), OK_WAHL,
                                       dialog_id="oeffnen-fehler"))

    def _geoeffnet(self, akte: Kundenakte, plan_id: str | None) -> None:
        from screens.hilfe import HilfeScreen
        from screens.uebersicht import UebersichtScreen

        self._warten_beenden()
        while isinstance(self.screen, HilfeScreen):  # read while waiting: the Akte comes in its place
            self.pop_screen()
        self.akte = akte
        if akte.schreibgeschuetzt:
            self.notify(f"{akte.grund} Sie können die Akte ansehen, aber nicht ändern.", title="Nur Ansicht",
                        severity="warning", timeout=10, markup=False)  # grund names the lock holder
        # The header follows from the overview's aktualisieren(): refreshing the bindings here would
        # rebuild the footer of the list that is about to be covered (README "Kapazität").
        if not self.is_screen_installed("uebersicht"):  # built once, refilled for each Akte on resume:
            self.install_screen(UebersichtScreen(), "uebersicht")  # a new one costs ~40 ms
        uebersicht = self.get_screen("uebersicht")
        assert isinstance(uebersicht, UebersichtScreen)
        uebersicht.beginnen_bei(plan_id)
        self._akte_basis = len(self.screen_stack)
        self.push_screen(uebersicht)

    def akte_schliessen(self) -> None:
        """Leave the Akte back to the customer list; asks first when it has unsaved changes."""
        def schliessen() -> None:
            if self.akte is None:
                return
            kundennummer = self.akte.kunde.kundennummer
            self.akte.schliessen()  # gives the edit lock back
            self.akte = None
            while len(self.screen_stack) > max(self._akte_basis, 1):
                self.pop_screen()
            for screen in self.screen_stack:
                screen.post_message(AkteGeschlossen(kundennummer))
            self.call_after_refresh(self.aktualisiere_kopf)  # once the list is back (its footer)

        if self.akte is not None and self.akte.ungespeichert:
            self._frage_speichern(schliessen)
        else:
            schliessen()

    def _kopl_screens(self) -> list[KoplScreen]:
        return [s for s in self.screen_stack if isinstance(s, KoplScreen)]

    def _offene_arbeit(self) -> bool:
        return self.akte is not None and (self.akte.ungespeichert or
                                          any(s.offene_aenderungen() for s in self._kopl_screens()))

    def _frage_speichern(self, danach: Callable[[], None]) -> None:
        """Speichern / Verwerfen / Abbrechen for an Akte with unsaved changes."""
        def antwort(wahl: str | None) -> None:
            if wahl == "speichern":
                self.alles_speichern(danach)
            elif wahl == "verwerfen":
                if self.akte is not None:
                    self.akte.alles_verwerfen()
                danach()

        assert self.akte is not None
        self.push_screen(AuswahlDialog(
            "Ungespeicherte Änderungen",
            f"Die Kundenakte {self.akte.kunde.name} hat ungespeicherte Änderungen. Was soll geschehen?",
            BEENDEN_WAHL, dialog_id="beenden-dialog"), antwort)

    # ---- final save (§5) -------------------------------------------------------
    def action_speichern(self) -> None:
        if self.akte is None:
            self.notify("Keine Kundenakte geöffnet.", severity="warning")
            return
        self.alles_speichern()

    def alles_speichern(self, danach: Callable[[], None] | None = None) -> None:
        """Open input in the mask and deletion marks in the overview are applied first (each may ask,
        e.g. the BA-rule offer); any refusal stops the chain, so nothing half-checked is saved. The
        save itself runs in a worker; ``danach`` follows a successful one."""
        if self.wartet:
            return
        offene = list(reversed(self._kopl_screens()))

        def schritt(i: int) -> None:
            if i < len(offene):
                offene[i].offenes_uebernehmen(lambda: schritt(i + 1))
            else:
                self.speichern_ausfuehren(danach)

        schritt(0)

    def speichern_ausfuehren(self, danach: Callable[[], None] | None = None) -> None:
        """Write the Akte (a worker: the store waits for the Akte file's short lock)."""
        assert self.akte is not None
        self._warten_beginnen("Speichern")
        self._speichern(self.akte, danach)

    @work(thread=True, group="akte", exit_on_error=False)
    def _speichern(self, akte: Kundenakte, danach: Callable[[], None] | None) -> None:
        from kopl_tui.fehler import (
            BaRegelVerletzt,
            NurLesen,
            SperreVerloren,
            StoreFehler,
            VersionKonflikt,
        )

        try:
            gespeichert = self.sitzung.speichern(akte)
        except (BaRegelVerletzt, SperreVerloren, NurLesen, VersionKonflikt, StoreFehler) as fehler:
            self._aus_worker(self._nicht_gespeichert, fehler)
            return
        except Exception as fehler:  # noqa: BLE001 - said in German, never a traceback; nothing was written
            self._aus_worker(self._nicht_gespeichert, StoreFehler(f"Unerwarteter Fehler beim Speichern: {fehler}"))
            return
        self._aus_worker(self._gespeichert, gespeichert, danach)

    def _gespeichert(self, gespeichert: Gespeichert, danach: Callable[[], None] | None) -> None:
        self._warten_beenden()
        if gespeichert.stammdaten_nachzutragen:
            self.notify("Die Stammdaten sind mit der Akte gespeichert, aber noch nicht in der Kundenliste "
                        "(kunden.json ließ sich gerade nicht schreiben). Sie werden beim nächsten Öffnen der Akte "
                        "nachgetragen.", title="Kundenliste", severity="warning", timeout=15)
        self.notify(f"Kundenakte {gespeichert.kundennummer} gespeichert.", title="Gespeichert")
        self._aktualisiere_screens()
        if danach is not None:
            danach()

    def _nicht_gespeichert(self, fehler: Exception) -> None:
        from kopl_tui.fehler import BaRegelVerletzt, NurLesen, SperreVerloren, VersionKonflikt

        self._warten_beenden(tasten_verwerfen=True)
        if isinstance(fehler, BaRegelVerletzt):
            self.push_screen(AuswahlDialog("Speichern abgelehnt: BA-Statistik-Regel", str(fehler), OK_WAHL,
                                           dialog_id="ba-dialog"))
            self._aktualisiere_screens()
        elif isinstance(fehler, SperreVerloren):  # the Akte is read-only now and shows the stored state
            self._nach_neu_laden(AuswahlDialog("Bearbeitungssperre verloren", str(fehler), OK_WAHL,
                                               dialog_id="sperre-verloren-dialog"))
        elif isinstance(fehler, NurLesen):
            self.notify(str(fehler), title="Nur Ansicht", severity="warning")
        elif isinstance(fehler, VersionKonflikt):
            self.push_screen(AuswahlDialog("Akte wurde inzwischen geändert", f"{fehler}\n\nJetzt neu laden? "
                                           "Ihre ungespeicherten Änderungen gehen dabei verloren.", JA_NEIN_WAHL,
                                           standard=1, dialog_id="konflikt-dialog"), self._neu_laden_wenn_ja)
        else:  # nothing was written; the working copy stays as it is
            self.push_screen(AuswahlDialog("Speichern fehlgeschlagen", str(fehler), OK_WAHL,
                                           dialog_id="speichern-fehler"))

    def _neu_laden_wenn_ja(self, wahl: str | None) -> None:
        from kopl_tui.fehler import StoreFehler

        if wahl != "ja" or self.akte is None:
            return
        try:
            self.sitzung.neu_laden(self.akte)
        except StoreFehler as lesefehler:
            self.push_screen(AuswahlDialog("Neu laden fehlgeschlagen", str(lesefehler), OK_WAHL))
            return
        self._nach_neu_laden()
        if self.akte.schreibgeschuetzt:
            self.notify(f"{self.akte.grund} Sie können die Akte ansehen, aber nicht ändern.",
                        title="Nur Ansicht", severity="warning", timeout=10)

    def _aktualisiere_screens(self) -> None:
        """Every screen shows the Akte's current state (``AkteGeaendert``), the header too."""
        for screen in self.screen_stack:
            screen.post_message(AkteGeaendert())
        self.aktualisiere_kopf()

    def _nach_neu_laden(self, danach: Screen | None = None) -> None:
        """The Akte was reloaded (version conflict, lost edit lock): every screen of it shows the stored
        state or closes (``KoplScreen.neu_geladen``), with everything above it. Runs once the dialog
        that led here has closed; ``danach`` is a dialog to show then."""
        def ausfuehren() -> None:
            stapel = self.screen_stack[self._akte_basis:] if self.akte is not None else []
            for tiefe, screen in enumerate(stapel):
                if not (isinstance(screen, KoplScreen) and screen.neu_geladen()):
                    for _ in stapel[tiefe:]:
                        self.pop_screen()
                    break
            self._aktualisiere_screens()
            if danach is not None:
                self.push_screen(danach)

        self.call_later(ausfuehren)

    # ---- navigation --------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.wartet and action not in WAEHREND_WARTEN:
            return False  # an Akte is being opened or saved: only help acts meanwhile
        if action == "speichern" and self.akte is not None and self.akte.schreibgeschuetzt:
            return None
        if action == "hilfe" and type(self.screen).__name__ == "HilfeScreen":
            return False  # F1 goes on to the help's own key: it closes the help
        if action in ("falluebersicht", "kooperationsplan", "speichern", "dokumente", "stammdaten"):
            if action == "kooperationsplan" and type(self.screen).__name__ == "UebersichtScreen":
                return False  # already there
            return self.akte is not None  # outside a Kundenakte they are hidden
        return True

    def action_falluebersicht(self) -> None:
        from screens.falluebersicht import FalluebersichtScreen

        if self.akte is not None and not isinstance(self.screen, FalluebersichtScreen):
            self.push_screen(FalluebersichtScreen())

    def action_kooperationsplan(self) -> None:
        """Guide §1: from anywhere in the Kundenakte to the Kooperationsplan overview."""
        from screens.uebersicht import UebersichtScreen

        if self.akte is None:
            self.notify("Bitte zuerst in der Kundenliste einen Kunden öffnen (Enter).", severity="warning")
            return
        while not isinstance(self.screen, UebersichtScreen) and len(self.screen_stack) > 1:
            if isinstance(self.screen, KoplScreen) and self.screen.offene_aenderungen():
                self.notify("Bitte die Maske zuerst übernehmen oder schließen.", severity="warning")
                return
            self.pop_screen()

    def action_dokumente(self) -> None:
        """The archive of the open Kundenakte (overview key and command palette)."""
        from screens.ablage import AblageScreen

        if self.akte is None:
            self.notify("Bitte zuerst in der Kundenliste einen Kunden öffnen (Enter).", severity="warning")
        elif not isinstance(self.screen, AblageScreen):
            self.push_screen(AblageScreen())

    def action_stammdaten(self) -> None:
        """Master data of the open Kundenakte: address, BG-Nummer, IFK (overview key and command palette)."""
        from screens.stammdaten import StammdatenScreen

        if self.akte is None:
            self.notify("Bitte zuerst in der Kundenliste einen Kunden öffnen (Enter).", severity="warning")
        elif not isinstance(self.screen, StammdatenScreen):
            self.push_screen(StammdatenScreen())

    def action_hilfe(self) -> None:
        from screens.hilfe import HilfeScreen

        if not isinstance(self.screen, HilfeScreen):
            ort = self.screen.ORT if isinstance(self.screen, KoplScreen | KoplModal) else "app"
            self.push_screen(HilfeScreen(ort))

    def action_pruefliste(self) -> None:
        """Support's Prüfliste, opened from the customer list, not from inside an Akte."""
        from screens.pruefliste import PrueflisteScreen

        if self.akte is not None:
            self.notify("Die Prüfliste öffnet sich aus der Kundenliste: bitte zuerst die Kundenakte schließen.",
                        severity="warning")
        elif not any(isinstance(screen, PrueflisteScreen) for screen in self.screen_stack):
            self.push_screen(PrueflisteScreen())

    def action_beenden(self) -> None:
        if self._offene_arbeit():
            self._frage_speichern(self.exit)
        else:
            self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Fallmanagement › Kooperationsplan", "Kooperationsplan-Übersicht der geöffneten Akte",
                            self.action_kooperationsplan)
        yield SystemCommand("Fallübersicht Fallmanagement", "Aktueller Kooperationsplan mit Statistikfeldern",
                            self.action_falluebersicht)
        yield SystemCommand("Dokumente (Ablage)", "Abgelegte Briefe der geöffneten Kundenakte mit Dateipfad",
                            self.action_dokumente)
        yield SystemCommand("Stammdaten", "Anschrift, BG-Nummer und Integrationsfachkraft der geöffneten Akte "
                            "korrigieren", self.action_stammdaten)
        yield SystemCommand("Speichern", "Kundenakte final speichern", self.action_speichern)
        yield SystemCommand("Prüfliste", "Support: alle Befunde über alle Akten, Enter öffnet die Akte",
                            self.action_pruefliste)
        yield SystemCommand("Hilfe", "Alle Tasten des aktuellen Bildschirms", self.action_hilfe)
        yield SystemCommand("Beenden", "Programm beenden", self.action_beenden)
        # Of Textual's own commands only the theme is offered (for terminals with few colours), in
        # German; "Screenshot" (personal data in a file), "Keys", "Quit" are not for staff.
        yield SystemCommand("Farbschema", "Farben der Anzeige wechseln (z. B. ansi-dark für einfache Terminals)",
                            lambda: self.push_screen(CommandPalette(providers=[ThemeProvider],
                                                                    placeholder="Farbschema suchen …")))

    def action_command_palette(self) -> None:
        """Textual's palette, with a German prompt."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder="Befehl suchen …"))
