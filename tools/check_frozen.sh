#!/usr/bin/env bash
# Run the frozen program dist/workreport/ as an office PC would: from an empty folder,
# with a bare environment (no project Python on PATH, no PYTHONPATH, no source tree
# to import from), and check what it writes.
#
#   --version; sample s.awr; check s.awr; templates (the bundled .awt files); check --proofread (校對 tables and OpenCC's
#     data in the bundle: a simplified character is found); a refused export (exit 2);
#   export to docx, xlsx, odt, pdf (and ods, csv, json): real documents — a zip with the
#     right main part that parses as XML and contains the report's text; %PDF-…%%EOF with
#     the text extractable (pdftotext, when installed);
#   import of the exported json/docx/xlsx/odt/ods back into a report (jsonschema and its
#     data, defusedxml: in the bundle);
#   the GUI on the sample: window shown offscreen (and on Xvfb through xcb, when
#     xvfb-run is installed), Qt's zh_TW catalogue loaded from the bundle, quit
#     (WORKREPORT_SMOKE_EXIT, tools/frozen_main.py);
#   every bundled library finds its Qt libraries (ldd); folder at most 200 MB.
#
# Every format's exporter and importer must be in the tree and work frozen.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dist="$root/dist/workreport"
exe="$dist/workreport"
[ -x "$exe" ] || { echo "check_frozen: no $exe — run tools/build_frozen.sh first" >&2; exit 1; }
MAX_MB=200
# The checker's own Python (module_file, validate): the project's .venv/ made by
# tools/build_frozen.sh — the system python3 has none of the project's libraries.
py="$root/.venv/bin/python"
[ -x "$py" ] || py="$(command -v python3)"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
failures=0
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }
ok() { echo "ok    $*"; }

# The frozen program with nothing of ours around it: LANG only to keep Qt from
# warning about the C locale, HOME so that settings and the data folder are private.
frozen() {
  timeout 300 env -i PATH=/usr/bin:/bin HOME="$tmp/home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    WORKREPORT_DATA_DIR="$tmp/data" "$@"
}
mkdir -p "$tmp/home"

# Modules behind each format, from the source tree (to tell "not written yet" from "broken").
# The checker may use the build's Python; only the frozen program must do without it.
module_file() {  # kind (exporters|importers) fmt → path of the module in the tree, or empty
  PYTHONPATH="$root" "$py" - "$1" "$2" <<'EOF'
import importlib.util, sys
kind, fmt = sys.argv[1:]
if kind == "exporters":
    from app.__main__ import register_ui_exporters
    from app.exporters import FORMATS
    register_ui_exporters()  # PDF lives in ui/render/pdf.py, registered by the launcher
    writer = FORMATS[fmt][0]
    name = writer if isinstance(writer, str) else writer.__module__
else:
    from app.importers import IMPORTERS
    name = f"app.importers.{IMPORTERS['.' + fmt]}"
spec = importlib.util.find_spec(name)
print(spec.origin if spec and spec.origin else "")
EOF
}

validate() {  # fmt file → prints what it found; exit 1 if not a real document of that format
  "$py" - "$1" "$2" <<'EOF'
import json, sys, zipfile
from xml.dom import minidom
fmt, path = sys.argv[1:]
data = open(path, "rb").read()
needle = "區公所"  # in the sample's title page / every department's header
main_part = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "odt": "content.xml", "ods": "content.xml"}
if fmt in main_part:
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        if bad:
            sys.exit(f"corrupt zip member {bad}")
        names = z.namelist()
        if main_part[fmt] not in names:
            sys.exit(f"no {main_part[fmt]} in the zip ({len(names)} members)")
        minidom.parseString(z.read(main_part[fmt]))  # well-formed XML
        text_part = {"xlsx": "xl/sharedStrings.xml"}.get(fmt, main_part[fmt])
        if text_part in names and needle not in z.read(text_part).decode("utf-8"):
            sys.exit(f"{text_part} does not contain {needle}")
        print(f"zip with {main_part[fmt]}, {len(names)} members, {len(data)} bytes")
elif fmt == "pdf":
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        sys.exit("no %PDF- header or no %%EOF trailer")
    print(f"{data[:8].decode('latin-1').strip()} … %%EOF, {len(data)} bytes")
elif fmt == "csv":
    text = data.decode("utf-8-sig")
    if needle not in text and "部門" not in text:
        sys.exit("no report text in the CSV")
    print(f"{len(text.splitlines())} lines")
elif fmt == "json":
    json.loads(data)
    print(f"JSON, {len(data)} bytes")
EOF
}

# --- the program starts and answers ---------------------------------------------------
version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$root/app/__init__.py")"
out="$(frozen "$exe" --version 2>&1)"
[ "$out" = "workreport $version" ] && ok "--version: $out" || fail "--version said '$out', expected 'workreport $version'"

out="$(frozen "$exe" sample s.awr 2>&1)"; rc=$?
if [ $rc -eq 0 ] && head -c 16 s.awr | grep -q "SQLite format 3"; then ok "sample s.awr: $out"; else fail "sample s.awr (exit $rc): $out"; fi

out="$(frozen "$exe" check s.awr 2>&1)"; rc=$?
[ $rc -le 1 ] && ok "check s.awr (exit $rc): $(echo "$out" | tail -1)" || fail "check s.awr (exit $rc): $(echo "$out" | tail -3)"

# 校對: resources/proofread/*.txt and OpenCC (extension + clib/share/opencc data) frozen
cat > simp.json <<'JSON'
{"format": "workreport", "version": 1, "office": "測試區公所", "roc_year": 109, "departments": [
 {"name": "民政部門", "sections": [{"title": "一般民政", "items": [{"title": "選舉業務", "entries": [
  {"text": "辦理补助发放，共計計 3 次。", "completion": 100}]}]}]}]}
JSON
out="$(frozen "$exe" import simp.json -o simp.awr 2>&1)" && out="$(frozen "$exe" check --proofread simp.awr 2>&1)"; rc=$?
# (bash patterns, not `echo | grep -q`: with pipefail, grep -q's early exit SIGPIPEs echo)
if [ $rc -eq 0 ] && [[ "$out" == *"「发」→「發」"* && "$out" == *"「計」→（刪除）"* && "$out" != *"無法使用"* ]]; then
  ok "check --proofread: $(echo "$out" | tail -1)"
else
  fail "check --proofread (exit $rc): $(echo "$out" | tail -3)"
fi

# Templates: resources/templates/*.awt read from the bundle
out="$(frozen "$exe" templates 2>&1)"; rc=$?
if [ $rc -eq 0 ] && [[ "$out" == *"區公所年度工作總報告"* && "$out" == *"施政績效"* ]]; then
  ok "templates: $(printf '%s\n' "$out" | wc -l) built-ins listed"
else
  fail "templates (exit $rc): $(echo "$out" | tail -3)"
fi

out="$(frozen "$exe" export s.awr -f docx -o nowhere/x.docx 2>&1)"; rc=$?
[ $rc -eq 2 ] && [ ! -e nowhere ] && ok "refused export exits 2: $out" || fail "refused export (exit $rc): $out"

# --- exports ---------------------------------------------------------------------------
present=(); absent=()
for fmt in docx xlsx odt pdf ods csv json; do
  module="$(module_file exporters "$fmt")"
  start=$(date +%s%N)
  out="$(frozen "$exe" export s.awr -f "$fmt" -o "out.$fmt" 2>&1)"; rc=$?
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  if [ -z "$module" ]; then
    absent+=("$fmt")
    fail "export $fmt: no exporter module in the tree (exit $rc): $out"
    continue
  fi
  present+=("$fmt")
  if [ $rc -ne 0 ]; then
    fail "export $fmt (exit $rc, $module): $out"
  elif ! found="$(validate "$fmt" "out.$fmt" 2>&1)"; then
    fail "export $fmt wrote out.$fmt, which is not a real $fmt: $found"
  else
    ok "export $fmt in ${ms} ms: $found"
  fi
done
if [ -e out.pdf ] && command -v pdftotext >/dev/null; then
  pdf_text="$(pdftotext out.pdf - 2>/dev/null)"  # not piped into grep -q: pipefail + SIGPIPE
  if [[ "$pdf_text" == *區公所* ]]; then ok "pdf text extracts (pdftotext): fonts embedded with their text"
  else fail "pdf: pdftotext finds no 區公所 in out.pdf"; fi
fi
echo "      exporters: ${present[*]:-none}; missing: ${absent[*]:-none}"

# --- imports of what was exported (JSON Schema; zip/XML safety with defusedxml) --------
for fmt in json docx xlsx odt ods; do
  [ -e "out.$fmt" ] || continue
  if [ "$fmt" = json ]; then module=app/interchange.py  # JSON Schema validation (jsonschema + its data)
  else module="$(module_file importers "$fmt")"; fi
  out="$(frozen "$exe" import "out.$fmt" -o "back-$fmt.awr" 2>&1)"; rc=$?
  if [ -z "$module" ]; then
    fail "import $fmt: no importer module in the tree (exit $rc): $out"
  elif [ $rc -eq 0 ]; then
    ok "import $fmt: $out"
  else
    fail "import $fmt (exit $rc): $out"
  fi
done

# --- the GUI ---------------------------------------------------------------------------
smoke() {  # label, then the command prefix to run the frozen GUI with
  local label="$1"; shift
  local log="$tmp/smoke-$label.log"
  "$@" >"$log" 2>&1; local rc=$?
  local line; line="$(grep -m1 '^workreport-smoke:' "$log")"
  if [ $rc -ne 0 ] || [ -z "$line" ]; then
    fail "GUI ($label) exit $rc: $(tail -5 "$log")"
  elif ! echo "$line" | grep -q "translations=<bundle>/[^;]*qtbase_zh_TW.qm"; then
    fail "GUI ($label): Qt's zh_TW catalogue not loaded from the bundle: $line"
  elif ! echo "$line" | grep -q "title=.*s\.awr"; then
    fail "GUI ($label): window title does not name the report: $line"
  elif ! echo "$line" | grep -q "icon_sizes=6"; then
    fail "GUI ($label): the window icon lacks sizes: $line"
  else
    ok "GUI ($label): ${line#workreport-smoke: }"
  fi
}
smoke offscreen env -i PATH=/usr/bin:/bin HOME="$tmp/home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
  WORKREPORT_DATA_DIR="$tmp/data" WORKREPORT_SMOKE_EXIT=1 timeout 120 "$exe" s.awr
if command -v xvfb-run >/dev/null; then
  # The xcb plugin and the X libraries it brings: what a Linux desktop uses.
  smoke xcb xvfb-run -a -s "-screen 0 1280x800x24" sh -c \
    'exec env -i PATH=/usr/bin:/bin HOME="$0/home" LANG=C.UTF-8 DISPLAY="$DISPLAY" XAUTHORITY="$XAUTHORITY" \
       QT_QPA_PLATFORM=xcb WORKREPORT_DATA_DIR="$0/data" WORKREPORT_SMOKE_EXIT=1 timeout 120 "$1" s.awr' "$tmp" "$exe"
else
  echo "skip  GUI (xcb): xvfb-run not installed"
fi

# --- the folder ------------------------------------------------------------------------
tr_dir="$(ls -d "$dist"/_internal/PySide6/Qt/translations "$dist"/_internal/PySide6/translations 2>/dev/null | head -1)"
for qm in qtbase_zh_TW.qm qt_zh_TW.qm; do
  [ -n "$tr_dir" ] && [ -f "$tr_dir/$qm" ] && ok "bundled ${tr_dir#"$dist"/}/$qm" || fail "$qm not in the bundle's translations folder"
done
missing="$(find "$dist" -type f \( -name '*.so' -o -name '*.so.*' -o -name workreport \) -print0 |
  xargs -0 -n 20 ldd 2>/dev/null | grep 'not found' | sort -u)"
[ -z "$missing" ] && ok "ldd: every bundled library resolves its dependencies" || fail "ldd: unresolved libraries: $missing"
mb=$(du -sm "$dist" | cut -f1)
[ "$mb" -le $MAX_MB ] && ok "size: $(du -sh "$dist" | cut -f1) (${mb} MB ≤ ${MAX_MB} MB)" || fail "size: ${mb} MB > ${MAX_MB} MB"

if [ $failures -ne 0 ]; then
  echo "check_frozen: $failures check(s) failed"
  exit 1
fi
echo "check_frozen: all checks passed"
