"""Language: the preference persists, open windows retranslate live, the main window is
rebuilt in the new language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTranslator
from pytestqt.qtbot import QtBot

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.store.database import Database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.app_controller import default_main_window
from ctrial_desktop.ui.i18n import LanguageSwitcher
from ctrial_desktop.ui.login_dialog import LoginDialog
from ctrial_desktop.ui.main_window import MainWindow, menu_titles
from ctrial_desktop.ui.preferences_dialog import (
    PreferencesDialog,
    save_language,
    saved_language,
)
from tests.gui.app_helpers import OFFSCREEN_WARNINGS, ControllerFactory
from tests.gui.conftest import PASSWORD

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_WARNINGS)

FRENCH = {
    ("LoginDialog", "Log in"): "Connexion",
    ("LoginDialog", "&Log in"): "Se &connecter",
    ("LoginDialog", "&User name:"): "Nom d'&utilisateur :",
    ("MainWindow", "&File"): "&Fichier",
    ("MainWindow", "&Tools"): "&Outils",
}


class FakeFrench(QTranslator):
    """A translator answering from a small dictionary (stands for the compiled .qm)."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        return FRENCH.get((context, source), "")

    def isEmpty(self) -> bool:
        return False


@pytest.fixture
def factory(study: StudyDefinition, db: Database, tmp_path: Path) -> Iterator[ControllerFactory]:
    made = ControllerFactory(study, db, tmp_path)
    yield made
    made.close()


@pytest.fixture
def fake_french() -> Iterator[FakeFrench]:
    translator = FakeFrench()
    yield translator
    QCoreApplication.removeTranslator(translator)


def test_preference_round_trip(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert saved_language(settings) is None
    save_language(settings, "fr")
    assert saved_language(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)) == "fr"
    settings.setValue("ui/language", "de")
    assert saved_language(settings) is None
    with pytest.raises(ValueError):
        save_language(settings, "de")


def test_preferences_dialog_switches_and_persists(
        qtbot: QtBot, factory: ControllerFactory, admin: Actor, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    applied: list[str] = []
    original = LanguageSwitcher.apply

    def spy(self: LanguageSwitcher, language: str) -> bool:
        applied.append(language)
        return original(self, language)

    monkeypatch.setattr(LanguageSwitcher, "apply", spy)
    controller = factory()
    controller.start()
    controller.show_preferences()
    dialog = controller.tool_dialog
    assert isinstance(dialog, PreferencesDialog)
    assert dialog.selected_language() == "en"
    dialog.language_combo.setFocus()
    qtbot.keyClick(dialog.language_combo, Qt.Key.Key_Down)
    assert dialog.selected_language() == "fr"
    with qtbot.waitSignal(dialog.language_changed):
        qtbot.keyClick(dialog.language_combo, Qt.Key.Key_Return)
    assert applied == ["fr"]
    stored = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert saved_language(stored) == "fr"


def test_login_language_choice_is_remembered(qtbot: QtBot, factory: ControllerFactory,
                                             admin: Actor, tmp_path: Path) -> None:
    controller = factory()
    controller.start()
    login = controller.login_dialog
    assert login is not None
    login.language_combo.setCurrentIndex(login.language_combo.findData("fr"))
    stored = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert saved_language(stored) == "fr"


def test_open_dialog_retranslates_live(qtbot: QtBot, db: Database, admin: Actor,
                                       fake_french: FakeFrench) -> None:
    dialog = LoginDialog(AuthService(db))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Log in"
    QCoreApplication.installTranslator(fake_french)
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Connexion")
    assert dialog.login_button.text() == "Se &connecter"
    assert dialog.username_label.text() == "Nom d'&utilisateur :"
    QCoreApplication.removeTranslator(fake_french)
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Log in")


def test_main_window_rebuilt_in_the_new_language(
        qtbot: QtBot, factory: ControllerFactory, admin: Actor,
        fake_french: FakeFrench) -> None:
    controller = factory(window_factory=default_main_window)
    controller.start()
    login = controller.login_dialog
    assert login is not None
    qtbot.keyClicks(login.username_edit, "admin")
    qtbot.keyClicks(login.password_edit, PASSWORD)
    qtbot.keyClick(login.password_edit, Qt.Key.Key_Return)
    old = controller.main_window
    assert isinstance(old, MainWindow)
    assert "File" in menu_titles(old)
    QCoreApplication.installTranslator(fake_french)
    controller.set_language("fr")
    new = controller.main_window
    assert isinstance(new, MainWindow) and new is not old
    assert new.isVisible()
    assert "Fichier" in menu_titles(new) and "Outils" in menu_titles(new)
    assert controller.session is not None  # still logged in


def test_french_also_translates_qt_standard_buttons(qapp) -> None:  # type: ignore[no-untyped-def]
    from ctrial_desktop.ui.i18n import LanguageSwitcher

    switcher = LanguageSwitcher(qapp)
    try:
        assert switcher.apply("fr")
        assert _cancel_text() == "Annuler"
    finally:
        switcher.apply("en")
    assert _cancel_text() == "Cancel"


def _cancel_text() -> str:
    from PySide6.QtWidgets import QDialogButtonBox

    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    return buttons.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "")
