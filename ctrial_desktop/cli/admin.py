"""Administration commands: init, users, audit verify, backup, demo.

Commands that act as a user take ``--user NAME``; the password comes from the
``CTRIAL_PASSWORD`` environment variable, else from a prompt on the terminal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ctrial_desktop.cli._common import CliError, login, open_db, secret, service_call

ROLES_HELP = "administrator, data_manager, investigator, coordinator, monitor"


def register(sub: Any) -> None:
    p = sub.add_parser("init", help="create or migrate the database and its first administrator")
    p.add_argument("--admin", metavar="USERNAME", help="create the first administrator")
    p.add_argument("--first-name", default="")
    p.add_argument("--last-name", default="")
    p.set_defaults(func=cmd_init)

    users = sub.add_parser("users", help="manage user accounts (administrators)")
    usub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = usub.add_parser("add", help="create a user")
    add.add_argument("username")
    add.add_argument("--first-name", required=True)
    add.add_argument("--last-name", required=True)
    add.add_argument("--role", action="append", required=True, metavar="ROLE[@SITE]",
                     help=f"role ({ROLES_HELP}), optionally at one site: coordinator@03")
    add.add_argument("--user", required=True, help="administrator performing the change")
    add.set_defaults(func=cmd_users_add)
    lst = usub.add_parser("list", help="list users with roles and state")
    lst.add_argument("--user", required=True, help="administrator")
    lst.set_defaults(func=cmd_users_list)
    dis = usub.add_parser("disable", help="disable a user (users are never deleted)")
    dis.add_argument("username")
    dis.add_argument("--reason", required=True)
    dis.add_argument("--user", required=True, help="administrator")
    dis.set_defaults(func=cmd_users_disable)
    rst = usub.add_parser("reset-password", help="set a temporary password and unlock")
    rst.add_argument("username")
    rst.add_argument("--reason", required=True)
    rst.add_argument("--user", required=True, help="administrator")
    rst.set_defaults(func=cmd_users_reset)

    audit = sub.add_parser("audit", help="audit trail tools")
    asub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    ver = asub.add_parser("verify", help="recompute the hash chain and replay it on the data")
    ver.set_defaults(func=cmd_audit_verify)

    bk = sub.add_parser("backup", help="copy the SQLite database with the online backup API")
    bk.add_argument("path", help="target file (must not exist)")
    bk.set_defaults(func=cmd_backup)

    demo = sub.add_parser("demo", help="build a realistic synthetic trial in an empty database")
    demo.add_argument("--patients", type=int, default=84)
    demo.add_argument("--sites", type=int, default=6)
    demo.add_argument("--seed", type=int, default=2009)
    demo.add_argument("--screening-only", action="store_true",
                      help="only the screening log (fast; for large benchmark databases)")
    demo.set_defaults(func=cmd_demo)


def cmd_init(args: argparse.Namespace) -> int:
    from ctrial_desktop.services.auth import AuthService

    db = open_db(args)
    try:
        print(f"database ready: {db.display_name}")
        if args.admin:
            auth = AuthService(db)
            password = secret(f"Password for {args.admin}: ", "CTRIAL_ADMIN_PASSWORD")
            service_call(auth.create_first_administrator, args.admin,
                          args.first_name or args.admin, args.last_name or "Administrator",
                          password)
            print(f"administrator {args.admin} created")
    finally:
        db.dispose()
    return 0


def _parse_grant(text: str):  # type: ignore[no-untyped-def]
    from ctrial_desktop.services.context import RoleGrant
    from ctrial_desktop.services.permissions import Role

    role, _, site = text.partition("@")
    try:
        return RoleGrant(Role(role.strip()), site.strip() or None)
    except ValueError:
        raise CliError(f"unknown role {role!r} (roles: {ROLES_HELP})") from None


def cmd_users_add(args: argparse.Namespace) -> int:
    from ctrial_desktop.services.users import UserService

    grants = [_parse_grant(r) for r in args.role]
    db = open_db(args)
    try:
        actor = login(db, args.user)
        password = secret(f"Temporary password for {args.username}: ", "CTRIAL_NEW_PASSWORD")
        row = service_call(UserService(db, actor).create_user, args.username,
                            args.first_name, args.last_name, password, grants)
        print(f"user {row.username} created ({row.roles_label}); "
              "the password must be changed at first login")
    finally:
        db.dispose()
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    from ctrial_desktop.services.users import UserService

    db = open_db(args)
    try:
        rows = service_call(UserService(db, login(db, args.user)).list_users)
        print(f"{'username':<16} {'name':<28} {'state':<9} roles")
        for row in rows:
            state = "disabled" if not row.active else "locked" if row.locked else "active"
            print(f"{row.username:<16} {row.full_name:<28} {state:<9} {row.roles_label}")
    finally:
        db.dispose()
    return 0


def _user_id(db, username: str) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from ctrial_desktop.store.models import User

    with db.read() as session:
        user_id = session.scalar(select(User.id).where(User.username == username.lower()))
    if user_id is None:
        raise CliError(f"no user named {username}")
    return int(user_id)


def cmd_users_disable(args: argparse.Namespace) -> int:
    from ctrial_desktop.services.users import UserService

    db = open_db(args)
    try:
        service = UserService(db, login(db, args.user))
        service_call(service.set_active, _user_id(db, args.username), False, args.reason)
        print(f"user {args.username} disabled")
    finally:
        db.dispose()
    return 0


def cmd_users_reset(args: argparse.Namespace) -> int:
    from ctrial_desktop.services.users import UserService

    db = open_db(args)
    try:
        service = UserService(db, login(db, args.user))
        password = secret(f"Temporary password for {args.username}: ", "CTRIAL_NEW_PASSWORD")
        service_call(service.reset_password, _user_id(db, args.username), password,
                      args.reason)
        print(f"password of {args.username} reset; it must be changed at next login")
    finally:
        db.dispose()
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from ctrial_desktop.store.audit import verify

    db = open_db(args)
    try:
        with db.read() as session:
            result = verify(session)
    finally:
        db.dispose()
    if result.ok:
        print(f"audit trail OK: {result.records} records, chain intact, data consistent")
        return 0
    for problem in result.problems:
        print(problem)
    print(f"audit trail BROKEN: {len(result.problems)} problem(s) in {result.records} records",
          file=sys.stderr)
    return 1


def cmd_backup(args: argparse.Namespace) -> int:
    from ctrial_desktop.store.database import DatabaseOpenError

    target = Path(args.path)
    if target.exists():
        raise CliError(f"{target} already exists; choose a new file name")
    db = open_db(args)
    try:
        db.backup(target)
    except DatabaseOpenError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.dispose()
    print(f"backup written: {target} ({target.stat().st_size} bytes)")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo

    db = open_db(args)
    try:
        step = 50 if args.screening_only else 1

        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty() and (done % step == 0 or done == total):
                print(f"\r{done}/{total} patients", end="", file=sys.stderr, flush=True)

        summary = service_call(build_demo, db, patients=args.patients, sites=args.sites,
                                seed=args.seed, progress=progress,
                                clinical=not args.screening_only)
        if sys.stderr.isatty():
            print(file=sys.stderr)
    finally:
        db.dispose()
    print(f"demo trial built in {db.display_name}: {summary.patients} patients screened "
          f"({summary.screen_failures} screen failures) at {len(summary.sites)} sites")
    if not args.screening_only:
        arms = ", ".join(f"{arm} {count}" for arm, count in summary.arms.items())
        print(f"randomized: {summary.randomized} ({arms}); cycles: {summary.cycles}; "
              f"forms saved: {summary.forms}; adverse events: {summary.adverse_events}; "
              f"deaths: {summary.deaths}; queries: {summary.queries}")
        responses = ", ".join(f"{r} {n}" for r, n in summary.responses.items())
        print(f"best overall responses: {responses}")
    print(f"accounts (password {DEMO_PASSWORD}): {', '.join(summary.usernames)}")
    return 0
