"""Log in: user name, password and the language of the interface."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.ui.field_messages import error_label, set_error
from ctrial_desktop.ui.i18n import LANGUAGES, tr_message

if TYPE_CHECKING:  # the services (SQLAlchemy) are imported while the dialog is on screen
    from ctrial_desktop.services.auth import AuthService
    from ctrial_desktop.services.context import Actor


class LoginDialog(QDialog):
    """Checks the user's password through :meth:`AuthService.login` (which audits it).

    A refused login shows the service's message (remaining attempts, locked account)
    in the dialog, which stays open. After ``accepted``, :attr:`actor` is the user.

    At start-up the dialog may be shown before the database is open (``auth`` None), so
    that the user types while the application loads; a login asked for meanwhile waits
    ("Opening the database…") and goes ahead as soon as :meth:`set_backend` is called.

    Signals:
        logged_in(object): the :class:`Actor` of the user who logged in.
        language_chosen(str): the user picked a language code (``en``/``fr``).
    """

    logged_in = Signal(object)
    language_chosen = Signal(str)

    def __init__(self, auth: AuthService | None, *, language: str = "en", study_name: str = "",
                 database_name: str = "", username: str = "", password: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._auth = auth
        self._study_name = study_name
        self._database_name = database_name
        self.actor: Actor | None = None
        self.login_waiting = False
        self._setup_ui()
        self.username_edit.setText(username)
        self.password_edit.setText(password)
        index = self.language_combo.findData(language)
        self.language_combo.setCurrentIndex(max(index, 0))
        self._connect_signals()
        (self.password_edit if username else self.username_edit).setFocus()

    def _setup_ui(self) -> None:
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        self.database_label = QLabel(self._database_name)
        self.database_label.setWordWrap(True)
        self.username_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.language_combo = QComboBox()
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.username_label = QLabel()
        self.username_label.setBuddy(self.username_edit)
        self.password_label = QLabel()
        self.password_label.setBuddy(self.password_edit)
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language_combo)
        self.message_label = error_label()
        self.status_label = QLabel()
        self.status_label.hide()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.username_label, self.username_edit)
        form.addRow(self.password_label, self.password_edit)
        form.addRow(self.language_label, self.language_combo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.login_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.quit_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.login_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.database_label)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.status_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.setTabOrder(self.username_edit, self.password_edit)
        self.setTabOrder(self.password_edit, self.language_combo)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Log in"))
        self.title_label.setText(self._study_name or self.tr("Electronic case report forms"))
        self.database_label.setToolTip(self.tr("Database"))
        self.username_label.setText(self.tr("&User name:"))
        self.password_label.setText(self.tr("&Password:"))
        self.language_label.setText(self.tr("&Language:"))
        self.login_button.setText(self.tr("&Log in"))
        self.quit_button.setText(self.tr("&Quit"))

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_login)
        self.buttons.rejected.connect(self.reject)
        self.language_combo.currentIndexChanged.connect(self._on_language_changed)

    def set_backend(self, auth: AuthService, study_name: str, database_name: str) -> None:
        """The database is open: log in with ``auth`` (at once if the user already asked)."""
        self._auth = auth
        self._study_name, self._database_name = study_name, database_name
        self.database_label.setText(database_name)
        self.retranslateUi()
        if self.login_waiting:
            self.login_waiting = False
            self._set_inputs_enabled(True)
            self.status_label.hide()
            self._on_login()

    def _set_inputs_enabled(self, enabled: bool) -> None:
        for widget in (self.username_edit, self.password_edit, self.language_combo,
                       self.login_button):
            widget.setEnabled(enabled)

    @Slot()
    def _on_login(self) -> None:
        from ctrial_desktop.services.errors import ServiceError

        if not self.username_edit.text().strip():
            set_error(self.message_label, self.tr("Type your user name."))
            self.username_edit.setFocus()
            return
        if self._auth is None:
            self.login_waiting = True
            self._set_inputs_enabled(False)
            set_error(self.message_label, None)
            self.status_label.setText(self.tr("Opening the database…"))
            self.status_label.show()
            return
        try:
            actor = self._auth.login(self.username_edit.text(), self.password_edit.text())
        except ServiceError as exc:
            set_error(self.message_label, tr_message(exc))
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        self.actor = actor
        self.password_edit.clear()
        self.logged_in.emit(actor)
        self.accept()

    @Slot(int)
    def _on_language_changed(self, index: int) -> None:
        code = self.language_combo.itemData(index)
        if code:
            self.language_chosen.emit(str(code))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
