"""Profiles behind the figures of `make bench` (cProfile), to find the cause of a missed goal.

    .venv/bin/python benchmarks/profil.py start|tippen|oeffnen|speichern|brief [--zeilen 30] [--sortierung tottime]

Uses the cached 20,000-customer folder (run `make bench` once first). ``start`` profiles the app from
import to the interactive customer list in this process; the others profile the same steps as
benchmarks/run.py. cProfile slows Python code down, so read the shares, not the absolute times.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

HIER = Path(__file__).resolve().parent
sys.path.insert(0, str(HIER))
sys.path.insert(0, str(HIER.parent))

import daten  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("was", choices=["start", "tippen", "oeffnen", "speichern", "brief"])
    parser.add_argument("--zeilen", type=int, default=30)
    parser.add_argument("--sortierung", default="cumulative")
    args = parser.parse_args()
    ordner = daten.GROSS.ordner
    if not (ordner / "ERZEUGT").exists():
        raise SystemExit("Erst `make bench` laufen lassen: der Datenordner fehlt.")
    profil = cProfile.Profile()
    start = time.perf_counter()
    if args.was == "start":
        import asyncio

        profil.enable()
        from kopl_tui.app import KoplApp

        async def ablauf() -> None:
            app = KoplApp(data_dir=ordner, benutzer="bench", heute=daten.STICHTAG)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot._wait_for_screen()
                app.screen._on_timer_update()
                profil.disable()

        asyncio.run(ablauf())
    else:
        import asyncio

        import run

        if args.was in ("tippen", "oeffnen"):
            original = run.bis

            async def bis(pilot, fertig, aktion):  # noqa: ANN001, ANN202
                if (args.was == "tippen") == (aktion.taste != "enter"):
                    profil.enable()
                try:
                    return await original(pilot, fertig, aktion)
                finally:
                    profil.disable()

            run.bis = bis
            asyncio.run(run.ui_messen(ordner, 5))
        elif args.was == "speichern":
            profil.runcall(run.speichern_messen, ordner, 5)
        else:
            profil.runcall(run.brief_messen, ordner, 5)
    print(f"{args.was}: {time.perf_counter() - start:.2f} s insgesamt (mit Profiler)")
    pstats.Stats(profil).strip_dirs().sort_stats(args.sortierung).print_stats(args.zeilen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
