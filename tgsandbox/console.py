"""A terminal chat with the bot through the sandbox: no token, no network.

What the bot sends on its own (confirmations, calendar files, offers, reminders: the outbox)
is printed as it arrives, as Telegram would show it, also while the console waits for a line.
A number presses a button of the latest message printed with buttons: never of one the person
has not seen yet."""

from __future__ import annotations

import asyncio
import mimetypes
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

from telegram.ext import Application

from tgsandbox.client import BotClient
from tgsandbox.server import FakeTelegram
from tgsandbox.view import BotMessage, SandboxFile

HELP = (
    "Type a message and press Enter. A number presses that button of the latest message shown\n"
    "with buttons; \\TEXT sends TEXT as is (e.g. \\5); !upload PATH sends a file; /quit or Ctrl-D "
    "leaves. Messages the bot sends on its own are printed as they arrive."
)
NO_BUTTONS = "(no message with buttons on screen: \\{n} sends {n} as text)"
POLL = 0.1  # seconds between looks for messages sent in the background
SETTLE = 15.0  # at most this long waiting for the bot's follow-ups to an action

Pending = Callable[[], Awaitable[bool]]  # does the bot still have messages on their way?


class _Screen:
    """What has been printed: messages in print order, to know which buttons are visible."""

    def __init__(self, stdout: TextIO, folder: Path) -> None:
        self.stdout, self.folder = stdout, folder
        self.prompted = False  # a "> " is on screen, waiting for the person
        self._buttons: dict[tuple[int, int], bool] = {}  # message -> has buttons, last printed last

    def say(self, line: str = "") -> None:
        if self.prompted:  # a message arrived while the person was at the prompt
            self.stdout.write("\n")
            self.prompted = False
        self.stdout.write(line + "\n")
        self.stdout.flush()

    def prompt(self) -> None:
        self.stdout.write("> ")
        self.stdout.flush()
        self.prompted = True

    def show(self, messages: list[BotMessage]) -> None:
        reprompt = self.prompted and bool(messages)
        for message in messages:
            _show(message, self.folder, self.say)
            key = (message.chat_id, message.message_id)
            self._buttons.pop(key, None)
            self._buttons[key] = bool(message.buttons)
        if reprompt:
            self.prompt()

    def visible_with_buttons(self) -> tuple[int, int] | None:
        """The latest message printed with buttons (as last printed)."""
        return next((key for key, has in reversed(self._buttons.items()) if has), None)


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
    pending: Pending | None = None,
) -> BotClient:
    """Chat with an initialized Application (built on a SandboxRequest) until /quit or EOF.

    `pending`, when given, tells whether the bot has messages due for this person that are not
    sent yet: after each action the console waits for them (a piped script then sees the
    confirmation before its next line)."""
    client = BotClient(app, server, user_id, first_name, last_name, username, language_code)
    folder = Path(download_dir) if download_dir else Path(tempfile.mkdtemp(prefix="etamkeen-chat-"))
    folder.mkdir(parents=True, exist_ok=True)
    screen = _Screen(stdout, folder)
    screen.say(f"Offline chat with @{server.username} as {first_name} (language: {language_code}).")
    screen.say(HELP)
    screen.say(f"Files the bot sends are saved in {folder}")
    screen.show(client.messages)  # sent before the console opened (e.g. at start-up)
    while True:
        screen.show(client.unread())
        screen.prompt()
        line = await _read_line(stdin, lambda: screen.show(client.unread()))
        screen.prompted = False
        if not line:
            screen.say()
            break
        line = line.rstrip("\r\n")
        if line.strip() == "/quit":
            break
        if not line.strip():
            continue
        screen.show(client.unread())  # arrived since the last look: an action collects only its own
        client.last_answer = None
        try:
            new = await _act(client, line, screen)
        except Exception as exc:  # a typo must not end the session
            screen.say(f"(!) {exc}")
            continue
        screen.show(new)
        answer = client.last_answer or {}
        if answer.get("text"):
            kind = "alert" if answer.get("show_alert") else "notice"
            screen.say(f"  ({kind}: {answer['text']})")
        await _settle(client, screen, pending)
    await _settle(client, screen, pending)  # what is already on its way is still shown
    screen.show(client.unread())
    screen.say("Bye.")
    return client


async def _settle(client: BotClient, screen: _Screen, pending: Pending | None) -> None:
    """Print the bot's follow-ups to an action as they come, until none is due any more."""
    if pending is None:
        return
    deadline = time.monotonic() + SETTLE
    while await pending() and time.monotonic() < deadline:
        await asyncio.sleep(POLL)
        screen.show(client.unread())
    screen.show(client.unread())


async def _read_line(stdin: TextIO, idle: Callable[[], None] = lambda: None) -> str:
    """Read a line in a daemon thread: the event loop (jobs, the outbox) keeps running meanwhile,
    `idle` runs every POLL seconds until the line comes, and Ctrl-C is not held up at exit by a
    thread still blocked on the terminal."""
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
    while not (await asyncio.wait({future}, timeout=POLL))[0]:
        idle()
    return future.result()


async def _act(client: BotClient, line: str, screen: _Screen) -> list[BotMessage]:
    """Turn one typed line into what the person does."""
    stripped = line.strip()
    if stripped.startswith("\\"):
        return await client.send(stripped[1:])
    if stripped.startswith("!upload "):
        return await client.upload(stripped[len("!upload ") :].strip())
    if stripped.isdigit():
        visible = screen.visible_with_buttons()
        if visible is None:
            screen.say(NO_BUTTONS.format(n=stripped))
            return []
        message = client.server.message(*visible)
        count = len(BotMessage(message).flat_buttons) if message is not None else 0
        if 1 <= int(stripped) <= count:
            return await client.press(int(stripped), message)
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
