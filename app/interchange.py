"""The JSON interchange format (docs/interface.md), both ways.

Lossless for content and ids: export → import → export gives the same
``departments``.  ``template`` carries the report's template (its ``.awt``
JSON, app/templates.py); a file without one is in the default template.
Import validates against ``resources/schema`` first and turns the first
schema violation into one zh-TW line naming where it is
(``departments[0].sections[2].items[1].entries[3].completion``).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ReportError, os_reason, shown
from .model import Comment, Department, Entry, Item, Report, Section, new_id
from .resources import SCHEMA_JSON
from .schemacheck import first_problem

if TYPE_CHECKING:
    from .templates import Template

FORMAT_NAME = "workreport"
FORMAT_VERSION = 1
MAX_JSON_BYTES = 200 * 1024 * 1024


def _review(item: Item, comments: dict[str, list[Comment]]) -> dict[str, Any]:
    """``"review"`` on a 目 when it has review data: status and the comments on it and its entries."""
    notes = [c for node_id in (item.id, *(e.id for e in item.entries)) for c in comments.get(node_id, [])]
    if item.status == "draft" and not notes:
        return {}
    return {"review": {"status": item.status, "comments": [
        {"id": c.id, "node_id": c.node_id, "author": c.author, "role": c.role, "at": c.at, "text": c.text}
        for c in sorted(notes, key=lambda c: c.at)
    ]}}


def _proofread(report: Report) -> dict[str, Any]:
    """``"proofread"`` when the report has 校對 decisions: the findings ignored (key → who/role/at/rule/text), its words."""
    if not report.proofread_ignored and not report.proofread_words:
        return {}
    return {"proofread": {"ignored": {key: dict(record) for key, record in report.proofread_ignored.items()},
                          "words": list(report.proofread_words)}}


def report_to_dict(report: Report, departments: list[Department] | None = None) -> dict[str, Any]:
    departments = report.departments if departments is None else departments
    comments: dict[str, list[Comment]] = {}
    for comment in report.comments:
        comments.setdefault(comment.node_id, []).append(comment)
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "id": report.id,
        "office": report.office,
        "roc_year": report.roc_year,
        "published": {"roc_year": report.published_roc_year, "month": report.published_month},
        "numbering_style": report.numbering_style,
        "predecessor_id": report.predecessor_id,
        **({"package": report.package} if report.package else {}),
        **_proofread(report),
        "departments": [
            {
                "id": department.id,
                "name": department.name,
                "sections": [
                    {
                        "id": section.id,
                        "title": section.title,
                        "items": [
                            {
                                "id": item.id,
                                "title": item.title,
                                "numbered": item.numbered,
                                **({"predecessor_id": item.predecessor_id} if item.predecessor_id else {}),
                                **_review(item, comments),
                                "entries": [
                                    {
                                        "id": entry.id,
                                        "level": entry.level,
                                        "text": entry.text,
                                        "completion": entry.completion,
                                        "remark": entry.remark,
                                        **_values(entry),
                                    }
                                    for entry in item.entries
                                ],
                            }
                            for item in section.items
                        ],
                    }
                    for section in department.sections
                ],
            }
            for department in departments
        ],
        "template": report.template.to_dict(),  # after the content: a reader sees the report first
    }


def dumps(report: Report, departments: list[Department] | None = None) -> str:
    return json.dumps(report_to_dict(report, departments), ensure_ascii=False, indent=2) + "\n"


def report_from_dict(data: Any, path: str | os.PathLike[str] | None = None) -> Report:
    """Build a report from interchange data; ids are kept, missing ones made."""
    if not isinstance(data, dict):
        raise ReportError("不是工作總報告的 JSON 檔（最外層應為物件）", path)
    if data.get("format") != FORMAT_NAME:
        raise ReportError("不是工作總報告的 JSON 檔（format 應為 \"workreport\"）", path)
    if data.get("version") != FORMAT_VERSION:
        raise ReportError(
            f"JSON 格式版本 {json.dumps(data.get('version'), ensure_ascii=False)} 不受支援（本程式支援版本 {FORMAT_VERSION}）",
            path,
        )
    _check_text(data, "", path)
    problem = first_problem(SCHEMA_JSON, data)
    if problem is not None:
        raise ReportError(problem, path)

    seen: set[str] = set()

    def take_id(value: str | None, where: str) -> str:
        node_id = value or new_id()
        if node_id in seen:
            raise ReportError(f"{where} 的 id{shown(node_id)}重複", path)
        seen.add(node_id)
        return node_id

    published = data.get("published") or {}
    template = data.get("template")
    report = Report(
        id=take_id(data.get("id"), "報告"),
        office=data["office"],
        roc_year=data["roc_year"],
        published_roc_year=published.get("roc_year"),
        published_month=published.get("month"),
        numbering_style=data.get("numbering_style") or "standard",
        predecessor_id=data.get("predecessor_id"),
        package=data.get("package") or None,
    )
    proofread = data.get("proofread") or {}
    report.proofread_ignored = {key: {name: str(record.get(name) or "") for name in ("who", "role", "at", "rule", "text")}
                                for key, record in (proofread.get("ignored") or {}).items()}
    report.proofread_words = list(dict.fromkeys(w.strip() for w in proofread.get("words") or () if w.strip()))
    if template is not None:
        report.template = _template(template, path)
    for d, dep in enumerate(data["departments"]):
        department = Department(id=take_id(dep.get("id"), f"departments[{d}]"), name=dep["name"])
        report.departments.append(department)
        for s, sec in enumerate(dep["sections"]):
            section = Section(id=take_id(sec.get("id"), f"departments[{d}].sections[{s}]"), title=sec["title"])
            department.sections.append(section)
            for i, it in enumerate(sec["items"]):
                where = f"departments[{d}].sections[{s}].items[{i}]"
                review = it.get("review") or {}
                item = Item(
                    id=take_id(it.get("id"), where),
                    title=it["title"],
                    numbered=it.get("numbered", True),
                    predecessor_id=it.get("predecessor_id"),
                    status=review.get("status", "draft"),
                )
                section.items.append(item)
                for c in review.get("comments", []):
                    report.comments.append(Comment(
                        id=c.get("id") or new_id(), node_id=c.get("node_id") or item.id, author=c["author"],
                        role=c.get("role", ""), at=c["at"], text=c["text"]))
                for e, ent in enumerate(it["entries"]):
                    if ent.get("level", 1) > report.template.max_entry_level:
                        raise ReportError(f"{where}.entries[{e}].level 的值 {ent['level']} 超出範本"
                                          f"「{report.template.name}」的層級（0 到 {report.template.max_entry_level}）", path)
                    item.entries.append(
                        Entry(
                            id=take_id(ent.get("id"), f"{where}.entries[{e}]"),
                            level=ent.get("level", 1),
                            text=ent["text"],
                            completion=ent.get("completion"),
                            remark=ent.get("remark") or "",
                            values=_entry_values(report.template, ent.get("values") or {},
                                                 f"{where}.entries[{e}]", path),
                        )
                    )
    return report


def _values(entry: Entry) -> dict[str, Any]:
    """An entry's template column values as the JSON holds them (no key at all when there are none)."""
    if not entry.values:
        return {}
    from .templates import json_value

    return {"values": {key: json_value(value) for key, value in sorted(entry.values.items())}}


def _entry_values(template: "Template", data: dict, where: str, path: str | os.PathLike[str] | None) -> dict:
    from .templates import ValueProblem, kept_value

    columns = {column.key: column for column in template.value_columns}
    values = {}
    for key, value in data.items():
        column = columns.get(key)
        if column is None:
            raise ReportError(f"{where}.values 的{shown(key)}不是範本「{template.name}」的欄位", path)
        try:
            kept = kept_value(column, value)
        except ValueProblem as problem:
            raise ReportError(f"{where}.values.{key}：{problem}", path) from None
        if kept is not None:
            values[key] = kept
    return values


def _template(data: dict, path: str | os.PathLike[str] | None) -> "Template":
    from .templates import default_template, from_dict

    default = default_template()
    if data == default.to_dict():
        return default
    return from_dict(data, path)


def read_json(path: str | os.PathLike[str]) -> Report:
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ReportError("找不到檔案", path) from None
    except OSError as exc:
        raise ReportError(f"無法讀取檔案（{os_reason(exc)}）", path) from exc
    if size > MAX_JSON_BYTES:
        raise ReportError("檔案過大，不像是工作總報告的 JSON 檔", path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReportError(f"無法讀取檔案（{os_reason(exc)}）", path) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReportError("不是 UTF-8 編碼的 JSON 檔", path) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"JSON 格式錯誤（第 {exc.lineno} 行第 {exc.colno} 欄：{exc.msg}）", path) from None
    except RecursionError:
        raise ReportError("JSON 巢狀層數過深", path) from None
    except ValueError:  # an integer literal of more than 4,300 digits (int_max_str_digits)
        raise ReportError("JSON 中有位數過多的數字，不像是工作總報告", path) from None
    return report_from_dict(data, path)


def _check_text(value: Any, where: str, path) -> None:
    """Every string must be storable: a "\\ud800" escape gives a lone surrogate,
    which is not UTF-8 and cannot be written to the report file."""
    stack = [(value, where)]
    while stack:
        current, at = stack.pop()
        if isinstance(current, str):
            try:
                current.encode("utf-8")
            except UnicodeEncodeError:
                raise ReportError(f"{shown(at or '（最外層）', 80, quote=False)} 含有無法儲存的字元（單獨的 UTF-16 代理字元，如 \\ud800）", path) from None
        elif isinstance(current, dict):
            for key, item in current.items():
                stack.append((key, at))
                stack.append((item, f"{at}.{key}" if at else str(key)))
        elif isinstance(current, list):
            stack.extend((item, f"{at}[{n}]") for n, item in enumerate(current))
