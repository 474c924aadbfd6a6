"""Reports > Trial figures: computed in a worker, the report's own figures drawn as SVG,
numbers equal to the trial summary's, saved, printed, by site, refused without the export
permission."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import RoleGrant
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.trial_summary import TrialSummary, collect_trial_summary
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.figures_window import TrialFiguresDialog
from ctrial_desktop.ui.main_window import MainWindow
from ctrial_desktop.ui.session import UiSession, make_ui_session
from tests.gui.conftest import PASSWORD

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

SVG = "{http://www.w3.org/2000/svg}"
TITLES = ["CONSORT flow diagram", "Swimmer plot", "Waterfall plot",
          "Kaplan-Meier: progression-free survival", "Kaplan-Meier: overall survival"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A small demo trial with its clinical course, built once: the tests only read it."""
    database = open_database(f"sqlite:///{tmp_path_factory.mktemp('fig') / 'trial.sqlite3'}")
    build_demo(database, patients=6, sites=2, seed=3)
    yield database
    database.dispose()


def _session(db: Database, study: StudyDefinition, username: str) -> UiSession:
    return make_ui_session(db, AuthService(db).login(username, DEMO_PASSWORD), study)


def _summary(db: Database, study: StudyDefinition, site: str | None = None) -> TrialSummary:
    return collect_trial_summary(db, AuthService(db).login("dm", DEMO_PASSWORD), study, site)


def _texts(svg: str) -> list[tuple[float, float, str]]:
    root = ET.fromstring(svg)
    return [(float(t.get("x", "0")), float(t.get("y", "0")), t.text or "")
            for t in root.iter(f"{SVG}text")]


def _at_risk(svg: str, arm: str) -> list[int]:
    """The numbers-at-risk row of ``arm`` (label at the left edge), in time order."""
    texts = _texts(svg)
    row_y = next(y for x, y, text in texts if text == arm and x == 4.0)
    return [int(text) for _x, _y, text in
            sorted(t for t in texts if t[1] == row_y and t[2].isdigit())]


def _ready(qtbot: QtBot, dialog: TrialFiguresDialog) -> None:
    qtbot.waitUntil(lambda: dialog.figure_tabs.count() == 5 and not dialog.running,
                    timeout=120_000)


def test_menu_opens_the_figures_with_the_summary_s_numbers(
        qtbot: QtBot, db: Database, study: StudyDefinition) -> None:
    window = MainWindow(_session(db, study, "dm"))
    qtbot.addWidget(window)
    assert window.figures_action in window.reports_menu.actions()
    assert window.figures_action.isVisible()
    window.figures_action.trigger()
    dialog = window.findChild(TrialFiguresDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.running or dialog.figure_tabs.count() == 5, timeout=5000)
    _ready(qtbot, dialog)
    assert dialog.titles() == TITLES
    summary = _summary(db, study)
    arms = [(arm.arm, arm.n) for arm in summary.arms]
    assert all(n > 0 for _arm, n in arms)
    consort = dialog.current_figure()
    assert consort is not None and consort.key == "consort"
    consort_texts = {text for _x, _y, text in _texts(consort.svg)}
    assert {arm for arm, _n in arms} <= consort_texts
    assert f"n = {sum(n for _arm, n in arms)}" in consort_texts
    # Page Down / Right / Down go forward, Page Up / Left / Up back, and stop at the ends.
    tabs = dialog.figure_tabs
    for key, row in ((Qt.Key.Key_PageDown, 1), (Qt.Key.Key_Right, 2), (Qt.Key.Key_PageDown, 3)):
        qtbot.keyClick(tabs, key)
        assert tabs.currentIndex() == row
    pfs = dialog.current_figure()
    assert pfs is not None and pfs.key == "km_pfs"
    assert "Progression-free survival" in {text for _x, _y, text in _texts(pfs.svg)}
    for arm, n in arms:
        assert _at_risk(pfs.svg, arm)[0] == n
    qtbot.keyClick(tabs, Qt.Key.Key_PageDown)
    qtbot.keyClick(tabs, Qt.Key.Key_PageDown)
    os_figure = dialog.current_figure()
    assert tabs.currentIndex() == 4 and os_figure is not None and os_figure.key == "km_os"
    for arm, n in arms:
        assert _at_risk(os_figure.svg, arm)[0] == n
    qtbot.keyClick(tabs, Qt.Key.Key_Left)
    assert tabs.currentIndex() == 3
    qtbot.keyClick(tabs, Qt.Key.Key_Up)
    assert tabs.currentIndex() == 2
    qtbot.keyClick(dialog.view, Qt.Key.Key_Down)
    assert tabs.currentIndex() == 3
    assert tabs.tabToolTip(3) == TITLES[3]
    qtbot.keyClick(tabs, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_save_as_svg_and_pdf_and_print(qtbot: QtBot, db: Database, study: StudyDefinition,
                                       tmp_path: Path) -> None:
    dialog = TrialFiguresDialog(_session(db, study, "dm"))
    qtbot.addWidget(dialog)
    dialog.show()
    _ready(qtbot, dialog)
    dialog.figure_tabs.setCurrentIndex(3)
    arms = [arm.arm for arm in _summary(db, study).arms]
    svg_path = dialog.save_svg(tmp_path / "pfs")
    assert svg_path == tmp_path / "pfs.svg"
    root = ET.parse(svg_path).getroot()
    assert root.tag == f"{SVG}svg" and float(root.get("width", "0")) > 400
    assert root.findtext(f"{SVG}title") == "Kaplan-Meier: progression-free survival"
    pdf_path = dialog.save_pdf(tmp_path / "pfs.pdf")
    assert pdf_path is not None
    reader = PdfReader(str(pdf_path))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Progression-free survival" in text and all(arm in text for arm in arms)
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_to(printer)
    printed = PdfReader(str(tmp_path / "printed.pdf")).pages[0].extract_text()
    assert all(arm in printed for arm in arms)  # vector text, not a picture


def test_site_filter_and_cancel(qtbot: QtBot, db: Database, study: StudyDefinition) -> None:
    dialog = TrialFiguresDialog(_session(db, study, "dm"))
    qtbot.addWidget(dialog)
    dialog.show()
    _ready(qtbot, dialog)
    dialog.figure_tabs.setCurrentIndex(4)
    dialog.site_combo.setCurrentIndex(dialog.site_combo.findData("01"))
    assert dialog.running and not dialog.site_combo.isEnabled()
    _ready(qtbot, dialog)
    assert dialog.summary is not None and dialog.summary.site_code == "01"
    figure = dialog.current_figure()
    assert figure is not None and figure.key == "km_os"  # the same figure, for the site
    for arm in _summary(db, study, "01").arms:
        assert _at_risk(figure.svg, arm.arm)[0] == arm.n
    # Back to every site, cancelled: the site-01 figures stay, and so does their site.
    dialog.site_combo.setCurrentIndex(0)
    assert dialog.running
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=120_000)
    assert dialog.message.text() == "Cancelled: the figures were not computed."
    assert dialog.figure_tabs.count() == 5 and dialog.current_figure() is figure
    assert dialog.site_combo.currentData() == "01"
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.running
    _ready(qtbot, dialog)
    assert dialog.summary.site_code == "01"


def test_refused_without_the_export_permission(qtbot: QtBot, db: Database,
                                               study: StudyDefinition) -> None:
    session = _session(db, study, "coord01")
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert not window.figures_action.isVisible()
    dialog = TrialFiguresDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.wait(50)
    assert not dialog.running and dialog.figure_tabs.count() == 0
    assert "export permission" in dialog.message.text()
    assert not dialog.start_button.isEnabled() and not dialog.save_svg_button.isEnabled()
    assert dialog.save_svg(Path("unused")) is None


def test_a_trial_without_randomized_patient_says_so(qtbot: QtBot, study: StudyDefinition,
                                                    tmp_path: Path) -> None:
    empty = open_database(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    try:
        admin = AuthService(empty).create_first_administrator("admin", "Ada", "Admin", PASSWORD)
        SiteService(empty, admin).create_site("01", "CHRU de Lille", "Lille")
        UserService(empty, admin).create_user(
            "dm", "Denis", "Moreau", PASSWORD, [RoleGrant(Role.DATA_MANAGER, None)],
            must_change_password=False)
        session = make_ui_session(empty, AuthService(empty).login("dm", PASSWORD), study)
        dialog = TrialFiguresDialog(session)
        qtbot.addWidget(dialog)
        dialog.show()
        _ready(qtbot, dialog)
        assert dialog.message.text() == "No randomized patient yet: the figures are empty."
        dialog.close()
    finally:
        empty.dispose()
