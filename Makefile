# Single entry point for building the test environment and running the tests
# of the acronis.cyber_platform collection. `make help` lists the targets.
#
# Everything runs from .venv (created here from tests/requirements.txt); the
# ansible-test stages run in a copy of the work tree placed at
# build/ansible_collections/acronis/cyber_platform, because ansible-test needs
# that path layout and the collection lives at the repository root.

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
.DEFAULT_GOAL := help

PYTHON ?= python3
# ansible-test runs on the venv's Python only (--python), so no test is skipped
# for a missing interpreter.
ifndef PY_VERSION
PY_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
endif
# The ansible-core matrix: the full suite runs on the ansible-core of
# tests/requirements.txt (2.19, in .venv); CORE=2.16 (2.17, 2.18) runs the
# stages that depend on ansible-core (venv, sanity, units-collection,
# integration, onboarding) on that release instead, from .venv-$(CORE) made from
# tests/matrix/$(CORE).txt. The simulator always runs from .venv.
CORE ?=
MATRIX_CORES := 2.16 2.17 2.18
MAIN_VENV := $(CURDIR)/.venv
ifdef CORE
VENV ?= $(CURDIR)/.venv-$(CORE)
REQUIREMENTS := tests/matrix/$(CORE).txt
VENV_DEPENDS := tests/matrix/$(CORE).txt tests/matrix/common.txt
# Every ansible-core stage of the matrix gets the subset of the integration
# targets that covers each module once (the full suite runs on 2.19).
INTEGRATION_TARGETS := $(if $(TARGET),$(TARGET),$(shell cat tests/integration/matrix_targets.txt))
export SIMULATOR_CMD := $(MAIN_VENV)/bin/python -m tests.simulator
else
VENV ?= $(MAIN_VENV)
REQUIREMENTS := requirements.txt tests/requirements.txt
VENV_DEPENDS := $(REQUIREMENTS)
INTEGRATION_TARGETS := $(TARGET)
endif
COLLECTION_ROOT ?= $(CURDIR)/build
COLLECTION_DIR := $(COLLECTION_ROOT)/ansible_collections/acronis/cyber_platform
SIM_PORT ?= 8765

# TEST=<sanity test name> narrows `make sanity`; TARGET=<name> narrows `make integration`.
TEST ?=
TARGET ?=

BIN := $(VENV)/bin
export PATH := $(BIN):$(PATH)
export ANSIBLE_FORCE_COLOR ?= 0
export PIP_DISABLE_PIP_VERSION_CHECK := 1

ANSIBLE_TEST := cd $(COLLECTION_DIR) && $(BIN)/ansible-test

.PHONY: help demo lifecycle-demo test test-matrix onboarding main-venv venv collection pip-bootstrap system-tools sanity units units-collection units-simulator \
        lint docs-lint docs-site ee awx release-test integration chaos two-jobs data-centers molecule simulator changelog-lint clean

help:
	@echo 'make demo                  onboard example customers against the bundled simulator (check, apply, apply again, summary)'
	@echo 'make lifecycle-demo        after onboarding: agent tokens, agents installed, plans applied and run, one failing backup, the fleet report'
	@echo 'make test                  everything CI runs (venv, sanity, units, lint, docs-lint, docs-site, ee, integration, chaos, two-jobs, data-centers, awx, lifecycle-demo, release-test, molecule)'
	@echo 'make test-matrix [CORE=2.16]  the ansible-core matrix alone: sanity, units, integration subset, onboarding on 2.16, 2.17, 2.18 (or one)'
	@echo 'make venv                  create .venv with the pinned tools from tests/requirements.txt'
	@echo '  CORE=2.16|2.17|2.18      (with venv, sanity, units-collection, integration, onboarding) run on that ansible-core'
	@echo 'make sanity [TEST=name]    ansible-test sanity (all tests, or one, e.g. TEST=validate-modules)'
	@echo 'make units                 unit tests (tests/unit via ansible-test) and the simulator suite (pytest)'
	@echo 'make lint                  ansible-lint, production profile'
	@echo 'make docs-lint             antsibull-docs lint-collection-docs --plugin-docs'
	@echo 'make docs-site             the docs site (antsibull-docs + Sphinx, warnings are errors) in build/docs/html'
	@echo 'make ee                    render the execution environment build context (ansible-builder create) and check it'
	@echo 'make awx                   the onboarding job through ansible-runner as AWX runs it, against a simulator'
	@echo 'make release-test          build the artifact, install it offline, run the onboarding from it against a simulator'
	@echo 'make integration [TARGET=name]  ansible-test integration against a simulator on a free port'
	@echo 'make onboarding            the example onboarding on both execution paths (in the worker, as a module): checked, applied, applied again with no write'
	@echo 'make chaos                 onboarding under a seeded 20% fault plan, killed halfway, with expiring tokens: it converges'
	@echo 'make two-jobs              two onboarding jobs of 20 customers at once against one simulator: both succeed, nothing twice'
	@echo 'make data-centers          the request budget (forks 20 at 5 requests per second: never more than 5 in a second); two data centers in one run'
	@echo 'make molecule              molecule scenarios under extensions/molecule (if any)'
	@echo 'make simulator             run the simulator in the foreground on port $(SIM_PORT), credentials in sim-credentials.json'
	@echo 'make clean                 remove build/, tests/output and the generated integration config (keeps .venv)'

test:
	@bash tests/utils/run_all.sh

test-matrix:
	@bash tests/utils/run_all.sh --matrix $(or $(CORE),$(MATRIX_CORES))

# The README's main command: see demo/run_demo.sh.
demo: venv
	@bash demo/run_demo.sh

# After onboarding, the customers' protection and the fleet report: see demo/run_lifecycle_demo.sh.
lifecycle-demo: venv
	@VENV_BIN=$(BIN) bash demo/run_lifecycle_demo.sh

# --- environment -----------------------------------------------------------

venv: $(VENV)/.installed

$(VENV)/.installed: $(VENV_DEPENDS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check $(addprefix -r ,$(REQUIREMENTS))
	@$(BIN)/python -c 'import ansible; print("ansible-core", ansible.__version__)'
	@touch $@

# The main .venv, for what runs from it whatever CORE says (the simulator).
main-venv:
	@$(MAKE) --no-print-directory --silent venv CORE= VENV=$(MAIN_VENV)

# Copy of the work tree in an ansible_collections/acronis/cyber_platform path.
collection: venv
	@$(BIN)/python tests/utils/sync_collection.py $(CURDIR) $(COLLECTION_DIR)

# ansible-test's sanity venvs bootstrap pip from a host we cannot reach; see the script.
pip-bootstrap: venv
	@$(BIN)/python tests/utils/prime_pip_bootstrap.py

# Programs some sanity tests need that PyPI does not have (shellcheck); installed
# from Debian's packages when running as root, as in CI.
system-tools:
	@command -v shellcheck >/dev/null || { \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	        echo 'installing shellcheck (Debian package)'; \
	        export DEBIAN_FRONTEND=noninteractive; \
	        apt-get install -y -qq shellcheck >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq shellcheck >/dev/null; }; \
	    else \
	        echo 'sanity needs shellcheck: install the shellcheck package'; exit 1; \
	    fi; }

# --- stages ------------------------------------------------------------------

sanity: collection pip-bootstrap system-tools
	@rm -f $(COLLECTION_ROOT)/sanity.log
	@status=0; \
	( $(ANSIBLE_TEST) sanity --python $(PY_VERSION) --color no $(if $(TEST),--test $(TEST)) ) 2>&1 | tee $(COLLECTION_ROOT)/sanity.log || status=$$?; \
	bash $(CURDIR)/tests/utils/check_sanity_log.sh $(COLLECTION_ROOT)/sanity.log || status=1; \
	exit $$status

units: units-collection units-simulator

units-collection: collection
	@bash tests/utils/run_units.sh collection $(COLLECTION_DIR) $(PY_VERSION)

units-simulator: venv
	@bash tests/utils/run_units.sh simulator $(CURDIR) $(PY_VERSION)

# .ansible-lint sets offline mode (no network); the collection is found in the
# ansible_collections copy instead of being installed by ansible-lint.
lint: collection
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTION_ROOT) $(BIN)/ansible-lint --profile production

docs-lint: collection
	cd $(COLLECTION_ROOT) && $(BIN)/antsibull-docs lint-collection-docs --plugin-docs ansible_collections/acronis/cyber_platform

# The collection's docs as a site: open build/docs/html/index.html.
docs-site: collection
	@bash tests/utils/docs_site.sh $(COLLECTION_ROOT)

# tests/ecosystem: plain pytest from the repository root (the AWX test starts
# its own simulator with python -m tests.simulator).
ee: venv
	$(BIN)/python -m pytest -p no:cacheprovider -q tests/ecosystem/test_execution_environment.py

awx: venv
	$(BIN)/python -m pytest -p no:cacheprovider -q tests/ecosystem/test_awx_runner.py

release-test: venv
	@bash tests/utils/release_test.sh

changelog-lint: venv
	$(BIN)/antsibull-changelog lint

integration: collection main-venv
	@bash tests/utils/run_integration.sh $(COLLECTION_DIR) $(PY_VERSION) $(INTEGRATION_TARGETS)

onboarding: venv main-venv
	@VENV_BIN=$(MAIN_VENV)/bin bash tests/utils/onboarding_paths.sh $(BIN)

# Faults, a run killed halfway and tokens that expire mid-run, through the onboarding playbook (10 customers).
chaos: venv
	$(BIN)/python benchmarks/chaos.py -n 10 --rate 0.2 --seed 1 --check
	$(BIN)/python tests/utils/resilience.py kill token

# Two copies of the onboarding job (20 customers, forks 10, a token cache each) at the same moment against one
# simulator with 50 ms latency, as two AWX jobs: both rc=0, 0 failed hosts, 0 duplicates; a third run changes nothing.
two-jobs: venv
	$(BIN)/python tests/utils/two_jobs.py -n 20 --forks 10 --latency 0.05

# A data center's request budget: the onboarding of 10 customers with forks 20 and a limit of 5 requests per
# second; the simulator never counts more than 5 within one second, and the run converges. Then two data
# centers (two simulators) in one run: each customer in its own, one token each, and the inventory lists both.
data-centers: venv
	$(BIN)/python tests/utils/request_budget.py -n 10 --forks 20 --rate 5
	$(BIN)/python tests/utils/two_data_centers.py -n 3

# Hook for the roles' molecule scenarios: runs them once extensions/molecule
# exists (the collection is found in the ansible_collections copy).
molecule: collection
	@if [ -d extensions/molecule ]; then \
	    cd extensions && ANSIBLE_COLLECTIONS_PATH=$(COLLECTION_ROOT) $(BIN)/molecule test --all; \
	else \
	    echo 'molecule: no extensions/molecule directory yet, nothing to run'; \
	fi

simulator: venv
	$(BIN)/python -m tests.simulator --port $(SIM_PORT) --credentials-out sim-credentials.json

clean:
	rm -rf $(COLLECTION_ROOT) tests/output tests/integration/integration_config.yml
