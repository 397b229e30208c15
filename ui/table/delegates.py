"""Cell editors: multi-line text where Enter commits, and a 0–100 completion box.

The text editor covers its cell and nothing else: when what is typed needs
more lines, its row grows while editing (the rows below move down, none is
hidden), and the view re-measures the row when the editor closes.  A
completion that is not 0–100 is let through while typing and refused
visibly on Enter / Tab (the editor stays open, red, with the reason).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QPersistentModelIndex, QPoint, Qt
from PySide6.QtGui import QKeyEvent, QValidator
from PySide6.QtWidgets import (QAbstractItemDelegate, QLineEdit, QPlainTextEdit, QStyledItemDelegate, QTableView,
                               QToolTip, QWidget)

from .model import COL_CLASS, COL_COMPLETION, COL_ITEM, COL_REMARK, COL_SECTION, COL_TEXT

SPANNED_COLUMNS = (COL_CLASS, COL_SECTION, COL_ITEM)


COMPLETION_RULE = "完成程度必須是 0 到 100 的整數（可帶 %），例如 85 或 100%"
INVALID_STYLE = "QLineEdit { background: #ffd9d9; }"


class CompletionValidator(QValidator):
    """What the 完成程度 editor accepts: exactly what app.editing.parse_completion reads.

    Anything else is *Intermediate*, not Invalid: every key shows (typing 150
    shows 150, no key is swallowed) and Enter / Tab refuse it visibly
    (:meth:`TableDelegate.eventFilter`)."""

    def validate(self, text: str, pos: int):
        from app.editing import parse_completion

        try:
            parse_completion(text)
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Acceptable, text, pos


class MultiLineEditor(QPlainTextEdit):
    """Enter commits; Alt+Enter or Shift+Enter inserts a line break; Esc cancels."""

    def __init__(self, parent: QWidget, delegate: QStyledItemDelegate, index=None):
        super().__init__(parent)
        self._delegate = delegate
        self._index = QPersistentModelIndex(index) if index is not None else QPersistentModelIndex()
        self.setTabChangesFocus(True)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.document().documentLayout().documentSizeChanged.connect(lambda size: self.grow_row())

    def needed_height(self) -> int:
        """The height that shows every line typed so far (wrapped at the cell's width)."""
        lines = max(1, int(self.document().documentLayout().documentSize().height()))
        margins = self.contentsMargins()
        spacing = self.fontMetrics().lineSpacing()
        # half a line to spare: QPlainTextEdit shows its scroll bar when the last line only just fits
        return (lines * spacing + int(2 * self.document().documentMargin())
                + margins.top() + margins.bottom() + spacing // 2 + 4)

    def grow_row(self) -> None:
        """More lines than the row shows: the row grows (the rows below move down, none is covered)."""
        view = self._delegate.parent()
        if not self._index.isValid() or not isinstance(view, QTableView):
            return
        header = view.verticalHeader()
        row = self._index.row()
        needed = self.needed_height()
        if needed > header.sectionSize(row):
            header.resizeSection(row, needed)

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
            editor = MultiLineEditor(parent, self, index)
            editor.setFont(option.font)
            return editor
        editor = super().createEditor(parent, option, index)
        if index.column() == COL_COMPLETION and isinstance(editor, QLineEdit):
            editor.setValidator(CompletionValidator(editor))
            editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
            editor.setPlaceholderText("0–100")
            editor.setMaxLength(8)
            editor.textChanged.connect(lambda text, e=editor: e.setStyleSheet("" if e.hasAcceptableInput() else INVALID_STYLE))
        return editor

    def setEditorData(self, editor: QWidget, index) -> None:
        if isinstance(editor, MultiLineEditor):
            editor.setPlainText(index.data(Qt.ItemDataRole.EditRole) or "")
            view = self.parent()
            if getattr(view, "typed_edit", False):
                editor.selectAll()  # a typed key replaces the cell's content, as in a spreadsheet
            else:
                editor.moveCursor(editor.textCursor().MoveOperation.End)  # F2 / Enter / double-click: keep it
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model, index) -> None:
        if isinstance(editor, MultiLineEditor):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)
            return
        try:
            super().setModelData(editor, model, index)
        except ValueError:
            # Focus left an invalid 完成程度 (a click elsewhere): nothing is stored, and it says so.
            self._say(editor, COMPLETION_RULE + "；未存入")

    def updateEditorGeometry(self, editor: QWidget, option, index) -> None:
        # The editor covers its own cell only; a longer text grows the row (MultiLineEditor.grow_row).
        editor.setGeometry(option.rect)

    def _say(self, editor: QWidget, message: str) -> None:
        view = self.parent()
        if view is not None and hasattr(view, "refused"):
            view.refused.emit(message)
        QToolTip.showText(editor.mapToGlobal(QPoint(0, editor.height())), message, editor)

    def eventFilter(self, editor, event) -> bool:
        # Let the multi-line editor see Enter itself (the base class would
        # commit on Enter only for single-line editors anyway) but keep Tab.
        if isinstance(editor, MultiLineEditor) and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
                return False
        if (isinstance(editor, QLineEdit) and isinstance(editor.validator(), CompletionValidator)
                and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
                and not editor.hasAcceptableInput()):
            # 150 is refused visibly: the editor stays open (red) and says why; Esc cancels.
            self._say(editor, COMPLETION_RULE)
            return True
        return super().eventFilter(editor, event)
