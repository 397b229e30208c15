"""Problems of a report: errors (must be fixed before publishing) and warnings.

Each problem names where it is (ids from the department down) so the GUI can
jump there and mark the cell, and says what is wrong in zh-TW.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .layout import layout
from .model import LEVEL_SUBITEM, Report

ERROR = "error"
WARNING = "warning"
SEVERITY_LABEL = {ERROR: "錯誤", WARNING: "警告"}

# A 民國 year written in the text ("112 年", "112年度") later than the year
# after the report's: almost always a slip of the keyboard.
_ROC_YEAR = re.compile(r"(?<!\d)(\d{2,3})\s*年")


@dataclass(frozen=True)
class Problem:
    severity: str
    code: str
    message: str
    where: str  # 「壹、民政部門 › 一、一般民政 › (一) 選舉業務 › 第 2 筆」
    node_id: str
    field: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def check(report: Report) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    if not report.office.strip():
        add(Problem(ERROR, "office-empty", "機關名稱空白", "報告", report.id, "office"))
    if not report.departments:
        add(Problem(ERROR, "report-empty", "報告沒有任何部門", "報告", report.id))
    for block in layout(report).departments:
        dep_where = block.label
        if not block.department.name.strip():
            add(Problem(ERROR, "title-empty", "部門名稱空白", dep_where, block.department.id, "name"))
        if not block.sections:
            add(Problem(WARNING, "department-empty", "部門沒有任何項", dep_where, block.department.id))
        for section_block in block.sections:
            sec_where = f"{dep_where} › {section_block.label}"
            if not section_block.section.title.strip():
                add(Problem(ERROR, "title-empty", "項的名稱空白", sec_where, section_block.section.id, "title"))
            if not section_block.items:
                add(Problem(WARNING, "section-empty", "項之下沒有任何目", sec_where, section_block.section.id))
            for item_block in section_block.items:
                item = item_block.item
                item_where = f"{sec_where} › {item_block.label}"
                if not item.title.strip():
                    add(Problem(ERROR, "title-empty", "目的名稱空白", item_where, item.id, "title"))
                if not item.entries:
                    add(Problem(WARNING, "item-empty", "目之下沒有任何辦理情形", item_where, item.id))
                for n, entry in enumerate(item.entries, start=1):
                    where = f"{item_where} › 第 {n} 筆"
                    if not entry.text.strip():
                        add(Problem(ERROR, "text-empty", "辦理情形空白", where, entry.id, "text"))
                    c = entry.completion
                    if c is not None and not (isinstance(c, int) and 0 <= c <= 100):
                        add(Problem(ERROR, "completion-range", f"完成程度 {c} 不在 0–100 之間", where, entry.id, "completion"))
                    elif c is not None and c < 100 and not entry.remark.strip():
                        add(Problem(WARNING, "remark-needed", f"完成程度 {c}% 未達 100%，請在備註說明原因", where, entry.id, "remark"))
                    if entry.level == LEVEL_SUBITEM and n == 1:
                        add(Problem(WARNING, "subitem-first", "子項 (1) 之前沒有項次", where, entry.id, "level"))
                    for match in _ROC_YEAR.finditer(entry.text):
                        year = int(match.group(1))
                        if report.roc_year and report.roc_year + 1 < year < 200:
                            add(Problem(WARNING, "roc-year", f"內文寫「{match.group(0)}」，晚於報告年度 {report.roc_year} 年，請確認年份", where, entry.id, "text"))
                            break
    return problems


def summary(problems: list[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.is_error)
    return errors, len(problems) - errors
