"""The password rules shown live under a new-password field, and temporary passwords.

The rules themselves are the service's (:func:`services.auth.password_problems`);
this view only says, in the user's language, which of them the typed password meets.
"""

from __future__ import annotations

import secrets

from PySide6.QtCore import QEvent
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ctrial_desktop.services.auth import SecuritySettings, password_problems

MET_COLOUR = "#1b5e20"
UNMET_COLOUR = "#b00020"
_ALPHABET_LETTERS = "abcdefghjkmnpqrstuvwxyz"  # no i, l, o: easy to dictate
_ALPHABET_DIGITS = "23456789"  # no 0, 1


def generate_temporary_password(settings: SecuritySettings, username: str = "") -> str:
    """A random password meeting the rules, easy to read aloud (groups of four)."""
    length = max(12, settings.min_password_length)
    alphabet = _ALPHABET_LETTERS + _ALPHABET_DIGITS
    while True:
        chars = [secrets.choice(alphabet) for _ in range(length)]
        chars[secrets.randbelow(length)] = secrets.choice(_ALPHABET_DIGITS)
        text = "".join(chars)
        candidate = "-".join(text[i:i + 4] for i in range(0, len(text), 4))
        if not password_problems(candidate, username, settings):
            return candidate


class PasswordRulesView(QWidget):
    """One line per rule, each marked met (tick, green) or not yet (cross, red).

    Signals: none.
    """

    def __init__(self, settings: SecuritySettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._password = ""
        self._username = ""
        self._setup_ui()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.rule_labels: dict[str, QLabel] = {}
        for key in ("length", "letter", "digit", "username"):
            label = QLabel()
            label.setWordWrap(True)
            layout.addWidget(label)
            self.rule_labels[key] = label
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self._refresh()

    def _rule_texts(self) -> dict[str, str]:
        return {
            "length": self.tr("At least {count} characters").format(
                count=self._settings.min_password_length),
            "letter": self.tr("At least one letter"),
            "digit": self.tr("At least one digit"),
            "username": self.tr("Does not contain the user name"),
        }

    def unmet(self) -> set[str]:
        """Keys of the rules the current password does not meet yet."""
        problems = set(password_problems(self._password, self._username, self._settings))
        keys = {
            "length": f"at least {self._settings.min_password_length} characters",
            "letter": "at least one letter",
            "digit": "at least one digit",
            "username": "must not contain the user name",
        }
        return {key for key, problem in keys.items() if problem in problems}

    def set_password(self, password: str, username: str = "") -> None:
        """Re-check the rules for ``password`` (typed by ``username``)."""
        self._password = password
        self._username = username
        self._refresh()

    def _refresh(self) -> None:
        unmet = self.unmet()
        texts = self._rule_texts()
        for key, label in self.rule_labels.items():
            ok = key not in unmet
            mark = "\u2713" if ok else "\u2717"
            state = self.tr("met") if ok else self.tr("not met")
            label.setText(f"{mark} {texts[key]}")
            label.setAccessibleName(f"{texts[key]}: {state}")
            label.setToolTip(state)
            palette = label.palette()
            palette.setColor(QPalette.ColorRole.WindowText, MET_COLOUR if ok else UNMET_COLOUR)
            label.setPalette(palette)
        self.rule_labels["username"].setVisible(bool(self._username))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
