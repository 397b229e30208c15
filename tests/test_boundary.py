"""The engine (app/) never depends on Qt; the project never reads the shared folder.

``app/__main__.py`` is the program's launcher (no arguments → the GUI), the
one module of app/ allowed to import ``ui``; the PDF exporter, which draws
with Qt so that print preview shows the very same pages, is loaded by name
only when a PDF is asked for (see app/exporters/__init__.py).
"""
from __future__ import annotations

import ast
import subprocess
import sys

from conftest import PROJECT_ROOT


def test_no_module_in_app_imports_pyside6():
    offenders = []
    for path in (PROJECT_ROOT / "app").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            banned = ("PySide6", "shiboken6") if path.name == "__main__.py" else ("PySide6", "shiboken6", "ui")
            if any(name.split(".")[0] in banned for name in names):
                offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    assert offenders == []


def test_importing_every_engine_module_loads_no_qt():
    code = (
        "import pkgutil, importlib, sys, app\n"
        "for m in pkgutil.walk_packages(app.__path__, 'app.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_nothing_reads_the_shared_folder():
    for folder in ("app", "ui", "tests", "resources"):
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert ("../" + "shared") not in text and ("/shared" + "/seed") not in text, path
