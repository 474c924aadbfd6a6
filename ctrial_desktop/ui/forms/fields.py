"""One input widget per kind of CRF item, all with the same small interface.

Every field widget exposes ``item``, ``raw_text()`` (what the user typed, sent
to the service for parsing), ``set_canonical()`` (show a stored value in the
user's language), ``set_editable()``, ``focus_widget()`` and two signals:
``edited`` (the user changed the text) and ``committed`` (the user left the
field or pressed Enter after editing). :func:`make_field` picks the widget for
an item's type.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ctrial_desktop.domain.values import format_for_display
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.study.model import Item

#: Item types entered through a filtering list of (code, decode) pairs.
CODED_TYPES = frozenset({"choice", "yes_no", "ctcae_term"})
#: Canonical yes/no codes, as the parser stores them, and the words a user may type.
YES_NO_CODES = ("Y", "N")
_TRUE_WORDS = frozenset({"y", "yes", "true", "1", "o", "oui"})
_FALSE_WORDS = frozenset({"n", "no", "false", "0", "non"})


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def unit_text(symbol: str) -> str:
    """A unit as printed: ``10^9/L`` becomes 10⁹/L."""
    head, caret, tail = symbol.partition("^")
    if not caret:
        return symbol
    exponent = ""
    while tail and (tail[0].isdigit() or (tail[0] == "-" and not exponent)):
        exponent, tail = exponent + tail[0], tail[1:]
    return head + exponent.translate(_SUPERSCRIPTS) + unit_text(tail)


def display_text(item_type: str, canonical: str | None, language: str) -> str:
    """A stored value in the user's format: dates dd/mm/yyyy, decimal comma in French."""
    if canonical is None or canonical == "":
        return ""
    return format_for_display(item_type, canonical, language)


def _is_yes(canonical: str | None) -> bool | None:
    if canonical is None:
        return None
    word = canonical.strip().casefold()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    return None


def match_code(text: str, choices: Sequence[tuple[str, str]], yes_no: bool = False) -> str:
    """The code a user meant by ``text`` (a code, a decode or the unique decode prefix)."""
    text = text.strip()
    if not text:
        return ""
    folded = text.casefold()
    for code, decode in choices:
        if folded in (decode.casefold(), str(code).casefold()):
            return str(code)
    matches = [code for code, decode in choices if decode.casefold().startswith(folded)]
    if len(matches) == 1:
        return str(matches[0])
    if yes_no:
        answer = _is_yes(text)
        if answer is not None:
            return YES_NO_CODES[0] if answer else YES_NO_CODES[1]
    return text


class _EnterFilter(QObject):
    """Turns Enter/Return in a one-line control into "move to the next field"."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and isinstance(watched, QWidget)):
            # Leaving the field commits it (editingFinished), like Tab.
            watched.focusNextChild()
            return True
        return False


class _EditableField(QWidget):
    """What every typed field shares: ``edited()`` on each user change, ``committed()``
    once when the user leaves a field they changed, and :meth:`is_pending` in between.

    Signals: ``edited()``, ``committed()``.
    """

    edited = Signal()
    committed = Signal()

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self._changed = False

    def _mark_edited(self) -> None:
        self._changed = True
        self.edited.emit()

    def _commit_if_changed(self) -> None:
        if self._changed:
            self._changed = False
            self.committed.emit()

    def is_pending(self) -> bool:
        """True when the user typed or chose something not yet committed."""
        return self._changed


class LineField(_EditableField):
    """A one-line text box: text, numbers, dates, partial dates, times, CTCAE terms.

    Signals: see :class:`_EditableField`.
    """

    def __init__(self, item: Item, language: str, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self._language = language
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.line = QLineEdit(self)
        self.line.setObjectName(self.item.oid)
        if self.item.max_length:
            self.line.setMaxLength(self.item.max_length)
        placeholders = {
            "date": self.tr("dd/mm/yyyy"),
            "partial_date": self.tr("dd/mm/yyyy, mm/yyyy or yyyy"),
            "time": self.tr("hh:mm"),
        }
        if self.item.type in placeholders:
            self.line.setPlaceholderText(placeholders[self.item.type])
        if self.item.type in ("integer", "decimal"):
            self.line.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._filter = _EnterFilter(self)
        self.line.installEventFilter(self._filter)
        layout.addWidget(self.line, 1)
        self.setFocusProxy(self.line)

    def _connect_signals(self) -> None:
        self.line.textEdited.connect(self._on_text_edited)
        self.line.editingFinished.connect(self._on_editing_finished)

    @Slot(str)
    def _on_text_edited(self, _text: str) -> None:
        self._mark_edited()

    @Slot()
    def _on_editing_finished(self) -> None:
        self._commit_if_changed()

    def raw_text(self) -> str:
        return self.line.text().strip()

    def set_canonical(self, canonical: str | None) -> None:
        self.line.setText(display_text(self.item.type, canonical, self._language))
        self._changed = False

    def set_editable(self, editable: bool) -> None:
        self.line.setReadOnly(not editable)
        self.line.setEnabled(editable)

    def focus_widget(self) -> QWidget:
        return self.line


class ChoiceField(_EditableField):
    """A code list (or yes/no) as an editable combo box that filters as the user types.

    Signals: see :class:`_EditableField`.
    """

    def __init__(self, item: Item, choices: Sequence[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self._choices = list(choices)
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox(self)
        self.combo.setObjectName(self.item.oid)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItem("", "")
        for code, decode in self._choices:
            self.combo.addItem(decode, code)
        if len(self._choices) > 50:  # long lists (CTCAE terms): a sensible width, not the widest
            self.combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            self.combo.setMinimumContentsLength(40)
        else:
            self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        completer = self.combo.completer()
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._filter = _EnterFilter(self)
        self.combo.installEventFilter(self._filter)
        layout.addWidget(self.combo, 1)
        layout.addStretch()
        self.setFocusProxy(self.combo)

    def _connect_signals(self) -> None:
        self.combo.lineEdit().textEdited.connect(self._on_text_edited)
        self.combo.activated.connect(self._on_activated)
        self.combo.lineEdit().editingFinished.connect(self._on_editing_finished)
        # The combo box, not its line edit, holds the focus: leaving it commits the choice.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    @Slot(QWidget, QWidget)
    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        def inside(widget: QWidget | None) -> bool:
            return widget is not None and (widget is self.combo
                                           or self.combo.isAncestorOf(widget))
        if inside(old) and not inside(new):
            self._on_editing_finished()

    @Slot(str)
    def _on_text_edited(self, _text: str) -> None:
        self._mark_edited()

    @Slot(int)
    def _on_activated(self, _index: int) -> None:
        self._mark_edited()

    @Slot()
    def _on_editing_finished(self) -> None:
        self._commit_if_changed()

    def raw_text(self) -> str:
        """The code of the chosen entry (matched by decode or code), else the typed text."""
        return match_code(self.combo.currentText(), self._choices, self.item.type == "yes_no")

    def set_canonical(self, canonical: str | None) -> None:
        code = canonical or ""
        if self.item.type == "yes_no" and code:
            answer = _is_yes(code)
            code = "" if answer is None else (YES_NO_CODES[0] if answer else YES_NO_CODES[1])
        index = self.combo.findData(code)
        if index >= 0:
            self.combo.setCurrentIndex(index)
        else:
            self.combo.setEditText(code)
        self._changed = False

    def set_editable(self, editable: bool) -> None:
        self.combo.setEnabled(editable)


    def focus_widget(self) -> QWidget:
        return self.combo


class MultiChoiceField(QWidget):
    """Several codes of a list as check boxes; stored as the codes joined by commas.

    Signals: ``edited()`` and ``committed()`` on every toggle.
    """

    edited = Signal()
    committed = Signal()

    def __init__(self, item: Item, choices: Sequence[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self._boxes: list[tuple[str, QCheckBox]] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for code, decode in choices:
            box = QCheckBox(decode, self)
            box.toggled.connect(self._on_toggled)
            self._boxes.append((str(code), box))
            layout.addWidget(box)
        layout.addStretch()
        if self._boxes:
            self.setFocusProxy(self._boxes[0][1])

    @Slot(bool)
    def _on_toggled(self, _checked: bool) -> None:
        self.edited.emit()
        self.committed.emit()

    def raw_text(self) -> str:
        return ",".join(code for code, box in self._boxes if box.isChecked())

    def set_canonical(self, canonical: str | None) -> None:
        chosen = {c.strip() for c in (canonical or "").split(",") if c.strip()}
        for code, box in self._boxes:
            box.blockSignals(True)
            box.setChecked(code in chosen)
            box.blockSignals(False)

    def set_editable(self, editable: bool) -> None:
        for _code, box in self._boxes:
            box.setEnabled(editable)

    def focus_widget(self) -> QWidget:
        return self._boxes[0][1] if self._boxes else self


class LongTextField(_EditableField):
    """Free text over several lines; Tab leaves the box.

    Signals: see :class:`_EditableField`.
    """

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self._loading = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text_box = QPlainTextEdit(self)
        self.text_box.setObjectName(item.oid)
        self.text_box.setTabChangesFocus(True)
        self.text_box.setMaximumHeight(self.text_box.fontMetrics().lineSpacing() * 5)
        self.text_box.textChanged.connect(self._on_text_changed)
        self.text_box.installEventFilter(self)
        layout.addWidget(self.text_box, 1)
        self.setFocusProxy(self.text_box)

    @Slot()
    def _on_text_changed(self) -> None:
        if not self._loading:
            self._mark_edited()

    def raw_text(self) -> str:
        return self.text_box.toPlainText().strip()

    def set_canonical(self, canonical: str | None) -> None:
        self._loading = True
        self.text_box.setPlainText(canonical or "")
        self._loading = False
        self._changed = False

    def set_editable(self, editable: bool) -> None:
        self.text_box.setReadOnly(not editable)
        self.text_box.setEnabled(editable)

    def focus_widget(self) -> QWidget:
        return self.text_box

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self._commit_if_changed()
        return False


class ComputedField(QWidget):
    """A derived or system-written value: shown, never typed (skipped by Tab).

    Signals: ``edited()`` and ``committed()`` exist for the common interface; never emitted.
    """

    edited = Signal()
    committed = Signal()

    def __init__(self, item: Item, language: str, parent: QWidget | None = None,
                 choices: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(parent)
        self.item = item
        self._language = language
        self._decodes = dict(choices)  # a system-written code is shown by its decode
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.line = QLineEdit(self)
        self.line.setObjectName(item.oid)
        self.line.setReadOnly(True)
        self.line.setFrame(False)  # shown, not typed: no input box, the window's background
        palette = self.line.palette()
        palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
        self.line.setPalette(palette)
        self.line.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.line.setToolTip(self.tr("Calculated by the application"))
        if item.type == "computed":
            self.line.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.line, 1)

    def raw_text(self) -> str:
        return self.line.text().strip()

    def set_canonical(self, canonical: str | None) -> None:
        if canonical is not None and canonical in self._decodes:
            self.line.setText(self._decodes[canonical])
            self.line.setToolTip(canonical)
            return
        self.line.setText(display_text(self.item.value_type, canonical, self._language))

    def set_editable(self, editable: bool) -> None:
        """A computed value is never editable."""

    def focus_widget(self) -> QWidget:
        return self.line


FieldWidget = LineField | ChoiceField | MultiChoiceField | LongTextField | ComputedField


def choices_for(item: Item, study: StudyDefinition, language: str, yes: str, no: str,
                ctcae_terms: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """The (code, decode) pairs of a coded item; ``yes``/``no`` are the translated words.

    CTCAE term items are coded by MedDRA code and decoded by the term (``ctcae_terms``).
    """
    if item.type == "ctcae_term":
        return list(ctcae_terms)
    if item.type == "yes_no":
        return [(YES_NO_CODES[0], yes), (YES_NO_CODES[1], no)]
    if item.codelist is None:
        return []
    codelist = study.codelist(item.codelist)
    return [(str(entry.code), entry.decode.get(language)) for entry in codelist.items]


def make_field(item: Item, study: StudyDefinition, language: str,
               parent: QWidget | None = None,
               ctcae_terms: Sequence[tuple[str, str]] = (),
               yes_no_words: tuple[str, str] = ("Yes", "No")) -> FieldWidget:
    """The widget for ``item``: computed/read-only, code list, long text or one-line text."""
    if item.type == "computed" or item.read_only:
        coded = item.read_only and item.type in CODED_TYPES
        return ComputedField(item, language, parent, choices_for(
            item, study, language, *yes_no_words, ctcae_terms) if coded else ())
    if item.type in CODED_TYPES:
        return ChoiceField(item, choices_for(item, study, language, *yes_no_words, ctcae_terms),
                           parent)
    if item.type == "multi_choice":
        return MultiChoiceField(item, choices_for(item, study, language, *yes_no_words), parent)
    if item.type == "long_text":
        return LongTextField(item, parent)
    return LineField(item, language, parent)
