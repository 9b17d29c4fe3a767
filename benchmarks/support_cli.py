"""Timing of the support tools on 20,000 customers (`pruefen` and `statistik` in ≤ 2 s: README, "Leistung").

    .venv/bin/python benchmarks/support_cli.py [--data DIR] [--kunden 20000] [--neu]

Builds the folder once (through the Store, as the app writes it: ~1 min), then measures the API
in-process and the real commands as subprocesses (wall time, warm page cache), and writes the
figures to benchmarks/results/support_cli.json. Not a test: timings belong here, not in pytest.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(WURZEL))

from kopl_tui import demo  # noqa: E402
from kopl_tui.datum import format_datum  # noqa: E402
from kopl_tui.model import HistorienEintrag  # noqa: E402
from kopl_tui.pruefung import pruefliste  # noqa: E402
from kopl_tui.statistik import statistik  # noqa: E402
from kopl_tui.store import Store  # noqa: E402

ERGEBNISSE = WURZEL / "benchmarks" / "results"
KOPL_TUI = Path(sys.executable).with_name("kopl-tui")


def aufbauen(ziel: Path, kunden: int, heute: date) -> None:
    """The guide's special cases plus ordinary customers with long texts, two plans each on
    average, and a history line per plan (real Akten carry their history)."""
    faelle = demo.besondere_faelle(heute)
    faelle += demo.zufalls_faelle(kunden - len(faelle), 2 * (kunden - len(faelle)), heute, seed=20_000,
                                  start_nr=len(faelle) + 1, lange_texte=True)
    store = Store(ziel).anlegen()
    store.kunden_schreiben([f.kunde for f in faelle])
    jetzt = datetime.now(timezone.utc)
    for fall in faelle:
        if fall.plaene:
            historie = [HistorienEintrag(zeit=jetzt, benutzer="demo", aktion="Kooperationsplan angelegt",
                                         plan_id=p.id, neu=p.statistik_felder()) for p in fall.plaene]
            store.akte_speichern(fall.kunde.kundennummer, fall.plaene, 0, "demo", historie)
    (ziel / "ERZEUGT").write_text(heute.isoformat(), encoding="utf-8")


def bestes(messungen: list[float]) -> dict[str, float]:
    return {"min_s": round(min(messungen), 3), "median_s": round(statistics.median(messungen), 3),
            "max_s": round(max(messungen), 3)}


def messen(funktion, runden: int) -> tuple[dict[str, float], object]:  # noqa: ANN001
    zeiten, ergebnis = [], None
    for _ in range(runden):
        start = time.perf_counter()
        ergebnis = funktion()
        zeiten.append(time.perf_counter() - start)
    return bestes(zeiten), ergebnis


def befehl(argumente: list[str]) -> tuple[float, int, int]:
    start = time.perf_counter()
    lauf = subprocess.run([str(KOPL_TUI), *argumente], capture_output=True, check=False)
    return time.perf_counter() - start, lauf.returncode, len(lauf.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ERGEBNISSE / "daten-20k")
    parser.add_argument("--kunden", type=int, default=20_000)
    parser.add_argument("--runden", type=int, default=5)
    parser.add_argument("--neu", action="store_true", help="Ordner neu erzeugen")
    args = parser.parse_args()

    if args.neu or not (args.data / "ERZEUGT").exists():
        shutil.rmtree(args.data, ignore_errors=True)
        start = time.perf_counter()
        aufbauen(args.data, args.kunden, date.today())
        print(f"Ordner mit {args.kunden} Kunden erzeugt in {time.perf_counter() - start:.1f} s: {args.data}")
    heute = date.fromisoformat((args.data / "ERZEUGT").read_text(encoding="utf-8"))
    tag = format_datum(heute)
    groesse = sum(p.stat().st_size for p in args.data.rglob("*.json"))

    pruefliste(args.data, heute)  # warm the page cache once
    api_pruefen, befunde = messen(lambda: pruefliste(args.data, heute), args.runden)
    api_statistik, zeilen = messen(lambda: list(statistik(args.data, heute)), args.runden)
    ergebnis: dict[str, object] = {
        "kunden": args.kunden, "daten_mb": round(groesse / 1e6, 1), "stichtag": heute.isoformat(),
        "befunde": len(befunde), "statistik_zeilen": len(zeilen),  # type: ignore[arg-type]
        "python": sys.version.split()[0],
        "api": {"pruefung.pruefliste": api_pruefen, "statistik.statistik": api_statistik},
        "cli": {},
    }
    for name, argumente in {
        "pruefen --format text": ["pruefen", "--data", str(args.data), "--stichtag", tag],
        "pruefen --format csv": ["pruefen", "--data", str(args.data), "--stichtag", tag, "--format", "csv"],
        "pruefen --format json": ["pruefen", "--data", str(args.data), "--stichtag", tag, "--format", "json"],
        "statistik": ["statistik", "--data", str(args.data), "--stichtag", tag],
    }.items():
        laeufe = [befehl(argumente) for _ in range(args.runden)]
        ergebnis["cli"][name] = {**bestes([z for z, _, _ in laeufe]), "exit": laeufe[0][1],  # type: ignore[index]
                                 "ausgabe_bytes": laeufe[0][2]}

    print(f"{args.kunden} Kunden, {ergebnis['daten_mb']} MB JSON, Stichtag {tag}, "
          f"{len(befunde)} Befunde, {len(zeilen)} Statistikzeilen")  # type: ignore[arg-type]
    print(f"{'Messung':36} {'min':>7} {'median':>7} {'max':>7}")
    for gruppe in ("api", "cli"):
        for name, werte in ergebnis[gruppe].items():  # type: ignore[union-attr]
            print(f"{gruppe + ': ' + name:36} {werte['min_s']:7.3f} {werte['median_s']:7.3f} {werte['max_s']:7.3f}")
    ERGEBNISSE.mkdir(parents=True, exist_ok=True)
    (ERGEBNISSE / "support_cli.json").write_text(json.dumps(ergebnis, indent=2, ensure_ascii=False) + "\n",
                                                 encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
