"""Raise a query on a form or one of its fields, then follow and act on its thread.

Opened on a target (a form instance, optionally one field) the dialog asks the question
and raises the query; it then shows the thread. Opened on an existing query it shows the
thread (question, answers, closing and re-opening notes with author and local time) and
offers what the user's role allows: site staff answer an open query, monitors and data
managers close or re-open it. Monitors also tick the form as verified against source
documents here. Actions a role cannot do are disabled with the reason in a tooltip;
service refusals show in red under the reply.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.services.review import QueryRow
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.field_messages import error_label, set_error
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.randomize_dialog import local_time
from ctrial_desktop.ui.reason_dialog import ReasonDialog
from ctrial_desktop.ui.session import UiSession
from ctrial_desktop.ui.visit_tree import day_title


@dataclass(frozen=True)
class QueryTarget:
    """Where a new query is raised: a form instance of a patient, or one field of it."""

    patient_id: int
    form_data_id: int
    item_group_oid: str = ""
    group_repeat: int = 1
    item_oid: str = ""


def language() -> str:
    """The language of study texts: French when the user's locale is French."""
    return "fr" if QLocale().language() == QLocale.Language.French else "en"


def place_text(study: StudyDefinition, event_oid: str, event_repeat: int, form_oid: str,
               item_oid: str = "", group_repeat: int = 1, visit_day: int = 1) -> str:
    """Visit, form and field in the user's words, e.g. ``Cycle 2 - Haematology - Platelets``
    (``Haematology · day 8`` for a form due on several days of the visit)."""
    lang = language()
    event = study.event(event_oid).name.get(lang)
    if event_repeat > 1:
        event = QCoreApplication.translate("QueryDialog", "{event} {repeat}").format(
            event=event, repeat=event_repeat)
    form = study.form(form_oid).name.get(lang)
    if len(study.event(event_oid).form_days(form_oid)) > 1:
        form = day_title(form, visit_day)
    parts = [event, form]
    if item_oid:
        label = study.item(item_oid).label.get(lang)
        if group_repeat > 1:
            label = QCoreApplication.translate("QueryDialog", "{field} (row {row})").format(
                field=label, row=group_repeat)
        parts.append(label)
    return " \u2013 ".join(parts)


def status_text(status: str) -> str:
    """A query status in the user's language."""
    words = {"open": QCoreApplication.translate("QueryDialog", "Open"),
             "answered": QCoreApplication.translate("QueryDialog", "Answered"),
             "closed": QCoreApplication.translate("QueryDialog", "Closed")}
    return words.get(status, status)


class QueryDialog(QDialog):
    """Raises a query on ``target`` or shows the thread of ``query``.

    Signals:
        queryChanged(int): a query was raised, answered, closed or re-opened (its id).
        verifiedChanged(int, bool): the form was ticked or unticked as source-verified.
    """

    queryChanged = Signal(int)
    verifiedChanged = Signal(int, bool)

    def __init__(self, session: UiSession, *, query: QueryRow | None = None,
                 target: QueryTarget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if (query is None) == (target is None):
            raise ValueError("give either a query or a target")
        self._session = session
        self.query = query
        self._target = target
        self.reason_dialog: ReasonDialog | None = None
        self._setup_ui()
        self._connect_signals()
        self._refresh()

    def _setup_ui(self) -> None:
        self.place_label = QLabel()
        self.place_label.setWordWrap(True)
        self.status_label = QLabel()
        self.verified_check = QCheckBox()
        self.thread_view = QTextBrowser()
        self.reply_label = QLabel()
        self.reply_edit = QPlainTextEdit()
        self.reply_edit.setTabChangesFocus(True)
        self.reply_label.setBuddy(self.reply_edit)
        self.error = error_label()
        self.buttons = QDialogButtonBox()
        self.raise_button = QPushButton()
        self.answer_button = QPushButton()
        self.close_query_button = QPushButton()
        self.reopen_button = QPushButton()
        for button in (self.raise_button, self.answer_button, self.close_query_button,
                       self.reopen_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.done_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.place_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.verified_check)
        layout.addWidget(self.thread_view, 2)
        layout.addWidget(self.reply_label)
        layout.addWidget(self.reply_edit, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumSize(560, 420)
        self.retranslateUi()
        self.reply_edit.setFocus()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Raise a query") if self.query is None
                            else self.tr("Query thread"))
        self.verified_check.setText(self.tr("Source data &verified for this form"))
        self.raise_button.setText(self.tr("&Raise query"))
        self.answer_button.setText(self.tr("&Answer"))
        self.close_query_button.setText(self.tr("C&lose query"))
        self.reopen_button.setText(self.tr("Re-&open"))
        self.reply_label.setText(self.tr("&Question:") if self.query is None
                                 else self.tr("&Reply or note:"))

    def _connect_signals(self) -> None:
        self.raise_button.clicked.connect(self._on_raise)
        self.answer_button.clicked.connect(self._on_answer)
        self.close_query_button.clicked.connect(self._on_close_query)
        self.reopen_button.clicked.connect(self._on_reopen)
        self.verified_check.clicked.connect(self._on_verified_clicked)
        self.buttons.rejected.connect(self.reject)

    # -- state --------------------------------------------------------------------------
    def _site_and_form(self) -> tuple[str, int, int]:
        """Site code, patient id and form id of what the dialog is about."""
        if self.query is not None:
            return self.query.site_code, self.query.patient_id, self.query.form_data_id
        assert self._target is not None
        patient = self._session.patients.get_patient(self._target.patient_id)
        return patient.site_code, patient.id, self._target.form_data_id

    def _refresh(self) -> None:
        try:
            site, patient_id, form_id = self._site_and_form()
            patient = self._session.patients.get_patient(patient_id)
            state = next(s for s in self._session.patients.form_states(patient_id)
                         if s.form_data_id == form_id)
        except (ServiceError, StopIteration) as exc:
            set_error(self.error, tr_message(exc) or self.tr("The form no longer exists."))
            for button in (self.raise_button, self.answer_button, self.close_query_button,
                           self.reopen_button):
                button.setEnabled(False)
            return
        where = self.query or self._target
        assert where is not None
        item_oid, row = where.item_oid, where.group_repeat
        self.place_label.setText(self.tr("Patient {number}: {place}").format(
            number=patient.patient_number,
            place=place_text(self._session.study, state.event_oid, state.event_repeat,
                             state.form_oid, item_oid, row, state.visit_day)))
        self._show_verified(site, state.verified, state.status == "complete")
        actor = self._session.actor
        raising = self.query is None
        self.raise_button.setVisible(raising)
        self.status_label.setVisible(not raising)
        for button in (self.answer_button, self.close_query_button, self.reopen_button):
            button.setVisible(not raising)
        self.thread_view.setVisible(not raising)
        self._allow(self.raise_button, actor.can(Action.RAISE_QUERY, site),
                    self.tr("Only monitors and data managers raise queries."))
        self.raise_button.setDefault(raising)
        if self.query is None:
            return
        status = self.query.status
        self.status_label.setText(self.tr("Status: {status} \u2013 raised by {user} on {when}")
                                  .format(status=status_text(status), user=self.query.raised_by,
                                          when=local_time(self.query.raised_at)))
        self.thread_view.setHtml(self._thread_html())
        can_answer = actor.can(Action.ANSWER_QUERY, site)
        can_close = actor.can(Action.CLOSE_QUERY, site)
        self._allow(self.answer_button, can_answer and status == "open",
                    self.tr("Only site staff answer queries.") if not can_answer
                    else self.tr("Only an open query can be answered."))
        self._allow(self.close_query_button, can_close and status != "closed",
                    self.tr("Only monitors and data managers close queries.") if not can_close
                    else self.tr("The query is closed already."))
        self._allow(self.reopen_button, can_close and status != "open",
                    self.tr("Only monitors and data managers re-open queries.") if not can_close
                    else self.tr("The query is open already."))
        self.answer_button.setDefault(self.answer_button.isEnabled())

    def _show_verified(self, site: str, verified: bool, complete: bool) -> None:
        can_verify = self._session.actor.can(Action.VERIFY_SOURCE, site)
        self.verified_check.setVisible(can_verify)
        self.verified_check.setChecked(verified)
        self.verified_check.setEnabled(complete or verified)
        self.verified_check.setToolTip("" if complete or verified
                                       else self.tr("Only a complete form can be verified."))

    @staticmethod
    def _allow(button: QPushButton, allowed: bool, reason: str) -> None:
        button.setEnabled(allowed)
        button.setToolTip("" if allowed else reason)

    def _thread_html(self) -> str:
        assert self.query is not None
        kinds = {"raise": self.tr("Question"), "answer": self.tr("Answer"),
                 "close": self.tr("Closed"), "reopen": self.tr("Re-opened")}
        parts = []
        for message in self.query.messages:
            head = self.tr("{kind} \u2013 {author}, {when}").format(
                kind=kinds.get(message.kind, message.kind), author=message.author,
                when=local_time(message.written_at))
            text = (message.text.replace("&", "&amp;").replace("<", "&lt;")
                    .replace(">", "&gt;").replace("\n", "<br>"))
            parts.append(f"<p><b>{head.replace('<', '&lt;')}</b><br>{text}</p>")
        return "".join(parts)

    def _apply(self, action: str) -> None:
        set_error(self.error, None)
        text = self.reply_edit.toPlainText()
        review = self._session.review
        try:
            if self.query is None:
                assert self._target is not None
                target = self._target
                row = review.raise_query(target.form_data_id, text,
                                         item_group_oid=target.item_group_oid,
                                         group_repeat=target.group_repeat,
                                         item_oid=target.item_oid)
            elif action == "answer":
                row = review.answer_query(self.query.id, text)
            elif action == "close":
                row = review.close_query(self.query.id, text)
            else:
                row = review.reopen_query(self.query.id, text)
        except ServiceError as exc:
            set_error(self.error, tr_message(exc))
            self.reply_edit.setFocus()
            return
        self.query = row
        self.reply_edit.clear()
        self.retranslateUi()
        self._refresh()
        self.queryChanged.emit(row.id)

    # -- slots --------------------------------------------------------------------------
    @Slot()
    def _on_raise(self) -> None:
        self._apply("raise")

    @Slot()
    def _on_answer(self) -> None:
        self._apply("answer")

    @Slot()
    def _on_close_query(self) -> None:
        self._apply("close")

    @Slot()
    def _on_reopen(self) -> None:
        self._apply("reopen")

    @Slot(bool)
    def _on_verified_clicked(self, checked: bool) -> None:
        set_error(self.error, None)
        _site, _patient, form_id = self._site_and_form()
        if not checked:
            self._ask_unverify_reason(form_id)
            return
        try:
            self._session.review.set_verified(form_id, True)
        except ServiceError as exc:
            self.verified_check.setChecked(False)
            set_error(self.error, tr_message(exc))
            return
        self.verifiedChanged.emit(form_id, True)

    def _ask_unverify_reason(self, form_id: int) -> None:
        """Unticking is an audited change: ask its reason in a dialog of its own."""
        review = self._session.review
        dialog = ReasonDialog(
            self.tr("Remove source-data verification"),
            self.tr("The form will no longer count as verified against source documents."),
            self.tr("&Remove verification"),
            lambda reason, _password: review.set_verified(form_id, False, reason), parent=self)
        dialog.finished.connect(self._on_unverify_finished)
        dialog.finished.connect(dialog.deleteLater)
        self.reason_dialog = dialog
        dialog.open()

    @Slot(int)
    def _on_unverify_finished(self, result: int) -> None:
        accepted = result == QDialog.DialogCode.Accepted.value
        self.verified_check.setChecked(not accepted)
        self.reason_dialog = None
        if accepted:
            _site, _patient, form_id = self._site_and_form()
            self.verifiedChanged.emit(form_id, False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
