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
* :class:`ExchangeRowMap`: which central row each site row (by the site database's row id)
  was merged into, so the site's audit records are linked to central's rows.
* :class:`ExchangeSiteUser` and :class:`ExchangeSiteLocation`: the site's users and
  locations named by its audit records, kept as references that cannot log in (never as
  central accounts), so central's exports resolve every user and location of the site's
  history.

None of these is audited column by column: central's own audit trail records each import
(``IMPORT``) and every change it makes to the clinical tables.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
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
    #: Central's own audit records written by this import are exactly those numbered
    #: ``audit_first_seq`` to ``audit_last_seq`` (the import holds the audit chain's lock
    #: throughout its transaction); null for an import recorded before they were kept.
    audit_first_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    audit_last_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ExchangeSiteChain(Base):
    __tablename__ = "exchange_site_chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(8), unique=True)
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
    import_id: Mapped[int] = mapped_column(ForeignKey("exchange_import.id"))


class ExchangeSiteAudit(Base):
    __tablename__ = "exchange_site_audit"
    __table_args__ = (UniqueConstraint("source_site", "seq", name="uq_exchange_site_audit_seq"),
                      Index("ix_exchange_site_audit_target", "source_site", "table_name",
                            "record_id"))

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


class ExchangeRowMap(Base):
    """Site row ``site_record_id`` of ``table_name`` (in the database that sends
    ``source_site``'s transfer files) is central's row ``record_id``: recorded at every
    import, for every patient, form and value of the file."""

    __tablename__ = "exchange_row_map"
    __table_args__ = (UniqueConstraint("source_site", "table_name", "site_record_id",
                                       name="uq_exchange_row_map_site"),
                      Index("ix_exchange_row_map_central", "table_name", "record_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    source_site: Mapped[str] = mapped_column(String(8))
    table_name: Mapped[str] = mapped_column(String(64))
    site_record_id: Mapped[int] = mapped_column(Integer)
    record_id: Mapped[int] = mapped_column(Integer)


class ExchangeSiteUser(Base):
    """A user of a site database as its transfer files name them (no password, no role:
    a reference for exports, never an account)."""

    __tablename__ = "exchange_site_user"
    __table_args__ = (UniqueConstraint("source_site", "username",
                                       name="uq_exchange_site_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_site: Mapped[str] = mapped_column(String(8))
    username: Mapped[str] = mapped_column(String(64))
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    user_type: Mapped[str] = mapped_column(String(16), default="Other")
    #: Site codes of the user's LocationRef elements at the site, separated by commas.
    locations: Mapped[str] = mapped_column(Text, default="")


class ExchangeSiteLocation(Base):
    """A location (site code) named by a site's transfer files."""

    __tablename__ = "exchange_site_location"
    __table_args__ = (UniqueConstraint("source_site", "code",
                                       name="uq_exchange_site_location"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_site: Mapped[str] = mapped_column(String(8))
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200), default="")
