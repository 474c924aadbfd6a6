"""Models of the form engine that are not clinical data: autosaved drafts of unsaved input.

A draft holds what a user typed into a form but has not saved yet, so that a crash or
an idle lock loses nothing. It is private to that user, is not data of the trial and
is therefore not audited; saving the form (or discarding the draft) removes it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ctrial_desktop.store.models import Base


class FormDraft(Base):
    """Unsaved input of one user in one form instance (JSON of canonical or raw texts)."""

    __tablename__ = "form_draft"
    __table_args__ = (
        UniqueConstraint(
            "user_id", "patient_id", "event_oid", "event_repeat", "form_oid", "visit_day",
            name="uq_form_draft",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    event_oid: Mapped[str] = mapped_column(String(64))
    event_repeat: Mapped[int] = mapped_column(Integer, default=1)
    form_oid: Mapped[str] = mapped_column(String(64))
    #: The day of the form instance (:attr:`FormData.visit_day`).
    visit_day: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    payload: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
