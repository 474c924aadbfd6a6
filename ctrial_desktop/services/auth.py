"""Logging in, locking and passwords.

Passwords are hashed with argon2id (argon2-cffi). After ``max_failed_logins``
consecutive failures the account locks until an administrator unlocks it. Every
login, failed login, session lock and unlock is written to the audit trail.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctrial_desktop.domain.messages import Message
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.errors import (
    AccountLocked,
    AuthenticationError,
    ServiceError,
    ValidationError,
)
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.store.audit import AuditContext
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import RoleAssignment, Site, User

_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
USERNAME_RE = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")


@dataclass(frozen=True)
class SecuritySettings:
    """Security settings from ``forms/study.yaml`` (``settings.security``)."""

    min_password_length: int = 10
    max_failed_logins: int = 5
    idle_lock_minutes: int = 15


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_problems(password: str, username: str, settings: SecuritySettings) -> list[str]:
    """Reasons a new password is refused (empty when it is acceptable)."""
    problems = []
    if len(password) < settings.min_password_length:
        problems.append(Message("at least {count} characters",
                                count=settings.min_password_length))
    if not re.search(r"[^\W\d_]", password):
        problems.append(Message("at least one letter"))
    if not re.search(r"\d", password):
        problems.append(Message("at least one digit"))
    if username and username.lower() in password.lower():
        problems.append(Message("must not contain the user name"))
    return problems


def check_password_rules(password: str, username: str, settings: SecuritySettings) -> None:
    problems = password_problems(password, username, settings)
    if problems:
        raise ValidationError(
            Message("The password needs {problems}.", problems=Message.join(", ", problems)),
            {"password": "; ".join(problems)}
        )


def check_username(username: str) -> None:
    if not USERNAME_RE.match(username):
        raise ValidationError(
            Message("A user name is 2-64 characters: lower-case letters, digits, '.', '_' or "
                    "'-', starting with a letter."),
            {"username": "invalid user name"},
        )


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def load_actor(session: Session, user: User, session_id: str) -> Actor:
    """The immutable :class:`Actor` of a user, with their active role grants."""
    rows = session.execute(
        select(RoleAssignment.role, Site.code)
        .outerjoin(Site, RoleAssignment.site_id == Site.id)
        .where(RoleAssignment.user_id == user.id, RoleAssignment.active.is_(True))
        .order_by(RoleAssignment.id)
    ).all()
    grants = tuple(RoleGrant(Role(role), code) for role, code in rows)
    return Actor(user.id, user.username, user.full_name, grants, session_id)


def _context_for(user: User | None, username: str, session_id: str) -> AuditContext:
    return AuditContext(user.id if user else None, username[:64], "", "", session_id)


class AuthService:
    """Authentication use cases. Needs no logged-in user."""

    def __init__(self, db: Database, settings: SecuritySettings | None = None) -> None:
        self.db = db
        self.settings = settings or SecuritySettings()

    def has_users(self) -> bool:
        with self.db.read() as session:
            return bool(session.scalar(select(func.count(User.id))))

    def create_first_administrator(
        self, username: str, first_name: str, last_name: str, password: str
    ) -> Actor:
        """Create the first account (an administrator); refused once any user exists."""
        username = username.strip().lower()
        check_username(username)
        if not first_name.strip() or not last_name.strip():
            raise ValidationError(Message("First and last name are required."),
                                  {"first_name": "required", "last_name": "required"})
        check_password_rules(password, username, self.settings)
        session_id = uuid.uuid4().hex
        with self.db.write() as session:
            if session.scalar(select(func.count(User.id))):
                raise ServiceError(Message("An administrator already exists; log in instead."))
            user = User(
                username=username,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                password_hash=hash_password(password),
                created_at=now_utc(),
                password_changed_at=now_utc(),
                active=True,
                locked=False,
                failed_attempts=0,
                must_change_password=False,
                language="",
            )
            session.add(user)
            session.flush()
            ctx = AuditContext(user.id, username, Role.ADMINISTRATOR.value, "", session_id)
            self.db.audit.insert(session, ctx, user, reason="first administrator")
            grant = RoleAssignment(user_id=user.id, site_id=None,
                                   role=Role.ADMINISTRATOR.value, active=True)
            self.db.audit.insert(session, ctx, grant, reason="first administrator")
            self.db.audit.append(session, ctx, "LOGIN", table_name="app_user",
                                 record_id=user.id, item="session", new_value=session_id)
            return load_actor(session, user, session_id)

    def login(self, username: str, password: str) -> Actor:
        """Check the password and open a session; failures are counted and audited."""
        username = username.strip().lower()
        session_id = uuid.uuid4().hex
        with self.db.write() as session:
            user = session.scalar(select(User).where(User.username == username))
            ctx = _context_for(user, username or "(empty)", session_id)
            if user is None:
                self.db.audit.append(session, ctx, "LOGIN_FAILED", item="session",
                                     reason="unknown user name")
                failure: AuthenticationError | None = AuthenticationError(
                    Message("Unknown user name or wrong password."))
            else:
                failure = self._check(session, user, password, ctx)
                if failure is None:
                    user.last_login_at = now_utc()
                    if _HASHER.check_needs_rehash(user.password_hash):
                        self.db.audit.update(session, ctx, user,
                                             {"password_hash": hash_password(password)},
                                             "password re-hashed with current parameters")
                    self.db.audit.append(session, ctx, "LOGIN", table_name="app_user",
                                         record_id=user.id, item="session",
                                         new_value=session_id)
                    return load_actor(session, user, session_id)
        assert failure is not None
        raise failure

    def _check(
        self, session: Session, user: User, password: str, ctx: AuditContext
    ) -> AuthenticationError | None:
        """None when the password is right; otherwise the error, with the failure recorded."""
        if not user.active:
            self.db.audit.append(session, ctx, "LOGIN_FAILED", table_name="app_user",
                                 record_id=user.id, item="session", reason="account disabled")
            return AuthenticationError(Message("This account is disabled. Ask an administrator."))
        if user.locked:
            self.db.audit.append(session, ctx, "LOGIN_FAILED", table_name="app_user",
                                 record_id=user.id, item="session", reason="account locked")
            return AccountLocked(Message("This account is locked after too many failed attempts. "
                                         "Ask an administrator to unlock it."))
        if password_matches(user.password_hash, password):
            user.failed_attempts = 0
            return None
        user.failed_attempts += 1
        self.db.audit.append(session, ctx, "LOGIN_FAILED", table_name="app_user",
                             record_id=user.id, item="session",
                             new_value=str(user.failed_attempts), reason="wrong password")
        left = self.settings.max_failed_logins - user.failed_attempts
        if left <= 0:
            self.db.audit.update(
                session, ctx, user, {"locked": True},
                f"locked after {user.failed_attempts} failed attempts", require_reason=False)
            return AccountLocked(Message("Wrong password. The account is now locked after "
                                         "{failed_attempts} failed attempts; ask an "
                                         "administrator to unlock it.",
                                         failed_attempts=user.failed_attempts))
        if left == 1:
            return AuthenticationError(Message(
                "Unknown user name or wrong password (1 attempt left before the account locks)."))
        return AuthenticationError(Message(
            "Unknown user name or wrong password ({left} attempts left before the account "
            "locks).", left=left))

    def reauthenticate(self, actor: Actor, password: str, purpose: str) -> None:
        """Re-enter the password (unlocking an idle session, signing). Failures count."""
        with self.db.write() as session:
            user = session.get(User, actor.user_id)
            if user is None:
                raise AuthenticationError(Message("Unknown user."))
            ctx = AuditContext(user.id, user.username, actor.audit_context().role, "",
                               actor.session_id)
            failure = self._check(session, user, password, ctx)
            if failure is None:
                self.db.audit.append(session, ctx, "REAUTHENTICATED", table_name="app_user",
                                     record_id=user.id, item="session", reason=purpose)
        if failure is not None:
            raise failure

    def lock_session(self, actor: Actor, reason: str) -> None:
        with self.db.write() as session:
            self.db.audit.append(session, actor.audit_context(), "SESSION_LOCKED",
                                 table_name="app_user", record_id=actor.user_id,
                                 item="session", new_value=actor.session_id, reason=reason)

    def unlock_session(self, actor: Actor, password: str) -> None:
        """Unlock an idle-locked session with the user's password (audited)."""
        self.reauthenticate(actor, password, "session unlocked")
        with self.db.write() as session:
            self.db.audit.append(session, actor.audit_context(), "SESSION_UNLOCKED",
                                 table_name="app_user", record_id=actor.user_id,
                                 item="session", new_value=actor.session_id)

    def logout(self, actor: Actor) -> None:
        with self.db.write() as session:
            self.db.audit.append(session, actor.audit_context(), "LOGOUT",
                                 table_name="app_user", record_id=actor.user_id,
                                 item="session", new_value=actor.session_id)

    def must_change_password(self, actor: Actor) -> bool:
        with self.db.read() as session:
            user = session.get(User, actor.user_id)
            return bool(user and user.must_change_password)

    def change_password(self, actor: Actor, old_password: str, new_password: str) -> None:
        check_password_rules(new_password, actor.username, self.settings)
        if old_password == new_password:
            raise ValidationError(Message("The new password must differ from the old one."),
                                  {"password": "same as the old password"})
        with self.db.write() as session:
            user = session.get(User, actor.user_id)
            if user is None or not password_matches(user.password_hash, old_password):
                raise AuthenticationError(Message("The current password is wrong."))
            user.password_changed_at = now_utc()
            self.db.audit.update(
                session, actor.audit_context(), user,
                {"password_hash": hash_password(new_password), "must_change_password": False},
                "password changed by the user")
