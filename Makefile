# SamePage: `make run` serves the demo district, `make test` runs the whole suite.
# Both set up everything they need from the lock file; nothing is installed by hand.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
UV_VERSION := 0.13.8

.PHONY: run test setup lint typecheck checks browser-deps messages lock clean serve rehearse loadtest

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)
	@sh scripts/ensure-system-packages.sh
	@mkdir -p var
	@$(BIN)/python manage.py compilemessages --ignore=.venv -v 0

run: setup
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py runserver 127.0.0.1:8000

browser-deps:
	sh scripts/ensure-chromium.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy samepage

checks: setup
	$(BIN)/python manage.py makemigrations --check --dry-run -v 1
	sh scripts/check-deploy.sh $(BIN)/python

test: setup browser-deps lint typecheck checks
	$(BIN)/pytest -n 2 --dist loadgroup

# The benchmark (bench/README.md): PostgreSQL at 127.0.0.1:5432. Districts of 1,000 and
# 100,000 students are kept between runs (REBUILD=1 builds them again), then every
# measurement script in bench/ runs in turn.
BENCH_LIBS := bench/__init__.py bench/settings.py bench/urls.py bench/generator.py \
	bench/keypages.py bench/district.py bench/pages.py
.PHONY: bench
bench: setup
	$(BIN)/python bench/district.py build --students 1000 --database samepage_bench_1k --keep $(if $(REBUILD),--rebuild)
	$(BIN)/python bench/district.py build --students 100000 --database samepage_bench_100k --keep $(if $(REBUILD),--rebuild)
	$(BIN)/python bench/pages.py
	@set -e; for script in $(sort $(filter-out $(BENCH_LIBS),$(wildcard bench/*.py))); do \
		echo "== $$script"; $(BIN)/python $$script; done

messages: setup
	$(BIN)/python manage.py makemessages -l es --ignore=.venv --ignore=var --ignore="*/tests/*" --ignore="*/browser_tests/*" --no-obsolete --no-location
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Two gunicorn instances and two task workers on a scratch PostgreSQL database, a short
# load across both, and the 200-person locust test for a minute (scripts/rehearse.py).
rehearse: setup
	$(BIN)/python scripts/rehearse.py --seconds 20 --locust-users 200 --locust-seconds 60 \
		$(REHEARSE_ARGS)

# The same with the load test's full ten minutes (the benchmark's figure).
loadtest: setup
	$(BIN)/python scripts/rehearse.py --seconds 10 --locust-users 200 --locust-seconds 600 \
		--json bench/results/loadtest.json

lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) var/test-*
