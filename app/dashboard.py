"""Progress per department: 目 with content, review states, open problems.

The GUI draws these as bars; ``check`` prints them as text bars.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .layout import layout
from .model import REVIEW_LABEL, REVIEW_STATUSES, Report
from .validate import Problem


@dataclass
class DepartmentProgress:
    label: str
    items: int
    filled: int  # 目 with at least one entry with text
    statuses: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0


def progress(report: Report, problems: list[Problem]) -> list[DepartmentProgress]:
    by_node: dict[str, str] = {}
    result = []
    for block in layout(report).departments:
        department = block.department
        ids = {department.id}
        items = [i for s in department.sections for i in s.items]
        row = DepartmentProgress(block.label, len(items), sum(1 for i in items if any(e.text.strip() for e in i.entries)),
                                 {status: 0 for status in REVIEW_STATUSES})
        for section in department.sections:
            ids.add(section.id)
            for item in section.items:
                ids.add(item.id)
                row.statuses[item.status] += 1
                ids.update(e.id for e in item.entries)
        for node_id in ids:
            by_node[node_id] = department.id
        result.append(row)
    index = {block.department.id: n for n, block in enumerate(layout(report).departments)}
    for problem in problems:
        department_id = by_node.get(problem.node_id)
        if department_id is None:
            continue
        row = result[index[department_id]]
        if problem.is_error:
            row.errors += 1
        else:
            row.warnings += 1
    return result


def text_bars(rows: list[DepartmentProgress], width: int = 20) -> str:
    """One line per department: a bar of 目 with content, review counts, problems."""
    lines = []
    name_width = max((len(r.label) for r in rows), default=0)
    for row in rows:
        filled = round(width * row.filled / row.items) if row.items else 0
        bar = "█" * filled + "░" * (width - filled)
        review = "、".join(f"{REVIEW_LABEL[s]} {n}" for s, n in row.statuses.items() if n)
        lines.append(
            f"{row.label.ljust(name_width, '　')} {bar} {row.filled}/{row.items} 目有內容　{review}　錯誤 {row.errors}、警告 {row.warnings}"
        )
    return "\n".join(lines)
