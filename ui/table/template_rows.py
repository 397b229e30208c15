"""The department table under a template other than the default (issue 19).

:class:`TemplateTable` is mixed into ui/table/model.py's ``DepartmentTableModel``;
it is used when the report's template is not 「區公所年度工作總報告」 (the default
keeps its own code, unchanged).  What the rows are is app/rows.py's ``blocks``:

* columns = ``template.table_columns`` (a column level such as 策略績效目標, then
  the entry columns), headings from app.rows ``headers``;
* one row per entry, a placeholder row for a last-level node without entries
  (typing into any of its columns makes the first entry), and one full-width
  row per heading below the department the table shows (a narrative's 部分 and
  業務, their titles edited with F2);
* a cell's text is app.rows ``cell_text`` (money with thousands separators, ■/□
  choices, ROC dates, the computed ratio) worked out when painted, so a cell
  edit repaints the computed column of its row at once;
* typed text goes through app.templates ``check_value`` then ``kept_value``
  into ``SetField(entry, key, value)``; a value that does not fit is refused
  with its zh-TW line (:meth:`TemplateTable.problem_for`) and nothing changes;
* serial and computed columns are read-only and greyed.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.layout import clean_text
from app.model import REVIEW_LABEL, Entry, get_field
from app.numbering import split_typed_number
from app.operations import Batch, InsertNode, Operation, SetField
from app.rows import Heading, Row, blocks, cell_text, headers, numbers, title_of
from app.templates import Column, Level, Template, check_value, kept_value
from app.editing import title_operation

GENERATED_TINT = QColor("#eeeeee")
GENERATED_TEXT = QColor("#707070")
HEADING_TINT = QColor("#e8ecf6")

_ALIGN = {"left": Qt.AlignmentFlag.AlignLeft, "center": Qt.AlignmentFlag.AlignHCenter,
          "right": Qt.AlignmentFlag.AlignRight}
#: Pixels of the table for a template's widths in hundredths of its width.
TABLE_PIXELS = 1100


class TemplateTable:
    """The template-driven half of DepartmentTableModel (``self.template`` set: not the default)."""

    template: Template | None
    rows: list
    document: Any
    department: Any

    # --- columns -------------------------------------------------------------------

    @property
    def parts(self) -> list[Level | Column]:
        return self.template.table_columns if self.template is not None else []

    def part(self, column: int) -> Level | Column | None:
        parts = self.parts
        return parts[column] if 0 <= column < len(parts) else None

    def entry_column(self, column: int) -> Column | None:
        part = self.part(column)
        return part if isinstance(part, Column) else None

    def level_depth(self, column: int) -> int | None:
        part = self.part(column)
        return self.template.levels.index(part) if isinstance(part, Level) else None

    def stored_column_indexes(self) -> list[int]:
        return [c for c, part in enumerate(self.parts)
                if isinstance(part, Column) and part.type not in ("serial", "computed")]

    def level_column_indexes(self) -> list[int]:
        return [c for c, part in enumerate(self.parts) if isinstance(part, Level)]

    def main_column_index(self) -> int:
        """Where the cursor goes on a new entry: the numbered text, else the first typed column."""
        for c, part in enumerate(self.parts):
            if isinstance(part, Column) and part.type == "numbered_text":
                return c
        stored = self.stored_column_indexes()
        return stored[0] if stored else 0

    def template_widths(self) -> list[int]:
        widths = []
        for part in self.parts:
            width = part.width or 10
            widths.append(max(48, width * TABLE_PIXELS // 100))
        return widths

    def template_headers(self) -> list[str]:
        return headers(self.template) if self.template is not None else []

    # --- rows ---------------------------------------------------------------------------

    def template_rows(self, row_class) -> tuple[list, str]:
        report = self.document.report
        template = self.template
        self.number_of = numbers(report, template)
        label = f"{self.number_of.get(self.department.id, '')}{clean_text(self.department.name)}"
        rows = []
        for block in blocks(report, [self.department], template):
            if isinstance(block, Heading):
                if block.depth == 0:
                    continue
                node = block.node
                section = node if node.kind == "section" else self.document.parent(node.id)
                rows.append(row_class(section, None, None, "", "", "", heading=node,
                                      path=(), cells=(block.text,)))
                continue
            assert isinstance(block, Row)
            last = block.path[-1]
            item_label = f"{self.number_of.get(last.id, '')}{clean_text(title_of(last))}"
            if block.item.status != "draft":
                item_label += f"\n〔{REVIEW_LABEL[block.item.status]}〕"
            rows.append(row_class(self.document.parent(block.item.id), block.item, block.entry, "", item_label,
                                  block.number, path=block.path, cells=block.cells))
        return rows, label

    def template_spans(self) -> list[tuple[int, int, int, int]]:
        result = []
        width = len(self.parts)
        for r, row in enumerate(self.rows):
            if row.heading is not None and width > 1:
                result.append((r, 0, 1, width))
        for column in self.level_column_indexes():
            depth = self.level_depth(column)
            start = 0
            for r in range(1, len(self.rows) + 1):
                def key(i):
                    row = self.rows[i]
                    return None if row.heading is not None else row.path[depth].id
                if r == len(self.rows) or key(r) != key(start) or key(r) is None:
                    if r - start > 1 and key(start) is not None:
                        result.append((start, column, r - start, 1))
                    start = r
        return result

    def span_node(self, row, column: int):
        depth = self.level_depth(column)
        if depth is None or row.heading is not None or depth >= len(row.path):
            return None
        return row.path[depth]

    def template_node_at(self, index: QModelIndex):
        row = self.rows[index.row()]
        if row.heading is not None:
            return row.heading
        depth = self.level_depth(index.column())
        if depth is not None:
            return row.path[depth]
        return row.entry

    # --- cells --------------------------------------------------------------------------

    def template_display(self, row, column: int) -> str:
        if row.heading is not None:
            return row.cells[0] if column == 0 else ""
        part = self.part(column)
        if isinstance(part, Level):
            return row.cells[column]
        if part is None or row.entry is None:
            return ""
        text = self._value_text(part, row.entry)
        if part.type == "numbered_text":
            indent = "　" * max(0, row.entry.level - 1)
            number = self.number_of.get(row.entry.id, "")
            gap = "" if number.endswith(("、", "）")) else " "
            return f"{indent}{number}{gap}{clean_text(row.entry.text)}" if number else clean_text(row.entry.text)
        return clean_text(text)

    def template_edit_text(self, row, column: int) -> str:
        if row.heading is not None:
            return title_of(row.heading)
        part = self.part(column)
        if isinstance(part, Level):
            return title_of(row.path[self.level_depth(column)])
        if part is None or row.entry is None:
            return ""
        if part.type in ("numbered_text", "text"):
            return get_field(row.entry, part.key) or ""
        return self._value_text(part, row.entry)

    def _value_text(self, part: Column, entry) -> str:
        """app.rows cell_text (an integer with thousands separators, 1,530, as money is)."""
        return cell_text(part, entry, self.template, self.number_of)

    def template_editable(self, row, column: int) -> bool:
        if row.heading is not None:
            return column == 0
        part = self.part(column)
        if isinstance(part, Level):
            return True
        if part is None or part.type in ("serial", "computed"):
            return False
        if row.item is not None and row.item.status == "approved":
            return False
        return True

    def template_refusal(self, row, column: int) -> str | None:
        part = self.part(column)
        if row.heading is None and isinstance(part, Column) and part.type in ("serial", "computed"):
            return check_value(part, "").problem
        if row.item is not None and row.item.status == "approved" and not isinstance(part, Level):
            return f"「{clean_text(row.item_label.splitlines()[0])}」已核定，已鎖定；需由主管重新開啟（Ctrl+Shift+4）後才能修改"
        if row.heading is not None and column != 0:
            return f"「{clean_text(title_of(row.heading))}」是標題列；要改名請按 F2"
        return None

    def template_role(self, row, column: int, role: int):
        part = self.part(column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if row.heading is not None or part is None:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            vertical = Qt.AlignmentFlag.AlignTop if isinstance(part, Level) else Qt.AlignmentFlag.AlignVCenter
            return int(_ALIGN.get(part.align, Qt.AlignmentFlag.AlignLeft) | vertical)
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.heading is not None:
                return QBrush(HEADING_TINT)
            if isinstance(part, Column) and part.type in ("serial", "computed"):
                return QBrush(GENERATED_TINT)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.heading is None and isinstance(part, Column) and part.type in ("serial", "computed"):
                return QBrush(GENERATED_TEXT)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.heading is None and row.entry is None and isinstance(part, Column) \
                    and part.type not in ("serial", "computed"):
                return "尚無資料：直接輸入即可新增一列"
            if isinstance(part, Column) and part.type == "computed":
                top, bottom = self.template.column(part.numerator), self.template.column(part.denominator)
                return f"{part.heading} = {top.heading} ÷ {bottom.heading}（由程式計算）"
        return None

    # --- typed values -----------------------------------------------------------------------

    def problem_for(self, index: QModelIndex, text: str) -> str | None:
        """The zh-TW line saying why ``text`` cannot go into this cell, or None."""
        part = self.entry_column(index.column())
        if part is None or part.type in ("numbered_text", "text"):
            return None
        return check_value(part, str(text)).problem

    def template_operation(self, index: QModelIndex, value) -> Operation | None:
        """The operation that puts typed ``value`` into the cell; ValueError (its zh-TW line) when it does not fit."""
        row = self.rows[index.row()]
        column = index.column()
        if row.heading is not None:
            field = "name" if row.heading.kind == "department" else "title"
            return title_operation(row.heading, field, value) if column == 0 else None
        part = self.part(column)
        if isinstance(part, Level):
            node = row.path[self.level_depth(column)]
            return title_operation(node, "name" if node.kind == "department" else "title", value)
        if part is None or part.type in ("serial", "computed") or row.item is None:
            return None
        text = str(value)
        typed_level = None
        if part.type == "numbered_text":
            # a number typed by habit (「(一)辦理…」) is not kept in the text: it becomes the level
            typed_level, text = split_typed_number(text, part.levels)
        if part.type in ("numbered_text", "text"):
            kept = text.strip() or None
        else:
            checked = check_value(part, text)
            if checked.problem:
                raise ValueError(checked.problem)
            kept = kept_value(part, checked.value)
        entry = row.entry
        if entry is None:
            if kept is None:
                return None
            new = Entry(level=typed_level or 1, text="")
            if part.key in Entry.FIELDS:
                setattr(new, part.key, kept)
            else:
                new.values[part.key] = kept
            return InsertNode(row.item.id, 0, new)
        if part.key in ("text", "remark") and kept is None:
            kept = ""
        current = get_field(entry, part.key)
        level = SetField(entry.id, "level", typed_level) if typed_level not in (None, entry.level) else None
        if current == kept or (current in (None, "") and kept in (None, "")):
            return level
        if level is not None:
            return Batch([SetField(entry.id, part.key, kept), level], label=f"修改{part.heading}")
        return SetField(entry.id, part.key, kept)
