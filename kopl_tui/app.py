"""The Textual App shell: global keys, the one open Kundenakte, final save, quitting.

The only module of kopl_tui that imports Textual; screens reach the domain through ``app.akte``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import time
from collections.abc import Callable, Iterable
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.command import CommandPalette
from textual.content import Content
from textual.driver import Driver
from textual.reactive import Reactive
from textual.screen import Screen
from textual.theme import ThemeProvider

from kopl_tui.benutzer import ermittle_benutzer
from kopl_tui.dateien import StoreFehler, fehlertext
from kopl_tui.datenort import Datenort
from kopl_tui.kundenindex import Kundenindex, Kundenliste
from kopl_tui.schulung import ist_schulung
from kopl_tui.serve import TITEL, browser_titel
from kopl_tui.sgr import verdichten
from screens.auswahl_dialog import BEENDEN_WAHL, JA_NEIN_WAHL, OK_WAHL, AuswahlDialog
from screens.tasten import bindings

# A screen that comes up lays itself out in several frames (tables measure their rows, scroll bars
# appear, the footer follows the keys): each a large part of the terminal, ~60 KB for F1 at 80×24.
# Its output is held until no frame has come for BILD_RUHE seconds (at most BILD_HOECHSTENS), then
# one full frame shows the result (README "Kapazität").
BILD_RUHE = 0.1
BILD_HOECHSTENS = 3.0

if TYPE_CHECKING:  # pydantic and TinyDB load after the customer list is shown (issue 6: start-up)
    from textual.drivers.linux_driver import LinuxDriver

    from kopl_tui.ablage import Ablage
    from kopl_tui.akte import Kundenakte
    from kopl_tui.model import Kunde
    from kopl_tui.datenort import EinStore


def _eingabe_lesen(treiber: LinuxDriver) -> None:
    """Textual's LinuxDriver input loop (drivers/linux_driver.py ``run_input_thread``), except that it
    wakes up once a second, not ten times, after a second without input: an idle session then costs
    no measurable CPU (README "Kapazität"). The short wait stays while keys come, for the lone Escape
    (reported ``ESCDELAY`` after it) and the first second after each key; leaving the app waits at
    most that second for this thread."""
    from codecs import getincrementaldecoder
    from selectors import EVENT_READ, SelectSelector

    from textual._xterm_parser import XTermParser

    auswahl = SelectSelector()
    auswahl.register(treiber.fileno, EVENT_READ)
    parser, dekodieren = XTermParser(treiber._debug), getincrementaldecoder("utf-8")().decode
    ruhig_seit = time.monotonic()
    try:
        while not treiber.exit_event.is_set():
            bereit = auswahl.select(0.1 if time.monotonic() - ruhig_seit < 1 else 1.0)
            if bereit:
                ruhig_seit = time.monotonic()
                daten = dekodieren(os.read(treiber.fileno, 1024 * 4))
                for ereignis in parser.feed(daten) if daten else ():
                    treiber.process_message(ereignis)
            for ereignis in parser.tick():
                treiber.process_message(ereignis)
    finally:
        auswahl.close()


class KoplApp(App[None], inherit_bindings=False):
    CSS_PATH = "app.tcss"
    TITLE = TITEL
    BINDINGS = bindings("app")
    ENABLE_COMMAND_PALETTE = True
    # The Header shows these itself (it watches them). Textual's App would also repaint the whole
    # screen on every change, ~5 KB over SSH each time the header's Akte state changes (README
    # "Kapazität").
    title: Reactive[str] = Reactive("", compute=False, repaint=False)
    sub_title: Reactive[str] = Reactive("", compute=False, repaint=False)

    def __init__(self, data_dir: Path | Datenort, benutzer: str | None = None, heute: date | None = None,
                 blinken: bool = False):
        super().__init__()
        self.datenort = data_dir if isinstance(data_dir, Datenort) else Datenort(Path(data_dir))
        """A data folder, or a PostgreSQL database with its Dateiordner (kopl_tui/datenort.py)."""
        self.data_dir = self.datenort.ordner
        self.blinken = blinken
        self.benutzer = benutzer or ermittle_benutzer()
        self._heute = heute
        self.akte: Kundenakte | None = None
        self._kunden: Kundenliste | None = None
        self._kundenindex = Kundenindex(self.data_dir)
        self._akte_basis = 1  # screens below the open Akte (the Prüfliste stays when the Akte closes)
        try:  # training rooms are folders only (``kopl-tui schulung``)
            self.schulung = not self.datenort.ist_datenbank and ist_schulung(self.data_dir)
        except OSError:  # e.g. a folder of another account: the customer list reports it in German
            self.schulung = False
        if self.schulung:
            self.title = f"{self.TITLE} – SCHULUNG"
            self.add_class("-schulung")
        self._ablage = None  # one per session (it says "no LibreOffice" only once), made on first use
        self.briefe_als_pdf = True  # Pilot tests switch it off (one PDF takes LibreOffice ~2 s)
        self._browser_titel = ""
        self._halten_seit: float | None = None  # output held since (a screen is coming up)
        self._gehalten_zuletzt = 0.0  # when a frame was last held back
        self._gehalten = False

    # ---- shared state ------------------------------------------------------
    @property
    def heute(self) -> date:
        return self._heute or date.today()

    @property
    def ablage(self) -> Ablage:
        """One per session (it says "no LibreOffice" only once), made when first printing."""
        if self._ablage is None:
            from kopl_tui.ablage import Ablage

            self._ablage = Ablage(self.store)
        return self._ablage

    @cached_property
    def store(self) -> EinStore:
        store = self.datenort.store().anlegen()
        store.aufraeumen()
        return store

    def kunden(self) -> Kundenliste:
        """The customer index, read once per session (§ performance: never re-read per keystroke);
        rows as stored, sorted by name, each validated as a Kunde when its Akte is opened."""
        if self._kunden is None:
            try:
                self._kunden = self.store.kundenliste() if self.datenort.ist_datenbank else self._kundenindex.laden()
            except StoreFehler as fehler:
                self.notify(str(fehler), title="Kundenindex", severity="error", timeout=15, markup=False)
                self._kunden = Kundenliste([], [])
            if self._kundenindex.cache_defekt is not None:
                self.notify(str(self._kundenindex.cache_defekt), title="Kundenliste", severity="warning",
                            timeout=15, markup=False)
        return self._kunden

    def get_default_screen(self) -> Screen:
        from screens.kundenliste import KundenlisteScreen

        return KundenlisteScreen()

    def on_mount(self) -> None:
        self._schleife = asyncio.get_running_loop()
        self.aktualisiere_kopf()
        # Half a second after start, when the list is long on screen: its ~0.15 s of imports would
        # otherwise share the interpreter with drawing the first frame (issue 6: start-up).
        self.set_timer(0.5, lambda: self.run_worker(self._vorladen, thread=True, exit_on_error=False))

    def von_aussen_beenden(self, return_code: int) -> None:
        """End the app from another thread (the terminal watch, kopl_tui/terminal.py); never blocks,
        also not when the app's loop is stuck."""
        schleife = getattr(self, "_schleife", None)
        if schleife is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed already: the app is ending
                schleife.call_soon_threadsafe(self.exit, None, return_code)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Text cursors (Input, TextArea, also the palette's) blink only with ``--blinken``: a blinking
        cursor repaints its field twice a second, ~1.7 KB/s and 0.5 % of a core per idle SSH session
        (README "Kapazität"). Set on focus, the only time Textual's blink timer runs."""
        if hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = self.blinken

    # ---- output to the terminal (README "Kapazität") ---------------------------------------------
    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this terminal (or the browser's), writing without redundant style
        resets: a third fewer bytes for the same picture (kopl_tui/sgr.py)."""
        basis = super().get_driver_class()

        class KurzerTreiber(basis):  # type: ignore[valid-type, misc]
            def write(self, data: str) -> None:
                super().write(verdichten(data))

        if basis.__name__ == "LinuxDriver":
            KurzerTreiber.run_input_thread = _eingabe_lesen  # type: ignore[method-assign]
        return KurzerTreiber

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 - Textual's overloads
        self._bild_halten()
        return super().push_screen(*args, **kwargs)

    def pop_screen(self) -> AwaitComplete:
        self._bild_halten()
        return super().pop_screen()

    def switch_screen(self, screen: Screen | str) -> AwaitComplete:
        self._bild_halten()
        return super().switch_screen(screen)

    def _bild_halten(self) -> None:
        """A screen comes up (pushed, or uncovered): hold its frames until it has settled."""
        self._halten_seit = self._gehalten_zuletzt = time.monotonic()
        self._gehalten = False
        self.set_timer(BILD_RUHE, self._bild_pruefen)

    def _bild_pruefen(self) -> None:
        if self._halten_seit is None:
            return
        jetzt = time.monotonic()
        ruhig = self._gehalten and jetzt - self._gehalten_zuletzt >= BILD_RUHE
        if ruhig or jetzt - self._halten_seit >= BILD_HOECHSTENS:
            self._halten_seit = None
            if self._gehalten and self._screen_stack:  # (no screen left while the app ends)
                self.screen.refresh()  # one full frame of the settled screen
        else:
            self.set_timer(max(0.01, BILD_RUHE - (jetzt - self._gehalten_zuletzt)), self._bild_pruefen)

    def _display(self, screen: Screen, renderable: object) -> None:
        if self._halten_seit is not None and renderable is not None:
            self._gehalten_zuletzt, self._gehalten = time.monotonic(), True
            return
        super()._display(screen, renderable)

    @property
    def _background_screens(self) -> list[Screen]:
        """Screens seen through the top one. Textual counts the screen just below as seen also when
        the top screen is opaque, and every change there (its header following the sub-title, its
        footer following the bindings) then repaints the whole top screen: two or three full frames,
        ~5 KB each, when an Akte opens (README "Kapazität"). An opaque screen hides what is below;
        dialogs (translucent) still show it."""
        if self._screen_stack and self.screen.styles.background.a == 1:
            return []
        return super()._background_screens

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
        import kopl_tui.akte  # noqa: F401
        import screens.uebersicht  # noqa: F401

        self.store  # noqa: B018
        if not self.datenort.ist_datenbank:
            self._kundenindex.cache_schreiben()
        # Everything loaded so far (~100,000 objects: Textual, pydantic, the customer list) lives as
        # long as the app; frozen, a full garbage collection no longer scans it: 60 ms less at the
        # keystroke it happens to fall on (issue 6).
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

    # ---- Kundenakte ---------------------------------------------------------
    def akte_oeffnen(self, kunde: Kunde, plan_id: str | None = None) -> None:
        """Open the Akte at the overview; ``plan_id`` is the row to mark first (from the Prüfliste)."""
        from kopl_tui import sperre
        from screens.uebersicht import UebersichtScreen

        try:
            self.akte = sperre.akte_oeffnen(self.store, kunde, self.benutzer)
        except (StoreFehler, OSError) as fehler:
            self.push_screen(AuswahlDialog("Akte kann nicht geöffnet werden", fehlertext(fehler), OK_WAHL,
                                           dialog_id="oeffnen-fehler"))
            return
        if self.akte.schreibgeschuetzt:
            self.notify(f"{self.akte.grund} Sie können die Akte ansehen, aber nicht ändern.", title="Nur Ansicht",
                        severity="warning", timeout=10, markup=False)  # grund names the lock holder
        # The header follows from the overview's aktualisieren(): refreshing the bindings here would
        # rebuild the footer of the list that is about to be covered (issue 6).
        if not self.is_screen_installed("uebersicht"):  # built once, refilled for each Akte on resume:
            self.install_screen(UebersichtScreen(), "uebersicht")  # a new one costs ~40 ms (issue 6)
        uebersicht = self.get_screen("uebersicht")
        assert isinstance(uebersicht, UebersichtScreen)
        uebersicht.beginnen_bei(plan_id)
        self._akte_basis = len(self.screen_stack)
        self.push_screen(uebersicht)

    def akte_schliessen(self) -> None:
        """Leave the Akte back to the customer list; asks first when it has unsaved changes."""
        def schliessen() -> None:
            if self.akte is not None:
                self.akte.schliessen()  # gives the edit lock back
            self.akte = None
            while len(self.screen_stack) > max(self._akte_basis, 1):
                self.pop_screen()
            self.call_after_refresh(self.aktualisiere_kopf)  # once the list is back (footer, issue 6)

        if self.akte is not None and self.akte.ungespeichert:
            self._frage_speichern(schliessen)
        else:
            schliessen()

    def _offene_screens(self) -> list[Screen]:
        return [s for s in self.screen_stack if getattr(s, "offene_aenderungen", lambda: False)()]

    def _offene_arbeit(self) -> bool:
        return self.akte is not None and (self.akte.ungespeichert or bool(self._offene_screens()))

    def _frage_speichern(self, danach: Callable[[], None]) -> None:
        """Speichern / Verwerfen / Abbrechen for an Akte with unsaved changes."""
        def antwort(wahl: str | None) -> None:
            if wahl == "speichern":
                self.alles_speichern(danach)
            elif wahl == "verwerfen":
                if self.akte is not None:
                    self.akte.alles_verwerfen()
                danach()

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
        e.g. the BA-rule offer); any refusal stops the chain, so nothing half-checked is saved."""
        offene = [s for s in reversed(self.screen_stack) if hasattr(s, "offenes_uebernehmen")]

        def schritt(i: int) -> None:
            if i < len(offene):
                offene[i].offenes_uebernehmen(lambda: schritt(i + 1))
            elif self.speichern_ausfuehren() and danach is not None:
                danach()

        schritt(0)

    def speichern_ausfuehren(self) -> bool:
        from kopl_tui.akte import BaRegelVerletzt, NurLesen, SperreVerloren
        from kopl_tui.store import VersionKonflikt

        assert self.akte is not None
        stammdaten = self.akte.stammdaten_ungespeichert
        try:
            self.akte.speichern()
        except BaRegelVerletzt as fehler:
            self.push_screen(AuswahlDialog("Speichern abgelehnt: BA-Statistik-Regel", str(fehler), OK_WAHL,
                                           dialog_id="ba-dialog"))
            self._aktualisiere_screens()
            return False
        except SperreVerloren as fehler:  # the Akte is read-only now and shows the stored state
            self._nach_neu_laden(AuswahlDialog("Bearbeitungssperre verloren", str(fehler), OK_WAHL,
                                               dialog_id="sperre-verloren-dialog"))
            return False
        except NurLesen as fehler:
            self.notify(str(fehler), title="Nur Ansicht", severity="warning")
            return False
        except VersionKonflikt as fehler:
            def neu(wahl: str | None) -> None:
                if wahl != "ja" or self.akte is None:
                    return
                try:
                    self.akte.neu_laden()
                except StoreFehler as lesefehler:
                    self.push_screen(AuswahlDialog("Neu laden fehlgeschlagen", str(lesefehler), OK_WAHL))
                    return
                self._nach_neu_laden()
                if self.akte.schreibgeschuetzt:
                    self.notify(f"{self.akte.grund} Sie können die Akte ansehen, aber nicht ändern.",
                                title="Nur Ansicht", severity="warning", timeout=10)
            self.push_screen(AuswahlDialog("Akte wurde inzwischen geändert", f"{fehler}\n\nJetzt neu laden? "
                                           "Ihre ungespeicherten Änderungen gehen dabei verloren.", JA_NEIN_WAHL,
                                           standard=1, dialog_id="konflikt-dialog"), neu)
            return False
        except (StoreFehler, OSError) as fehler:  # nothing was written; the working copy stays as it is
            self.push_screen(AuswahlDialog("Speichern fehlgeschlagen", fehlertext(fehler), OK_WAHL,
                                           dialog_id="speichern-fehler"))
            return False
        if stammdaten:  # kunden.json changed: the customer list reads it anew when shown next
            self._kunden = None
        if self.akte.stammdaten_nachzutragen:
            self.notify("Die Stammdaten sind mit der Akte gespeichert, aber noch nicht in der Kundenliste "
                        "(kunden.json ließ sich gerade nicht schreiben). Sie werden beim nächsten Öffnen der Akte "
                        "nachgetragen.", title="Kundenliste", severity="warning", timeout=15)
        self.notify(f"Kundenakte {self.akte.kunde.kundennummer} gespeichert.", title="Gespeichert")
        self._aktualisiere_screens()
        return True

    def _aktualisiere_screens(self) -> None:
        for screen in self.screen_stack:
            if hasattr(screen, "aktualisieren"):
                screen.aktualisieren()
        self.aktualisiere_kopf()

    def _nach_neu_laden(self, danach: Screen | None = None) -> None:
        """The Akte was reloaded (version conflict, lost edit lock): every screen of it shows the stored
        state or closes. A screen that keeps a copy of the old data and cannot refresh it (the text
        editor, the letter assistant) closes, with everything above it; otherwise it could bring the
        old data back into the Akte. Runs once the dialog that led here has closed; ``danach`` is a
        dialog to show then."""
        def ausfuehren() -> None:
            stapel = self.screen_stack[self._akte_basis:] if self.akte is not None else []
            for tiefe, screen in enumerate(stapel):
                neu_geladen = getattr(screen, "neu_geladen", None)
                if not (neu_geladen() if neu_geladen else hasattr(screen, "aktualisieren")):
                    for _ in stapel[tiefe:]:
                        self.pop_screen()
                    break
            self._aktualisiere_screens()
            if danach is not None:
                self.push_screen(danach)

        self.call_later(ausfuehren)

    # ---- navigation --------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
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
            if getattr(self.screen, "offene_aenderungen", lambda: False)():
                self.notify("Bitte die Maske zuerst übernehmen oder schließen.", severity="warning")
                return
            self.pop_screen()

    def action_dokumente(self) -> None:
        """Issue 4: the archive of the open Kundenakte (overview key and command palette)."""
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
            self.push_screen(HilfeScreen(getattr(self.screen, "ORT", "app")))

    def action_pruefliste(self) -> None:
        """Support's Prüfliste (issue 7), opened from the customer list, not from inside an Akte."""
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
