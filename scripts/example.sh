#!/usr/bin/env bash
# The main job on the bundled example: release the course with nbgrader, then grade the
# example submissions (an nbgrader submitted/ tree) into graded/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m course release
.venv/bin/python -m course grade examples/submitted --out graded
