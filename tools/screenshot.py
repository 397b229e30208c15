"""The pictures of the window in README.md and docs/, taken on the bundled sample.

    python tools/screenshot.py [SHOT ...] [--out docs/images]

SHOT is one or more of (all when none is named):

* ``main``          main-window.png: 兵役部門's table, a 目 selected in the tree, a slim problems panel
                    (the size it has on a first start);
* ``review``        review-dashboard.png: 核定 and 送審 目 and the 進度 panel;
* ``history``       review-panel.png: the 歷程與意見 panel of an approved 目 (its comments and history);
* ``find-replace``  find-replace.png: the 尋找及取代 dialog over the window, hits counted;
* ``context-menu``  context-menu.png: the table's right-click menu on an entry;
* ``template-editor`` template-editor.png: 工具 → 報告範本… (the dialog alone), started from a copy of
                    the built-in 重要施政項目（預算執行） (複製內附範本…), its 預算金額 column selected;
* ``drag-move``     drag-move.png: the tree right after a 目 was dragged onto another 項 (offscreen
                    there is no drag loop to photograph: the drop is sent as the view gets it);
* ``templates``     template-budget-window.png, template-kpi-window.png, template-narrative-window.png:
                    a filled report of each built-in template other than the default (the builders of
                    tests/template_reports.py), its first 業務 shown (issue 19).

Each shot opens its own window on a fresh copy of the sample (its own data folder, so a first
start), as the person it names.  Runs offscreen (no display needed; under a desktop or Xvfb
it runs there instead, when ``QT_QPA_PLATFORM`` says so); Chinese renders with any installed CJK
font (Debian: fonts-noto-cjk).  Popups and dialogs are windows of their own: they are painted
onto the window's picture where they stand.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WIDTH, HEIGHT = 1400, 860
PROBLEMS_HEIGHT = 150  # the problems panel on a first start (MainWindow.showEvent)


class Shot:
    """One window on a fresh copy of the sample, as ``person`` (name, role), shown and settled."""

    def __init__(self, person: tuple[str, str], path: Path | None = None):
        from app.document import Person
        from ui.application import make_application
        from ui.dialogs.identity import store_person
        from ui.main_window import MainWindow
        from ui.settings import settings

        os.environ["WORKREPORT_DATA_DIR"] = tempfile.mkdtemp(prefix="workreport-shot-")
        self.app = make_application()
        store_person(settings(), Person(*person))
        self.window = MainWindow(path)
        self.window.resize(WIDTH, HEIGHT)
        self.window.show()
        self.settle()
        self.report = self.window.document.report

    def settle(self, rounds: int = 5) -> None:
        for _ in range(rounds):
            self.app.processEvents()

    def picture(self, *over):
        """The window's picture, with each popup / dialog widget in ``over`` painted where it stands
        (``(widget, top-left in window coordinates)`` pairs, or widgets placed by the screen)."""
        from PySide6.QtGui import QPainter

        picture = self.window.grab()
        painter = QPainter(picture)
        for part in over:
            widget, at = part if isinstance(part, tuple) else (part, part.geometry().topLeft()
                                                                 - self.window.geometry().topLeft())
            painter.drawPixmap(at, widget.grab())
        painter.end()
        return picture

    def close(self) -> None:
        self.window.close()
        self.settle()


def shot_main(folder: Path) -> list[Path]:
    from PySide6.QtCore import Qt

    shot = Shot(("李課長", "chief"))
    window, report = shot.window, shot.report
    window.resizeDocks([window.problems_dock], [PROBLEMS_HEIGHT], Qt.Orientation.Vertical)
    department = report.departments[2]  # 參、兵役部門 › 二、徵集業務 › (二) 徵兵檢查作業
    item = department.sections[1].items[1]
    for node in (department, department.sections[0]):
        window.tree.collapse(window.tree_model.index_of(node.id))
    window.tree.expand(window.tree_model.index_of(department.sections[1].id))
    window.tree.setCurrentIndex(window.tree_model.index_of(item.id))
    shot.settle()
    window.table.setFocus()
    shot.settle()
    return [_save(shot.picture(), folder / "main-window.png", shot)]


def _review_in_progress(shot: Shot) -> None:
    """Every third 目 of 民政部門 approved (with a comment), the next submitted; five of 社建 and 兵役 submitted."""
    from app.review import ReviewAction

    window, report = shot.window, shot.report
    for n, item in enumerate(i for s in report.departments[0].sections for i in s.items):
        if n % 3 == 0:
            window.push(ReviewAction(item.id, "approve", "內容正確"))
        elif n % 3 == 1:
            window.push(ReviewAction(item.id, "submit"))
    for department in report.departments[1:3]:
        for item in [i for s in department.sections for i in s.items][:5]:
            window.push(ReviewAction(item.id, "submit"))
    window.validate_now()


def shot_review(folder: Path) -> list[Path]:
    from PySide6.QtCore import Qt

    shot = Shot(("李課長", "chief"))
    window = shot.window
    _review_in_progress(shot)
    window.dashboard_dock.raise_()
    window.resizeDocks([window.dashboard_dock], [280], Qt.Orientation.Vertical)
    window.go_to(shot.report.departments[0].sections[0].items[0].id)
    shot.settle()
    return [_save(shot.picture(), folder / "review-dashboard.png", shot)]


def shot_history(folder: Path) -> list[Path]:
    from PySide6.QtCore import Qt

    from app.operations import SetField
    from app.review import AddComment, ReviewAction

    shot = Shot(("李課長", "chief"))
    window = shot.window
    item = shot.report.departments[0].sections[0].items[0]  # (一) 選舉業務
    window.push(SetField(item.entries[1].id, "remark", "已函報市府"))
    window.push(ReviewAction(item.id, "submit", "請課長核閱"))
    window.push(AddComment(item.entries[0].id, "補選日期請再確認。"))
    window.push(ReviewAction(item.id, "return", "第 1 筆日期有誤，請更正"))
    window.push(SetField(item.entries[0].id, "text", "1月4日辦理嘉義市第十屆東區朝陽里里長補選，投票率 42%。"))
    window.push(ReviewAction(item.id, "submit"))
    window.push(ReviewAction(item.id, "approve", "內容正確"))
    window.validate_now()
    window.review_dock.raise_()
    window.resizeDocks([window.review_dock], [300], Qt.Orientation.Vertical)
    window.go_to(item.id)
    window.table.setFocus()
    shot.settle()
    return [_save(shot.picture(), folder / "review-panel.png", shot)]


def shot_find_replace(folder: Path) -> list[Path]:
    from PySide6.QtCore import QPoint

    shot = Shot(("王小明", "clerk"))
    window = shot.window
    window.act_find_replace.trigger()
    dialog = window.find_replace
    dialog.find_edit.setText("辦理")
    dialog.replace_edit.setText("推動")
    dialog.find_next()
    dialog.find_next()
    dialog.move(window.geometry().center() - QPoint(dialog.width() // 2, 0))
    shot.settle(10)
    return [_save(shot.picture(dialog), folder / "find-replace.png", shot)]


def shot_context_menu(folder: Path) -> list[Path]:
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    from ui.table.model import COL_TEXT

    shot = Shot(("王承辦", "clerk"))
    window = shot.window
    item = shot.report.departments[0].sections[0].items[0]
    window.go_to(item.entries[0].id)
    window.table.setFocus()
    shot.settle()
    table = window.table
    index = window.table_model.index(window.table_model.row_of(item.entries[1].id), COL_TEXT)
    pos = table.visualRect(index).center()
    QApplication.sendEvent(table.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                               table.viewport().mapToGlobal(pos)))
    shot.settle()
    menu = window.context_menus.menu
    # drawn where it opened (offscreen the screen is smaller than the window: Qt moved the popup)
    picture = shot.picture((menu, table.viewport().mapTo(window, pos)))
    menu.close()
    return [_save(picture, folder / "context-menu.png", shot)]


def shot_drag_move(folder: Path) -> list[Path]:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    shot = Shot(("王承辦", "clerk"))
    window = shot.window
    department = shot.report.departments[2]
    source, destination = department.sections[0], department.sections[1]
    tree, model = window.tree, window.tree_model
    for section in (source, destination):
        tree.expand(model.index_of(section.id))
    moved = source.items[0]
    shot.settle()
    data = model.mimeData([model.index_of(moved.id)])
    tree.scrollTo(model.index_of(destination.id))
    shot.settle()
    drop_at = QPointF(tree.visualRect(model.index_of(destination.id)).center())
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for event in (QDragEnterEvent(drop_at.toPoint(), Qt.DropAction.MoveAction, data, buttons, keys),
                  QDragMoveEvent(drop_at.toPoint(), Qt.DropAction.MoveAction, data, buttons, keys),
                  QDropEvent(drop_at, Qt.DropAction.MoveAction, data, buttons, keys)):
        QApplication.sendEvent(tree.viewport(), event)
    shot.settle()
    tree.setFocus()
    shot.settle()
    if destination.items[-1] is not moved:
        raise SystemExit(f"drag-move: 「{moved.title}」 was not moved into 「{destination.title}」")
    return [_save(shot.picture(), folder / "drag-move.png", shot)]


def shot_proofread(folder: Path) -> list[Path]:
    """校對 (issue 18): after 工具 → 校對 (F7), the right-click menu on the first finding with a
    suggestion (proofread-menu.png); then F8, the next finding's editor with its characters
    selected (proofread-editor.png)."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    shot = Shot(("李課長", "chief"))
    window = shot.window
    window.act_proofread.trigger()
    shot.settle()
    window.resizeDocks([window.problems_dock], [230], Qt.Orientation.Vertical)  # a few rows of findings
    shot.settle()
    findings = [f for f in window.problems.findings if f.suggestion and f.field in ("text", "title")]
    if not findings:
        raise SystemExit("proofread: the sample has no finding with a suggestion")
    finding = findings[0]
    window.go_to(finding.node_id, finding.field)
    window.problems.view.selectRow(window.problems.rows.index(finding))
    shot.settle()
    table = window.table
    index = table.currentIndex()
    table.scrollTo(index, table.ScrollHint.PositionAtTop)  # room below it for the menu
    shot.settle()
    rect = table.visualRect(index)
    delegate = table.itemDelegate()
    on = [QPoint(x, y) for y in range(rect.top() + 2, rect.bottom(), 3) for x in range(rect.left() + 2, rect.right(), 3)
          if delegate.finding_at(table, index, QPoint(x, y)) == finding]
    # the right end of the characters' first line: the menu opens there and leaves them in view
    pos = max((p for p in on if p.y() == on[0].y()), key=QPoint.x) if on else rect.center()
    QApplication.sendEvent(table.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                               table.viewport().mapToGlobal(pos)))
    shot.settle()
    menu = window.context_menus.menu
    picture = shot.picture((menu, table.viewport().mapTo(window, pos + QPoint(2, 2))))
    menu.close()
    folder.mkdir(parents=True, exist_ok=True)
    first = folder / "proofread-menu.png"
    picture.save(str(first))
    print(first, f"「{finding.text}」→「{finding.suggestion}」", finding.where)
    shot.settle()
    window.table.setFocus()
    window.act_next_problem.trigger()
    shot.settle()
    return [first, _save(shot.picture(), folder / "proofread-editor.png", shot)]


def shot_template_editor(folder: Path) -> list[Path]:
    """工具 → 報告範本… over the sample: the dialog as 複製內附範本… leaves it for the budget table."""
    from dataclasses import replace

    from app.templates import builtin_named
    from ui.dialogs.template_editor import TemplateEditorDialog

    shot = Shot(("王小明", "clerk"))
    document = shot.window.document
    dialog = TemplateEditorDialog(document.report.template, document.report, lambda template: False, shot.window)
    budget = builtin_named("重要施政項目（預算執行）")
    dialog.load(replace(budget, name=f"{budget.name}（複製）"))
    dialog.column_list.setCurrentRow(next(i for i, c in enumerate(dialog.columns) if c.key == "budget"))
    dialog.resize(1100, 820)
    dialog.show()
    shot.settle(10)
    picture = dialog.grab()
    dialog.close()
    return [_save(picture, folder / "template-editor.png", shot)]


TEMPLATE_SHOTS = (("budget", "budget_report"), ("kpi", "kpi_report"), ("narrative", "narrative_report"))


def shot_templates(folder: Path) -> list[Path]:
    from PySide6.QtCore import Qt

    sys.path.insert(0, str(ROOT / "tests"))
    import template_reports

    from app.document import ReportDocument

    made = []
    for name, builder in TEMPLATE_SHOTS:
        path = Path(tempfile.mkdtemp(prefix="workreport-template-")) / f"{name}.awr"
        ReportDocument.create(path, getattr(template_reports, builder)()).close()
        shot = Shot(("王小明", "clerk"), path)
        window = shot.window
        window.resizeDocks([window.problems_dock], [PROBLEMS_HEIGHT], Qt.Orientation.Vertical)
        window.tree.expandAll()
        first = shot.report.departments[0]
        window.tree.setCurrentIndex(window.tree_model.index_of(first.id))
        shot.settle()
        model = window.table_model
        row = next((r for r, table_row in enumerate(model.rows) if table_row.entry is not None), 0)
        window.table.setCurrentIndex(model.index(row, model.main_column()))
        window.table.setFocus()
        shot.settle()
        made.append(_save(shot.picture(), folder / f"template-{name}-window.png", shot))
    return made


def _save(picture, target: Path, shot: Shot) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    picture.save(str(target))
    shot.close()
    print(target)
    return target


SHOTS: dict[str, Callable[[Path], list[Path]]] = {
    "main": shot_main, "review": shot_review, "history": shot_history, "find-replace": shot_find_replace,
    "context-menu": shot_context_menu, "drag-move": shot_drag_move, "proofread": shot_proofread,
    "template-editor": shot_template_editor, "templates": shot_templates,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="README and docs pictures of the window")
    parser.add_argument("shots", nargs="*", metavar="SHOT", help=f"one or more of {', '.join(SHOTS)} (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images", help="folder (default docs/images)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.shots if name not in SHOTS]
    if unknown:
        parser.error(f"unknown shot {', '.join(unknown)} (choose from {', '.join(SHOTS)})")
    for name in args.shots or SHOTS:
        SHOTS[name](args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
