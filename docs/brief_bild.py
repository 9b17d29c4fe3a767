"""How docs/brief-kooperationsplan.png was made (by hand, not part of the test suite).

The Kooperationsplan letter of the demo customer Max Mustermann, with the individual part of the
support text completed as the caseworker would, rendered from the shipped template as "Fertig" does,
converted to PDF by LibreOffice as "Ablegen" does, page 1 as PNG:

    apt-get install -y libreoffice-writer-nogui poppler-utils
    .venv/bin/python docs/brief_bild.py docs/brief-kooperationsplan.png
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from kopl_tui import briefe, demo
from kopl_tui.ablage import pdf_umwandeln

STICHTAG = date(2026, 11, 25)


def main(ziel: Path) -> None:
    fall = next(f for f in demo.demo_jobcenter(STICHTAG) if f.kunde.nachname == "Mustermann")
    plan = fall.plaene[-1]
    plan = plan.model_copy(update={"unterstuetzung": plan.unterstuetzung.replace(
        "XXXX [hier individuelle Ergänzungen vornehmen]", "die Erstattung von Bewerbungskosten.")})
    pruefung = briefe.pruefen(briefe.vorlage("Kooperationsplan"), fall.kunde, plan, datum=STICHTAG)
    with tempfile.TemporaryDirectory() as temp:
        docx = Path(temp) / "kooperationsplan.docx"
        docx.write_bytes(briefe.erzeugen(pruefung, None))
        pdf = pdf_umwandeln(docx, Path(temp) / "kooperationsplan.pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(ziel.with_suffix(""))], check=True)
    print(f"geschrieben: {ziel}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
