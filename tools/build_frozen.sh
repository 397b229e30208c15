#!/usr/bin/env bash
# Build the frozen program dist/workreport/ with PyInstaller (build_installer.spec).
# The same spec builds workreport.exe + workreport-cli.exe on Windows (docs/installer.md);
# CI builds it on Linux to prove the spec, then tools/check_frozen.sh runs the result.
set -euo pipefail
cd "$(dirname "$0")/.."
# Qt's libraries (libEGL, libxkbcommon, fontconfig…) must be present for PyInstaller's
# binary analysis, as for the tests, and the shared libpython it bundles
# (tools/deps-debian-build.txt).
bash tools/install-debian-deps.sh build
# PyInstaller and its hooks: the "build" extra in the project's .venv/ (tools/venv.sh),
# so that the bundle holds the venv's libraries, never the system Python's.
. tools/venv.sh
ensure_venv build
# The Windows version resource is written from app.__version__ at build time; parse it
# here too, so that a version string PyInstaller would reject fails on Linux CI first.
"$VENV_PY" tools/version_info.py --check
start=$(date +%s)
"$VENV_PY" -m PyInstaller --noconfirm --clean --log-level WARN build_installer.spec
seconds=$(( $(date +%s) - start ))
echo "build_frozen: dist/workreport built in ${seconds} s, $(du -sh dist/workreport | cut -f1)"
