"""Typed SQLAlchemy 2 models of the trial database.

Nothing here is SQLite-only: the same schema runs on PostgreSQL. Nothing is ever
hard-deleted; rows are inactivated with a reason (recorded in the audit trail).

Every column listed in a model's ``__audited__`` is covered by the audit trail:
``ctrial audit verify`` replays the trail and checks that the current value of each
such column equals the last value the trail recorded for it, so a change made
behind the application's back (raw SQL) is detected.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base of every table."""

    #: Columns whose every change is written to the audit trail.
    __audited__: ClassVar[tuple[str, ...]] = ()
    #: Audited columns whose value at insert is implied (audit text by column): a new row
    #: holding exactly that value gets no INSERT record for the column, since the record
    #: would say nothing (a new value is active, a new form is not signed). Any later
    #: change is recorded as usual, and verification expects the implied value until then.
    __audit_implied__: ClassVar[dict[str, str]] = {}


class Site(Base):
    """An investigational site; data entry is refused until an administrator activates it."""

    __tablename__ = "site"
    __audited__ = ("code", "name", "city", "active")

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class User(Base):
    """A person who logs in. Users are never deleted, only disabled."""

    __tablename__ = "app_user"
    __audited__ = (
        "username",
        "first_name",
        "last_name",
        "active",
        "locked",
        "password_hash",
        "must_change_password",
    )
    #: Audited as a fingerprint only: the trail never holds a password hash.
    __audit_redacted__ = ("password_hash",)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(8), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)

    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="user", order_by="RoleAssignment.id"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class RoleAssignment(Base):
    """A role of a user at one site, or at every site when ``site_id`` is NULL."""

    __tablename__ = "role_assignment"
    __audited__ = ("user_id", "site_id", "role", "active")

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"), nullable=True)
    role: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    user: Mapped[User] = relationship(back_populates="roles")
    site: Mapped[Site | None] = relationship()


class Patient(Base):
    """A screened patient, identified by site code + sequence (``03-012``)."""

    __tablename__ = "patient"
    __audited__ = (
        "patient_number",
        "site_id",
        "initials",
        "birth_date",
        "birth_year",
        "sex",
        "consent_date",
        "status",
        "screen_fail_reason",
        "active",
    )
    __table_args__ = (
        UniqueConstraint("site_id", "sequence", name="uq_patient_site_sequence"),
        Index("ix_patient_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    sequence: Mapped[int] = mapped_column(Integer)
    patient_number: Mapped[str] = mapped_column(String(16), unique=True)
    initials: Mapped[str] = mapped_column(String(4))
    birth_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    birth_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sex: Mapped[str] = mapped_column(String(1))
    consent_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(24), default="screening")
    screen_fail_reason: Mapped[str] = mapped_column(Text, default="")
    arm: Mapped[str | None] = mapped_column(String(8), nullable=True)
    #: Set by a data manager's patient lock (recorded as LOCK/UNLOCK audit events):
    #: no new form can be started for a locked patient.
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    site: Mapped[Site] = relationship()


class FormData(Base):
    """One instance of a CRF form for a patient at one visit (event and repeat) and day.

    ``visit_day`` is the planned day of the visit the instance belongs to: the cycle day
    (1, 8, 15, 22) of a form due on several days of a cycle (``days`` of the event's form
    reference), 1 for every form planned once per visit. The day itself is kept, not a
    running number, so an amended schedule (a day added or removed) never renumbers
    stored instances; ODM exports it as the ``FormRepeatKey``.

    ``version`` is the optimistic-concurrency counter: a save names the version it
    read, and is refused when somebody else saved in between.
    """

    __tablename__ = "form_data"
    __audited__ = ("status", "signed", "locked", "verified", "active")
    __audit_implied__: ClassVar[dict[str, str]] = {
        "signed": "false", "locked": "false", "verified": "false", "active": "true"}
    __table_args__ = (
        UniqueConstraint(
            "patient_id", "event_oid", "event_repeat", "form_oid", "visit_day",
            name="uq_form_instance",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Searched by the unique constraint's index (patient first), not an index of its own.
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    event_oid: Mapped[str] = mapped_column(String(64))
    event_repeat: Mapped[int] = mapped_column(Integer, default=1)
    form_oid: Mapped[str] = mapped_column(String(64))
    visit_day: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    form_version: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="in_progress")
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ItemValue(Base):
    """One stored value of an item, kept by its ODM OID (text, canonical form)."""

    __tablename__ = "item_value"
    __audited__ = ("value", "active")
    __audit_implied__: ClassVar[dict[str, str]] = {"active": "true"}
    __table_args__ = (
        UniqueConstraint(
            "form_data_id", "item_group_oid", "group_repeat", "item_oid", name="uq_item_value"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Searched by the unique constraint's index (form instance first).
    form_data_id: Mapped[int] = mapped_column(ForeignKey("form_data.id"))
    item_group_oid: Mapped[str] = mapped_column(String(64))
    group_repeat: Mapped[int] = mapped_column(Integer, default=1)
    item_oid: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(Text, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AuditRecord(Base):
    """One append-only, hash-chained audit trail entry.

    ``hash`` = SHA-256 over the previous row's hash and this row's canonical content
    (see :func:`ctrial_desktop.store.audit.canonical_content`). Database triggers
    refuse UPDATE and DELETE on this table.
    """

    __tablename__ = "audit_trail"
    __table_args__ = (Index("ix_audit_target", "table_name", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    timestamp_utc: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    username: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    site_code: Mapped[str] = mapped_column(String(8))
    session_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    table_name: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    item: Mapped[str] = mapped_column(String(128))
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The single row that serializes appends to the audit chain (locked FOR UPDATE).

    It caches the last sequence, hash and timestamp; verification never trusts it and
    recomputes everything from the trail itself.
    """

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    last_timestamp_utc: Mapped[str] = mapped_column(String(32), default="")


class AppSetting(Base):
    """Database-wide key/value settings changed by administrators (audited)."""

    __tablename__ = "app_setting"
    __audited__ = ("key", "value")

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    value: Mapped[str] = mapped_column(Text)


class AllocationListRecord(Base):
    """One concealed allocation list of a stratum, with its SHA-256 commitment.

    ``canonical_text`` is the list's canonical serialization (see
    :mod:`ctrial_desktop.domain.randomization.commitment`); no service ever returns
    it or an unused position to a user.
    """

    __tablename__ = "allocation_list"
    __audited__ = ("site_code", "stratum", "list_number", "commitment", "first_position",
                   "last_position")
    __table_args__ = (UniqueConstraint("stratum", "list_number", name="uq_allocation_list"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(8), index=True)
    stratum: Mapped[str] = mapped_column(String(128))
    list_number: Mapped[int] = mapped_column(Integer)
    algorithm: Mapped[str] = mapped_column(String(64))
    canonical_text: Mapped[str] = mapped_column(Text)
    commitment: Mapped[str] = mapped_column(String(64))
    first_position: Mapped[int] = mapped_column(Integer)
    last_position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")


class Randomization(Base):
    """The one and only randomization of a patient: never updated, never repeated.

    At central, a patient randomized at a site carries the site's assignment as read-only
    imported data: ``source_site`` names the site, ``username`` the site user who
    randomized (``user_id`` is null: not a central account), and ``list_id``/``position``
    are null (allocation lists never leave the site).
    """

    __tablename__ = "randomization"
    __audited__ = ("patient_id", "number", "method", "stratum", "list_id", "position", "arm",
                   "factors", "explanation")
    __table_args__ = (
        UniqueConstraint("stratum", "position", name="uq_randomization_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), unique=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    method: Mapped[str] = mapped_column(String(16))
    site_code: Mapped[str] = mapped_column(String(8))
    stratum: Mapped[str] = mapped_column(String(128))
    list_id: Mapped[int | None] = mapped_column(ForeignKey("allocation_list.id"), nullable=True)
    position: Mapped[int | None] = mapped_column(Integer, nullable=True)
    arm: Mapped[str] = mapped_column(String(8))
    factors: Mapped[str] = mapped_column(Text, default="{}")
    explanation: Mapped[str] = mapped_column(Text, default="")
    randomized_at: Mapped[dt.datetime] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    username: Mapped[str] = mapped_column(String(64))
    source_site: Mapped[str | None] = mapped_column(String(8), nullable=True)


class ProtocolDeviation(Base):
    """A recorded protocol deviation (e.g. a patient randomized in the wrong stratum)."""

    __tablename__ = "protocol_deviation"
    __audited__ = ("patient_id", "category", "description", "active")

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(64))


#: Tables covered by audit replay, by table name.
AUDITED_MODELS: dict[str, type[Base]] = {
    model.__tablename__: model
    for model in (Site, User, RoleAssignment, Patient, FormData, ItemValue, AppSetting,
                  AllocationListRecord, Randomization, ProtocolDeviation)
}

# Form-engine tables (drafts) live in their own module; imported here so the metadata is complete.
from ctrial_desktop.store import models_clinical as models_clinical  # noqa: E402
from ctrial_desktop.store import models_exchange as models_exchange  # noqa: E402
from ctrial_desktop.store import models_forms as models_forms  # noqa: E402
from ctrial_desktop.store import models_review as models_review  # noqa: E402

AUDITED_MODELS.update({
    model.__tablename__: model
    for model in (models_review.Query, models_review.QueryMessage, models_review.Signature,
                  models_clinical.LabNormalRange, models_clinical.LabReview)
})
