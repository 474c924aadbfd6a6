"""File > Import site transfer: a data manager imports a site's file in a worker, sees what
was merged, then that the same file was already imported; a bad file is refused clearly."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ctrial_desktop.exchange.transfer import export_transfer
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.i18n import LanguageSwitcher
from ctrial_desktop.ui.import_dialog import ImportDialog
from ctrial_desktop.ui.main_window import MainWindow
from ctrial_desktop.ui.session import UiSession, make_ui_session
from tests.gui.app_helpers import OFFSCREEN_WARNINGS

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_WARNINGS)


@dataclass
class Setup:
    central: Database
    transfer: Path


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory, study: StudyDefinition) -> Iterator[Setup]:
    folder = tmp_path_factory.mktemp("import_gui")
    site = open_database(f"sqlite:///{folder / 'site.sqlite3'}")
    build_demo(site, patients=1, sites=1, seed=4)
    transfer = export_transfer(site, AuthService(site).login("dm", DEMO_PASSWORD), study,
                               folder / "site01.xml", "01").path
    site.dispose()
    central = open_database(f"sqlite:///{folder / 'central.sqlite3'}")
    build_demo(central, patients=0, sites=1, seed=1, clinical=False)
    yield Setup(central, transfer)
    central.dispose()


def _session(db: Database, study: StudyDefinition, username: str) -> UiSession:
    return make_ui_session(db, AuthService(db).login(username, DEMO_PASSWORD), study)


def _import(qtbot: QtBot, dialog: ImportDialog, path: Path) -> None:
    dialog.file_edit.clear()
    qtbot.keyClicks(dialog.file_edit, str(path))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)


def test_a_data_manager_imports_a_site_file_then_it_is_recognised(
        qtbot: QtBot, setup: Setup, study: StudyDefinition, tmp_path: Path) -> None:
    dialog = ImportDialog(_session(setup.central, study, "dm"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert "existing transfer file" in dialog.file_error.text()

    broken = tmp_path / "broken.xml"
    broken.write_bytes(setup.transfer.read_bytes().replace(b'Value="', b'Value="9', 1))
    _import(qtbot, dialog, broken)
    assert "Import refused" in dialog.result_label.text()
    assert "fails its checksum" in dialog.result_label.text()

    _import(qtbot, dialog, setup.transfer)
    assert dialog.result_label.text().startswith("Site 01: 1 new and 0 changed patients")
    assert not dialog.conflicts.isVisible()
    dialog.grab().save(str(tmp_path / "import.png"))

    _import(qtbot, dialog, setup.transfer)
    assert dialog.result_label.text() == "Already imported: nothing changed."


def test_a_refused_file_is_explained_in_french(qtbot: QtBot, qapp, setup: Setup,
                                               study: StudyDefinition, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_bytes(setup.transfer.read_bytes().replace(b'Value="', b'Value="9', 1))
    plain = tmp_path / "plain.xml"
    plain.write_bytes(b"<ODM></ODM>")
    switcher = LanguageSwitcher(qapp)
    assert switcher.apply("fr")
    try:
        dialog = ImportDialog(_session(setup.central, study, "dm"))
        qtbot.addWidget(dialog)
        dialog.show()
        _import(qtbot, dialog, broken)
        shown = dialog.result_label.text()
        assert shown.startswith("Import refusé")
        assert ": broken.xml ne correspond pas à sa somme de contrôle (SHA-256 " in shown
        assert shown.endswith("rien n'a été importé")
        _import(qtbot, dialog, plain)
        assert dialog.result_label.text().endswith(
            ": plain.xml n'est pas un fichier de transfert\u00a0: il n'a pas "
            "de ligne de somme de contrôle (l'écrire avec «\u00a0ctrial export transfer\u00a0»)")
    finally:
        switcher.apply("en")


def test_only_users_with_the_export_permission_see_the_menu_item(
        qtbot: QtBot, setup: Setup, study: StudyDefinition) -> None:
    for username, visible in (("dm", True), ("admin", False)):
        window = MainWindow(_session(setup.central, study, username))
        qtbot.addWidget(window)
        assert window.import_action.isVisible() is visible
