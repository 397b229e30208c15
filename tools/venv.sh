# The project's virtual environment .venv/ (git-ignored), sourced by tools/run.sh,
# tools/test.sh and tools/build_frozen.sh after they cd to the checkout:
#
#   . tools/venv.sh
#   ensure_venv [test] [build]     # then "$VENV_PY" is .venv's python
#
# The venv is made by the python3 first on PATH (Debian's /usr/bin/python3 is
# EXTERNALLY-MANAGED, PEP 668: nothing is ever installed into it) and holds the
# project as an editable install with the extras asked for.  .venv/workreport-stamp
# records what it was made from — a hash of pyproject.toml and the base interpreter —
# and, one per line, the extras installed so far.  It is reused while that is
# current; when pyproject.toml or the python3 on PATH changes it is made anew
# (python3 -m venv --clear), so dependencies dropped from pyproject.toml go too.
# An extra not yet installed (test, build) is added to the current venv.

ensure_venv() {
  local venv="$PWD/.venv"
  local stamp="$venv/workreport-stamp"
  local base
  base="$(command -v python3 || true)"
  if [ -z "$base" ]; then
    echo "venv: no python3 on PATH; install Python >= 3.11 (Debian/Ubuntu: python3 python3-venv)" >&2
    return 1
  fi
  # The base interpreter and its version, and pyproject.toml's hash: what the venv is made of.
  local key
  key="$("$base" -c '
import hashlib, sys
if sys.version_info < (3, 11):
    sys.exit(f"venv: {sys.executable} is Python {sys.version.split()[0]}; the program needs Python >= 3.11")
exe = getattr(sys, "_base_executable", None) or sys.executable
with open("pyproject.toml", "rb") as f:
    print(hashlib.sha256(f.read()).hexdigest()[:16], exe, sys.version.split()[0])
')" || return 1
  VENV_PY="$venv/bin/python"
  [ -x "$VENV_PY" ] || VENV_PY="$venv/Scripts/python.exe"  # Git Bash on Windows

  if [ "$(head -n 1 "$stamp" 2>/dev/null)" != "$key" ] || ! "$VENV_PY" -c '' 2>/dev/null; then
    if [ -e "$venv" ]; then
      echo "venv: pyproject.toml or python3 changed since .venv was made: making it anew with $base" >&2
    else
      echo "venv: making .venv with $base (Python ${key##* })" >&2
    fi
    if ! "$base" -m venv --clear "$venv"; then
      echo "venv: '$base -m venv' failed; on Debian/Ubuntu install python3-venv" >&2
      return 1
    fi
    VENV_PY="$venv/bin/python"
    [ -x "$VENV_PY" ] || VENV_PY="$venv/Scripts/python.exe"
    printf '%s\n' "$key" >"$stamp"
  fi

  # What is asked for and not installed yet ("base" is the project itself).
  local want=(base "$@") missing=() extra
  for extra in "${want[@]}"; do
    grep -qxF "$extra" <(tail -n +2 "$stamp") || missing+=("$extra")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local spec="." extras=()
  for extra in "${missing[@]}"; do [ "$extra" = base ] || extras+=("$extra"); done
  if [ ${#extras[@]} -gt 0 ]; then spec=".[$(IFS=,; echo "${extras[*]}")]"; fi
  echo "venv: pip install -e '$spec' into .venv" >&2
  "$VENV_PY" -m pip install -q --disable-pip-version-check --use-pep517 -e "$spec" || return 1
  printf '%s\n' "${missing[@]}" >>"$stamp"
}
