#!/usr/bin/env bash
# The README's test command: install everything the tests need, then run them.
#
#   Debian/Ubuntu packages of tools/deps-debian-runtime.txt and tools/deps-debian-test.txt
#   (LibreOffice, poppler, Xvfb for the tests that render exported documents); then the
#   project with its "test" extra in .venv/ (tools/venv.sh), made by the python3 first
#   on PATH.  Arguments go to pytest (tools/test.sh -q -x tests/test_cli.py).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-debian-deps.sh test
. tools/venv.sh
ensure_venv test
export QT_QPA_PLATFORM=offscreen
exec "$VENV_PY" -m pytest "$@"
