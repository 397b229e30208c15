"""Cell editors for a template's value columns (issue 19), made by ui/table/delegates.py.

* money / integer / percent / date / unit: a line editor aligned as its column;
  what is typed is checked with app.templates ``check_value`` as it is typed
  (red when it does not fit) and on Enter / Tab (refused with its zh-TW line,
  the editor stays open);
* a single choice: a combo box (the empty first line clears the cell); typing a
  choice's first character or Up / Down picks it, Enter stores it;
* several choices (經費來源 ■市庫負擔 ■補助款): a list of check boxes; Up / Down
  move, Space ticks, Enter stores what is ticked.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget, QListWidgetItem, QWidget

from app.templates import Column, check_value, parse_choice

INVALID_STYLE = "QLineEdit { background: #ffd9d9; }"
_ALIGN = {"left": Qt.AlignmentFlag.AlignLeft, "center": Qt.AlignmentFlag.AlignHCenter,
          "right": Qt.AlignmentFlag.AlignRight}
PLACEHOLDER = {"money": "如 1,234,567", "integer": "整數", "percent": "如 85 或 85%", "date": "如 110年3月5日 或 110/3/5",
               "unit": "單位名稱"}


class ValueLine(QLineEdit):
    def __init__(self, parent: QWidget, column: Column):
        super().__init__(parent)
        self.column = column
        self.setFrame(False)
        self.setAlignment(_ALIGN.get(column.align, Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText(PLACEHOLDER.get(column.type, ""))
        self.textChanged.connect(lambda text: mark(self, bool(check_value(self.column, text).problem)))


class ChoiceCombo(QComboBox):
    def __init__(self, parent: QWidget, column: Column):
        super().__init__(parent)
        self.column = column
        self.addItem("")
        for name in column.choices:
            self.addItem(name)


class ChoiceList(QListWidget):
    def __init__(self, parent: QWidget, column: Column):
        super().__init__(parent)
        self.column = column
        for name in column.choices:
            item = QListWidgetItem(name, self)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.setCurrentRow(0)

    def ticked(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]


def create(parent: QWidget, column: Column, font) -> QWidget:
    if column.type == "choice":
        editor: QWidget = ChoiceList(parent, column) if column.multiple else ChoiceCombo(parent, column)
    else:
        editor = ValueLine(parent, column)
    editor.setFont(font)
    return editor


def is_value_editor(editor) -> bool:
    return isinstance(editor, (ValueLine, ChoiceCombo, ChoiceList))


def _ticked_in(column: Column, text: str) -> tuple[str, ...]:
    try:
        return parse_choice(column, text) if text.strip() else ()
    except ValueError:
        return ()


def set_data(editor, index, *, typed: bool) -> None:
    text = index.data(Qt.ItemDataRole.EditRole) or ""
    if isinstance(editor, ValueLine):
        editor.setText(text)
        if not typed:
            editor.end(False)
        return
    ticked = _ticked_in(editor.column, text)
    if isinstance(editor, ChoiceCombo):
        editor.setCurrentIndex(editor.column.choices.index(ticked[0]) + 1 if ticked else 0)
        return
    for i in range(editor.count()):
        item = editor.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.text() in ticked else Qt.CheckState.Unchecked)


def text_of(editor) -> str:
    """What the editor holds as typed text (app.templates check_value reads it)."""
    if isinstance(editor, ValueLine):
        return editor.text()
    if isinstance(editor, ChoiceCombo):
        return editor.currentText()
    return "、".join(editor.ticked())


def problem_of(editor) -> str | None:
    if isinstance(editor, ValueLine):
        return check_value(editor.column, editor.text()).problem
    return None


def mark(editor, bad: bool) -> None:
    if isinstance(editor, QLineEdit):
        editor.setStyleSheet(INVALID_STYLE if bad else "")
