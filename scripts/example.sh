#!/usr/bin/env bash
# The main job on the bundled example: build the course (reference modules, the release with nbgrader,
# the example submissions as an nbgrader submitted/ tree), then grade the examples into graded/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m course build
.venv/bin/python -m course grade examples/submitted --out graded
