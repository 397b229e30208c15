"""Cell editors: multi-line text where Enter commits, and a 0–100 completion box; 校對 underlines.

The text editor covers its cell and nothing else: when what is typed needs
more lines, its row grows while editing (the rows below move down, none is
hidden), and the view re-measures the row when the editor closes.  A
completion that is not 0–100 is let through while typing and refused
visibly on Enter / Tab (the editor stays open, red, with the reason).

校對 (issue 18): a cell whose text holds findings (the model's ``FindingsRole``)
has its text laid out and drawn here with ``QTextLayout`` — as Qt's own item
drawing does (margins, word wrap, alignment) — with a wavy underline, red
(可能錯誤) or amber (建議), under just those characters (and a tint behind
narrow ones: 「, 」 or a space);
:func:`finding_at` finds the one under a point with the same layout (the
right-click menu offers that one).  ``select_next`` makes the next editor
select a range (going to a finding selects its characters).

Under another template (issue 19) the editor follows the column's type
(ui/table/template_editors.py): multi-line text, a line for money / integers /
percentages / dates / units (a value that does not fit is refused on Enter /
Tab with its zh-TW line, the editor stays open), a combo box for a single
choice and a checkable list for several.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QPersistentModelIndex, QPoint, QPointF, QRect, QRectF, QSizeF, Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent, QPalette, QTextCharFormat, QTextLayout, QTextOption, QValidator
from PySide6.QtWidgets import (QAbstractItemDelegate, QApplication, QLineEdit, QPlainTextEdit, QStyle,
                               QStyledItemDelegate, QStyleOptionViewItem, QTableView, QToolTip, QWidget)

from .model import COL_CLASS, COL_COMPLETION, COL_ITEM, COL_REMARK, COL_SECTION, COL_TEXT, FindingsRole
from . import template_editors

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


#: The underline of a finding, by level (app/proofread.py LEVELS): red for 可能錯誤, amber for 建議.
MARK_COLOUR = {"可能錯誤": QColor("#d0021b"), "建議": QColor("#d97a00")}
#: Behind marked characters that are all narrow (「, 」, a space, a digit): a wave under two
#: narrow characters is hard to see, a tint is not.
NARROW_TINT = QColor("#ffe2b0")


def mark_format(level: str, text: str = "") -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    fmt.setUnderlineColor(MARK_COLOUR.get(level, MARK_COLOUR["可能錯誤"]))
    if text and all(ord(c) < 0x2e80 for c in text):
        fmt.setBackground(NARROW_TINT)
    return fmt


class MarkedText:
    """A cell's text laid out as Qt's item drawing lays it out, the findings' ranges underlined."""

    def __init__(self, text: str, font, rect: QRect, alignment, wrap: bool, marks: list):
        self.text = text.replace("\n", "\u2028")  # Qt's item text: a line break is a line separator
        self.layout = QTextLayout(self.text, font)
        option = QTextOption(alignment)
        option.setWrapMode(QTextOption.WrapMode.WordWrap if wrap else QTextOption.WrapMode.ManualWrap)
        self.layout.setTextOption(option)
        formats = []
        for start, end, finding in marks:
            rng = QTextLayout.FormatRange()
            rng.start, rng.length, rng.format = start, end - start, mark_format(finding.level, finding.text)
            formats.append(rng)
        self.layout.setFormats(formats)
        self.marks = marks
        height = 0.0
        width = 0.0
        self.layout.beginLayout()
        while True:
            line = self.layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(rect.width())
            line.setPosition(QPointF(0, height))
            height += line.height()
            width = max(width, line.naturalTextWidth())
        self.layout.endLayout()
        size = QSizeF(rect.width(), height).toSize()
        self.origin = QPointF(QStyle.alignedRect(Qt.LayoutDirection.LeftToRight, alignment, size, rect).topLeft())
        self.clip = QRectF(rect)

    def draw(self, painter, colour: QColor) -> None:
        painter.save()
        painter.setPen(colour)
        painter.setClipRect(self.clip, Qt.ClipOperation.IntersectClip)
        self.layout.draw(painter, self.origin)
        painter.restore()

    def finding_at(self, point: QPointF):
        """The finding whose characters are under ``point`` (view coordinates), or None."""
        local = point - self.origin
        for n in range(self.layout.lineCount()):
            line = self.layout.lineAt(n)
            if line.y() <= local.y() < line.y() + line.height():
                position = line.xToCursor(local.x(), line.CursorPosition.CursorOnCharacter)
                for start, end, finding in self.marks:
                    if start <= position < end:
                        return finding
        return None


class TableDelegate(QStyledItemDelegate):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._selection: tuple[int, int] | None = None  # what the next editor selects (select_next)

    def select_next(self, start: int | None, end: int = 0) -> None:
        """The next editor opened selects characters start…end of its value (going to a 校對 finding); None: no more."""
        self._selection = None if start is None else (start, end)

    def paint(self, painter, option, index) -> None:
        # A 類/項/目 cell spans many rows; QTableView draws its text at the
        # top of the span, which scrolls away.  Draw the text in the visible
        # part of the span instead, so the label is always in view.
        view = self.parent()
        marks = index.data(FindingsRole)
        spanned = index.model().spanned_columns() if hasattr(index.model(), "spanned_columns") else SPANNED_COLUMNS
        if index.column() in spanned and view is not None and hasattr(view, "viewport"):
            visible = option.rect.intersected(view.viewport().rect())
            if not visible.isEmpty() and visible.top() > option.rect.top():
                option = type(option)(option)
                self.initStyleOption(option, index)
                text = option.text
                option.text = ""
                style = option.widget.style() if option.widget else view.style()
                style.drawControl(style.ControlElement.CE_ItemViewItem, option, painter, option.widget)
                if marks:
                    self._marked(option, index, text, marks, visible).draw(painter, self._text_colour(option))
                    return
                painter.save()
                painter.setFont(option.font)
                painter.drawText(visible.adjusted(4, 2, -4, -2), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap), text)
                painter.restore()
                return
        if marks:
            option = QStyleOptionViewItem(option)
            self.initStyleOption(option, index)
            text = option.text
            option.text = ""
            style = option.widget.style() if option.widget else QApplication.style()
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
            self._marked(option, index, text, marks).draw(painter, self._text_colour(option))
            return
        super().paint(painter, option, index)

    def _marked(self, option, index, text: str, marks: list, visible: QRect | None = None) -> MarkedText:
        """The layout of a marked cell: in the visible part of a span (as drawn above), else as Qt draws text."""
        if visible is not None:
            return MarkedText(text, option.font, visible.adjusted(4, 2, -4, -2),
                              Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, True, marks)
        style = option.widget.style() if option.widget else QApplication.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, option.widget) + 1
        rect = option.rect.adjusted(margin, 0, -margin, 0)
        wrap = bool(option.features & QStyleOptionViewItem.ViewItemFeature.WrapText)
        return MarkedText(text, option.font, rect, option.displayAlignment, wrap, marks)

    @staticmethod
    def _text_colour(option) -> QColor:
        group = (QPalette.ColorGroup.Disabled if not option.state & QStyle.StateFlag.State_Enabled
                 else QPalette.ColorGroup.Normal if option.state & QStyle.StateFlag.State_Active
                 else QPalette.ColorGroup.Inactive)
        role = (QPalette.ColorRole.HighlightedText if option.state & QStyle.StateFlag.State_Selected
                else QPalette.ColorRole.Text)
        return option.palette.color(group, role)

    def finding_at(self, view: QTableView, index, point: QPoint):
        """The 校對 finding under ``point`` (viewport coordinates) in the cell ``index``, or None."""
        marks = index.data(FindingsRole)
        if not marks:
            return None
        option = QStyleOptionViewItem()
        option.initFrom(view.viewport())
        option.rect = view.visualRect(index)
        option.widget = view
        self.initStyleOption(option, index)
        visible = option.rect.intersected(view.viewport().rect())
        spanned = index.column() in SPANNED_COLUMNS and not visible.isEmpty() and visible.top() > option.rect.top()
        layout = self._marked(option, index, option.text, marks, visible if spanned else None)
        return layout.finding_at(QPointF(point))

    @staticmethod
    def _templated(index) -> bool:
        return getattr(index.model(), "template", None) is not None

    def createEditor(self, parent: QWidget, option, index):
        if self._templated(index):
            part = index.model().entry_column(index.column())
            if part is None or part.type in ("numbered_text", "text"):
                editor = MultiLineEditor(parent, self, index)
                editor.setFont(option.font)
                return editor
            return template_editors.create(parent, part, option.font)
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
        if template_editors.is_value_editor(editor):
            template_editors.set_data(editor, index, typed=getattr(self.parent(), "typed_edit", False))
            return
        if isinstance(editor, MultiLineEditor):
            editor.setPlainText(index.data(Qt.ItemDataRole.EditRole) or "")
            view = self.parent()
            selection, self._selection = self._selection, None
            if getattr(view, "typed_edit", False):
                editor.selectAll()  # a typed key replaces the cell's content, as in a spreadsheet
            elif selection is not None:
                cursor = editor.textCursor()  # a 校對 finding: its characters selected
                cursor.setPosition(min(selection[0], len(editor.toPlainText())))
                cursor.setPosition(min(selection[1], len(editor.toPlainText())), cursor.MoveMode.KeepAnchor)
                editor.setTextCursor(cursor)
            else:
                editor.moveCursor(editor.textCursor().MoveOperation.End)  # F2 / Enter / double-click: keep it
            return
        super().setEditorData(editor, index)
        selection, self._selection = self._selection, None
        if selection is not None and isinstance(editor, QLineEdit):
            # (the view selects a line editor's whole text once this returns: select after it)
            QTimer.singleShot(0, editor, lambda: editor.setSelection(selection[0], selection[1] - selection[0]))

    def setModelData(self, editor: QWidget, model, index) -> None:
        if template_editors.is_value_editor(editor) or (isinstance(editor, MultiLineEditor) and self._templated(index)):
            text = editor.toPlainText() if isinstance(editor, MultiLineEditor) else template_editors.text_of(editor)
            if not model.setData(index, text, Qt.ItemDataRole.EditRole) and getattr(model, "last_problem", None):
                self._say(editor, model.last_problem + "；未存入")  # focus left a value that does not fit
            return
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
        if isinstance(editor, template_editors.ChoiceList):
            # a check list of many choices shows them all, over the rows below while it is open
            needed = editor.sizeHintForRow(0) * editor.count() + 2 * editor.frameWidth() + 2
            editor.setGeometry(option.rect.adjusted(0, 0, 0, max(0, needed - option.rect.height())))
            return
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
        if (template_editors.is_value_editor(editor) and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)):
            problem = template_editors.problem_of(editor)
            if problem:
                # a bad amount is refused visibly: the editor stays open (red) and says why; Esc cancels
                template_editors.mark(editor, True)
                self._say(editor, problem)
                return True
        if (isinstance(editor, QLineEdit) and isinstance(editor.validator(), CompletionValidator)
                and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
                and not editor.hasAcceptableInput()):
            # 150 is refused visibly: the editor stays open (red) and says why; Esc cancels.
            self._say(editor, COMPLETION_RULE)
            return True
        return super().eventFilter(editor, event)
