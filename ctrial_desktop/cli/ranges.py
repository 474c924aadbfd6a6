"""``ctrial ranges list|export|import``: the per-site lab normal ranges.

``list`` prints the active ranges of a site (or of every site the user may see);
``export`` writes them as CSV (``site,test,sex,lln,uln,unit``); ``import`` sets every
row of such a CSV with one reason (data managers; each change audited).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ctrial_desktop.cli._common import CliError, login, open_db, read_text_arg, service_call


def register(sub: Any) -> None:
    ranges = sub.add_parser("ranges", help="per-site laboratory normal ranges (list, CSV "
                            "export and import)")
    rsub = ranges.add_subparsers(dest="ranges_command", metavar="ACTION", required=True)
    listing = rsub.add_parser("list", help="print the active ranges")
    export = rsub.add_parser("export", help="write the active ranges as CSV")
    export.add_argument("csv", metavar="FILE.csv", help="file to write ('-': standard output)")
    imp = rsub.add_parser("import", help="set the ranges of a CSV (site,test,sex,lln,uln,unit)")
    imp.add_argument("csv", metavar="FILE.csv", help="file to read ('-': standard input)")
    imp.add_argument("--reason", required=True, help="reason recorded in the audit trail")
    for parser in (listing, export):
        parser.add_argument("--site", metavar="CODE", help="only this site")
    for parser, func in ((listing, cmd_list), (export, cmd_export), (imp, cmd_import)):
        parser.add_argument("--user", required=True, help="user performing the action")
        parser.set_defaults(func=func)


def _run(args: argparse.Namespace, action):  # type: ignore[no-untyped-def]
    from ctrial_desktop.services.normal_ranges import NormalRangeService
    from ctrial_desktop.services.permissions import Action
    from ctrial_desktop.services.users import SiteService

    db = open_db(args)
    try:
        actor = login(db, args.user)
        service = NormalRangeService(db, actor)
        codes = [s.code for s in service_call(SiteService(db, actor).list_sites)
                 if actor.can(Action.MANAGE_LAB_RANGES, s.code)
                 or actor.can(Action.VIEW_PATIENTS, s.code)]
        site = getattr(args, "site", None)
        if site is not None:
            if site not in codes:
                raise CliError(f"no site {site} whose ranges {args.user} may see")
            codes = [site]
        return action(service, codes)
    finally:
        db.dispose()


def cmd_list(args: argparse.Namespace) -> int:
    def show(service, codes):  # type: ignore[no-untyped-def]
        for code in codes:
            for r in service_call(service.list_ranges, code):
                print(f"{r.site_code}\t{r.test}\t{r.sex or '-'}\t{r.lln or ''}\t{r.uln or ''}"
                      f"\t{r.unit}")
        return 0
    return int(_run(args, show))


def cmd_export(args: argparse.Namespace) -> int:
    def export(service, codes):  # type: ignore[no-untyped-def]
        text = service_call(service.export_csv, codes)
        if args.csv == "-":
            print(text, end="")
        else:
            try:
                Path(args.csv).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CliError(f"cannot write {args.csv}: {exc.strerror}") from None
            print(f"{text.count(chr(10)) - 1} ranges written to {args.csv}")
        return 0
    return int(_run(args, export))


def cmd_import(args: argparse.Namespace) -> int:
    text = read_text_arg(args.csv)

    def load(service, _codes):  # type: ignore[no-untyped-def]
        changed = service_call(service.import_csv, text, args.reason)
        print(f"{changed} ranges changed")
        return 0
    return int(_run(args, load))
