"""User management driven through the real dialogs: create, roles, disable, unlock, reset."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.errors import AccountLocked, AuthenticationError
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.database import Database
from ctrial_desktop.ui.field_messages import error_text
from ctrial_desktop.ui.users_dialog import UsersDialog

# The offscreen platform plugin warns when a dialog is shown; harmless.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

OTHER_PASSWORD = "site-password-77"


@pytest.fixture
def dialog(qtbot: QtBot, db: Database, admin: Actor) -> UsersDialog:
    sites = SiteService(db, admin)
    for code, name in (("01", "Lille"), ("03", "Toulouse")):
        sites.create_site(code, name, name)
    widget = UsersDialog(UserService(db, admin), sites)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _table_text(dialog: UsersDialog) -> list[list[str]]:
    table = dialog.table
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def _create_coordinator(qtbot: QtBot, dialog: UsersDialog, password: str) -> None:
    _click(qtbot, dialog.new_button)
    edit = dialog.edit_dialog
    assert edit is not None and edit.isVisible()
    qtbot.keyClicks(edit.username_edit, "mdurand")
    qtbot.keyClicks(edit.first_name_edit, "Marie")
    qtbot.keyClicks(edit.last_name_edit, "Durand")
    edit.password_edit.clear()
    qtbot.keyClicks(edit.password_edit, password)
    edit.set_grant(RoleGrant(Role.COORDINATOR, "03"))
    edit.set_grant(RoleGrant(Role.MONITOR, "01"))
    _click(qtbot, edit.ok_button)
    assert not edit.isVisible()


def test_no_delete_button_and_admin_listed(dialog: UsersDialog) -> None:
    texts = [b.text().replace("&", "").lower() for b in dialog.findChildren(QPushButton)]
    assert not any("delete" in t for t in texts)
    assert _table_text(dialog)[0][:2] == ["admin", "Ada Admin"]
    assert _table_text(dialog)[0][3] == "Active"


def test_create_user_with_roles_per_site(qtbot: QtBot, dialog: UsersDialog, db: Database) -> None:
    _click(qtbot, dialog.new_button)
    edit = dialog.edit_dialog
    assert edit is not None
    assert len(edit.password_edit.text()) >= 10  # a temporary password is proposed
    qtbot.keyClicks(edit.username_edit, "mdurand")
    _click(qtbot, edit.ok_button)  # names and roles missing
    assert edit.isVisible()
    assert error_text(edit.errors["first_name"]) or error_text(edit.general_error)
    qtbot.keyClicks(edit.first_name_edit, "Marie")
    qtbot.keyClicks(edit.last_name_edit, "Durand")
    _click(qtbot, edit.ok_button)
    assert "at least one role" in error_text(edit.errors["roles"])
    edit.set_grant(RoleGrant(Role.COORDINATOR, "03"))
    edit.set_grant(RoleGrant(Role.MONITOR, "01"))
    temporary = edit.password_edit.text()
    _click(qtbot, edit.ok_button)
    assert not edit.isVisible()
    rows = {row[0]: row for row in _table_text(dialog)}
    assert set(rows["mdurand"][2].split(", ")) == {"Coordinator @ 03", "Monitor @ 01"}
    assert dialog.selected_user() is not None
    assert dialog.selected_user().username == "mdurand"
    actor = AuthService(db).login("mdurand", temporary)
    assert set(actor.grants) == {RoleGrant(Role.COORDINATOR, "03"),
                                 RoleGrant(Role.MONITOR, "01")}
    assert AuthService(db).must_change_password(actor)


def test_disable_requires_a_reason(qtbot: QtBot, dialog: UsersDialog, db: Database) -> None:
    _create_coordinator(qtbot, dialog, OTHER_PASSWORD)
    dialog.select_user("mdurand")
    assert dialog.active_button.text() == "&Disable…"
    _click(qtbot, dialog.active_button)
    reason = dialog.reason_dialog
    assert reason is not None and reason.isVisible()
    assert "mdurand" in reason.windowTitle()
    _click(qtbot, reason.ok_button)
    assert "reason is required" in error_text(reason.reason_error)
    assert reason.isVisible()
    qtbot.keyClicks(reason.reason_edit, "left the site")
    qtbot.keyClick(reason.reason_edit, Qt.Key.Key_Return)
    assert not reason.isVisible()
    rows = {row[0]: row for row in _table_text(dialog)}
    assert rows["mdurand"][3] == "Disabled"
    with pytest.raises(AuthenticationError, match="disabled"):
        AuthService(db).login("mdurand", OTHER_PASSWORD)
    assert dialog.active_button.text() == "&Enable…"


def test_lockout_then_unlock_by_administrator(qtbot: QtBot, dialog: UsersDialog,
                                             db: Database) -> None:
    _create_coordinator(qtbot, dialog, OTHER_PASSWORD)
    auth = AuthService(db)
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            auth.login("mdurand", "wrong-password-9")
    with pytest.raises(AccountLocked):
        auth.login("mdurand", "wrong-password-9")
    dialog.refresh()
    dialog.select_user("mdurand")
    rows = {row[0]: row for row in _table_text(dialog)}
    assert rows["mdurand"][3] == "Locked"
    _click(qtbot, dialog.unlock_button)
    reason = dialog.reason_dialog
    assert reason is not None
    qtbot.keyClicks(reason.reason_edit, "identity checked by phone")
    _click(qtbot, reason.ok_button)
    rows = {row[0]: row for row in _table_text(dialog)}
    assert rows["mdurand"][3] == "Active"
    assert not dialog.unlock_button.isEnabled()
    assert auth.login("mdurand", OTHER_PASSWORD).username == "mdurand"


def test_reset_password_sets_the_temporary_one(qtbot: QtBot, dialog: UsersDialog,
                                               db: Database) -> None:
    _create_coordinator(qtbot, dialog, OTHER_PASSWORD)
    dialog.select_user("mdurand")
    _click(qtbot, dialog.reset_button)
    reason = dialog.reason_dialog
    assert reason is not None
    temporary = reason.password_edit.text()
    assert temporary
    reason.password_edit.clear()
    qtbot.keyClicks(reason.password_edit, "short")
    qtbot.keyClicks(reason.reason_edit, "forgotten password")
    _click(qtbot, reason.ok_button)
    assert "at least 10 characters" in error_text(reason.password_error)
    reason.password_edit.clear()
    qtbot.keyClicks(reason.password_edit, temporary)
    _click(qtbot, reason.ok_button)
    assert not reason.isVisible()
    actor = AuthService(db).login("mdurand", temporary)
    assert AuthService(db).must_change_password(actor)


def test_edit_roles_with_reason(qtbot: QtBot, dialog: UsersDialog, db: Database,
                                admin: Actor) -> None:
    _create_coordinator(qtbot, dialog, OTHER_PASSWORD)
    dialog.select_user("mdurand")
    _click(qtbot, dialog.roles_button)
    edit = dialog.edit_dialog
    assert edit is not None
    assert edit.username_edit.isReadOnly()
    assert set(edit.grants()) == {RoleGrant(Role.COORDINATOR, "03"),
                                  RoleGrant(Role.MONITOR, "01")}
    edit.set_grant(RoleGrant(Role.MONITOR, "01"), checked=False)
    edit.set_grant(RoleGrant(Role.INVESTIGATOR, "03"))
    _click(qtbot, edit.ok_button)
    assert "reason is required" in error_text(edit.errors["reason"])
    qtbot.keyClicks(edit.reason_edit, "became sub-investigator")
    _click(qtbot, edit.ok_button)
    assert not edit.isVisible()
    row = next(r for r in UserService(db, admin).list_users() if r.username == "mdurand")
    assert set(row.grants) == {RoleGrant(Role.COORDINATOR, "03"),
                               RoleGrant(Role.INVESTIGATOR, "03")}


def test_admin_cannot_disable_self(qtbot: QtBot, dialog: UsersDialog) -> None:
    dialog.select_user("admin")
    _click(qtbot, dialog.active_button)
    reason = dialog.reason_dialog
    assert reason is not None
    qtbot.keyClicks(reason.reason_edit, "testing")
    _click(qtbot, reason.ok_button)
    assert "own account" in error_text(reason.general_error)
    assert reason.isVisible()
    assert _table_text(dialog)[0][3] == "Active"
