"""One department as the official table shows it, editable in place.

Columns: 類 | 項 | 目 | 辦理情形 | 完成程度 | 備註.  One table row per entry
(so every entry's text, completion and remark is its own cell); the 類, 項
and 目 cells span their rows in the view (:meth:`DepartmentTableModel.spans`).
A 目 without entries, or a 項 without 目, still gets one placeholder row so
it shows and can be typed into.

``setData`` cleans the value, skips no-ops, and hands an engine operation to
``commit`` (the window's undo stack) — the model never writes to the
document itself; what a typed value means is app/editing.py's.  The view
(ui/table/view.py) calls :meth:`refresh` or :meth:`refresh_rows` with what
each change record says changed.

A report of another template (issue 19) is shown by ui/table/template_rows.py's
``TemplateTable`` (``self.template`` set): its columns, rows and editors; the
methods below keep the default's code and hand that case over.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.document import ReportDocument
from app.layout import (
    HEADER_CLASS,
    HEADER_COMPLETION,
    HEADER_ITEM,
    HEADER_PROGRESS,
    HEADER_REMARK,
    HEADER_SECTION,
    clean_text,
    completion_text,
)
from app.editing import completion_operation, entry_text_operation, remark_operation, title_operation
from app.model import REVIEW_LABEL, LEVEL_SUBITEM, Department, Entry, Item, Section
from app.numbering import entry_numbers, item_numbers, style_named
from app.operations import Operation

from ..tree.moves import NodeDragDrop, nodes_mime
from .template_rows import TemplateTable

COL_CLASS, COL_SECTION, COL_ITEM, COL_TEXT, COL_COMPLETION, COL_REMARK = range(6)
HEADERS = (HEADER_CLASS, HEADER_SECTION, HEADER_ITEM, HEADER_PROGRESS, HEADER_COMPLETION, HEADER_REMARK)

NodeIdRole = Qt.ItemDataRole.UserRole + 1
ProblemRole = Qt.ItemDataRole.UserRole + 3
#: 校對: [(start, end, finding)] of a cell, offsets in its displayed text (the delegate underlines them).
FindingsRole = Qt.ItemDataRole.UserRole + 4

SECTION_TINT = QColor("#f4f6fb")
HIGHLIGHT = QColor("#fff3c4")
ERROR_TINT = QColor("#ffd9d9")
WARNING_TINT = QColor("#fff0d0")
CHANGED_TINT = QColor("#dff5e1")
APPROVED_TINT = QColor("#f1f1f1")


@dataclass
class TableRow:
    section: Section
    item: Item | None
    entry: Entry | None
    section_label: str
    item_label: str
    number: str
    # another template (ui/table/template_rows.py): a heading row's node, the template-level
    # nodes above the row (app.rows Row.path) and its column-level texts
    heading: object = None
    path: tuple = field(default=())
    cells: tuple = field(default=())

    def ids(self) -> set:
        found = {self.section.id}
        if self.item is not None:
            found.add(self.item.id)
        if self.entry is not None:
            found.add(self.entry.id)
        if self.heading is not None:
            found.add(self.heading.id)
        found.update(node.id for node in self.path)
        return found


class DepartmentTableModel(TemplateTable, NodeDragDrop, QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.document: ReportDocument | None = None
        self.department: Department | None = None
        self.rows: list[TableRow] = []
        self.department_label = ""
        self.commit: Callable[[Operation], bool] | None = None
        self.problems: dict[tuple[str, str | None], str] = {}  # (node id, field) → severity
        self.highlighted: set[str] = set()  # node ids
        self.changed_since_approval: dict = {}  # entry id → app.review.EntryChange
        self.findings: dict[tuple[str, str], list] = {}  # 校對: (node id, field) → app.proofread.Finding s
        self.font = QFont()
        self.unsaved_text: str | None = None  # what a refused cell edit held
        self.template = None  # the report's template when it is not the default (TemplateTable)
        self.number_of: dict[str, str] = {}
        self.last_problem: str | None = None  # why the last typed value was not stored (another template)

    # --- data source -----------------------------------------------------------

    def show_department(self, document: ReportDocument | None, department_id: str | None) -> None:
        self.beginResetModel()
        self.document = document
        node = document.find(department_id) if document and department_id else None
        self.department = node if node is not None and node.kind == "department" else None
        self.template = self._template_of(document)
        self._build()
        self.endResetModel()

    @staticmethod
    def _template_of(document):
        template = document.report.template if document is not None else None
        return None if template is None or template.is_default else template

    # --- the columns the view lays out (the default's constants, or the template's) -----

    def entry_columns(self) -> tuple[int, ...]:
        """The columns of an entry's own values (Tab visits them, Delete clears them)."""
        return tuple(self.stored_column_indexes()) if self.template is not None else (COL_TEXT, COL_COMPLETION, COL_REMARK)

    def title_columns(self) -> tuple[int, ...]:
        return tuple(self.level_column_indexes()) if self.template is not None else (COL_CLASS, COL_SECTION, COL_ITEM)

    def measured_columns(self) -> tuple[int, ...]:
        """The columns whose wrapped text sets a row's height."""
        if self.template is None:
            return (COL_TEXT, COL_REMARK, COL_COMPLETION)
        return tuple(c for c in range(len(self.parts)) if self.level_depth(c) is None)

    def spanned_columns(self) -> tuple[int, ...]:
        """The columns whose cells span rows (their labels drawn in the visible part)."""
        return tuple(self.level_column_indexes()) if self.template is not None else (COL_CLASS, COL_SECTION, COL_ITEM)

    def fitted_span_columns(self) -> tuple[int, ...]:
        return tuple(self.level_column_indexes()) if self.template is not None else (COL_SECTION, COL_ITEM)

    def main_column(self) -> int:
        return self.main_column_index() if self.template is not None else COL_TEXT

    def is_entry_column(self, column: int) -> bool:
        if self.template is not None:
            return self.entry_column(column) is not None
        return column >= COL_TEXT

    def is_title_cell(self, index) -> bool:
        if self.template is not None and 0 <= index.row() < len(self.rows) and self.rows[index.row()].heading is not None:
            return True
        return index.column() in self.title_columns()

    def column_for(self, kind: str, field_name: str | None = None) -> int:
        """The column go_to shows a node of ``kind`` (an entry's ``field_name``) in."""
        if self.template is None:
            return {"department": 0, "section": COL_SECTION, "item": COL_ITEM}.get(
                kind, {"text": COL_TEXT, "completion": COL_COMPLETION, "remark": COL_REMARK}.get(field_name or "text", COL_TEXT))
        if kind != "entry":
            level = self.template.level_of(kind)
            if level is not None and level in self.parts:
                return self.parts.index(level)
            return 0
        for c, part in enumerate(self.parts):
            if getattr(part, "key", None) == field_name and self.entry_column(c) is not None:
                return c
        return self.main_column()

    def span_node_of(self, row, column: int):
        if self.template is not None:
            return self.span_node(row, column)
        return row.section if column == COL_SECTION else row.item

    def refresh(self) -> None:
        """Follow a change of the document.

        When the number of rows stays (a cell edit, a typed-in first entry,
        a level change that renumbers) the rows are replaced and repainted
        without a reset, so an editor being closed is not pulled from under
        the view; otherwise the model resets.
        """
        if self.document is not None and self.department is not None:
            current = self.document.find(self.department.id)
            self.department = current if current is not None and current.kind == "department" else None
        old_count = len(self.rows)
        old_template, self.template = self.template, self._template_of(self.document)
        rows, label = self._compute()
        if len(rows) == old_count and old_count and old_template == self.template:
            self.rows, self.department_label = rows, label
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, self.columnCount() - 1))
        else:
            self.beginResetModel()
            self.rows, self.department_label = rows, label
            self.endResetModel()

    def refresh_rows(self, entry_ids: set[str]) -> list[int]:
        """Cell values of these entries changed (same rows, same spans): repaint their rows only."""
        changed = [r for r, row in enumerate(self.rows) if row.entry is not None and row.entry.id in entry_ids]
        for r in changed:
            self.dataChanged.emit(self.index(r, 0), self.index(r, self.columnCount() - 1))
        return changed

    def _build(self) -> None:
        self.rows, self.department_label = self._compute()

    def _compute(self) -> tuple[list[TableRow], str]:
        rows: list[TableRow] = []
        if self.document is None or self.department is None:
            return rows, ""
        if self.template is not None:
            return self.template_rows(TableRow)
        report = self.document.report
        style = style_named(report.numbering_style)
        position = next(i for i, d in enumerate(report.departments, start=1) if d.id == self.department.id)
        label = f"{style.department_number(position)}{clean_text(self.department.name)}"
        for s, section in enumerate(self.department.sections, start=1):
            section_label = f"{style.section_number(s)}{clean_text(section.title)}"
            if not section.items:
                rows.append(TableRow(section, None, None, section_label, "", ""))
                continue
            for item, item_number in zip(section.items, item_numbers([i.numbered for i in section.items], style)):
                item_label = f"{item_number} {clean_text(item.title)}" if item_number else clean_text(item.title)
                if item.status != "draft":
                    item_label += f"\n〔{REVIEW_LABEL[item.status]}〕"
                if not item.entries:
                    rows.append(TableRow(section, item, None, section_label, item_label, ""))
                    continue
                for entry, number in zip(item.entries, entry_numbers([e.level for e in item.entries], style)):
                    rows.append(TableRow(section, item, entry, section_label, item_label, number))
        return rows, label

    def spans(self) -> list[tuple[int, int, int, int]]:
        """(row, column, row span, column span) for the 類, 項 and 目 cells."""
        if self.template is not None:
            return self.template_spans()
        result = []
        if len(self.rows) > 1:
            result.append((0, COL_CLASS, len(self.rows), 1))
        for column, key in ((COL_SECTION, lambda r: r.section.id), (COL_ITEM, lambda r: (r.section.id, r.item.id if r.item else None))):
            start = 0
            for row in range(1, len(self.rows) + 1):
                if row == len(self.rows) or key(self.rows[row]) != key(self.rows[start]):
                    if row - start > 1:
                        result.append((start, column, row - start, 1))
                    start = row
        return result

    def row_of(self, node_id: str) -> int:
        """The first row showing ``node_id`` (an entry, 目 or 項), or -1."""
        for row, table_row in enumerate(self.rows):
            if node_id in (table_row.section.id, table_row.item.id if table_row.item else None,
                           table_row.entry.id if table_row.entry else None):
                return row
            if self.template is not None and node_id in table_row.ids():
                return row
        return -1

    def rows_of(self, node_id: str) -> range:
        if self.template is not None:
            rows = [r for r, t in enumerate(self.rows) if node_id in t.ids()]
            return range(rows[0], rows[-1] + 1) if rows else range(0)
        rows = [r for r, t in enumerate(self.rows)
                if node_id in (t.section.id, t.item.id if t.item else None, t.entry.id if t.entry else None)]
        return range(rows[0], rows[-1] + 1) if rows else range(0)

    def node_at(self, index: QModelIndex):
        """The node a cell edits: the department, 項, 目 or entry."""
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        if self.template is not None:
            return self.template_node_at(index)
        row = self.rows[index.row()]
        column = index.column()
        if column == COL_CLASS:
            return self.department
        if column == COL_SECTION:
            return row.section
        if column == COL_ITEM:
            return row.item
        return row.entry

    # --- QAbstractTableModel ---------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if parent.isValid():
            return 0
        return len(self.parts) if self.template is not None else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and self.template is not None:
            names = self.template_headers()
            return names[section] if 0 <= section < len(names) else None
        if orientation == Qt.Orientation.Horizontal:
            headers = self._headers()
            return headers[section] if 0 <= section < len(headers) else None
        return str(section + 1)

    def _headers(self) -> tuple[str, ...]:
        """The report template's headings when it has the table's six columns (a renamed 備註
        after 工具 → 報告範本…), else the default ones."""
        if self.document is not None:
            from app.rows import headers

            named = tuple(headers(self.document.report.template))
            if len(named) == len(HEADERS):
                return named
        return HEADERS

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | self.drag_flags(index)
        row = self.rows[index.row()]
        column = index.column()
        if self.template is not None:
            if self.document is not None and self.document.read_only:
                return flags
            return flags | Qt.ItemFlag.ItemIsEditable if self.template_editable(row, column) else flags
        if column == COL_ITEM and row.item is None:
            return flags  # a 項 without 目: add one from the tree or by typing 辦理情形
        if column in (COL_COMPLETION, COL_REMARK) and row.entry is None:
            return flags
        if column == COL_TEXT and row.item is None:
            return flags
        if self.document is not None and self.document.read_only:
            return flags
        if row.item is not None and row.item.status == "approved" and column >= COL_ITEM:
            return flags  # a locked 目: refusal() says why, the view shows it instead of an editor
        return flags | Qt.ItemFlag.ItemIsEditable

    def refusal(self, index: QModelIndex | QPersistentModelIndex) -> str | None:
        """Why this cell cannot be edited (one zh-TW line naming the 目, no file path), or None."""
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if self.document is not None and self.document.read_only:
            from app.storage.lock import describe_owner, read_owner

            owner = read_owner(self.document.path)  # None when nobody holds it any more
            who = f"；{describe_owner(owner)}正在編輯" if owner else ""
            return f"此報告以唯讀方式開啟{who}，不能修改（可用「另存副本」另存一份再編輯）"
        if self.template is not None:
            return self.template_refusal(row, column)
        if column >= COL_ITEM and row.item is not None and row.item.status == "approved":
            return f"「{clean_text(row.item.title)}」已核定，已鎖定；需由主管重新開啟（Ctrl+Shift+4）後才能修改"
        if column == COL_ITEM and row.item is None or column == COL_TEXT and row.item is None:
            return f"「{clean_text(row.section.title)}」還沒有目：請先新增目（Ctrl+Alt+I）"
        if column in (COL_COMPLETION, COL_REMARK) and row.entry is None:
            return "請先輸入辦理情形，再填完成程度或備註"
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        entry = row.entry
        if self.template is not None:
            return self._template_data(index, row, column, role)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_CLASS:
                return self.department_label
            if column == COL_SECTION:
                return row.section_label
            if column == COL_ITEM:
                return row.item_label
            if column == COL_TEXT:
                if entry is None:
                    return ""
                text = clean_text(entry.text)
                indent = "　　" if entry.level == LEVEL_SUBITEM else ""
                return f"{indent}{row.number} {text}" if row.number else text
            if column == COL_COMPLETION:
                return completion_text(entry.completion) if entry else ""
            if column == COL_REMARK:
                return clean_text(entry.remark) if entry else ""
        if role == Qt.ItemDataRole.EditRole:
            if column == COL_CLASS:
                return self.department.name if self.department else ""
            if column == COL_SECTION:
                return row.section.title
            if column == COL_ITEM:
                return row.item.title if row.item else ""
            if column == COL_TEXT:
                return entry.text if entry else ""
            if column == COL_COMPLETION:
                return "" if entry is None or entry.completion is None else str(entry.completion)
            if column == COL_REMARK:
                return entry.remark if entry else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == COL_COMPLETION:
                return int(Qt.AlignmentFlag.AlignCenter)
            if column in (COL_CLASS, COL_SECTION, COL_ITEM):
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            node = self.node_at(index)
            if node is not None:
                field = _FIELD_OF_COLUMN.get((node.kind, column))
                severity = self.problems.get((node.id, field)) or (self.problems.get((node.id, None)) if column == COL_TEXT or column == COL_ITEM else None)
                if severity == "error":
                    return QBrush(ERROR_TINT)
                if severity == "warning":
                    return QBrush(WARNING_TINT)
                if node.id in self.highlighted:
                    return QBrush(HIGHLIGHT)
                if node.kind == "entry" and node.id in self.changed_since_approval and column == COL_TEXT:
                    return QBrush(CHANGED_TINT)
                if row.item is not None and row.item.status == "approved" and column >= COL_TEXT:
                    return QBrush(APPROVED_TINT)
            if column in (COL_CLASS, COL_SECTION, COL_ITEM):
                return QBrush(SECTION_TINT)
        if role == FindingsRole:
            return self.marks(index)
        if role == Qt.ItemDataRole.ToolTipRole and self.findings:
            tip = self.findings_tooltip(index)
            if tip:
                return tip
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_TEXT and entry is None and row.item is not None:
            return "此目尚無辦理情形：直接輸入即可新增"
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_TEXT and entry is not None and entry.id in self.changed_since_approval:
            change = self.changed_since_approval[entry.id]
            return f"核定後{change.change}：<br>{change.diff_html()}"
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_ITEM and row.item is not None and row.item.status != "draft":
            return f"審核狀態：{REVIEW_LABEL[row.item.status]}" + ("（已鎖定，需主管重新開啟才能修改）" if row.item.status == "approved" else "")
        if role == NodeIdRole:
            node = self.node_at(index)
            return node.id if node is not None else None
        if role == Qt.ItemDataRole.FontRole:
            return self.font
        return None

    def _template_data(self, index, row, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return self.template_display(row, column)
        if role == Qt.ItemDataRole.EditRole:
            return self.template_edit_text(row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            node = self.node_at(index)
            if node is not None:
                part = self.part(column)
                key = getattr(part, "key", None) if node.kind == "entry" else ("name" if node.kind == "department" else "title")
                severity = self.problems.get((node.id, key)) or self.problems.get((node.id, None))
                if severity == "error":
                    return QBrush(ERROR_TINT)
                if severity == "warning":
                    return QBrush(WARNING_TINT)
                if node.id in self.highlighted or (row.path and row.path[-1].id in self.highlighted):
                    return QBrush(HIGHLIGHT)
                if row.item is not None and row.item.status == "approved" and self.entry_column(column) is not None:
                    return QBrush(APPROVED_TINT)
            tint = self.template_role(row, column, role)
            if tint is not None:
                return tint
            if self.level_depth(column) is not None:
                return QBrush(SECTION_TINT)
            return None
        if role == FindingsRole:
            return self.marks(index)
        if role == Qt.ItemDataRole.ToolTipRole and self.findings:
            tip = self.findings_tooltip(index)
            if tip:
                return tip
        if role in (Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole):
            return self.template_role(row, column, role)
        if role == NodeIdRole:
            node = self.node_at(index)
            return node.id if node is not None else None
        if role == Qt.ItemDataRole.FontRole:
            if row.heading is not None:
                bold = QFont(self.font)
                bold.setBold(True)
                return bold
            return self.font
        return None

    # --- 校對 (ui/proofreading.py sets :attr:`findings`) --------------------------------

    def field_at(self, index: QModelIndex | QPersistentModelIndex) -> tuple[object, str] | None:
        """(node, field) of the text a cell shows: an entry's text or remark, a title, a name."""
        node = self.node_at(index)
        if self.template is not None and node is not None:
            if node.kind != "entry":
                field_name = "name" if node.kind == "department" else "title"
            else:
                part = self.entry_column(index.column())
                field_name = part.key if part is not None and part.key in ("text", "remark") else None
            return (node, field_name) if field_name else None
        field = _FIELD_OF_COLUMN.get((node.kind, index.column())) if node is not None else None
        return (node, field) if field in ("text", "remark", "title", "name") else None

    def cell_findings(self, index: QModelIndex | QPersistentModelIndex) -> list:
        """The 校對 findings in the text of this cell (in the order of the text)."""
        place = self.field_at(index) if self.findings else None
        return list(self.findings.get((place[0].id, place[1]), ())) if place else []

    def marks(self, index: QModelIndex | QPersistentModelIndex) -> list[tuple[int, int, object]]:
        """(start, end, finding) of each finding of the cell, as offsets in the text the cell shows.

        A finding's offsets are in the stored value (what the editor shows); the cell
        shows it after a number (「1. 」), an indent, or before a review mark, with line
        breaks made one: both ends are mapped."""
        findings = self.cell_findings(index)
        if not findings:
            return []
        node, field = self.field_at(index)
        value = getattr(node, field) or ""
        shown = self.data(index, Qt.ItemDataRole.DisplayRole) or ""
        cleaned = clean_text(value)
        if self.template is None and index.column() == COL_ITEM and self.rows[index.row()].item is not None and node.status != "draft":
            shown = shown[: len(shown) - len(f"\n〔{REVIEW_LABEL[node.status]}〕")]
        prefix = len(shown) - len(cleaned) if shown.endswith(cleaned) else 0
        if cleaned == value:
            def at(offset: int) -> int:
                return prefix + offset
        else:
            def at(offset: int) -> int:
                return prefix + len(clean_text(value[:offset]))
        marks = []
        for finding in findings:
            start, end = at(finding.start), at(finding.end)
            if end > start:
                marks.append((start, end, finding))
        return marks

    def findings_tooltip(self, index: QModelIndex | QPersistentModelIndex) -> str | None:
        findings = self.cell_findings(index)
        if not findings:
            return None
        from ..panels.problems import finding_text

        lines = [f"校對〔{f.level}〕「{f.text}」：{finding_text(f)}" for f in findings]
        return "\n".join(lines) + "\n（按右鍵可改為建議的寫法或忽略）"

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.commit is None:
            return False
        self.last_problem = None
        try:
            operation = self.operation_for(index, value)
        except ValueError as problem:
            if self.template is None:
                raise
            self.last_problem = str(problem)  # another template's value that does not fit: nothing changes
            return False
        if operation is None:
            return False
        stored = bool(self.commit(operation))
        if not stored and str(value).strip():
            self.unsaved_text = str(value)  # refused (a vanished file): the window keeps it on the clipboard
        return stored

    def operation_for(self, index: QModelIndex, value) -> Operation | None:
        """The engine operation that puts ``value`` into the cell, or None for a no-op.

        Raises ValueError for a value the cell cannot take (the delegate
        validates first, paste reports it).
        """
        if self.template is not None:
            return self.template_operation(index, value)
        row = self.rows[index.row()]
        column = index.column()
        if column == COL_CLASS:
            return title_operation(self.department, "name", value)
        if column == COL_SECTION:
            return title_operation(row.section, "title", value)
        if column == COL_ITEM:
            return title_operation(row.item, "title", value) if row.item else None
        if column == COL_TEXT:
            return entry_text_operation(row.item, row.entry, value) if row.item is not None else None
        if column == COL_COMPLETION:
            return completion_operation(row.entry, value)
        if column == COL_REMARK:
            return remark_operation(row.entry, value)
        return None

    # --- drag and drop of entries (MOVES): within / between 目, onto a 目 in the tree -------
    # The model says what was dragged and where it was dropped; ui/tree/moves.py moves it
    # (rules in app/editing.py) through the undo stack.

    def drag_flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if self.mover is None or self.document is None or self.document.read_only:
            return Qt.ItemFlag.NoItemFlags
        row = self.rows[index.row()]
        flags = Qt.ItemFlag.ItemIsDropEnabled if row.item is not None else Qt.ItemFlag.NoItemFlags
        if row.entry is not None and self.is_entry_column(index.column()):
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def mimeData(self, indexes):  # noqa: N802
        entries = {}
        for index in sorted(indexes, key=lambda i: (i.row(), i.column())):
            entry = self.rows[index.row()].entry if index.isValid() and index.row() < len(self.rows) else None
            if entry is not None:
                entries[entry.id] = [entry.text, completion_text(entry.completion), entry.remark]
        report_id = self.document.report.id if self.document is not None else ""
        return nodes_mime(report_id, list(entries), list(entries.values()))

    def _drop_place(self, data, row: int, parent) -> tuple[list[str], str | None, int]:
        """(ids, target id, index): onto a cell → onto its node (-1); between rows → into the 目 of
        the row below, before its entry (after the last row: the end of the last 目)."""
        ids = self._dropped_ids(data)
        if parent.isValid():
            node = self.node_at(parent)
            table_row = self.rows[parent.row()]
            if node is None:
                node = table_row.item or table_row.section
            return ids, node.id if node is not None else None, -1
        if not self.rows or row < 0:
            return ids, None, -1
        if row >= len(self.rows):
            last = self.rows[-1].item
            return ids, last.id if last else None, len(last.entries) if last else 0
        table_row = self.rows[row]
        if table_row.item is None:
            return ids, None, -1
        position = table_row.item.entries.index(table_row.entry) if table_row.entry is not None else 0
        return ids, table_row.item.id, position


_FIELD_OF_COLUMN = {
    ("entry", COL_TEXT): "text",
    ("entry", COL_COMPLETION): "completion",
    ("entry", COL_REMARK): "remark",
    ("item", COL_ITEM): "title",
    ("section", COL_SECTION): "title",
    ("department", COL_CLASS): "name",
}

