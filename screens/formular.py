"""What the screens that apply input to the Kundenakte share (the mask, the Stammdaten): the keys
Übernehmen (F2), Übernehmen & zurück (F3) and Schließen (Esc) with the guide's question (§4), the
German error line at each field, and the hooks the app calls before the final save (§5)."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Static

from screens.auswahl_dialog import VERWERFEN_WAHL, AuswahlDialog
from screens.basis import KoplScreen


class Formular(KoplScreen[None]):
    FRAGE_OFFEN = "Es gibt Eingaben, die noch nicht übernommen wurden."
    """The question on closing with input not yet applied, naming what the screen holds."""

    def uebernehmen(self, danach: Callable[[], None] | None = None) -> bool:
        """Apply the input to the Akte and call ``danach``; False (messages at the fields) when refused."""
        raise NotImplementedError

    def action_uebernehmen(self) -> None:
        self.uebernehmen()

    def action_uebernehmen_zurueck(self) -> None:
        self.uebernehmen(danach=self.dismiss)

    def action_schliessen(self) -> None:
        """§4: closing with input not applied asks: übernehmen, verwerfen, or back to the screen."""
        if not self.offene_aenderungen():
            self.dismiss()
            return

        def antwort(wahl: str | None) -> None:
            if wahl == "uebernehmen":
                self.uebernehmen(danach=self.dismiss)
            elif wahl == "verwerfen":
                self.dismiss()

        self.app.push_screen(AuswahlDialog("Sicherheitsabfrage", self.FRAGE_OFFEN, VERWERFEN_WAHL,
                                           dialog_id="verwerfen-dialog"), antwort)

    def _zeige_fehler_feld(self, feld: str, text: str) -> None:
        """The message under the field (error line ``#fehler_<feld>``), the field marked; "" clears both."""
        for ziel in self.query(f"#fehler_{feld}"):
            assert isinstance(ziel, Static)
            ziel.update(text)
            ziel.set_class(bool(text), "sichtbar")
        for eingabe in self.query(f"#{feld}"):
            eingabe.set_class(bool(text), "-invalid")

    def offenes_uebernehmen(self, weiter: Callable[[], None]) -> None:
        """Before the final save: apply open input first; on refusal the save does not happen."""
        if self.offene_aenderungen():
            self.uebernehmen(danach=weiter)
        else:
            weiter()
