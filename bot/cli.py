"""The `etamkeen` command: run, console, seed-demo, backup, restore, purge-inactive."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sqlite3
import sys
from pathlib import Path

from bot.cli_admin import add_parsers
from bot.cli_common import CliError, file_error
from bot.cli_elearning import add_parsers as add_elearning_parsers
from bot.cli_reports import add_parsers as add_report_parsers
from bot.config import ConfigError, Settings
from bot.console_bot import CONSOLE_ROLES
from bot.storage.db import StorageError

log = logging.getLogger("etamkeen")

NO_TOKEN = """\
TELEGRAM_BOT_TOKEN is not set, so the bot cannot talk to Telegram.
  - To run the real bot: create a bot with @BotFather, then put
        TELEGRAM_BOT_TOKEN=123456:ABC...
    in the environment or in a .env file, and run `make run` again.
  - To try the bot without Telegram: `make demo` opens an offline chat in this terminal."""


def setup_logging(level: str = "INFO", settings: Settings | None = None) -> None:
    """One line per event, never the token nor the webhook secret (see bot/logs.py)."""
    from bot.logs import setup_logging as setup

    setup(level, (settings.token, settings.webhook_secret) if settings else ())


class _QuietBootstrap(logging.Filter):
    """PTB logs a failed start-up with a full traceback; cmd_run says it in one line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.args and str(record.args[0]).startswith("Network Retry Loop (Bootstrap"))


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from telegram.error import InvalidToken, NetworkError

    from bot.backup import BackupError, DatabaseLock
    from bot.runner import upgrade_database, webhook_options
    from bot.storage.db import StorageError

    sandbox = os.environ.get("ETAMKEEN_SANDBOX_LOG", "")  # a test/demo facility, see _serve
    if not settings.token and not sandbox:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    try:
        if args.webhook:
            webhook_options(settings)  # an incomplete configuration fails before anything starts
        with DatabaseLock(settings.db_path):  # one `etamkeen run` per database
            asyncio.run(upgrade_database(settings))
            return asyncio.run(_serve(settings, args.webhook, sandbox))
    except ConfigError as exc:
        log.critical("configuration error: %s", exc)
        return 2
    except (BackupError, StorageError) as exc:
        log.critical("database %s: %s", settings.db_path, exc)
        return 2
    except InvalidToken:
        log.critical("Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): check the token "
                     "given by @BotFather")
        return 2
    except NetworkError as exc:
        log.critical("cannot reach the Bot API at %s: %s", settings.api_base_url, exc)
        return 3
    except OSError as exc:  # e.g. the webhook port is taken
        log.critical("cannot start: %s", exc)
        return 3


async def _serve(settings: Settings, webhook: bool, sandbox: str) -> int:
    from bot.app import build_application
    from bot.runner import serve

    request = server = None
    if sandbox:
        # ETAMKEEN_SANDBOX_LOG=<file>: no Telegram at all. The Bot API is the offline sandbox,
        # in this process, and every message delivered is appended to <file>. For the tests
        # (SIGTERM during a large outbox) and demonstrations only.
        from tgsandbox.recorder import RecordingTelegram
        from tgsandbox.request import SandboxRequest

        server = RecordingTelegram(Path(sandbox))
        request = SandboxRequest(server)
        settings = settings.with_(token=server.token)
        log.warning("SANDBOX: no Telegram; the Bot API is simulated in-process and deliveries "
                    "are recorded to %s", sandbox)
    app = build_application(settings, request=request)
    logging.getLogger("telegram.ext").addFilter(_QuietBootstrap())
    try:
        return await serve(app, settings, webhook=webhook)
    finally:
        if server is not None:
            server.close()


def cmd_console(settings: Settings, args: argparse.Namespace) -> int:
    from bot.backup import BackupError, DatabaseLock
    from bot.console_bot import ConsoleRoleError, admins_for, assume_role, outbox_pending
    from tgsandbox.console import run_console
    from tgsandbox.request import SandboxRequest
    from tgsandbox.server import FakeTelegram

    async def main() -> None:
        from bot.app import build_application

        server = FakeTelegram()
        # A returning person has opened the bot before: what the outbox holds for them is
        # delivered, not refused as to someone who never started it.
        server.add_user(args.user, args.name, language_code=args.language, started=True)
        app = build_application(settings.with_(token=server.token,
                                               admins=admins_for(settings.admins, args.user, args.role)),
                                request=SandboxRequest(server), rate_limiter=False)
        async with app:
            await app.post_init(app)
            try:
                await assume_role(app.bot_data, args.user, args.role, args.administration)
                print(f"You are {args.role.replace('_', ' ')} #{args.user}.")
                await run_console(app, server, stdin=sys.stdin, stdout=sys.stdout,
                                  user_id=args.user, first_name=args.name,
                                  language_code=args.language,
                                  pending=outbox_pending(app.bot_data, args.user))
            finally:
                await app.post_shutdown(app)

    try:
        # The console's outbox dispatcher sends everyone's messages to its own pretend Telegram:
        # a second console (or `etamkeen run`) on the same database would take the other's
        # messages and mark their people unreachable. One process per database, as for `run`.
        with DatabaseLock(settings.db_path):
            asyncio.run(main())
    except BackupError as exc:
        print(f"console: {exc}", file=sys.stderr)
        return 2
    except ConsoleRoleError as exc:
        print(f"console: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_seed_demo(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services.demo import seed_demo
    from bot.storage.db import Database
    from bot.storage.migrations import migrate
    from bot.timeutil import Clock

    async def main() -> dict:
        db = await Database.open(settings.db_path)
        try:
            await migrate(db)
            return await db.write(seed_demo, Clock().now())
        finally:
            await db.close()

    counts = asyncio.run(main())
    print(f"demo programme written to {settings.db_path}: "
          + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    from bot.backup import BackupError, backup

    try:
        target = backup(settings.db_path, Path(args.path), keep=args.keep)
    except (BackupError, OSError) as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 2
    print(f"backup written to {target}")
    return 0


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    from bot.backup import BackupError, restore

    try:
        previous = restore(Path(args.backup), settings.db_path, force=args.force)
    except (BackupError, OSError) as exc:
        print(f"restore failed: {exc}", file=sys.stderr)
        return 2
    print(f"{args.backup} restored to {settings.db_path}"
          + (f" (the previous database is kept as {previous})" if previous else ""))
    return 0


def cmd_purge_inactive(settings: Settings, args: argparse.Namespace) -> int:
    from bot.backup import schema_version
    from bot.compose import open_services
    from bot.storage.migrations import LATEST

    if settings.retention_years <= 0:
        print("ETAMKEEN_RETENTION_YEARS is 0: nobody is erased for inactivity")
        return 0

    # No upgrade here: the bot may be running (this works beside it), and only `etamkeen run`
    # migrates, after its backup.
    if not settings.db_path.is_file() or schema_version(settings.db_path) != LATEST:
        print(f"{settings.db_path} is not a database of this release: run `etamkeen run` once "
              "(it upgrades the database) first", file=sys.stderr)
        return 2

    async def purge() -> int:
        async with open_services(settings) as services:
            if args.dry_run:
                return len(await services.privacy.due_for_retention(limit=10**9))
            return await services.privacy.purge_inactive()

    count = asyncio.run(purge())
    verb = "would be erased" if args.dry_run else "erased"
    print(f"{count} people inactive for more than {settings.retention_years} years {verb}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="etamkeen", description="e-TAMKEEN Bot")
    parser.add_argument("--log-level", default="INFO",
                        help="DEBUG prints whole updates (personal data): for troubleshooting only")
    parser.add_argument("--env-file", default=".env",
                        help="settings file read after the environment (default: .env)")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the bot (long polling, or --webhook)")
    run.add_argument("--webhook", action="store_true",
                     help="receive updates on ETAMKEEN_WEBHOOK_URL instead of polling")
    console = sub.add_parser("console", help="chat with the bot offline, in this terminal")
    console.add_argument("--user", type=int, default=1001, help="your pretend Telegram user id")
    console.add_argument("--name", default="Demo")
    console.add_argument("--language", default="fr", help="your pretend Telegram language_code")
    console.add_argument("--role", default="official", choices=CONSOLE_ROLES,
                         help="who you are (default: official); staff roles see staff screens")
    console.add_argument("--administration", metavar="CODE",
                         help="with --role focal_point: the administration (default: the first)")
    sub.add_parser("seed-demo", help="write a demo programme into ETAMKEEN_DB")
    backup = sub.add_parser("backup", help="copy the database (safe while the bot runs)")
    backup.add_argument("path", help="a folder (file named etamkeen-<UTC time>.db) or a file.db")
    backup.add_argument("--keep", type=int, help="with a folder: keep only the N newest backups")
    restore = sub.add_parser("restore", help="put a backup in place of ETAMKEEN_DB (bot stopped)")
    restore.add_argument("backup", help="the backup file")
    restore.add_argument("--force", action="store_true",
                         help="replace an existing database (it is kept aside, not deleted)")
    purge = sub.add_parser("purge-inactive",
                           help="erase people inactive for ETAMKEEN_RETENTION_YEARS (done daily by run)")
    purge.add_argument("--dry-run", action="store_true", help="only count them")
    admin_handlers = add_parsers(sub)  # import-catalogue, invite, audit (bot/cli_admin.py)
    admin_handlers |= add_report_parsers(sub)  # export (bot/cli_reports.py)
    admin_handlers |= add_elearning_parsers(sub)  # import elearning (bot/cli_elearning.py)
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(dotenv=args.env_file)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    setup_logging(args.log_level if args.command != "console" else "WARNING", settings)
    handlers = {**admin_handlers, "run": cmd_run, "console": cmd_console, "seed-demo": cmd_seed_demo,
                "backup": cmd_backup, "restore": cmd_restore, "purge-inactive": cmd_purge_inactive}
    try:
        return handlers[args.command](settings, args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a path that cannot be read or written: one line, not a traceback
        print(f"error: {file_error(exc)}", file=sys.stderr)
        return 2
    except (sqlite3.DatabaseError, StorageError) as exc:  # not a database, or a damaged one
        print(f"error: database {settings.db_path}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
