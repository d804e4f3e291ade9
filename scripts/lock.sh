#!/usr/bin/env bash
# Regenerates the lock files, every package pinned with its hashes. Versions already locked are
# kept unless you pass --upgrade or --upgrade-package NAME, which go to `uv pip compile`.
#   requirements/installer.lock  pip and setuptools, put into every venv first (bootstrap.sh),
#                                from requirements/installer.in
#   requirements/run.lock        what the product needs to run: a production install
#   requirements/dev.lock        run.lock plus the test and developer tools; constrained to
#                                run.lock so the two never disagree on a version
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-.venv/bin/uv}
if ! [ -x "$UV" ] && ! command -v "$UV" >/dev/null 2>&1; then
  echo "uv is not installed: run 'bash scripts/bootstrap.sh --dev' first (or set UV=/path/to/uv)." >&2
  exit 1
fi
common=(--python-version 3.11 --generate-hashes --custom-compile-command "bash scripts/lock.sh" --quiet)
"$UV" pip compile requirements/installer.in "${common[@]}" -o requirements/installer.lock "$@"
"$UV" pip compile pyproject.toml "${common[@]}" -o requirements/run.lock "$@"
"$UV" pip compile pyproject.toml --extra dev -c requirements/run.lock "${common[@]}" \
  -o requirements/dev.lock "$@"
