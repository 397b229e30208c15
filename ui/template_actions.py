"""The window's commands as the report's template names them (issue 19).

The tree's 新增 commands (Ctrl+Alt+D/S/I) add a node of the template's first,
second and third level: their texts say the level's name (新增業務, 新增策略績效目標);
a command for a level the template lacks is disabled and hidden from the menus.
The default template keeps 新增部門 / 新增項 / 新增目.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .main_window import MainWindow

ADD_ACTIONS = (("add_department", "department", "新增部門"), ("add_section", "section", "新增項"),
               ("add_item", "item", "新增目"))


def follow_template(window: "MainWindow") -> None:
    """Name and enable the 新增 commands after the open report's template."""
    template = window.document.report.template if window.document is not None else None
    for name, kind, default_text in ADD_ACTIONS:
        action = window.actions_by_name.get(name)
        if action is None:
            continue
        if template is None or template.is_default:
            action.setText(default_text)
            action.setEnabled(True)
            action.setVisible(True)
            continue
        level = template.level_of(kind)
        action.setText(f"新增{level.name}" if level is not None else default_text)
        action.setEnabled(level is not None)
        action.setVisible(level is not None)
