"""The app prints with the Jobcenter's own template from <data>/vorlagen/ where there is one."""

from __future__ import annotations

from kopl_tui.app import KoplApp
from kopl_tui.briefe import Abschnitt
from tests.test_briefe import text_von
from tests.test_vorlagen import EIGENER_SATZ, bearbeitete_kopie
from tests.ui.test_drucken import GROESSE, ablage_dateien, drucken_bis_assistent, vorschau_und_fertig


async def test_fertig_nimmt_die_eigene_vorlage_aus_dem_datenordner(app: KoplApp):
    app.briefe_als_pdf = False
    bearbeitete_kopie(app.store.data_dir / "vorlagen", "schlichtungsverfahren-merkblatt.docx")
    async with app.run_test(size=GROESSE) as pilot:
        await drucken_bis_assistent(pilot, "Fiktiv Sabine", Abschnitt.SCHLICHTUNG, "Merkblatt")
        await vorschau_und_fertig(pilot)
        [entwurf] = ablage_dateien(app, app.akte.kunde.kundennummer)
        brief = text_von(entwurf.read_bytes())
        assert EIGENER_SATZ in brief and "Fiktiv" in brief
