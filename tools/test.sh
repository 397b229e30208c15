#!/usr/bin/env bash
# Install everything the tests need, then run them (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-debian-deps.sh
python3 -m pip install -q --disable-pip-version-check -e ".[test]"
export QT_QPA_PLATFORM=offscreen
python3 -m pytest "$@"
