"""Reports from the GUI: generated in a worker, previewed, printed, saved; cancel works."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from ctrial_desktop.paths import data_dir
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.ui.report_dialog import ReportDialog, available_kinds
from ctrial_desktop.ui.session import make_ui_session


@pytest.fixture
def demo_session(db, study):  # type: ignore[no-untyped-def]
    build_demo(db, patients=6, sites=2, seed=3, clinical=False)

    def session(username: str):  # type: ignore[no-untyped-def]
        actor = AuthService(db).login(username, DEMO_PASSWORD)
        return make_ui_session(db, actor, study)

    return session


def test_reports_offered_follow_the_role(demo_session) -> None:  # type: ignore[no-untyped-def]
    coordinator = {k.name for k in available_kinds(demo_session("coord01"))}
    monitor = {k.name for k in available_kinds(demo_session("monitor"))}
    assert "audit-review" not in coordinator and "audit-review" in monitor
    assert "randomization-log" in monitor and "blank-crf" in coordinator


def test_generate_preview_print_and_save(qtbot, demo_session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = ReportDialog(demo_session("monitor"), kind="screening-log")
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.generated, timeout=60000) as blocker:
        qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert Path(blocker.args[0]).exists()
    assert dialog.preview.page_count >= 1
    assert "page(s) ready" in dialog.message.text()
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.preview.print_to(printer) == dialog.preview.page_count
    assert (tmp_path / "printed.pdf").stat().st_size > 1000
    dialog.preview.save_to(tmp_path / "copy")
    assert (tmp_path / "copy.pdf").read_bytes()[:4] == b"%PDF"


def test_cancel_leaves_no_report(qtbot, demo_session) -> None:  # type: ignore[no-untyped-def]
    dialog = ReportDialog(demo_session("coord01"), kind="blank-crf")
    qtbot.addWidget(dialog)
    dialog.show()
    folder = data_dir() / "reports"
    before = set(folder.glob("blank-crf-*.pdf")) if folder.exists() else set()
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    # The click lands microseconds later; laying out 27 pages takes far longer.
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.generate_button.isEnabled(), timeout=60000)
    assert dialog.message.text() == "Cancelled: no report was written."
    assert set(folder.glob("blank-crf-*.pdf")) == before
