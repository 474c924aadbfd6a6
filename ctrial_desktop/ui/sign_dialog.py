"""Electronic signature of forms (21 CFR Part 11 style).

The dialog lists exactly what is signed (patient, visit, form, last saved), states the
meaning of the signature, and asks the user ID at the first signature of a login
session and the password every time. :meth:`ReviewService.sign` checks the user ID and
the password (failures count towards the account lock) and stores the content hash.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.services.errors import AccountLocked, AuthenticationError, ServiceError
from ctrial_desktop.services.forms import FormSnapshot
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.services.review import DEFAULT_MEANING
from ctrial_desktop.ui.field_messages import error_label, field_box, ok_cancel, set_error
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.query_dialog import place_text
from ctrial_desktop.ui.randomize_dialog import local_time
from ctrial_desktop.ui.session import UiSession

#: Login sessions (``Actor.session_id``) whose user has signed once: later signatures of
#: the same login session ask the password only.
_SESSIONS_THAT_SIGNED: set[str] = set()


def has_signed_in_session(session_id: str) -> bool:
    """Whether the login session identified by ``session_id`` has signed already."""
    return session_id in _SESSIONS_THAT_SIGNED


class SignDialog(QDialog):
    """Signs forms of one patient: all complete unsigned ones, or those given.

    Signals:
        formsSigned(list): the ids of the form instances just signed.
    """

    formsSigned = Signal(list)

    def __init__(self, session: UiSession, patient_id: int,
                 form_data_ids: Sequence[int] | None = None, *,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._patient_id = patient_id
        self._wanted = list(form_data_ids) if form_data_ids is not None else None
        self.ask_user_id = not has_signed_in_session(session.actor.session_id)
        self.form_ids: list[int] = []
        self._setup_ui()
        self._connect_signals()
        self._load()

    def _setup_ui(self) -> None:
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.meaning_label = QLabel()
        self.meaning_label.setWordWrap(True)
        font = self.meaning_label.font()
        font.setBold(True)
        self.meaning_label.setFont(font)
        self.signer_label = QLabel()
        self.signer_label.setWordWrap(True)
        self.user_edit = QLineEdit()
        self.user_label = QLabel()
        self.user_label.setBuddy(self.user_edit)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label = QLabel()
        self.password_label.setBuddy(self.password_edit)
        self.user_error = error_label()
        self.password_error = error_label()
        self.general_error = error_label()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.user_label, field_box(self.user_edit, self.user_error))
        form.addRow(self.password_label, field_box(self.password_edit, self.password_error))
        self.user_edit.setVisible(self.ask_user_id)
        self.user_label.setVisible(self.ask_user_id)
        self.buttons, self.sign_button = ok_cancel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.meaning_label)
        layout.addWidget(self.signer_label)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumSize(620, 380)
        self.retranslateUi()
        (self.user_edit if self.ask_user_id else self.password_edit).setFocus()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Sign forms"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Patient"), self.tr("Visit \u2013 form"), self.tr("Last saved"),
            self.tr("Saved by")])
        self.meaning_label.setText(self.tr(
            "Meaning of this signature: \u201cI confirm that the data are accurate and "
            "complete.\u201d Your electronic signature is the legally binding equivalent of "
            "your handwritten signature."))
        actor = self._session.actor
        self.signer_label.setText(self.tr(
            "Signer: {name} ({user}). The date and time of signing are recorded with the "
            "signature.").format(name=actor.full_name, user=actor.username))
        self.user_label.setText(self.tr("&User ID:"))
        self.password_label.setText(self.tr("&Password:"))
        self.sign_button.setText(self.tr("&Sign"))

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_sign)
        self.buttons.rejected.connect(self.reject)

    def _load(self) -> None:
        try:
            patient = self._session.patients.get_patient(self._patient_id)
            states = [s for s in self._session.patients.form_states(self._patient_id)
                      if (s.form_data_id in self._wanted if self._wanted is not None
                          else s.status == "complete" and not s.signed)]
            snapshots = [self._session.forms.open(self._patient_id, s.event_oid,
                                                  s.event_repeat, s.form_oid, day=s.visit_day)
                         for s in states]
        except ServiceError as exc:
            set_error(self.general_error, tr_message(exc))
            self.sign_button.setEnabled(False)
            return
        self.form_ids = [s.form_data_id for s in states]
        self.table.setRowCount(len(snapshots))
        for row, snap in enumerate(snapshots):
            self._fill_row(row, patient.patient_number, snap)
        self.intro.setText(self.tr("You are signing {count} form(s) of patient {number}:")
                           .format(count=len(self.form_ids), number=patient.patient_number))
        allowed = self._session.actor.can(Action.SIGN, patient.site_code)
        self.sign_button.setEnabled(allowed and bool(self.form_ids))
        if not allowed:
            self.sign_button.setToolTip(self.tr("Only an investigator of the site signs forms."))
            set_error(self.general_error,
                      self.tr("Your role cannot sign forms; an investigator of the site signs."))
        elif not self.form_ids:
            set_error(self.general_error, self.tr("There is no complete unsigned form to sign."))

    def _fill_row(self, row: int, patient_number: str, snap: FormSnapshot) -> None:
        place = place_text(self._session.study, snap.event_oid, snap.event_repeat,
                           snap.form_oid, visit_day=snap.visit_day)
        saved = local_time(snap.updated_at) if snap.updated_at else ""
        for column, text in enumerate((patient_number, place, saved, snap.updated_by or "")):
            self.table.setItem(row, column, QTableWidgetItem(text))

    @Slot()
    def _on_sign(self) -> None:
        for label in (self.user_error, self.password_error, self.general_error):
            set_error(label, None)
        actor = self._session.actor
        username = self.user_edit.text() if self.ask_user_id else actor.username
        try:
            self._session.review.sign(self.form_ids, username, self.password_edit.text(),
                                      DEFAULT_MEANING)
        except AccountLocked as exc:
            set_error(self.general_error, tr_message(exc))
            self.sign_button.setEnabled(False)
            return
        except AuthenticationError as exc:
            wrong_user = self.ask_user_id and username.strip().lower() != actor.username
            set_error(self.user_error if wrong_user else self.password_error, tr_message(exc))
            self.password_edit.clear()
            (self.user_edit if wrong_user else self.password_edit).setFocus()
            return
        except ServiceError as exc:
            set_error(self.general_error, tr_message(exc))
            return
        _SESSIONS_THAT_SIGNED.add(actor.session_id)
        self.formsSigned.emit(list(self.form_ids))
        self.accept()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
