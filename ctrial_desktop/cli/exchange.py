"""Data leaving the database: ODM export, restoring a backup, encrypting and decrypting.

* ``ctrial export odm --out FILE.xml [--site S] [--metadata-only] --user NAME``: CDISC ODM
  1.3.2 document (a data manager's export permission is needed; the password comes from
  ``CTRIAL_PASSWORD`` or a prompt). Without ``--metadata-only`` it is an archival copy with
  every stored value and the audit trail.
* ``ctrial export csv --out FILE.zip [--site S] [--layout long|wide] --user NAME``: CSV
  files for statisticians in a zip (one file per form, a data dictionary, derived best
  response, progression and death, dose intensity and worst toxicity grade); the same
  permission and password as the ODM export.
* ``ctrial export audit --out FILE.csv [--site S] --user NAME``: the audit trail as one CSV
  file (columns in :mod:`ctrial_desktop.exchange.audit_csv`); the same permission.
* ``ctrial export transfer --site S --out FILE.xml --user NAME``: the site's transfer file
  for the central database (:mod:`ctrial_desktop.exchange.transfer`): the ODM archival
  export of the site, its audit trail verbatim and a closing SHA-256 line.
* ``ctrial import odm FILE.xml --user NAME``: merge a site's transfer file into this
  (central) database; prints the JSON summary. Exit code 0: imported without conflict or
  skipped (already imported); 3: imported, conflicts listed and not applied; 2: refused
  (checksum, audit chain, permission), nothing changed.
* ``ctrial restore FILE``: replace the SQLite database (``--db``) with the backup ``FILE``
  after checking it (SQLite integrity and the audit chain); the current file is kept
  beside it, renamed with a time stamp. Nothing is changed when the backup fails a check.
* ``ctrial encrypt --out NEW.sqlite3`` / ``ctrial decrypt --out NEW.sqlite3``: write an
  encrypted (SQLCipher) copy of the plain database, or a plain copy of the encrypted one.
  The passphrase comes from ``CTRIAL_PASSPHRASE`` or a prompt (asked twice to encrypt).
  Other commands open an encrypted file when ``CTRIAL_PASSPHRASE`` holds its passphrase.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from ctrial_desktop.cli._common import (
    CliError,
    database_url,
    load_study_or_fail,
    login,
    open_db,
    service_call,
    write_json,
)

PASSPHRASE_ENV = "CTRIAL_PASSPHRASE"


def register(sub: Any) -> None:
    export = sub.add_parser("export", help="export data (CDISC ODM 1.3.2, CSV)")
    esub = export.add_subparsers(dest="export_command", metavar="FORMAT", required=True)
    odm = esub.add_parser("odm", help="CDISC ODM 1.3.2 XML: metadata, users, sites, data, audit")
    odm.add_argument("--out", required=True, metavar="FILE.xml", help="file to write")
    odm.add_argument("--site", metavar="CODE", help="only this site's data, users and location")
    odm.add_argument("--metadata-only", action="store_true",
                     help="study metadata and users/sites only (no clinical data)")
    odm.add_argument("--user", required=True, help="data manager performing the export")
    odm.set_defaults(func=cmd_export_odm)
    csv_parser = esub.add_parser("csv", help="CSV files for statisticians in a zip: one per "
                                 "form, data dictionary, derived datasets")
    csv_parser.add_argument("--out", required=True, metavar="FILE.zip", help="file to write")
    csv_parser.add_argument("--site", metavar="CODE", help="only this site's patients")
    csv_parser.add_argument("--layout", choices=("long", "wide"), default="long",
                            help="long: one row per value; wide: one row per form instance "
                                 "(default: long)")
    csv_parser.add_argument("--user", required=True, help="data manager performing the export")
    csv_parser.set_defaults(func=cmd_export_csv)
    audit = esub.add_parser("audit", help="the audit trail as one CSV file (who, when, old, "
                            "new, reason, review flags, chain hashes)")
    audit.add_argument("--out", required=True, metavar="FILE.csv", help="file to write")
    audit.add_argument("--site", metavar="CODE", help="only this site's records")
    audit.add_argument("--user", required=True, help="data manager performing the export")
    audit.set_defaults(func=cmd_export_audit)

    transfer = esub.add_parser("transfer", help="a site's transfer file for the central "
                               "database (ODM + audit trail + SHA-256)")
    transfer.add_argument("--site", required=True, metavar="CODE", help="the site")
    transfer.add_argument("--out", required=True, metavar="FILE.xml", help="file to write")
    transfer.add_argument("--user", required=True, help="data manager performing the export")
    transfer.set_defaults(func=cmd_export_transfer)

    imp = sub.add_parser("import", help="import data into this (central) database")
    isub = imp.add_subparsers(dest="import_command", metavar="FORMAT", required=True)
    odm_import = isub.add_parser("odm", help="merge a site's transfer file (JSON summary; exit "
                                 "3 when conflicts were listed)")
    odm_import.add_argument("file", metavar="FILE.xml", help="the transfer file")
    odm_import.add_argument("--user", required=True, help="data manager performing the import")
    odm_import.set_defaults(func=cmd_import_odm)

    restore = sub.add_parser("restore", help="replace the SQLite database with a checked backup")
    restore.add_argument("file", help="the backup to restore")
    restore.set_defaults(func=cmd_restore)

    for name, text in (("encrypt", "write an encrypted (SQLCipher) copy of the database"),
                       ("decrypt", "write a plain copy of the encrypted database")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--out", required=True, metavar="NEW.sqlite3", help="file to write")
        p.set_defaults(func=cmd_convert, encrypt=name == "encrypt")


def _sqlite_file(args: argparse.Namespace) -> Path:
    from sqlalchemy.engine import make_url

    url = make_url(database_url(args))
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise CliError("this command works on a SQLite database file (--db sqlite:///FILE)")
    return Path(url.database or "")


def _passphrase(confirm: bool) -> str:
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CliError(f"no passphrase: set {PASSPHRASE_ENV} or run in a terminal")
    first = getpass.getpass("Passphrase: ")
    if confirm and getpass.getpass("Passphrase again: ") != first:
        raise CliError("the two passphrases differ")
    if not first:
        raise CliError("the passphrase cannot be empty")
    return first


def _run_export(args: argparse.Namespace, export):  # type: ignore[no-untyped-def]
    """Load the study, log in and run ``export(db, actor, study, out)``: one line per error."""
    study = load_study_or_fail()
    out = Path(args.out)
    if out.is_dir():
        raise CliError(f"{out} is a folder; give a file name")
    db = open_db(args)
    try:
        actor = login(db, args.user)
        try:
            return service_call(export, db, actor, study, out)
        except OSError as exc:
            raise CliError(f"cannot write {out}: {exc.strerror}") from None
    finally:
        db.dispose()


def cmd_export_odm(args: argparse.Namespace) -> int:
    from ctrial_desktop.exchange.odm import export_odm

    summary = _run_export(args, lambda db, actor, study, out: export_odm(
        db, actor, study, out, site=args.site, metadata_only=args.metadata_only))
    kind = "metadata" if args.metadata_only else "archival"
    print(f"ODM 1.3.2 {kind} export written: {summary.path} ({summary.file_oid}); "
          f"{summary.subjects} subjects, {summary.item_data} item data, "
          f"{summary.audit_records} other audit records, {summary.signatures} signatures")
    return 0


def cmd_export_csv(args: argparse.Namespace) -> int:
    from ctrial_desktop.exchange.csv_export import export_csv

    summary = _run_export(args, lambda db, actor, study, out: export_csv(
        db, actor, study, out, site=args.site, layout=args.layout))
    print(f"CSV export ({summary.layout} layout) written: {summary.path}; "
          f"sites {', '.join(summary.sites) or 'none'}, {summary.patients} patients, "
          f"{summary.forms} forms, {summary.values} values, {len(summary.files)} files")
    return 0


def cmd_export_audit(args: argparse.Namespace) -> int:
    from ctrial_desktop.exchange.audit_csv import export_audit_csv

    summary = _run_export(args, lambda db, actor, study, out: export_audit_csv(
        db, actor, study, out, site=args.site))
    span = (f"seq {summary.first_seq}-{summary.last_seq}" if summary.records else "empty")
    print(f"Audit trail CSV export written: {summary.path}; {summary.records} records ({span})")
    return 0


def cmd_export_transfer(args: argparse.Namespace) -> int:
    from ctrial_desktop.exchange.transfer import export_transfer

    summary = _run_export(args, lambda db, actor, study, out: export_transfer(
        db, actor, study, out, args.site))
    print(f"transfer file of site {summary.site} written: {summary.path}; {summary.patients} "
          f"patients, {summary.forms} forms, {summary.values} values, {summary.audit_records} "
          f"audit records (chain #{summary.chain_seq} {summary.chain_hash[:16]}), "
          f"SHA-256 {summary.sha256}")
    return 0


#: Exit code of ``ctrial import odm`` when conflicts were listed (and not applied).
EXIT_CONFLICTS = 3


def cmd_import_odm(args: argparse.Namespace) -> int:
    from ctrial_desktop.exchange.transfer import import_transfer

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"file not found: {path}")
    db = open_db(args)
    try:
        actor = login(db, args.user)
        summary = service_call(import_transfer, db, actor, path)
    finally:
        db.dispose()
    write_json(summary.as_dict())
    return EXIT_CONFLICTS if summary.conflicts else 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ctrial_desktop.services.backup import BackupError, restore_database_file
    from ctrial_desktop.store.database import is_encrypted_file

    database = _sqlite_file(args)
    backup = Path(args.file)
    if not backup.is_file():
        raise CliError(f"file not found: {backup}")
    passphrase = _passphrase(False) if is_encrypted_file(backup) else None
    try:
        result = restore_database_file(database, backup, passphrase=passphrase)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot replace {database}: {exc.strerror}") from None
    print(f"restored {result.database} from {result.restored_from} "
          f"(integrity OK, audit trail OK: {result.audit_records} records)")
    if result.previous_kept_as is not None:
        print(f"the previous database is kept as {result.previous_kept_as}")
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    from ctrial_desktop.services.backup import BackupError, convert_database_file

    source = _sqlite_file(args)
    if not source.is_file():
        raise CliError(f"file not found: {source}")
    target = Path(args.out)
    if target.exists():
        raise CliError(f"{target} already exists; choose a new file name")
    passphrase = _passphrase(confirm=args.encrypt)
    try:
        check = convert_database_file(source, target, encrypt=args.encrypt,
                                      passphrase=passphrase)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    state = "encrypted" if args.encrypt else "plain"
    print(f"{state} copy written: {target} (integrity OK, audit trail OK: "
          f"{check.audit_records} records)")
    return 0
