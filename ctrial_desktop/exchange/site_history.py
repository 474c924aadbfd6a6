"""The site's own history of imported rows, for central's ODM export.

Central merges a site's transfer file with its own audit records (an INSERT per new row, an
UPDATE per change applied, all with the import's reason). Those records say *that* a value
came from the site, not who entered it at the site, when, or why. The site's records are kept
verbatim (:class:`~ctrial_desktop.store.models_exchange.ExchangeSiteAudit`) and linked to
central's rows (:class:`~ctrial_desktop.store.models_exchange.ExchangeRowMap`); this module
puts them back in place:

* in a row's history, each group of central records written by one import (an import's
  records are numbered ``audit_first_seq`` to ``audit_last_seq``) is replaced by the site
  records it stands for: those of that row not shown yet, up to the last site record the
  import received (``chain_seq``). Central's own records (changes made at central) stay where
  they are, so the last state written is always central's current state;
* the site's users and locations are written in ``AdminData``. A site user is the same
  person as a central account with the same user name, first and last name, and keeps the
  site's ``UserOID`` (``U.`` + user name) as long as nobody else at central has that name;
  otherwise its OID names the site too (``U.NAME@SITE``: ``@`` is not allowed in user
  names, so it never clashes with an account).

A database that never imported anything (a site database) has no links: its histories are
written exactly as before.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctrial_desktop.store.models import Site, User
from ctrial_desktop.store.models_exchange import (
    ExchangeImport,
    ExchangeRowMap,
    ExchangeSiteAudit,
    ExchangeSiteLocation,
    ExchangeSiteUser,
)

_SITE_AUDIT = ExchangeSiteAudit.__table__


class SiteRecord(NamedTuple):
    """A site audit record as the ODM export reads it, with the UserOID it stands for."""

    seq: int
    timestamp_utc: str
    username: str
    site_code: str
    action: str
    item: str
    old_value: str | None
    new_value: str | None
    reason: str
    user_oid: str


@dataclass(frozen=True)
class _Import:
    first: int
    last: int
    source: str
    chain_seq: int


@dataclass(frozen=True)
class SiteUserRef:
    """A site user to write in central's AdminData."""

    oid: str
    username: str
    first_name: str
    last_name: str
    user_type: str
    locations: tuple[str, ...]


class SiteHistory:
    """What central's export needs to write the site's history (empty at a site)."""

    def __init__(self, imports: list[_Import], user_oids: dict[tuple[str, str], str],
                 users: list[SiteUserRef], locations: dict[str, str]) -> None:
        self._imports = sorted(imports, key=lambda i: i.first)
        self._firsts = [i.first for i in self._imports]
        self._user_oids = user_oids
        #: Site users for AdminData, one per UserOID (one that is a central account is
        #: written as that account when the export writes it).
        self.users = users
        #: Locations named by the site records in scope that are not central sites.
        self.locations = locations

    @property
    def empty(self) -> bool:
        return not self._imports

    # -- loading ---------------------------------------------------------------------
    @classmethod
    def load(cls, session: Session, site: str | None) -> SiteHistory:
        """The imports, site users and locations in the export's scope (one site or all)."""
        stmt = select(ExchangeImport).where(ExchangeImport.audit_first_seq.is_not(None))
        if site is not None:
            stmt = stmt.where(ExchangeImport.site_code == site)
        imports = [_Import(int(i.audit_first_seq or 0), int(i.audit_last_seq or 0),
                           i.site_code, i.chain_seq) for i in session.scalars(stmt)]
        if not imports:
            return cls([], {}, [], {})
        stmt_users = select(ExchangeSiteUser).order_by(ExchangeSiteUser.username,
                                                       ExchangeSiteUser.source_site)
        stmt_locations = select(ExchangeSiteLocation).order_by(ExchangeSiteLocation.code)
        if site is not None:
            stmt_users = stmt_users.where(ExchangeSiteUser.source_site == site)
            stmt_locations = stmt_locations.where(ExchangeSiteLocation.source_site == site)
        site_users = list(session.scalars(stmt_users))
        central = {u.username: (u.first_name, u.last_name) for u in session.scalars(select(User))}
        oids, users = _user_oids(site_users, central)
        written = {site} if site is not None else set(session.scalars(select(Site.code)))
        locations: dict[str, str] = {}
        for location in session.scalars(stmt_locations):
            if location.code not in written:
                locations.setdefault(location.code, location.name or location.code)
        return cls(imports, oids, users, locations)

    # -- histories -------------------------------------------------------------------
    def _import_of(self, seq: int) -> _Import | None:
        index = bisect.bisect_right(self._firsts, seq) - 1
        if index >= 0 and seq <= self._imports[index].last:
            return self._imports[index]
        return None

    def expand(self, session: Session, table: str, histories: dict[int, list[Any]],
               ids: Iterable[int], items: tuple[str, ...],
               only_updates_of: str | None = None) -> dict[int, list[Any]]:
        """Each row's history (central's records, in order) with every import's records
        replaced by the site records they stand for. ``items`` and ``only_updates_of``
        select the site records as the caller selected central's."""
        if self.empty:
            return histories
        ids = list(ids)
        links: dict[int, tuple[str, int]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for source, site_id, record_id in session.execute(
                    select(ExchangeRowMap.source_site, ExchangeRowMap.site_record_id,
                           ExchangeRowMap.record_id)
                    .where(ExchangeRowMap.table_name == table,
                           ExchangeRowMap.record_id.in_(chunk))):
                links[record_id] = (source, site_id)
        if not links:
            return histories
        by_source: dict[str, list[int]] = {}
        for source, site_id in links.values():
            by_source.setdefault(source, []).append(site_id)
        site_records: dict[tuple[str, int], list[SiteRecord]] = {}
        for source, site_ids in by_source.items():
            site_ids.sort()
            for start in range(0, len(site_ids), 500):
                chunk = site_ids[start:start + 500]
                for row in session.execute(
                        select(_SITE_AUDIT).where(
                            ExchangeSiteAudit.source_site == source,
                            ExchangeSiteAudit.table_name == table,
                            ExchangeSiteAudit.record_id.in_(chunk),
                            ExchangeSiteAudit.item.in_(items))):
                    # No ORDER BY: it would make SQLite walk the (site, seq) index over
                    # every record of the site; each row's few records are sorted below.
                    if row.item == only_updates_of and row.action != "UPDATE":
                        continue
                    site_records.setdefault((source, row.record_id), []).append(SiteRecord(
                        row.seq, row.timestamp_utc, row.username, row.site_code, row.action,
                        row.item, row.old_value, row.new_value, row.reason,
                        self.user_oid(source, row.username)))
        for records in site_records.values():
            records.sort(key=lambda r: r.seq)
        expanded = dict(histories)
        for record_id, (source, site_id) in links.items():
            expanded[record_id] = self._merge(histories.get(record_id, []), source,
                                              site_records.get((source, site_id), []))
        return expanded

    def _merge(self, central: list[Any], source: str, site: list[SiteRecord]) -> list[Any]:
        merged: list[Any] = []
        shown = 0
        replaced: dict[int, bool] = {}
        for record in central:
            done = self._import_of(record.seq)
            if done is None or done.source != source:
                merged.append(record)  # a change made at central
                continue
            if done.first in replaced:
                if not replaced[done.first]:
                    merged.append(record)
                continue
            start = shown
            while shown < len(site) and site[shown].seq <= done.chain_seq:
                shown += 1
            merged.extend(site[start:shown])
            # No site record left to stand for it: central's own record stays.
            replaced[done.first] = shown > start
            if shown == start:
                merged.append(record)
        return merged

    def user_oid(self, source: str, username: str) -> str:
        from ctrial_desktop.exchange.odm import user_oid

        return self._user_oids.get((source, username)) or user_oid(username)


def _user_oids(site_users: list[ExchangeSiteUser], central: dict[str, tuple[str, str]]
               ) -> tuple[dict[tuple[str, str], str], list[SiteUserRef]]:
    """The UserOID of each (site, user name) and the site users AdminData must add."""
    from ctrial_desktop.exchange.odm import user_oid

    names: dict[str, set[tuple[str, str]]] = {}
    for user in site_users:
        if user.first_name or user.last_name:
            names.setdefault(user.username, set()).add((user.first_name, user.last_name))
    oids: dict[tuple[str, str], str] = {}
    refs: dict[str, SiteUserRef] = {}
    for user in site_users:
        name = (user.first_name, user.last_name)
        plain = user_oid(user.username)
        if user.username in central:
            same = central[user.username] == name
        elif name == ("", ""):
            # Named by the site's audit records only (not in its AdminData): the same person
            # as nobody else, so apart from anyone else of that name.
            same = user.username not in names
        else:
            same = len(names[user.username]) == 1
        oid = plain if same else f"{plain}@{user.source_site}"
        oids[(user.source_site, user.username)] = oid
        if oid not in refs:
            refs[oid] = SiteUserRef(oid, user.username, user.first_name, user.last_name,
                                    user.user_type,
                                    tuple(c for c in user.locations.split(",") if c))
    return oids, list(refs.values())
