"""校對 in the window: the proofreader's findings in the 問題清單 and underlined in the table.

The engine is app/proofread.py.  :class:`ProofreadActions` keeps one
:class:`~app.proofread.Proofreader` for the open report, built when the file is
opened and told of every change record (``update(changes)``: only the entries the
change touched are checked again, never the whole report per edit).  After each
change it hands the findings to the table model (``findings``: the delegate
underlines their characters, the tooltip gives message and suggestion) and to the
問題清單 (category 校對; 已忽略的校對 lists the ignored ones).

The commands (ui/actions.py; the table's right-click menu shows them for the
finding under the mouse, with its words: 「改為「臺灣」」) — each one undoable
step through the undo stack, like every change:

* 校對 (F7): check the whole report again (the user's word list re-read) and show
  the 問題清單 filtered to 校對;
* 改為建議的寫法: the finding's text replaced by its suggestion (one SetField);
* 忽略: :class:`~app.proofread.IgnoreFinding` — kept in the report file, so it
  travels with work packages and the next year's report; undo brings it back
  (and goes to it: :meth:`ProofreadActions.replayed`, from ``MainWindow._replayed``);
* 加入報告詞庫: the finding's words into the report's word list (SetWords), for
  the rules where the words may be a name or a local term; 加入個人詞庫: into the
  user's own list (a text file, app/proofread.py ``user_words_path``; not in the
  report, so not undoable — the status bar names the file to edit);
* 取消忽略: on a row of 已忽略的校對 (UnignoreFinding).

Which finding a command means: the one right-clicked (if the cursor is still on
that cell), else the row selected in the 問題清單 when it has the focus, else the
first finding in the table's current cell.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.changes import Changes
from app.errors import ReportError
from app.proofread import (Finding, IgnoreFinding, Proofreader, SetWords, UnignoreFinding, save_user_words, user_words,
                           user_words_path)
from app.operations import SetField

if TYPE_CHECKING:
    from .main_window import MainWindow

#: Rules whose words may be a name or a local term (加入詞庫 is offered for them; a phrase
#: of the official list written otherwise is not a word to keep — 忽略 is for that).
WORD_RULES = frozenset({"doubled", "simplified", "tai"})
#: After opening a report, the first check waits this long (the window paints first).
BUILD_DELAY_MS = 150
#: The registry actions (ui/actions.py) the table's right-click menu shows for a finding.
FINDING_ACTIONS = ("proofread_fix", "proofread_ignore", "proofread_add_word", "proofread_add_user_word")


def fix_label(finding: Finding) -> str:
    """「改為「臺灣」」, or 「刪去「計」」 when the suggestion is to delete the characters."""
    return f"改為「{finding.suggestion}」" if finding.suggestion else f"刪去「{finding.text}」"


def ignored_by(record: dict) -> str:
    """「李課長 115/12/01 」: who ignored a finding and on which day, the year in the ROC calendar."""
    who = str(record.get("who") or "")
    at = str(record.get("at") or "")
    try:
        day = f"{int(at[:4]) - 1911}/{at[5:7]}/{at[8:10]}" if len(at) >= 10 else ""
    except ValueError:
        day = ""
    text = " ".join(part for part in (who, day) if part)
    return f"{text} " if text else ""


class ProofreadActions:
    def __init__(self, window: "MainWindow"):
        self.window = window
        self.reader: Proofreader | None = None
        self.preferred: Finding | None = None  # the finding right-clicked last

    # --- following the document --------------------------------------------------------

    def set_document(self, document) -> None:
        """A report opened: its findings follow a moment after the window shows it (the first
        check reads the rule tables and OpenCC's dictionaries, ≈ 0.4 s; the whole sample ≈ 0.1 s
        after that) — until then the table and the list show none, and edits are not lost:
        the check reads the report as it is then."""
        self.reader = None
        self.preferred = None
        self.show()
        if document is not None:
            QTimer.singleShot(BUILD_DELAY_MS, lambda: self._build(document))

    def _build(self, document) -> None:
        if self.window.document is document and self.reader is None:
            self.refresh()

    @property
    def ready(self) -> bool:
        """The open report has been checked (its findings are shown and kept current)."""
        return self.reader is not None

    def on_changes(self, changes: Changes) -> None:
        if self.reader is None:
            return  # not checked yet: the first check will read the report as it is then
        self.reader.update(changes)
        self.show()

    def refresh(self) -> None:
        """The whole report checked again (after a refused change, a reload, or 校對; word lists re-read)."""
        document = self.window.document
        if document is None:
            self.reader = None
        elif self.reader is None or self.reader.report is not document.report:
            self.reader = Proofreader(document.report)
        else:
            self.reader.refresh()
        self.show()

    def show(self) -> None:
        """The findings to the table (underlines) and the 問題清單."""
        window = self.window
        findings = self.reader.findings() if self.reader is not None else []
        ignored = []
        if self.reader is not None and window.document is not None and window.document.report.proofread_ignored:
            keys = window.document.report.proofread_ignored
            ignored = [f for f in self.reader.findings(include_ignored=True) if f.key in keys]
        by_cell: dict[tuple[str, str], list[Finding]] = {}
        for finding in findings:
            by_cell.setdefault((finding.node_id, finding.field), []).append(finding)
        window.table_model.findings = by_cell
        window.table.viewport().update()
        window.problems.set_findings(findings, ignored, {f.key: ignored_by(window.document.report.proofread_ignored[f.key])
                                                          for f in ignored})
        window.checks.update_title()
        window.checks.update_status()  # (the status bar counts 校對 too)

    # --- which finding ------------------------------------------------------------------

    def cell_findings(self, index: QModelIndex | None = None) -> list[Finding]:
        index = index if index is not None else self.window.table.currentIndex()
        return self.window.table_model.cell_findings(index) if index.isValid() else []

    def current(self) -> Finding | None:
        """The finding a command acts on (see the module docstring)."""
        window = self.window
        if QApplication.focusWidget() is window.problems.view:
            row = window.problems.current()
            return row if isinstance(row, Finding) else None
        here = self.cell_findings()
        if self.preferred is not None and self.preferred in here:
            return self.preferred
        return here[0] if here else None

    def prepare_menu(self, index: QModelIndex, finding: Finding | None) -> list[str]:
        """The table's right-click on ``index``: the finding actions to show, their texts set for it."""
        here = self.cell_findings(index)
        finding = finding if finding in here else (here[0] if here else None)
        self.preferred = finding
        if finding is None or self.window.document is None or self.window.document.read_only:
            return []  # (a read-only report: nothing to change; the tooltip still says what was found)
        window = self.window
        names = []
        if finding.suggestion is not None and finding.suggestion != finding.text and self._editable(finding):
            window.act_proofread_fix.setText(fix_label(finding))
            names.append("proofread_fix")
        window.act_proofread_ignore.setText(f"忽略「{finding.text}」")
        names.append("proofread_ignore")
        word = self.word_of(finding)
        if word:
            window.act_proofread_add_word.setText(f"把「{word}」加入報告詞庫")
            window.act_proofread_add_user_word.setText(f"把「{word}」加入個人詞庫")
            names += ["proofread_add_word", "proofread_add_user_word"]
        return names

    def word_of(self, finding: Finding) -> str | None:
        """The words 加入詞庫 keeps for ``finding``, or None where a word list makes no sense.

        A doubled character is kept as its pair (「里里」: one 「里」 in the list would hide
        every 里 of the report); a 台 term or a simplified character as found."""
        if finding.rule not in WORD_RULES or not finding.text.strip():
            return None
        document = self.window.document
        node = document.find(finding.node_id) if document is not None else None
        value = getattr(node, finding.field, "") if node is not None else ""
        text, start, end = finding.text, finding.start, finding.end
        if finding.rule == "doubled" and isinstance(value, str) and value[start:end] == text:
            if value[start - len(text):start] == text and start >= len(text):
                return value[start - len(text):end]
            if value[end:end + len(text)] == text:
                return value[start:end + len(text)]
        return text.strip()

    def reset_texts(self) -> None:
        """The menu bar's texts again, once a right-click menu closes."""
        from .actions import SPECS

        for name in FINDING_ACTIONS:
            getattr(self.window, f"act_{name}").setText(SPECS[name].text)

    # --- the commands ----------------------------------------------------------------------

    def run_check(self) -> None:
        """校對 (F7): the whole report again, the 問題清單 showing the findings."""
        window = self.window
        if window.document is None:
            window.statusBar().showMessage("請先開啟報告", 4000)
            return
        window.table.commit_editor()
        self.refresh()
        window.problems.show_category("proofread")
        window.show_problems()
        count = len(window.problems.findings)
        window.statusBar().showMessage(f"校對完成：找到 {count} 處需要確認" if count else "校對完成：沒有找到需要確認的地方",
                                       8000)

    def _target(self) -> Finding | None:
        """The finding a command acts on, once an open cell editor has stored what was typed;
        None (said in the status bar) when there is none or the report cannot be changed."""
        window = self.window
        if window.document is None:
            return None
        window.table.commit_editor()  # (what was typed first: the finding is then looked up afresh)
        if window.document.read_only:
            window.statusBar().showMessage("此報告以唯讀方式開啟，不能修改", 5000)
            return None
        finding = self.current()
        if finding is None:
            window.statusBar().showMessage("游標所在的儲存格沒有校對結果（按 F8 移到下一個問題）", 5000)
        return finding

    def _editable(self, finding: Finding) -> bool:
        document = self.window.document
        if document is None or document.read_only:
            return False
        node = document.find(finding.node_id)
        item = node if node is not None and node.kind == "item" else None
        if node is not None and node.kind == "entry":
            item = document.parent(node.id)
        return not (item is not None and item.status == "approved")

    def fix(self) -> None:
        """改為建議的寫法: one undoable SetField of the finding's field."""
        finding = self._target()
        if finding is None:
            return
        window = self.window
        if finding.suggestion is None or finding.suggestion == finding.text:
            window.statusBar().showMessage("這個校對結果沒有建議的寫法（可以直接修改，或按「忽略」）", 5000)
            return
        node = window.document.find(finding.node_id)
        value = getattr(node, finding.field, None) if node is not None else None
        if not isinstance(value, str) or value[finding.start:finding.end] != finding.text:
            window.statusBar().showMessage("這段文字已經改過了，請再校對一次（F7）", 5000)
            return
        if not self._editable(finding):
            window.statusBar().showMessage("這個目已核定，已鎖定，不能修改；需由主管重新開啟（Ctrl+Shift+4）", 5000)
            return
        fixed = value[:finding.start] + finding.suggestion + value[finding.end:]
        what = fix_label(finding)
        if window.push(SetField(node.id, finding.field, fixed, label=f"校對：{what}")):
            self.preferred = None
            window.statusBar().showMessage(f"已{what}（Ctrl+Z 復原）", 5000)

    def ignore(self) -> None:
        """忽略: remembered in the report file (undo brings the finding back)."""
        finding = self._target()
        if finding is None:
            return
        window = self.window
        if window.push(IgnoreFinding(finding.key, finding.rule, finding.text, label=f"忽略校對「{finding.text}」")):
            self.preferred = None
            window.statusBar().showMessage(f"已忽略「{finding.text}」（記在報告檔中；Ctrl+Z 復原）", 5000)

    def unignore(self) -> None:
        """取消忽略: a row of 已忽略的校對 in the 問題清單."""
        window = self.window
        row = window.problems.current()
        keys = window.document.report.proofread_ignored if window.document is not None else {}
        if not isinstance(row, Finding) or row.key not in keys:
            window.statusBar().showMessage("請先在問題清單的「已忽略的校對」中選擇一列", 5000)
            return
        if window.document.read_only:
            window.statusBar().showMessage("此報告以唯讀方式開啟，不能修改", 5000)
            return
        if window.push(UnignoreFinding(row.key, label=f"取消忽略校對「{row.text}」")):
            window.statusBar().showMessage(f"「{row.text}」不再忽略（Ctrl+Z 復原）", 5000)

    def _word(self) -> str | None:
        finding = self._target()
        if finding is None:
            return None
        word = self.word_of(finding)
        if not word:
            self.window.statusBar().showMessage("這類校對結果不是詞語，不能加入詞庫（可以按「忽略」）", 5000)
        return word

    def add_word(self) -> None:
        """加入報告詞庫: the finding's words are never flagged again in this report (it travels with it)."""
        word = self._word()
        if word is None:
            return
        window = self.window
        words = window.document.report.proofread_words
        if word in words:
            window.statusBar().showMessage(f"「{word}」已在報告詞庫中", 5000)
            return
        if window.push(SetWords([*words, word], label=f"把「{word}」加入校對詞庫")):
            self.preferred = None
            window.statusBar().showMessage(f"已把「{word}」加入報告詞庫（Ctrl+Z 復原）", 5000)

    def add_user_word(self) -> None:
        """加入個人詞庫: never flagged again in any report on this computer (app/proofread.py user_words)."""
        word = self._word()
        if word is None:
            return
        window = self.window
        words = user_words()
        if word not in words:
            try:
                path = save_user_words([*words, word])
            except ReportError as exc:
                window.show_error("個人詞庫沒有存入", exc)
                return
        else:
            path = user_words_path()
        self.preferred = None
        self.refresh()  # every report's findings depend on it: the whole report again
        window.statusBar().showMessage(f"已把「{word}」加入個人詞庫 {path.name}（要取消請編輯該檔）", 8000)

    # --- going to a finding ----------------------------------------------------------------

    def replayed(self, operation) -> bool:
        """Undo / redo of a 忽略 or 取消忽略 (they touch no node): go to the finding when it shows
        again. True when the operation was one of them (the window looks no further)."""
        if not isinstance(operation, (IgnoreFinding, UnignoreFinding)):
            return False
        shown = next((f for f in self.window.problems.findings if f.key == operation.key), None)
        if shown is not None:
            self.window.go_to(shown.node_id, shown.field)
        return True

    def go_to(self, finding: Finding) -> None:
        """The finding's cell, its editor open with the suspicious characters selected (when editable)."""
        window = self.window
        window.table.commit_editor()
        window.go_to(finding.node_id, finding.field)
        table = window.table
        table.setFocus()
        index = table.currentIndex()
        if not index.isValid() or finding not in window.table_model.cell_findings(index):
            return
        if not window.table_model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return  # a locked 目, a read-only report: the cell is shown, nothing opened
        delegate = table.itemDelegate()
        delegate.select_next(finding.start, finding.end)
        try:
            table.edit(index)
        finally:
            delegate.select_next(None)  # taken by the editor, or dropped when none opened
