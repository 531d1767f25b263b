"""`etamkeen export prc`: the semi-annual report of an administration's competence plan (or the
national version) as PDF and XLSX in a folder, the same files /prc_report sends. A semester
that has ended is issued (frozen) by the first request, from the bot or from here; the focal
points and the national team then get it in the chat when the bot runs."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cli_common import CliError, administration_code
from bot.compose import open_services
from bot.config import Settings

WHY = {
    "semester_invalid": "not a semester: write it as 2027-S1 (January to June) or 2027-S2 (July to December)",
    "no_plan": "this administration has no validated competence plan covering the semester",
    "administration_unknown": "unknown administration",
}


def cmd_export_prc(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runner import upgrade_database
    from bot.services import prc_report_files
    from bot.services.access import Access
    from bot.services.prc_report import NATIONAL, ReportError

    if not args.semester:
        raise CliError("--semester is required for prc (for example 2027-S1)")
    if bool(args.national) == bool(args.administration):
        raise CliError("give either --administration CODE or --national")
    if not args.out:
        raise CliError("--out is required for prc: the folder to write the PDF and the XLSX in")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)  # an unwritable folder: one line from main()

    async def issue():
        await upgrade_database(settings)  # the reports' table comes with a migration
        async with open_services(settings) as services:
            scope = NATIONAL if args.national else administration_code(services.reference,
                                                                       args.administration)
            # The operators act for the national team (no chat account: nobody is left out
            # of the copies issuing sends).
            return scope, await services.prc_reports.report(Access(0, admin=True), scope, args.semester)

    try:
        scope, report = asyncio.run(issue())
    except ReportError as e:
        raise CliError(WHY.get(e.code, e.code)) from None
    pdf, xlsx = prc_report_files.both(report.snapshot, args.language)
    written = []
    for fmt, data in (("pdf", pdf), ("xlsx", xlsx)):
        path = out / prc_report_files.filename(scope, report.snapshot["semester"], args.language, fmt)
        path.write_bytes(data)
        written.append(str(path))
    state = ("provisional (the semester is not over)" if report.provisional
             else "issued now, frozen" if report.new else f"frozen since {report.snapshot['at']} UTC")
    print(f"semi-annual report {report.snapshot['semester']}, {state}: {', '.join(written)}")
    return 0


def check_kind(args: argparse.Namespace) -> None:
    """Options that only prc takes, given to another export, are refused rather than ignored."""
    if args.kind != "prc" and (args.semester or args.national):
        raise CliError("--semester and --national are for `export prc` only")
