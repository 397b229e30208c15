#!/usr/bin/env bash
# Install the Debian/Ubuntu packages a script needs (a no-op when they are present).
#
#   install-debian-deps.sh runtime   tools/deps-debian-runtime.txt (tools/run.sh)
#   install-debian-deps.sh test      that list and tools/deps-debian-test.txt (tools/test.sh)
#   install-debian-deps.sh build     that list and tools/deps-debian-build.txt (tools/build_frozen.sh)
#
# Without apt-get (another distribution, macOS), or without root and sudo, it prints one
# line saying what to install and exits 0: the caller goes on with its venv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
case "${1:-}" in
  runtime) lists=(runtime) ;;
  test) lists=(runtime test) ;;
  build) lists=(runtime build) ;;
  *) echo "usage: $0 runtime|test|build" >&2; exit 2 ;;
esac
pkgs=()
for list in "${lists[@]}"; do  # (no mapfile: macOS has bash 3.2)
  while read -r p; do pkgs+=("$p"); done < <(grep -vE '^[[:space:]]*(#|$)' "$here/deps-debian-$list.txt")
done
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  what="Python >= 3.11 with its venv module, Qt 6's system libraries (EGL/GL, fontconfig, xkbcommon, D-Bus, xcb-cursor, CUPS), the Noto Sans CJK TC and TW-Kai fonts"
  [ "$1" = test ] && what="$what, LibreOffice (Writer, Calc), poppler-utils and Xvfb"
  [ "$1" = build ] && what="$what, binutils and the shared libpython of that Python"
  echo "install-debian-deps: no apt-get here; install yourself: $what (Debian names: ${pkgs[*]})" >&2
  exit 0
fi
# Installed packages and the names they provide: Ubuntu 24.04's 64-bit-time packages
# (libglib2.0-0t64, libcups2t64…) provide the names listed here.
installed="$(dpkg-query -W -f='${db:Status-Abbrev}|${Package}|${Provides}\n' 2>/dev/null |
  awk -F'|' '$1 ~ /^ii/ { print $2; n = split($3, p, ", "); for (i = 1; i <= n; i++) { split(p[i], w, " "); print w[1] } }' || true)"
missing=()
for p in "${pkgs[@]}"; do
  grep -qxF "$p" <<<"$installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-debian-deps: not root and no sudo; as root run: apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 0
  fi
  SUDO=(sudo)
fi
echo "install-debian-deps: apt-get install ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
