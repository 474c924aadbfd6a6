"""The form editor: renders any CRF and drives checking, saving, drafts and history.

Embed it with ``FormEditor(session, form_service, patient_id, event_oid,
event_repeat, form_oid, day=None)`` (``day``: the instance of a form due on several
days of the visit, None its first); connect ``saved``, ``dirty_changed(bool)`` and
``next_form_requested``; call ``maybe_close()`` before replacing it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import partial

from PySide6.QtCore import QLocale, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QMenu, QMessageBox, QVBoxLayout, QWidget

from ctrial_desktop.domain.ctcae import load_ctcae_terms
from ctrial_desktop.paths import resources_dir
from ctrial_desktop.services.errors import (
    ConflictError,
    PermissionDenied,
    ServiceError,
    ValidationError,
)
from ctrial_desktop.services.forms import (
    CHECK_RANGE,
    CHECK_REQUIRED,
    CHECK_SOFT_RANGE,
    CHECK_TYPE,
    FieldMessage,
    FormService,
    FormSnapshot,
    ReasonRequired,
    ValueKey,
)
from ctrial_desktop.services.lab_grades import lab_test_of
from ctrial_desktop.services.normal_ranges import Limits, NormalRangeService
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.study.model import Form
from ctrial_desktop.ui.forms.change_reasons_dialog import ReasonRequest, ask_change_reasons
from ctrial_desktop.ui.forms.dose_advice_panel import DoseAdvicePanel
from ctrial_desktop.ui.forms.dosing_prefill import DOSING_FORMS, dosing_group, planned_rows
from ctrial_desktop.ui.forms.edit_buffer import EditBuffer
from ctrial_desktop.ui.forms.form_presenter import FormPresenter
from ctrial_desktop.ui.forms.form_view import FormView
from ctrial_desktop.ui.forms.history_dialog import HistoryDialog
from ctrial_desktop.ui.forms.response_panel import ResponsePanel
from ctrial_desktop.ui.i18n import tr_after_colon, tr_message
from ctrial_desktop.ui.session import UiSession
from ctrial_desktop.ui.visit_tree import day_title

#: Checks of one value, run as the user leaves the field; while typing, the form-level
#: check adds only edit checks (a missing required value is shown when saving).
FIELD_CHECKS = frozenset({None, CHECK_TYPE, CHECK_RANGE, CHECK_SOFT_RANGE, CHECK_REQUIRED})
#: The adverse-event log and its rows, which offer the SAE report form of a row.
SAE_FORM = "F.AE"
SAE_GROUP = "IG.AE.ROW"

#: Asks reasons for changed values; returns them by key, or None when the user cancels.
ReasonAsker = Callable[[str, str, Sequence[ReasonRequest]], dict[object, str] | None]


def ctcae_terms(study: StudyDefinition, form: Form) -> list[tuple[str, str]]:
    """(MedDRA code, term) of the study's CTCAE version, by term; empty if the form needs none."""
    if not any(item.type == "ctcae_term" for item in form.items):
        return []
    terms = load_ctcae_terms(resources_dir() / "ctcae", study.settings.ctcae.version)
    return sorted(((t.meddra_code, t.term) for t in terms), key=lambda pair: pair[1].casefold())


def current_language() -> str:
    """``fr`` when the application's default locale is French, else ``en``."""
    return "fr" if QLocale().language() == QLocale.Language.French else "en"


class FormEditor(QWidget):
    """Edits one form instance of one patient: every CRF goes through this one engine.

    Signals: ``saved()`` after a successful save; ``dirty_changed(bool)`` when unsaved
    input appears or disappears; ``next_form_requested()`` after "Save and next";
    ``status_changed(str)`` with "Saved at HH:MM" and other save-bar news.
    """

    saved = Signal()
    dirty_changed = Signal(bool)
    next_form_requested = Signal()
    status_changed = Signal(str)

    def __init__(self, session: UiSession, form_service: FormService, patient_id: int,
                 event_oid: str, event_repeat: int, form_oid: str,
                 parent: QWidget | None = None, *, draft_interval_ms: int = 5000,
                 language: str | None = None, day: int | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.service = form_service
        self.instance = (patient_id, event_oid, event_repeat, form_oid)
        # The day of the visit of this instance (None until opened: the form's first day).
        self.day: int | None = day
        self.language = language or current_language()
        self.form = session.study.form(form_oid)
        self.ask_reasons: ReasonAsker = partial(ask_change_reasons, self)
        self._messages: dict[ValueKey, list[FieldMessage]] = {}
        self._form_messages: list[FieldMessage] = []
        self._dirty = False
        self._shown_once = False
        self._last_draft: dict[ValueKey, str] | None = None
        self._site_limits: dict[str, Limits] | None = None
        opened = form_service.open(*self.instance, day=day)
        self.day = opened.visit_day
        self.buffer = EditBuffer(session.study, self.form, opened)
        self._setup_ui()
        self._connect_signals()
        self._draft_timer = QTimer(self)
        self._draft_timer.setInterval(draft_interval_ms)
        self._draft_timer.timeout.connect(self._on_draft_timer)
        self._load()
        self._offer_draft_or_prefill()
        if self.read_only_reason is None:
            self._draft_timer.start()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = FormView(self.session.study, self.form, self.language,
                             ctcae_terms(self.session.study, self.form), parent=self,
                             title=self._title())
        self.presenter = FormPresenter(self.view, self.buffer)
        #: The derived IMWG response above a disease assessment (None for other forms).
        self.response_panel: ResponsePanel | None = None
        if self.form.oid == "F.DA":
            self.response_panel = ResponsePanel(self.session, *self.instance[:3], parent=self)
            layout.addWidget(self.response_panel)
        #: The dose advice above a cycle's dosing form (None for other forms).
        self.advice_panel: DoseAdvicePanel | None = None
        if self.form.oid in DOSING_FORMS and self.instance[1] == "SE.CYCLE":
            self.advice_panel = DoseAdvicePanel(
                self.session, self.instance[0], self.instance[2], DOSING_FORMS[self.form.oid],
                {k.item_oid: v for k, v in self.buffer.snapshot.values.items()}, parent=self)
            self.advice_panel.decided.connect(self._on_advice_decided)
            layout.addWidget(self.advice_panel)
        layout.addWidget(self.view)

    def _title(self) -> str:
        """The form's name, with the day of the visit for a form due on several days."""
        name = self.form.name.get(self.language)
        event = self.session.study.event(self.instance[1])
        if len(event.form_days(self.form.oid)) > 1 and self.day is not None:
            return day_title(name, self.day)
        return name

    def _connect_signals(self) -> None:
        for (group_oid, item_oid), row in self.view.rows.items():
            key = ValueKey(group_oid, 1, item_oid)
            row.field.committed.connect(lambda k=key: self._commit(k))
            row.field.edited.connect(self._on_edited)
            row.message.confirm_requested.connect(lambda k=key: self.confirm_warning(k))
            target = row.field.focus_widget()
            target.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            target.customContextMenuRequested.connect(
                lambda pos, k=key, w=target: self._on_field_menu(k, w, pos))
        for table in self.view.tables.values():
            table.cell_committed.connect(self._on_cell_committed)
            table.delete_requested.connect(self._on_delete_requested)
            table.history_requested.connect(self._on_table_history)
        self.view.save_button.clicked.connect(self._on_save_clicked)
        self.view.save_next_button.clicked.connect(self._on_save_next_clicked)
        self.view.save_action.triggered.connect(self._on_save_clicked)
        self.view.save_next_action.triggered.connect(self._on_save_next_clicked)
        self.view.problems_button.toggled.connect(self.view.messages_panel.setVisible)
        self.view.messages_panel.field_activated.connect(self._on_problem_activated)
        self.view.messages_panel.confirm_requested.connect(self.confirm_warning)
        self.view.restore_draft_button.clicked.connect(self._on_restore_draft)
        self.view.print_button.clicked.connect(self._on_print)
        may_print = self.session.actor.can(Action.REPORTS)
        self.view.print_button.setVisible(may_print)
        self.view.sae_button.setVisible(may_print and self.form.oid == SAE_FORM)
        self.view.sae_button.clicked.connect(self._on_sae_report)
        self.view.discard_draft_button.clicked.connect(self._on_discard_draft)

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_edited(self) -> None:
        self._set_dirty(True)

    @Slot(int, str, str)
    def _on_cell_committed(self, repeat: int, item_oid: str, raw: str) -> None:
        group_oid = self.session.study.group_of_item(item_oid).oid
        self._commit(ValueKey(group_oid, repeat, item_oid), raw)

    @Slot(int)
    def _on_delete_requested(self, repeat: int) -> None:
        table = self.sender()
        group_oid = next(g for g, t in self.view.tables.items() if t is table)
        reason: str | None = None
        if repeat in self.buffer.saved_repeats(group_oid):
            requests = [ReasonRequest(
                repeat, self.tr("Row {row}").format(row=repeat), self.tr("saved row"),
                self.tr("deleted"))]
            answer = self.ask_reasons(self.tr("Delete row"), self.tr(
                "This row is saved. Give the reason for deleting it; the deletion is recorded "
                "in the audit trail when you save."), requests)
            if not answer:
                return
            reason = answer[repeat]
        self.buffer.remove_row(group_oid, repeat, reason)
        self.view.tables[group_oid].remove_row(repeat)
        for key in [k for k in self._messages if k.group_oid == group_oid and k.repeat == repeat]:
            del self._messages[key]
        self._set_dirty(True)
        self._refresh()

    @Slot(int, str)
    def _on_table_history(self, repeat: int, item_oid: str) -> None:
        group_oid = self.session.study.group_of_item(item_oid).oid
        self.show_history(ValueKey(group_oid, repeat, item_oid))

    def _on_field_menu(self, key: ValueKey, widget: QWidget, pos: QPoint) -> None:
        menu = QMenu(widget)
        standard = getattr(widget, "createStandardContextMenu", None)
        if callable(standard):
            menu = standard()
            menu.addSeparator()
        menu.addAction(self.tr("Show &history…"), lambda: self.show_history(key))
        menu.popup(widget.mapToGlobal(pos))

    def _open_report(self, kind: str, **options: object) -> QWidget:
        from ctrial_desktop.ui.report_dialog import ReportDialog

        dialog = ReportDialog(self.session, self, kind=kind, patient_id=self.instance[0],
                              generate_now=True, **options)  # type: ignore[arg-type]
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    @Slot()
    def _on_print(self) -> None:
        """The stored form as PDF, through the report preview (unsaved input is not printed)."""
        _patient, event_oid, event_repeat, form_oid = self.instance
        self._open_report("form", form_instance=(event_oid, event_repeat, form_oid,
                                                 self.day or 1))

    @Slot()
    def _on_sae_report(self) -> None:
        """The SAE report form of the adverse event selected in the AE table."""
        table = self.view.tables.get(SAE_GROUP)
        self._open_report("sae", ae_number=table.current_repeat() if table else None)

    @Slot()
    def _on_save_clicked(self) -> None:
        self.save()

    @Slot()
    def _on_save_next_clicked(self) -> None:
        if self.save():
            self.next_form_requested.emit()

    @Slot(object)
    def _on_problem_activated(self, key: object) -> None:
        if isinstance(key, ValueKey):
            self.focus_field(key)

    @Slot()
    def _on_restore_draft(self) -> None:
        draft = self.service.load_draft(*self.instance, day=self.day) or {}
        self.view.draft_bar.hide()
        for key in self.buffer.entered_values():
            if key not in draft:  # cleared before the draft was kept
                self.buffer.set_value(key, None)
        self._apply_values(draft)

    @Slot()
    def _on_discard_draft(self) -> None:
        self.service.discard_draft(*self.instance, day=self.day)
        self.view.draft_bar.hide()
        self._prefill_dosing()

    @Slot()
    def _on_draft_timer(self) -> None:
        self.save_draft()

    # ------------------------------------------------------------------ public API

    @property
    def read_only_reason(self) -> str | None:
        return self.buffer.snapshot.read_only_reason

    def is_dirty(self) -> bool:
        return self._dirty

    def save(self) -> bool:
        """Check and save the form; True when saved. Problems are shown, never raised."""
        if self.read_only_reason is not None:
            return False
        self._commit_pending()
        if self.buffer.invalid:
            self._set_status(self.tr("Not saved: correct the fields marked Error first."))
            self._show_problems()
            return False
        reasons = self._reasons_for(self.buffer.changed_saved_keys())
        if reasons is None:
            return False
        for _attempt in range(2):
            try:
                result = self.service.save(
                    *self.instance, self.buffer.entered_values(),
                    expected_version=self.buffer.snapshot.version, reasons=reasons,
                    confirmations=dict(self.buffer.confirmations), day=self.day)
            except ReasonRequired as exc:
                more = self._reasons_for([k for k in exc.keys if k not in reasons])
                if more is None:
                    return False
                reasons.update(more)
                continue
            except ConflictError as exc:
                self.view.show_banner(self.tr(
                    "Not saved: {reason} Your input is kept; copy what you need, then close "
                    "and reopen the form to see the other changes.").format(
                        reason=tr_after_colon(exc)), "error")
                self._set_status(self.tr("Not saved: conflict"))
                return False
            except PermissionDenied as exc:
                self.view.show_banner(
                    self.tr("Read only: {reason}").format(reason=tr_after_colon(exc)), "info")
                return False
            except ValidationError as exc:
                self._show_validation(exc)
                return False
            except ServiceError as exc:
                self._set_status(self.tr("Not saved: {reason}").format(reason=tr_after_colon(exc)))
                return False
            self._after_save(result.snapshot, result.messages)
            return True
        return False

    def save_draft(self) -> None:
        """Keep unsaved input (autosave); nothing when read-only or unchanged."""
        if self.read_only_reason is not None or not self._dirty:
            return
        values = self.buffer.draft_values()
        if values != self._last_draft:
            self.service.save_draft(*self.instance, values, day=self.day)
            self._last_draft = values

    def maybe_close(self) -> bool:
        """Ask what to do with unsaved input; True when the editor may be closed."""
        if not self._dirty or self.read_only_reason is not None:
            return True
        answer = QMessageBox.question(
            self, self.tr("Unsaved changes"),
            self.tr("{form} has unsaved changes. Save them before leaving?").format(
                form=self.form.name.get(self.language)),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.service.discard_draft(*self.instance, day=self.day)
            self._draft_timer.stop()
            self._set_dirty(False)
            return True
        return False

    def confirm_warning(self, key: object) -> None:
        """Ask once for the reason a value outside its usual range is right."""
        if not isinstance(key, ValueKey) or self.read_only_reason is not None:
            return
        label = self.presenter.field_name(key)
        value = self.buffer.values.get(key, "")
        answer = self.ask_reasons(self.tr("Confirm value"), self.tr(
            "The value is outside the usual range. Say why it is right (e.g. checked on the "
            "source document)."), [ReasonRequest(key, label, value, value)])
        if answer:
            self.buffer.confirmations[key] = answer[key]
            self._set_dirty(True)
            self._refresh()

    def show_history(self, key: ValueKey) -> HistoryDialog:
        """Open the history of one field (non-modal) and return the dialog."""
        try:
            entries = self.service.history(*self.instance, key, day=self.day)
        except ServiceError as exc:
            entries = []
            self._set_status(tr_message(exc))
        dialog = HistoryDialog(self.presenter.field_name(key), entries, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def focus_first_field(self) -> None:
        """Put the cursor in the first field the user can type in (the form opens ready)."""
        for row in self.view.rows.values():
            widget = row.field.focus_widget()
            if row.line.isVisibleTo(self) and widget.isEnabled() \
                    and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        for table in self.view.tables.values():
            table.table.setFocus(Qt.FocusReason.OtherFocusReason)
            return

    def focus_field(self, key: ValueKey) -> None:
        row = self.view.rows.get((key.group_oid, key.item_oid))
        if row is not None:
            row.field.focus_widget().setFocus()
        elif key.group_oid in self.view.tables:
            table = self.view.tables[key.group_oid]
            if key.repeat in table.repeats():
                table.focus_cell(key.repeat, key.item_oid)

    # ------------------------------------------------------------------ internals

    def _load(self) -> None:
        self.presenter.fill()
        self.presenter.set_read_only(self.read_only_reason)
        self._refresh()

    def _offer_draft_or_prefill(self) -> None:
        if self.read_only_reason is not None:
            return
        draft = self.service.load_draft(*self.instance, day=self.day)
        if draft and dict(draft) != self.buffer.entered_values():
            self.view.draft_label.setText(self.tr(
                "Unsaved input from an earlier session was kept for this form. "
                "Restore it?"))
            self.view.draft_bar.show()
            return
        self._prefill_dosing()

    def _chosen_level(self) -> float | None:
        """The dose level decided on the cycle's dose advice (None: none decided)."""
        drug = DOSING_FORMS.get(self.form.oid)
        if drug is None:
            return None
        prefix = "I.POM" if drug == "pomalidomide" else "I.DEX"
        chosen = next((v for k, v in self.buffer.values.items()
                       if k.item_oid == f"{prefix}.ADV_CHOSEN"), None)
        try:
            return float(chosen) if chosen else None
        except ValueError:
            return None

    def _prefill_dosing(self) -> None:
        group = dosing_group(self.form)
        if group is None or any(k.group_oid == group.oid for k in self.buffer.values) or (
                self.buffer.snapshot.version != 0
                and not any(self.buffer.item(k).read_only for k in self.buffer.values
                            if self.buffer.knows(k))):
            return
        patient = self.session.patients.get_patient(self.instance[0])
        chosen = self._chosen_level()
        rows = planned_rows(self.session.study, self.form, patient.arm, patient.age, chosen)
        if not rows:
            return
        values = {ValueKey(group.oid, repeat, oid): text
                  for repeat, row in rows.items() for oid, text in row.items()}
        level = next((i for g in self.form.item_groups for i in g.items
                      if i.oid.endswith(".LEVEL") and not g.repeating), None)
        if chosen is not None and level is not None:
            values[ValueKey(self.session.study.group_of_item(level.oid).oid, 1,
                            level.oid)] = f"{chosen:g}"
        self._apply_values(values)
        if chosen is not None:
            self._set_status(self.tr("Planned days pre-filled at the dose level chosen on the "
                                     "advice ({level} mg): check each day against the "
                                     "patient's diary and save.").format(level=f"{chosen:g}"))
        else:
            self._set_status(self.tr("Planned days of the patient's arm pre-filled: check "
                                     "each day against the patient's diary and save."))

    @Slot()
    def _on_advice_decided(self) -> None:
        """A decision on the dose advice was stored: reload the form keeping what was typed,
        then the chosen level fills the cycle's dose level and the daily doses."""
        pending = {k: v for k, v in self.buffer.values.items()
                   if self.buffer.knows(k) and self.buffer.item(k).is_entered}
        snapshot = self.service.open(*self.instance, day=self.day)
        self.buffer.reset(snapshot)
        self.presenter.fill()
        if self.advice_panel is not None:
            self.advice_panel.refresh({k.item_oid: v for k, v in snapshot.values.items()})
        values = {**snapshot.values, **pending}
        changes = {k: v for k, v in pending.items() if snapshot.values.get(k) != v}
        chosen = self._chosen_level()
        group = dosing_group(self.form)
        if chosen is not None and group is not None:
            text = f"{chosen:g}"
            changes.update({k: text for k in values if k.group_oid == group.oid
                            and k.item_oid.endswith(".DOSE")})
            changes.update({ValueKey(g.oid, 1, i.oid): text for g in self.form.item_groups
                            if not g.repeating for i in g.items
                            if i.oid.endswith(".LEVEL")})
        if changes:
            self._apply_values(changes)
        else:
            self._set_dirty(False)
            self._refresh()
        self._prefill_dosing()

    def _apply_values(self, values: Mapping[ValueKey, str]) -> None:
        """Put values (a draft, pre-filled rows) in the form as if typed, and check them."""
        for key, text in values.items():
            if not self.buffer.knows(key):
                continue
            try:
                canonical, messages = self.service.check_field(
                    self.form.oid, key, text, {**self.buffer.values, key: text})
            except ServiceError as exc:
                canonical, messages = None, [FieldMessage(key, "error", tr_message(exc))]
            self.buffer.set_value(key, canonical, text)
            self._messages[key] = list(messages)
        self.presenter.fill()
        self._set_dirty(True)
        self._refresh()

    def _commit(self, key: ValueKey, raw: str | None = None) -> None:
        """Check what the user typed in one field and show the result next to it."""
        if raw is None:
            row = self.view.rows[(key.group_oid, key.item_oid)]
            raw = row.field.raw_text()
        if raw == "":
            canonical, messages = None, []
        else:
            try:
                canonical, messages = self.service.check_field(
                    self.form.oid, key, raw, self.buffer.values)
            except ServiceError as exc:
                canonical, messages = None, [FieldMessage(key, "error", tr_message(exc))]
        self.buffer.set_value(key, canonical, raw)
        self._messages[key] = list(messages)
        self._form_messages = [m for m in self._form_messages
                               if m.key != key or m.check_oid not in FIELD_CHECKS]
        self.presenter.show_value(key)
        self._set_dirty(self.buffer.is_dirty())
        self._refresh(check_form=True)
        self.presenter.focus_revealed_field(key)
        if canonical is not None:
            self._prefill_limits(key)

    def site_lab_limits(self) -> dict[str, Limits]:
        """The normal ranges of the patient's site for the patient's sex (read once)."""
        if self._site_limits is None:
            try:
                patient = self.session.patients.get_patient(self.instance[0])
                self._site_limits = NormalRangeService(
                    self.session.db, self.session.actor).limits_for(patient.site_code,
                                                                    patient.sex)
            except ServiceError:
                self._site_limits = {}
        return self._site_limits

    def _prefill_limits(self, key: ValueKey) -> None:
        """A lab value entered with both limit fields empty: the site's range fills them."""
        test = lab_test_of(key.item_oid)
        if test is None or self.read_only_reason is not None:
            return
        keys = [ValueKey(key.group_oid, key.repeat, f"{key.item_oid}_{end}")
                for end in ("LLN", "ULN")]
        if not any(self.buffer.knows(k) for k in keys) or any(
                self.buffer.values.get(k) or k in self.buffer.invalid for k in keys):
            return
        limits = self.site_lab_limits().get(test)
        if limits is None:
            return
        values = {k: format(limit, "g") for k, limit in zip(keys, limits, strict=True)
                  if limit is not None and self.buffer.knows(k)}
        if values:
            self._apply_values(values)
            self._set_status(self.tr("Normal limits pre-filled from the site's lab normal "
                                     "ranges: check them against the lab report."))

    def _commit_pending(self) -> None:
        """Check the field being typed in before a save (Ctrl+S does not leave it)."""
        for (group_oid, item_oid), row in self.view.rows.items():
            pending = getattr(row.field, "is_pending", None)
            if callable(pending) and pending():
                self._commit(ValueKey(group_oid, 1, item_oid))
        for table in self.view.tables.values():
            table.commit_editor()

    def _refresh(self, check_form: bool = False) -> None:
        if self.read_only_reason is None:
            cleared = self.presenter.apply_visibility()
            for key in cleared:
                self._messages.pop(key, None)
            try:
                computed = self.service.computed_values(*self.instance, self.buffer.values,
                                                        day=self.day)
                if check_form:
                    found = self.service.check_form(*self.instance, self.buffer.values,
                                                    day=self.day)
                    self._form_messages = [
                        m for m in found
                        if m.check_oid not in FIELD_CHECKS and m.key not in self.buffer.invalid]
            except ServiceError as exc:
                self._set_status(tr_message(exc))
            else:
                self.buffer.set_computed(computed)
                self.presenter.show_computed(computed)
        else:
            self.presenter.apply_visibility()
        messages = [m for key_messages in self._messages.values() for m in key_messages]
        self.presenter.show_messages(messages + self._form_messages)
        self.presenter.show_grades(self.session.study.settings.ctcae.version,
                                   self.site_lab_limits())

    def _show_problems(self) -> None:
        self.view.problems_button.setChecked(True)

    def _reasons_for(self, keys: Sequence[ValueKey]) -> dict[ValueKey, str] | None:
        """Reasons for changed saved values: given ones, then one dialog for the rest."""
        reasons = {k: self.buffer.reasons[k] for k in keys if k in self.buffer.reasons}
        missing = [k for k in keys if k not in reasons]
        if not missing:
            return reasons
        requests = [ReasonRequest(
            key, self.presenter.field_name(key),
            self.presenter.display_value(key, self.buffer.snapshot.values.get(key)),
            self.presenter.display_value(key, self.buffer.values.get(key))) for key in missing]
        answer = self.ask_reasons(self.tr("Reason for change"), self.tr(
            "These values were saved before. Give the reason for each change (or one "
            "reason for all); it is recorded in the audit trail."), requests)
        if not answer:
            self._set_status(self.tr("Not saved: a reason for each change is needed."))
            return None
        reasons.update({k: v for k, v in answer.items() if isinstance(k, ValueKey)})
        return reasons

    def _after_save(self, snapshot: FormSnapshot, messages: Sequence[FieldMessage]) -> None:
        self.buffer.reset(snapshot)
        self._messages = {}
        self._form_messages = list(messages)
        self._last_draft = None
        self.service.discard_draft(*self.instance, day=self.day)
        self.view.show_banner("")
        self.presenter.fill()
        self._refresh()
        self._set_dirty(False)
        self._set_status(self.tr("Saved at {time}").format(
            time=datetime.now().strftime("%H:%M")))
        if self.response_panel is not None:
            self.response_panel.refresh()
        if self.advice_panel is not None:
            self.advice_panel.refresh({k.item_oid: v for k, v in snapshot.values.items()})
        self.saved.emit()

    def _show_validation(self, exc: ValidationError) -> None:
        """A refused save: every problem of the form next to its field and in the list."""
        try:
            self._form_messages = list(self.service.check_form(*self.instance,
                                                               self.buffer.values, day=self.day))
        except ServiceError:
            self._form_messages = []
        self._messages = {}
        known = {m.key for m in self._form_messages}
        for name, text in exc.fields.items():
            key = self.presenter.key_named(name)
            if key not in known:
                self._form_messages.append(FieldMessage(key, "error", text))
        self._refresh()
        self._set_status(self.tr("Not saved: {reason}").format(reason=tr_after_colon(exc)))
        self._show_problems()

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    def _set_status(self, text: str) -> None:
        self.view.status_label.setText(text)
        self.status_changed.emit(text)

    # ------------------------------------------------------------------ overrides

    def closeEvent(self, event: QCloseEvent) -> None:
        self._draft_timer.stop()
        super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.focus_first_field()
