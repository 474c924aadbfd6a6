"""The home screen: the user's "to do" list (see :mod:`ctrial_desktop.services.worklist`).

Grouped by category with counts, most urgent first: serious adverse events to report,
grade >= 3 lab values, overdue visits, queries, forms in progress, forms to sign. The
list is read in a worker; Enter or a double-click opens the patient at the form. A lab
line can be marked "not clinically significant" with a reason (audited).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.services.worklist import CATEGORIES, TodoItem, WorklistService
from ctrial_desktop.ui.reason_dialog import ReasonDialog
from ctrial_desktop.ui.session import UiSession
from ctrial_desktop.ui.workers import WorkerHandle, run_in_worker

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
URGENT = QColor("#b00020")


def _date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


class TodoView(QWidget):
    """The to-do list of the logged-in user.

    Signals:
        open_requested(int, str, int, str, int): patient id, event OID, event repeat, form
            OID, visit day of the form instance.
        loaded(int): the list was read, with this many items.
    """

    open_requested = Signal(int, str, int, str, int)
    loaded = Signal(int)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._service = WorklistService(session.db, session.actor, session.study)
        self._handle: WorkerHandle | None = None
        self.items: list[TodoItem] = []
        self._setup_ui()
        self.retranslateUi()

    def _setup_ui(self) -> None:
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        self.refresh_button = QPushButton()
        self.refresh_button.setAutoDefault(False)
        self.not_significant_button = QPushButton()
        self.not_significant_button.setAutoDefault(False)
        self.not_significant_button.setEnabled(False)
        self.open_button = QPushButton()
        self.open_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.not_significant_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addLayout(buttons)
        self.setFocusProxy(self.tree)
        self.tree.itemActivated.connect(self._on_activated)
        self.tree.currentItemChanged.connect(self._on_current_changed)
        self.refresh_button.clicked.connect(self.refresh)
        self.open_button.clicked.connect(self._open_current)
        self.not_significant_button.clicked.connect(self._on_not_significant)

    def retranslateUi(self) -> None:
        self.title_label.setText(self.tr("To do"))
        self.tree.setHeaderLabels([self.tr("Patient"), self.tr("What"), self.tr("Due or since"),
                                   self.tr("Site")])
        self.refresh_button.setText(self.tr("&Refresh"))
        self.open_button.setText(self.tr("&Open"))
        self.not_significant_button.setText(self.tr("Not clinically &significant…"))
        self.empty_label.setText(self.tr("Nothing to do: every form is up to date."))
        if self.items:
            self._fill(self.items)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    # ------------------------------------------------------------------ loading

    @Slot()
    def refresh(self) -> None:
        """Read the list again in a worker (the lines shown stay until it arrives)."""
        if self._handle is not None:
            self._handle.cancel()
        self.summary_label.setText(self.tr("Reading the list…"))
        service = self._service
        self._handle = run_in_worker(lambda _p, _c: service.items(),
                                     on_finished=self._on_items, on_failed=self._on_failed)

    @property
    def is_loading(self) -> bool:
        return self._handle is not None

    def _on_items(self, items: object) -> None:
        self._handle = None
        assert isinstance(items, list)
        self.items = items
        self._fill(items)
        self.loaded.emit(len(items))

    def _on_failed(self, error: object) -> None:
        self._handle = None
        self.summary_label.setText(self.tr("The list could not be read: {reason}").format(
            reason=error))

    # ------------------------------------------------------------------ showing

    def category_title(self, category: str) -> str:
        return {
            "sae": self.tr("Serious adverse events to report"),
            "lab": self.tr("Lab values of grade 3 or more"),
            "overdue": self.tr("Overdue visits"),
            "query": self.tr("Queries"),
            "in_progress": self.tr("Forms in progress"),
            "signature": self.tr("Forms to sign"),
        }[category]

    def describe(self, item: TodoItem) -> str:
        d = item.detail
        study = self._session.study
        form = study.form(item.form_oid).name.get(self._language()) if item.form_oid else ""
        if item.category == "sae":
            deadline = d.get("deadline", "")
            when = (dt.datetime.fromisoformat(deadline).strftime("%d/%m/%Y %H:%M")
                    if deadline else "")
            text = self.tr("{term} (grade {grade}, row {row}): report due {when}").format(
                term=d.get("term", ""), grade=d.get("grade", ""), row=d.get("row", ""),
                when=when)
            return text
        if item.category == "lab":
            if item.visit_day != 1:
                return self.tr("{term}: grade {grade} ({value}, {form}, cycle {cycle} day {day})"
                               ).format(term=d.get("term", ""), grade=d.get("grade", ""),
                                        value=d.get("value", ""), form=form,
                                        cycle=item.event_repeat, day=item.visit_day)
            return self.tr("{term}: grade {grade} ({value}, {form}, cycle {cycle})").format(
                term=d.get("term", ""), grade=d.get("grade", ""), value=d.get("value", ""),
                form=form, cycle=item.event_repeat)
        if item.category == "overdue":
            if "cycle" in d and "day" in d:
                return self.tr("Cycle {cycle} day {day}: {form}").format(
                    cycle=d["cycle"], day=d["day"], form=form)
            if "cycle" in d:
                return self.tr("Cycle {cycle} day 1").format(cycle=d["cycle"])
            return self.tr("Follow-up {number}").format(number=d.get("follow_up", ""))
        if item.category == "query":
            if d.get("status") == "answered":
                return self.tr("Query answered, to close: {form}").format(form=form)
            return self.tr("Query to answer: {form}").format(form=form)
        if item.category == "in_progress":
            if d.get("state") == "draft":
                return self.tr("Unsaved draft: {form}").format(form=form)
            return self.tr("Required items missing: {form}").format(form=form)
        return self.tr("{count} complete form(s) not signed").format(count=d.get("forms", ""))

    def _language(self) -> str:
        from PySide6.QtCore import QLocale

        return "fr" if QLocale().language() == QLocale.Language.French else "en"

    def _fill(self, items: list[TodoItem]) -> None:
        self.tree.clear()
        by_category: dict[str, list[TodoItem]] = {c: [] for c in CATEGORIES}
        for item in items:
            by_category[item.category].append(item)
        bold = QFont(self.tree.font())
        bold.setBold(True)
        first: QTreeWidgetItem | None = None
        for category in CATEGORIES:
            rows = by_category[category]
            if not rows:
                continue
            top = QTreeWidgetItem([f"{self.category_title(category)} ({len(rows)})"])
            top.setFont(0, bold)
            top.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            for item in rows:
                line = QTreeWidgetItem([item.patient_number, self.describe(item),
                                        _date(item.due), item.site_code])
                line.setData(0, ITEM_ROLE, item)
                if item.overdue or category in ("sae", "lab"):
                    line.setForeground(2, QBrush(URGENT))
                line.setToolTip(1, line.text(1))
                top.addChild(line)
                if first is None:
                    first = line
            top.setExpanded(True)
        counts = [self.tr("{category}: {count}").format(
            category=self.category_title(c).lower(), count=len(by_category[c]))
            for c in CATEGORIES if by_category[c]]
        self.summary_label.setText("; ".join(counts))
        self.tree.setVisible(bool(items))
        self.empty_label.setVisible(not items)
        if first is not None:
            self.tree.setCurrentItem(first)

    def current_item(self) -> TodoItem | None:
        current = self.tree.currentItem()
        data = current.data(0, ITEM_ROLE) if current is not None else None
        return data if isinstance(data, TodoItem) else None

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_current_changed(self, _current: QTreeWidgetItem | None,
                            _previous: QTreeWidgetItem | None) -> None:
        item = self.current_item()
        self.open_button.setEnabled(item is not None)
        self.not_significant_button.setEnabled(item is not None and item.category == "lab")

    @Slot(QTreeWidgetItem, int)
    def _on_activated(self, line: QTreeWidgetItem, _column: int) -> None:
        data = line.data(0, ITEM_ROLE)
        if isinstance(data, TodoItem):
            self._open(data)
        else:
            line.setExpanded(not line.isExpanded())

    @Slot()
    def _open_current(self) -> None:
        item = self.current_item()
        if item is not None:
            self._open(item)

    def _open(self, item: TodoItem) -> None:
        self.open_requested.emit(item.patient_id, item.event_oid, item.event_repeat,
                                 item.form_oid, item.visit_day)

    @Slot()
    def _on_not_significant(self) -> None:
        item = self.current_item()
        if item is None or item.category != "lab" or item.form_data_id is None:
            return
        service = self._service
        form_data_id = item.form_data_id

        def apply(reason: str, _password: str) -> None:
            service.mark_lab_not_significant(form_data_id, item.item_oid, item.group_repeat,
                                             reason)

        dialog = ReasonDialog(
            self.tr("Not clinically significant"),
            self.tr("Patient {number}: {what}. The value leaves the to-do list; the review "
                    "is kept in the audit trail.").format(number=item.patient_number,
                                                          what=self.describe(item)),
            self.tr("&Record"), apply, parent=self)
        self.review_dialog = dialog
        dialog.accepted.connect(self.refresh)
        dialog.open()
