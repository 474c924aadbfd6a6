"""Errors raised by services: each carries a message fit to show the user.

The message is a :class:`~ctrial_desktop.domain.messages.Message` (a ``str`` whose
template the user interface translates) or plain text; ``str(exc)`` is always English.
"""

from __future__ import annotations

from collections.abc import Mapping

from ctrial_desktop.domain.messages import Message


class ServiceError(Exception):
    """A use case could not be carried out; ``str(exc)`` is the user-facing reason."""

    def __init__(self, message: str | Message = "", *args: object) -> None:
        super().__init__(message, *args)

    @property
    def message(self) -> str | Message:
        """The reason as raised: a :class:`Message` the interface can translate."""
        return self.args[0] if self.args else ""


class PermissionDenied(ServiceError):
    """The acting user's role does not allow this action here."""


class NotFound(ServiceError):
    """The named object does not exist (or is not visible to this user)."""


class ValidationError(ServiceError):
    """Input was refused. ``fields`` maps a field name to its message."""

    def __init__(self, message: str | Message,
                 fields: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = dict(fields or {})


class AuthenticationError(ServiceError):
    """Wrong user name or password, disabled or locked account."""


class AccountLocked(AuthenticationError):
    """Too many failed attempts: an administrator must unlock the account."""


class ConflictError(ServiceError):
    """Somebody else changed the data since it was read (optimistic concurrency)."""
