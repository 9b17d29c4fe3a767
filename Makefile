# Zwei Befehle genügen auf einem frischen Rechner: `make run` und `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installiert
DEMO   ?= data/demo

.PHONY: run test bench clean

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

# Leistung: Messwerte gegen die Ziele aus README „Leistung“; Datenordner bleiben in benchmarks/results/ liegen.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache
