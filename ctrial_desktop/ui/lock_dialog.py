"""The locked-session screen: the user's password unlocks it, or the user logs out.

The windows underneath are only hidden while it shows, never closed, so unsaved
input in them is kept.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import AccountLocked, ServiceError
from ctrial_desktop.ui.field_messages import error_label, set_error
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.icons import icon


def padlock_icon(style: QStyle) -> QIcon:
    """The application's padlock icon, or the platform's information icon without it."""
    try:
        return icon("lock")
    except KeyError:
        return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)


class LockDialog(QDialog):
    """Asks for the password of the locked session (:meth:`AuthService.unlock_session`).

    Escape and the window's close button do nothing: only the password or
    "Log out" leave this screen.

    Signals:
        unlocked(): the password was right; the session continues.
        logout_requested(): the user chose to log out instead.
        account_locked(str): too many wrong passwords locked the account (the message).
    """

    unlocked = Signal()
    logout_requested = Signal()
    account_locked = Signal(str)

    def __init__(self, auth: AuthService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._auth = auth
        self._actor = actor
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(padlock_icon(self.style()).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.title_label.setFont(font)
        self.explanation_label = QLabel()
        self.explanation_label.setWordWrap(True)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label = QLabel()
        self.password_label.setBuddy(self.password_edit)
        self.message_label = error_label()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.password_label, self.password_edit)
        self.buttons = QDialogButtonBox()
        self.unlock_button = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.AcceptRole)
        self.logout_button = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.unlock_button.setDefault(True)
        self.logout_button.setAutoDefault(False)
        text = QVBoxLayout()
        text.addWidget(self.title_label)
        text.addWidget(self.explanation_label)
        text.addLayout(form)
        text.addWidget(self.message_label)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.retranslateUi()
        self.password_edit.setFocus()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Session locked"))
        self.title_label.setText(self.tr("Session locked"))
        self.explanation_label.setText(self.tr(
            "The session of {name} ({user}) was locked after a period without activity. "
            "Your open windows and unsaved entries are kept. Type your password to "
            "continue.").format(name=self._actor.full_name, user=self._actor.username))
        self.password_label.setText(self.tr("&Password:"))
        self.unlock_button.setText(self.tr("&Unlock"))
        self.logout_button.setText(self.tr("Log &out"))

    def _connect_signals(self) -> None:
        self.unlock_button.clicked.connect(self._on_unlock)
        self.logout_button.clicked.connect(self._on_logout)

    @Slot()
    def _on_unlock(self) -> None:
        try:
            self._auth.unlock_session(self._actor, self.password_edit.text())
        except AccountLocked as exc:
            self.password_edit.clear()
            self.account_locked.emit(tr_message(exc))
            self.done(QDialog.DialogCode.Rejected)
            return
        except ServiceError as exc:
            set_error(self.message_label, tr_message(exc))
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        self.password_edit.clear()
        set_error(self.message_label, None)
        self.unlocked.emit()
        self.done(QDialog.DialogCode.Accepted)

    @Slot()
    def _on_logout(self) -> None:
        self.logout_requested.emit()
        self.done(QDialog.DialogCode.Rejected)

    def reject(self) -> None:
        """Escape does not leave a locked session."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if event.spontaneous():  # the window manager's close button
            event.ignore()
            return
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

