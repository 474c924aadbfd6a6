"""Login, lockout, passwords and their audit records."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ctrial_desktop.services.auth import (
    AuthService,
    SecuritySettings,
    hash_password,
    password_matches,
    password_problems,
)
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.errors import (
    AccountLocked,
    AuthenticationError,
    ServiceError,
    ValidationError,
)
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import UserService
from ctrial_desktop.store.audit import verify
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import AuditRecord, User
from tests.unit.conftest import PASSWORD


def _actions(db: Database) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)))


def test_passwords_are_argon2id_hashes() -> None:
    digest = hash_password("correct-horse-42")
    assert digest.startswith("$argon2id$")
    assert password_matches(digest, "correct-horse-42")
    assert not password_matches(digest, "correct-horse-43")
    assert not password_matches("not a hash", "x")


@pytest.mark.parametrize(
    ("password", "problem"),
    [("short1", "at least 10 characters"), ("onlyletters", "at least one digit"),
     ("1234567890", "at least one letter"), ("marie-2010-xx", "must not contain the user name")],
)
def test_password_rules(password: str, problem: str) -> None:
    assert problem in password_problems(password, "marie", SecuritySettings())


def test_first_administrator_only_once(db: Database) -> None:
    auth = AuthService(db)
    assert not auth.has_users()
    admin = auth.create_first_administrator("Admin", "Ada", "Admin", PASSWORD)
    assert admin.username == "admin"
    assert admin.grants == (RoleGrant(Role.ADMINISTRATOR, None),)
    assert auth.has_users()
    with pytest.raises(ServiceError, match="already exists"):
        auth.create_first_administrator("other", "O", "T", PASSWORD)


def test_first_administrator_password_rules(db: Database) -> None:
    with pytest.raises(ValidationError, match="at least 10 characters"):
        AuthService(db).create_first_administrator("admin", "Ada", "Admin", "short1")
    assert not AuthService(db).has_users()


def test_login_and_logout_are_audited(db: Database, admin: Actor) -> None:
    auth = AuthService(db)
    actor = auth.login("ADMIN ", PASSWORD)
    assert actor.user_id == admin.user_id and actor.session_id != admin.session_id
    auth.logout(actor)
    assert _actions(db)[-2:] == ["LOGIN", "LOGOUT"]


def test_wrong_password_counts_down_then_locks(db: Database, admin: Actor) -> None:
    auth = AuthService(db, SecuritySettings(max_failed_logins=5))
    for left in (4, 3, 2, 1):
        with pytest.raises(AuthenticationError, match=f"{left} attempt"):
            auth.login("admin", "wrong-password-1")
    with pytest.raises(AccountLocked, match="now locked"):
        auth.login("admin", "wrong-password-1")
    with pytest.raises(AccountLocked):
        auth.login("admin", PASSWORD)  # even the right password
    actions = _actions(db)
    assert actions.count("LOGIN_FAILED") == 6
    assert "UPDATE" in actions  # the lock itself
    with db.read() as s:
        assert verify(s).ok


def test_administrator_unlocks_and_failures_reset(db: Database, admin: Actor) -> None:
    users = UserService(db, admin)
    row = users.create_user("marie", "Marie", "Durand", PASSWORD,
                            [RoleGrant(Role.COORDINATOR, None)])
    auth = AuthService(db, SecuritySettings(max_failed_logins=2))
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            auth.login("marie", "bad-password-9")
    assert users.list_users()[1].locked
    with pytest.raises(ValidationError, match="reason"):
        users.unlock(row.id, "")
    users.unlock(row.id, "identity checked by phone")
    assert auth.login("marie", PASSWORD).username == "marie"
    with db.read() as s:
        assert s.scalar(select(User.failed_attempts).where(User.username == "marie")) == 0


def test_unknown_user_is_audited_without_revealing_which_part_was_wrong(db: Database,
                                                                         admin: Actor) -> None:
    with pytest.raises(AuthenticationError, match="Unknown user name or wrong password"):
        AuthService(db).login("nobody", PASSWORD)
    assert _actions(db)[-1] == "LOGIN_FAILED"


def test_disabled_user_cannot_log_in(db: Database, admin: Actor) -> None:
    users = UserService(db, admin)
    row = users.create_user("marie", "Marie", "Durand", PASSWORD,
                            [RoleGrant(Role.COORDINATOR, None)])
    users.set_active(row.id, False, "left the site")
    with pytest.raises(AuthenticationError, match="disabled"):
        AuthService(db).login("marie", PASSWORD)


def test_new_user_must_change_password(db: Database, admin: Actor) -> None:
    UserService(db, admin).create_user("marie", "Marie", "Durand", PASSWORD,
                                       [RoleGrant(Role.COORDINATOR, None)])
    auth = AuthService(db)
    marie = auth.login("marie", PASSWORD)
    assert auth.must_change_password(marie)
    with pytest.raises(AuthenticationError):
        auth.change_password(marie, "not-my-password1", "brand-new-pass-7")
    with pytest.raises(ValidationError):
        auth.change_password(marie, PASSWORD, "weak")
    auth.change_password(marie, PASSWORD, "brand-new-pass-7")
    assert not auth.must_change_password(marie)
    assert auth.login("marie", "brand-new-pass-7")


def test_session_lock_and_unlock(db: Database, admin: Actor) -> None:
    auth = AuthService(db)
    auth.lock_session(admin, "idle for 15 minutes")
    with pytest.raises(AuthenticationError):
        auth.unlock_session(admin, "wrong-password-1")
    auth.unlock_session(admin, PASSWORD)
    actions = _actions(db)
    assert actions[-1] == "SESSION_UNLOCKED"
    assert "SESSION_LOCKED" in actions and "REAUTHENTICATED" in actions


def test_audit_trail_never_holds_password_hashes(db: Database, admin: Actor) -> None:
    with db.read() as s:
        values = [v for v in s.scalars(select(AuditRecord.new_value)) if v]
    assert not any("$argon2" in v for v in values)
    assert any(v.startswith("sha256:") for v in values)
