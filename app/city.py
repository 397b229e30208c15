"""A city report from office reports (issue 19): several reports of one template become one
city-level 施政報告 in the narrative layout (壹 民政部門 › 東區區公所部分 › 甲 區政業務 › 一、…).

:func:`city_report` takes the office reports (all of one template) and gives a new report
(new ids everywhere; texts and values kept; every 目 a draft again — the city's review is
its own; no comments, no last-year entries; the offices' 校對 word lists joined):

* **narrative reports** (部門 › 部分 › 業務, e.g. 施政報告（敘述式）): each office report's
  部門 is matched by name to the city's 部門 (created, in the order first met, when
  missing) and the office's 部分 are appended under it, in the order the reports are
  given; the city report is in the offices' template;
* **the default template** (區公所年度工作總報告: 類 › 項 › 目, a table): each 類 becomes the
  city 部門 of the same name, the office becomes one 部分 under it named
  「<機關名稱>部分」, each 項 a 業務, each 目 a numbered paragraph of level 一、 and its
  辦理情形 the levels below it ((一) for 1., 1. for (1); a plain paragraph stays one);
  完成程度 and 備註 have no place in the narrative and are left out — :class:`CityReport`
  counts them so the caller can say so; the city report is in 施政報告（敘述式）;
* **any other table template** (重要施政項目（預算執行）, 施政績效（衡量指標）: one or two
  levels and a row of columns) is refused with one zh-TW line: its rows have no place in
  部門 › 部分 › 業務 paragraphs.

Refused too (ReportError naming the report): reports of different templates, the same
report given twice, a report of another year than the city report's.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from .errors import ReportError, shown
from .model import Department, Entry, Item, Report, Section, new_id
from .templates import Template, builtin_named

NARRATIVE_TEMPLATE = "施政報告（敘述式）"
OFFICE_PART = "{office}部分"


@dataclass
class CityReport:
    report: Report
    #: What the narrative could not hold (default-template reports): entries whose 完成程度
    #: or 備註 were left out, per office.
    dropped_completion: dict[str, int] = field(default_factory=dict)
    dropped_remark: dict[str, int] = field(default_factory=dict)

    def notes(self) -> list[str]:
        """zh-TW lines saying what was left out (empty when nothing)."""
        lines = []
        for office in dict.fromkeys([*self.dropped_completion, *self.dropped_remark]):
            parts = []
            if self.dropped_completion.get(office):
                parts.append(f"{self.dropped_completion[office]} 筆完成程度")
            if self.dropped_remark.get(office):
                parts.append(f"{self.dropped_remark[office]} 筆備註")
            lines.append(f"「{office}」有 {'、'.join(parts)}在敘述式報告中沒有欄位，未帶入")
        return lines


def _layout_key(template: Template) -> str:
    data = template.to_dict()
    data.pop("name", None)
    data.pop("description", None)
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _is_narrative(template: Template) -> bool:
    return template.layout == "narrative" and len(template.levels) == 3 and template.text_column is not None


def _entry(entry: Entry, level: int | None = None) -> Entry:
    return Entry(level=entry.level if level is None else level, text=entry.text, completion=entry.completion,
                 remark=entry.remark, values=dict(entry.values))


def _item(item: Item, entries: list[Entry]) -> Item:
    return Item(title=item.title, numbered=item.numbered, entries=entries)


def city_report(reports: list[Report], office: str, roc_year: int,
                paths: list[str | os.PathLike[str]] | None = None) -> CityReport:
    """The city report of ``reports`` (module docstring); ``paths`` name them in errors."""
    names = list(paths) if paths is not None else [None] * len(reports)
    if not reports:
        raise ReportError("沒有給任何機關的報告")
    if not office.strip():
        raise ReportError("城市報告的機關名稱空白")
    first = reports[0].template
    seen: dict[str, int] = {}
    for n, (report, path) in enumerate(zip(reports, names)):
        if _layout_key(report.template) != _layout_key(first):
            raise ReportError(f"這份報告使用{shown(report.template.name)}範本，第一份使用{shown(first.name)}範本；"
                              "城市報告只能由同一範本的報告組成", path)
        if report.id in seen:
            raise ReportError(f"同一份報告（{shown(report.office, quote=False) or '未命名'}）給了兩次", path)
        seen[report.id] = n
        if report.roc_year != roc_year:
            raise ReportError(f"這是 {report.roc_year} 年度的報告，城市報告是 {roc_year} 年度", path)
    narrative = builtin_named(NARRATIVE_TEMPLATE)
    assert narrative is not None
    if _is_narrative(first):
        template = first
    elif first.is_default:
        template = narrative
    else:
        raise ReportError(
            f"{shown(first.name)}範本的報告是一列列的表格（{' › '.join(level.name for level in first.levels)}），"
            "放不進城市報告的 部門 › 部分 › 業務；城市報告只能由敘述式或「區公所年度工作總報告」範本的報告組成",
            names[0])
    city = Report(office=office.strip(), roc_year=roc_year, published_roc_year=roc_year + 1, published_month=3,
                  template=template)
    result = CityReport(city)
    words: dict[str, None] = {}
    for report in reports:
        words.update(dict.fromkeys(report.proofread_words))
        for department in report.departments:
            target = city.department_named(department.name)
            if target is None:
                target = Department(name=department.name)
                city.departments.append(target)
            if _is_narrative(first):
                for section in department.sections:
                    target.sections.append(Section(title=section.title, items=[
                        _item(item, [_entry(e) for e in item.entries]) for item in section.items]))
            else:
                target.sections.append(_office_part(report, department, result))
    city.proofread_words = list(words)
    assert len({node.id for node in city.walk()}) == sum(1 for _ in city.walk())  # fresh ids throughout
    return result


def _office_part(report: Report, department: Department, result: CityReport) -> Section:
    """A default-template 類 of one office as that office's 部分 (module docstring)."""
    part = Section(id=new_id(), title=OFFICE_PART.format(office=report.office.strip()))
    completion = remark = 0
    for section in department.sections:
        business = Item(title=section.title)
        for item in section.items:
            business.entries.append(Entry(level=1, text=item.title))
            for entry in item.entries:
                business.entries.append(Entry(level=entry.level + 1 if entry.level else 0, text=entry.text))
                completion += entry.completion is not None
                remark += bool(entry.remark.strip())
        part.items.append(business)
    office = report.office.strip()
    if completion:
        result.dropped_completion[office] = result.dropped_completion.get(office, 0) + completion
    if remark:
        result.dropped_remark[office] = result.dropped_remark.get(office, 0) + remark
    return part
