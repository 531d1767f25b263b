"""Back-office commands of `etamkeen`: import-catalogue, invite, audit."""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
from pathlib import Path

from bot.cli_common import CliError, administration_code
from bot.config import Settings


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import translator
    from handlers.catalogue_admin import plan_text_for

    t = translator(args.language)
    data = Path(args.file).read_bytes()  # a missing file: one line from main()

    async def main() -> int:
        from bot.compose import open_services

        async with open_services(settings, upgrade=True) as services:
            importer = services.catalogue_import
            plan = await importer.preview(data, settings.workbook_parse_seconds)
            print(plan_text_for(t, plan))
            if not plan.ok:
                return 1
            if not args.yes:
                # The question waits on a person: off the event loop, which has nothing else to do.
                prompt = t._("Apply? [y/N] ")
                answer = await asyncio.to_thread(input, prompt) if sys.stdin.isatty() else ""
                if answer.strip().lower() not in ("y", "o", "yes", "oui"):
                    print(t._("Nothing was changed."))
                    return 0
            plan = await importer.apply(data, None, settings.workbook_parse_seconds)
            print(plan_text_for(t, plan) if not plan.ok else t._("✅ The catalogue is updated."))
            return 0 if plan.ok else 1

    return asyncio.run(main())


def cmd_invite(settings: Settings, args: argparse.Namespace) -> int:
    if not 0 < args.days <= 365:  # nan fails this too
        raise CliError(f"--days must be between 0 and 365, not {args.days}")
    if (args.role == "focal_point") != bool(args.administration):
        raise CliError("a focal point needs --administration CODE; the other roles take none")

    async def main() -> str:
        from bot.compose import open_services

        async with open_services(settings, upgrade=True) as services:
            code = (administration_code(services.reference, args.administration)
                    if args.administration else None)
            return await services.roles.invite(None, args.role, code, args.days)

    token = asyncio.run(main())
    bot = args.bot_username or "<your_bot>"
    print(f"https://t.me/{bot}?start=i_{token}")
    return 0


def cmd_audit(settings: Settings, args: argparse.Namespace) -> int:
    from bot.storage import audit

    async def main() -> int:
        from bot.compose import open_services

        async with open_services(settings, upgrade=True) as services:
            def write(conn) -> int:
                count = 0
                with open(args.out, "w", newline="", encoding="utf-8-sig") as f:
                    out = csv.writer(f)
                    out.writerow(["at_utc", "actor_id", "action", "target", "details"])
                    for row in audit.all_rows(conn):
                        out.writerow(list(row))
                        count += 1
                return count

            return await services.db.read_heavy(write)

    open(args.out, "a").close()  # an unwritable --out fails before the database is opened
    print(f"{asyncio.run(main())} entries written to {args.out}")
    return 0


def add_parsers(sub) -> dict:
    imp = sub.add_parser("import-catalogue", help="check, preview and apply a catalogue workbook")
    imp.add_argument("file")
    imp.add_argument("--yes", action="store_true", help="apply without asking")
    imp.add_argument("--language", choices=("fr", "ar"), default="fr")
    inv = sub.add_parser("invite", help="create a single-use invitation link to a role")
    inv.add_argument("--role", required=True, choices=("trainer", "focal_point", "coordinator"))
    inv.add_argument("--administration", help="the administration code of a focal point")
    inv.add_argument("--days", type=float, default=7)
    inv.add_argument("--bot-username", help="to print the full t.me link")
    aud = sub.add_parser("audit", help="export the audit log as CSV")
    aud.add_argument("--out", required=True)
    return {"import-catalogue": cmd_import, "invite": cmd_invite, "audit": cmd_audit}
