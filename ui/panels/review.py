"""The 歷程與意見 panel: comments and the change history of the selected 目 or entry.

It shows one node (``show_node``, called when the table's cursor moves) and
follows the change record on its own (``on_changes``): a review action, a
comment, an edit of the node or of one of its entries, and the undo of any of
them, are listed at once — the cursor need not move away and back.
"""
from __future__ import annotations

import json

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.model import FIELD_LABEL, KIND_LABEL, REVIEW_LABEL, ROLE_LABEL, field_label
from app.templates import ValueProblem, format_value, kept_value

from ..list_models import RowsModel, list_view


def _value(raw: str | None, field: str | None = None) -> str:
    """A stored before/after value as a clerk reads it: 「送審」, not 「submitted」; 「是」, not 「True」."""
    if raw is None:
        return ""
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):  # a history row damaged elsewhere: shown as it is stored
        return str(raw)
    if field == "status" and isinstance(value, str):
        return REVIEW_LABEL.get(value, value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        if "text" in value:
            return value["text"]
        if "title" in value:
            return value["title"]
        if "parent" in value:
            return f"第 {value['index'] + 1} 位"
    return "" if value is None else str(value)


def _loaded(raw: str):
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return raw


def kept(column, value):
    """A history row's value of a template column, or its text when it no longer fits the column."""
    try:
        return kept_value(column, value)
    except ValueProblem:
        return str(value)


def roc_time(at: str) -> str:
    """「2026-12-02T00:14:57」 → 「115/12/02 00:14:57」: the ROC year, as every date the clerk reads."""
    date, _, time = at.replace(" ", "T").partition("T")
    year, _, rest = date.partition("-")
    if not year.isdigit() or not rest:
        return at.replace("T", " ")
    return f"{int(year) - 1911}/{rest.replace('-', '/')} {time[:8]}".rstrip()


class HistoryModel(RowsModel):
    """Comments and history rows of a node, newest first."""

    headers = ("時間", "人員", "動作", "項目", "修改前", "修改後")

    @property
    def rows(self) -> list[tuple[str, ...]]:
        return self.items

    def set_rows(self, comments, history, template=None) -> None:
        rows = [(c.at, f"{c.author}（{ROLE_LABEL.get(c.role, c.role)}）", "意見", "", "", c.text)
                for c in comments]
        listed = {(c.node_id, c.text) for c in comments}
        for row in history:
            if row["field"] == "comment" and (row["node_id"], json.loads(row["after"] or "null")) in listed:
                continue  # the comment's own row says it (each comment once)
            column = None
            if row["field"] and template is not None and not template.is_default:
                what = field_label(row["field"], row["kind"], template)  # 預算金額, 業務名稱
                column = next((c for c in template.value_columns if c.key == row["field"]), None)
            else:
                what = FIELD_LABEL.get(row["field"] or "", KIND_LABEL.get(row["kind"], row["kind"]))
            if column is not None:  # a template column's value as the table shows it (1,234,567, ■/□)
                before, after = (format_value(column, kept(column, _loaded(raw))) if raw else ""
                                 for raw in (row["before"], row["after"]))
            else:
                before, after = _value(row["before"], row["field"]), _value(row["after"], row["field"])
            rows.append((row["at"], f"{row['who']}（{ROLE_LABEL.get(row['role'], row['role'])}）",
                         row["action"], what, before, after))
        # Newest first.  History comes oldest first, and many steps share a second: sort oldest
        # first (stable, ISO times sort as text), then reverse, so ties are newest first as well.
        rows.sort(key=lambda r: r[0])
        rows.reverse()
        self.set_items([(roc_time(r[0]), *r[1:]) for r in rows])

    def cell(self, row: tuple[str, ...], column: int) -> str:
        return row[column]


class ReviewPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel("選擇一個目或一筆辦理情形，這裡會列出意見與修改歷程。")
        self.title.setWordWrap(True)
        self.model = HistoryModel(parent=self)
        self.view = list_view("historyView", self.model, (140, 130, 130, 80, 200))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.view)

        self.document = None
        self.node_id: str | None = None
        self.label = ""
        self._ids: set[str] = set()  # the node and, for a 目, its entries: what the panel lists

    def show_node(self, document, node_id: str | None, label: str = "") -> None:
        self.document, self.node_id, self.label = document, node_id, label
        self.reload()

    def on_changes(self, changes) -> None:
        """Reload when the change concerns the node shown (its fields, review, comments, history)."""
        if self.node_id is not None and changes.touches(*self._ids):
            self.reload()

    def reload(self) -> None:
        document, node_id, label = self.document, self.node_id, self.label
        if document is None or node_id is None or document.find(node_id) is None:
            self._ids = {node_id} if node_id else set()
            self.model.set_rows([], [])
            return
        node = document.find(node_id)
        ids = self._ids = {node_id} | ({e.id for e in node.entries} if node.kind == "item" else set())
        comments = [c for c in document.report.comments if c.node_id in ids]
        self.title.setText(f"{' '.join(label.split())}：{len(comments)} 則意見")  # the 目's label on one line
        self.model.set_rows(comments, document.history_of(node_id), document.report.template)
