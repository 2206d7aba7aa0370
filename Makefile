# Two commands do all the set-up on a fresh clone:
#   make demo   build the student release, autograde the bundled samples, print the scores
#   make test   check the layer contracts and run the whole test suite (what CI runs)
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(abspath $(VENV))/bin
export PATH := $(BIN):$(PATH)
STAMP := $(VENV)/.installed-stamp
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: install browser demo test lab build grade clean-grading

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
test: install browser
	lint-imports --no-cache
	python -m pytest -n 2 --dist loadgroup

# Debian's Chromium for the widgets' browser test (Playwright's own download cannot
# work offline); where it cannot be installed the test skips and says why.
browser:
	@sh scripts/install_browser.sh

# JupyterLab on the course with nbgrader's extensions (formgrader, assignment
# list, validate); the formgrader reads autograder/nbgrader_config.py.
lab: install
	JUPYTER_CONFIG_PATH=$(CURDIR)/autograder jupyter lab $(ROOT_FLAG) --ServerApp.root_dir=$(CURDIR)

clean-grading:
	rm -rf autograder/submitted autograder/autograded autograder/feedback autograder/.build \
	       autograder/gradebook.db autograder/.grading autograder/logs autograder/grades.csv autograder/grades_by_item.csv
