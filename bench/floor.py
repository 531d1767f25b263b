"""The floor: a bare PTB bot that, for each update, makes the Bot API calls ours made on
average for that kind of update — same methods, ours' own texts and keyboards — with no logic
and no storage. What it costs is PTB, the sandbox and the client: the most ours could reach."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, CallbackContext, Defaults, TypeHandler

from bench.common import Kind, Step
from tgsandbox.client import BotClient
from tgsandbox.request import SandboxRequest
from tgsandbox.server import FakeTelegram
from tgsandbox.state import Call

# The methods the floor can replay, per kind of update, in the order it makes them (a press is
# answered first, as ours does). A message update has no callback query to answer or edit.
REPLAYABLE: dict[Kind, tuple[str, ...]] = {
    "callback": ("answerCallbackQuery", "editMessageText", "sendMessage"),
    "message": ("sendMessage",),
}


@dataclass(frozen=True)
class Planned:
    """What one floor call carries: a text as ours sent it, and ours' keyboard."""

    text: str | None
    markup: InlineKeyboardMarkup | None


class FloorPlan:
    """A deterministic schedule matching ours' call counts per kind of update and method.

    If ours made `count` calls of a method over `total` updates of a kind, the n-th floor
    update of that kind makes count*(n+1)//total - count*n//total of them: over any `total`
    consecutive updates, exactly `count`. Texts and keyboards are ours', used in turn.
    """

    def __init__(self, calls: list[tuple[Kind | None, Call]], updates: Counter[Kind]) -> None:
        self.updates = updates
        self.counts: dict[Kind, Counter[str]] = {"message": Counter(), "callback": Counter()}
        self.samples: dict[tuple[Kind, str], list[Planned]] = {}
        self.skipped: Counter[str] = Counter()  # calls the floor cannot replay (reported)
        for kind, call in calls:
            if kind is None or call.method not in REPLAYABLE[kind]:
                self.skipped[f"{call.method} ({kind or 'no update'})"] += 1
                continue
            self.counts[kind][call.method] += 1
            markup = call.params.get("reply_markup")
            self.samples.setdefault((kind, call.method), []).append(Planned(
                call.params.get("text"),
                InlineKeyboardMarkup.de_json(markup, None) if isinstance(markup, dict) else None))
        self._served: Counter[Kind] = Counter()
        self._used: Counter[tuple[Kind, str]] = Counter()

    def calls_for(self, kind: Kind) -> list[tuple[str, Planned]]:
        """The calls to make for the next update of this kind."""
        total = self.updates[kind]
        n = self._served[kind] % total if total else 0
        self._served[kind] += 1
        planned = []
        for method in REPLAYABLE[kind]:
            count = self.counts[kind][method]
            for _ in range(count * (n + 1) // total - count * n // total if total else 0):
                samples = self.samples[(kind, method)]
                planned.append((method, samples[self._used[(kind, method)] % len(samples)]))
                self._used[(kind, method)] += 1
        return planned


class FloorBot:
    """The floor's only handler: make the planned calls, nothing else."""

    def __init__(self, plan: FloorPlan) -> None:
        self.plan = plan
        self.errors: list[str] = []
        self._serial = 0

    async def handle(self, update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
        query = update.callback_query
        kind: Kind = "message" if query is None else "callback"
        for method, planned in self.plan.calls_for(kind):
            if method == "answerCallbackQuery" and query is not None:
                await query.answer(planned.text)
            elif method == "editMessageText" and query is not None and isinstance(query.message, Message):
                # Telegram refuses an edit that changes nothing: a serial keeps every edit new.
                self._serial += 1
                await query.message.edit_text(f"{planned.text} {self._serial}",
                                              reply_markup=planned.markup)
            elif update.effective_chat is not None:
                await update.effective_chat.send_message(planned.text or "…",
                                                         reply_markup=planned.markup)

    async def on_error(self, update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
        self.errors.append(repr(context.error))


@asynccontextmanager
async def floor_app(server: FakeTelegram, bot: FloorBot, concurrency: int) -> AsyncIterator[Application]:
    """A bare Application on the sandbox, with ours' defaults and concurrency."""
    request = SandboxRequest(server)
    app = (
        ApplicationBuilder()
        .token(server.token)
        .request(request)
        .get_updates_request(request)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=None))
        .concurrent_updates(concurrency)
        .build()
    )
    app.add_handler(TypeHandler(Update, bot.handle))
    app.add_error_handler(bot.on_error)
    await app.initialize()
    try:
        yield app
    finally:
        await app.shutdown()


async def replay(client: BotClient, steps: list[Step]) -> None:
    """Send the same texts and press buttons with the same data as one of ours' people, each
    press on the newest bot message of the chat (the floor's own).

    Presses are fed directly rather than with click_data, which insists on an answer: when ours
    failed to answer some presses, the floor rightly leaves as many unanswered.
    """
    server = client.server
    for step in steps:
        if step.kind == "message":
            await client.send(step.payload)
            continue
        newest = next((m for m in server.messages_newest_first(client.chat_id) if m.from_bot), None)
        await client.feed({"callback_query": server.new_callback_query(client.user_id, newest,
                                                                       step.payload)})


# --- the outbox: messages ours sends on its own, outside any update -----------------------------
@dataclass(frozen=True)
class Send:
    """One message ours' outbox dispatcher sent, as the floor sends it again: same chat, same
    text or caption, same keyboard, same file (name and bytes)."""

    method: str
    chat_id: int
    text: str | None
    markup: InlineKeyboardMarkup | None
    document: tuple[str, bytes] | None = None


SENDABLE = ("sendMessage", "sendDocument")


def sends_of(calls: list[Call], server: FakeTelegram) -> tuple[list[Send], Counter[str]]:
    """The floor's copy of ours' dispatcher calls (prepared outside any timing), and the calls
    it cannot copy (reported)."""
    sends: list[Send] = []
    skipped: Counter[str] = Counter()
    for call in calls:
        if call.method not in SENDABLE or not isinstance(call.chat_id, int):
            skipped[f"{call.method} (outbox)"] += 1
            continue
        raw = call.params.get("reply_markup")
        markup = InlineKeyboardMarkup.de_json(raw, None) if isinstance(raw, dict) else None
        if call.method == "sendMessage":
            sends.append(Send(call.method, call.chat_id, call.params.get("text"), markup))
            continue
        document = (call.result or {}).get("document") or {}
        stored = server.files.get(document.get("file_id", ""))
        if stored is None:  # a refused upload: nothing to copy
            skipped[f"{call.method} (outbox, refused)"] += 1
            continue
        sends.append(Send(call.method, call.chat_id, call.params.get("caption"), markup,
                          (stored.filename or "file.bin", stored.data)))
    return sends, skipped


async def send_all(bot: Bot, sends: list[Send], concurrency: int) -> list[str]:
    """Make the calls, `concurrency` in flight at once as ours' dispatcher does; errors back."""
    gate = asyncio.Semaphore(concurrency)
    errors: list[str] = []

    async def one(send: Send) -> None:
        async with gate:
            try:
                if send.document is not None:
                    name, content = send.document
                    await bot.send_document(send.chat_id, InputFile(content, filename=name),
                                            caption=send.text, reply_markup=send.markup)
                else:
                    await bot.send_message(send.chat_id, send.text or "…", reply_markup=send.markup)
            except TelegramError as exc:
                errors.append(f"{send.method}: {exc!r}")

    await asyncio.gather(*(one(s) for s in sends))
    return errors
