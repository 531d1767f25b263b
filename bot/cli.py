"""The `etamkeen` command: run, console, seed-demo."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.config import ConfigError, Settings

log = logging.getLogger("etamkeen")

NO_TOKEN = """\
TELEGRAM_BOT_TOKEN is not set, so the bot cannot talk to Telegram.
  - To run the real bot: create a bot with @BotFather, then put
        TELEGRAM_BOT_TOKEN=123456:ABC...
    in the environment or in a .env file, and run `make run` again.
  - To try the bot without Telegram: `make demo` opens an offline chat in this terminal."""


def setup_logging(level: str = "INFO") -> None:
    """One line per event; httpx's request lines would print the token, so they are muted."""
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


class _QuietBootstrap(logging.Filter):
    """PTB logs a failed start-up with a full traceback; cmd_run says it in one line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.args and str(record.args[0]).startswith("Network Retry Loop (Bootstrap"))


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from telegram.error import InvalidToken, NetworkError

    from bot.app import build_application

    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    app = build_application(settings)
    logging.getLogger("telegram.ext").addFilter(_QuietBootstrap())
    try:
        app.run_polling(allowed_updates=["message", "edited_message", "callback_query",
                                         "my_chat_member"])
    except InvalidToken:
        log.critical("Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): check the token "
                     "given by @BotFather")
        return 2
    except NetworkError as exc:
        log.critical("cannot reach the Bot API at %s: %s", settings.api_base_url, exc)
        return 3
    return 0


def cmd_console(settings: Settings, args: argparse.Namespace) -> int:
    from bot.sandbox.console import run_console
    from bot.sandbox.request import SandboxRequest
    from bot.sandbox.server import FakeTelegram

    async def main() -> None:
        from bot.app import build_application

        server = FakeTelegram()
        app = build_application(settings.with_(token=server.token, admins=settings.admins | {args.user}),
                                request=SandboxRequest(server), rate_limiter=False)
        async with app:
            await app.post_init(app)
            try:
                await run_console(app, server, user_id=args.user, first_name=args.name,
                                  language_code=args.language)
            finally:
                await app.post_shutdown(app)

    asyncio.run(main())
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="etamkeen", description="e-TAMKEEN Bot")
    parser.add_argument("--log-level", default="INFO")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (long polling)")
    console = sub.add_parser("console", help="chat with the bot offline, in this terminal")
    console.add_argument("--user", type=int, default=1001, help="your pretend Telegram user id")
    console.add_argument("--name", default="Demo")
    console.add_argument("--language", default="fr", help="your pretend Telegram language_code")
    sub.add_parser("seed-demo", help="write a demo programme into ETAMKEEN_DB")
    args = parser.parse_args(argv)
    setup_logging(args.log_level if args.command != "console" else "WARNING")
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    handlers = {"run": cmd_run, "console": cmd_console, "seed-demo": cmd_seed_demo}
    return handlers[args.command](settings, args)


if __name__ == "__main__":
    sys.exit(main())
