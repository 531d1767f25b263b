"""A kill -9 in the middle of a 1,000-person broadcast, with a real process: after the restart
everyone has the message, and duplicates are at most the messages in flight at the kill."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bot.services.broadcasts import Audience, BroadcastService
from bot.storage.db import Database
from bot.storage.migrations import migrate
from bot.timeutil import Clock, to_db

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = 1000


async def prepare(db_path: Path) -> None:
    db = await Database.open(db_path)
    await migrate(db)
    now = to_db(Clock().now())
    await db.write(lambda c: c.executemany(
        "INSERT INTO users (id, language, full_name, sex, administration_code, level, position_code,"
        " consent_at, onboarded_at, created_at, updated_at)"
        " VALUES (?, 'fr', 'X', 'F', 'MEF', 'central', 'cadre', ?, ?, ?, ?)",
        [(100_000 + i, now, now, now, now) for i in range(PEOPLE)]))
    await BroadcastService(db, Clock()).send(1, "coordinator", Audience("all"), "Bonjour")
    await db.close()


def worker(db_path: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.workers.dispatch", str(db_path), str(log)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def delivered(log: Path) -> Counter:
    return Counter(int(line) for line in log.read_text().split() if line.strip())


def in_flight(db_path: Path) -> int:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT COUNT(*) FROM outbox WHERE state = 'sending'").fetchone()[0]


def test_kill_9_in_the_middle_of_a_broadcast(tmp_path):
    db_path, log = tmp_path / "bot.db", tmp_path / "delivered.log"
    log.touch()
    asyncio.run(prepare(db_path))
    first = worker(db_path, log)
    deadline = time.monotonic() + 60
    while sum(delivered(log).values()) < 300:  # a good part of the way through
        assert time.monotonic() < deadline, first.stderr.read() if first.poll() is not None else "slow"
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    before = delivered(log)
    assert 0 < sum(before.values()) < PEOPLE, "the kill came too late to mean anything"
    flying = in_flight(db_path)

    second = worker(db_path, log)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    after = delivered(log)
    recipients = set(range(100_000, 100_000 + PEOPLE))
    assert set(after) == recipients  # nobody lost
    duplicates = sum(n - 1 for n in after.values())
    print(f"killed after {sum(before.values())} deliveries, {flying} in flight, {duplicates} duplicates")
    assert duplicates <= flying, (duplicates, flying)  # at most one per message in flight
