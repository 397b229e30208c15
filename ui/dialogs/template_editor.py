"""工具 → 報告範本…: edit the report's template, with a live preview of one row (issue 19).

The dialog shows the open report's template (app/templates.py) and edits a copy of it:
its name and layout, the levels of the hierarchy (name, numbering system and
punctuation, restart rule, shown as a table column or a heading row) and the entry
columns (heading, key, type, width, alignment, group, the choices of a choice column,
the two columns a computed ratio divides, the numbered text's number of levels), each
list with add / remove / move up / move down (renaming is editing the name or heading).
Below, a small table shows the header and one sample row as the report would show it
(app.templates format_value), updated at every edit, and the width total (a table's
widths add up to 100; otherwise 套用 is refused with the template's own rule line).

複製內附範本… starts again from a built-in; 開啟範本檔… / 另存範本檔… read and write
``.awt`` files (app.templates read_template / write_template; a bad file is the one
zh-TW line naming it).  套用 replaces the report's template as ONE undo step
(app/templates_change.py ChangeTemplate, pushed through the window's undo stack),
asking first when values would go (「刪除欄位「補助機關名稱」會移除 3 筆資料，確定嗎？」)
and refusing, with one line, a template the report's content does not fit.  The dialog
stays open after 套用 (關閉 ends it), so the menu walk (tests/menu_walk.py), which
clicks only a dialog's OK, opens and closes it without changing the report.

No engine logic lives here: the rules are app.templates' and app.templates_change's.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import ReportError
from app.model import Report
from app.templates import (
    COLUMN_TYPES,
    ENTRY_FIELD_TYPES,
    MAX_TEXT_LEVELS,
    RESERVED_KEYS,
    TEMPLATE_SUFFIX,
    Column,
    Level,
    NumberFormat,
    Template,
    builtin_templates,
    format_value,
    kept_value,
    read_template,
    write_template,
)
from app.templates_change import fit_problem, lost_question, rule_problem, values_lost

TITLE = "報告範本"
FILE_FILTER = f"報告範本 (*{TEMPLATE_SUFFIX})"
SYSTEMS = (("financial", "壹 貳 參"), ("chinese", "一 二 三"), ("stem", "甲 乙 丙"), ("arabic", "1 2 3"),
           ("latin_upper", "A B C"), ("latin_lower", "a b c"), ("none", "無（不編號）"))
PUNCTUATIONS = (("、", "壹、"), (".", "1."), ("．", "1．"), ("（）", "（一）"), ("()", "(1)"), ("", "無標點"))
RESTART_LABELS = (("parent", "每個上層重新編號"), ("never", "全份連續編號"))
DISPLAY_LABELS = (("column", "表格的一欄（合併儲存格）"), ("heading", "表格上方的標題列"))
ALIGN_LABELS = (("left", "靠左"), ("center", "置中"), ("right", "靠右"))
LAYOUT_LABELS = (("table", "表格"), ("narrative", "敘述式（標題與段落）"))
ORIENTATION_LABELS = (("portrait", "直向"), ("landscape", "橫向"))
#: The numbered text's further levels, in the order they are offered (1. (1) 一、 （一）).
TEXT_LEVELS = (NumberFormat("arabic", "."), NumberFormat("arabic", "()"), NumberFormat("chinese", "、"),
               NumberFormat("chinese", "（）"))
LEVEL_KINDS_HELP = "範本最多三層（部門、項、目）；層數減少時，被拿掉的層在每個上層之下只能有一個沒有名稱的節點。"

#: Sample values of the preview row, by type (numeric ones by their order, so a ratio is not 100%).
_SAMPLE_TEXT = {"text": "範例文字", "unit": "民政課", "date": "2021-03-05", "numbered_text": "辦理區政業務研習"}
_SAMPLE_NUMBERS = {"money": (1200000, 1080000, 960000), "integer": (120, 108, 96), "percent": (90, 85, 80)}


def _combo(pairs: tuple[tuple[str, str], ...]) -> QComboBox:
    box = QComboBox()
    for data, label in pairs:
        box.addItem(label, data)
    return box


def _select(box: QComboBox, data: Any) -> None:
    index = box.findData(data)
    box.setCurrentIndex(index if index >= 0 else 0)


def sample_values(template: Template) -> dict[str, Any]:
    """One row's kept values for the preview: each stored column a value of its type."""
    values: dict[str, Any] = {}
    used: dict[str, int] = {}
    for column in template.stored_columns:
        if column.type in _SAMPLE_NUMBERS:
            n = used.get(column.type, 0)
            used[column.type] = n + 1
            value: Any = _SAMPLE_NUMBERS[column.type][min(n, 2)]
        elif column.type == "choice":
            value = column.choices[:1]
        else:
            value = _SAMPLE_TEXT.get(column.type, "範例文字")
        try:
            values[column.key] = kept_value(column, value)
        except ValueError:  # out of the column's range: its minimum, or nothing
            values[column.key] = column.minimum if column.minimum is not None else None
    return values


def preview_cells(template: Template) -> tuple[list[str], list[str], str]:
    """(headers, one sample row's texts, the heading rows' line) of ``template``, as the table shows them."""
    values = sample_values(template)
    headers: list[str] = []
    cells: list[str] = []
    headings: list[str] = []
    for level in template.levels:
        label = f"{level.numbering.format(1)}{level.name}名稱"
        if level.display == "column":
            headers.append(_with_group(level.group, level.heading or level.name))
            cells.append(label)
        else:
            headings.append(label)
    for column in template.columns:
        headers.append(_with_group(column.group, column.heading))
        if column.type == "serial":
            cells.append(column.levels[0].format(1) if column.levels else "1")
        elif column.type == "numbered_text":
            cells.append((column.levels[0].format(1) if column.levels else "") + values.get(column.key, ""))
        else:
            cells.append(format_value(column, values.get(column.key), values))
    return headers, cells, " › ".join(headings)


def _with_group(group: str, heading: str) -> str:
    return f"{group}\n{heading}" if group else heading


def key_from_heading(heading: str, kind: str, taken: set[str]) -> str:
    """A new column's key (lower-case ASCII, unique): the heading's ASCII letters, or its type's name."""
    base = re.sub(r"[^a-z0-9]+", "_", heading.lower()).strip("_")
    if not base or not base[0].isalpha():
        base = kind if kind not in ("text", "numbered_text") else "field"
    base = base[:32]
    if base in ENTRY_FIELD_TYPES or base in RESERVED_KEYS:
        base = f"{base}_field"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


class TemplateEditorDialog(QDialog):
    """Edit a copy of ``template``; ``apply`` (the window's) takes the edited one as one undo step
    and returns whether it was applied; ``report`` lets 套用 ask about values first."""

    def __init__(self, template: Template, report: Report | None = None,
                 apply: Callable[[Template], bool] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.report = report
        self._apply = apply
        self.base = template
        self.levels: list[Level] = list(template.levels)
        self.columns: list[Column] = list(template.columns)
        self.added: set[int] = set()  # ids of columns added here (their key follows the heading)
        self._loading = False
        self.resize(1100, 820)

        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.name_edit = QLineEdit(template.name)
        self.name_edit.setObjectName("templateName")
        self.layout_box = _combo(LAYOUT_LABELS)
        self.orientation_box = _combo(ORIENTATION_LABELS)
        top.addWidget(QLabel("範本名稱"))
        top.addWidget(self.name_edit, 1)
        top.addWidget(QLabel("版面"))
        top.addWidget(self.layout_box)
        top.addWidget(QLabel("紙張"))
        top.addWidget(self.orientation_box)
        self.copy_button = QPushButton("複製內附範本…")
        self.open_button = QPushButton("開啟範本檔…")
        self.save_button = QPushButton("另存範本檔…")
        for button in (self.copy_button, self.open_button, self.save_button):
            top.addWidget(button)
        outer.addLayout(top)

        lists = QHBoxLayout()
        lists.addWidget(self._levels_box(), 2)
        lists.addWidget(self._columns_box(), 3)
        outer.addLayout(lists, 1)

        preview = QGroupBox("預覽（一列）")
        preview_layout = QVBoxLayout(preview)
        self.heading_label = QLabel()
        self.preview = QTableWidget(1, 0)
        self.preview.setObjectName("templatePreview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.verticalHeader().hide()
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.preview.setWordWrap(True)
        self.preview.setFixedHeight(112)
        self.width_label = QLabel()
        self.width_label.setObjectName("widthTotal")
        preview_layout.addWidget(self.heading_label)
        preview_layout.addWidget(self.preview)
        preview_layout.addWidget(self.width_label)
        outer.addWidget(preview)

        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton("套用", QDialogButtonBox.ButtonRole.ApplyRole)
        self.close_button = self.buttons.addButton("關閉", QDialogButtonBox.ButtonRole.RejectRole)
        self.apply_button.setEnabled(apply is not None)
        outer.addWidget(self.buttons)

        self.copy_button.clicked.connect(self.copy_builtin)
        self.open_button.clicked.connect(self.open_file)
        self.save_button.clicked.connect(self.save_file)
        self.apply_button.clicked.connect(self.apply)
        self.close_button.clicked.connect(self.reject)
        self.name_edit.textEdited.connect(lambda _text: self.refresh_preview())
        self.layout_box.currentIndexChanged.connect(lambda _i: self.refresh_preview())
        self.orientation_box.currentIndexChanged.connect(lambda _i: self.refresh_preview())
        self.load(template)

    # --- building ------------------------------------------------------------------

    def _list_buttons(self, what: str, add: Callable[[], None], remove: Callable[[], None],
                      move: Callable[[int], None]) -> tuple[QHBoxLayout, list[QPushButton]]:
        row = QHBoxLayout()
        buttons = []
        for text, slot in ((f"新增{what}", add), (f"刪除{what}", remove), ("上移", lambda: move(-1)),
                           ("下移", lambda: move(1))):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            row.addWidget(button)
            buttons.append(button)
        return row, buttons

    def _levels_box(self) -> QGroupBox:
        box = QGroupBox("層級（由上而下）")
        layout = QVBoxLayout(box)
        self.level_list = QListWidget()
        self.level_list.setObjectName("levelList")
        layout.addWidget(self.level_list, 1)
        row, buttons = self._list_buttons("層級", self.add_level, self.remove_level, self.move_level)
        self.add_level_button, self.remove_level_button, self.level_up_button, self.level_down_button = buttons
        layout.addLayout(row)
        form = QFormLayout()
        self.level_name = QLineEdit()
        self.level_system = _combo(SYSTEMS)
        self.level_punctuation = _combo(PUNCTUATIONS)
        self.level_restart = _combo(RESTART_LABELS)
        self.level_display = _combo(DISPLAY_LABELS)
        self.level_heading = QLineEdit()
        self.level_width = QSpinBox()
        self.level_width.setRange(0, 100)
        self.level_align = _combo(ALIGN_LABELS)
        self.level_group = QLineEdit()
        self.level_group.setPlaceholderText("例如：計畫名稱（跨相鄰欄的標題）")
        form.addRow("名稱", self.level_name)
        numbering = QHBoxLayout()
        numbering.addWidget(self.level_system)
        numbering.addWidget(self.level_punctuation)
        form.addRow("編號", numbering)
        form.addRow("重新編號", self.level_restart)
        form.addRow("顯示為", self.level_display)
        form.addRow("欄標題", self.level_heading)
        form.addRow("寬度（%）", self.level_width)
        form.addRow("對齊", self.level_align)
        form.addRow("群組標題", self.level_group)
        help_label = QLabel(LEVEL_KINDS_HELP)
        help_label.setWordWrap(True)
        form.addRow(help_label)
        layout.addLayout(form)
        self.level_list.currentRowChanged.connect(self._show_level)
        for edit in (self.level_name, self.level_heading, self.level_group):
            edit.textEdited.connect(lambda _t: self._level_edited())
        for combo in (self.level_system, self.level_punctuation, self.level_restart, self.level_display,
                      self.level_align):
            combo.currentIndexChanged.connect(lambda _i: self._level_edited())
        self.level_width.valueChanged.connect(lambda _v: self._level_edited())
        return box

    def _columns_box(self) -> QGroupBox:
        box = QGroupBox("欄位（由左而右）")
        layout = QVBoxLayout(box)
        self.column_list = QListWidget()
        self.column_list.setObjectName("columnList")
        layout.addWidget(self.column_list, 1)
        row, buttons = self._list_buttons("欄位", self.add_column, self.remove_column, self.move_column)
        self.add_column_button, self.remove_column_button, self.column_up_button, self.column_down_button = buttons
        layout.addLayout(row)
        grid = QGridLayout()
        self.column_heading = QLineEdit()
        self.column_heading.setObjectName("columnHeading")
        self.column_key = QLineEdit()
        self.column_key.setToolTip("欄位的代號（小寫英文字母、數字、底線）；資料依代號保存，改標題不影響資料")
        self.column_type = QComboBox()
        for kind, label in COLUMN_TYPES.items():
            self.column_type.addItem(label, kind)
        self.column_width = QSpinBox()
        self.column_width.setRange(0, 100)
        self.column_align = _combo(ALIGN_LABELS)
        self.column_group = QLineEdit()
        self.column_group.setPlaceholderText("例如：預算執行情形")
        self.column_choices = QLineEdit()
        self.column_choices.setPlaceholderText("以頓號分隔，例如：市庫負擔、補助款")
        self.column_multiple = QCheckBox("可複選")
        self.column_allow_text = QCheckBox("可填文字（如「由其他項目下勻支」）")
        self.column_numerator = QComboBox()
        self.column_denominator = QComboBox()
        self.column_text_levels = QSpinBox()
        self.column_text_levels.setRange(1, MAX_TEXT_LEVELS)
        self.column_decimals = QSpinBox()
        self.column_decimals.setRange(0, 4)
        self._extra_rows: dict[str, list[QWidget]] = {}

        def add(row: int, label: str, widget: QWidget, extra: str | None = None) -> None:
            caption = QLabel(label)
            grid.addWidget(caption, row, 0)
            grid.addWidget(widget, row, 1)
            if extra:
                self._extra_rows.setdefault(extra, []).extend([caption, widget])

        add(0, "標題", self.column_heading)
        add(1, "代號", self.column_key)
        add(2, "類型", self.column_type)
        add(3, "寬度（%）", self.column_width)
        add(4, "對齊", self.column_align)
        add(5, "群組標題", self.column_group)
        add(6, "選項", self.column_choices, "choice")
        grid.addWidget(self.column_multiple, 7, 1)
        self._extra_rows["choice"].append(self.column_multiple)
        grid.addWidget(self.column_allow_text, 8, 1)
        self._extra_rows["number"] = [self.column_allow_text]
        add(9, "分子", self.column_numerator, "computed")
        add(10, "分母", self.column_denominator, "computed")
        add(11, "編號層數", self.column_text_levels, "numbered_text")
        add(12, "小數位數", self.column_decimals, "decimals")
        layout.addLayout(grid)
        self.column_list.currentRowChanged.connect(self._show_column)
        self.column_heading.textEdited.connect(lambda _t: self._column_edited(heading=True))
        for edit in (self.column_key, self.column_group, self.column_choices):
            edit.textEdited.connect(lambda _t: self._column_edited())
        for widget in (self.column_type, self.column_align, self.column_numerator, self.column_denominator):
            widget.currentIndexChanged.connect(lambda _i: self._column_edited())
        for spin in (self.column_width, self.column_text_levels, self.column_decimals):
            spin.valueChanged.connect(lambda _v: self._column_edited())
        for check in (self.column_multiple, self.column_allow_text):
            check.toggled.connect(lambda _c: self._column_edited())
        return box

    # --- the template being edited ----------------------------------------------------

    def load(self, template: Template) -> None:
        """Show ``template`` (the report's, a built-in's copy, a file's)."""
        self.base = template
        self.levels = list(template.levels)
        self.columns = list(template.columns)
        self.added = set()
        self._loading = True
        self.name_edit.setText(template.name)
        _select(self.layout_box, template.layout)
        _select(self.orientation_box, template.orientation)
        self._loading = False
        self._fill_lists(level_row=0, column_row=0)

    def template(self) -> Template:
        """The template as edited (not yet checked: :func:`app.templates_change.rule_problem`)."""
        return replace(self.base, name=self.name_edit.text().strip() or self.base.name,
                       layout=self.layout_box.currentData(), orientation=self.orientation_box.currentData(),
                       levels=tuple(self.levels), columns=tuple(self.columns))

    def _fill_lists(self, level_row: int | None = None, column_row: int | None = None) -> None:
        self._loading = True
        level_row = self.level_list.currentRow() if level_row is None else level_row
        column_row = self.column_list.currentRow() if column_row is None else column_row
        self.level_list.clear()
        for level in self.levels:
            self.level_list.addItem(self._level_text(level))
        self.column_list.clear()
        for column in self.columns:
            self.column_list.addItem(self._column_text(column))
        self._loading = False
        self.level_list.setCurrentRow(max(0, min(level_row, len(self.levels) - 1)))
        self.column_list.setCurrentRow(max(0, min(column_row, len(self.columns) - 1)))
        self._show_level(self.level_list.currentRow())
        self._show_column(self.column_list.currentRow())
        self.refresh_preview()

    @staticmethod
    def _level_text(level: Level) -> str:
        number = level.numbering.format(1) or "（不編號）"
        where = "欄" if level.display == "column" else "標題列"
        return f"{number} {level.name}（{where}）"

    @staticmethod
    def _column_text(column: Column) -> str:
        return f"{column.heading}（{COLUMN_TYPES[column.type].split('（')[0]}）"

    # --- levels ------------------------------------------------------------------------

    def _show_level(self, row: int) -> None:
        if self._loading or not 0 <= row < len(self.levels):
            return
        level = self.levels[row]
        self._loading = True
        self.level_name.setText(level.name)
        _select(self.level_system, level.numbering.system)
        _select(self.level_punctuation, level.numbering.punctuation)
        _select(self.level_restart, level.restart)
        _select(self.level_display, level.display)
        self.level_heading.setText(level.heading)
        self.level_width.setValue(level.width)
        _select(self.level_align, level.align)
        self.level_group.setText(level.group)
        column = level.display == "column"
        for widget in (self.level_heading, self.level_width, self.level_align, self.level_group):
            widget.setEnabled(column)
        self._loading = False
        self._enable_moves()

    def _level_edited(self) -> None:
        row = self.level_list.currentRow()
        if self._loading or not 0 <= row < len(self.levels):
            return
        display = self.level_display.currentData()
        self.levels[row] = replace(
            self.levels[row], name=self.level_name.text().strip() or self.levels[row].name,
            numbering=NumberFormat(self.level_system.currentData(), self.level_punctuation.currentData()),
            restart=self.level_restart.currentData(), display=display,
            heading=self.level_heading.text().strip() if display == "column" else "",
            width=self.level_width.value() if display == "column" else 0,
            align=self.level_align.currentData(), group=self.level_group.text().strip() if display == "column" else "")
        self.level_list.item(row).setText(self._level_text(self.levels[row]))
        self._show_level(row)  # heading / width enabled with the display
        self.refresh_preview()

    def add_level(self) -> None:
        if len(self.levels) >= 3:
            QMessageBox.information(self, TITLE, "範本最多三層")
            return
        taken = {lv.key for lv in self.levels} | {c.key for c in self.columns}
        name = ("部門", "項", "目")[len(self.levels)]
        key = key_from_heading("", "level", taken)
        below = self.levels[-1] if self.levels else None
        display = below.display if below is not None else "heading"
        self.levels.append(Level(key=key, name=name, numbering=NumberFormat("chinese", "（）"), display=display,
                                 heading=name if display == "column" else ""))
        self._fill_lists(level_row=len(self.levels) - 1)

    def remove_level(self) -> None:
        row = self.level_list.currentRow()
        if len(self.levels) <= 1 or not 0 <= row < len(self.levels):
            QMessageBox.information(self, TITLE, "範本至少要有一層")
            return
        del self.levels[row]
        self._fill_lists(level_row=row)

    def move_level(self, step: int) -> None:
        row = self.level_list.currentRow()
        target = row + step
        if not (0 <= row < len(self.levels) and 0 <= target < len(self.levels)):
            return
        self.levels[row], self.levels[target] = self.levels[target], self.levels[row]
        self._fill_lists(level_row=target)

    # --- columns -------------------------------------------------------------------------

    def _numeric_keys(self) -> list[Column]:
        return [c for c in self.columns if c.type in ("money", "integer", "percent")]

    def _show_column(self, row: int) -> None:
        if self._loading or not 0 <= row < len(self.columns):
            return
        column = self.columns[row]
        self._loading = True
        self.column_heading.setText(column.heading)
        self.column_key.setText(column.key)
        _select(self.column_type, column.type)
        self.column_width.setValue(column.width)
        _select(self.column_align, column.align)
        self.column_group.setText(column.group)
        self.column_choices.setText("、".join(column.choices))
        self.column_multiple.setChecked(column.multiple)
        self.column_allow_text.setChecked(column.allow_text)
        for box, key in ((self.column_numerator, column.numerator), (self.column_denominator, column.denominator)):
            box.clear()
            for other in self._numeric_keys():
                box.addItem(other.heading, other.key)
            _select(box, key)
        self.column_text_levels.setValue(max(1, len(column.levels)) if column.type == "numbered_text" else 1)
        self.column_decimals.setValue(column.decimals)
        shown = {"choice": column.type == "choice", "number": column.type in ("money", "integer", "percent"),
                 "computed": column.type == "computed", "numbered_text": column.type == "numbered_text",
                 "decimals": column.type in ("percent", "computed")}
        for extra, widgets in self._extra_rows.items():
            for widget in widgets:
                widget.setVisible(shown[extra])
        self._loading = False
        self._enable_moves()

    def _column_edited(self, heading: bool = False) -> None:
        row = self.column_list.currentRow()
        if self._loading or not 0 <= row < len(self.columns):
            return
        column = self.columns[row]
        kind = self.column_type.currentData()
        key = self.column_key.text().strip()
        taken = {lv.key for lv in self.levels} | {c.key for i, c in enumerate(self.columns) if i != row}
        if kind == "numbered_text":
            key = "text"
        elif id(column) in self.added and (heading or kind != column.type):
            key = key_from_heading(self.column_heading.text(), kind, taken)
        choices = tuple(dict.fromkeys(p for p in re.split(r"[、，,；;\s]+", self.column_choices.text()) if p))
        if kind == "choice" and not choices and column.type != "choice":
            choices = ("是", "否")  # a new choice column: something to start from
        levels = column.levels
        if kind == "numbered_text":
            wanted = self.column_text_levels.value() if column.type == "numbered_text" else 2
            levels = tuple(levels[:wanted]) + tuple(f for f in TEXT_LEVELS if f not in levels)[: max(0, wanted - len(levels))]
        elif kind == "serial":
            levels = levels[:1] or (NumberFormat("arabic", ""),)
        else:
            levels = ()
        numeric = [c.key for c in self._numeric_keys()]
        if column.type == "computed":
            numerator, denominator = self.column_numerator.currentData(), self.column_denominator.currentData()
        else:  # a new ratio: the second numeric column over the first (執行金額 ÷ 預算金額)
            numerator = numeric[1] if len(numeric) > 1 else (numeric[0] if numeric else "")
            denominator = numeric[0] if numeric else ""
        limits: dict[str, Any] = {}
        if kind != column.type:
            limits = {"minimum": 0 if kind == "percent" else None, "maximum": 100 if kind == "percent" else None}
        new = replace(
            column, heading=self.column_heading.text().strip() or column.heading, key=key or column.key, type=kind,
            width=self.column_width.value(), align=self.column_align.currentData(),
            group=self.column_group.text().strip(), choices=choices if kind == "choice" else (),
            multiple=self.column_multiple.isChecked() if kind == "choice" else False,
            allow_text=self.column_allow_text.isChecked() if kind in ("money", "integer", "percent") else False,
            numerator=numerator if kind == "computed" else "", denominator=denominator if kind == "computed" else "",
            levels=levels, decimals=self.column_decimals.value() if kind in ("percent", "computed") else 0, **limits)
        if id(column) in self.added:
            self.added.discard(id(column))
            self.added.add(id(new))
        self.columns[row] = new
        self.column_list.item(row).setText(self._column_text(new))
        if kind != column.type or new.key != column.key:
            self._show_column(row)  # the type's own fields, the key made from the heading
        self.refresh_preview()

    def add_column(self) -> None:
        taken = {lv.key for lv in self.levels} | {c.key for c in self.columns}
        row = self.column_list.currentRow() + 1 if self.columns else 0
        heading = "新欄位"
        column = Column(key=key_from_heading(heading, "text", taken), heading=heading, type="text", width=10)
        self.columns.insert(row, column)
        self.added.add(id(column))
        self._fill_lists(column_row=row)
        self.column_heading.setFocus()
        self.column_heading.selectAll()

    def remove_column(self) -> None:
        row = self.column_list.currentRow()
        if len(self.columns) <= 1 or not 0 <= row < len(self.columns):
            QMessageBox.information(self, TITLE, "範本至少要有一個欄位")
            return
        self.added.discard(id(self.columns[row]))
        del self.columns[row]
        self._fill_lists(column_row=row)

    def move_column(self, step: int) -> None:
        row = self.column_list.currentRow()
        target = row + step
        if not (0 <= row < len(self.columns) and 0 <= target < len(self.columns)):
            return
        self.columns[row], self.columns[target] = self.columns[target], self.columns[row]
        self._fill_lists(column_row=target)

    def _enable_moves(self) -> None:
        level, column = self.level_list.currentRow(), self.column_list.currentRow()
        self.level_up_button.setEnabled(level > 0)
        self.level_down_button.setEnabled(0 <= level < len(self.levels) - 1)
        self.column_up_button.setEnabled(column > 0)
        self.column_down_button.setEnabled(0 <= column < len(self.columns) - 1)

    # --- the preview ------------------------------------------------------------------

    def refresh_preview(self) -> None:
        if self._loading:
            return
        template = self.template()
        headers, cells, headings = preview_cells(template)
        self.preview.setColumnCount(len(headers))
        self.preview.setHorizontalHeaderLabels(headers)
        for index, (text, part) in enumerate(zip(cells, template.table_columns)):
            item = QTableWidgetItem(text)
            align = {"left": Qt.AlignmentFlag.AlignLeft, "center": Qt.AlignmentFlag.AlignHCenter,
                     "right": Qt.AlignmentFlag.AlignRight}[part.align]
            item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
            self.preview.setItem(0, index, item)
        self._fit_preview(template)
        self.heading_label.setText(f"標題列：{headings}" if headings else "")
        self.heading_label.setVisible(bool(headings))
        total = sum(part.width for part in template.table_columns)
        if template.layout == "table" and total != 100:
            self.width_label.setText(f"各欄寬度合計 {total}（應為 100）")
            self.width_label.setStyleSheet(f"color: {QColor('#b00020').name()}")
        else:
            self.width_label.setText(f"各欄寬度合計 {total}" if template.layout == "table" else "敘述式版面不用欄寬")
            self.width_label.setStyleSheet("")
        self._enable_moves()

    def _fit_preview(self, template: Template | None = None) -> None:
        """The sample row as tall as its wrapped text."""
        self.preview.resizeRowsToContents()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_preview()

    def preview_texts(self) -> tuple[list[str], list[str]]:
        """(headers, the sample row) as the preview table shows them now."""
        header = [self.preview.horizontalHeaderItem(i).text() for i in range(self.preview.columnCount())]
        return header, [self.preview.item(0, i).text() for i in range(self.preview.columnCount())]

    # --- files and built-ins -----------------------------------------------------------

    def copy_builtin(self) -> None:
        names = [t.name for t in builtin_templates()]
        name, ok = QInputDialog.getItem(self, "複製內附範本", "從哪一個內附範本開始：", names, 0, False)
        if not ok:
            return
        template = next(t for t in builtin_templates() if t.name == name)
        self.load(replace(template, name=f"{template.name}（複製）"))

    def open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "開啟範本檔", "", FILE_FILTER)
        if not path:
            return
        try:
            self.load(read_template(path))
        except ReportError as exc:
            QMessageBox.warning(self, "無法開啟範本檔", _user_line(exc))

    def save_file(self) -> None:
        template = self.template()
        problem = rule_problem(template)
        if problem:
            QMessageBox.warning(self, "無法另存範本檔", problem)
            return
        path, _ = QFileDialog.getSaveFileName(self, "另存範本檔", f"{template.name}{TEMPLATE_SUFFIX}", FILE_FILTER)
        if not path:
            return
        if not path.lower().endswith(TEMPLATE_SUFFIX):
            path += TEMPLATE_SUFFIX
        try:
            write_template(template, path)
        except ReportError as exc:
            QMessageBox.warning(self, "無法另存範本檔", _user_line(exc))
        except OSError as exc:
            QMessageBox.warning(self, "無法另存範本檔", f"{Path(path).name}：無法寫入（{exc.strerror}）")

    # --- applying -------------------------------------------------------------------------

    def apply(self) -> bool:
        """套用: one ChangeTemplate undo step (asked first when values go); False when refused or declined."""
        if self._apply is None:
            return False
        template = self.template()
        problem = rule_problem(template) or (fit_problem(self.report, template) if self.report is not None else None)
        if problem:
            QMessageBox.warning(self, "無法套用範本", problem)
            return False
        if self.report is not None:
            lost = values_lost(self.report, template)
            if lost:
                answer = QMessageBox.question(self, TITLE, lost_question(lost),
                                              QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                              QMessageBox.StandardButton.No)
                if answer != QMessageBox.StandardButton.Yes:
                    return False
        if not self._apply(template):
            return False
        self.base = template
        self.added = set()  # in the report now: their keys stay
        return True


def _user_line(error: ReportError) -> str:
    return f"{Path(error.path).name}：{error.message}" if error.path else error.message


def open_template_editor(window: Any) -> None:
    """工具 → 報告範本…: the dialog on the window's report; 套用 pushes one ChangeTemplate undo step."""
    document = window.document
    if document is None:
        return
    from app.templates_change import ChangeTemplate

    def apply(template: Template) -> bool:
        return bool(window.push(ChangeTemplate(template)))

    dialog = TemplateEditorDialog(document.report.template, document.report,
                                  None if document.read_only else apply, window)
    window.template_editor_dialog = dialog
    try:
        dialog.exec()
    finally:
        window.template_editor_dialog = None
        dialog.deleteLater()
