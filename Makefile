# Zwei Befehle genügen auf einem frischen Rechner: `make run` und `make test`.
# `make test-schnell`: die schnelle Spur beim Entwickeln (Domäne und ein paar Pilot-Rauchtests, < 60 s auf
# 2 Kernen); `make test` bleibt die ganze Suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installiert
DEMO   ?= data/demo

.PHONY: run test test-schnell bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kopl-tui demo --data $(DEMO) --wenn-leer
	$(BIN)/kopl-tui --data $(DEMO)

test: $(STAMP)
	$(BIN)/python -m pytest -q

SCHNELL := tests/test_regeln_plan.py tests/test_regeln_ba.py tests/test_regeln_tabelle.py tests/test_datum.py \
	tests/test_akte.py tests/test_store.py tests/test_pruefung.py tests/test_statistik.py tests/test_kundensuche.py \
	tests/test_kundenindex.py tests/test_briefregeln.py tests/test_briefe.py tests/test_ergaenzungen.py \
	tests/test_briefkopf.py tests/test_keymap.py tests/test_datenordner_layout.py tests/test_sperre.py \
	tests/ui/test_sperre_ui.py::test_gesperrte_akte_nur_ansicht_mit_inhaber \
	tests/ui/test_liste_und_fusszeile.py::test_fusszeile_folgt_loeschmarke_und_akte \
	tests/ui/test_hilfe.py::test_f1_hilfe_zeigt_tasten_der_maske

test-schnell: $(STAMP)
	$(BIN)/python -m pytest -q $(SCHNELL)

# Leistung: Messwerte gegen die Ziele aus README „Leistung“; Datenordner bleiben in benchmarks/results/ liegen.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache
