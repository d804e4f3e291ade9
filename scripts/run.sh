#!/usr/bin/env bash
# The run command: install, load the demo call into SQLite (var/inpractice.sqlite3), and serve
# on http://127.0.0.1:8000/ with a background worker beside it (analyses and retraining started
# from the browser run there). Set DATABASE_URL to use PostgreSQL instead; WORKERS=0 starts no
# worker (run `inpractice worker` elsewhere, docs/workers.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/inpractice demo
worker=""
if [ "${WORKERS:-1}" != "0" ]; then
  .venv/bin/inpractice worker &
  worker=$!
  # Stop the worker with the web server (Ctrl+C reaches both; this covers other exits).
  trap '[ -n "$worker" ] && kill "$worker" 2>/dev/null; wait 2>/dev/null || true' EXIT
fi
.venv/bin/inpractice serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
