"""Every command of the window in one registry: its text, its keys, what it does.

:data:`ACTIONS` is the one list the window's ``QAction`` objects are made from
(:func:`build_actions`, each becomes ``window.act_<name>``), the one the F1
list shows (:func:`shortcut_list`) and the one the README's keyboard table is
made from (``python tools/shortcut_table.py --write``; a test checks it is
current).  Menus (ui/menus.py) name actions from here.

A spec's ``run`` gets the window; the ``checked`` flag that ``triggered``
sends is dropped here, once, so no slot ever receives ``False`` for a path
(docs/pitfalls: QAction.triggered sends ``checked``).  Keys are portable
strings (``QKeySequence`` reads them); ``standard`` names a
``QKeySequence.StandardKey`` whose every platform binding is used instead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from .main_window import MainWindow


@dataclass(frozen=True)
class ActionSpec:
    name: str  # window.act_<name>
    text: str  # the menu text (with its &-accelerator)
    run: Callable[["MainWindow"], object]
    keys: tuple[str, ...] = ()
    what: str | None = None  # the F1 / README description when the menu text is not enough
    standard: str | None = None  # QKeySequence.StandardKey whose platform bindings replace ``keys``

    @property
    def description(self) -> str:
        """What the F1 list and the README say: ``what``, or the menu text without its (&N) marker."""
        return self.what or plain_text(self.text)


def plain_text(text: str) -> str:
    """A menu text as a sentence: 「開啟(&O)…」 → 「開啟…」."""
    return re.sub(r"\(&[^)]\)", "", text).replace("&&", "\0").replace("&", "").replace("\0", "&")


def _focus_tree_or_table(window: "MainWindow", in_tree: Callable[[], object], in_table: Callable[[], object]) -> None:
    (in_tree if window.tree.hasFocus() else in_table)()


def _report_details(window: "MainWindow") -> None:
    from .dialogs.report_details import open_report_details

    open_report_details(window)


def _rename(window: "MainWindow") -> None:
    """F2: the tree's node (its root: 報告資料…) or the table's cell."""
    if window.tree.hasFocus():
        node = window.tree_node()
        if node is None or node.kind == "report":
            _report_details(window)  # the root's text is the report's office and year
        else:
            window.tree.edit(window.tree.currentIndex())
    else:
        window.table.edit(window.table.currentIndex())


def _template_editor(window: "MainWindow") -> None:
    from .dialogs.template_editor import open_template_editor

    open_template_editor(window)


ACTIONS: tuple[ActionSpec, ...] = (
    # 檔案
    ActionSpec("new", "新增報告(&N)…", lambda w: w.files.new_report(), ("Ctrl+N",)),
    ActionSpec("open", "開啟(&O)…", lambda w: w.files.open_dialog(), ("Ctrl+O",)),
    ActionSpec("save_copy", "另存副本(&A)…", lambda w: w.files.save_copy_dialog(), ("Ctrl+Shift+S",)),
    ActionSpec("sample", "開啟範例報告", lambda w: w.files.open_sample_copy()),
    ActionSpec("report_details", "報告資料(&D)…", _report_details, what="修改機關名稱、報告年度與出版年月（一次復原）"),
    ActionSpec("import", "匯入(&I)…", lambda w: w.files.import_dialog(), ("Ctrl+I",),
               "由 Word／Excel／ODF／JSON 檔建立新報告（先預覽）"),
    ActionSpec("rollover", "建立下一年度報告…", lambda w: w.files.rollover_dialog(),
               what="以本報告的部門、項、目建立下一年度報告"),
    ActionSpec("restore", "從備份還原(&B)…", lambda w: w.files.restore_dialog()),
    ActionSpec("export", "匯出(&E)…", lambda w: w.files.export_dialog(), ("Ctrl+E",)),
    # issue 15: the preview segfaults (ui/printing.py builds it on a QPrinter nothing keeps alive).
    ActionSpec("preview", "預覽列印(&V)…", lambda w: w.files.print_preview(), ("Ctrl+Shift+P",)),
    ActionSpec("print", "列印(&P)…", lambda w: w.files.print_report(), ("Ctrl+P",)),
    ActionSpec("quit", "結束(&X)", lambda w: w.close(), ("Ctrl+Q",)),
    # 編輯 (undo and redo come from the undo stack, see build_actions)
    ActionSpec("undo", "復原", lambda w: w.undo_stack.undo(), ("Ctrl+Z",), standard="Undo"),
    ActionSpec("redo", "取消復原", lambda w: w.undo_stack.redo(), ("Ctrl+Y", "Ctrl+Shift+Z"), "取消復原（重做）"),
    ActionSpec("paste", "貼上為辦理情形(&V)", lambda w: w.clipboard.paste(), ("Ctrl+V",),
               "貼上（多行或多格成為多筆辦理情形；單一值貼在類／項／目的名稱上不會改名，要改名請按 F2）"),
    ActionSpec("copy", "複製(&C)", lambda w: w.clipboard.copy_cells(), ("Ctrl+C",)),
    # MOVES (issue 15): cut + paste moves; the panels' commands of their right-click menus
    ActionSpec("cut", "剪下(&T)", lambda w: w.moves.cut(), ("Ctrl+X",),
               "剪下所選的辦理情形、目或項（再按 Ctrl+V 即移到游標處）"),
    ActionSpec("go_to_selected", "前往所選位置", lambda w: w.context_menus.go_to_selected(),
               what="前往問題清單或搜尋結果中所選的位置"),
    ActionSpec("copy_previous", "複製到今年", lambda w: w.previous_year.copy_selected(),
               what="把去年對照中所選的辦理情形加到今年這個目的最後"),
    ActionSpec("find", "搜尋(&F)…", lambda w: w.search_dock.bring_up().focus(), ("Ctrl+F",)),
    ActionSpec("find_next", "下一筆搜尋結果", lambda w: w.search.next_hit(1), ("F3",)),
    ActionSpec("find_prev", "上一筆搜尋結果", lambda w: w.search.next_hit(-1), ("Shift+F3",)),
    # panels (issue 15): find & replace, the problems list
    ActionSpec("find_replace", "尋找及取代(&H)…", lambda w: w.find_replace.bring_up(), ("Ctrl+H",),
               "在整份報告或目前部門尋找及取代（一次復原）"),
    ActionSpec("show_problems", "移到問題清單", lambda w: w.show_problems(), ("Ctrl+3",), "顯示問題清單並移到其中"),
    ActionSpec("next_problem", "下一個問題", lambda w: w.go_to_problem(1), ("F8",), "移到下一個問題的儲存格"),
    ActionSpec("prev_problem", "上一個問題", lambda w: w.go_to_problem(-1), ("Shift+F8",), "移到上一個問題的儲存格"),
    ActionSpec("insert_after", "在下方新增辦理情形", lambda w: w.entries.insert_entry(after=True), ("Ctrl+Return",)),
    ActionSpec("insert_before", "在上方新增辦理情形", lambda w: w.entries.insert_entry(after=False), ("Ctrl+Shift+Return",)),
    ActionSpec("delete_row", "刪除辦理情形", lambda w: w.entries.delete_entry(), ("Ctrl+Delete",)),
    ActionSpec("delete", "刪除／清除",
               lambda w: _focus_tree_or_table(w, w.structure.delete_node, w.entries.clear_cell), ("Delete",),
               "清除所選儲存格（表格）或刪除所選的部門／項／目（樹狀）"),
    ActionSpec("move_up", "上移", lambda w: w.structure.move(-1), ("Alt+Up",)),
    ActionSpec("move_down", "下移", lambda w: w.structure.move(1), ("Alt+Down",)),
    ActionSpec("indent", "降一層（改為子項）", lambda w: w.entries.change_level(1), ("Alt+Right",)),
    ActionSpec("outdent", "升一層", lambda w: w.entries.change_level(-1), ("Alt+Left",)),
    ActionSpec("fill_down", "向下填滿完成程度", lambda w: w.entries.fill_down(), ("Ctrl+D",)),
    # 結構
    ActionSpec("add_department", "新增部門", lambda w: w.structure.add("department"), ("Ctrl+Alt+D",)),
    ActionSpec("add_section", "新增項", lambda w: w.structure.add("section"), ("Ctrl+Alt+S",)),
    ActionSpec("add_item", "新增目", lambda w: w.structure.add("item"), ("Ctrl+Alt+I",)),
    ActionSpec("rename", "重新命名", _rename,
               ("F2",), "編輯所選儲存格（在類、項、目儲存格上為重新命名）或樹狀節點的名稱（在報告上為報告資料）"),
    ActionSpec("focus_tree", "移到部門樹", lambda w: w.tree.setFocus(), ("Ctrl+1",)),
    ActionSpec("focus_table", "移到表格", lambda w: w.table.setFocus(), ("Ctrl+2",)),
    # 檢視
    ActionSpec("zoom_in", "放大", lambda w: w.zoom(1), ("Ctrl+=", "Ctrl++")),
    ActionSpec("zoom_out", "縮小", lambda w: w.zoom(-1), ("Ctrl+-",)),
    ActionSpec("zoom_reset", "原始大小", lambda w: w.zoom(0), ("Ctrl+0",)),
    # 審核
    ActionSpec("submit", "送審", lambda w: w.reviewing.review("submit"), ("Ctrl+Shift+1",), "送審所選的目"),
    ActionSpec("return", "退回", lambda w: w.reviewing.review("return"), ("Ctrl+Shift+2",), "退回所選的目（主管）"),
    ActionSpec("approve", "核定", lambda w: w.reviewing.review("approve"), ("Ctrl+Shift+3",), "核定所選的目（主管）"),
    ActionSpec("reopen", "重新開啟", lambda w: w.reviewing.review("reopen"), ("Ctrl+Shift+4",),
               "重新開啟已核定的目（主管）"),
    ActionSpec("comment", "新增意見…", lambda w: w.reviewing.add_comment(), ("Ctrl+Shift+M",),
               "對所選的目或辦理情形新增意見"),
    ActionSpec("identity", "設定身分…", lambda w: w.reviewing.change_identity()),
    ActionSpec("issue_package", "分送工作包…", lambda w: w.reviewing.issue_package_dialog(),
               what="把一個或多個部門各分送為一個工作包檔"),
    ActionSpec("merge_package", "彙整工作包…", lambda w: w.reviewing.merge_package_dialog(),
               what="把工作包彙整回報告"),
    # 工具: 校對 (ui/proofreading.py; the table's right-click menu shows the finding's own words)
    ActionSpec("proofread", "校對(&P)", lambda w: w.proofreading.run_check(), ("F7",),
               "校對整份報告（重複字、固定用語、台／臺…），在問題清單列出"),
    ActionSpec("proofread_fix", "改為建議的寫法", lambda w: w.proofreading.fix(),
               what="把所選的校對結果改為建議的寫法（可復原）"),
    ActionSpec("proofread_ignore", "忽略這個校對結果", lambda w: w.proofreading.ignore(),
               what="忽略所選的校對結果（記在報告檔中，可復原）"),
    ActionSpec("proofread_add_word", "加入報告詞庫", lambda w: w.proofreading.add_word(),
               what="把所選校對結果的字詞加入本報告的詞庫，不再提示"),
    ActionSpec("proofread_add_user_word", "加入個人詞庫", lambda w: w.proofreading.add_user_word(),
               what="把所選校對結果的字詞加入個人詞庫（這台電腦上的所有報告都不再提示）"),
    ActionSpec("proofread_unignore", "取消忽略", lambda w: w.proofreading.unignore(),
               what="在問題清單的「已忽略的校對」中取消所選的忽略"),
    # 工具: the report's template (ui/dialogs/template_editor.py, issue 19)
    ActionSpec("template_editor", "報告範本(&M)…", lambda w: _template_editor(w),
               what="檢視及修改本報告的範本（層級、欄位、編號，附一列預覽），開啟或另存範本檔；套用為一個復原步驟"),
    # 說明
    ActionSpec("shortcuts", "快速鍵(&K)…", lambda w: w.show_shortcuts(), ("F1",)),
    ActionSpec("about", "關於(&A)…", lambda w: w.show_about()),
)

SPECS = {spec.name: spec for spec in ACTIONS}

#: Keys that work inside the table without an action of their own (the cell editors').
# (the table's keys, as a spreadsheet user expects them: ui/table/view.py DepartmentTable)
CELL_KEYS: tuple[tuple[str, str], ...] = (
    ("直接打字", "以打入的內容取代所選儲存格（類、項、目的名稱不會被打字覆蓋）"),
    ("Enter", "編輯所選儲存格（保留原內容）；編輯中按 Enter 存入並移到下一列"),
    ("Alt+Enter / Shift+Enter", "在儲存格內換行"),
    ("Esc", "取消編輯（剛以 Ctrl+Enter 新增的空白辦理情形一併取消）"),
    ("Tab / Shift+Tab", "存入並移到下一個／上一個辦理情形欄位（辦理情形 → 完成程度 → 備註 → 下一筆）"),
    ("方向鍵", "在儲存格間移動"),
    ("Shift+方向鍵 / Shift+按一下", "選取多列（刪除、上移下移、升降層、向下填滿都作用於所選各列，各為一個復原步驟）"),
    ("Ctrl+A", "選取整個部門表格"),
)


#: How a key is named in the F1 list and the README (one style: Ctrl+Enter, Alt+↑, Del —
#: the names on the keys and in the cell editors' lines below); Qt's names stay in ``keys``.
KEY_NAMES = {"Return": "Enter", "Up": "↑", "Down": "↓", "Left": "←", "Right": "→", "Delete": "Del",
             "Escape": "Esc"}


def key_name(keys: str) -> str:
    """「Ctrl+Return」 → 「Ctrl+Enter」, 「Alt+Up」 → 「Alt+↑」; a bare 「+」 key stays."""
    parts = re.split(r"\+(?=.)", keys)
    return "+".join(KEY_NAMES.get(part, part) for part in parts)


def keys_text(spec: ActionSpec) -> str:
    return " / ".join(key_name(k) for k in spec.keys)


def shortcut_list() -> list[tuple[str, str]]:
    """(keys, what) of every action that has keys, in menu order, then the cell editors' keys."""
    return [(keys_text(spec), spec.description) for spec in ACTIONS if spec.keys] + list(CELL_KEYS)


def build_actions(window: "MainWindow") -> dict[str, "QAction"]:
    """One ``QAction`` per spec, shortcut within the window, set as ``window.act_<name>``."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction, QKeySequence

    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        if spec.name == "undo":
            action = window.undo_stack.createUndoAction(window, spec.text)
        elif spec.name == "redo":
            action = window.undo_stack.createRedoAction(window, spec.text)
        else:
            action = QAction(spec.text, window)
            action.triggered.connect(lambda checked=False, run=spec.run: run(window))
        if spec.standard:
            action.setShortcuts(QKeySequence.keyBindings(getattr(QKeySequence.StandardKey, spec.standard)))
        elif spec.keys:
            action.setShortcuts([QKeySequence(k) for k in spec.keys])
        if spec.keys and spec.name not in ("undo", "redo"):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        window.addAction(action)
        setattr(window, f"act_{spec.name}", action)
        actions[spec.name] = action
    return actions


def readme_table() -> str:
    """The README's keyboard table (tools/shortcut_table.py writes it between its markers)."""
    lines = ["| 按鍵 | 動作 |", "|---|---|"]
    lines += [f"| {keys} | {what} |" for keys, what in shortcut_list()]
    return "\n".join(lines)
