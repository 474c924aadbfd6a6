"""Dose advice above a cycle's dosing form, with Accept and Override….

The advisor's proposal for the form's drug at the start of the cycle (give, delay,
interrupt, reduce to a level, discontinue) and the rule that fired, computed from the
latest haematology, open adverse events and dose levels; then the decision stored in the
form, if any. Accept stores the proposal as decided; Override… asks the level and the
reason. Both go through :class:`~ctrial_desktop.services.dose_decisions.DoseDecisionService`
(audited) and emit :attr:`DoseAdvicePanel.decided` so that the editor pre-fills the level.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.domain.dosing import Action as DoseAction
from ctrial_desktop.domain.dosing import DrugAdvice
from ctrial_desktop.services.dose_decisions import DoseDecisionService
from ctrial_desktop.services.errors import ServiceError, ValidationError
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.ui.field_messages import (
    error_label,
    field_box,
    form_dialog_layout,
    ok_cancel,
    set_error,
)
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.session import UiSession


class OverrideAdviceDialog(QDialog):
    """The level to give instead of the proposal, and why (applied by the service).

    Signals: none besides those of :class:`QDialog`.
    """

    def __init__(self, service: DoseDecisionService, patient_id: int, cycle: int, drug: str,
                 levels: tuple[float, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._apply = (service, patient_id, cycle, drug)
        self.level_combo = QComboBox()
        for level in levels:
            self.level_combo.addItem(f"{level:g} mg", f"{level:g}")
        self.level_combo.addItem(self.tr("no dose this cycle"), "")
        self.reason_edit = QLineEdit()
        self.level_error = error_label()
        self.reason_error = error_label()
        self.general_error = error_label()
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.level_label = QLabel()
        self.level_label.setBuddy(self.level_combo)
        self.reason_label = QLabel()
        self.reason_label.setBuddy(self.reason_edit)
        form = QFormLayout()
        form.addRow(self.level_label, field_box(self.level_combo, self.level_error))
        form.addRow(self.reason_label, field_box(self.reason_edit, self.reason_error))
        self.buttons, self.ok_button = ok_cancel()
        form_dialog_layout(self, self.message_label, form, self.general_error, self.buttons, 440)
        self.buttons.accepted.connect(self._on_apply)
        self.buttons.rejected.connect(self.reject)
        self.retranslateUi()
        self.reason_edit.setFocus()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Override the dose advice"))
        self.message_label.setText(self.tr(
            "The proposal and your decision are both kept in the form and the audit trail."))
        self.level_label.setText(self.tr("&Dose level to give:"))
        self.reason_label.setText(self.tr("&Reason:"))
        self.reason_edit.setPlaceholderText(self.tr("Why the advice is not followed"))
        self.ok_button.setText(self.tr("&Override"))

    @Slot()
    def _on_apply(self) -> None:
        for label in (self.level_error, self.reason_error, self.general_error):
            set_error(label, None)
        service, patient_id, cycle, drug = self._apply
        try:
            service.decide(patient_id, cycle, drug, accept=False,
                           level_mg=self.level_combo.currentData(),
                           reason=self.reason_edit.text())
        except ValidationError as exc:
            target = self.reason_error if "reason" in exc.fields else (
                self.level_error if "level" in exc.fields else self.general_error)
            set_error(target, tr_message(exc))
            return
        except ServiceError as exc:
            set_error(self.general_error, tr_message(exc))
            return
        self.accept()


class DoseAdvicePanel(QFrame):
    """The proposal for one drug at the start of a cycle and the decision on it.

    Signals:
        decided(): a decision was stored; the editor reloads the form and pre-fills.
    """

    decided = Signal()

    def __init__(self, session: UiSession, patient_id: int, cycle: int, drug: str,
                 values: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = DoseDecisionService(session.db, session.actor, session.study)
        self._session = session
        self._patient_id = patient_id
        self._cycle = cycle
        self._drug = drug
        self._values = values
        self._advice: DrugAdvice | None = None
        self._error = ""
        self.override_dialog: OverrideAdviceDialog | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("doseAdvicePanel")
        self.setStyleSheet("#doseAdvicePanel { background: #eef4fb; }")
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.proposal_label = self._label()
        self.rules_label = self._label()
        self.decision_label = self._label()
        self.accept_button = QPushButton()
        self.override_button = QPushButton()
        for button in (self.accept_button, self.override_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.decision_label, 1)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.override_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(3)
        for widget in (self.title_label, self.proposal_label, self.rules_label):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.accept_button.clicked.connect(self._on_accept)
        self.override_button.clicked.connect(self._on_override)
        may = session.actor.can(Action.ENTER_DATA)
        self.accept_button.setVisible(may)
        self.override_button.setVisible(may)
        self.refresh(values)

    @staticmethod
    def _label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def refresh(self, values: dict[str, str]) -> None:
        """Compute the proposal again; ``values`` are the form's stored values by item."""
        self._values = values
        try:
            self._advice = self._service.proposal(self._patient_id, self._drug, self._cycle)
            self._error = ""
        except ServiceError as exc:
            self._advice, self._error = None, tr_message(exc)
        self._show()

    def _action_words(self, action: DoseAction) -> str:
        return {DoseAction.GIVE: self.tr("give"), DoseAction.REDUCE: self.tr("reduce"),
                DoseAction.DELAY: self.tr("delay the cycle"),
                DoseAction.INTERRUPT: self.tr("interrupt"),
                DoseAction.DISCONTINUE: self.tr("discontinue")}[action]

    def _drug_name(self) -> str:
        return self.tr("pomalidomide") if self._drug == "pomalidomide" else \
            self.tr("dexamethasone")

    def _show(self) -> None:
        self.title_label.setText(self.tr("Dose advice for {drug}, cycle {cycle}").format(
            drug=self._drug_name(), cycle=self._cycle))
        advice = self._advice
        if advice is None:
            self.proposal_label.setText(self._error or self.tr(
                "No advice: the treatment has ended."))
            self.rules_label.hide()
        else:
            level = self.tr("{level} mg").format(level=f"{advice.next_level_mg:g}") \
                if advice.next_level_mg is not None else self.tr("no dose")
            self.proposal_label.setText(self.tr("Proposed: {action}, dose level {level}.")
                                        .format(action=self._action_words(advice.action),
                                                level=level))
            self.rules_label.setText("\n".join(f"• {tr_message(rule)}" for rule in advice.rules))
            self.rules_label.setVisible(bool(advice.rules))
        prefix = "I.POM" if self._drug == "pomalidomide" else "I.DEX"
        decision = self._values.get(f"{prefix}.ADV_DECISION")
        chosen = self._values.get(f"{prefix}.ADV_CHOSEN")
        chosen_text = self.tr("{level} mg").format(level=chosen) if chosen else \
            self.tr("no dose")
        if decision == "ACCEPTED":
            self.decision_label.setText(self.tr("Decision: advice accepted ({level}).").format(
                level=chosen_text))
        elif decision == "OVERRIDDEN":
            self.decision_label.setText(self.tr(
                "Decision: advice overridden, {level} given instead: {reason}").format(
                level=chosen_text, reason=self._values.get(f"{prefix}.ADV_REASON", "")))
        else:
            self.decision_label.setText(self.tr("No decision yet."))
        self.accept_button.setText(self.tr("&Accept"))
        self.override_button.setText(self.tr("O&verride…"))
        self.accept_button.setEnabled(advice is not None)
        self.override_button.setEnabled(advice is not None)

    @Slot()
    def _on_accept(self) -> None:
        try:
            self._service.decide(self._patient_id, self._cycle, self._drug, accept=True)
        except ServiceError as exc:
            self.decision_label.setText(tr_message(exc))
            return
        self.decided.emit()

    @Slot()
    def _on_override(self) -> None:
        levels = self._service.clinical.dose_rules.levels(self._drug)
        self.override_dialog = OverrideAdviceDialog(self._service, self._patient_id,
                                                    self._cycle, self._drug, levels, self)
        self.override_dialog.accepted.connect(self.decided)
        self.override_dialog.open()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._show()
        super().changeEvent(event)
