"""`etamkeen import elearning FILE.csv`: record e-learning completions from the learning
platform's export (learner code, module code, completed at), matched by the learner codes
officials see in /profile. Unknown codes and unreadable dates are listed by line and skipped."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.cli_common import CliError
from bot.compose import open_services
from bot.config import Settings


def add_parsers(sub) -> dict:
    imp = sub.add_parser("import", help="import data from another system: elearning FILE.csv")
    imp.add_argument("kind", choices=("elearning",), help="what the file holds")
    imp.add_argument("file", help="the learning platform's CSV export")
    return {"import": cmd_import}


def cmd_import(settings: Settings, args) -> int:
    try:
        raw = Path(args.file).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(f"{args.file} is not UTF-8 text: save it as CSV UTF-8") from exc

    async def run():
        async with open_services(settings, upgrade=True) as services:
            return await services.elearning.import_csv(text)

    report = asyncio.run(run())
    print(f"{report.recorded} completions recorded, {report.already} already known")
    for label, lines in (("unknown learner code", report.unknown_learners),
                         ("unknown module code", report.unknown_modules),
                         ("unreadable date", report.bad_dates)):
        for line, value in lines:
            print(f"line {line}: {label}: {value!r} (skipped)")
    return 0 if report.recorded or not (report.unknown_learners or report.unknown_modules
                                        or report.bad_dates) else 1
