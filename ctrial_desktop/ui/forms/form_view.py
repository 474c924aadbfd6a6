"""Layout of a CRF: one column of label, field, unit and message, group by group.

The view builds widgets from the form definition and exposes them; it holds no
behaviour beyond showing things. :class:`FormEditor` in ``form_controller``
drives it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.study.model import Form, Item
from ctrial_desktop.ui.forms.fields import FieldWidget, make_field, unit_text
from ctrial_desktop.ui.forms.messages_panel import MessagesPanel
from ctrial_desktop.ui.forms.repeating_table import RepeatingTable
from ctrial_desktop.ui.i18n import current_language

#: Colours of meaning, always doubled by an icon and a word.
ERROR_COLOUR = "#b00020"
WARNING_COLOUR = "#8a5a00"


class FieldMessage(QWidget):
    """What is wrong with one field: an icon, a word, the reason and maybe "Confirm value".

    Signals: ``confirm_requested()`` when the user asks to confirm a soft warning.
    """

    confirm_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.derived = QLabel(self)
        self.derived.setObjectName("derivedValue")
        self.icon = QLabel(self)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.confirm_button = QPushButton(self.tr("Confirm value…"), self)
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.clicked.connect(self._on_confirm_clicked)
        layout.addWidget(self.derived)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.confirm_button)
        self.show_message(None, "")
        self.show_derived("")

    @Slot()
    def _on_confirm_clicked(self) -> None:
        self.confirm_requested.emit()

    def show_derived(self, text: str) -> None:
        """The value derived from the input (a CTCAE grade), or "" for none."""
        self.derived.setText(text)
        self.derived.setVisible(bool(text))

    def show_message(self, severity: str | None, text: str, confirmable: bool = False) -> None:
        """Show an error, a warning (with "Confirm value" when ``confirmable``) or a note."""
        style = self.style()
        if severity == "error":
            self.icon.setPixmap(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
                                .pixmap(16, 16))
            self.text.setText(self.tr("Error: {text}").format(text=text))
            self.text.setStyleSheet(f"color: {ERROR_COLOUR};")
        elif severity == "warning":
            self.icon.setPixmap(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
                                .pixmap(16, 16))
            self.text.setText(self.tr("Warning: {text}").format(text=text))
            self.text.setStyleSheet(f"color: {WARNING_COLOUR};")
        else:
            self.icon.clear()
            self.text.setText(text)
            self.text.setStyleSheet("")
        self.icon.setVisible(severity is not None)
        self.confirm_button.setVisible(severity == "warning" and confirmable)


class FieldRow:
    """The widgets of one non-repeating item (plain holder, not a widget)."""

    def __init__(self, line: QWidget, label: QLabel, field: FieldWidget, unit: QLabel,
                 message: FieldMessage) -> None:
        self.line = line
        self.label = label
        self.field = field
        self.unit = unit
        self.message = message

    def set_visible(self, visible: bool) -> None:
        self.line.setVisible(visible)


class FormView(QWidget):
    """The widgets of one form: banner, groups of fields, problem list and save bar.

    Signals: none (the controller connects to the public widgets).
    """

    def __init__(self, study: StudyDefinition, form: Form, language: str,
                 ctcae_terms: Sequence[tuple[str, str]] = (),
                 parent: QWidget | None = None, *, title: str | None = None) -> None:
        super().__init__(parent)
        self.study = study
        self.form = form
        self._title = title or form.name.get(language)
        self.language = language
        self.rows: dict[tuple[str, str], FieldRow] = {}
        self.tables: dict[str, RepeatingTable] = {}
        self.group_boxes: dict[str, QWidget] = {}
        self._ctcae_terms = ctcae_terms
        #: Decodes of CTCAE terms by MedDRA code (empty when the form has none).
        self.ctcae_names = dict(ctcae_terms)
        self._setup_ui()

    def _setup_ui(self) -> None:
        outer = QVBoxLayout(self)
        # The form's name (with the day of the visit of a form due on several days).
        self.title_label = QLabel(self._title, self)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title_label.setFont(font)
        outer.addWidget(self.title_label)
        self.banner = QFrame(self)
        self.banner.setObjectName("formBanner")
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        banner_layout = QHBoxLayout(self.banner)
        self.banner_icon = QLabel(self.banner)
        self.banner_text = QLabel(self.banner)
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        banner_layout.addWidget(self.banner_icon)
        banner_layout.addWidget(self.banner_text, 1)
        self.banner.hide()
        outer.addWidget(self.banner)
        self.draft_bar = QWidget(self)
        draft_layout = QHBoxLayout(self.draft_bar)
        draft_layout.setContentsMargins(0, 0, 0, 0)
        self.draft_label = QLabel(self.draft_bar)
        self.draft_label.setWordWrap(True)
        self.restore_draft_button = QPushButton(self.tr("&Restore"), self.draft_bar)
        self.discard_draft_button = QPushButton(self.tr("D&iscard"), self.draft_bar)
        draft_layout.addWidget(self.draft_label, 1)
        draft_layout.addWidget(self.restore_draft_button)
        draft_layout.addWidget(self.discard_draft_button)
        self.draft_bar.hide()
        outer.addWidget(self.draft_bar)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget(scroll)
        self.content_layout = QVBoxLayout(content)
        for group in self.form.item_groups:
            box = self._group_widget(group.oid, content)
            self.group_boxes[group.oid] = box
            # Tables take the height left over; plain groups keep their natural height.
            self.content_layout.addWidget(box, 1 if group.repeating else 0)
        if not self.tables:
            self.content_layout.addStretch()
        scroll.setWidget(content)
        outer.addWidget(scroll, 1)

        self.messages_panel = MessagesPanel(self)
        self.messages_panel.hide()
        outer.addWidget(self.messages_panel)
        outer.addLayout(self._save_bar())

    def _group_widget(self, group_oid: str, parent: QWidget) -> QWidget:
        group = self.study.item_group(group_oid)
        box = QWidget(parent)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 6, 0, 6)
        heading = QLabel(group.name.get(self.language), box)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        if group.repeating:
            table = RepeatingTable(self.study, group, self.language, self._ctcae_terms, box)
            self.tables[group.oid] = table
            layout.addWidget(table)
            return box
        for item in group.items:
            row = self._field_row(item, box)
            self.rows[(group.oid, item.oid)] = row
            layout.addWidget(row.line)
        return box

    def _field_row(self, item: Item, box: QWidget) -> FieldRow:
        # One widget per line, so that hiding an item leaves no gap; the fixed minimum
        # widths of the label and field boxes keep the columns aligned from line to line.
        parent = QWidget(box)
        char = self.fontMetrics().averageCharWidth()
        text = item.label.get(self.language)
        if item.required:
            text = self.tr("{label} *").format(label=text)
        label = QLabel(text, parent)
        label.setWordWrap(True)
        if item.required:
            label.setToolTip(self.tr("Required"))
        field = make_field(item, self.study, self.language, parent, self._ctcae_terms,
                           (self.tr("Yes"), self.tr("No")))
        label.setBuddy(field.focus_widget())
        if item.help is not None:
            field.setToolTip(item.help.get(self.language))
            label.setToolTip(item.help.get(self.language))
        widths = {"integer": 14, "decimal": 14, "date": 16, "partial_date": 28, "time": 10,
                  "computed": 14, "yes_no": 14, "text": 40, "ctcae_term": 40, "long_text": 60}
        if item.type in widths:
            field.setMaximumWidth(char * widths[item.type])
        unit = QLabel(unit_text(self.study.unit(item.unit).shown(current_language()))
                      if item.unit else "", parent)
        message = FieldMessage(parent)
        message.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        label.setMinimumWidth(char * 36)
        label.setMaximumWidth(char * 44)
        holder = QWidget(parent)
        holder.setMinimumWidth(char * 26)
        holder_layout = QHBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(field, 1)
        holder_layout.addWidget(unit)
        holder_layout.addStretch()
        line = QHBoxLayout(parent)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(label)
        line.addWidget(holder)
        line.addWidget(message, 1)
        return FieldRow(parent, label, field, unit, message)

    def _save_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.problems_button = QPushButton(self.tr("&Problems (0)"), self)
        self.problems_button.setCheckable(True)
        self.problems_button.setAutoDefault(False)
        self.status_label = QLabel(self)
        self.save_button = QPushButton(self.tr("&Save"), self)
        self.save_button.setToolTip(self.tr("Save (Ctrl+S)"))
        self.save_next_button = QPushButton(self.tr("Save && &next"), self)
        self.save_next_button.setToolTip(self.tr("Save and open the next form (Ctrl+Shift+S)"))
        self.print_button = QPushButton(self.tr("Pr&int…"), self)
        self.print_button.setToolTip(self.tr("Print this form as stored (PDF preview)"))
        self.sae_button = QPushButton(self.tr("SAE &report…"), self)
        self.sae_button.setToolTip(self.tr(
            "Serious adverse event report form of the selected adverse event"))
        self.sae_button.setVisible(False)
        for button in (self.save_button, self.save_next_button, self.print_button,
                       self.sae_button):
            button.setAutoDefault(False)
        # Shortcuts live on the form so that they work from any field, and only there.
        self.save_action = QAction(self.tr("Save"), self)
        self.save_action.setShortcut(QKeySequence("Ctrl+S"))
        self.save_next_action = QAction(self.tr("Save and next form"), self)
        self.save_next_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        for action in (self.save_action, self.save_next_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        bar.addWidget(self.problems_button)
        bar.addWidget(self.status_label, 1)
        bar.addWidget(self.sae_button)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        bar.addWidget(self.save_next_button)
        return bar

    def show_banner(self, text: str, severity: str = "info") -> None:
        """Show ``text`` above the fields (``info``, ``warning`` or ``error``); "" hides it."""
        icons = {"error": QStyle.StandardPixmap.SP_MessageBoxCritical,
                 "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
                 "info": QStyle.StandardPixmap.SP_MessageBoxInformation}
        colour = {"error": ERROR_COLOUR, "warning": WARNING_COLOUR}.get(severity)
        self.banner_icon.setPixmap(self.style().standardIcon(icons[severity]).pixmap(24, 24))
        self.banner_text.setText(text)
        self.banner_text.setStyleSheet(f"color: {colour};" if colour else "")
        self.banner.setVisible(bool(text))

    def set_problem_count(self, errors: int, warnings: int) -> None:
        self.problems_button.setText(
            self.tr("&Problems (errors: {errors}, warnings: {warnings})").format(
                errors=errors, warnings=warnings) if errors or warnings
            else self.tr("&Problems (0)"))
