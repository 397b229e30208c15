"""Docks whose panel is built (and its module imported) only when first shown or asked for.

The window starts with the tree, the table and the problems list; search,
歷程與意見, 進度 and 去年對照 sit behind tabs or hidden, so their modules are
not imported at start-up.  ``dock.panel`` builds the panel on first use and
calls ``on_built`` so the window can fill it with what is current.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QDockWidget, QWidget


class LazyDock(QDockWidget):
    def __init__(self, title: str, name: str, factory: Callable[[], QWidget], parent: QWidget,
                 on_built: Callable[[QWidget], None] | None = None):
        super().__init__(title, parent)
        self.setObjectName(name)
        self._factory = factory
        self._on_built = on_built
        self._panel: QWidget | None = None
        self.setWidget(QWidget())  # an empty placeholder keeps the dock's size hints sane
        self.visibilityChanged.connect(lambda visible: visible and self.panel)

    def bring_up(self) -> QWidget:
        """Show the dock in front of its tab group; returns its panel."""
        self.show()
        self.raise_()
        return self.panel

    @property
    def built(self) -> bool:
        return self._panel is not None

    @property
    def panel(self) -> QWidget:
        if self._panel is None:
            self._panel = self._factory()
            self.setWidget(self._panel)
            if self._on_built is not None:
                self._on_built(self._panel)
        return self._panel
