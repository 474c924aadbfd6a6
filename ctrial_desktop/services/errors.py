"""Errors raised by services: each carries a message fit to show the user."""

from __future__ import annotations


class ServiceError(Exception):
    """A use case could not be carried out; ``str(exc)`` is the user-facing reason."""


class PermissionDenied(ServiceError):
    """The acting user's role does not allow this action here."""


class NotFound(ServiceError):
    """The named object does not exist (or is not visible to this user)."""


class ValidationError(ServiceError):
    """Input was refused. ``fields`` maps a field name to its message."""

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = dict(fields or {})


class AuthenticationError(ServiceError):
    """Wrong user name or password, disabled or locked account."""


class AccountLocked(AuthenticationError):
    """Too many failed attempts: an administrator must unlock the account."""


class ConflictError(ServiceError):
    """Somebody else changed the data since it was read (optimistic concurrency)."""
