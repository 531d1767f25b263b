"""`etamkeen run` as it runs in production: webhook round trip over real loopback HTTP, SIGTERM
while a large outbox is being sent (a real subprocess), updates already fetched handled before
stopping, and a clear exit when another instance polls the same token (409)."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bot.app import build_application
from bot.config import Settings
from bot.dispatcher import CONCURRENCY
from bot.i18n import translator
from bot.runner import EXIT_CONFLICT, serve
from bot.services.demo import seed_demo
from bot.storage import outbox
from bot.storage.db import Database
from bot.storage.migrations import migrate
from bot.storage.users import save_profile
from tests.conftest import PROFILE
from tests.test_config_cli import ROOT
from tgsandbox.recorder import read_record
from tgsandbox.request import SandboxRequest

WELCOME = "Welcome to e-TAMKEEN, the digital-skills programme for civil servants. Which language do " \
          "you prefer?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def until(predicate, within: float = 10.0, step: float = 0.02):
    """Wait for a condition, bounded: a test never hangs."""
    deadline = time.monotonic() + within
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(step)


def settings_for(server, tmp_path, **changes) -> Settings:
    return Settings(token=server.token, db_path=tmp_path / "bot.db", **changes)


async def test_webhook_round_trip_over_loopback_http(server, tmp_path):
    port = free_port()
    url = "https://bot.example.test/etamkeen/hook"
    settings = settings_for(server, tmp_path, webhook_url=url, webhook_secret="s3cret_TOKEN-x",
                            webhook_listen="127.0.0.1", webhook_port=port)
    app = build_application(settings, request=SandboxRequest(server), rate_limiter=False)
    stop = asyncio.Event()
    running = asyncio.create_task(serve(app, settings, webhook=True, stop=stop, signals=False))
    try:
        await until(lambda: server.webhook_url == url and app.running)
        hook = f"http://127.0.0.1:{port}/etamkeen/hook"

        def update_from(user_id: int) -> dict:
            server.add_user(user_id, "Salma", language_code="fr")
            message = server.user_message(user_id, text="/start",
                                          entities=[{"type": "bot_command", "offset": 0, "length": 6}])
            return {"update_id": server.next_update_id(), "message": message.to_json()}

        async with httpx.AsyncClient(timeout=5) as client:
            good = await client.post(hook, json=update_from(8301),
                                     headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret_TOKEN-x"})
            forged = await client.post(hook, json=update_from(8302),
                                       headers={"X-Telegram-Bot-Api-Secret-Token": "guessed"})
            missing = await client.post(hook, json=update_from(8303))
        assert good.status_code == 200
        assert forged.status_code == 403 and missing.status_code == 403
        reply = await until(lambda: next((m for m in server.messages(8301) if m.from_bot), None))
        assert translator("fr")._(WELCOME) in reply.text
        await asyncio.sleep(0.2)
        assert not [m for uid in (8302, 8303) for m in server.messages(uid) if m.from_bot]
        assert server.calls_for("setWebhook")[-1].params["secret_token"] == "s3cret_TOKEN-x"
    finally:
        stop.set()
        assert await asyncio.wait_for(running, 15) == 0
    with socket.socket() as s:  # the port is released: the server stopped by itself
        s.bind(("127.0.0.1", port))


async def test_sigterm_handles_the_updates_already_fetched(server, tmp_path):
    settings = settings_for(server, tmp_path)
    app = build_application(settings, request=SandboxRequest(server), rate_limiter=False)
    stop = asyncio.Event()
    real_call = server.call

    async def call(token, method, params, files=None):
        if method == "sendMessage":
            await asyncio.sleep(0.05)  # handling takes a while: the stop comes in the middle
        status, body = await real_call(token, method, params, files)
        if method == "getUpdates" and body.get("result"):
            stop.set()  # SIGTERM right after a batch was fetched, before it is handled
        return status, body

    server.call = call
    people = range(8401, 8421)
    running = asyncio.create_task(serve(app, settings, stop=stop, signals=False))
    await until(lambda: app.running)
    for uid in people:
        server.add_user(uid, "Omar", language_code="ar")
        message = server.user_message(uid, text="/start",
                                      entities=[{"type": "bot_command", "offset": 0, "length": 6}])
        server.push_update({"message": message.to_json()})
    assert await asyncio.wait_for(running, 30) == 0
    welcome = translator("ar")._(WELCOME)
    assert all(any(m.from_bot and welcome in m.text for m in server.messages(uid)) for uid in people)
    assert server.pending_updates == []  # confirmed to Telegram: not delivered again at restart


async def test_a_persistent_409_conflict_is_one_clear_line_and_a_non_zero_exit(server, tmp_path, caplog):
    settings = settings_for(server, tmp_path, conflict_grace_s=1.5)
    app = build_application(settings, request=SandboxRequest(server), rate_limiter=False)

    async def rival():  # another instance, long polling with the same token
        while True:
            await server.call(server.token, "getUpdates", {"timeout": 1})

    other = asyncio.create_task(rival())
    try:
        with caplog.at_level(logging.INFO):
            code = await asyncio.wait_for(serve(app, settings, signals=False), 30)
    finally:
        other.cancel()
    assert code == EXIT_CONFLICT
    fatal = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert len(fatal) == 1 and "another instance is polling" in fatal[0].getMessage()
    assert server.token not in caplog.text


# --- a real process, stopped with SIGTERM while it sends a large outbox -----------------------------
PEOPLE = 300


async def prepare(path: Path) -> None:
    now = datetime.now(UTC)
    db = await Database.open(path)
    try:
        await migrate(db)

        def fill(conn):
            seed_demo(conn, now)
            session = conn.execute("SELECT id FROM sessions WHERE status = 'published' AND starts_at > ?"
                                   " ORDER BY starts_at DESC LIMIT 1", (str(now)[:19],)).fetchone()[0]
            for i in range(PEOPLE):
                uid = 200_000 + i
                save_profile(conn, uid, "ar" if i % 2 else "fr", PROFILE, now, now)
                outbox.enqueue(conn, uid, "new_session", {"session": session},
                               f"new_session:{session}:{uid}", now)

        await db.write(fill)
    finally:
        await db.close()


def start(env: dict, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def states(path: Path) -> dict[str, set[int]]:
    conn = sqlite3.connect(path)
    try:
        result: dict[str, set[int]] = {}
        for uid, state in conn.execute("SELECT user_id, state FROM outbox WHERE kind = 'new_session'"):
            result.setdefault(state, set()).add(uid)
        return result
    finally:
        conn.close()


def wait_for(predicate, timeout: float, what: str, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the bot stopped while waiting for {what}: {process.stderr.read()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    assert process.returncode == 0, err
    return err


def test_sigterm_during_a_large_send_loses_nothing_and_doubles_only_what_was_in_flight(tmp_path):
    db, record = tmp_path / "bot.db", tmp_path / "deliveries.jsonl"
    asyncio.run(prepare(db))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ETAMKEEN_"))}
    env.update(PYTHONPATH=str(ROOT), ETAMKEEN_DB=str(db), ETAMKEEN_SANDBOX_LOG=str(record),
               ETAMKEEN_SEND_RATE="60", ETAMKEEN_QUIET_HOURS="off")
    ours = {200_000 + i for i in range(PEOPLE)}

    def delivered() -> Counter:
        return Counter(r["chat_id"] for r in read_record(record) if r["chat_id"] in ours)

    process = start(env, tmp_path)
    wait_for(lambda: sum(delivered().values()) >= 60, 60, "the first deliveries", process)
    err = stop(process)  # SIGTERM in the middle of the send
    assert "stopping (SIGTERM)" in err and "Traceback" not in err
    assert all(re.match(r"^\d{4}-\d\d-\d\d ", line) for line in err.splitlines())  # one line each
    at_stop = states(db)
    first_run = delivered()
    assert at_stop.get("pending"), "the stop came too late to test anything"
    assert sum(first_run.values()) < PEOPLE

    process = start(env, tmp_path)  # the restart resends what was in flight, then the rest
    wait_for(lambda: set(states(db)) == {"sent"}, 60, "the outbox to drain", process)
    err = stop(process)
    assert "resending" in err or not at_stop.get("sending")
    final = delivered()
    assert set(final) == ours  # nothing lost: everyone got the news
    doubled = {uid for uid, n in final.items() if n > 1}
    # At least once: a message whose send went out but whose 'sent' mark did not make it before
    # the stop is sent once more — only those in flight at the stop, at most one extra each.
    assert doubled <= at_stop.get("sending", set())
    assert max(final.values()) <= 2 and len(doubled) <= CONCURRENCY, (doubled, at_stop.get("sending"))
    texts = {r["text"] for r in read_record(record) if r["chat_id"] in ours}
    assert len(texts) == 2  # rendered at send time in each person's language (fr and ar)

