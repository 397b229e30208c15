"""A GUI test that answers a dialog by monkeypatching it must patch what the window really calls.

When the review actions moved from QInputDialog.getMultiLineText to
ui.dialogs.comment.ask_comment, the tests that still patched getMultiLineText
opened the real, modal dialog offscreen — and hung the run for ever, with no
failure to read.  This test reads tests/ with :mod:`ast` (nothing is run): each
``monkeypatch.setattr(<a Qt dialog or message box>, "name", …)`` and each
``monkeypatch.setattr("module.path.name", …)`` of a ui dialog must name a
function or method that ui/ calls.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
DIALOG = re.compile(r"(Dialog|MessageBox)$")


def _patched_dialog_names(path: Path) -> list[tuple[int, str]]:
    """(line, name) of every dialog attribute ``path`` monkeypatches."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setattr"
                and node.args):
            continue
        target = node.args[0]
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            owner, _, name = target.value.rpartition(".")
            if DIALOG.search(owner.rpartition(".")[2]) or ".dialogs." in f".{owner}.":
                found.append((node.lineno, name))
        elif len(node.args) > 1 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
            owner = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if DIALOG.search(owner):
                found.append((node.lineno, node.args[1].value))
    return found


def _product_source() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "ui").rglob("*.py")))


def test_every_patched_dialog_function_is_one_the_window_calls():
    source = _product_source()
    stale = []
    for path in sorted(TESTS.rglob("*.py")):
        for line, name in _patched_dialog_names(path):
            # called (name(...)) or passed on; ``exec`` is every dialog's own method
            if name != "exec" and not re.search(rf"\b{re.escape(name)}\b\s*\(", source):
                stale.append(f"{path.relative_to(ROOT)}:{line} patches {name}, which ui/ never calls")
    assert not stale, "\n".join(stale)


def test_the_check_sees_the_patch_that_once_hung_the_run(tmp_path):
    """The check itself: the old test_gui_keys patch (getMultiLineText) is found and is stale."""
    old = tmp_path / "test_old.py"
    old.write_text('def test(monkeypatch):\n'
                   '    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("", True))\n'
                   '    monkeypatch.setattr("ui.dialogs.comment.ask_comment", lambda *a, **k: ("", True))\n',
                   encoding="utf-8")
    names = [name for _, name in _patched_dialog_names(old)]
    assert names == ["getMultiLineText", "ask_comment"]
    source = _product_source()
    assert not re.search(r"\bgetMultiLineText\b\s*\(", source)
    assert re.search(r"\bask_comment\b\s*\(", source)
