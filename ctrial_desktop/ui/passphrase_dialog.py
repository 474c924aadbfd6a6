"""The passphrase of an encrypted database, asked at start-up before anything is opened.

SQLCipher derives the key from the passphrase (see :mod:`ctrial_desktop.store.database`);
nothing of the file is readable without it. A wrong passphrase is said next to the field
and asked again; Cancel quits without touching the file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ctrial_desktop.ui.field_messages import error_label, ok_cancel, set_error


class PassphraseDialog(QDialog):
    """Asks the passphrase of ``path``; :attr:`passphrase` holds it after ``accepted``."""

    def __init__(self, path: Path, message: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path = path
        self.passphrase: str | None = None
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.path_label = QLabel(str(path))
        self.path_label.setWordWrap(True)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_label = QLabel()
        self.passphrase_label.setBuddy(self.passphrase_edit)
        self.message_label = error_label()
        form = QFormLayout()
        form.addRow(self.passphrase_label, self.passphrase_edit)
        self.buttons, self.open_button = ok_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.path_label)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.buttons.accepted.connect(self._on_open)
        self.buttons.rejected.connect(self.reject)
        self.retranslateUi()
        set_error(self.message_label, message)
        self.passphrase_edit.setFocus()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Encrypted database"))
        self.intro_label.setText(self.tr(
            "This database is encrypted (or it is not a ctrial database). Type its passphrase "
            "to open it."))
        self.passphrase_label.setText(self.tr("&Passphrase:"))
        self.open_button.setText(self.tr("&Open"))

    def _on_open(self) -> None:
        if not self.passphrase_edit.text():
            set_error(self.message_label, self.tr("Type the passphrase."))
            return
        self.passphrase = self.passphrase_edit.text()
        self.accept()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)


def ask_passphrase(path: Path, message: str = "") -> str | None:
    """Show the dialog (modal); the passphrase typed, None when the user cancels."""
    dialog = PassphraseDialog(path, message)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    passphrase = dialog.passphrase if accepted else None
    dialog.deleteLater()
    return passphrase
