# Two commands on a fresh machine: `make run` and `make test`. Only Python >= 3.11 needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
TRACKS ?= 100000
USERS ?= 20000
VOTES ?= 1000000
# npm tools for the quality checks, kept outside the repo (not needed by make run or make test).
TOOLS_CACHE ?= $(HOME)/.cache/aimusicstore-tools
VNU_JAR_VERSION := 26.9.27
LIGHTHOUSE_VERSION := 12.2.3
LIGHTHOUSE_PORT ?= 8199
VNU_JAR := $(TOOLS_CACHE)/node_modules/vnu-jar/build/dist/vnu.jar
LIGHTHOUSE := $(TOOLS_CACHE)/node_modules/.bin/lighthouse

.PHONY: run serve test html-check lighthouse bench bench-analysis scale-data lint fmt clean check-isolation backup restore soak schemathesis

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)  ## the demo store with web, worker and beat; Ctrl-C stops everything
	PORT=$(PORT) DEBUG=1 exec $(PY) scripts/dev.py run

serve: $(STAMP)  ## production shape: gunicorn, DEBUG off, whitenoise, worker and beat
	PORT=$(PORT) ALLOW_INSECURE_SECRET_KEY=1 exec $(PY) scripts/dev.py serve

test: $(STAMP)  ## the whole suite on real PostgreSQL, Redis, Celery and Chromium
	exec $(PY) scripts/dev.py test $(ARGS)

$(VNU_JAR):
	npm install --prefix $(TOOLS_CACHE) --no-audit --no-fund --loglevel=error vnu-jar@$(VNU_JAR_VERSION)

$(LIGHTHOUSE):
	npm install --prefix $(TOOLS_CACHE) --no-audit --no-fund --loglevel=error lighthouse@$(LIGHTHOUSE_VERSION)

html-check: $(STAMP) $(VNU_JAR)  ## Nu HTML checker on home, browse, track, top, studio upload (needs java, npm)
	DEBUG=1 $(PY) scripts/dev.py manage migrate --noinput -v 0
	VNU_JAR=$(VNU_JAR) DEBUG=1 $(PY) scripts/dev.py script scripts/html_check.py

lighthouse: $(STAMP) $(LIGHTHOUSE)  ## Lighthouse mobile scores of home, track, browse against make serve on LIGHTHOUSE_PORT
	LIGHTHOUSE=$(LIGHTHOUSE) PORT=$(LIGHTHOUSE_PORT) ALLOW_INSECURE_SECRET_KEY=1 $(PY) scripts/dev.py script scripts/lighthouse.py $(ARGS)

bench: $(STAMP)
	$(PY) scripts/dev.py bench --tracks $(TRACKS) --users $(USERS) --votes $(VOTES) $(ARGS)

bench-analysis: $(STAMP)  ## seconds of audio analysis per 30 s preview; re-upload lookup at 100k fingerprints
	DEBUG=1 $(PY) scripts/dev.py manage migrate --noinput -v 0
	DEBUG=1 $(PY) scripts/dev.py manage bench_analysis $(ARGS)

scale-data: $(STAMP)  ## migrates first, so an empty database named by DATABASE_URL works too
	DEBUG=1 $(PY) scripts/dev.py manage migrate --noinput -v 0
	DEBUG=1 $(PY) scripts/dev.py manage scale_data --tracks $(TRACKS) --users $(USERS) --votes $(VOTES)

check-isolation: $(STAMP)  ## two clones: `make run` in one, `make test` in both at once; ARGS= a pytest subset
	ARGS="$(ARGS)" $(PY) scripts/check_isolation.py

backup: $(STAMP)  ## pg_dump + media into backups/<time> (or BACKUP=dir)
	$(PY) scripts/dev.py script scripts/backup.py backup $(BACKUP)

restore: $(STAMP)  ## BACKUP=backups/<time>: the database (replaced) and media from a backup
	test -n "$(BACKUP)" || (echo "usage: make restore BACKUP=backups/<time>" && exit 2)
	$(PY) scripts/dev.py script scripts/backup.py restore $(BACKUP)

soak: $(STAMP)  ## 10 min of mixed traffic against make serve (SOAK_SECONDS=), Redis down 30 s midway
	PORT=$(PORT) ALLOW_INSECURE_SECRET_KEY=1 $(PY) scripts/dev.py script scripts/soak.py $(ARGS)

schemathesis: $(STAMP)  ## the whole API, 100 examples per operation, every check, against make serve (real limits)
	PORT=$(PORT) ALLOW_INSECURE_SECRET_KEY=1 $(PY) scripts/dev.py script scripts/schemathesis_live.py $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf .data staticfiles
