"""審核 menu: 送審 / 退回 / 核定 / 重新開啟, comments, who is working, work packages.

Every action is an engine operation pushed through the window (the review
rules are app/review.py's, merging is app/packages.py's); the tree, the table
and the 歷程與意見 panel follow from the change record, not from here.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

# Dialog classes through the module: PySide6 builds a class when first touched, and
# these are not needed to show the window (start-up, docs/performance.md).
from PySide6 import QtWidgets

from app.errors import ReportError
from app.model import REVIEW_LABEL, ROLE_LABEL

from .files import FILE_FILTER

if TYPE_CHECKING:
    from .main_window import MainWindow


class ReviewActions:
    def __init__(self, window: "MainWindow"):
        self.window = window

    def selected_item(self):
        """The 目 in focus: the table's current row, else the tree's selection."""
        window = self.window
        if not window.tree.hasFocus():
            row = window.table.current_row()
            if row is not None and row.item is not None:
                return row.item
        node = window.tree_node()
        if node is not None and node.kind == "entry":
            node = window.document.parent(node.id)
        template = window.document.report.template if window.document is not None else None
        if node is not None and template is not None and not template.is_default and node.kind == template.level_kinds[-1]:
            from app.rows import items_of

            node = next(iter(items_of(node)), None)  # a 業務 / 策略績效目標: the review is on its implicit 目
        return node if node is not None and node.kind == "item" else None

    def title_of(self, item) -> str:
        """What a 目 is called in a message: its title, or (an implicit 目) its 業務's name."""
        if item.title or self.window.document is None:
            return item.title
        node = item
        while node is not None and node.kind != "report" and not (getattr(node, "title", "") or getattr(node, "name", "")):
            node = self.window.document.parent(node.id)
        return (node.name if node.kind == "department" else node.title) if node is not None and node.kind != "report" else ""

    def review(self, action: str) -> None:
        from app.review import ACTIONS, ReviewAction, allowed_actions

        window = self.window
        window.table.commit_editor()
        item = self.selected_item()
        if item is None:
            window.statusBar().showMessage("請先選擇一個目", 4000)
            return
        if action not in allowed_actions(item, window.person.role):
            verb = ACTIONS[action][3]
            who = ROLE_LABEL.get(window.person.role, window.person.role)
            window.show_error("無法執行", ReportError(f"「{self.title_of(item)}」目前是{REVIEW_LABEL[item.status]}，{who}不能{verb}"))
            return
        comment = ""
        if action in ("return", "approve", "reopen", "submit"):
            from .dialogs.comment import ask_comment

            verb = ACTIONS[action][3]  # Enter: a new line; Ctrl+Enter confirms
            comment, ok = ask_comment(window, verb, f"{verb}「{self.title_of(item)}」的意見（可留空）：", ok_text=verb)
            if not ok:
                return
        window.push(ReviewAction(item.id, action, comment))

    def add_comment(self) -> None:
        from app.review import AddComment

        window = self.window
        row = window.table.current_row()
        # issue 15: on a 目 cell of an entry row the comment goes to that row's entry, not to the 目.
        node = row.entry if row is not None and row.entry is not None and not window.tree.hasFocus() else self.selected_item()
        if node is None:
            return
        from .dialogs.comment import ask_comment

        text, ok = ask_comment(window, "新增意見", "意見：")
        if ok and text.strip():
            window.push(AddComment(node.id, text))

    def change_identity(self) -> None:
        from .dialogs.identity import IdentityDialog, store_person

        window = self.window
        dialog = IdentityDialog(window.person, window)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            window.person = dialog.person()
            store_person(window.settings, window.person)
            if window.document is not None:
                window.document.person = window.person
            window.statusBar().showMessage(f"目前身分：{window.person.name}（{ROLE_LABEL[window.person.role]}）", 5000)

    # --- work packages -------------------------------------------------------------------

    def issue_package_dialog(self) -> None:
        """Several departments at once: one package file each, into one folder (ui/dialogs/packages.py)."""
        from app.packages import issue_package

        from .dialogs.packages import IssuePackagesDialog, package_name

        window = self.window
        document = window.document
        if document is None:
            return
        names = [d.name for d in document.report.departments]
        current = window.current_department_name()
        dialog = IssuePackagesDialog(names, {current} if current else set(), str(document.path.parent), window)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        folder = dialog.folder()
        if not folder.is_dir():
            window.show_error("無法建立工作包", ReportError("資料夾不存在", folder))
            return
        written: list[str] = []
        failed: list[str] = []
        for name in dialog.selected():
            path = folder / package_name(document.report.roc_year, name)
            if path.exists() and not window.files.confirm_overwrite(str(path)):
                continue
            try:
                issue_package(document, name, path, overwrite=path.exists())  # all or nothing per file
            except ReportError as exc:
                failed.append(str(exc))
                continue
            written.append(path.name)
        if failed:
            done = f"已建立 {len(written)} 個工作包；" if written else ""
            window.show_error("無法建立工作包", ReportError(done + "未建立：" + "；".join(failed)))
        if written:
            window.statusBar().showMessage(f"已在 {folder} 建立 {len(written)} 個工作包：{'、'.join(written)}", 8000)

    def merge_package_dialog(self, path: str | None = None) -> bool:
        """審核 → 彙整工作包: ask for the package (unless ``path``), resolve conflicts, one undo step."""
        window = self.window
        document = window.document
        if document is None:
            return False
        if path is None:
            path, _ = QtWidgets.QFileDialog.getOpenFileName(window, "選擇要彙整的工作包", window.files.last_folder(), FILE_FILTER)
            if not path:
                return False
        from app.packages import merge_operation, plan_merge

        from .dialogs.conflict import ConflictDialog

        try:
            plan = plan_merge(document, path)
            if plan.conflicts:
                dialog = ConflictDialog(plan.conflicts, Path(path).name, window)
                if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
                    return False
                plan = plan_merge(document, path, resolutions=dialog.resolutions())
            if plan.is_noop:
                QtWidgets.QMessageBox.information(window, "彙整工作包", "工作包沒有新的變更，報告維持不變。")
                return True
            document.repo.backup("merge")
            ok = window.push(merge_operation(plan))
        except ReportError as exc:
            window.show_error("無法彙整工作包", exc)
            return False
        if ok:
            window.statusBar().showMessage(f"已彙整 {Path(path).name}：{len(plan.changes)} 項變更（可復原）", 8000)
        return ok
