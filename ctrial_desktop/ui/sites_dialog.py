"""Site management (administrators): list, create, activate and deactivate sites.

A new site is inactive: nobody can enter data there until an administrator
activates it (with a reason, audited).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.services.errors import ServiceError, ValidationError
from ctrial_desktop.services.users import SiteRow, SiteService
from ctrial_desktop.ui.field_messages import error_label, set_error
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.reason_dialog import ReasonDialog

#: (code, name, city) of a site named in the study definition.
StudySite = tuple[str, str, str]


class SitesDialog(QDialog):
    """The table of sites, a small form to add one, and activation with a reason.

    ``study_sites`` (from the study definition) can be created in one click.
    :attr:`reason_dialog` is the open activation dialog, if any.

    Signals: none besides those of :class:`QDialog`.
    """

    def __init__(self, sites: SiteService, study_sites: Sequence[StudySite] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sites = sites
        self._study_sites = list(study_sites)
        self._rows: list[SiteRow] = []
        self.reason_dialog: ReasonDialog | None = None
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.active_button = QPushButton()
        self.study_sites_button = QPushButton()
        self.message_label = error_label()
        row_buttons = QHBoxLayout()
        for button in (self.active_button, self.study_sites_button):
            button.setAutoDefault(False)
            row_buttons.addWidget(button)
        row_buttons.addStretch(1)
        self.code_edit = QLineEdit()
        self.code_edit.setMaxLength(3)
        self.name_edit = QLineEdit()
        self.city_edit = QLineEdit()
        self.create_button = QPushButton()
        self.create_button.setAutoDefault(False)  # Return in the fields creates, once
        self.errors = {key: error_label() for key in ("code", "name", "city")}
        self.labels: dict[str, QLabel] = {}
        self.new_box = QGroupBox()
        form = QFormLayout(self.new_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for key, edit in (("code", self.code_edit), ("name", self.name_edit),
                          ("city", self.city_edit)):
            label = QLabel()
            label.setBuddy(edit)
            self.labels[key] = label
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(edit)
            box.addWidget(self.errors[key])
            form.addRow(label, box)
        form.addRow("", self.create_button)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(row_buttons)
        layout.addWidget(self.message_label)
        layout.addWidget(self.new_box)
        layout.addWidget(self.buttons)
        self.resize(760, 560)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Sites"))
        self.info_label.setText(self.tr(
            "A new site is inactive: nobody can enter data there until an administrator "
            "activates it (for example after the site initiation visit)."))
        self.table.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Name"),
                                              self.tr("City"), self.tr("State")])
        self.study_sites_button.setText(self.tr("Create the &study's sites"))
        self.new_box.setTitle(self.tr("New site"))
        texts = {"code": self.tr("&Code:"), "name": self.tr("&Name:"), "city": self.tr("C&ity:")}
        for key, label in self.labels.items():
            label.setText(texts[key])
        self.code_edit.setPlaceholderText(self.tr("e.g. 03"))
        self.create_button.setText(self.tr("Create si&te"))
        self._update_buttons()
        self._fill()

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.active_button.clicked.connect(self._on_toggle_active)
        self.study_sites_button.clicked.connect(self._on_create_study_sites)
        self.create_button.clicked.connect(self._on_create)
        for edit in (self.code_edit, self.name_edit, self.city_edit):
            edit.returnPressed.connect(self._on_create)

    # -- data --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the sites, keeping the selection."""
        selected = self.selected_site()
        try:
            self._rows = self._sites.list_sites()
        except ServiceError as exc:
            set_error(self.message_label, tr_message(exc))
        self._fill()
        if selected is not None:
            self.select_site(selected.code)
        self._update_buttons()

    def _fill(self) -> None:
        self.table.setRowCount(len(self._rows))
        for r, row in enumerate(self._rows):
            state = self.tr("Active") if row.active else self.tr("Inactive")
            for c, text in enumerate((row.code, row.name, row.city, state)):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def missing_study_sites(self) -> list[StudySite]:
        existing = {row.code for row in self._rows}
        return [site for site in self._study_sites if site[0] not in existing]

    def selected_site(self) -> SiteRow | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model else []
        if not rows or rows[0].row() >= len(self._rows):
            return None
        return self._rows[rows[0].row()]

    def select_site(self, code: str) -> None:
        for r, row in enumerate(self._rows):
            if row.code == code:
                self.table.selectRow(r)
                return

    def _update_buttons(self) -> None:
        row = self.selected_site()
        self.active_button.setEnabled(row is not None)
        self.active_button.setText(self.tr("&Deactivate…") if row is not None and row.active
                                   else self.tr("&Activate…"))
        missing = len(self.missing_study_sites())
        self.study_sites_button.setVisible(bool(self._study_sites))
        self.study_sites_button.setEnabled(missing > 0)
        self.study_sites_button.setToolTip(
            self.tr("{count} site(s) of the study definition are not in the database yet.")
            .format(count=missing))

    # -- actions -----------------------------------------------------------------------
    @Slot()
    def _on_create(self) -> None:
        for label in [*self.errors.values(), self.message_label]:
            set_error(label, None)
        try:
            row = self._sites.create_site(self.code_edit.text(), self.name_edit.text(),
                                          self.city_edit.text())
        except ValidationError as exc:
            keys = [k for k in exc.fields if k in self.errors]
            for key in keys:
                set_error(self.errors[key], tr_message(exc))
            if not keys:
                set_error(self.message_label, tr_message(exc))
            return
        except ServiceError as exc:
            set_error(self.message_label, tr_message(exc))
            return
        for edit in (self.code_edit, self.name_edit, self.city_edit):
            edit.clear()
        self.refresh()
        self.select_site(row.code)
        self.code_edit.setFocus()

    @Slot()
    def _on_create_study_sites(self) -> None:
        set_error(self.message_label, None)
        try:
            for code, name, city in self.missing_study_sites():
                self._sites.create_site(code, name, city)
        except ServiceError as exc:
            set_error(self.message_label, tr_message(exc))
        self.refresh()

    @Slot()
    def _on_toggle_active(self) -> None:
        row = self.selected_site()
        if row is None:
            return
        activate = not row.active
        if activate:
            title = self.tr("Activate site {code}").format(code=row.code)
            message = self.tr("Site {code} ({name}) will be able to enrol patients and enter "
                              "data.").format(code=row.code, name=row.name)
            action = self.tr("&Activate")
        else:
            title = self.tr("Deactivate site {code}").format(code=row.code)
            message = self.tr("Site {code} ({name}) will no longer be able to enter data. "
                              "Its data are kept and stay visible.").format(
                code=row.code, name=row.name)
            action = self.tr("&Deactivate")
        self.reason_dialog = ReasonDialog(
            title, message, action,
            lambda reason, _pw: self._sites.set_active(row.code, activate, reason), parent=self)
        self.reason_dialog.accepted.connect(self.refresh)
        self.reason_dialog.open()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
