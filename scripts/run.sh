#!/usr/bin/env bash
# The run command: install, load the demo call into SQLite (var/inpractice.sqlite3), and serve
# on http://127.0.0.1:8000/. Set DATABASE_URL to use PostgreSQL instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/inpractice demo
exec .venv/bin/inpractice serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
