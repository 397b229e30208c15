"""Tables typed in another template's layout, with any text in any cell (issue 19): the template
recogniser ends in a report that the report file takes (every value its column's kept value), or a
named refusal (one zh-TW line) — never anything else.

The grids are made here, as the format loaders hand them over (app/importers/source.py): a title
row, the header of the budget or KPI template (columns left out, a group row or not), then rows
of heading rows merged across, cells merged down, numbers with and without commas, ■/□ boxes,
percentages, text where numbers go, spreadsheet numbers (``GridCell.number``) and odd characters.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, note, seed
from hypothesis import strategies as st

from app.document import ReportDocument
from app.errors import ReportError
from app.importers.official import recognise_any
from app.importers.source import Grid, GridCell, SourceDocument
from app.rows import headers
from app.templates import builtin_named, kept_value

from .conftest import SEED, budget, count
from .strategies import scratch_dir

FIXED, RANDOM = budget(150, 30)
TEMPLATES = ("重要施政項目（預算執行）", "施政績效（衡量指標）")
WORDS = ["", "1", "2", "12", "1,234", "1,234,567", "12,34", "-5", "１２０，０００", "由其他項目下勻支", "■市庫負擔 □補助款",
         "□市庫負擔 ■補助款", "■自籌款", "市庫負擔、補助款", "20%", "0.5", "９８％", "103%", "—", "壹、民政業務", "貳、社會業務",
         "一、提升品質", "（二）數位", "民政課", "民政\n課", "內政部", "辦理研習。\n提升效益。", "113 年度", "\u3000", "a\x00b",
         "𠀀字", "1e308", "99999999999999999999999999", "權重", "預算金額"]


@st.composite
def grids(draw):
    template = builtin_named(draw(st.sampled_from(TEMPLATES)))
    names = headers(template)
    kept = [name for name in names if draw(st.booleans()) or name in names[:2]]
    cells = [GridCell(0, 0, "東區區公所 113 年度報告", 1, len(kept))]
    for col, name in enumerate(kept):
        cells.append(GridCell(1, col, name.replace("金額", "\n金額") if draw(st.booleans()) else name))
    width = len(kept) + draw(st.integers(0, 1))
    row = 2
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(("heading", "data", "data", "data")))
        if kind == "heading":
            cells.append(GridCell(row, 0, draw(st.sampled_from(WORDS)), 1, draw(st.integers(1, width))))
            row += 1
            continue
        span = draw(st.integers(1, 2))
        for col in range(width):
            text = draw(st.sampled_from(WORDS) | st.text(max_size=6))
            number = draw(st.none() | st.integers(-10**20, 10**20) | st.floats(allow_nan=True, allow_infinity=True))
            rowspan = span if col == 0 else 1
            cells.append(GridCell(row, col, text, rowspan, 1, False, number, draw(st.booleans())))
        for extra in range(1, span):
            for col in range(1, width):
                cells.append(GridCell(row + extra, col, draw(st.sampled_from(WORDS))))
        row += span
    return template, cells


def check(case) -> None:
    template, cells = case
    with tempfile.TemporaryDirectory(dir=scratch_dir()) as folder:
        source = SourceDocument(Path(folder) / "typed.docx", [Grid(cells, "第 1 個表格")])
        outcome = "imported"
        try:
            result = recognise_any(source, require_year=False)
            report = result.report
            for department in report.departments:
                for section in department.sections:
                    for item in section.items:
                        for entry in item.entries:
                            for key, value in entry.values.items():
                                assert kept_value(report.template.column(key), value) == value, (key, value)
            if report.roc_year == 0:
                report.roc_year = 113
            ReportDocument.create(Path(folder) / "out.awr", report).close()
        except ReportError as exc:
            outcome = "refused"
            message = str(exc)
            note(message)
            assert "\n" not in message and "Traceback" not in message, message
        count(grids=1, **{f"grids_{outcome}": 1})


@FIXED
@given(grids())
def test_a_typed_template_table_is_imported_or_refused_by_name(case):
    check(case)


@RANDOM
@seed(SEED)
@given(grids())
def test_a_typed_template_table_is_imported_or_refused_by_name_random_seed(case):
    check(case)
