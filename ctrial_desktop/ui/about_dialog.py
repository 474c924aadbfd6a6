"""About: application, version, study, database, log folder, Qt versions."""

from __future__ import annotations

from dataclasses import dataclass

import PySide6
from PySide6.QtCore import QEvent, Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop import __version__


@dataclass(frozen=True)
class AboutInfo:
    """What the About box shows besides the versions."""

    study_name: str
    registry_id: str
    database: str
    log_folder: str


class AboutDialog(QDialog):
    """Application name and version, study, database and log folder, Qt/PySide6 versions.

    Signals: none besides those of :class:`QDialog`.
    """

    def __init__(self, info: AboutInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._info = info
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.title_label.setFont(font)
        self.values = {
            "version": __version__,
            "study": f"{self._info.study_name} ({self._info.registry_id})",
            "database": self._info.database,
            "logs": self._info.log_folder,
            "qt": f"Qt {qVersion()} · PySide6 {PySide6.__version__}",
        }
        self.labels: dict[str, QLabel] = {}
        self.value_labels: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, value in self.values.items():
            label = QLabel()
            field = QLabel(value)
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.labels[key] = label
            self.value_labels[key] = field
            form.addRow(label, field)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("About ctrial-desktop"))
        self.title_label.setText(self.tr("ctrial-desktop: electronic case report forms"))
        texts = {"version": self.tr("Version:"), "study": self.tr("Study:"),
                 "database": self.tr("Database:"), "logs": self.tr("Log folder:"),
                 "qt": self.tr("Libraries:")}
        for key, label in self.labels.items():
            label.setText(texts[key])

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
