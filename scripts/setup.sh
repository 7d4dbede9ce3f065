#!/usr/bin/env bash
# Set up the course in .venv: PyTorch (2.13.0: the CPU build where a local CPU wheel is
# provided, as on CI; the usual PyPI build elsewhere), the course package and its tools.
# As root with apt-get it also installs bubblewrap (the grader's sandbox), and with --test
# Chromium and its driver (the browser tests), Redis (the grading queue's test) and the test and queue extras.
set -euo pipefail
cd "$(dirname "$0")/.."
debs="bubblewrap"
extras=""
if [ "${1:-}" = "--test" ]; then debs="$debs chromium chromium-driver redis-server"; extras="[test,queue]"; fi
missing=""
for deb in $debs; do dpkg -s "$deb" >/dev/null 2>&1 || missing="$missing $deb"; done
if [ -n "$missing" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "setup: installing$missing from Debian"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  python3 -m venv .venv
fi
echo "setup: installing PyTorch and the course package (a few minutes the first time)"
quiet() { "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2); }
quiet .venv/bin/pip install -q "${COURSE_TORCH:-torch==2.13.0}"
quiet .venv/bin/pip install -q -e ./kit  # the student kit first: the grader depends on it
quiet .venv/bin/pip install -q -e ".$extras"
.venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
echo "setup: done ($(.venv/bin/python -c 'import torch; print("torch", torch.__version__)'))"
