# Two commands set everything up on a fresh Debian/Ubuntu machine with Python 3.11+:
#   make demo   - venv, install, migrate the embedded SQLite database, seed the demo street, serve :8000
#   make test   - venv with test extras, system packages for the browser tests, the whole suite
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN = $(VENV)/bin

.PHONY: demo test lint serve clean messages

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(BIN)/.installed-test: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(BIN)/.installed $@

demo: $(BIN)/.installed
	PORT=$(PORT) $(BIN)/gongzhi demo --port $(PORT)

serve: $(BIN)/.installed
	$(BIN)/gongzhi serve --port $(PORT)

test: $(BIN)/.installed-test
	bash scripts/system-deps.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(BIN)/.installed-test
	$(BIN)/ruff check .

# Refresh the Chinese catalogue after changing UI strings: fill new msgstr entries (scripts/fill_po.py) and commit
# both django.po and django.mo; tests/core/test_i18n.py fails while any string is untranslated.
messages: $(BIN)/.installed-test
	cd gongzhi && SECRET_KEY=makemessages DJANGO_SETTINGS_MODULE=gongzhi.settings ../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete --ignore "insights/*" --ignore "matching/engine*"
	cd gongzhi && ../$(BIN)/django-admin compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) var .pytest_cache
