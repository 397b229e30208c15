#!/usr/bin/env bash
# Install what the app needs and start it (first start opens a copy of the bundled sample).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-debian-deps.sh
python3 -m pip install -q --disable-pip-version-check -e .
exec python3 -m app "$@"
