"""The engine (app/) never depends on Qt nor on ui/; the project never reads the shared folder.

``app/__main__.py`` is the program's launcher (no arguments → the GUI), the
one module of app/ allowed to name ``ui``: it registers the GUI package's
PDF exporter (ui/render/pdf.py, drawn with Qt) with app.exporters before it
runs the CLI or the GUI.  Every other format is written without loading Qt,
from the engine and from the command line alike.
"""
from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from conftest import PROJECT_ROOT

QT_ROOTS = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2")
ENGINE_FORMATS = ("docx", "odt", "xlsx", "ods", "csv", "json")


def _named_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, dotted name) of every import and of every string that reads as a module path."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append((node.lineno, node.module))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.strip()
            if text and all(part.isidentifier() for part in text.split(".")):
                names.append((node.lineno, text))  # e.g. importlib.import_module("ui.x")
    return names


def test_no_module_in_app_names_ui_or_imports_qt():
    offenders = []
    for path in sorted((PROJECT_ROOT / "app").rglob("*.py")):
        launcher = path == PROJECT_ROOT / "app" / "__main__.py"
        banned = QT_ROOTS if launcher else QT_ROOTS + ("ui",)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, name in _named_modules(tree):
            if name.split(".")[0] in banned:
                offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{line}: {name}")
    assert offenders == []


def test_the_boundary_check_sees_imports_and_module_strings():
    tree = ast.parse("import ui.x\nfrom PySide6 import QtGui\nFORMATS = {'pdf': ('ui.pdf_export', 'PDF')}\n")
    names = {name for _, name in _named_modules(tree)}
    assert {"ui.x", "PySide6", "ui.pdf_export"} <= names


def test_importing_every_engine_module_loads_no_qt():
    code = (
        "import pkgutil, importlib, sys, app\n"
        "for m in pkgutil.walk_packages(app.__path__, 'app.'):\n"
        "    if m.name != 'app.__main__':\n"
        "        importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6', 'ui'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("fmt", ENGINE_FORMATS)
def test_exporting_loads_no_qt(tmp_path, fmt):
    """From the engine and through the launcher's CLI (which registers ui's PDF exporter)."""
    target = tmp_path / f"out.{fmt}"
    code = (
        "import sys\n"
        "from app.exporters import export\n"
        "from app.sample import sample_report\n"
        f"export(sample_report(), {fmt!r}, {str(target)!r})\n"
        "print(sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]" and target.stat().st_size > 0

    report = tmp_path / "s.awr"
    via_cli = tmp_path / f"cli.{fmt}"
    code = (
        "import sys\n"
        "from app.__main__ import main\n"
        f"assert main(['sample', {str(report)!r}]) == 0\n"
        f"assert main(['export', {str(report)!r}, '-f', {fmt!r}, '-o', {str(via_cli)!r}]) == 0\n"
        "from app.exporters import available_formats\n"
        "assert 'pdf' in available_formats()\n"
        "print(sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]" and via_cli.stat().st_size > 0


def test_the_launcher_registers_pdf_after_odt():
    code = (
        "from app.exporters import available_formats\n"
        "before = available_formats()\n"
        "from app.__main__ import register_ui_exporters\n"
        "register_ui_exporters()\n"
        "print(before, available_formats())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ("['docx', 'odt', 'xlsx', 'ods', 'csv', 'json'] "
                                  "['docx', 'odt', 'pdf', 'xlsx', 'ods', 'csv', 'json']")


def test_nothing_reads_the_shared_folder():
    for folder in ("app", "ui", "tests", "resources"):
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert ("../" + "shared") not in text and ("/shared" + "/seed") not in text, path
