# Regularization, Interactively: build the book and run every test layer.
# `make book` and `make test` install what they need on a fresh machine (see README.md).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
CHROMIUM ?= /usr/bin/chromium
PORT ?= 8000
# Progress bars are noise in build logs and notebook outputs.
export TQDM_DISABLE := 1
export PYTHONHASHSEED := 0

.PHONY: help book test test-hygiene test-unit test-notebooks test-site lab serve bench clean strip chromium

help:
	@echo "make book   build the website into _build/html (installs .venv on first use)"
	@echo "make test   run every test layer: hygiene, unit, notebooks, site build + browser"
	@echo "make lab    open JupyterLab with the book's kernel"
	@echo "make serve  serve _build/html on http://127.0.0.1:$(PORT)"
	@echo "make bench  print execution times, explorer latencies, solver ratios and page weights"
	@echo "make strip  remove outputs from every notebook"
	@echo "make clean  remove build products"

$(STAMP): requirements.txt pyproject.toml setup.py code/regbook/_coordinate_descent.pyx
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11)' 2>/dev/null || { \
	  echo "error: Python 3.11 or newer is needed as '$(PYTHON)'. Install it, or run: make PYTHON=/path/to/python3.11"; exit 1; }
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { \
	  echo "error: the venv module is missing. On Debian/Ubuntu: apt-get install python3-venv"; exit 1; }
	@# The lasso and elastic-net solver (code/regbook/_coordinate_descent.pyx) is compiled at install.
	@command -v "$${CC:-cc}" >/dev/null || { \
	  echo "error: a C compiler is needed to build regbook's solver. On Debian/Ubuntu: apt-get install gcc"; exit 1; }
	@$(PYTHON) -c 'import os, sysconfig; assert os.path.isfile(os.path.join(sysconfig.get_paths()["include"], "Python.h"))' 2>/dev/null || { \
	  echo "error: the Python headers (Python.h) are needed to build regbook's solver. On Debian/Ubuntu: apt-get install python3-dev"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@# jupyter-events pulls in rfc3987-syntax, whose import builds a parser for 2.6 s; nbformat imports
	@# it through jsonschema in every kernel (the first glue call). jsonschema treats it as optional.
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name regbook --display-name "Python 3 (regbook)" >/dev/null
	@# The kernel loads regbook.glue (glued numbers after Run All); overrides.json: no news toast.
	$(BIN)/python tools/setup_lab.py >/dev/null
	@# Silences the kernels' "running over TCP without encryption" warning, by its exact text.
	mkdir -p $(VENV)/etc/ipython && cp tools/ipython_kernel_config.py $(VENV)/etc/ipython/
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm is needed for axe-core (browser accessibility checks). Install Node.js 18+ with npm."; exit 1; }
	npm ci --silent --no-audit --no-fund
	@touch $@

chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "error: the browser tests need Chromium at $(CHROMIUM)."; \
	    echo "       Install it as root with: apt-get update && apt-get install -y chromium"; \
	    echo "       or point to another build with: make test CHROMIUM=/path/to/chromium"; \
	    exit 1; \
	  fi; \
	fi
	@"$(CHROMIUM)" --version

PACKAGE_FILES := $(shell find code/regbook -type f \( -name '*.py' -o -name '*.pyx' -o -name '*.yml' -o -name '*.json' \) 2>/dev/null)
PACKAGE_STAMP := _build/.package-stamp

# The execution cache and Sphinx only notice changed notebooks; a changed regbook must re-run them all.
$(PACKAGE_STAMP): $(PACKAGE_FILES)
	rm -rf _build/.jupyter_cache _build/.doctrees _build/jupyter_execute
	@mkdir -p _build && touch $@

# Notebooks run in parallel, one per core, into the execution cache; the build then only renders.
book: $(STAMP) $(PACKAGE_STAMP)
	$(BIN)/python tools/execute_notebooks.py
	$(BIN)/jupyter-book build . -W -n --keep-going

# Every folder of notebooks in the book: its chapters, their exercises and the appendix.
NOTEBOOK_DIRS := chapters exercises appendix

test: test-hygiene test-unit test-notebooks test-site

test-hygiene: $(STAMP)
	$(BIN)/python -m pytest tests/test_hygiene.py tests/test_links.py

test-unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit --doctest-modules code/regbook -n 2

# Every notebook of _toc.yml runs top to bottom, once, into a fresh execution cache: a cell that raises
# (a Verify assert that fails) fails this layer with its traceback. test-site renders from that cache.
test-notebooks: $(STAMP)
	rm -rf _build
	$(BIN)/python tools/execute_notebooks.py

# A clean build from the cache that test-notebooks has just filled, so every glued number comes from
# this run (run alone, the build executes whatever the cache lacks).
test-site: $(STAMP) $(NODE_STAMP) chromium
	rm -rf _build/html _build/.doctrees _build/jupyter_execute
	@# The JupyterLab test uses the venv's lab: its regbook-references bundle and texts must be current.
	$(BIN)/python tools/setup_lab.py >/dev/null
	$(BIN)/jupyter-book build . -W -n --keep-going
	REGBOOK_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest tests/site/test_pages.py -n 2
	@# Alone: its Run All keeps a core busy, and page loads beside it were seen to pass 90 s.
	REGBOOK_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest tests/site/test_jupyterlab.py

# Opens on START.md, which links every chapter and its exercises (regenerated from _toc.yml).
lab: $(STAMP)
	$(BIN)/python tools/start_page.py >/dev/null
	@# The citation texts and figure numbers regbook-references shows, from references.bib and _toc.yml.
	$(BIN)/python tools/setup_lab.py >/dev/null
	$(BIN)/jupyter lab --notebook-dir=. --LabApp.default_url=/lab/tree/START.md \
	  --MappingKernelManager.default_kernel_name=regbook $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

serve:
	@test -d _build/html || { echo "error: no _build/html yet; run 'make book' first"; exit 1; }
	@echo "Serving the book at http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	$(PYTHON) -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

bench: $(STAMP)
	$(BIN)/python benchmarks/notebooks.py
	$(BIN)/python benchmarks/explorers.py
	$(BIN)/python benchmarks/solvers.py
	$(BIN)/python benchmarks/pages.py

strip: $(STAMP)
	$(BIN)/python -m nbstripout --extra-keys "metadata.widgets cell.metadata.execution cell.metadata.user_expressions" $(addsuffix /*.ipynb,$(NOTEBOOK_DIRS))

clean:
	rm -rf _build .pytest_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -not -path "./node_modules/*" -prune -exec rm -rf {} +
