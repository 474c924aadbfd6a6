"""Site management: create a site, create the study's sites, activate with a reason."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.users import SiteService
from ctrial_desktop.store.database import Database
from ctrial_desktop.ui.field_messages import error_text
from ctrial_desktop.ui.sites_dialog import SitesDialog

# The offscreen platform plugin warns when a dialog is shown; harmless.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

STUDY_SITES = (("01", "CHRU de Lille", "Lille"), ("02", "CHU de Nantes", "Nantes"))


@pytest.fixture
def service(db: Database, admin: Actor) -> SiteService:
    return SiteService(db, admin)


@pytest.fixture
def dialog(qtbot: QtBot, service: SiteService) -> SitesDialog:
    widget = SitesDialog(service, STUDY_SITES)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _rows(dialog: SitesDialog) -> list[list[str]]:
    return [[dialog.table.item(r, c).text() for c in range(4)]
            for r in range(dialog.table.rowCount())]


def test_create_site_by_typing(qtbot: QtBot, dialog: SitesDialog,
                               service: SiteService) -> None:
    qtbot.mouseClick(dialog.code_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.code_edit, "3")
    qtbot.keyClick(dialog.code_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.focusWidget(), "CHU de Toulouse")
    qtbot.keyClicks(dialog.city_edit, "Toulouse")
    qtbot.keyClick(dialog.city_edit, Qt.Key.Key_Return)
    assert _rows(dialog) == [["03", "CHU de Toulouse", "Toulouse", "Inactive"]]
    assert dialog.code_edit.text() == ""
    assert error_text(dialog.errors["name"]) == ""  # created once, no second attempt
    assert [s.code for s in service.list_sites()] == ["03"]


def test_invalid_site_shows_errors_next_to_fields(qtbot: QtBot, dialog: SitesDialog) -> None:
    qtbot.keyClicks(dialog.code_edit, "ab")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert "1-3 digits" in error_text(dialog.errors["code"])
    dialog.code_edit.clear()
    qtbot.keyClicks(dialog.code_edit, "04")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert "needs a name" in error_text(dialog.errors["name"])
    assert error_text(dialog.errors["code"]) == ""
    assert dialog.table.rowCount() == 0


def test_study_sites_in_one_click_then_activate(qtbot: QtBot, dialog: SitesDialog,
                                                service: SiteService) -> None:
    assert dialog.study_sites_button.isEnabled()
    qtbot.mouseClick(dialog.study_sites_button, Qt.MouseButton.LeftButton)
    assert [row[:2] for row in _rows(dialog)] == [["01", "CHRU de Lille"],
                                                  ["02", "CHU de Nantes"]]
    assert all(row[3] == "Inactive" for row in _rows(dialog))
    assert not dialog.study_sites_button.isEnabled()
    dialog.select_site("02")
    assert dialog.active_button.text() == "&Activate…"
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    reason = dialog.reason_dialog
    assert reason is not None and reason.isVisible()
    qtbot.mouseClick(reason.ok_button, Qt.MouseButton.LeftButton)
    assert "reason is required" in error_text(reason.reason_error)
    qtbot.keyClicks(reason.reason_edit, "site initiation visit done")
    qtbot.keyClick(reason.reason_edit, Qt.Key.Key_Return)
    assert not reason.isVisible()
    assert _rows(dialog)[1][3] == "Active"
    assert {s.code: s.active for s in service.list_sites()} == {"01": False, "02": True}
    assert dialog.active_button.text() == "&Deactivate…"


def test_escape_on_reason_cancels(qtbot: QtBot, dialog: SitesDialog,
                                  service: SiteService) -> None:
    service.create_site("05", "CHU de Bordeaux", "Bordeaux")
    dialog.refresh()
    dialog.select_site("05")
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    reason = dialog.reason_dialog
    assert reason is not None
    qtbot.keyClicks(reason.reason_edit, "typo")
    qtbot.keyClick(reason.reason_edit, Qt.Key.Key_Escape)
    assert not reason.isVisible()
    assert not service.list_sites()[0].active
