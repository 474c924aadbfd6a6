"""Clinical reference tables kept by data managers, and reviews of abnormal laboratory values.

``LabNormalRange`` is the per-site, per-test table of normal limits (with units) that CTCAE
grading uses when a form carries no limits of its own (PROTOCOL section 7: grades are
relative to the site's normal range). ``LabReview`` records that a grade >= 3 value was
judged not clinically significant (with a reason), which takes it off the to-do screen; a
withdrawn review keeps its row with ``active`` false.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ctrial_desktop.store.models import Base


class LabNormalRange(Base):
    """The normal limits of one laboratory test at one site (``sex`` "" = both sexes)."""

    __tablename__ = "lab_normal_range"
    __audited__ = ("site_code", "test", "sex", "lln", "uln", "unit", "active")
    __table_args__ = (
        UniqueConstraint("site_code", "test", "sex", name="uq_lab_normal_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(8), index=True)
    test: Mapped[str] = mapped_column(String(16))
    sex: Mapped[str] = mapped_column(String(1), default="")
    lln: Mapped[str | None] = mapped_column(String(32), nullable=True)
    uln: Mapped[str | None] = mapped_column(String(32), nullable=True)
    unit: Mapped[str] = mapped_column(String(32), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(64))


class LabReview(Base):
    """An investigator's or coordinator's judgement on one abnormal lab value."""

    __tablename__ = "lab_review"
    __audited__ = ("form_data_id", "item_oid", "group_repeat", "value", "grade", "status",
                   "active")
    __table_args__ = (
        UniqueConstraint("form_data_id", "item_oid", "group_repeat", name="uq_lab_review"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    form_data_id: Mapped[int] = mapped_column(ForeignKey("form_data.id"))
    item_oid: Mapped[str] = mapped_column(String(64))
    group_repeat: Mapped[int] = mapped_column(Integer, default=1)
    value: Mapped[str] = mapped_column(String(64))
    grade: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="not_significant")
    reason: Mapped[str] = mapped_column(Text, default="")
    reviewed_by: Mapped[str] = mapped_column(String(64))
    reviewed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


__all__ = ["LabNormalRange", "LabReview"]
