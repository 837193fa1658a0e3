#!/usr/bin/env bash
# One command from a fresh clone: install everything the tests need, then run ruff and the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh --test
[[ -x .venv/bin/python ]] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
.venv/bin/ruff check course_builder tests benchmarks
.venv/bin/python -m pytest -n 2 "$@"
