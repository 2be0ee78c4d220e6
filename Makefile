# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip

.PHONY: run test lint install install-dev clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Telegram when TELEGRAM_BOT_TOKEN is set, otherwise the REPL over knowledge/.
run: install
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then exec $(PY) -m bot telegram; else exec $(PY) -m bot repl; fi

# The linter first (seconds), then the whole suite (about 2-3 minutes on 2 cores).
test: install-dev lint
	$(PY) -m pytest

lint: install-dev
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .cache
