# Every target creates .venv when needed: a fresh machine needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
PYBABEL := $(BIN)/pybabel
CATALOGS := $(wildcard locales/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)
DEMO_DB ?= data/demo.db
DEMO_ROLE ?= official

.PHONY: help venv run test demo bench bench-national drill i18n extract update compile lint lock clean

help:
	@echo "make run | test | demo | bench | bench-national | drill | i18n | lint | lock"

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

venv: $(STAMP)

# Compiled catalogs are built, never committed; `--check`-style validation is in the tests.
locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(STAMP)
	$(PYBABEL) compile -d locales -D messages -l $* --statistics

compile: $(COMPILED)

extract: $(STAMP)
	$(PYBABEL) extract -F babel.cfg -k _ -k ngettext:1,2 -k pgettext:1c,2 \
		-k npgettext:1c,2,3 -k to_person -k nto_person:1,2 \
		--add-comments=TRANSLATORS: --no-location --sort-output \
		--project=etamkeen-bot -o locales/messages.pot bot handlers conversations

update: extract
	$(PYBABEL) update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching \
		--ignore-obsolete
	$(BIN)/python -m bot.i18n_plain_french

i18n: update
	$(MAKE) compile

run: compile
	$(BIN)/etamkeen run

test: compile
	$(BIN)/python -m pytest -q

demo: compile
	ETAMKEEN_DB=$(DEMO_DB) $(BIN)/etamkeen seed-demo
	ETAMKEEN_DB=$(DEMO_DB) $(BIN)/etamkeen console --role $(DEMO_ROLE)

bench: compile
	$(BIN)/python -m bench

# The real `etamkeen run` killed mid-burst, restarted, then a 3-minute Telegram outage: nothing
# lost, nothing doubled (about 5 minutes; `.venv/bin/python -m bench.drill --quick` for a smoke run).
drill: compile
	$(BIN)/python -m bench.drill

# Generates bench-data/national-*.db once (about a minute), then reuses it.
bench-national: compile
	$(BIN)/python -m bench.national

lint: $(STAMP)
	$(BIN)/ruff check bot handlers conversations tgsandbox tests bench
	$(BIN)/mypy

# Resolve pyproject.toml's ranges afresh in a scratch venv and pin the result (then make test).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install -q --upgrade pip
	.lock-venv/bin/python -m pip install -q -e '.[dev]'
	{ sed -n '/^#/p' constraints.txt; .lock-venv/bin/pip freeze --exclude-editable; } > constraints.new
	mv constraints.new constraints.txt && rm -rf .lock-venv

clean:
	rm -rf $(VENV) locales/*/LC_MESSAGES/*.mo
