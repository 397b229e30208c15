"""Last year's entries for one 目, read-only, beside this year's.

After a rollover (:func:`app.rollover.next_year`) every 目 of the new report
carries last year's entries in ``report.previous_entries[item_id]``.
:class:`PreviousYearWidget` shows them for the 目 the clerk is editing
(numbered as they were printed: 1. (1) …) and offers "複製到今年": it emits
:attr:`PreviousYearWidget.copy_requested` with a *copy* of the chosen entry
(a fresh id, same level, text and remark; the completion is left empty —
last year's percentage is not this year's).  The widget never
changes the report: the main window turns the signal into an InsertNode
operation on its undo stack, like any other edit.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.layout import completion_text
from app.model import Entry, Report
from app.numbering import entry_numbers

from ..list_models import RowsModel

_Index = QModelIndex | QPersistentModelIndex
EntryRole = Qt.ItemDataRole.UserRole + 1


class PreviousEntriesModel(RowsModel):
    """Read-only rows of last year's entries of one 目."""

    headers = ("編號", "辦理情形", "完成程度", "備註")
    NUMBER, TEXT, COMPLETION, REMARK = range(4)
    centred_columns = (NUMBER, COMPLETION)

    def __init__(self, parent=None):
        super().__init__(parent=parent)
        self.numbers: list[str] = []
        self.template = None  # another template than the default (issue 19): its numbers and values

    @property
    def entries(self) -> list[Entry]:
        return self.items

    def set_entries(self, entries: list[Entry], numbering_style: str | None = None, template=None) -> None:
        self.template = template if template is not None and not template.is_default else None
        if self.template is not None:
            from app.templates import numbered_text_numbers

            text = self.template.text_column
            self.numbers = numbered_text_numbers(text, [e.level for e in entries]) if text is not None else [""] * len(entries)
        else:
            self.numbers = entry_numbers([e.level for e in entries], numbering_style)
        self.set_items(entries)

    def entry(self, row: int) -> Entry | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def cell_at(self, row: int, column: int) -> str:
        if column == self.NUMBER:
            return self.numbers[row]
        return self.cell(self.items[row], column)

    def cell(self, entry: Entry, column: int) -> str:
        if self.template is not None and column == self.TEXT:
            from app.rows import row_values
            from app.templates import format_value

            values = row_values(entry, self.template)
            parts = [format_value(c, values.get(c.key), values) for c in self.template.stored_columns]
            return "　".join(p for p in parts if p)  # the row's values, as the table shows them
        if column == self.TEXT:
            return ("　" if entry.level == 2 else "") + entry.text  # sub-items indented as printed
        if column == self.COMPLETION:
            return completion_text(entry.completion)
        return entry.remark

    def extra(self, entry: Entry, column: int, role: int):
        return entry if role == EntryRole else None


class PreviousYearWidget(QWidget):
    """Last year's 辦理情形 of one 目 with a "複製到今年" button."""

    copy_requested = Signal(object)  # a new Entry (fresh id) to insert into this year's 目

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.report: Report | None = None
        self.item_id: str | None = None
        self.title = QLabel("去年的辦理情形")
        self.model = PreviousEntriesModel(self)
        self.view = QTableView()
        self.view.setObjectName("previousYearView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(True)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(PreviousEntriesModel.NUMBER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PreviousEntriesModel.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PreviousEntriesModel.COMPLETION, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setAccessibleName("去年的辦理情形")
        self.empty_label = QLabel()
        self.copy_button = QPushButton("複製到今年")
        self.copy_button.setToolTip("把選取的去年辦理情形加到今年這個目的最後")
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_selected)
        self.view.doubleClicked.connect(lambda _index: self.copy_selected())
        self.view.selectionModel().selectionChanged.connect(self._update_button)
        self.model.modelReset.connect(self._update_button)

        buttons = QHBoxLayout()
        buttons.addWidget(self.empty_label, 1)
        buttons.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def show_item(self, report: Report | None, item_id: str | None) -> None:
        """Show last year's entries of this 目 (none when the 目 is new this year)."""
        self.report, self.item_id = report, item_id
        entries = report.previous_entries.get(item_id, []) if report is not None and item_id else []
        style = report.numbering_style if report is not None else None
        self.model.set_entries(entries, style, report.template if report is not None else None)
        self.view.resizeRowsToContents()  # long texts wrap onto several lines
        year = f"{report.roc_year - 1} 年度" if report is not None and report.roc_year else "去年"
        self.title.setText(f"去年（{year}）的辦理情形" if year != "去年" else "去年的辦理情形")
        if item_id is None:
            self.empty_label.setText("請先選取一個目")
        elif not entries:
            self.empty_label.setText("去年沒有這個目的辦理情形")
        else:
            self.empty_label.setText(f"共 {len(entries)} 筆")

    def sizeHint(self) -> QSize:
        return QSize(440, 480)  # wide enough to read a 辦理情形 beside the table

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.view.resizeRowsToContents()  # narrower or wider: the wrapped rows change height

    def selected_entry(self) -> Entry | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def copy_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        from app.templates import NUMERIC_TYPES

        template = self.model.template
        # as 建立下一年度報告 does: the words stay, amounts and percentages are this year's to fill in
        values = {key: value for key, value in entry.values.items()
                  if template is None or key not in {c.key for c in template.columns} or template.column(key).type not in NUMERIC_TYPES}
        self.copy_requested.emit(
            Entry(level=entry.level, text=entry.text, completion=None, remark=entry.remark, values=values))

    def _update_button(self, *args) -> None:
        self.copy_button.setEnabled(self.selected_entry() is not None)
