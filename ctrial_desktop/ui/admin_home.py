"""Home panel of administrators, who manage accounts, sites and settings but see no patient."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class AdminHome(QWidget):
    """Home panel of administrators: buttons to users, sites and preferences. Signals: none."""

    def __init__(self, users: QAction, sites: QAction, preferences: QAction,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(self.tr("Administration"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        text = QLabel(self.tr(
            "Administrators manage user accounts, sites and settings. They do not see "
            "patient data: clinical work is done by the site staff, monitors and data "
            "managers."))
        text.setWordWrap(True)
        column = QWidget()
        column.setMaximumWidth(column.fontMetrics().averageCharWidth() * 90)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(48, 36, 48, 36)
        outer.addWidget(column, 3)
        outer.addStretch(1)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addSpacing(16)
        self.buttons: list[QPushButton] = []
        for action in (users, sites, preferences):
            button = QPushButton(action.icon(), action.text().replace("&", ""))
            button.setMinimumHeight(button.sizeHint().height() * 2)
            button.setVisible(action.isVisible())
            button.clicked.connect(action.trigger)
            layout.addWidget(button)
            self.buttons.append(button)
        layout.addStretch(1)
