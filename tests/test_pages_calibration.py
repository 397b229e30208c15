"""The page model's calibration tools: hanging indents in line breaking, a first page of
its own height in pagination, and tools/calibrate_pages.py (docs/official-layout.md,
"Calibration")."""
from __future__ import annotations

import dataclasses
import subprocess
import sys

from app.layout import layout
from app.pages import GEOMETRY, PageGeometry, RowBox, paginate
from app.textmetrics import model_advance, text_width, wrap
from conftest import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "tools"))
import calibrate_pages  # noqa: E402


def squash(text: str) -> str:
    return "".join(text.split())


ITEM = "1. 依照監督寺廟條例、辦理寺廟登記須知暨內政業務財團法人監督準則等法令規定輔導寺廟教堂，健全組織管理完善財務制度。"


def test_text_width_measures_a_line_as_wrap_does():
    assert text_width("1. ") == 1.0  # Times New Roman 1 and . and space: 0.5 + 0.25 + 0.25
    assert text_width("(一) ") == 2 * 0.333 + 1 + 0.25
    assert text_width("") == 0.0
    assert text_width("本區 109 年") == 2 + 0.5 + 1.5 + 0.25 + 1  # a space after Asian text is set in Kai


def test_a_hanging_indent_narrows_every_line_but_the_first():
    plain = wrap(ITEM, 13.6)
    hung = wrap(ITEM, 13.6, hanging=1.0)
    assert squash("".join(hung)) == squash(ITEM)
    assert hung[0] == plain[0]  # the first line has the whole width
    assert all(sum(model_advance(c) for c in line.rstrip("。")) <= 12.6 for line in hung[1:])
    assert any(sum(model_advance(c) for c in line) > 12.6 for line in plain[1:])  # ... which the others use
    assert len(hung) >= len(plain)
    # each paragraph of a text starts with the whole width again
    two = wrap(ITEM + "\n" + ITEM, 13.6, hanging=1.0)
    assert two == hung + hung


def test_the_first_page_may_have_a_height_of_its_own():
    geometry = GEOMETRY
    rows = []
    start = 0
    for _ in range(40):
        rows.append(RowBox(None, start, 3))  # type: ignore[arg-type]  # paginate reads only start/slots
        start += 3
    room = 20 * geometry.line_height + 10 * geometry.border
    same = paginate(rows, geometry, room)
    shorter = paginate(rows, geometry, room, first_room=room - 4 * geometry.line_height)
    assert same[0].last - same[0].first == 20
    assert shorter[0].last - shorter[0].first == 16
    assert all(p.last - p.first == 20 for p in shorter[1:-1])  # the other pages keep their height
    assert len(shorter) == len(same) + 1 and shorter[-1].last == same[-1].last == 120


def test_the_exporters_draw_the_geometry_they_are_calibrated_with():
    # Header rows repeated on every page, no title above a first page's table and
    # no hanging indents: the calibration's other hypotheses are measured by
    # tools/calibrate_pages.py, not drawn by the exporters.
    assert GEOMETRY == PageGeometry()
    assert GEOMETRY.repeat_header_rows and GEOMETRY.title_height == 0
    assert not GEOMETRY.hanging_items and not GEOMETRY.hanging_labels


def test_the_calibration_script_measures_the_model_as_the_pdf_test_does(sample):
    from test_export_pdf import MATCHED_BREAKS_AT_LEAST

    hits, as_published, pages = calibrate_pages.score(layout(sample), GEOMETRY)
    assert as_published and pages == [10, 6, 6, 1, 4, 1, 11]
    assert hits / 32 >= MATCHED_BREAKS_AT_LEAST
    # a hypothesis changes what the script measures, through the one page model
    hung = dataclasses.replace(GEOMETRY, hanging_labels=True)
    assert calibrate_pages.score(layout(sample), hung) != (hits, as_published, pages)


def test_the_calibration_script_prints_every_department():
    done = subprocess.run([sys.executable, "tools/calibrate_pages.py", "-v"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for name in ("民政部門", "社建部門", "兵役部門", "會計部門", "人事部門", "政風部門", "行政部門"):
        assert any(line.startswith(f"{name}: pages ") for line in lines), done.stdout
    assert "目錄 [1, 11, 17, 23, 25, 29, 31]" in lines[-1] and "/32" in lines[-1]


def test_the_calibration_script_lists_the_published_cuts():
    done = subprocess.run([sys.executable, "tools/calibrate_pages.py", "--cuts"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 19  # the published page breaks inside an entry
    # 民政's first page ends at 「…假新北市政」: a line of 14.0 em, one ideograph wider than ours
    assert any(line.startswith("民政部門 p.2: …月27日內政部假新北市政 | 府辦理") and "14.0–" in line for line in lines)
