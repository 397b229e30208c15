#!/usr/bin/env bash
# The README's first command: install what running the program needs, then start it
# (the first start opens a copy of the bundled sample report).
#
#   Debian/Ubuntu packages of tools/deps-debian-runtime.txt (Qt's libraries, fonts,
#   python3-venv) — not LibreOffice, which only the tests use; then the project in
#   .venv/ (tools/venv.sh), made by the python3 first on PATH.
#
# Arguments go to the program (a report file, or a sub-command: tools/run.sh --version).
# Smoke mode, for CI: WORKREPORT_SMOKE_EXIT=1 (with QT_QPA_PLATFORM=offscreen on a
# machine without a display) starts it through tools/frozen_main.py, which quits
# 250 ms after the main window is shown and prints one "workreport-smoke: shown …"
# line on stderr (exit 1 on an exception, 3 when no window came).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-debian-deps.sh runtime
. tools/venv.sh
ensure_venv
if [ -n "${WORKREPORT_SMOKE_EXIT:-}" ]; then
  exec "$VENV_PY" tools/frozen_main.py "$@"
fi
exec "$VENV_PY" -m app "$@"
