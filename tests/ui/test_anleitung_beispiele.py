"""The guide's own examples worked through with the keys of the keymap, as a caseworker on the first
day would (each test named after the guide rule it checks; grep finds the rule in kopl_tui). Field
values are put in with ``eintragen``: typing dates is tested in test_uebersicht_und_maske.py."""

from datetime import date

from textual.widgets import Button, DataTable, Input, Select, Static, TextArea

from kopl_tui.app import KoplApp
from kopl_tui.model import UNBEGRENZT, Status
from screens.hilfe import HilfeScreen
from screens.maske import MaskeScreen
from screens.pruefliste import PrueflisteScreen
from screens.uebersicht import UebersichtScreen
from tests.ui.conftest import auswahl, eintragen, kunde_oeffnen

GROSS = (120, 40)


def text(maske: MaskeScreen, selektor: str) -> str:
    return str(maske.query_one(selektor, Static).render())


async def maske_zeile(pilot, suche: str, zeile: int) -> MaskeScreen:
    """Open the customer and the plan in the given overview row (1 = newest), as in the guide's §2."""
    await kunde_oeffnen(pilot, suche)
    await pilot.press(*["down"] * (zeile - 1), "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, MaskeScreen)
    return pilot.app.screen


async def neue_maske(pilot, suche: str) -> MaskeScreen:
    """§3 "Neu": the customer's overview, n."""
    await kunde_oeffnen(pilot, suche)
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, MaskeScreen)
    return pilot.app.screen


# ---- §2/§3.1: Status Pflichtfeld, a migrated plan without status ---------------------------------

async def test_status_pflichtfeld_nur_fuer_neue_und_gesetzte_beispiel_erika(app: KoplApp):
    """§3.1 example, row 2 (01.11.2024 – Unbegrenzt, no status): gültig bis corrected by hand, F3."""
    async with app.run_test(size=GROSS) as pilot:
        maske = await maske_zeile(pilot, "Beispiel Erika", 2)
        assert maske.query_one("#status", Select).value is Select.NULL
        await eintragen(pilot, "#gueltig_bis", "06.01.2025")
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        plan = next(p for p in app.akte.plaene if p.gueltig_ab == date(2024, 11, 1))
        assert plan.status is None and plan.gueltig_bis == date(2025, 1, 6)  # status stays empty
        assert app.akte.ba_verstoesse() == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.akte.ungespeichert


async def test_status_pflichtfeld_kann_nicht_geleert_werden(app: KoplApp):
    async with app.run_test(size=GROSS) as pilot:
        maske = await maske_zeile(pilot, "Beispiel Erika", 1)  # Einverständnis
        await pilot.press("enter", "home", "enter")  # the empty entry "Kein Eintrag ausgewählt"
        await pilot.pause()
        assert maske.query_one("#status", Select).value is Select.NULL
        await pilot.press("f2")
        await pilot.pause()
        assert "nicht geleert" in text(maske, "#fehler_status")
        assert app.akte.plaene[0].status is Status.EINVERSTAENDNIS


async def test_plan_ohne_status_in_der_prueefliste(app: KoplApp):
    async with app.run_test(size=GROSS) as pilot:
        await pilot.press("f8")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PrueflisteScreen)
        erika = [b for b in screen.befunde if b.name == "Beispiel, Erika" and b.regel == "plan_ohne_status"]
        assert {b.gueltig_ab for b in erika} == {date(2022, 9, 21), date(2023, 7, 12), date(2024, 11, 1)}
        tabelle = screen.query_one("#befunde", DataTable)
        titel = {str(tabelle.get_row_at(i)[3]) for i in range(tabelle.row_count)}
        assert "Plan ohne Status" in titel


# ---- §3.3: max. Ende ----------------------------------------------------------------------------

async def test_max_ende_folgt_beginn_probe_paul(app: KoplApp):
    async with app.run_test(size=GROSS) as pilot:
        maske = await maske_zeile(pilot, "Probe Paul", 1)
        beginn = maske.query_one("#schlichtung_beginn", Input).value
        assert maske.query_one("#schlichtung_max_ende", Input).value == "16.12.2026" and beginn == "18.11.2026"
        await eintragen(pilot, "#schlichtung_beginn", "15.11.2026")
        assert maske.query_one("#schlichtung_max_ende", Input).value == "13.12.2026"
        await pilot.press("f2")
        await pilot.pause()
        assert app.akte.plaene[0].schlichtung_max_ende == date(2026, 12, 13)
        # typed by hand: stays when Beginn changes, and is checked
        await eintragen(pilot, "#schlichtung_max_ende", "10.12.2026")
        await eintragen(pilot, "#schlichtung_beginn", "20.11.2026")
        assert maske.query_one("#schlichtung_max_ende", Input).value == "10.12.2026"
        await eintragen(pilot, "#schlichtung_beginn", "10.11.2026")
        await pilot.press("f2")
        await pilot.pause()
        assert "vier Wochen" in text(maske, "#fehler_schlichtung_max_ende")
        assert app.akte.plaene[0].schlichtung_max_ende == date(2026, 12, 13)


# ---- §3.2: Frist ----------------------------------------------------------------------------------

async def test_frist_nach_tag_in_der_maske(app: KoplApp):
    async with app.run_test(size=GROSS) as pilot:
        maske = await maske_zeile(pilot, "Fiktiv Sabine", 1)
        await eintragen(pilot, "#tag_der_aufforderung", "10.12.2026")
        await eintragen(pilot, "#frist_zur_erledigung", "10.12.2026")
        await pilot.press("f2")
        await pilot.pause()
        assert "derselbe Tag" in text(maske, "#fehler_frist_zur_erledigung")
        assert app.focused is maske.query_one("#frist_zur_erledigung")
        assert app.akte.plaene[0].frist_zur_erledigung is None
        await eintragen(pilot, "#frist_zur_erledigung", "11.12.2026")
        await pilot.press("f2")
        await pilot.pause()
        assert app.akte.plaene[0].frist_zur_erledigung == date(2026, 12, 11)


# ---- §3: dropdowns ---------------------------------------------------------------------------------

async def test_auswahlfeld_tippen_waehlt_den_ersten_echten_eintrag(app: KoplApp):
    async with app.run_test(size=GROSS) as pilot:
        maske = await neue_maske(pilot, "Entwurf Kim")
        status = maske.query_one("#status", Select)
        for getippt, erwartet in (("k", "kein Einverständnis"), ("kein", "kein Einverständnis"),
                                  ("e", "Einverständnis"), ("n", "nur Aufforderung"), ("I", "in Bearbeitung")):
            await pilot.press("enter", *getippt, "enter")  # open list, type, take
            await pilot.pause()
            assert status.value == erwartet, getippt
        status.clear()
        await pilot.press("k", "enter")  # typed on the closed dropdown: opens it at the entry
        await pilot.pause()
        assert status.value == "kein Einverständnis"
        notwendig = maske.query_one("#schlichtung_notwendig", Select)
        notwendig.focus()
        await pilot.press("k")  # no entry with "k": the list opens, nothing is picked
        await pilot.pause()
        assert notwendig.expanded and notwendig.value is Select.NULL
        await pilot.press("escape")  # closes the list only ("Liste schließen"), the typed letters with it
        await pilot.pause()
        assert not notwendig.expanded and app.focused is notwendig
        await pilot.press("n", "enter")
        await pilot.pause()
        assert notwendig.value == "nein" and isinstance(app.screen, MaskeScreen)


# ---- §3.1: BA-Statistik-Regel offer ---------------------------------------------------------------

async def test_ba_regel_angebot_nein_vorausgewaehlt(app: KoplApp):
    """§3.1: old plans are ended by hand; a reflex Enter on the offer changes nothing."""
    async with app.run_test(size=GROSS) as pilot:
        maske = await neue_maske(pilot, "Fiktiv Sabine")  # one unbegrenzt plan
        await auswahl(pilot, "Einverständnis")
        await eintragen(pilot, "#gueltig_ab", "01.12.2026")
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen.id == "ba-vorschlag-dialog"
        assert app.focused is app.screen.query_one("#wahl-nein", Button)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is maske
        assert len(app.akte.ba_verstoesse()) == 2  # nothing ended


# ---- F2 keeps the cursor ------------------------------------------------------------------------

async def test_uebernehmen_laesst_fokus_und_cursor_stehen(app: KoplApp):
    async with app.run_test(size=GROSS) as pilot:
        maske = await maske_zeile(pilot, "Fiktiv Sabine", 1)
        ziel = maske.query_one("#ziel", TextArea)
        ziel.focus()
        await pilot.press("end", *"MUELLER-EDIT ")
        await pilot.press("f2")
        await pilot.pause()
        assert not maske.offene_aenderungen()
        await pilot.press(*"WEITER")
        await pilot.pause()
        assert app.focused is ziel
        assert ziel.text.endswith("MUELLER-EDIT WEITER") and app.akte.plaene[0].ziel.endswith("MUELLER-EDIT ")
        datum = maske.query_one("#ueberprueft_am", Input)
        datum.focus()
        await pilot.press(*"01112026", "f2")  # tidied to 01.11.2026 by applying; the cursor stays in it
        await pilot.pause()
        assert app.focused is datum and datum.value == "01.11.2026"


# ---- §3.1 grey box: new plan "unbegrenzt" -------------------------------------------------------

async def test_hinweis_neuer_plan_unbegrenzt_in_der_maske(app: KoplApp):
    async with app.run_test(size=GROSS) as pilot:
        maske = await neue_maske(pilot, "Entwurf Kim")
        await auswahl(pilot, "Einverständnis")
        assert not maske.query_one("#hinweis_gueltig_bis").display
        await eintragen(pilot, "#gueltig_ab", "01.12.2026")
        await eintragen(pilot, "#gueltig_bis", "31.05.2027")
        hinweis = maske.query_one("#hinweis_gueltig_bis")
        assert hinweis.display and "unbegrenzt" in text(maske, "#hinweis_gueltig_bis")
        await pilot.press("f2")  # a hint, not a refusal
        await pilot.pause()
        assert app.akte.plaene[0].gueltig_bis == date(2027, 5, 31)
        await eintragen(pilot, "#gueltig_bis", UNBEGRENZT)
        assert not hinweis.display


async def test_kein_hinweis_unbegrenzt_fuer_alten_plan(app: KoplApp):
    async with app.run_test(size=GROSS) as pilot:
        maske = await maske_zeile(pilot, "Beispiel Erika", 3)  # 12.07.2023 – 31.10.2024
        assert maske.query_one("#gueltig_bis", Input).value == "31.10.2024"
        assert not maske.query_one("#hinweis_gueltig_bis").display


# ---- F1 ------------------------------------------------------------------------------------------

async def test_f1_schliesst_die_hilfe(app: KoplApp):
    async with app.run_test(size=GROSS) as pilot:
        await kunde_oeffnen(pilot, "Beispiel Erika")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HilfeScreen)
        assert "F1 schließt die Hilfe" in str(app.screen.query("Label").last().render())
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HilfeScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UebersichtScreen)
