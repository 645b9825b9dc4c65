# FloorPlan: `make run` serves the synthetic demo clinic, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# WeasyPrint's system libraries (Debian package -> library file it provides).
SYSTEM_LIBS := libpango-1.0-0:libpango-1.0.so.0 libpangoft2-1.0-0:libpangoft2-1.0.so.0 \
               libharfbuzz-subset0:libharfbuzz-subset.so.0 libfontconfig1:libfontconfig.so.1

.PHONY: install run serve demo test bench worker lint migrations-check check-system clean docs messages

# Translation catalogues: the .po files are committed, the compiled .mo files are built here.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

$(BIN)/.installed: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "FloorPlan needs Python 3.11; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

install: $(BIN)/.installed $(MO_FILES)

# Rebuilt only when its .po changed (compilemessages needs GNU gettext's msgfmt).
$(MO_FILES): %.mo: %.po | $(BIN)/.installed
	$(BIN)/python manage.py compilemessages --locale $(word 2,$(subst /, ,$@)) --ignore .venv --ignore var -v0

# Extracts every translatable string (templates, Python, the pure modules' clinic.i18n
# calls) into locale/<lang>/LC_MESSAGES/django.po. The output is stable: file-only
# locations and no creation date, so running it twice changes nothing.
messages: install
	$(BIN)/python manage.py makemessages --all --add-location file --no-obsolete \
	  --ignore .venv --ignore var --ignore tests --ignore bench --ignore docs -v0
	sed -i '/^"POT-Creation-Date: /d' $(PO_FILES)

check-system:
	@missing=""; for pair in $(SYSTEM_LIBS); do \
	  pkg=$${pair%%:*}; lib=$${pair##*:}; \
	  ldconfig -p | grep -q "$$lib" || missing="$$missing $$pkg"; \
	done; \
	fc-list 2>/dev/null | grep -q . || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  echo "Missing system packages for PDF printing:$$missing"; \
	  echo "Install them with: sudo apt-get install$$missing"; exit 1; \
	fi

demo: install check-system
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py loaddata fixtures/demo_clinic.json -v0
	$(BIN)/python manage.py load_library -v0
	$(BIN)/python manage.py load_demo_story

run: demo
	@echo ""
	@echo "FloorPlan demo clinic (synthetic data) on http://$(HOST)/"
	@echo "  therapist:     tess  / floorplan-demo   (Riverside Pelvic Health)"
	@echo "  colleague:     colin / floorplan-demo   (Riverside Pelvic Health)"
	@echo "  clinic admin:  adele / floorplan-demo   (Riverside Pelvic Health)"
	@echo "  other clinic:  omar  / floorplan-demo   (Harbour Physiotherapy)"
	@echo ""
	@# Queues the daily prune (once: it re-queues itself) for the worker.
	$(BIN)/python manage.py prune --schedule -v0
	@# The print worker runs beside the server and stops with it (Ctrl+C, or the server exiting).
	DEBUG=1 $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

# The demo clinic the production way: DEBUG off, hashed and compressed static files served by
# WhiteNoise, gunicorn with 2 x cores + 1 workers (WEB_CONCURRENCY overrides), and the tasks
# worker beside it; Ctrl+C (or SIGTERM to this shell) stops both. SECURE_HTTPS=0 only because
# this is plain HTTP on loopback: a real server keeps the default (on) behind a TLS proxy
# (docs/deploy.md). /healthz and /readyz answer load balancers.
SERVE_ENV := MANIFEST_STATIC=1 SECURE_HTTPS=0

serve: demo
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --no-input -v0
	@echo ""
	@echo "FloorPlan demo clinic (synthetic data, production server) on http://$(HOST)/"
	@echo "  therapist:     tess  / floorplan-demo   (Riverside Pelvic Health)"
	@echo "  colleague:     colin / floorplan-demo   (Riverside Pelvic Health)"
	@echo "  clinic admin:  adele / floorplan-demo   (Riverside Pelvic Health)"
	@echo "  other clinic:  omar  / floorplan-demo   (Harbour Physiotherapy)"
	@echo "  health:        http://$(HOST)/healthz   http://$(HOST)/readyz"
	@echo ""
	$(BIN)/python manage.py prune --schedule -v0
	@# Both in the background and the shell waiting: a trapped signal then acts at once
	@# (a shell runs traps only after its foreground command ends).
	@# The worker at -v0: the heartbeat task (clinic/health.py) would log a line every 20 s;
	@# task results and failures are kept in the database (the Django admin shows them).
	trap 'kill $$web $$worker 2>/dev/null; wait $$web $$worker' EXIT INT TERM; \
	$(SERVE_ENV) $(BIN)/python manage.py db_worker --no-reload -v0 & worker=$$!; \
	$(SERVE_ENV) $(BIN)/gunicorn clinic.wsgi:application --bind $(HOST) \
	  --workers $${WEB_CONCURRENCY:-$$((2 * $$(nproc) + 1))} --timeout 120 --graceful-timeout 20 --no-control-socket & web=$$!; \
	wait $$web

# Runs background jobs (batch printing) queued in the database; Ctrl+C stops it.
worker: install
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py prune --schedule -v0
	$(BIN)/python manage.py db_worker

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# docs/clinical-rules.md is written from the rules; a test fails when it is out of date.
docs: install
	$(BIN)/python manage.py clinical_rules_doc

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis $(MO_FILES)
