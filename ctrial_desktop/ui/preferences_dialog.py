"""Preferences: the language of the interface, kept in the user's settings."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.ui.i18n import LANGUAGE_KEY, LANGUAGES, save_language, saved_language

__all__ = ["LANGUAGE_KEY", "PreferencesDialog", "save_language", "saved_language"]


class PreferencesDialog(QDialog):
    """Choose the interface language; applied to the open windows at once.

    Signals:
        language_changed(str): the user chose another language (``en``/``fr``).
    """

    language_changed = Signal(str)

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        self.language_combo = QComboBox()
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(self.language_combo.findData(self._language),
                                                0))
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language_combo)
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.language_label, self.language_combo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)
        self.retranslateUi()
        self.language_combo.setFocus()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Preferences"))
        self.language_label.setText(self.tr("&Language:"))
        self.note_label.setText(self.tr(
            "The language applies to the menus and screens at once and is remembered for "
            "the next start."))

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)

    def selected_language(self) -> str:
        return str(self.language_combo.currentData())

    @Slot()
    def _on_accept(self) -> None:
        language = self.selected_language()
        if language != self._language:
            self._language = language
            self.language_changed.emit(language)
        self.accept()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
