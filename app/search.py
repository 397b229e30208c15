"""Search across the whole report (titles, entry texts, remarks).

A report of a non-default template (issue 19) is searched by its template: the
titles of its levels and every text-bearing column of each row — text, numbered
text, unit names, a money/integer/percent column's free text (「由其他項目下勻支」)
and the ticked choices' names; a hit in a column other than the numbered text
names the row and the column's heading in ``where`` (「壹、民政業務 › 第 2 筆（計畫成果及執行效益）」) and
in ``label``; ``field`` is the column key.
"""
from __future__ import annotations

from dataclasses import dataclass

from .layout import layout
from .model import Report, get_field
from .places import EntryPlace, walk
from .templates import Template


@dataclass(frozen=True)
class Hit:
    node_id: str
    department_id: str
    field: str
    where: str  # 壹、民政部門 › 一、一般民政 › (一) 選舉業務
    snippet: str
    label: str = ""  # the column's heading (a non-default template's column)


def _snippet(text: str, start: int, length: int, context: int = 18) -> str:
    left = max(0, start - context)
    right = min(len(text), start + length + context)
    return ("…" if left else "") + text[left:right].replace("\n", " ") + ("…" if right < len(text) else "")


def search(report: Report, query: str, limit: int = 1000) -> list[Hit]:
    """Case-insensitive substring search in report order; at most ``limit`` hits."""
    needle = query.strip().casefold()
    if not needle:
        return []
    if not report.template.is_default:
        return _search_template(report, report.template, needle, limit)
    hits: list[Hit] = []

    def look(node_id: str, department_id: str, field: str, text: str, where: str) -> None:
        position = text.casefold().find(needle)
        if position >= 0:
            hits.append(Hit(node_id, department_id, field, where, _snippet(text, position, len(needle))))

    for block in layout(report).departments:
        dep_id = block.department.id
        look(dep_id, dep_id, "name", block.department.name, block.label)
        for section_block in block.sections:
            section_where = f"{block.label} › {section_block.label}"
            look(section_block.section.id, dep_id, "title", section_block.section.title, section_where)
            for item_block in section_block.items:
                item_where = f"{section_where} › {item_block.label}"
                look(item_block.item.id, dep_id, "title", item_block.item.title, item_where)
                for entry in item_block.item.entries:
                    look(entry.id, dep_id, "text", entry.text, item_where)
                    look(entry.id, dep_id, "remark", entry.remark, item_where + "（備註）")
                if len(hits) >= limit:
                    return hits[:limit]
    return hits


def searchable_text(template: Template, key: str, value) -> str:
    """A column's value as search sees it: text, or a numeric column's free text, or the
    ticked choices' names (「市庫負擔 補助款」); "" for numbers, dates and empties."""
    column = template.column(key)
    if isinstance(value, str) and column.type != "date":
        return value
    if column.type == "choice" and isinstance(value, (tuple, list)):
        return " ".join(str(name) for name in value)
    return ""


def _search_template(report: Report, template: Template, needle: str, limit: int) -> list[Hit]:
    hits: list[Hit] = []
    text_key = template.text_column.key if template.text_column is not None else None
    keys = [c.key for c in template.stored_columns if c.type not in ("date",)]
    for place in walk(report, template):
        if isinstance(place, EntryPlace):
            for key in keys:
                text = searchable_text(template, key, get_field(place.entry, key))
                position = text.casefold().find(needle)
                if position < 0:
                    continue
                heading = template.column(key).heading
                row = f"{place.where} › 第 {place.index} 筆"
                where = row if key == text_key else f"{row}（{heading}）"
                hits.append(Hit(place.entry.id, place.department.id, key, where,
                                _snippet(text, position, len(needle)), heading))
        else:
            field = "name" if place.node.kind == "department" else "title"
            title = getattr(place.node, field)
            position = title.casefold().find(needle)
            if position >= 0:
                hits.append(Hit(place.node.id, place.department.id, field, place.where,
                                _snippet(title, position, len(needle)), place.level.name + "名稱"))
        if len(hits) >= limit:
            return hits[:limit]
    return hits
