# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STORE ?= .store
STAMP := $(VENV)/.installed

.PHONY: run test install ingest serve bench lint clean chromium tesseract

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, pinned, so pip takes the CPU wheel and not gigabytes of CUDA packages
	$(BIN)/pip install --quiet torch==2.13.0
	# scale: Ray and pyarrow, so the two-node Ray test runs (it skips, saying why, where Ray cannot install)
	$(BIN)/pip install --quiet -e ".[test]"
	$(BIN)/pip install --quiet -e ".[test,scale]" || echo "Ray could not be installed: the Ray tests will be skipped"
	# the bundled model is converted to ONNX once, here, so no later command waits for it
	$(BIN)/python -c "from index.embed import load_embedder; from ingest.settings import Settings; load_embedder(Settings())"
	touch $(STAMP)

install: $(STAMP)

# The main job: ingest the bundled corpus (once; reruns change nothing) and serve it.
run: $(STAMP) tesseract
	$(BIN)/councilpapers ingest --store $(STORE) corpus/
	$(BIN)/councilpapers serve --store $(STORE)

ingest: $(STAMP)
	$(BIN)/councilpapers ingest --store $(STORE) corpus/

test: $(STAMP) chromium tesseract
	$(BIN)/python -m pytest -q

# The browser test drives Debian's chromium; install it where we can, else that one test skips.
chromium:
	@test -x /usr/bin/chromium || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium not installed: the browser test will be skipped"; }

# Scanned PDF pages are read by Debian's tesseract; install it where we can, else scans are refused as before.
tesseract:
	@test -x /usr/bin/tesseract || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-eng \
	  >/dev/null) || echo "tesseract not installed: scanned pages will not be read and the OCR tests will be skipped"; }

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_parse.py ../shared/corpus/pdf/

lint: $(STAMP)
	$(BIN)/ruff check ingest nlp index api tests benchmarks docs
	$(BIN)/ruff format --check ingest nlp index api tests benchmarks docs

clean:
	rm -rf $(VENV) $(STORE)
