"""Reporting commands of `etamkeen`: export (the bot's /export, without Telegram's size limit),
and `export catalogue`: the current catalogue as the workbook to edit and import again."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bot.cli_common import administration_code
from bot.cli_prc import check_kind, cmd_export_prc
from bot.config import Settings


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.compose import open_services
    from bot.runner import upgrade_database
    from bot.services.exports import ExportService

    if not settings.db_path.exists():
        print(f"no database at {settings.db_path} (set ETAMKEEN_DB)", file=sys.stderr)
        return 2
    check_kind(args)
    if args.kind == "prc":
        return cmd_export_prc(settings, args)
    if args.kind == "catalogue":
        return _export_catalogue(settings, args)
    if not args.out:
        print("--out is required for this export", file=sys.stderr)
        return 2

    async def exporter() -> ExportService:
        await upgrade_database(settings)  # the reporting facts come with a migration
        async with open_services(settings) as services:
            return services.exports  # reads the file by itself, once the database is closed

    exports = asyncio.run(exporter())
    code = administration_code(exports.reference, args.administration) if args.administration else None
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.open("ab").close()  # an unwritable --out is one line from main(), before the work
    started = time.perf_counter()
    count = exports.write(args.kind, args.format, out, args.language, code)
    print(f"{count} rows of {args.kind} written to {out} in {time.perf_counter() - started:.1f} s")
    return 0


def _export_catalogue(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import translator
    from bot.runner import upgrade_database
    from bot.services.catalogue_export import catalogue_rows, reference_rows
    from bot.services.workbook_template import template
    from bot.storage.db import Database
    from bot.timeutil import Clock

    async def rows():
        await upgrade_database(settings)  # trainer codes come with a migration
        db = await Database.open(settings.db_path)
        try:
            now = Clock().now()
            return await db.read(lambda conn: (*catalogue_rows(conn, now), reference_rows(conn)))
        finally:
            await db.close()

    trainings, sessions, reference = asyncio.run(rows())
    out = Path(args.out or "catalogue.xlsx")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(template(translator(args.language), reference, trainings, sessions))
    print(f"{len(trainings)} trainings and {len(sessions)} sessions to come written to {out}")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> dict[str, Callable[[Settings, argparse.Namespace], int]]:
    """Add the reporting subcommands; their handlers by name."""
    from bot.i18n import LANGUAGES
    from bot.services.exports import KINDS
    from bot.services.spreadsheet import FORMATS

    export = sub.add_parser("export", help="write registrations, attendance, evaluations (without "
                                           "names) or indicators as XLSX or CSV; catalogue: the "
                                           "catalogue workbook to edit and import again; prc: the "
                                           "semi-annual report of a competence plan (PDF and XLSX "
                                           "in the folder --out)")
    export.add_argument("kind", choices=(*KINDS, "catalogue", "prc"))
    export.add_argument("--format", choices=FORMATS, default="xlsx",
                        help="csv: semicolons and decimal comma (Excel in French); csvc: commas")
    export.add_argument("--out", help="the file to write (required, except for catalogue: "
                                       "catalogue.xlsx; for prc: a folder)")
    export.add_argument("--administration", help="only this administration (its code)")
    export.add_argument("--language", "--lang", choices=LANGUAGES, default="fr",
                        help="labels and headers in this language (ar: right-to-left sheet)")
    export.add_argument("--semester", help="prc: the semester, as 2027-S1 or 2027-S2")
    export.add_argument("--national", action="store_true",
                        help="prc: the national version (a row per administration)")
    return {"export": cmd_export}
