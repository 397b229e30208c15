"""The 進度 panel: per department, 目 with content and review states as bars, and problems."""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from app.dashboard import DepartmentProgress
from app.model import REVIEW_LABEL

STATUS_COLOURS = {"draft": QColor("#c9d1e0"), "submitted": QColor("#f2c94c"), "returned": QColor("#eb5757"),
                  "approved": QColor("#27ae60")}


class DashboardWidget(QWidget):
    ROW = 30

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[DepartmentProgress] = []
        self.setObjectName("dashboard")
        self.setMinimumHeight(80)

    def set_rows(self, rows: list[DepartmentProgress]) -> None:
        self.rows = rows
        self.setMinimumHeight(self.ROW * (len(rows) + 1) + 10)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(700, self.ROW * (len(self.rows) + 1) + 10)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = painter.fontMetrics()
        name_width = max([metrics.horizontalAdvance(r.label) for r in self.rows] + [80]) + 12
        bar_left = name_width
        bar_width = max(120, int(self.width() * 0.45))
        text_left = bar_left + bar_width + 12
        y = 6
        # legend
        x = bar_left
        for status, colour in STATUS_COLOURS.items():
            painter.fillRect(QRectF(x, y + 4, 12, 12), colour)
            painter.drawText(int(x + 16), int(y + 15), REVIEW_LABEL[status])
            x += 16 + metrics.horizontalAdvance(REVIEW_LABEL[status]) + 14
        painter.drawText(int(x + 8), int(y + 15), "（條長：有內容的目）")
        y += self.ROW
        for row in self.rows:
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(4, y, name_width - 8, self.ROW - 6), int(Qt.AlignmentFlag.AlignVCenter), row.label)
            painter.fillRect(QRectF(bar_left, y + 4, bar_width, self.ROW - 12), QColor("#eef1f6"))
            if row.items:
                filled_width = bar_width * row.filled / row.items
                x = bar_left
                for status in ("approved", "submitted", "returned", "draft"):
                    share = row.statuses.get(status, 0) / row.items * filled_width
                    painter.fillRect(QRectF(x, y + 4, share, self.ROW - 12), STATUS_COLOURS[status])
                    x += share
            problems = f"錯誤 {row.errors}、警告 {row.warnings}" if row.errors or row.warnings else "沒有問題"
            if row.errors:
                painter.setPen(QColor("#b00020"))
            painter.drawText(QRectF(text_left, y, self.width() - text_left - 4, self.ROW - 6),
                             int(Qt.AlignmentFlag.AlignVCenter), f"{row.filled}/{row.items} 目　{problems}")
            y += self.ROW
        painter.end()
