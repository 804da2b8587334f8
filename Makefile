# The two commands of the README: `make run` and `make test`.
# Both create .venv when needed and install what is missing first.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Tests never touch the real network: inside a private network namespace
# when we may create one (root), else presence stays on loopback targets.
NETNS := $(shell [ "$$(id -u)" = 0 ] && command -v unshare >/dev/null && unshare -n true 2>/dev/null && echo yes)

.PHONY: run test fuzz check lint typecheck pytest translations clean

run: $(VENV)/.installed-run translations
	$(VENV)/bin/lanchat

test: $(VENV)/.installed-test
ifeq ($(NETNS),yes)
	unshare -n sh -c 'ip link set lo up && exec $(MAKE) --no-print-directory check'
else
	@echo "note: cannot create a private network namespace; tests keep to loopback targets"
	$(MAKE) --no-print-directory check
endif

check: lint typecheck pytest

# The fuzz targets of tests/fuzz run in `make test` too, briefly; this runs them 20 times longer.
fuzz: $(VENV)/.installed-test
ifeq ($(NETNS),yes)
	unshare -n sh -c 'ip link set lo up && exec $(MAKE) --no-print-directory pytest PYTEST_ARGS="tests/fuzz" LANCHAT_FUZZ_EXAMPLES=20000'
else
	$(MAKE) --no-print-directory pytest PYTEST_ARGS="tests/fuzz" LANCHAT_FUZZ_EXAMPLES=20000
endif

lint:
	$(VENV)/bin/ruff check lanchat tests

typecheck:
	$(VENV)/bin/mypy lanchat

pytest: translations
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q $(PYTEST_ARGS)

$(VENV)/bin/python:
	packaging/system-deps.sh run
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	packaging/system-deps.sh run
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	packaging/system-deps.sh test
	$(PY) -m pip install -q -e '.[test,dev]'
	touch $@ $(VENV)/.installed-run

# The .qm files of resources/translations, compiled from the .ts sources.
translations: $(VENV)/.installed-run
	$(PY) -m lanchat.ui.translations build

clean:
	rm -rf $(VENV) build dist *.egg-info

# The release build (packaging/README.md); never part of `make test`.
# package: dist/lanchat/ (PyInstaller), dist/lanchat_<version>_<arch>.deb and
# dist/lanchat-<version>-linux-<machine>.tar.gz, from a clean build/venv-package.
# package-test: builds when the sources are newer, then tests the frozen
# binary and the .deb installed in a clean Debian root, and prints the figures.
.PHONY: package package-test

package:
	$(PYTHON) packaging/build.py

package-test: $(VENV)/.installed-run
	$(PY) packaging/smoke_test.py --build-if-needed
