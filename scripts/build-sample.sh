#!/usr/bin/env bash
# One command from a fresh clone: install course-builder into .venv and build the sample course into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
[[ -x .venv/bin/python ]] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
.venv/bin/course-builder check content
.venv/bin/course-builder build content --out build
