# Two commands do all the set-up on a fresh clone:
#   make demo   build the student release, autograde the bundled samples, print the scores
#   make test   check the layer contracts and run the whole test suite (what CI runs)
# and one runs a class on this server (root): make hub
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(abspath $(VENV))/bin
export PATH := $(BIN):$(PATH)
STAMP := $(VENV)/.installed-stamp
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: install browser proxy demo test lab hub build grade clean-grading
# JupyterHub's proxy (npm's configurable-http-proxy), installed in the git-ignored .hub/
PROXY := .hub/proxy/node_modules/.bin/configurable-http-proxy

# torch and torchvision are pinned here only (pyproject.toml declares ranges so
# that Colab keeps its own torch).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.14.1 torchvision==0.29.1
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps animal-mnist==0.4
	touch $(STAMP)

install: $(STAMP)

build: install
	course build

demo: build
	course grade autograder/samples

# lint-imports: the layer contracts in pyproject.toml (the student side never imports
# course.grading; no import cycles), then the tests
test: install browser proxy
	lint-imports --no-cache
	python -m pytest -n 2 --dist loadgroup

# Debian's Chromium for the widgets' browser test (Playwright's own download cannot
# work offline); where it cannot be installed the test skips and says why.
browser:
	@sh scripts/install_browser.sh

# configurable-http-proxy for the course hub (and its browser test); without npm the test
# skips and says why
proxy:
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory $(PROXY); \
	 else echo "npm is missing: no course hub here (the hub's browser test skips)"; fi

$(PROXY):
	npm install --silent --no-audit --no-fund --prefix .hub/proxy configurable-http-proxy@5.3.0

# JupyterHub for a class on this server (root): an account for the instructor and each
# student of autograder/roster.csv, nbgrader's exchange, feedback on arrival; settings in
# autograder/jupyterhub_config.py. Users' servers run the course's Python, so the folders
# above it are opened to pass through (o+x) where they are not.
hub: build proxy
	course hub --share-environment

# JupyterLab on the course with nbgrader's extensions (formgrader, assignment
# list, validate); the formgrader reads autograder/nbgrader_config.py.
lab: install
	JUPYTER_CONFIG_PATH=$(CURDIR)/autograder jupyter lab $(ROOT_FLAG) --ServerApp.root_dir=$(CURDIR)

clean-grading:
	rm -rf autograder/submitted autograder/autograded autograder/feedback autograder/.build \
	       autograder/gradebook.db autograder/.grading autograder/logs autograder/grades.csv autograder/grades_by_item.csv
