"""Messages shown next to a field or at the foot of a dialog: red text doubled by an icon.

A user error never pops up a box of its own: the label under the field says what is
wrong in the user's words (the service's message), and the field keeps its input.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

#: Red for an error, always with a warning sign in front (never colour alone).
ERROR_COLOUR = "#b00020"
ERROR_SIGN = "\u26a0"


def error_label(parent: QWidget | None = None) -> QLabel:
    """A hidden, word-wrapped label for one error message."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, ERROR_COLOUR)
    label.setPalette(palette)
    label.setVisible(False)
    return label


def set_error(label: QLabel, message: str | None) -> None:
    """Show ``message`` (with the warning sign) in ``label``, or hide it when empty."""
    if message:
        label.setText(f"{ERROR_SIGN} {message}")
        label.setVisible(True)
    else:
        label.clear()
        label.setVisible(False)


def error_text(label: QLabel) -> str:
    """The message shown in ``label`` without the sign ('' when hidden)."""
    if label.isHidden():
        return ""
    return label.text().removeprefix(ERROR_SIGN).strip()


def field_box(field: QWidget, error: QLabel, *extra: QWidget) -> QVBoxLayout:
    """A field with what belongs under it (e.g. live password rules) and its error label."""
    box = QVBoxLayout()
    box.setSpacing(2)
    box.addWidget(field)
    for widget in extra:
        box.addWidget(widget)
    box.addWidget(error)
    return box


def ok_cancel(parent: QWidget | None = None) -> tuple[QDialogButtonBox, QPushButton]:
    """OK / Cancel buttons with OK as the default (Escape cancels)."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel, parent)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setDefault(True)
    return buttons, ok


def form_dialog_layout(dialog: QDialog, intro: QLabel, form: QFormLayout, general_error: QLabel,
                       buttons: QDialogButtonBox, min_width: int) -> None:
    """The layout every small form dialog shares: intro, fields, dialog-wide error, buttons."""
    layout = QVBoxLayout(dialog)
    layout.addWidget(intro)
    layout.addLayout(form)
    layout.addWidget(general_error)
    layout.addStretch(1)
    layout.addWidget(buttons)
    dialog.setMinimumWidth(min_width)
