"""A filed letter out of the app: printed through CUPS, or downloaded when the app runs in the browser.

Shared by the document assistant (after "Ablegen") and the Dokumente screen. Printing runs in a
thread worker: lp can hang (scheduler gone) until its time limit (``kopl_tui.drucken``). The
download goes through Textual's file delivery (``App.deliver_binary``), which under
``kopl-tui serve`` opens the file in a new browser tab; in a terminal the key is not offered (there
Textual would write into the server's Downloads folder, and fails doing so). The name given to the
browser is ASCII without blanks, because textual-serve puts it into the Content-Disposition header
unquoted.
"""

from __future__ import annotations

import io
import re
from typing import TypeVar

from typing import TYPE_CHECKING

from textual import work

from kopl_tui.fehler import DruckFehler, KeinDrucker, StoreFehler
from screens.auswahl_dialog import AuswahlDialog
from screens.basis import KoplScreen

if TYPE_CHECKING:
    from kopl_tui.sitzung import AblageEintrag, Gedruckt

Ergebnis = TypeVar("Ergebnis")
_UNSICHER = re.compile(r"[^A-Za-z0-9._-]")


def download_name(kundennummer: str, datei: str) -> str:
    """``<kundennummer>_<archived file name>``: whose letter it is, in the user's Downloads folder too."""
    return _UNSICHER.sub("_", f"{kundennummer}_{datei}")


class Zustellung(KoplScreen[Ergebnis]):
    """Base of a screen that shows filed letters of the open Kundenakte; ``zustellung_zeigen`` shows
    what happened (the assistant in its file box, the Dokumente screen below the path)."""

    druckt = False

    def zustellung_zeigen(self, text: str, fehler: bool = False) -> None:
        raise NotImplementedError

    @property
    def _kundennummer(self) -> str:
        return self.akte.kunde.kundennummer

    def druck_hinweis(self, eintrag: AblageEintrag) -> str:
        """One line before printing: where F7 would print, or why it cannot."""
        if not eintrag.pdf:
            return ("Drucken (F7) geht nicht: zu diesem Brief gibt es kein PDF (LibreOffice fehlte beim Ablegen), und "
                    "lp druckt nur das PDF.")
        try:
            drucker = self.sitzung.drucker(self.akte.kunde.ifk)
        except KeinDrucker:
            return "Drucken (F7): noch kein Drucker eingerichtet – F7 zeigt, wo er eingetragen wird."
        except DruckFehler as fehler:  # e.g. a wrong name in briefkopf.toml
            return f"Drucken (F7) geht nicht: {fehler}"
        return f"Drucken (F7): an den Drucker „{drucker}“."

    # ---- printing ---------------------------------------------------------------------------
    def drucken_starten(self, eintrag: AblageEintrag) -> None:
        self.druckt = True
        self.refresh_bindings()
        self.zustellung_zeigen(f"„{eintrag.titel}“ wird an den Drucker gegeben …")
        self._drucken(self._kundennummer, eintrag, self.akte.kunde.ifk)

    @work(thread=True, exclusive=True, group="zustellung")
    def _drucken(self, kundennummer: str, eintrag: AblageEintrag, ifk: str) -> None:
        try:
            gedruckt = self.sitzung.drucken(kundennummer, eintrag, ifk)
        except DruckFehler as fehler:
            self._aus_thread(self._nicht_gedruckt, str(fehler))
            return
        self._aus_thread(self._gedruckt, eintrag, gedruckt)

    def _gedruckt(self, eintrag: AblageEintrag, gedruckt: Gedruckt) -> None:
        self.druckt = False
        text = f"Gedruckt: „{eintrag.titel}“ an „{gedruckt.drucker}“, Auftrag {gedruckt.auftrag}."
        self.app.notify(text, title="Drucken", markup=False)
        if gedruckt.historie_fehler:
            self.app.notify(gedruckt.historie_fehler, title="Historie", severity="error", timeout=15, markup=False)
            text += f"\n{gedruckt.historie_fehler}"
        if self.is_attached:
            self.zustellung_zeigen(text)
            self.refresh_bindings()

    def _nicht_gedruckt(self, meldung: str) -> None:
        self.druckt = False
        self.app.notify(meldung.splitlines()[0], title="Nicht gedruckt", severity="error", timeout=15, markup=False)
        if self.is_attached:
            self.zustellung_zeigen(f"Nicht gedruckt: {meldung}", fehler=True)
            self.refresh_bindings()

    def _aus_thread(self, funktion, *argumente) -> bool:  # noqa: ANN001
        """Run ``funktion`` on the app's thread; False when the app is no longer running."""
        try:
            self.app.call_from_thread(funktion, *argumente)
        except RuntimeError:
            return False
        return True

    # ---- download (browser only) ----------------------------------------------------------------
    def herunterladen_fragen(self, eintrag: AblageEintrag) -> None:
        """Which file: the PDF (if there is one) or the Word document; then the browser's download."""
        wahl = [("pdf", "PDF")] if eintrag.pdf else []
        wahl += [("docx", "Word-Dokument (.docx)"), ("abbrechen", "Abbrechen")]

        def gewaehlt(antwort: str | None) -> None:
            if antwort in ("pdf", "docx"):
                self.herunterladen(eintrag, eintrag.pdf if antwort == "pdf" else eintrag.datei)

        self.app.push_screen(AuswahlDialog("Herunterladen", "Welche Datei soll der Browser herunterladen?", wahl,
                                           dialog_id="herunterladen-dialog"), gewaehlt)

    def herunterladen(self, eintrag: AblageEintrag, datei: str) -> None:
        pfad = self.sitzung.ablage_ordner(self._kundennummer) / datei
        try:
            inhalt = self.sitzung.ablage_lesen(self._kundennummer, datei)  # never through a link
        except (StoreFehler, FileNotFoundError) as fehler:
            meldung = f"Die Datei {pfad} ist nicht mehr vorhanden." if isinstance(fehler, FileNotFoundError) \
                else str(fehler)
            self.app.notify(meldung, title="Nicht heruntergeladen", severity="error", timeout=15, markup=False)
            self.zustellung_zeigen(f"Nicht heruntergeladen: {meldung}", fehler=True)
            return
        name = download_name(self._kundennummer, datei)
        self.app.deliver_binary(io.BytesIO(inhalt), save_filename=name, name=name)
        self.zustellung_zeigen(f"Herunterladen: {name} – der Browser öffnet dafür ein neues Fenster (ein "
                               "Pop-up-Blocker muss es für diese Seite erlauben).")
