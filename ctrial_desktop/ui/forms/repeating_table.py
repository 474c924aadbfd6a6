"""A repeating item group as a spreadsheet: one row per repeat, one column per item.

Arrows move between cells, typing starts editing, Enter moves down (and adds a
row on the last one), Tab moves right, Delete asks to remove the row. Coded
columns show the decode and edit through a combo box that filters as you type.
The table only shows values and reports what the user did; the form editor
checks and stores them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.study.model import ItemGroup
from ctrial_desktop.ui.forms.fields import (
    CODED_TYPES,
    choices_for,
    display_text,
    match_code,
    unit_text,
)
from ctrial_desktop.ui.i18n import current_language

CODE_ROLE = Qt.ItemDataRole.UserRole
_APPLICABLE_ROLE = Qt.ItemDataRole.UserRole + 1
_DISABLED = QColor(0, 0, 0, 20)
_ERROR_BACKGROUND = QColor(176, 0, 32, 40)
_WARNING_BACKGROUND = QColor(230, 160, 0, 60)


class _CellDelegate(QStyledItemDelegate):
    """Edits coded columns with a filtering combo box, other columns with a line edit."""

    def __init__(self, choices: Mapping[int, list[tuple[str, str]]], parent: QObject) -> None:
        super().__init__(parent)
        self._choices = choices
        #: True when the user pressed Enter in the editor being closed (then the view moves down).
        self.enter_pressed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.enter_pressed = True
        if isinstance(watched, QAbstractItemView):  # a completion pop-up, not an editor
            return False
        return super().eventFilter(watched, event)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        choices = self._choices.get(index.column())
        self.enter_pressed = False
        if choices is None:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItem("", "")
        for code, decode in choices:
            combo.addItem(decode, code)
        completer = combo.completer()
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # Enter may reach the completion pop-up rather than the editor: watch both.
        completer.popup().installEventFilter(self)
        self.enter_pressed = False
        return combo

    def setEditorData(self, editor: QWidget,
                      index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            code = index.data(CODE_ROLE) or ""
            position = editor.findData(code)
            if position >= 0:
                editor.setCurrentIndex(position)
            else:
                editor.setEditText(str(code))
            editor.lineEdit().selectAll()  # typing replaces the value, as in a spreadsheet
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: object,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            choices = self._choices.get(index.column(), [])
            code = match_code(editor.currentText(), choices)
            decode = dict(choices).get(code, code)
            model.setData(index, code, CODE_ROLE)  # type: ignore[attr-defined]
            model.setData(index, decode, Qt.ItemDataRole.EditRole)  # type: ignore[attr-defined]
            return
        super().setModelData(editor, model, index)  # type: ignore[arg-type]


class RepeatingTable(QWidget):
    """Spreadsheet-like editor of one repeating item group.

    Signals: ``cell_committed(repeat, item_oid, raw_text)`` after the user edits a
    cell; ``delete_requested(repeat)`` on Delete or the button; ``row_added(repeat)``;
    ``history_requested(repeat, item_oid)`` from the cell's context menu.
    """

    cell_committed = Signal(int, str, str)
    delete_requested = Signal(int)
    row_added = Signal(int)
    history_requested = Signal(int, str)

    def __init__(self, study: StudyDefinition, group: ItemGroup, language: str,
                 ctcae_terms: Sequence[tuple[str, str]] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = group
        self.language = language
        self.item_oids = [item.oid for item in group.items]
        self._items = {item.oid: item for item in group.items}
        self._repeats: list[int] = []
        self._loading = False
        self._editable = True
        yes_no = (self.tr("Yes"), self.tr("No"))
        self._choices = {
            column: choices_for(item, study, language, *yes_no, ctcae_terms)
            for column, item in enumerate(group.items)
            if item.type in CODED_TYPES
        }
        #: Decodes of multiple-choice columns (shown joined; the service parses typed decodes).
        self._multi = {
            column: dict(choices_for(item, study, language, *yes_no))
            for column, item in enumerate(group.items) if item.type == "multi_choice"
        }
        self._setup_ui(study)
        self._connect_signals()

    def _setup_ui(self, study: StudyDefinition) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(self.item_oids), self)
        self.table.setObjectName(self.group.oid)
        headers = []
        for item in self.group.items:
            text = item.label.get(self.language)
            if item.unit:
                text = self.tr("{label} ({unit})").format(
                    label=text,
                    unit=unit_text(study.unit(item.unit).shown(current_language())))
            if item.required:
                text = self.tr("{label} *").format(label=text)
            headers.append(text)
        self.table.setHorizontalHeaderLabels(headers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                                   | QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * 8)
        self._delegate = _CellDelegate(self._choices, self.table)
        self.table.setItemDelegate(self._delegate)
        self.table.installEventFilter(self)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("&Add row"), self)
        self.add_button.setToolTip(self.tr("Add a row (Insert, or Enter on the last row)"))
        self.delete_button = QPushButton(self.tr("&Delete row…"), self)
        self.delete_button.setToolTip(self.tr("Delete the current row (Delete)"))
        for button in (self.add_button, self.delete_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch()
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.table.itemChanged.connect(self._on_item_changed)
        self._delegate.closeEditor.connect(self._on_close_editor)
        self.table.customContextMenuRequested.connect(self._on_context_menu)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)

    @Slot(QTableWidgetItem)
    def _on_item_changed(self, cell: QTableWidgetItem) -> None:
        if self._loading:
            return
        oid = self.item_oids[cell.column()]
        raw = cell.data(CODE_ROLE) if cell.column() in self._choices else cell.text()
        self.cell_committed.emit(self._repeats[cell.row()], oid, str(raw or "").strip())

    @Slot(QWidget, QAbstractItemDelegate.EndEditHint)
    def _on_close_editor(self, _editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        entered = self._delegate.enter_pressed
        self._delegate.enter_pressed = False
        if entered or hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            # Enter ended the edit. The view handled closeEditor first (it connected to the
            # delegate before us), so the editor is gone and the cursor can move.
            self._move_down()

    @Slot()
    def _on_context_menu(self) -> None:
        row, column = self.table.currentRow(), self.table.currentColumn()
        if row >= 0 and column >= 0:
            self.history_requested.emit(self._repeats[row], self.item_oids[column])

    @Slot()
    def _on_add_clicked(self) -> None:
        self._append_and_focus()

    @Slot()
    def _on_delete_clicked(self) -> None:
        row = self.table.currentRow()
        if row >= 0 and self._editable:
            self.delete_requested.emit(self._repeats[row])

    def _move_down(self) -> None:
        row, column = self.table.currentRow(), max(self.table.currentColumn(), 0)
        if row < self.table.rowCount() - 1:
            self.table.setCurrentCell(row + 1, column)
        elif self._editable:
            self._append_and_focus()

    def _append_and_focus(self) -> None:
        if not self._editable:
            return
        if self.group.max_rows is not None and len(self._repeats) >= self.group.max_rows:
            return
        repeat = self.add_row()
        self.table.setCurrentCell(self.table.rowCount() - 1, self._first_editable_column())
        self.row_added.emit(repeat)

    def _first_editable_column(self) -> int:
        for column, oid in enumerate(self.item_oids):
            if self._items[oid].is_entered:
                return column
        return 0

    def repeats(self) -> list[int]:
        """Repeat numbers of the rows, top to bottom."""
        return list(self._repeats)

    def current_repeat(self) -> int | None:
        """The row number (repeat) of the selected row, or None."""
        row = self.table.currentRow()
        return self._repeats[row] if 0 <= row < len(self._repeats) else None

    def add_row(self, repeat: int | None = None) -> int:
        """Append an empty row; its repeat number is ``repeat`` or the next free one."""
        number = repeat if repeat is not None else max(self._repeats, default=0) + 1
        self._loading = True
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, oid in enumerate(self.item_oids):
            cell = QTableWidgetItem("")
            if not self._items[oid].is_entered or not self._editable:
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if self._items[oid].type in ("integer", "decimal", "computed"):
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, cell)
        self._loading = False
        self._repeats.append(number)
        return number

    def remove_row(self, repeat: int) -> None:
        row = self._repeats.index(repeat)
        self.table.removeRow(row)
        del self._repeats[row]

    def clear_rows(self) -> None:
        self.table.setRowCount(0)
        self._repeats.clear()

    def _cell(self, repeat: int, oid: str) -> QTableWidgetItem:
        return self.table.item(self._repeats.index(repeat), self.item_oids.index(oid))

    def set_cell(self, repeat: int, oid: str, canonical: str | None) -> None:
        """Show a stored (canonical) value in a cell, the decode for coded columns."""
        cell = self._cell(repeat, oid)
        column = self.item_oids.index(oid)
        self._loading = True
        if column in self._choices:
            code = canonical or ""
            cell.setData(CODE_ROLE, code)
            cell.setText(dict(self._choices[column]).get(code, code))
        elif column in self._multi:
            decodes = self._multi[column]
            cell.setText(", ".join(decodes.get(code, code)
                                   for code in (canonical or "").split(",") if code))
        else:
            cell.setText(display_text(self._items[oid].value_type, canonical, self.language))
        self._loading = False

    def set_cell_message(self, repeat: int, oid: str, severity: str | None, text: str) -> None:
        """Mark a cell with an error or warning icon, a tint and the reason as tooltip."""
        cell = self._cell(repeat, oid)
        self._loading = True
        style = self.style()
        if severity == "error":
            cell.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical))
            cell.setBackground(QBrush(_ERROR_BACKGROUND))
            cell.setToolTip(self.tr("Error: {text}").format(text=text))
        elif severity == "warning":
            cell.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            cell.setBackground(QBrush(_WARNING_BACKGROUND))
            cell.setToolTip(self.tr("Warning: {text}").format(text=text))
        else:
            cell.setIcon(QIcon())
            applicable = cell.data(_APPLICABLE_ROLE) is not False
            cell.setBackground(QBrush() if applicable else QBrush(_DISABLED))
            cell.setToolTip("" if applicable else self.tr("Not applicable"))
        self._loading = False

    def set_cell_enabled(self, repeat: int, oid: str, enabled: bool) -> None:
        """Grey out a cell whose item is not applicable in this row (the cursor still passes)."""
        cell = self._cell(repeat, oid)
        self._loading = True
        flags = cell.flags()
        if enabled and self._editable and self._items[oid].is_entered:
            flags |= Qt.ItemFlag.ItemIsEditable
        else:
            flags &= ~Qt.ItemFlag.ItemIsEditable
        cell.setFlags(flags)
        cell.setData(_APPLICABLE_ROLE, enabled)
        cell.setBackground(QBrush() if enabled else QBrush(_DISABLED))
        cell.setToolTip("" if enabled else self.tr("Not applicable"))
        self._loading = False

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self.add_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)
        self._loading = True
        for row in range(self.table.rowCount()):
            for column, oid in enumerate(self.item_oids):
                cell = self.table.item(row, column)
                if (editable and self._items[oid].is_entered
                        and cell.data(_APPLICABLE_ROLE) is not False):
                    cell.setFlags(cell.flags() | Qt.ItemFlag.ItemIsEditable)
                else:
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self._loading = False

    def commit_editor(self) -> None:
        """Store the cell being typed in (a save shortcut does not leave the cell)."""
        editor = QApplication.focusWidget()
        if (editor is not None and self.table.state() == QAbstractItemView.State.EditingState
                and self.table.viewport().isAncestorOf(editor)):
            self._delegate.commitData.emit(editor)
            self._delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def focus_cell(self, repeat: int, oid: str) -> None:
        self.table.setFocus()
        self.table.setCurrentCell(self._repeats.index(repeat), self.item_oids.index(oid))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and self.table.state() != QAbstractItemView.State.EditingState):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._move_down()
                return True
            if key == Qt.Key.Key_Insert:
                self._append_and_focus()
                return True
            if key == Qt.Key.Key_Delete:
                self._on_delete_clicked()
                return True
        return False
