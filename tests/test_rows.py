"""app/rows.py: a report under its template as headings, rows and cells (issue 19)."""
from __future__ import annotations

import pytest

from template_reports import BUILDERS, BUDGET, KPI, NARRATIVE, budget_report, kpi_report, narrative_report

from app import rows
from app.document import ReportDocument
from app.interchange import dumps, report_from_dict, report_to_dict
from app.sample import sample_report


def _shown(blocks):
    return [b.text if isinstance(b, rows.Heading) else list(b.cells) for b in blocks]


def test_budget_rows_number_per_business_and_show_values_as_published():
    assert _shown(rows.blocks(budget_report())) == [
        "壹、民政業務",
        ["1", "辦理區政業務研習", "民政課", "■市庫負擔 □補助款", "", "120,000", "118,500", "98.8%",
         "辦理研習 2 場，參加人數 150 人，滿意度 92%。"],
        ["2", "老舊里活動中心修繕", "民政課", "■市庫負擔 ■補助款", "內政部", "3,500,000", "3,150,000", "90.0%",
         "完成 2 處活動中心屋頂防水及無障礙坡道。\n提升里民使用安全。"],
        "貳、社會業務",
        ["1", "獨居長者關懷訪視", "社會課", "□市庫負擔 ■補助款", "嘉義市政府社會處", "由其他項目下勻支", "45,200", "",
         "訪視 1,230 人次。"],
    ]


def test_kpi_rows_merge_the_goal_column_and_compute_achievement():
    blocks = rows.blocks(kpi_report())
    assert _shown(blocks)[:3] == [
        "壹、便民服務",
        ["一、提升為民服務品質", "民眾滿意度", "問卷調查滿意以上人數 ÷ 受訪人數", "20%", "90", "93", "103%"],
        ["一、提升為民服務品質", "案件如期辦結率", "如期辦結件數 ÷ 總件數", "15%", "98", "97", "99%"],
    ]
    assert [b.first for b in blocks if isinstance(b, rows.Row)] == [(True,), (False,), (True,), (True,)]
    last = [b for b in blocks if isinstance(b, rows.Row)][-1]
    assert last.cells[0] == "一、改善社區環境" and last.cells[-1] == ""  # no 實際值 yet: nothing to compute


def test_narrative_blocks_are_headings_and_numbered_paragraphs():
    shown = _shown(rows.blocks(narrative_report()))
    assert shown[:8] == ["壹、民政部門", "民政處部分", "甲、自治行政業務", ["一、里鄰管理"], ["(一)辦理里鄰長研習"],
                         ["1.上半年辦理 2 場，計 320 人參加。"], ["(1)里長 84 人"], ["(2)鄰長 236 人"]]
    assert "乙、宗教禮俗業務" in shown and "東區區公所部分" in shown and "貳、財政部門" in shown


def test_the_default_template_rows_are_the_sample_s_table():
    report = sample_report()
    blocks = rows.blocks(report)
    assert all(isinstance(b, rows.Row) for b in blocks)
    first = blocks[0]
    assert first.cells[:4] == ("壹、民政部門", "一、一般民政", "(一)選舉業務", "1.1月4日辦理嘉義市第十屆東區朝陽里里長補選。")
    assert first.first == (True, True, True) and len(first.cells) == 6
    assert blocks[1].first == (False, False, False)


@pytest.mark.parametrize("name", [BUDGET, KPI, NARRATIVE])
def test_each_template_report_keeps_its_values_in_the_file_and_in_json(tmp_path, name):
    report = BUILDERS[name]()
    doc = ReportDocument.create(tmp_path / "r.awr", report)
    doc.close()
    again = ReportDocument.open(tmp_path / "r.awr", read_only=True)
    assert report_to_dict(again.report) == report_to_dict(report)
    assert report_to_dict(report_from_dict(__import__("json").loads(dumps(again.report)))) == report_to_dict(report)
    again.close()


def test_window_title_and_file_names_follow_the_template():
    from app.layout import file_stem, report_heading

    assert (report_heading(sample_report()), file_stem(sample_report())) == (
        "嘉義市東區區公所 109 年度工作總報告", "109年度工作總報告")  # the default: as before
    assert (report_heading(budget_report()), file_stem(budget_report())) == (
        "嘉義市東區區公所 113 年度重要施政項目執行情形", "113年度重要施政項目執行情形")
    assert file_stem(narrative_report()) == "113年度嘉義市政府施政報告"
