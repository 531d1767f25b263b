"""Flood control, injected faults and getUpdates, seen through PTB's exceptions."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram import Update
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ApplicationBuilder, MessageHandler, filters

from tgsandbox.limits import FAULT_KINDS
from tgsandbox.request import SandboxRequest
from tgsandbox.server import FakeTelegram

USER = 1001


class FakeClock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(clock: FakeClock) -> FakeTelegram:
    server = FakeTelegram(clock=clock)
    for user_id in range(USER, USER + 40):
        server.add_user(user_id, f"User {user_id}")
    return server


@pytest.fixture
async def app(server: FakeTelegram):
    app = (
        ApplicationBuilder()
        .token(server.token)
        .request(SandboxRequest(server))
        .get_updates_request(SandboxRequest(server))
        .updater(None)
        .build()
    )
    async with app:
        yield app


@pytest.fixture
def bot(app):
    return app.bot


def seconds(exc: RetryAfter) -> float:
    value = exc.retry_after
    return value if isinstance(value, int) else value.total_seconds()


async def test_rate_limits_are_off_by_default(server: FakeTelegram, bot) -> None:
    for i in range(100):
        await bot.send_message(USER, f"m{i}")
    assert len(server.messages(USER)) == 100


async def test_per_chat_burst_then_one_per_second(server: FakeTelegram, bot, clock) -> None:
    server.set_rate_limits(global_per_s=30, per_chat_per_s=1, per_chat_burst=3)
    for i in range(3):
        await bot.send_message(USER, f"m{i}")
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(USER, "too fast")
    assert seconds(info.value) == 1
    assert server.calls[-1].error_code == 429
    assert server.calls[-1].description == "Too Many Requests: retry after 1"
    assert len(server.messages(USER)) == 3  # a refused message is not delivered
    await bot.send_message(USER + 1, "another chat is fine")
    clock.now += 1
    await bot.send_message(USER, "after a second")
    server.disable_rate_limits()
    for _ in range(5):
        await bot.send_message(USER, "free again")


async def test_global_and_group_limits(server: FakeTelegram, bot, clock) -> None:
    server.set_rate_limits(global_per_s=30, per_chat_per_s=1, per_chat_burst=3, group_per_min=20)
    for user_id in range(USER, USER + 30):
        await bot.send_message(user_id, "broadcast")
    with pytest.raises(RetryAfter):
        await bot.send_message(USER + 30, "the 31st in the same second")
    clock.now += 1
    await bot.send_message(USER + 30, "next second")

    server.add_group(-100123, "Formateurs")
    server.set_rate_limits(global_per_s=1000, per_chat_per_s=100, per_chat_burst=100)
    for i in range(20):
        await bot.send_message(-100123, f"g{i}")
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(-100123, "21st this minute")
    assert seconds(info.value) == 3  # 20 per minute: one every 3 seconds


@pytest.mark.parametrize(
    ("kind", "exception", "text"),
    [
        ("403_blocked", Forbidden, "Forbidden: bot was blocked by the user"),
        ("403_deactivated", Forbidden, "Forbidden: user is deactivated"),
        ("400_chat_not_found", BadRequest, "Chat not found"),
        ("500", NetworkError, "Internal Server Error"),
        ("502", NetworkError, "Bad Gateway"),
        ("timeout", TimedOut, "Timed out"),
        ("network", NetworkError, "sandbox fault injection"),
    ],
)
async def test_each_fault_kind(server: FakeTelegram, bot, kind, exception, text) -> None:
    server.fail_next(kind)
    with pytest.raises(exception, match=text):
        await bot.send_message(USER, "x")
    assert server.messages(USER) == []  # nothing was delivered
    await bot.send_message(USER, "the next call works")


async def test_429_fault_and_options(server: FakeTelegram, bot) -> None:
    server.fail_next("429", retry_after=7, times=2, method="sendMessage", chat_id=USER + 1)
    await bot.send_message(USER, "other chat: untouched")
    await bot.send_chat_action(USER + 1, "typing")  # other method: untouched
    for _ in range(2):
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(USER + 1, "x")
        assert seconds(info.value) == 7
    await bot.send_message(USER + 1, "third time lucky")
    with pytest.raises(ValueError, match="unknown fault kind"):
        server.fail_next("418")
    assert "timeout_after_delivery" in FAULT_KINDS


async def test_timeout_after_delivery_delivers(server: FakeTelegram, bot) -> None:
    server.fail_next("timeout_after_delivery")
    with pytest.raises(TimedOut):
        await bot.send_message(USER, "maybe sent")
    assert [m.text for m in server.messages(USER)] == ["maybe sent"]
    assert not server.calls[-1].ok and server.calls[-1].result["text"] == "maybe sent"
    assert server.calls[-1].outcome == "timed out after delivery"
    server.fail_next("timeout")
    with pytest.raises(TimedOut):
        await bot.send_message(USER, "never sent")
    assert server.calls[-1].outcome == "timeout" and len(server.messages(USER)) == 1


async def test_get_updates_and_offsets(server: FakeTelegram, bot) -> None:
    first = server.push_update(
        {
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": USER, "type": "private"},
                "text": "a",
            }
        }
    )
    server.push_update(
        {
            "message": {
                "message_id": 2,
                "date": 0,
                "chat": {"id": USER, "type": "private"},
                "text": "b",
            }
        }
    )
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates] == ["a", "b"]
    updates = await bot.get_updates(offset=first["update_id"] + 1, timeout=0)
    assert [u.message.text for u in updates] == ["b"]  # the first one is confirmed and gone
    assert (await bot.get_webhook_info()).pending_update_count == 1
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates(timeout=0) == ()


async def test_long_poll_wakes_up_and_overlap_conflicts(server: FakeTelegram, bot) -> None:
    waiting = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0)
    server.push_update(
        {
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": USER, "type": "private"},
                "text": "hi",
            }
        }
    )
    assert [u.message.text for u in await waiting] == ["hi"]

    await bot.get_updates(offset=-1, timeout=0)
    server._updates.clear()
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0)
    second = asyncio.create_task(bot.get_updates(timeout=0))
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await first
    assert await second == ()
    conflicts = [c for c in server.calls_for("getUpdates") if c.error_code == 409]
    assert conflicts[0].description == (
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
    )


async def test_get_updates_while_a_webhook_is_set(server: FakeTelegram, bot) -> None:
    await bot.set_webhook("https://bot.example.ma/hook")
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await bot.get_updates(timeout=0)
    assert (await bot.get_webhook_info()).url == "https://bot.example.ma/hook"
    await bot.delete_webhook()
    assert await bot.get_updates(timeout=0) == ()
    assert await bot.close() and await bot.log_out()


async def test_polling_application_end_to_end() -> None:
    server = FakeTelegram()
    server.add_user(USER, "Amina")
    seen: list[str] = []

    async def echo(update: Update, context) -> None:
        seen.append(update.message.text)
        await update.message.reply_text(update.message.text.upper())

    app = (
        ApplicationBuilder()
        .token(server.token)
        .request(SandboxRequest(server))
        .get_updates_request(SandboxRequest(server))
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        stored = server.user_message(USER, text="salam")
        server.push_update({"message": stored.to_json()})
        for _ in range(200):
            if seen:
                break
            await asyncio.sleep(0.01)
        await app.updater.stop()
        await app.stop()
    assert seen == ["salam"] and server.last_message(USER).text == "SALAM"


async def test_fast_enough_for_benchmarks(server: FakeTelegram, bot) -> None:
    started = time.perf_counter()
    for i in range(3000):
        await bot.send_message(USER + i % 40, f"<b>n°{i}</b> &amp; co", parse_mode="HTML")
    elapsed = time.perf_counter() - started
    assert len(server.calls) > 3000
    assert elapsed < 3, f"3000 sends took {elapsed:.2f}s"
