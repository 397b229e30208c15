"""Search across the whole report (titles, entry texts, remarks)."""
from __future__ import annotations

from dataclasses import dataclass

from .layout import layout
from .model import Report


@dataclass(frozen=True)
class Hit:
    node_id: str
    department_id: str
    field: str
    where: str  # 壹、民政部門 › 一、一般民政 › (一) 選舉業務
    snippet: str


def _snippet(text: str, start: int, length: int, context: int = 18) -> str:
    left = max(0, start - context)
    right = min(len(text), start + length + context)
    return ("…" if left else "") + text[left:right].replace("\n", " ") + ("…" if right < len(text) else "")


def search(report: Report, query: str, limit: int = 1000) -> list[Hit]:
    """Case-insensitive substring search in report order; at most ``limit`` hits."""
    needle = query.strip().casefold()
    if not needle:
        return []
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
