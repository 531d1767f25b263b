"""Receipt of updates (DESIGN 3.10): an update Telegram was told we have is in the database
before it is handled, is handled again after a crash if it was not, and never twice."""

from __future__ import annotations

import asyncio
import json
import sqlite3

import httpx

from bot.app import build_application
from bot.i18n import translator
from bot.processor import PerUserUpdateProcessor
from bot.runner import serve
from bot.storage import inbox as store
from bot.storage.db import Database
from bot.storage.migrations import migrate
from bot.timeutil import Clock
from tests.test_running import WELCOME, free_port, settings_for, until
from tgsandbox.request import SandboxRequest


def start_update(server, user_id: int, language: str = "fr") -> dict:
    server.add_user(user_id, "Salma", language_code=language)
    message = server.user_message(user_id, text="/start",
                                  entities=[{"type": "bot_command", "offset": 0, "length": 6}])
    return {"update_id": server.next_update_id(), "message": message.to_json()}


def welcomes(server, user_id: int, language: str = "fr") -> int:
    text = translator(language)._(WELCOME)
    return sum(1 for m in server.messages(user_id) if m.from_bot and text in m.text)


def inbox_rows(db_path) -> dict[int, tuple]:
    with sqlite3.connect(db_path) as conn:
        return {r[0]: r[1:] for r in conn.execute("SELECT update_id, state, payload, user_id FROM inbox")}


async def running(server, settings, **kwargs):
    app = build_application(settings, request=SandboxRequest(server), rate_limiter=False)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, settings, stop=stop, signals=False, **kwargs))
    await until(lambda: app.running)
    return app, stop, task


async def test_an_update_received_and_never_handled_is_handled_at_the_next_start(server, tmp_path):
    # A crash after the batch was written (and so confirmed to Telegram) but before handling:
    # the row is all that is left of it, and it is enough.
    settings = settings_for(server, tmp_path)
    update = start_update(server, 9101, "ar")
    db = await Database.open(settings.db_path)
    await migrate(db)
    await db.write(store.record, [update], Clock().now())
    await db.close()

    app, stop, task = await running(server, settings)
    try:
        await until(lambda: welcomes(server, 9101, "ar") == 1)
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 15) == 0
    state, payload, _ = inbox_rows(settings.db_path)[update["update_id"]]
    assert (state, payload) == ("done", None)  # handled, and its text forgotten


async def test_a_batch_is_in_the_inbox_before_telegram_is_told(server, tmp_path):
    settings = settings_for(server, tmp_path)
    real_call = server.call
    seen_at_confirmation: list[set[int]] = []

    async def call(token, method, params, files=None):
        if method == "getUpdates" and int(params.get("offset") or 0) > 0:
            seen_at_confirmation.append(set(inbox_rows(settings.db_path)))  # what is durable now
        return await real_call(token, method, params, files)

    server.call = call
    app, stop, task = await running(server, settings)
    try:
        updates = [server.push_update(start_update(server, uid)) for uid in range(9201, 9211)]
        await until(lambda: all(welcomes(server, uid) for uid in range(9201, 9211)))
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 15) == 0
    ids = {u["update_id"] for u in updates}
    confirming = [seen for seen in seen_at_confirmation if seen & ids]
    assert confirming and ids <= confirming[0]  # the first offset past them found them all written
    assert {inbox_rows(settings.db_path)[i][0] for i in ids} == {"done"}


async def test_an_update_delivered_again_is_not_handled_twice(server, tmp_path):
    settings = settings_for(server, tmp_path)
    update = start_update(server, 9301)
    app, stop, task = await running(server, settings)
    server.push_update(update)
    await until(lambda: welcomes(server, 9301) == 1)
    stop.set()
    assert await asyncio.wait_for(task, 15) == 0

    # Telegram delivers it again (the confirmation never reached it), to a new process.
    app, stop, task = await running(server, settings)
    try:
        server.push_update(update)
        other = server.push_update(start_update(server, 9302))
        await until(lambda: welcomes(server, 9302) == 1)  # the batch after it was handled
        await asyncio.sleep(0.1)
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 15) == 0
    assert welcomes(server, 9301) == 1
    assert inbox_rows(settings.db_path)[other["update_id"]][0] == "done"


async def test_the_first_change_an_update_makes_marks_it_in_the_same_transaction(server, tmp_path):
    settings = settings_for(server, tmp_path)
    app, stop, task = await running(server, settings)
    db = app.bot_data.db
    marks: list[tuple] = []  # (the update's state, its draft written?) in each transaction
    real_write = db._write

    async def write(fn, args):
        def spy(conn, *a):
            result = fn(conn, *a)
            row = conn.execute("SELECT state FROM inbox WHERE update_id = ?",
                               (update["update_id"],)).fetchone()
            draft = conn.execute("SELECT 1 FROM drafts WHERE user_id = 9401").fetchone()
            marks.append((row[0] if row else None, draft is not None))
            return result
        return await real_write(spy, args)

    db._write = write
    try:
        update = server.push_update(start_update(server, 9401))  # a newcomer: a draft is written
        await until(lambda: welcomes(server, 9401) == 1)
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 15) == 0
    seen = [mark for mark in marks if mark[0] is not None]
    # Received (the batch's transaction; others may write meanwhile), then done in the very
    # transaction that writes the newcomer's draft: the change and the mark commit together.
    first_done = next(i for i, (state, _) in enumerate(seen) if state == "done")
    assert seen[first_done] == ("done", True)
    assert all(mark == ("received", False) for mark in seen[:first_done]) and first_done >= 1


async def test_an_update_that_crashes_the_process_every_time_is_set_aside(server, tmp_path, caplog):
    settings = settings_for(server, tmp_path)
    update = start_update(server, 9501)
    db = await Database.open(settings.db_path)
    await migrate(db)
    await db.write(store.record, [update], Clock().now())
    await db.write(lambda c: c.execute("UPDATE inbox SET replays = 3"))
    await db.close()
    app, stop, task = await running(server, settings)
    stop.set()
    assert await asyncio.wait_for(task, 15) == 0
    assert welcomes(server, 9501) == 0
    assert inbox_rows(settings.db_path)[update["update_id"]][:2] == ("dropped", None)
    assert "set aside 1 updates" in caplog.text


async def test_a_webhook_update_is_durable_before_telegram_gets_200(server, tmp_path):
    port = free_port()
    url = "https://bot.example.test/etamkeen/hook"
    settings = settings_for(server, tmp_path, webhook_url=url, webhook_secret="s3cret_TOKEN-x",
                            webhook_listen="127.0.0.1", webhook_port=port)
    app, stop, task = await running(server, settings, webhook=True)
    handled = asyncio.Event()
    real_call = server.call

    async def call(token, method, params, files=None):
        if method == "sendMessage":
            await handled.wait()  # the handling stalls: 200 must not wait for it
        return await real_call(token, method, params, files)

    server.call = call
    try:
        update = start_update(server, 9601)
        async with httpx.AsyncClient(timeout=5) as client:
            answer = await client.post(f"http://127.0.0.1:{port}/etamkeen/hook", json=update,
                                       headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret_TOKEN-x"})
        assert answer.status_code == 200
        # Written before the 200: still waiting, or already handled (its change committed).
        state, payload, user = inbox_rows(settings.db_path)[update["update_id"]]
        assert user == 9601 and state in ("received", "done")
        assert state == "done" or json.loads(payload)["update_id"] == update["update_id"]
        handled.set()
        await until(lambda: welcomes(server, 9601) == 1)
    finally:
        handled.set()
        stop.set()
        assert await asyncio.wait_for(task, 15) == 0


async def test_nobody_waits_behind_one_busy_person(monkeypatch):
    """Six queued updates of one person must not take the slots another person needs."""
    processor = PerUserUpdateProcessor(2)
    release = asyncio.Event()
    order: list[str] = []

    async def busy(n: int) -> None:
        await release.wait()
        order.append(f"busy{n}")

    async def quick() -> None:
        order.append("other")

    monkeypatch.setattr("bot.processor._key", lambda update: update)  # the update is its sender
    tasks = [asyncio.create_task(processor.process_update(1, busy(n))) for n in range(6)]
    await asyncio.sleep(0.01)
    await asyncio.wait_for(processor.process_update(2, quick()), 1)  # not stuck behind person 1
    assert order == ["other"]
    release.set()
    await asyncio.gather(*tasks)
    assert order[1:] == [f"busy{n}" for n in range(6)]  # person 1's own order kept
