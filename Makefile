PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: venv demo test lint bench bench-archive bench-dup eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/warta demo --db archive.db

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 tests

lint: $(STAMP)
	$(BIN)/ruff check crawler spiders pipelines archive tests bench
	$(BIN)/mypy crawler spiders pipelines archive

bench: $(STAMP)
	$(BIN)/python -m bench.crawl_overhead

# The archive at a million articles (several GB under /tmp, deleted after); N=20000 for a quick run.
bench-archive: $(STAMP)
	$(BIN)/python -m bench.archive_scale $(if $(N),--n $(N))

# Near-duplicate quality (precision/recall curve) and cost at 10k/100k/1M archived
# articles; ~10 minutes and ~2 GB of temporary disk, so not part of `make bench`.
bench-dup: $(STAMP)
	$(BIN)/python -m bench.near_dup

eval: $(STAMP)
	$(BIN)/python -m bench.eval_extraction
	$(BIN)/python -m bench.eval_relevance

clean:
	rm -rf $(VENV) archive.db archive.db-wal archive.db-shm .pytest_cache
