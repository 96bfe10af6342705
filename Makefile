# The two commands: `make run` (the main job) and `make test` (the suite).
# Each creates .venv if missing and installs learnflow with its test extra.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The offline MNIST test set beside the checkout, when there is one.
export LEARNFLOW_DATA ?= $(wildcard $(CURDIR)/../shared/datasets/mnist)

.PHONY: run test test-all test-gpu bench bench-gpu install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	# torch first and pinned: a CPU build of 2.13.0 is on local disk here.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/learnflow datasets
	$(BIN)/learnflow project --quick

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

test-all: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q -m ""

# The venv holds the pinned CPU build of torch: on a GPU machine the CUDA cases
# and GPU benchmarks run with that machine's own python3 and its CUDA torch.
test-gpu:
	BENCH=0 scripts/gpu_check.sh

bench-gpu:
	scripts/gpu_check.sh

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
