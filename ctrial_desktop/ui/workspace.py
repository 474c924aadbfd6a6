"""The patient workspace: header always visible, visit tree left, form outline right."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QItemSelection, QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.services.patients import PatientRow
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.study.model import Arm
from ctrial_desktop.ui.clinical_summary import ClinicalSummaryPanel
from ctrial_desktop.ui.form_outline import FormOutlinePanel
from ctrial_desktop.ui.forms import FormEditor
from ctrial_desktop.ui.i18n import tr_after_colon, tr_message
from ctrial_desktop.ui.icons import icon
from ctrial_desktop.ui.patient_list_model import status_icon_name, status_label
from ctrial_desktop.ui.session import UiSession
from ctrial_desktop.ui.visit_tree import (
    FormStateKind,
    VisitNode,
    VisitTreeModel,
    study_language,
)


class PatientWorkspace(QWidget):
    """One patient: header (number, initials, sex, age, status, arm), visits and forms.

    Signals:
        form_selected(str, int, str, int): event OID, event repeat, form OID and visit
            day (the cycle day of a form due on several days, 1 otherwise) of the form
            the user selected in the visit tree.
        form_open_requested(int, str, int, str, int): patient id, event OID, event
            repeat, form OID and visit day of the form the user opened (Enter or
            double-click); the workspace opens it in the form editor on its right.
        status_message(str): what the open form editor reports ("Saved at 14:32").
    """

    form_selected = Signal(str, int, str, int)
    form_open_requested = Signal(int, str, int, str, int)
    status_message = Signal(str)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._patient: PatientRow | None = None
        self.editor: FormEditor | None = None
        self._language = study_language()
        self.tree_model = VisitTreeModel(self)
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        self.header = QFrame()
        self.header.setFrameShape(QFrame.Shape.StyledPanel)
        self.number_label = QLabel()
        font = self.number_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.number_label.setFont(font)
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label = QLabel()
        self.status_icon_label = QLabel()
        self.status_label = QLabel()
        self.arm_label = QLabel()
        self.arm_label.setWordWrap(True)
        header_layout = QHBoxLayout(self.header)
        header_layout.addWidget(self.number_label)
        header_layout.addSpacing(12)
        header_layout.addWidget(self.details_label)
        header_layout.addSpacing(12)
        header_layout.addWidget(self.status_icon_label)
        header_layout.addWidget(self.status_label)
        header_layout.addSpacing(12)
        header_layout.addWidget(self.arm_label, 1)
        self.print_button = QPushButton(self.tr("Print &casebook…"))
        self.print_button.setToolTip(self.tr("The patient's casebook as PDF (preview, print, "
                                             "save)"))
        self.print_button.setVisible(self._session.actor.can(Action.REPORTS))
        header_layout.addWidget(self.print_button)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()

        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setAccessibleName(self.tr("Visits and forms"))
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.outline = FormOutlinePanel(self._session.study)
        self.form_stack = QStackedWidget()
        self.form_stack.addWidget(self.outline)
        self.summary: ClinicalSummaryPanel | None = None
        self.right_tabs = QTabWidget()
        self.right_tabs.addTab(self.form_stack, self.tr("&Form"))
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.right_tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.error_label)
        layout.addWidget(self.splitter, 1)
        self.setFocusProxy(self.tree)

    def _connect_signals(self) -> None:
        self.tree.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.tree.activated.connect(self._on_activated)
        self.print_button.clicked.connect(self._on_print_casebook)

    # ------------------------------------------------------------------ API

    @property
    def patient(self) -> PatientRow | None:
        return self._patient

    def current_node(self) -> VisitNode | None:
        """The form (or visit) row selected in the tree, if any."""
        index = self.tree.currentIndex()
        return self.tree_model.node(index) if index.isValid() else None

    def can_leave(self) -> bool:
        """Close the open form editor, asking first when it has unsaved changes."""
        if self.editor is None:
            return True
        if not self.editor.maybe_close():
            return False
        self._drop_editor()
        return True

    def _drop_editor(self) -> None:
        if self.editor is not None:
            self.form_stack.removeWidget(self.editor)
            self.editor.deleteLater()
            self.editor = None
        self.form_stack.setCurrentWidget(self.outline)

    def open_form(self, event_oid: str, event_repeat: int, form_oid: str,
                  day: int | None = None) -> bool:
        """Open a form of the current patient in the editor; False when refused. ``day``
        names the instance of a form due on several days of the visit (None: the first)."""
        if self._patient is None or not self.can_leave():
            return False
        try:
            editor = FormEditor(self._session, self._session.forms, self._patient.id,
                                event_oid, event_repeat, form_oid, self, language=self._language,
                                day=day)
        except ServiceError as exc:
            self.error_label.setText(self.tr("Cannot open the form: {reason}").format(
                reason=tr_after_colon(exc)))
            self.error_label.show()
            return False
        self.error_label.hide()
        editor.saved.connect(self._on_form_saved)
        editor.next_form_requested.connect(self._on_next_form)
        editor.status_changed.connect(self.status_message)
        self._drop_editor()
        self._select_quietly(event_oid, event_repeat, form_oid, day)
        self.editor = editor
        self.form_stack.addWidget(editor)
        self.form_stack.setCurrentWidget(editor)
        self.right_tabs.setCurrentWidget(self.form_stack)
        editor.focus_first_field()
        return True

    def _select_quietly(self, event_oid: str, event_repeat: int, form_oid: str,
                        day: int | None) -> None:
        """Show the form being opened as the tree's selection (a form opened from the to-do
        or query list), without the selection's own effect of showing its outline."""
        selection = self.tree.selectionModel()
        selection.blockSignals(True)
        try:
            found = self.select_form(event_oid, event_repeat, form_oid, day)
        finally:
            selection.blockSignals(False)
        if found:
            self.tree.scrollTo(self.tree.currentIndex())
            self.tree.viewport().update()

    def reload_states(self) -> None:
        """Re-read the form states of the patient (after a save), keeping the selection."""
        if self._patient is None:
            return
        current = self.tree.currentIndex()
        node = self.tree_model.node(current) if current.isValid() else None
        try:
            states = self._session.patients.form_states(self._patient.id)
            queries = self._session.review.open_query_counts(self._patient.id)
            excluded = self._session.forms.not_applicable(self._patient.id)
        except ServiceError as exc:
            self.status_message.emit(tr_message(exc))
            return
        self.tree.selectionModel().blockSignals(True)
        self.tree_model.load(self._session.study, states, self._language, queries,
                             excluded)
        self._expand_current_visit()
        if node is not None and node.form_oid is not None:
            self.select_form(node.event_oid, node.event_repeat, node.form_oid, node.visit_day)
        self.tree.selectionModel().blockSignals(False)

    def show_patient(self, patient_id: int) -> bool:
        """Load the patient and its form states; False (message shown) when refused."""
        if not self.can_leave():
            return False
        try:
            patient = self._session.patients.get_patient(patient_id)
            states = self._session.patients.form_states(patient_id)
            queries = self._session.review.open_query_counts(patient_id)
            excluded = self._session.forms.not_applicable(patient_id)
        except ServiceError as exc:
            self.error_label.setText(self.tr("Cannot open the patient: {reason}").format(
                reason=tr_after_colon(exc)))
            self.error_label.show()
            return False
        self.error_label.hide()
        self._patient = patient
        self._fill_header(patient)
        self.tree_model.load(self._session.study, states, self._language, queries,
                             excluded)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._expand_current_visit()
        self.outline.clear()
        self._show_summary(patient.id)
        return True

    def _show_summary(self, patient_id: int) -> None:
        """The clinical summary tab (response, dose intensity, dose advice) of the patient."""
        if self.summary is not None:
            self.right_tabs.removeTab(self.right_tabs.indexOf(self.summary))
            self.summary.deleteLater()
        self.summary = ClinicalSummaryPanel(self._session, patient_id)
        self.right_tabs.addTab(self.summary, self.tr("Clinical &summary"))
        self.right_tabs.setCurrentWidget(self.form_stack)

    def splitter_state(self) -> QByteArray:
        return self.splitter.saveState()

    def restore_splitter_state(self, state: QByteArray) -> None:
        self.splitter.restoreState(state)

    def select_form(self, event_oid: str, event_repeat: int, form_oid: str,
                    day: int | None = None) -> bool:
        """Select a form row of the tree (as a click would); ``day`` as for :meth:`open_form`."""
        index = self.tree_model.index_of(event_oid, event_repeat, form_oid, day)
        if not index.isValid():
            return False
        self.tree.expand(index.parent())
        self.tree.setCurrentIndex(index)
        return True

    def select_next_form(self, step: int = 1) -> bool:
        """Move the selection to the next (``step`` 1) or previous (-1) form of the tree."""
        forms = [self.tree_model.index(f, 0, self.tree_model.index(e, 0))
                 for e in range(self.tree_model.rowCount())
                 for f in range(self.tree_model.rowCount(self.tree_model.index(e, 0)))]
        if not forms:
            return False
        current = self.tree.currentIndex().siblingAtColumn(0)
        if current in forms:
            position = forms.index(current) + step
        elif current.isValid() and self.tree_model.node(current) is not None:
            position = next((i for i, f in enumerate(forms) if f.parent() == current), 0)
            position = position if step > 0 else position - 1
        else:
            position = 0 if step > 0 else len(forms) - 1
        if not 0 <= position < len(forms):
            return False
        self.tree.expand(forms[position].parent())
        self.tree.setCurrentIndex(forms[position])
        return True

    def arm_of(self, patient: PatientRow) -> Arm | None:
        """The patient's arm in the study definition (stored as code or letter)."""
        if not patient.arm:
            return None
        for arm in self._session.study.arms:
            if patient.arm in (arm.code, arm.letter):
                return arm
        return None

    # ------------------------------------------------------------------ helpers

    def _fill_header(self, patient: PatientRow) -> None:
        self.number_label.setText(self.tr("Patient {number}").format(
            number=patient.patient_number))
        sex = {"F": self.tr("female"), "M": self.tr("male")}.get(patient.sex, patient.sex)
        parts = [patient.initials, sex]
        if patient.age is not None:
            parts.append(self.tr("{age} years").format(age=patient.age))
        parts.append(self.tr("site {site}").format(site=patient.site_code))
        self.details_label.setText(" · ".join(parts))
        self.status_icon_label.setPixmap(icon(status_icon_name(patient.status)).pixmap(16, 16))
        self.status_label.setText(status_label(patient.status))
        arm = self.arm_of(patient)
        if arm is not None:
            self.arm_label.setText(self.tr("Arm {letter} · {code}").format(
                letter=arm.letter, code=arm.code))
            self.arm_label.setToolTip(arm.regimen.get(self._language))
        else:
            self.arm_label.setText(self.tr("Not randomized") if not patient.arm
                                   else self.tr("Arm {code}").format(code=patient.arm))
            self.arm_label.setToolTip("")

    def _expand_current_visit(self) -> None:
        """Expand the first visit not yet complete (and any with an open query)."""
        done = {FormStateKind.COMPLETE, FormStateKind.VERIFIED, FormStateKind.SIGNED,
                FormStateKind.LOCKED}
        current_found = False
        for row in range(self.tree_model.rowCount()):
            index = self.tree_model.index(row, 0)
            node = self.tree_model.node(index)
            if node is None:
                continue
            if node.state is FormStateKind.QUERY_OPEN:
                self.tree.expand(index)
            elif not current_found and node.state not in done:
                self.tree.expand(index)
                self.tree.setCurrentIndex(index)
                current_found = True

    def _visit_title(self, index: QModelIndex) -> str:
        parent = index.parent() if index.parent().isValid() else index
        return str(parent.siblingAtColumn(0).data())

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_print_casebook(self) -> None:
        """The patient's casebook, generated at once in the report preview."""
        if self._patient is None:
            return
        from ctrial_desktop.ui.report_dialog import ReportDialog

        dialog = ReportDialog(self._session, self, kind="casebook",
                              patient_id=self._patient.id, generate_now=True)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        node: VisitNode | None = self.tree_model.node(indexes[0]) if indexes else None
        if self.editor is not None:
            if self.editor.is_dirty():
                return  # the open form keeps the right side until it is saved or closed
            self._drop_editor()
        if node is None or node.form_oid is None:
            self.outline.clear()
            return
        self.outline.show_form(node, self._visit_title(indexes[0]), self._language)
        self.form_selected.emit(node.event_oid, node.event_repeat, node.form_oid,
                                node.visit_day)

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        node = self.tree_model.node(index)
        if node is None or self._patient is None:
            return
        if node.form_oid is None:
            self.tree.setExpanded(index, not self.tree.isExpanded(index))
            return
        self.form_open_requested.emit(self._patient.id, node.event_oid, node.event_repeat,
                                      node.form_oid, node.visit_day)
        self.open_form(node.event_oid, node.event_repeat, node.form_oid, node.visit_day)

    @Slot()
    def _on_form_saved(self) -> None:
        self.reload_states()
        if self.summary is not None:
            self.summary.refresh()

    @Slot()
    def _on_next_form(self) -> None:
        if self.editor is not None and self.editor.is_dirty():
            return
        self._drop_editor()
        if self.select_next_form(1):
            node = self.tree_model.node(self.tree.currentIndex())
            if node is not None and node.form_oid is not None:
                self.open_form(node.event_oid, node.event_repeat, node.form_oid, node.visit_day)
