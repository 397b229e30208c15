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

The template (app/templates.py) is kept as it is.  ``previous_entries`` keep
every template column's value (Entry.values).  In a report of a non-default
template (issue 19) the entries kept with ``keep_entries`` start the year with
the figures emptied — money, integer and percent columns (預算金額, 執行金額,
實際值, 權重) and 完成程度 — and their text, unit, choice and date columns kept;
computed columns follow (their inputs are empty).  The default template's
rollover is as before (keep_entries copies level/text/completion/remark).  The year moves on by one:
``roc_year + 1`` and, when known, the publication year + 1 in the same month.
Nothing of last year's report is modified.
"""
from __future__ import annotations

from .model import Department, Entry, Item, Report, Section
from .templates import Template

#: Column types whose values a new year starts without (a non-default template's kept entries).
EMPTIED_TYPES = ("money", "integer", "percent")


def _copy_entry(entry: Entry) -> Entry:
    return Entry(level=entry.level, text=entry.text, completion=entry.completion, remark=entry.remark,
                 values=dict(entry.values))


def _fresh_entry(entry: Entry, template: Template) -> Entry:
    """A kept entry for the new year: the figures emptied (module docstring)."""
    if template.is_default:
        return Entry(level=entry.level, text=entry.text, completion=entry.completion, remark=entry.remark)
    emptied = {column.key for column in template.columns if column.type in EMPTIED_TYPES}
    return Entry(level=entry.level, text=entry.text, remark=entry.remark,
                 completion=None if "completion" in emptied or entry.completion is None else entry.completion,
                 values={key: value for key, value in entry.values.items() if key not in emptied})


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
                    new_item.entries.extend(_fresh_entry(e, report.template) for e in item.entries)
    return following

