"""Preferences: the language of the interface and the automatic backups, kept in the
user's settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.ui.backup_settings import (
    MAX_INTERVAL_HOURS,
    MAX_KEEP,
    BackupPreferences,
    check_folder,
    load_backup_preferences,
    save_backup_preferences,
)
from ctrial_desktop.ui.field_messages import error_label, set_error
from ctrial_desktop.ui.i18n import LANGUAGE_KEY, LANGUAGES, save_language, saved_language

__all__ = ["LANGUAGE_KEY", "PreferencesDialog", "save_language", "saved_language"]


class PreferencesDialog(QDialog):
    """Choose the interface language (applied to the open windows at once) and, given the
    user's ``settings``, where, how often and how many automatic backups are kept.

    Signals:
        language_changed(str): the user chose another language (``en``/``fr``).
    """

    language_changed = Signal(str)

    def __init__(self, language: str, parent: QWidget | None = None, *,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self._settings = settings
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
        self.backup_group = QGroupBox()
        self._setup_backup(self.backup_group)
        self.backup_group.setVisible(self._settings is not None)
        layout.addWidget(self.backup_group)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)
        self.retranslateUi()
        self.language_combo.setFocus()

    def _setup_backup(self, group: QGroupBox) -> None:
        prefs = load_backup_preferences(self._settings) if self._settings is not None else None
        self.folder_edit = QLineEdit(str(prefs.folder) if prefs else "")
        self.browse_button = QPushButton()
        self.browse_button.setAutoDefault(False)  # Enter means OK, never "browse"
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)
        self.folder_error = error_label()
        self.interval_spin = QSpinBox()
        self.interval_spin.setRange(1, MAX_INTERVAL_HOURS)
        self.keep_spin = QSpinBox()
        self.keep_spin.setRange(1, MAX_KEEP)
        if prefs is not None:
            self.interval_spin.setValue(prefs.interval_hours)
            self.keep_spin.setValue(prefs.keep)
        self.folder_label, self.interval_label = QLabel(), QLabel()
        self.keep_label, self.backup_note = QLabel(), QLabel()
        self.backup_note.setWordWrap(True)
        self.folder_label.setBuddy(self.folder_edit)
        self.interval_label.setBuddy(self.interval_spin)
        self.keep_label.setBuddy(self.keep_spin)
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.folder_label, folder_row)
        form.addRow("", self.folder_error)
        form.addRow(self.interval_label, self.interval_spin)
        form.addRow(self.keep_label, self.keep_spin)
        form.addRow(self.backup_note)
        self.setMinimumWidth(520)

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Preferences"))
        self.backup_group.setTitle(self.tr("Automatic backups"))
        self.folder_label.setText(self.tr("&Folder:"))
        self.browse_button.setText(self.tr("&Browse…"))
        self.interval_label.setText(self.tr("&Every (hours):"))
        self.keep_label.setText(self.tr("&Copies kept:"))
        self.backup_note.setText(self.tr(
            "A copy of the database is taken while you work when the last one is older than "
            "this, and when the application closes; older copies beyond the number kept are "
            "deleted. Choose a folder on another disk or a USB key when you can."))
        self.language_label.setText(self.tr("&Language:"))
        self.note_label.setText(self.tr(
            "The language applies to the menus and screens at once and is remembered for "
            "the next start."))

    def _connect_signals(self) -> None:
        self.browse_button.clicked.connect(self._on_browse)
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)

    def selected_language(self) -> str:
        return str(self.language_combo.currentData())

    def backup_preferences(self) -> BackupPreferences:
        return BackupPreferences(Path(self.folder_edit.text().strip()),
                                 self.interval_spin.value(), self.keep_spin.value())

    @Slot()
    def _on_browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Backup folder"),
                                                  self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def _save_backups(self) -> bool:
        """Check and save the backup preferences; False (message shown) when refused."""
        if self._settings is None:
            return True
        prefs = self.backup_preferences()
        if not self.folder_edit.text().strip():
            problem: str | None = self.tr("Choose a folder for the backups.")
        else:
            reason = check_folder(prefs.folder)
            problem = None if reason is None else self.tr(
                "Backups cannot be written there: {reason}").format(reason=reason)
        set_error(self.folder_error, problem)
        if problem is not None:
            self.folder_edit.setFocus()
            return False
        save_backup_preferences(self._settings, prefs)
        return True

    @Slot()
    def _on_accept(self) -> None:
        if not self._save_backups():
            return
        language = self.selected_language()
        if language != self._language:
            self._language = language
            self.language_changed.emit(language)
        self.accept()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
