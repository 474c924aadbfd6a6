"""Who is acting: the logged-in user as a plain, immutable value passed to services."""

from __future__ import annotations

from dataclasses import dataclass

from ctrial_desktop.domain.messages import Message
from ctrial_desktop.services.errors import PermissionDenied
from ctrial_desktop.services.permissions import (
    ACTION_WORDS,
    ROLE_WORDS,
    Action,
    Role,
    role_allows,
)
from ctrial_desktop.store.audit import AuditContext


@dataclass(frozen=True)
class RoleGrant:
    """A role at one site (``site_code``) or at every site (``site_code`` is None)."""

    role: Role
    site_code: str | None

    def covers(self, site_code: str | None) -> bool:
        return self.site_code is None or site_code is None or self.site_code == site_code

    @property
    def label(self) -> str:
        return f"{self.role.value}@{self.site_code or '*'}"

    @property
    def words(self) -> Message:
        """:attr:`label` as a message: ``coordinator@01`` in English, the role in words
        and its site in the user's language."""
        role = ROLE_WORDS[self.role]
        if self.site_code is None:
            return Message("{role}@*", role=role)
        return Message("{role}@{site}", role=role, site=self.site_code)


@dataclass(frozen=True)
class Actor:
    """The logged-in user. Widgets hold this value, never an ORM object."""

    user_id: int
    username: str
    full_name: str
    grants: tuple[RoleGrant, ...]
    session_id: str

    def can(self, action: Action, site_code: str | None = None) -> bool:
        """Whether any of the user's roles allows ``action`` at ``site_code``.

        ``site_code=None`` asks whether the user may do it at some site.
        """
        return any(g.covers(site_code) and role_allows(g.role, action) for g in self.grants)

    def require(self, action: Action, site_code: str | None = None) -> None:
        if not self.can(action, site_code):
            words = ACTION_WORDS[action]
            if site_code:
                raise PermissionDenied(Message(
                    "{username} ({roles}) is not allowed to {action} at site {site}",
                    username=self.username, roles=self.role_label, action=words,
                    site=site_code))
            raise PermissionDenied(Message("{username} ({roles}) is not allowed to {action}",
                                           username=self.username, roles=self.role_label,
                                           action=words))

    def sites_for(self, action: Action) -> frozenset[str] | None:
        """Site codes where ``action`` is allowed; None means every site."""
        codes: set[str] = set()
        for grant in self.grants:
            if role_allows(grant.role, action):
                if grant.site_code is None:
                    return None
                codes.add(grant.site_code)
        return frozenset(codes)

    @property
    def role_label(self) -> str:
        """``coordinator@01, monitor@*`` (a message: the user's language on screen)."""
        if not self.grants:
            return Message("no role")
        return Message.join(", ", (g.words for g in self.grants))

    @property
    def primary_role(self) -> Role | None:
        return self.grants[0].role if self.grants else None

    def audit_context(self, site_code: str | None = None) -> AuditContext:
        """Audit identity: role and site as they are at this moment."""
        grant = next((g for g in self.grants if g.covers(site_code)), None)
        role = grant.role.value if grant else "none"
        return AuditContext(self.user_id, self.username, role, site_code or "", self.session_id)
