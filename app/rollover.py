"""Next year's report from this year's (issue 6).

:func:`next_year` copies the structure — departments (類), 項 and 目, in order
— under fresh ids and records where each piece came from:

* ``Report.predecessor_id`` is last year's report id and every
  ``Item.predecessor_id`` last year's 目 id, so the two years can be matched
  row by row later (comparisons, carrying comments) even after 目 are added,
  renamed or moved;
* ``previous_entries[new 目 id]`` holds copies of last year's entries for that
  目, so the GUI can show last year beside this year (read-only) without last
  year's file;
* entries themselves start empty — a new year is written afresh — unless
  ``keep_entries`` asks for copies (new ids, same level/text/completion/remark)
  as a starting point.

校對 decisions carry on: the findings ignored (``Report.proofread_ignored``,
keyed by their text, not by ids — see app/proofread.py) and the report's word
list are copied.

The template (app/templates.py) is kept as it is.  The year moves on by one:
``roc_year + 1`` and, when known, the publication year + 1 in the same month.
Nothing of last year's report is modified.
"""
from __future__ import annotations

from .model import Department, Entry, Item, Report, Section


def _copy_entry(entry: Entry) -> Entry:
    return Entry(level=entry.level, text=entry.text, completion=entry.completion, remark=entry.remark)


def next_year(report: Report, keep_entries: bool = False) -> Report:
    """A new report for the following year with the same departments, 項 and 目."""
    following = Report(
        office=report.office,
        roc_year=report.roc_year + 1,
        published_roc_year=report.published_roc_year + 1 if report.published_roc_year is not None else None,
        published_month=report.published_month,
        numbering_style=report.numbering_style,
        predecessor_id=report.id,
        # 校對: a chief's 忽略 and the report's words carry on (their keys hold no ids)
        proofread_ignored={key: dict(record) for key, record in report.proofread_ignored.items()},
        proofread_words=list(report.proofread_words),
        template=report.template,
    )
    for department in report.departments:
        new_department = Department(name=department.name)
        following.departments.append(new_department)
        for section in department.sections:
            new_section = Section(title=section.title)
            new_department.sections.append(new_section)
            for item in section.items:
                new_item = Item(title=item.title, numbered=item.numbered, predecessor_id=item.id)
                new_section.items.append(new_item)
                following.previous_entries[new_item.id] = [_copy_entry(e) for e in item.entries]
                if keep_entries:
                    new_item.entries.extend(_copy_entry(e) for e in item.entries)
    return following
