"""mypy on the engine (app/) is clean: run as CI runs it, with the [tool.mypy] of pyproject.toml."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Paths of app/ not (yet) held to the check.  Empty: all of app/ is checked.
NOT_YET_CHECKED: tuple[str, ...] = ()

_ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+(:\d+)?: error: ")


def _errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if _ERROR.match(line)]


def test_mypy_on_app_is_clean(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), "--no-error-summary",
         "--hide-error-context", "--no-color-output"],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=600,
    )
    output = run.stdout + run.stderr
    assert run.returncode in (0, 1), f"mypy did not run:\n{output}"  # 2: bad configuration or a crash
    errors = _errors(output)
    assert run.returncode == 0 or errors, f"mypy failed without naming an error:\n{output}"
    remaining = [line for line in errors if not (NOT_YET_CHECKED and line.replace("\\", "/").startswith(NOT_YET_CHECKED))]
    assert remaining == [], "mypy errors in app/:\n" + "\n".join(remaining)
    # The check is about app/: the GUI's modules (imported by app/__main__.py) are not followed.
    assert not any(line.startswith("ui/") for line in output.splitlines()), output


def test_the_error_filter_reads_mypy_lines():
    output = ("app/merge.py:12: error: Incompatible types  [assignment]\n"
              "app/merge.py:13: note: See https://mypy.readthedocs.io\n"
              "app/exporters/docx.py:5:7: error: Bad  [misc]\n")
    assert _errors(output) == ["app/merge.py:12: error: Incompatible types  [assignment]",
                               "app/exporters/docx.py:5:7: error: Bad  [misc]"]
