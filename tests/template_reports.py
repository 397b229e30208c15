"""Small filled reports in each built-in template (issue 19), for the tests of every path.

``budget_report()``: 重要施政項目（預算執行）, two 業務 with three rows (amounts, a text amount
「由其他項目下勻支」, ■/□ funding, a 補助機關); ``kpi_report()``: 施政績效（衡量指標）, two 業務,
three 策略績效目標, four 衡量指標; ``narrative_report()``: 施政報告（敘述式）, 民政部門 › two 部分 ›
業務 with the four numbered-text levels and a paragraph.  Values are kept values (app.templates
kept_value), so a report read back from any format can be compared with ``==`` on
``report_to_dict`` without ids."""
from __future__ import annotations

from app.editing import with_implicit
from app.model import Department, Entry, Item, Report, Section
from app.templates import builtin_named

BUDGET = "重要施政項目（預算執行）"
KPI = "施政績效（衡量指標）"
NARRATIVE = "施政報告（敘述式）"


def _row(**values) -> Entry:
    return Entry(level=1, values={k: v for k, v in values.items() if v is not None})


def budget_report() -> Report:
    template = builtin_named(BUDGET)
    civil = with_implicit(template, Department(name="民政業務"))
    civil.sections[0].items[0].entries.extend([
        _row(project="辦理區政業務研習", unit="民政課", funding=("市庫負擔",), budget=120000, spent=118500,
             results="辦理研習 2 場，參加人數 150 人，滿意度 92%。"),
        _row(project="老舊里活動中心修繕", unit="民政課", funding=("市庫負擔", "補助款"), grantor="內政部",
             budget=3500000, spent=3150000, results="完成 2 處活動中心屋頂防水及無障礙坡道。\n提升里民使用安全。"),
    ])
    social = with_implicit(template, Department(name="社會業務"))
    social.sections[0].items[0].entries.append(
        _row(project="獨居長者關懷訪視", unit="社會課", funding=("補助款",), grantor="嘉義市政府社會處",
             budget="由其他項目下勻支", spent=45200, results="訪視 1,230 人次。"))
    report = Report(office="嘉義市東區區公所", roc_year=113, published_roc_year=114, published_month=3,
                    departments=[civil, social])
    report.template = template
    return report


def kpi_report() -> Report:
    template = builtin_named(KPI)
    first = Department(name="便民服務", sections=[
        with_implicit(template, Section(title="提升為民服務品質")),
        with_implicit(template, Section(title="推動數位便民")),
    ])
    first.sections[0].items[0].entries.extend([
        _row(indicator="民眾滿意度", standard="問卷調查滿意以上人數 ÷ 受訪人數", weight=20, target=90, actual=93),
        _row(indicator="案件如期辦結率", standard="如期辦結件數 ÷ 總件數", weight=15, target=98, actual=97),
    ])
    first.sections[1].items[0].entries.append(
        _row(indicator="線上申辦件數", standard="全年線上申辦件數", weight=10, target=1200, actual=1530))
    second = Department(name="區政建設", sections=[with_implicit(template, Section(title="改善社區環境"))])
    second.sections[0].items[0].entries.append(
        _row(indicator="社區環境改造處數", standard="完成改造處數", weight=25, target=4, actual=None))
    report = Report(office="嘉義市東區區公所", roc_year=113, published_roc_year=114, published_month=3,
                    departments=[first, second])
    report.template = template
    return report


def narrative_report() -> Report:
    template = builtin_named(NARRATIVE)

    def entries(*pairs):
        return [Entry(level=level, text=text) for level, text in pairs]

    civil = Department(name="民政部門", sections=[
        Section(title="民政處部分", items=[
            Item(title="自治行政業務", entries=entries(
                (1, "里鄰管理"), (2, "辦理里鄰長研習"), (3, "上半年辦理 2 場，計 320 人參加。"),
                (4, "里長 84 人"), (4, "鄰長 236 人"), (3, "下半年辦理 1 場。"), (2, "里辦公處聯繫會報"),
                (0, "全年共召開 12 次，列管案件均已辦結。"))),
            Item(title="宗教禮俗業務", entries=entries((1, "寺廟登記"), (2, "輔導寺廟辦理登記 5 件。")))]),
        Section(title="東區區公所部分", items=[
            Item(title="區政業務", entries=entries((1, "辦理區務會議 4 次。")))]),
    ])
    finance = Department(name="財政部門", sections=[
        Section(title="財政處部分", items=[Item(title="公庫業務", entries=entries((0, "公庫收支均依法辦理。")))])])
    report = Report(office="嘉義市政府", roc_year=113, published_roc_year=114, published_month=3,
                    departments=[civil, finance])
    report.template = template
    return report


BUILDERS = {BUDGET: budget_report, KPI: kpi_report, NARRATIVE: narrative_report}


def without_ids(data):
    """Interchange data (app.interchange.report_to_dict) with every id left out, for comparing a
    report read back from a document (which does not keep ids) with the one written."""
    if isinstance(data, dict):
        return {k: without_ids(v) for k, v in data.items() if k not in ("id", "node_id", "predecessor_id")}
    if isinstance(data, list):
        return [without_ids(v) for v in data]
    return data
