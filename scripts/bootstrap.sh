#!/usr/bin/env bash
# Installs what inpractice needs into a virtual environment and ./node_modules, from the lock files.
#
#   bash scripts/bootstrap.sh          what the product needs to run (requirements/run.lock)
#   bash scripts/bootstrap.sh --dev    plus the test and developer tools (requirements/dev.lock)
#
# VENV (default .venv) names the environment. Safe to run repeatedly: it only reinstalls when a
# lock file has changed. The machine's own pip is never trusted with the lock: the venv's
# installer is first replaced by the one pinned, with hashes, in requirements/installer.lock. Packages
# are then installed with --no-deps from a lock that already names every dependency, so no
# resolver decides anything at install time, and `pip check` proves the set is whole.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=run
case "${1:-}" in
  --dev) mode=dev ;;
  "") ;;
  *) echo "usage: bash scripts/bootstrap.sh [--dev]" >&2; exit 2 ;;
esac
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "inpractice needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "inpractice needs Node.js and npm to install GOV.UK Frontend (apt-get install nodejs npm)." >&2
  exit 1
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "Creating $VENV with $("$PYTHON" --version 2>&1)" >&2
  if ! "$PYTHON" -m venv "$VENV"; then
    echo "Could not create a virtual environment: on Debian, apt-get install python3-venv." >&2
    exit 1
  fi
fi

stamp() { sha256sum requirements/installer.lock "requirements/$1.lock" pyproject.toml | sha256sum | cut -c1-16; }
installed=$(cat "$VENV/.installed" 2>/dev/null || true)
# A venv that holds the whole dev lock already has everything the run lock asks for.
if [ "$installed" != "$mode:$(stamp "$mode")" ] \
   && ! { [ "$mode" = run ] && [ "$installed" = "dev:$(stamp dev)" ]; }; then
  pip_install() {
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes "$@"
  }
  echo "Installing pip and setuptools from requirements/installer.lock" >&2
  pip_install -r requirements/installer.lock
  echo "Installing Python packages from requirements/$mode.lock" >&2
  pip_install --no-deps -r "requirements/$mode.lock"
  # The build backend came from installer.lock, so the editable install needs nothing from the index.
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
    --no-build-isolation -e .
  if ! check=$("$VENV/bin/python" -m pip check 2>&1); then
    echo "$check" >&2
    echo "requirements/$mode.lock is not a complete set of packages: regenerate it with scripts/lock.sh." >&2
    exit 1
  fi
  echo "$mode:$(stamp "$mode")" > "$VENV/.installed"
fi

npm_sum=$(sha256sum package-lock.json | cut -c1-16)
if [ "$(cat node_modules/.installed 2>/dev/null)" != "$npm_sum" ]; then
  echo "Installing GOV.UK Frontend from npm" >&2
  npm ci --no-audit --no-fund --loglevel=error
  echo "$npm_sum" > node_modules/.installed
fi
