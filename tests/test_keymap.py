"""One keymap: README table, footer/F1 help and the contract keys (README, "Tasten") come from kopl_tui.keymap."""

import re
from pathlib import Path

from kopl_tui.keymap import KEYMAP, readme_tabelle, tasten_fuer

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_tastentabelle_entspricht_keymap():
    text = README.read_text(encoding="utf-8")
    tabelle = re.search(r"<!-- tasten:anfang -->\n(.*?)\n<!-- tasten:ende -->", text, re.S)
    assert tabelle, "README.md braucht den Abschnitt zwischen <!-- tasten:anfang --> und <!-- tasten:ende -->"
    assert tabelle.group(1) == readme_tabelle(), (
        "README-Tastentabelle veraltet: python -c 'from kopl_tui.keymap import readme_tabelle; "
        "print(readme_tabelle())' einfügen")


def test_vertragstasten():
    def taste(ort: str, aktion: str) -> set[str]:
        return {k for t in tasten_fuer(ort) if t.aktion.split(".")[-1] == aktion for k in t.tasten.split(",")}

    assert taste("uebersicht", "neu") == {"n"}
    assert taste("uebersicht", "bearbeiten") | taste("plantabelle", "bearbeiten") == {"enter", "b"}
    assert taste("uebersicht", "loeschen") == {"delete"}
    for ort in ("uebersicht", "maske"):
        assert taste(ort, "uebernehmen") == {"f2"} and taste(ort, "verwerfen") == {"f4"}
        assert taste(ort, "schliessen") == {"escape"}
    assert taste("maske", "uebernehmen_zurueck") == {"f3"} and taste("uebersicht", "uebernehmen_schliessen") == {"f3"}
    assert taste("maske", "editor") == {"f6"}
    assert taste("app", "speichern") == {"ctrl+s"} and taste("app", "falluebersicht") == {"f9"}
    assert taste("app", "hilfe") == {"f1"} and taste("app", "command_palette") == {"ctrl+p"}
    assert taste("app", "beenden") == {"ctrl+q"}


def test_keine_buchstaben_tasten_in_der_maske():
    """Bare letters are typed into the mask's fields, and a focused Select passes them on: a letter
    bound in the mask would act while someone types."""
    for taste in tasten_fuer("maske"):
        assert all(len(k) > 1 for k in taste.tasten.split(",")), taste


def test_ids_eindeutig():
    ids = [t.id for t in KEYMAP]
    assert len(ids) == len(set(ids))


def test_jede_bindung_der_app_kommt_aus_der_keymap():
    """Every key the app and its screens bind is a keymap entry, so the footer, F1 and the README
    table name it; the digits of a dialog are the keymap's "1,2,3"."""
    import importlib
    import pkgutil

    import screens
    from kopl_tui.app import KoplApp

    klassen = [KoplApp]
    for modul in pkgutil.iter_modules(screens.__path__):
        klassen += [k for k in vars(importlib.import_module(f"screens.{modul.name}")).values()
                    if isinstance(k, type) and k.__module__ == f"screens.{modul.name}" and "BINDINGS" in vars(k)]
    ziffern = next(t for t in KEYMAP if t.id == "d_wahl").tasten.split(",")
    bekannt = {(k, t.aktion) for t in KEYMAP for k in t.tasten.split(",")}
    geprueft = 0
    for klasse in klassen:
        for bindung in vars(klasse)["BINDINGS"]:
            for taste in bindung.key.split(","):
                geprueft += 1
                assert (taste, bindung.action) in bekannt or (taste in ziffern and bindung.action.startswith("nummer(")), \
                    f"{klasse.__name__}: {taste} → {bindung.action} fehlt in kopl_tui/keymap.py"
    assert geprueft > len(KEYMAP)  # the screens were found
