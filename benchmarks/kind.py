"""Child process of `make bench`: one start-up, measured by the parent from process start.

    python benchmarks/kind.py leer            # the floor: a bare Textual app with an empty DataTable
    python benchmarks/kind.py kopl DATA_DIR   # the app on a data folder

Prints ``BEREIT`` as soon as the customer list is interactive (headless ``run_test``: mounted, the
rows shown and measured, the search field focused, every queued message processed, the frame drawn). The parent's clock stops when
it reads that line. Then the child uses the app a little (types a search, opens an Akte, goes back)
and prints ``RSS <KiB>``, its peak resident memory (VmHWM).
"""

from __future__ import annotations

import sys

MODUS = sys.argv[1]


async def fertig_gezeichnet(pilot) -> None:  # noqa: ANN001
    """Every queued message processed, every table's rows measured, the frame laid out and drawn
    (the rule of benchmarks/run.py ``bis``)."""
    from textual.widgets import DataTable

    while True:
        await pilot._wait_for_screen()
        if not any(t._require_update_dimensions or t._updated_cells for t in pilot.app.screen.query(DataTable)):
            break
    pilot.app.screen._on_timer_update()


def bereit() -> None:
    sys.stdout.write("BEREIT\n")
    sys.stdout.flush()


def rss() -> None:
    """Peak resident memory of this process in KiB: VmHWM. (``ru_maxrss`` would keep the parent's
    peak across fork and exec: a benchmark that built the 20k folder itself would be measured.)"""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            kib = next(int(zeile.split()[1]) for zeile in status if zeile.startswith("VmHWM:"))
    except (OSError, StopIteration):
        import resource

        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stdout.write(f"RSS {kib}\n")
    sys.stdout.flush()


if MODUS == "leer":
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Leer(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

        def on_mount(self) -> None:
            self.query_one(DataTable).focus()

    async def ablauf() -> None:
        app = Leer()
        async with app.run_test(size=(120, 40)) as pilot:
            await fertig_gezeichnet(pilot)
            bereit()
        rss()

elif MODUS == "kopl":
    from datetime import date
    from pathlib import Path

    from kopl_tui.app import KoplApp

    async def ablauf() -> None:
        app = KoplApp(data_dir=Path(sys.argv[2]), benutzer="bench", heute=date(2025, 6, 2))
        async with app.run_test(size=(120, 40)) as pilot:
            await fertig_gezeichnet(pilot)
            tabelle = app.screen.query_one("#kunden")
            assert tabelle.anzahl > 0 and app.focused is app.screen.query_one("#suche")
            bereit()
            await pilot.press(*"muster")
            await pilot.press("enter")
            await pilot.pause()
            assert app.akte is not None
            await pilot.press("escape")
            await pilot.pause()
        rss()

else:
    raise SystemExit(f"unbekannter Modus {MODUS}")


if __name__ == "__main__":
    import asyncio

    asyncio.run(ablauf())
