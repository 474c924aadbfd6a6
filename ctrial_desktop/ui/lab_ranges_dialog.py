"""Tools > Lab normal ranges…: the normal limits of each site's laboratory.

Data managers edit the table in place (LLN, ULN, unit of a range; a new row for a test
and sex not listed yet), then save every changed row with one reason (audited); a range
can be withdrawn with a reason. Other users of a site see its table read-only. Each
edited row is checked as it is typed (numbers, LLN below ULN, unit required): the bad
cell turns red and the message under the table names the row.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, Qt, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.services.errors import ServiceError, ValidationError
from ctrial_desktop.services.normal_ranges import (
    LAB_TESTS,
    SEXES,
    NormalRange,
    NormalRangeService,
    validate_range,
)
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.services.users import SiteService
from ctrial_desktop.ui.field_messages import error_label, set_error
from ctrial_desktop.ui.i18n import tr_after_colon, tr_message
from ctrial_desktop.ui.reason_dialog import ReasonDialog

TEST, SEX, LLN, ULN, UNIT = range(5)
_FIELD_COLUMN = {"test": TEST, "sex": SEX, "lln": LLN, "uln": ULN, "unit": UNIT}


def _limit_text(limit: str | None) -> str:
    """A stored limit (``1.5``) with the locale's decimal mark (``1,5`` in French)."""
    return (limit or "").replace(".", QLocale().decimalPoint())
_PENDING = QColor("#fff4c2")
_BAD = QColor("#f8d0d6")


class LabRangesDialog(QDialog):
    """Per-site table test / sex / LLN / ULN / unit (see the module docstring).

    :attr:`reason_dialog` is the open save or withdraw dialog, if any.

    Signals: none besides those of :class:`QDialog`.
    """

    def __init__(self, ranges: NormalRangeService, sites: SiteService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = ranges
        actor = ranges.actor
        self._sites = [(s.code, s.name) for s in sites.list_sites()
                       if actor.can(Action.MANAGE_LAB_RANGES, s.code)
                       or actor.can(Action.VIEW_PATIENTS, s.code)]
        self._rows: list[NormalRange] = []
        self._pending: set[int] = set()
        self._errors: dict[int, tuple[int, str]] = {}
        self._filling = False
        self.reason_dialog: ReasonDialog | None = None
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    # -- layout ------------------------------------------------------------------------
    def _setup_ui(self) -> None:
        self.site_label = QLabel()
        self.site_combo = QComboBox()
        for code, name in self._sites:
            self.site_combo.addItem(f"{code} - {name}", code)
        self.site_label.setBuddy(self.site_combo)
        top = QHBoxLayout()
        top.addWidget(self.site_label)
        top.addWidget(self.site_combo, 1)
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.message_label = error_label()
        self.add_button = QPushButton()
        self.withdraw_button = QPushButton()
        self.save_button = QPushButton()
        buttons = QHBoxLayout()
        for button in (self.add_button, self.withdraw_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.save_button.setAutoDefault(False)
        buttons.addWidget(self.save_button)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.info_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)
        layout.addWidget(self.buttons)
        self.resize(640, 560)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Lab normal ranges"))
        self.site_label.setText(self.tr("&Site:"))
        self.table.setHorizontalHeaderLabels([self.tr("Test"), self.tr("Sex"), self.tr("LLN"),
                                              self.tr("ULN"), self.tr("Unit")])
        self.add_button.setText(self.tr("&Add a range"))
        self.withdraw_button.setText(self.tr("&Withdraw…"))
        self.save_button.setText(self.tr("Sa&ve changes…"))
        self._update_state()

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)
        self.site_combo.currentIndexChanged.connect(self.refresh)
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.itemSelectionChanged.connect(self._update_state)
        self.add_button.clicked.connect(self.add_row)
        self.withdraw_button.clicked.connect(self._on_withdraw)
        self.save_button.clicked.connect(self._on_save)

    # -- data --------------------------------------------------------------------------
    def site_code(self) -> str | None:
        code = self.site_combo.currentData()
        return str(code) if code is not None else None

    def editable(self) -> bool:
        code = self.site_code()
        return code is not None and self._service.can_edit(code)

    def _sex_text(self, sex: str) -> str:
        return {"": self.tr("both"), "M": self.tr("male"), "F": self.tr("female")}[sex]

    @Slot()
    def refresh(self) -> None:
        """Reload the site's ranges; unsaved edits are dropped."""
        set_error(self.message_label, None)
        code = self.site_code()
        self._rows = []
        if code is not None:
            try:
                self._rows = self._service.list_ranges(code)
            except ServiceError as exc:
                set_error(self.message_label, tr_message(exc))
        self._pending.clear()
        self._errors.clear()
        self._filling = True
        self.table.setRowCount(0)
        self.table.setRowCount(len(self._rows))
        for r, row in enumerate(self._rows):
            texts = (row.test, self._sex_text(row.sex), _limit_text(row.lln),
                     _limit_text(row.uln), row.unit)
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if c in (TEST, SEX) or not self.editable():
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self._filling = False
        self._update_state()

    @Slot()
    def add_row(self) -> None:
        """A new editable row: test and sex are chosen in lists."""
        if not self.editable():
            return
        r = self.table.rowCount()
        self._filling = True
        self.table.insertRow(r)
        test_combo, sex_combo = QComboBox(), QComboBox()
        test_combo.addItems(list(LAB_TESTS))
        for sex in SEXES:
            sex_combo.addItem(self._sex_text(sex), sex)
        self.table.setCellWidget(r, TEST, test_combo)
        self.table.setCellWidget(r, SEX, sex_combo)
        for c in (LLN, ULN, UNIT):
            self.table.setItem(r, c, QTableWidgetItem(""))
        self._filling = False
        test_combo.currentIndexChanged.connect(lambda _i, row=r: self._mark(row))
        sex_combo.currentIndexChanged.connect(lambda _i, row=r: self._mark(row))
        self._mark(r)
        self.table.setCurrentCell(r, LLN)
        self.table.editItem(self.table.item(r, LLN))

    def row_values(self, r: int) -> tuple[str, str, str, str, str]:
        """Test, sex code, LLN, ULN and unit of a table row as typed."""
        if r < len(self._rows):
            test, sex = self._rows[r].test, self._rows[r].sex
        else:
            test_combo = self.table.cellWidget(r, TEST)
            sex_combo = self.table.cellWidget(r, SEX)
            assert isinstance(test_combo, QComboBox) and isinstance(sex_combo, QComboBox)
            test, sex = test_combo.currentText(), str(sex_combo.currentData())
        cells = [self.table.item(r, c) for c in (LLN, ULN, UNIT)]
        lln, uln, unit = (cell.text() if cell is not None else "" for cell in cells)
        return test, sex, lln, uln, unit

    @Slot(QTableWidgetItem)
    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if not self._filling:
            self._mark(item.row())

    def _mark(self, r: int) -> None:
        """Row ``r`` was edited: check it and colour it."""
        self._pending.add(r)
        self._errors.pop(r, None)
        try:
            test, sex, lln, uln, unit = self.row_values(r)
            validate_range(test, sex, lln, uln, unit)
        except ValidationError as exc:
            field = next(iter(exc.fields), "lln")
            self._errors[r] = (_FIELD_COLUMN.get(field, LLN), tr_message(exc))
        self._paint(r)
        self._update_state()

    def _paint(self, r: int) -> None:
        self._filling = True
        bad = self._errors.get(r)
        for c in (LLN, ULN, UNIT):
            item = self.table.item(r, c)
            if item is None:
                continue
            colour = _BAD if bad is not None and bad[0] == c else _PENDING
            item.setBackground(QBrush(colour))
            item.setToolTip(bad[1] if bad is not None and bad[0] == c else "")
        self._filling = False

    def _update_state(self) -> None:
        editable = self.editable()
        for button in (self.add_button, self.withdraw_button, self.save_button):
            button.setVisible(editable)
        selected = self.table.currentRow()
        self.withdraw_button.setEnabled(0 <= selected < len(self._rows)
                                        and selected not in self._pending)
        self.save_button.setEnabled(bool(self._pending) and not self._errors)
        if self._errors:
            r, (_c, message) = min(self._errors.items())
            test = self.row_values(r)[0]
            set_error(self.message_label, self.tr("Row {row} ({test}): {message}").format(
                row=r + 1, test=test, message=message))
        elif self.message_label.isVisible() and self._pending:
            set_error(self.message_label, None)
        if self.site_code() is None:
            self.info_label.setText(self.tr("You have no site whose ranges you may see."))
        elif editable:
            self.info_label.setText(self.tr(
                "Limits used to grade lab values (CTCAE) when a form has none of its own; a "
                "range for one sex comes before the range for both. Edit the cells, then "
                "save the changes with a reason."))
        else:
            self.info_label.setText(self.tr(
                "Read only: the data managers keep the normal ranges of the sites."))

    # -- actions -----------------------------------------------------------------------
    def _save(self, reason: str) -> None:
        code = self.site_code()
        if code is None:
            return
        if not reason.strip():
            raise ValidationError(self.tr("A reason is required for this change."),
                                  {"reason": "required"})
        for r in sorted(self._pending):
            test, sex, lln, uln, unit = self.row_values(r)
            try:
                self._service.set_range(code, test, sex, lln, uln, unit, reason)
            except ValidationError as exc:
                raise ValidationError(self.tr("Row {row} ({test}): {message}").format(
                    row=r + 1, test=test, message=tr_after_colon(exc)), {}) from None

    @Slot()
    def _on_save(self) -> None:
        if not self._pending or self._errors:
            return
        count = len(self._pending)
        self.reason_dialog = ReasonDialog(
            self.tr("Save normal ranges"),
            self.tr("{count} range(s) of site {code} will change; lab values without limits "
                    "of their own are graded with them from now on.").format(
                count=count, code=self.site_code()),
            self.tr("&Save"), lambda reason, _pw: self._save(reason), parent=self)
        self.reason_dialog.accepted.connect(self.refresh)
        self.reason_dialog.open()

    @Slot()
    def _on_withdraw(self) -> None:
        r = self.table.currentRow()
        if not 0 <= r < len(self._rows):
            return
        row = self._rows[r]
        self.reason_dialog = ReasonDialog(
            self.tr("Withdraw a normal range"),
            self.tr("The {test} range ({sex}) of site {code} will no longer be used; values "
                    "are then graded with another range or are not gradable.").format(
                test=row.test, sex=self._sex_text(row.sex), code=row.site_code),
            self.tr("&Withdraw"), lambda reason, _pw: self._service.deactivate(row.id, reason),
            parent=self)
        self.reason_dialog.accepted.connect(self.refresh)
        self.reason_dialog.open()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
            self.refresh()
        super().changeEvent(event)
