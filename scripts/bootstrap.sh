#!/usr/bin/env bash
# Installs what inpractice needs into ./.venv and ./node_modules, from the lock files.
# Safe to run repeatedly: it only reinstalls when a lock file has changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "inpractice needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "inpractice needs Node.js and npm to install GOV.UK Frontend (apt-get install nodejs npm)." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv" >&2
  "$PYTHON" -m venv .venv
fi
lock_sum=$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -c1-16)
if [ "$(cat .venv/.installed 2>/dev/null)" != "$lock_sum" ]; then
  echo "Installing Python packages from requirements.lock" >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
  echo "$lock_sum" > .venv/.installed
fi

npm_sum=$(sha256sum package-lock.json | cut -c1-16)
if [ "$(cat node_modules/.installed 2>/dev/null)" != "$npm_sum" ]; then
  echo "Installing GOV.UK Frontend from npm" >&2
  npm ci --no-audit --no-fund --loglevel=error
  echo "$npm_sum" > node_modules/.installed
fi
