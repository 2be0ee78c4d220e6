# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
# The bot's own cache folder (index, language model, bridge tables; REPL history).
CACHE  := $(or $(BOT_CACHE_DIR),$(HOME)/.cache/article-bot)

.PHONY: run test test-lowest lint install install-dev index clean

# The install step also builds the shipped knowledge's index and the caches the
# first question needs (`bot index`, about 5 s), so the first answer after the
# prompt is as fast as the later ones.  It compiles the bot's bytecode too: an
# editable install has none, and where PYTHONDONTWRITEBYTECODE is set every
# process compiled the ~40 modules of `bot ask` again (~60 ms of a cold ask).
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	$(PY) -m compileall -q bot >/dev/null  # bytecode now: an editable install ships none (see above)
	$(PY) -m bot index
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Rebuild the index and caches by hand (only what changed is redone).
index: install
	$(PY) -m bot index

# Telegram when TELEGRAM_BOT_TOKEN is set, otherwise the REPL over knowledge/.
run: install
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then exec $(PY) -m bot telegram; else exec $(PY) -m bot repl; fi

# The linter first (seconds), then the whole suite in three workers, each test module
# kept on one worker.  Three on two cores, because many tests wait on a bot process,
# a socket or a timer: on a slow day 3:54 with three against 4:46-4:57 with two.
test: install-dev lint
	$(PY) -m pytest -n 3 --dist loadfile

# The suite on the lowest dependency versions pyproject.toml allows
# (tools/lowest-versions.txt), in a virtualenv of its own; not part of `make test`.
test-lowest:
	$(PYTHON) -m venv .venv-lowest
	.venv-lowest/bin/python -m pip install --quiet -c tools/lowest-versions.txt -e '.[dev]'
	.venv-lowest/bin/python -m pytest -n 3 --dist loadfile

lint: install-dev  # ruff, then mypy over bot/ (seconds)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# Removes what the project made: the virtual environment, build and test
# leftovers in this folder, and the bot's caches in $(CACHE) (BOT_CACHE_DIR),
# except the REPL history kept there.  Only the entries the bot names itself
# (bot/core/cache.py and its callers: index-*, table-*, langid-*, vectors,
# vectors-*, and interrupted atomic writes .*.tmp) go: with BOT_CACHE_DIR=/tmp or
# ~/.cache, everything else in the folder was deleted too.  Never touched:
# knowledge/, config/ and state/ (the Telegram state: chat languages, FAQ ledger).
clean:
	rm -rf $(VENV) .venv-lowest *.egg-info .pytest_cache .ruff_cache .mypy_cache .hypothesis
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
	@case "$(CACHE)" in ""|/|"$(HOME)"|"$(HOME)/") echo "not cleaning the cache folder '$(CACHE)'";; \
	  *) if [ -d "$(CACHE)" ]; then \
	       find "$(CACHE)" -mindepth 1 -maxdepth 1 \( -name 'index-*' -o -name 'table-*' -o -name 'langid-*' \
	         -o -name vectors -o -name 'vectors-*' -o -name '.*.tmp' \) -exec rm -rf {} + ; \
	       echo "removed the caches in $(CACHE) (kept its REPL history)"; fi;; esac
