"""Messages shown next to a field or at the foot of a dialog: red text doubled by an icon.

A user error never pops up a box of its own: the label under the field says what is
wrong in the user's words (the service's message), and the field keeps its input.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget

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
