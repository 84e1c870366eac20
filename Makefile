# mm-assets: `make run` sets up everything and runs the graph on the embedded default;
# `make test` runs the test suite. Both create and fill .venv on first use.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export MM_HOME ?= $(CURDIR)/.mm
export DAGSTER_HOME ?= $(MM_HOME)/dagster

.PHONY: install system-deps run ui test lint bench clean deploy-up deploy-smoke deploy-down deploy-config deploy-local deploy-local-down

install: $(STAMP)

# torch first and pinned exactly: this torch/torchvision pairing is the one open_clip imports under.
$(STAMP): pyproject.toml requirements.lock | system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet torch==2.14.1 torchvision==0.29.1
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test]'
	@# MTCNN's weights ship in facenet-pytorch (MIT), which pins torch<2.3: without its dependencies
	@# pip keeps our torch; its MTCNN runs under it (resources/faces.py). Pinned in requirements.lock.
	$(BIN)/pip install --quiet --no-deps facenet-pytorch==$$(sed -n 's/^facenet-pytorch==//p' requirements.lock)
	touch $(STAMP)

# Tesseract is the second OCR engine (a Debian package, not a wheel).
system-deps:
	@command -v tesseract >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-eng >/dev/null; \
	  else echo "note: install tesseract-ocr for the Tesseract OCR engine (optional)"; fi; }
	@# espeak-ng speaks the test and evaluation sentences for the audio/video tests (`mm eval av`).
	@command -v espeak-ng >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng >/dev/null; \
	  else echo "error: install espeak-ng (the audio/video tests need it)"; exit 1; fi; }
	@# Debian's chromium: the review page's browser test drives it through Playwright (which cannot
	@# download its own browsers here).
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "error: install chromium (the review page's browser test needs it)"; exit 1; fi; }
	@# GLPK's manuals (born-digital PDFs): the page-level evaluation set (`mm eval pages`) and its tests.
	@test -f /usr/share/doc/glpk-doc/graphs.pdf || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq glpk-doc >/dev/null; \
	  else echo "note: install glpk-doc for the page-level evaluation set"; fi; }
	@# Real manuals without personal data (`mm eval pii`: the share of words redacted, tuning and held-back slices).
	@test -f /usr/share/doc/fasta3/fasta_guide.pdf -a -f /usr/share/doc/4ti2/4ti2_manual.pdf \
	  -a -f /usr/share/doc/gutenprint-doc/gutenprint-users-manual.pdf || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      camlidl-doc 4ti2-doc expeyes-doc-en fasta3-doc gutenprint-doc >/dev/null; \
	  else echo "note: install camlidl-doc 4ti2-doc expeyes-doc-en fasta3-doc gutenprint-doc for mm eval pii's real manuals"; fi; }

run: install
	$(BIN)/mm migrate
	$(BIN)/mm ingest samples/ --tenant demo
	$(BIN)/mm materialize --missing
	$(BIN)/mm status --global
	@echo
	@echo "Built under $(MM_HOME). Open the Dagster UI with:  make ui   (then http://127.0.0.1:3000)"

ui: install
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

test: install
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/orchestration.py
	$(BIN)/python bench/steps.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/reprocess.py
	$(BIN)/python bench/memory.py
	$(BIN)/python bench/audio_video.py

# The scale-out stack of deploy/ on this Docker host (deploy/stack.sh): deploy-up installs Docker
# from Debian if missing and starts a dockerd if none answers (as root), builds the base images
# from Debian packages when no registry answers, builds the image when its inputs changed, starts
# the stack and waits for health; deploy-smoke runs the samples through it (last line: a JSON
# summary); deploy-down removes containers and volumes and stops the dockerd deploy-up started.
deploy-up:
	deploy/stack.sh up

deploy-smoke:
	deploy/stack.sh smoke

deploy-down:
	deploy/stack.sh down

# The same topology as processes on this machine, no Docker: the user-code gRPC server, a webserver
# and a daemon on $(MM_HOME) (PostgreSQL when MM_DAGSTER_PG_URL and MM_CATALOG_URL are set), queued
# runs, the default run launcher, the multiprocess executor. Stopped by pid with deploy-local-down.
GRPC_PORT ?= 4000
WEBSERVER_PORT ?= 3000
deploy-local: install
	$(BIN)/python -m mm_assets.orchestration.local_deployment up --grpc-port $(GRPC_PORT) --webserver-port $(WEBSERVER_PORT)

deploy-local-down:
	$(BIN)/python -m mm_assets.orchestration.local_deployment down

deploy-config:
	deploy/compose.sh config --quiet

clean:
	rm -rf $(MM_HOME)
