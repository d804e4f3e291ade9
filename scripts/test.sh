#!/usr/bin/env bash
# The test command: install, lint, run the whole suite on SQLite, then again on PostgreSQL every
# test that touches the database (tests/conftest.py says which; the rest cannot differ).
# Browser tests drive Debian's Chromium; PostgreSQL is used at TEST_DATABASE_URL (default
# 127.0.0.1:5432) and started or installed here if it is missing (needs root for apt-get).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --dev || exit 1

# The production install, checked on its own: the run lock alone, into a venv of its own made by
# the machine's Python and its pip, must install and start. Repeated only when a lock changes.
echo "== production install (requirements/run.lock) ==" >&2
VENV=${PRODUCTION_VENV:-var/production-venv} bash scripts/bootstrap.sh >/dev/null || {
  echo "The production install from requirements/run.lock FAILED." >&2; exit 1; }
"${PRODUCTION_VENV:-var/production-venv}/bin/inpractice" --help >/dev/null || {
  echo "inpractice --help FAILED in the production install." >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1 \
    || { as_root apt-get update -q >/dev/null 2>&1 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1; }
}

if [ -z "${CHROMIUM:-}" ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    echo "Installing Chromium for the browser tests" >&2
    apt_install chromium || echo "Could not install chromium: browser tests will fail." >&2
  fi
  export CHROMIUM=$(command -v chromium || echo /usr/bin/chromium)
fi

# WeasyPrint (the report's PDF) needs Pango from the system.
if ! .venv/bin/python -c "import weasyprint" >/dev/null 2>&1; then
  echo "Installing Pango for WeasyPrint" >&2
  apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    || echo "Could not install Pango: PDF report tests will fail." >&2
fi

PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/inpractice}
pg_ready() { .venv/bin/python - "$PG_URL" <<'PY' >/dev/null 2>&1
import sys, psycopg, dj_database_url
c = dj_database_url.parse(sys.argv[1])
psycopg.connect(host=c["HOST"], port=c["PORT"] or 5432, user=c["USER"], password=c["PASSWORD"] or None, dbname="postgres", connect_timeout=3).close()
PY
}
if ! pg_ready; then
  echo "PostgreSQL is not answering at 127.0.0.1:5432; starting it" >&2
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "Installing PostgreSQL" >&2
    apt_install postgresql || echo "Could not install PostgreSQL." >&2
  fi
  for version in $(ls /etc/postgresql 2>/dev/null); do
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
  done
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
  if ! pg_ready && [ -z "${TEST_DATABASE_URL:-}" ]; then
    # A fresh Debian cluster uses password auth on TCP: give the postgres role one for the tests.
    as_root su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 || true
    PG_URL=postgres://postgres:postgres@127.0.0.1:5432/inpractice
  fi
fi

.venv/bin/ruff check inpractice tests bench || exit 1
.venv/bin/ruff format --check inpractice tests bench || exit 1
# The one-way flow between the layers (docs/architecture.md, "The import contract").
.venv/bin/lint-imports --no-cache --no-logo || exit 1

# The 15 slowest tests of each pass are printed, so a slow one is seen when it arrives.
status=0
echo "== pytest on SQLite: the whole suite ==" >&2
env -u DATABASE_URL -u INPRACTICE_TESTS .venv/bin/pytest --durations=15 "$@"
rc=$?; [ $rc -ne 0 ] && status=$rc

echo "== pytest on PostgreSQL ($PG_URL): the tests that touch the database ==" >&2
if pg_ready; then
  DATABASE_URL="$PG_URL" INPRACTICE_TESTS=database .venv/bin/pytest --durations=15 "$@"
  rc=$?; [ $rc -ne 0 ] && status=$rc
else
  echo "PostgreSQL could not be reached at $PG_URL: the PostgreSQL run FAILED." >&2
  status=1
fi
exit $status
