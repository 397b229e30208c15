"""Cell editors: multi-line text where Enter commits, and a 0–100 completion box."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QValidator
from PySide6.QtWidgets import QAbstractItemDelegate, QLineEdit, QPlainTextEdit, QStyledItemDelegate, QWidget

from .model import COL_CLASS, COL_COMPLETION, COL_ITEM, COL_REMARK, COL_SECTION, COL_TEXT

SPANNED_COLUMNS = (COL_CLASS, COL_SECTION, COL_ITEM)


class CompletionValidator(QValidator):
    """What the 完成程度 editor accepts while typing: exactly what app.editing.parse_completion reads.

    # issue 15: a key that would make the value invalid (typing 150) is swallowed silently.
    """

    def validate(self, text: str, pos: int):
        from app.editing import parse_completion

        try:
            parse_completion(text)
        except ValueError:
            return QValidator.State.Invalid, text, pos
        return QValidator.State.Acceptable, text, pos


class MultiLineEditor(QPlainTextEdit):
    """Enter commits; Alt+Enter or Shift+Enter inserts a line break; Esc cancels."""

    def __init__(self, parent: QWidget, delegate: QStyledItemDelegate):
        super().__init__(parent)
        self._delegate = delegate
        self.setTabChangesFocus(True)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier):
                self.insertPlainText("\n")
                return
            self._delegate.commitData.emit(self)
            self._delegate.closeEditor.emit(self, QAbstractItemDelegate.EndEditHint.SubmitModelCache)
            return
        if event.key() == Qt.Key.Key_Escape:
            self._delegate.closeEditor.emit(self, QAbstractItemDelegate.EndEditHint.RevertModelCache)
            return
        super().keyPressEvent(event)


class TableDelegate(QStyledItemDelegate):
    def paint(self, painter, option, index) -> None:
        # A 類/項/目 cell spans many rows; QTableView draws its text at the
        # top of the span, which scrolls away.  Draw the text in the visible
        # part of the span instead, so the label is always in view.
        view = self.parent()
        if index.column() in SPANNED_COLUMNS and view is not None and hasattr(view, "viewport"):
            visible = option.rect.intersected(view.viewport().rect())
            if not visible.isEmpty() and visible.top() > option.rect.top():
                option = type(option)(option)
                self.initStyleOption(option, index)
                text = option.text
                option.text = ""
                style = option.widget.style() if option.widget else view.style()
                style.drawControl(style.ControlElement.CE_ItemViewItem, option, painter, option.widget)
                painter.save()
                painter.setFont(option.font)
                painter.drawText(visible.adjusted(4, 2, -4, -2), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap), text)
                painter.restore()
                return
        super().paint(painter, option, index)

    def createEditor(self, parent: QWidget, option, index):
        if index.column() in (COL_TEXT, COL_REMARK):
            editor = MultiLineEditor(parent, self)
            editor.setFont(option.font)
            return editor
        editor = super().createEditor(parent, option, index)
        if index.column() == COL_COMPLETION and isinstance(editor, QLineEdit):
            editor.setValidator(CompletionValidator(editor))
            editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
            editor.setPlaceholderText("0–100")
        return editor

    def setEditorData(self, editor: QWidget, index) -> None:
        if isinstance(editor, MultiLineEditor):
            editor.setPlainText(index.data(Qt.ItemDataRole.EditRole) or "")
            editor.moveCursor(editor.textCursor().MoveOperation.End)
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model, index) -> None:
        if isinstance(editor, MultiLineEditor):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)

    def updateEditorGeometry(self, editor: QWidget, option, index) -> None:
        rect = option.rect
        if isinstance(editor, MultiLineEditor):
            rect.setHeight(max(rect.height(), editor.fontMetrics().height() * 4))
        editor.setGeometry(rect)

    def eventFilter(self, editor, event) -> bool:
        # Let the multi-line editor see Enter itself (the base class would
        # commit on Enter only for single-line editors anyway) but keep Tab.
        if isinstance(editor, MultiLineEditor) and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
                return False
        return super().eventFilter(editor, event)
