"""Site-to-central exchange tables, written by the central import of site transfer files.

* :class:`ExchangeImport`: one row per imported transfer file (its SHA-256 recognises a file
  imported again).
* :class:`ExchangeSiteChain`: per site, the last audit-chain sequence number and hash
  received, which the next transfer file of that site must extend.
* :class:`ExchangeSiteAudit`: the site's audit records kept verbatim (site sequence number,
  content, previous hash and hash), so central can show and recompute the site's chain.
* :class:`ExchangeBase`: per imported column, the site value last received: a later import
  tells a change made at the site from a change made at central.
* :class:`ExchangeConflict`: a value changed at central and differently at the site since
  the last import, listed and not applied.

None of these is audited column by column: central's own audit trail records each import
(``IMPORT``) and every change it makes to the clinical tables.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ctrial_desktop.store.models import Base


class ExchangeImport(Base):
    __tablename__ = "exchange_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    site_code: Mapped[str] = mapped_column(String(8), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    file_oid: Mapped[str] = mapped_column(String(128))
    chain_seq: Mapped[int] = mapped_column(Integer)
    chain_hash: Mapped[str] = mapped_column(String(64))
    imported_by: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    summary: Mapped[str] = mapped_column(Text, default="{}")


class ExchangeSiteChain(Base):
    __tablename__ = "exchange_site_chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(8), unique=True)
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
    import_id: Mapped[int] = mapped_column(ForeignKey("exchange_import.id"))


class ExchangeSiteAudit(Base):
    __tablename__ = "exchange_site_audit"
    __table_args__ = (UniqueConstraint("source_site", "seq", name="uq_exchange_site_audit_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_site: Mapped[str] = mapped_column(String(8))
    import_id: Mapped[int] = mapped_column(ForeignKey("exchange_import.id"))
    seq: Mapped[int] = mapped_column(Integer)
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


class ExchangeBase(Base):
    __tablename__ = "exchange_base"
    __table_args__ = (UniqueConstraint("table_name", "record_id", "item",
                                       name="uq_exchange_base_column"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(8))
    table_name: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(128))
    value: Mapped[str | None] = mapped_column(Text, nullable=True)


class ExchangeConflict(Base):
    __tablename__ = "exchange_conflict"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("exchange_import.id"), index=True)
    site_code: Mapped[str] = mapped_column(String(8))
    patient_number: Mapped[str] = mapped_column(String(16))
    location: Mapped[str] = mapped_column(String(255))
    item: Mapped[str] = mapped_column(String(128))
    central_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    site_value: Mapped[str | None] = mapped_column(Text, nullable=True)
