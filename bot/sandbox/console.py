"""A terminal chat with the bot through the sandbox: no token, no network."""

from __future__ import annotations

import asyncio
import mimetypes
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from telegram.ext import Application

from bot.sandbox.client import BotClient
from bot.sandbox.server import FakeTelegram
from bot.sandbox.view import BotMessage, SandboxFile

HELP = (
    "Type a message and press Enter. A number presses that button of the latest message with\n"
    "buttons; \\TEXT sends TEXT as is (e.g. \\5); !upload PATH sends a file; /quit or Ctrl-D "
    "leaves."
)


async def run_console(
    app: Application,
    server: FakeTelegram,
    *,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    user_id: int = 1001,
    first_name: str = "Amina",
    last_name: str | None = None,
    username: str | None = None,
    language_code: str | None = "fr",
    download_dir: str | Path | None = None,
) -> BotClient:
    """Chat with an initialized Application (built on a SandboxRequest) until /quit or EOF."""
    client = BotClient(app, server, user_id, first_name, last_name, username, language_code)
    folder = Path(download_dir) if download_dir else Path(tempfile.mkdtemp(prefix="etamkeen-chat-"))
    folder.mkdir(parents=True, exist_ok=True)

    def say(line: str = "") -> None:
        stdout.write(line + "\n")
        stdout.flush()

    say(f"Offline chat with @{server.username} as {first_name} (language: {language_code}).")
    say(HELP)
    say(f"Files the bot sends are saved in {folder}")
    while True:
        for message in client.unread():  # sent in the background since the last line
            _show(message, folder, say)
        stdout.write("> ")
        stdout.flush()
        line = await _read_line(stdin)
        if not line:
            say()
            break
        line = line.rstrip("\r\n")
        if line.strip() == "/quit":
            break
        if not line.strip():
            continue
        client.last_answer = None
        try:
            new = await _act(client, line)
        except Exception as exc:  # a typo must not end the session
            say(f"(!) {exc}")
            continue
        for message in new:
            _show(message, folder, say)
        answer = client.last_answer or {}
        if answer.get("text"):
            kind = "alert" if answer.get("show_alert") else "notice"
            say(f"  ({kind}: {answer['text']})")
    say("Bye.")
    return client


async def _read_line(stdin: TextIO) -> str:
    """Read a line in a daemon thread: the event loop (jobs, other tasks) keeps running meanwhile,
    and Ctrl-C is not held up at exit by a thread still blocked on the terminal."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str] = loop.create_future()

    def settle(line: str, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(line)

    def read() -> None:
        try:
            line, error = stdin.readline(), None
        except BaseException as exc:  # handed over to the awaiting coroutine
            line, error = "", exc
        try:
            loop.call_soon_threadsafe(settle, line, error)
        except RuntimeError:  # the loop is gone (Ctrl-C): nobody is waiting any more
            pass

    threading.Thread(target=read, name="sandbox-console-stdin", daemon=True).start()
    return await future


async def _act(client: BotClient, line: str) -> list[BotMessage]:
    """Turn one typed line into what the person does."""
    stripped = line.strip()
    if stripped.startswith("\\"):
        return await client.send(stripped[1:])
    if stripped.startswith("!upload "):
        return await client.upload(stripped[len("!upload ") :].strip())
    if stripped.isdigit():
        latest = next((m for m in reversed(client.messages) if m.buttons), None)
        if latest is not None and 1 <= int(stripped) <= len(latest.flat_buttons):
            return await client.press(int(stripped), latest)
    return await client.send(line)


def _show(message: BotMessage, folder: Path, say: Callable[[str], None]) -> None:
    """Print a bot message as the person sees it; save its attachment."""
    lines = message.text.splitlines()
    for kind, file in (("document", message.document), ("photo", message.photo)):
        if file is not None:
            path = _save(file, folder, message.message_id, kind)
            lines.insert(0, f"[{kind}] {file.filename or path.name} ({file.size} bytes) -> {path}")
    prefix = "bot (edited):" if message.edited else "bot:"
    for number, line in enumerate(lines or [""]):
        say(f"{prefix if number == 0 else ' ' * len(prefix)} {line}")
    number = 0
    for row in message.buttons:
        cells = []
        for text in row:
            number += 1
            cells.append(f"[{number}] {text}")
        say("  " + "   ".join(cells))


def _save(file: SandboxFile, folder: Path, message_id: int, kind: str) -> Path:
    """Write an attachment under the session folder without overwriting earlier ones."""
    extension = mimetypes.guess_extension(file.mime_type or "") or ".bin"
    name = Path(file.filename).name if file.filename else f"{kind}{extension}"
    path = folder / f"{message_id}-{name}"
    path.write_bytes(file.data)
    return path
