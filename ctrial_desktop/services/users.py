"""User and site administration (administrators only). Users are never deleted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctrial_desktop.domain.messages import Message
from ctrial_desktop.services.auth import (
    SecuritySettings,
    check_password_rules,
    check_username,
    hash_password,
    now_utc,
)
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.errors import NotFound, ValidationError
from ctrial_desktop.services.permissions import Action, Role
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import RoleAssignment, Site, User


@dataclass(frozen=True)
class UserRow:
    """A user as shown in the user-management screen."""

    id: int
    username: str
    first_name: str
    last_name: str
    active: bool
    locked: bool
    must_change_password: bool
    grants: tuple[RoleGrant, ...]
    last_login_at: dt.datetime | None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def roles_label(self) -> str:
        return ", ".join(g.label for g in self.grants)


@dataclass(frozen=True)
class SiteRow:
    id: int
    code: str
    name: str
    city: str
    active: bool


def _require_reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError(Message("A reason is required for this change."),
                              {"reason": "required"})
    return reason.strip()


def _site_ids(session: Session, grants: Iterable[RoleGrant]) -> list[tuple[str, int | None]]:
    resolved = []
    for grant in grants:
        if grant.site_code is None:
            resolved.append((grant.role.value, None))
            continue
        site = session.scalar(select(Site).where(Site.code == grant.site_code))
        if site is None:
            raise ValidationError(Message("Unknown site {site_code}.",
                                          site_code=grant.site_code), {"sites": "unknown site"})
        resolved.append((grant.role.value, site.id))
    return resolved


class UserService:
    """Create, disable, unlock and reset users; assign roles per site."""

    def __init__(self, db: Database, actor: Actor, settings: SecuritySettings | None = None):
        self.db = db
        self.actor = actor
        self.settings = settings or SecuritySettings()

    def _row(self, session: Session, user: User) -> UserRow:
        rows = session.execute(
            select(RoleAssignment.role, Site.code)
            .outerjoin(Site, RoleAssignment.site_id == Site.id)
            .where(RoleAssignment.user_id == user.id, RoleAssignment.active.is_(True))
            .order_by(RoleAssignment.id)
        ).all()
        return UserRow(user.id, user.username, user.first_name, user.last_name, user.active,
                       user.locked, user.must_change_password,
                       tuple(RoleGrant(Role(r), c) for r, c in rows), user.last_login_at)

    def list_users(self) -> list[UserRow]:
        self.actor.require(Action.MANAGE_USERS)
        with self.db.read() as session:
            users = session.scalars(select(User).order_by(User.username)).all()
            return [self._row(session, u) for u in users]

    def create_user(
        self,
        username: str,
        first_name: str,
        last_name: str,
        password: str,
        grants: Iterable[RoleGrant],
        *,
        must_change_password: bool = True,
    ) -> UserRow:
        """A new account; by default it must change its password at first login."""
        self.actor.require(Action.MANAGE_USERS)
        username = username.strip().lower()
        check_username(username)
        fields = {}
        if not first_name.strip():
            fields["first_name"] = "required"
        if not last_name.strip():
            fields["last_name"] = "required"
        if fields:
            raise ValidationError(Message("First and last name are required."), fields)
        check_password_rules(password, username, self.settings)
        grants = list(grants)
        if not grants:
            raise ValidationError(Message("Give the user at least one role."),
                                  {"roles": "required"})
        ctx = self.actor.audit_context()
        with self.db.write() as session:
            if session.scalar(select(User.id).where(User.username == username)) is not None:
                raise ValidationError(Message("The user name {username} is taken.",
                                              username=username),
                                      {"username": "already exists"})
            user = User(username=username, first_name=first_name.strip(),
                        last_name=last_name.strip(), password_hash=hash_password(password),
                        created_at=now_utc(), active=True, locked=False, failed_attempts=0,
                        must_change_password=must_change_password, language="")
            self.db.audit.insert(session, ctx, user, reason="user created")
            for role, site_id in _site_ids(session, grants):
                self.db.audit.insert(session, ctx, RoleAssignment(
                    user_id=user.id, site_id=site_id, role=role, active=True),
                    reason="user created")
            return self._row(session, user)

    def _get(self, session: Session, user_id: int) -> User:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(Message("No user #{user_id}.", user_id=user_id))
        return user

    def set_active(self, user_id: int, active: bool, reason: str) -> UserRow:
        self.actor.require(Action.MANAGE_USERS)
        reason = _require_reason(reason)
        if user_id == self.actor.user_id and not active:
            raise ValidationError(Message("You cannot disable your own account."))
        with self.db.write() as session:
            user = self._get(session, user_id)
            self.db.audit.update(session, self.actor.audit_context(), user,
                                 {"active": active}, reason)
            return self._row(session, user)

    def unlock(self, user_id: int, reason: str) -> UserRow:
        self.actor.require(Action.MANAGE_USERS)
        reason = _require_reason(reason)
        with self.db.write() as session:
            user = self._get(session, user_id)
            user.failed_attempts = 0
            self.db.audit.update(session, self.actor.audit_context(), user,
                                 {"locked": False}, reason)
            return self._row(session, user)

    def reset_password(self, user_id: int, new_password: str, reason: str) -> UserRow:
        """Set a temporary password, unlock, and require a change at next login."""
        self.actor.require(Action.MANAGE_USERS)
        reason = _require_reason(reason)
        with self.db.write() as session:
            user = self._get(session, user_id)
            check_password_rules(new_password, user.username, self.settings)
            user.failed_attempts = 0
            user.password_changed_at = now_utc()
            self.db.audit.update(
                session, self.actor.audit_context(), user,
                {"password_hash": hash_password(new_password), "must_change_password": True,
                 "locked": False}, reason)
            return self._row(session, user)

    def set_grants(self, user_id: int, grants: Iterable[RoleGrant], reason: str) -> UserRow:
        """Replace the user's roles: removed ones are inactivated, new ones added."""
        self.actor.require(Action.MANAGE_USERS)
        reason = _require_reason(reason)
        grants = list(grants)
        if not grants:
            raise ValidationError(Message("Give the user at least one role."),
                                  {"roles": "required"})
        ctx = self.actor.audit_context()
        with self.db.write() as session:
            user = self._get(session, user_id)
            wanted = set(_site_ids(session, grants))
            current = session.scalars(select(RoleAssignment).where(
                RoleAssignment.user_id == user.id, RoleAssignment.active.is_(True))).all()
            for assignment in current:
                key = (assignment.role, assignment.site_id)
                if key in wanted:
                    wanted.discard(key)
                else:
                    self.db.audit.update(session, ctx, assignment, {"active": False}, reason)
            for role, site_id in sorted(wanted, key=lambda k: (k[0], k[1] or 0)):
                self.db.audit.insert(session, ctx, RoleAssignment(
                    user_id=user.id, site_id=site_id, role=role, active=True), reason=reason)
            return self._row(session, user)


class SiteService:
    """Sites: listing for everyone, creation and activation for administrators."""

    def __init__(self, db: Database, actor: Actor) -> None:
        self.db = db
        self.actor = actor

    def list_sites(self) -> list[SiteRow]:
        with self.db.read() as session:
            return [SiteRow(s.id, s.code, s.name, s.city, s.active)
                    for s in session.scalars(select(Site).order_by(Site.code))]

    def create_site(self, code: str, name: str, city: str = "") -> SiteRow:
        self.actor.require(Action.MANAGE_SITES)
        code = code.strip()
        if not (code.isdigit() and 1 <= len(code) <= 3):
            raise ValidationError(Message("A site code is 1-3 digits, e.g. 03."),
                                  {"code": "invalid"})
        code = code.zfill(2)
        if not name.strip():
            raise ValidationError(Message("The site needs a name."), {"name": "required"})
        with self.db.write() as session:
            if session.scalar(select(Site.id).where(Site.code == code)) is not None:
                raise ValidationError(Message("Site {code} exists already.",
                                              code=code), {"code": "exists"})
            site = Site(code=code, name=name.strip(), city=city.strip(), active=False,
                        created_at=now_utc())
            self.db.audit.insert(session, self.actor.audit_context(code), site,
                                 reason="site created")
            return SiteRow(site.id, site.code, site.name, site.city, site.active)

    def set_active(self, code: str, active: bool, reason: str) -> SiteRow:
        """Activate a site (data entry allowed) or deactivate it."""
        self.actor.require(Action.MANAGE_SITES)
        reason = _require_reason(reason)
        with self.db.write() as session:
            site = session.scalar(select(Site).where(Site.code == code))
            if site is None:
                raise NotFound(Message("No site {code}.", code=code))
            self.db.audit.update(session, self.actor.audit_context(code), site,
                                 {"active": active}, reason)
            return SiteRow(site.id, site.code, site.name, site.city, site.active)
