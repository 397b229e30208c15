"""The engine's shape, checked from its source: no import cycles, SQL only in app/storage/.

Both tests read app/ with :mod:`ast` (nothing is imported or run).  Every
import counts — at module level, inside functions (a lazy import is still a
dependency) and under ``if TYPE_CHECKING:`` — so that a module can be read,
tested and type-checked after the modules it uses, never in a circle.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(APP.rglob("*.py"))}


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The app modules ``name`` imports (a package's ``from . import sub`` names the submodule)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            targets = [f"{origin}.{alias.name}" if f"{origin}.{alias.name}" in modules else origin
                       for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # `import app.storage.schema as s` → that module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return components


def test_the_graph_is_read_correctly():
    graph = import_graph()
    assert "app.edits" in graph["app.operations"]
    assert "app.operations" in graph["app.document"]
    assert "app.storage" in graph["app.document"]  # `from .storage import Repository`
    assert "app.errors" in graph["app.importers"]  # `from ..errors import ReportError`
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles_among_app_modules():
    cycles = _cycles(import_graph())
    assert cycles == [], "app/ modules that import each other (in a circle): " + "; ".join(" ⇄ ".join(c) for c in cycles)


def test_operations_do_not_know_the_document():
    """Operations see a report only through the Edits protocol (app/edits.py), never the document's insides."""
    graph = import_graph()
    for module in ("app.operations", "app.edits", "app.changes", "app.person"):
        assert "app.document" not in graph[module], module
    private = re.compile(r"\b(doc|document|edits)\._[a-z]")
    for path in sorted(APP.rglob("*.py")):
        if path.name != "document.py":
            text = path.read_text(encoding="utf-8")
            assert not private.search(text), f"{path.name} reaches into the document: {private.search(text)}"


# --- SQL only in app/storage/ -------------------------------------------------------

#: Methods that run SQL (sqlite3 connections and cursors, sqlite-utils databases and tables).
_SQL_CALLS = {"execute", "executemany", "executescript", "query", "rows_where", "delete_where",
              "insert_all", "upsert_all", "create_table", "create_index", "enable_fts", "transform"}
_SQL_TEXT = re.compile(
    r"\b(SELECT\b[\s\S]+\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|REPLACE\s+INTO"
    r"|CREATE\s+(TABLE|INDEX|VIEW|TRIGGER)|DROP\s+(TABLE|INDEX)|ALTER\s+TABLE|PRAGMA\s+\w+|BEGIN\s+(IMMEDIATE|EXCLUSIVE))\b")


def sql_outside_storage(root: Path = APP) -> list[str]:
    """Where a module of app/ outside app/storage/ runs SQL, imports a database library or holds SQL text."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] == "storage":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        docstrings = {id(node.value) for node in ast.walk(tree)
                      if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
        for node in ast.walk(tree):
            where = f"{relative}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _SQL_CALLS:
                found.append(f"{where} calls .{node.func.attr}()")
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                if any(n.split(".")[0] in ("sqlite3", "sqlite_utils", "apsw") for n in names):
                    found.append(f"{where} imports {', '.join(names)}")
            elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                  and _SQL_TEXT.search(node.value)):
                found.append(f"{where} holds SQL: {node.value[:60]!r}")
    return found


def test_sql_only_in_storage():
    assert sql_outside_storage() == []


def test_sql_outside_storage_is_found(tmp_path):
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "repository.py").write_text('db.execute("DELETE FROM history WHERE id = ?")\n')
    (tmp_path / "packages.py").write_text(
        '"""Docstrings may say DELETE FROM history."""\n'
        'import sqlite3\n'
        'def f(repo, ids):\n'
        '    repo.db.execute("DELETE FROM history WHERE id = ?", ids)\n'
        '    sql = f"SELECT id FROM {table}"\n'
        '    repo.db.query(sql)\n')
    (tmp_path / "harmless.py").write_text('label = "刪除目"\nnote = "select the rows from the table"\n')
    found = sql_outside_storage(tmp_path)
    assert sorted(f.split(" ")[0] for f in found) == ["packages.py:2", "packages.py:4", "packages.py:4",
                                                      "packages.py:5", "packages.py:6"], found
