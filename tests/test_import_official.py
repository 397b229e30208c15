"""The shared recogniser: numbering in 辦理情形, percentages, titles, office and year."""
from __future__ import annotations

import pytest

from app.importers.official import (
    Grid,
    GridCell,
    SourceDocument,
    department_name,
    find_meta,
    parse_completions,
    recognise,
    split_progress,
)
from app.model import LEVEL_ITEM as I
from app.model import LEVEL_PARAGRAPH as P
from app.model import LEVEL_SUBITEM as S


def pieces(text):
    return [(p.level, p.text) for p in split_progress(text)]


@pytest.mark.parametrize("typed", ["1.辦理", "1. 辦理", "1、辦理", "1．辦理", "１．辦理", "１、 辦理", " 1 . 辦理", "1)辦理", "1）辦理"])
def test_item_numbering_forms(typed):
    assert pieces(typed) == [(I, "辦理")]


@pytest.mark.parametrize("typed", ["(1)東區", "（1）東區", "( 1 ) 東區", "（１）東區", "①東區"])
def test_subitem_numbering_forms(typed):
    assert pieces(typed) == [(S, "東區")]


def test_numbers_that_are_not_numbering():
    assert pieces("1.5 萬人參加。") == [(P, "1.5 萬人參加。")]
    assert pieces("109 年辦理 3 場。") == [(P, "109 年辦理 3 場。")]
    assert pieces("1月4日辦理補選。") == [(P, "1月4日辦理補選。")]
    # "第 3、4 季" follows no sentence punctuation; "，2." is not a sentence end.
    assert pieces("1.完成第 3、4 季報表，2.5 萬元。") == [(I, "完成第 3、4 季報表，2.5 萬元。")]


def test_several_items_in_one_line_split_only_in_sequence():
    assert pieces("1.受理 120 件。2.成立 90 件。3.不成立 30 件。") == [
        (I, "受理 120 件。"), (I, "成立 90 件。"), (I, "不成立 30 件。")]
    # 5. does not follow 1.: no split.
    assert pieces("1.受理。5.成立。") == [(I, "受理。5.成立。")]
    assert pieces("辦理講習如下：(1)上半年。(2)下半年。") == [(P, "辦理講習如下："), (S, "上半年。"), (S, "下半年。")]
    assert pieces("本年度辦理：1.甲。2.乙。") == [(P, "本年度辦理："), (I, "甲。"), (I, "乙。")]
    assert pieces("1.講習：（1）東區；（2）西區。2.訪視。") == [(I, "講習："), (S, "東區；"), (S, "西區。"), (I, "訪視。")]


def test_wrapped_lines_and_paragraphs():
    assert pieces("1.辦理總統選舉，\n投票率 71%。\n2.辦理補選。") == [(I, "辦理總統選舉，\n投票率 71%。"), (I, "辦理補選。")]
    assert pieces("前言。\n1.甲。") == [(P, "前言。"), (I, "甲。")]
    assert pieces("第一段。\n\n第二段。") == [(P, "第一段。"), (P, "第二段。")]
    assert pieces("第一段，\n接續。") == [(P, "第一段，\n接續。")]
    assert pieces("") == []
    assert pieces("\n \n") == []


def test_chinese_numbering_inside_progress_counts_as_items():
    assert pieces("一、甲。\n(二)乙。") == [(I, "甲。"), (I, "乙。")]


@pytest.mark.parametrize("typed,expected", [
    ("100%", [100]), ("100 %", [100]), ("100％", [100]), ("１００％", [100]), ("", []),
    ("80%\n100%", [80, 100]), ("100", [100]), ("99.6%", [100]), ("0%", [0]),
])
def test_completions(typed, expected):
    values, problems, leftover = parse_completions(typed)
    assert (values, problems, leftover) == (expected, [], "")


def test_completion_problems():
    values, problems, leftover = parse_completions("150%\n持續辦理")
    assert values == [] and "150" in problems[0] and leftover == "持續辦理"


@pytest.mark.parametrize("typed", ["壹、民政部門", "民政部門", "民 政 部 門", "民\n政\n部\n門", "壹\n、\n民\n政\n部\n門", "貳、 民政部門 "])
def test_department_names(typed):
    assert department_name(typed) == "民政部門"


def test_meta_from_cover_texts():
    meta = find_meta(["109 年度工作總報告", "嘉義市東區區公所", "中華民國 110 年 3 月"])
    assert (meta.office, meta.roc_year, meta.published_year, meta.published_month) == ("嘉義市東區區公所", 109, 110, 3)
    meta = find_meta(["嘉義市東區區公所 109 年度工作總報告"])
    assert (meta.office, meta.roc_year) == ("嘉義市東區區公所", 109)
    meta = find_meta(["１０９年度工作總報告"])
    assert meta.roc_year == 109 and meta.office is None
    assert find_meta([], "東區111年度工作總報告(定稿)").roc_year == 111
    assert find_meta(["中華民國 110 年 3 月"]).roc_year is None


def grid(rows, place="第 1 個表格"):
    cells = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, tuple):
                text, rowspan, colspan = value
            else:
                text, rowspan, colspan = value, 1, 1
            cells.append(GridCell(r, c, text, rowspan, colspan))
    return Grid(cells, place)


def test_spans_and_repeated_header_rows(tmp_path):
    rows = [
        ["嘉義市東區區公所 109 年度工作總報告"],
        [("計畫名稱", 1, 3), None, None, ("辦理情形", 2, 1), ("完成程度百分比", 2, 1), ("備註", 2, 1)],
        ["類", "項", "目"],
        [("壹、民政部門", 5, 1), ("一、一般民政", 5, 1), ("(一) 選舉業務", 2, 1), "1. 甲。", "100%", ""],
        [None, None, None, "2. 乙。", "50%", "待續"],
        # a header repeated where the page broke
        [None, None, "目", "辦理情形", "完成程度百分比", "備註"],
        [None, None, ("(二) 戶政", 1, 1), "", "", ""],
        [None, None, "民防團業務", "隨時補充。", "", ""],
    ]
    result = recognise(SourceDocument(tmp_path / "x.docx", [grid(rows)]))
    report = result.report
    assert (report.office, report.roc_year) == ("嘉義市東區區公所", 109)
    items = report.departments[0].sections[0].items
    assert [(i.title, i.numbered, len(i.entries)) for i in items] == [("選舉業務", True, 2), ("戶政", True, 0), ("民防團業務", False, 1)]
    assert [(e.completion, e.remark) for e in items[0].entries] == [(100, ""), (50, "待續")]
    assert result.warnings == []


def test_sub_items_with_their_own_percentages(tmp_path):
    """As the published report prints 兵役 (八) 替代役管理: (1)–(3) at 100 %, items 1 and 2 without."""
    rows = [
        [("計畫名稱", 1, 3), None, None, ("辦理情形", 2, 1), ("完成程度百分比", 2, 1), ("備註", 2, 1)],
        ["類", "項", "目"],
        # a Word table where the sub-items share the item's row, one percentage line each
        [("參、兵役部門", 3, 1), ("一、兵役行政", 3, 1), ("(八) 替代役管理", 2, 1),
         "1. 落實替代役男生活及服勤管理。", "", ""],
        [None, None, None, "2. 推動役男從事公益活動：\n(1) 關懷弱勢。\n(2) 清潔。\n(3) 捐血。",
         "100%\n100%\n90%", ""],
        # our own exports: a sub-item with its own percentage has its own row
        [None, None, ("(九) 補充兵徵訓", 1, 1), "(1) 徵集入營。", "80%", ""],
    ]
    result = recognise(SourceDocument(tmp_path / "x.docx", [grid(rows)]), roc_year=109, office="x")
    items = result.report.departments[0].sections[0].items
    assert [(e.level, e.completion) for e in items[0].entries] == [(I, None), (I, None), (S, 100), (S, 100), (S, 90)]
    assert [(e.level, e.completion) for e in items[1].entries] == [(S, 80)]
    assert [w for w in result.warnings if "完成程度" in str(w)] == []


def test_repeated_titles_in_unmerged_rows_continue(tmp_path):
    rows = [
        ["類", "項", "目", "辦理情形", "完成程度"],
        ["民政部門", "一、一般民政", "(一)選舉", "1.甲。", "100%"],
        ["民政部門", "一、一般民政", "(一)選舉", "2.乙。", "100%"],
        ["民政部門", "一、一般民政", "(二)戶政", "1.丙。", ""],
        ["社建部門", "一、社政", "(一)救助", "1.丁。", ""],
    ]
    result = recognise(SourceDocument(tmp_path / "x.xlsx", [grid(rows)]), roc_year=109, office="x")
    report = result.report
    assert [d.name for d in report.departments] == ["民政部門", "社建部門"]
    assert [(i.title, len(i.entries)) for i in report.departments[0].sections[0].items] == [("選舉", 2), ("戶政", 1)]


def test_no_year_in_gui_mode_is_a_warning(tmp_path):
    rows = [["項", "目", "辦理情形"], ["一、甲", "(一)乙", "1.丙。"]]
    result = recognise(SourceDocument(tmp_path / "x.docx", [grid(rows)]), require_year=False)
    assert result.year_found is False and result.report.roc_year == 0
    assert any("年度" in w.message for w in result.warnings)


def test_year_inferred_from_publication(tmp_path):
    rows = [["項", "目", "辦理情形"], ["一、甲", "(一)乙", "1.丙。"]]
    result = recognise(SourceDocument(tmp_path / "x.docx", [grid(rows)], texts=["中華民國 110 年 3 月"]))
    assert result.report.roc_year == 109
    assert any("推定" in w.message for w in result.warnings)
