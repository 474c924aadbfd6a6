"""Review workflow tables: queries with their threads, and electronic signatures.

Source-data verification and locks are flags of :class:`~ctrial_desktop.store.models.FormData`
(``verified``, ``locked``); a locked patient also blocks new forms (``Patient.locked``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ctrial_desktop.store.models import Base


class Query(Base):
    """A data query raised by a monitor or data manager on a form or one of its fields."""

    __tablename__ = "data_query"
    __audited__ = ("form_data_id", "item_group_oid", "group_repeat", "item_oid", "status",
                   "active")
    __table_args__ = (Index("ix_query_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    form_data_id: Mapped[int] = mapped_column(ForeignKey("form_data.id"), index=True)
    item_group_oid: Mapped[str] = mapped_column(String(64), default="")
    group_repeat: Mapped[int] = mapped_column(Integer, default=1)
    item_oid: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    site_code: Mapped[str] = mapped_column(String(8))
    raised_by: Mapped[str] = mapped_column(String(64))
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class QueryMessage(Base):
    """One message of a query's thread: raise, answer, close or re-open."""

    __tablename__ = "data_query_message"
    __audited__ = ("query_id", "kind", "text")

    id: Mapped[int] = mapped_column(primary_key=True)
    query_id: Mapped[int] = mapped_column(ForeignKey("data_query.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(64))
    written_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Signature(Base):
    """An investigator's electronic signature over exactly the content signed.

    ``content_hash`` is the SHA-256 of the canonical content of the form(s) at signing
    time; ``active`` turns false when the signature is withdrawn (with a reason).
    """

    __tablename__ = "signature"
    __audited__ = ("form_data_id", "user_id", "meaning", "content_hash", "active")

    id: Mapped[int] = mapped_column(primary_key=True)
    form_data_id: Mapped[int] = mapped_column(ForeignKey("form_data.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    printed_name: Mapped[str] = mapped_column(String(200))
    meaning: Mapped[str] = mapped_column(Text)
    signed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    content_hash: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
