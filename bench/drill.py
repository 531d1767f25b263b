"""`make drill`: what the README promises (nothing lost, at least once, never past capacity),
proven on the real `etamkeen run` process.

Telegram is played by the feeder (bench/feeder.py), over loopback HTTP, in this process: it
outlives the bot, remembers the offset the bot confirmed and redelivers only what Telegram would.

Phase 1 — a crash in the middle of a burst. While a broadcast goes out to everyone, people open
a session card (`/start s_<id>`) and tap *Register* twice; others race for the last places of a
session whose check-in has opened (some participants already marked present or absent). The
bot is killed with SIGKILL in the middle, restarted, left to drain, then stopped with SIGTERM.
Phase 2 — an outage. Telegram is unreachable (every call fails) for `--outage` seconds while a
broadcast and registration confirmations are due; then it comes back.

Prints BENCH lines: drill_lost_updates (people who tapped and have neither a registration nor
an answer), drill_duplicate_registrations, drill_outbox_lost, drill_outage_lost,
drill_capacity_overflow, drill_duplicated_messages and drill_in_flight_at_kill (duplicates
may not exceed the messages in flight). Targets: every lost, duplicate_registrations and
overflow figure 0; duplicated_messages <= in_flight_at_kill.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import socket
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from bench.feeder import FeederTelegram, serve_feeder
from bot.services.broadcasts import Audience, BroadcastService
from bot.storage.db import Database
from bot.storage.migrations import migrate
from bot.storage.registrations import SEAT
from bot.storage.users import save_profile
from bot.timeutil import Clock, to_db

ROOT = Path(__file__).resolve().parent.parent
AUDIENCE_BASE, TAPPER_BASE, RACER_BASE, HOLDER_BASE = 100_000, 200_000, 300_000, 400_000
HELD_STATES = (*SEAT, "attended", "absent")  # what the drill counts as a seat taken


@dataclass
class Plan:
    audience: int = 3000  # broadcast recipients
    tappers: int = 400  # people registering (double taps) during the broadcast
    racers: int = 40  # people racing for the check-in session's last places
    capacity: int = 10  # of the check-in session
    held: int = 8  # of which already marked present or absent
    kill_after: int = 150  # taps sent before the SIGKILL
    outage_s: float = 180.0
    outage_audience: int = 150
    deadline_s: float = 240.0  # for each drain


@dataclass
class Outcome:
    figures: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _profile(conn: sqlite3.Connection, ids: range, now, lang: str = "fr") -> None:
    fields = dict(full_name="Agent", sex="F", administration_code="MEF", level="central",
                  position_code="cadre")
    for uid in ids:
        save_profile(conn, uid, lang, fields, now - timedelta(days=30), now)


async def prepare(db_path: Path, plan: Plan) -> dict[str, int]:
    """People, a training with two sessions (one far ahead, one whose check-in is open),
    and a broadcast to the audience, queued before the bot starts."""
    clock = Clock()
    now = clock.now()
    db = await Database.open(db_path)
    try:
        await migrate(db)

        def tx(conn: sqlite3.Connection) -> dict[str, int]:
            _profile(conn, range(AUDIENCE_BASE, AUDIENCE_BASE + plan.audience), now)
            stamp = to_db(now)
            theme = conn.execute("SELECT code FROM themes ORDER BY sort LIMIT 1").fetchone()[0]
            training = conn.execute(
                "INSERT INTO trainings (code, title_fr, title_ar, theme_code, modality, duration_hours,"
                " created_at, updated_at) VALUES ('DRILL', 'Exercice', 'تمرين', ?, 'presentiel', 3,"
                " ?, ?)", (theme, stamp, stamp)).lastrowid
            far = conn.execute(
                "INSERT INTO sessions (reference, training_id, starts_at, ends_at, place_fr, place_ar,"
                " capacity, created_at, updated_at) VALUES ('DRILL-1', ?, ?, ?, 'Rabat', 'الرباط',"
                " ?, ?, ?)", (training, to_db(now + timedelta(days=10)),
                              to_db(now + timedelta(days=10, hours=3)), plan.tappers + 100,
                              stamp, stamp)).lastrowid
            soon = conn.execute(
                "INSERT INTO sessions (reference, training_id, starts_at, ends_at, place_fr, place_ar,"
                " capacity, created_at, updated_at) VALUES ('DRILL-2', ?, ?, ?, 'Rabat', 'الرباط',"
                " ?, ?, ?)", (training, to_db(now + timedelta(minutes=20)),
                              to_db(now + timedelta(hours=3)), plan.capacity, stamp, stamp)).lastrowid
            holders = range(HOLDER_BASE, HOLDER_BASE + plan.capacity)
            _profile(conn, holders, now)
            for k, uid in enumerate(holders):
                status = "attended" if k < plan.held - 2 else "absent" if k < plan.held else "confirmed"
                conn.execute("INSERT INTO registrations (session_id, user_id, status, seq, created_at,"
                             " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                             (soon, uid, status, k + 1, stamp, stamp))
            return {"far": far, "soon": soon}

        sessions = await db.write(tx)
        await BroadcastService(db, clock).send(1, "coordinator", Audience("all"), "Drill broadcast")

        def later(conn: sqlite3.Connection) -> None:  # not in the broadcast's audience
            _profile(conn, range(TAPPER_BASE, TAPPER_BASE + plan.tappers), now, "fr")
            _profile(conn, range(RACER_BASE, RACER_BASE + plan.racers), now, "ar")

        await db.write(later)
        return sessions
    finally:
        await db.close()


class Bot:
    """The real `etamkeen run` process, pointed at the feeder."""

    def __init__(self, db_path: Path, port: int, token: str, log: Path) -> None:
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "TELEGRAM_BOT_TOKEN": token,
                    "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}/bot",
                    "ETAMKEEN_DB": str(db_path), "ETAMKEEN_QUIET_HOURS": "off",
                    "ETAMKEEN_SEND_RATE": "200", "ETAMKEEN_ADMINS": "1"}
        self.env.pop("ETAMKEEN_SANDBOX_LOG", None)
        self.log = log
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        out = self.log.open("ab")  # the child writes its log there; ours closes at once
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "run", cwd=ROOT, env=self.env,
                stdout=out, stderr=out)
        finally:
            out.close()

    async def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), 60)


def join_button(message: dict, session_id: int) -> str | None:
    """The callback data of a card's Register button for this session, if the message has one."""
    markup = message.get("markup") or {}
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data") or ""
            if data.endswith(f":join:{session_id}"):
                return data
    return None


class Crowd:
    """People opening a session card, then tapping Register twice as soon as they see it."""

    def __init__(self, telegram: FeederTelegram, people: dict[int, int]) -> None:
        self.telegram = telegram
        self.people = people  # user -> session
        self.queries: dict[int, list[str]] = {}  # user -> callback query ids
        self.opened: set[int] = set()

    def open_cards(self) -> None:
        for uid, session in self.people.items():
            lang = "ar" if uid >= RACER_BASE else "fr"
            self.telegram.add_user(uid, "Agent", language_code=lang)
            text = f"/start s_{session}"
            message = self.telegram.user_message(uid, text=text, entities=[
                {"type": "bot_command", "offset": 0, "length": 6}])
            self.telegram.push_update({"message": message.to_json()})
            self.opened.add(uid)

    def tap_what_is_seen(self) -> int:
        """Double taps on every card that arrived and was not tapped yet; returns taps sent."""
        sent = 0
        for uid, session in self.people.items():
            if uid in self.queries:
                continue
            for delivered in self.telegram.delivered.get(uid, []):
                data = join_button(delivered, session)
                if data is None:
                    continue
                message = self.telegram.message(uid, delivered["message_id"])
                ids = []
                for _ in range(2):  # a double tap
                    query = self.telegram.new_callback_query(uid, message, data)
                    self.telegram.push_update({"callback_query": query})
                    ids.append(query["id"])
                self.queries[uid] = ids
                sent += 1
                break
        return sent


def _db(db_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db_path, timeout=30)
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


def in_flight(db_path: Path) -> int:
    with _db(db_path) as conn:
        return conn.execute("SELECT COUNT(*) FROM outbox WHERE state = 'sending'").fetchone()[0]


def outbox_open(db_path: Path) -> int:
    with _db(db_path) as conn:
        return conn.execute("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')"
                            " AND due_at <= ?", (to_db(Clock().now()),)).fetchone()[0]


async def until(predicate, within: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(step)
    return bool(predicate())


async def crash_phase(plan: Plan, db_path: Path, work: Path, out: Outcome) -> None:
    sessions = await prepare(db_path, plan)
    telegram = FeederTelegram()
    telegram.disable_rate_limits()
    port = free_port()
    server = serve_feeder(telegram, port)
    bot = Bot(db_path, port, telegram.token, work / "bot.log")
    try:
        people = {uid: sessions["far"] for uid in range(TAPPER_BASE, TAPPER_BASE + plan.tappers)}
        people |= {uid: sessions["soon"] for uid in range(RACER_BASE, RACER_BASE + plan.racers)}
        crowd = Crowd(telegram, people)
        await bot.start()
        # The bot is up once it polls; the broadcast is under way by then.
        if not await until(lambda: any(len(v) for v in telegram.delivered.values()), 60):
            raise SystemExit(f"the bot did not start: see {bot.log}")
        crowd.open_cards()
        taps = 0
        while taps < plan.kill_after:
            taps += crowd.tap_what_is_seen()
            await asyncio.sleep(0.005)
        # Mid-burst: the bot has fetched the taps (Telegram was told) and is still handling them.
        await until(lambda: not telegram.pending_updates, 10, 0.001)
        await bot.kill()
        flying = in_flight(db_path)
        with _db(db_path) as conn:
            unhandled = conn.execute("SELECT COUNT(*) FROM inbox WHERE state = 'received'").fetchone()[0]
        out.figures["drill_unhandled_at_kill"] = unhandled
        out.notes.append(f"killed after {taps} double taps: {len(telegram.pending_updates)} updates not "
                         f"confirmed to Telegram, {unhandled} confirmed and not yet handled, "
                         f"{flying} messages in flight")
        await bot.start()

        def drained() -> bool:
            crowd.tap_what_is_seen()
            return (len(crowd.queries) == len(people) and not telegram.pending_updates
                    and outbox_open(db_path) == 0)

        if not await until(drained, plan.deadline_s, 0.2):
            out.notes.append("phase 1 did not drain in time")
        code = await bot.stop()
        out.notes.append(f"SIGTERM: exit code {code}")
        measure_crash(db_path, telegram, crowd, sessions, plan, flying, out)
    finally:
        if bot.process is not None and bot.process.returncode is None:
            bot.process.kill()
        server.stop()


def measure_crash(db_path: Path, telegram: FeederTelegram, crowd: Crowd, sessions: dict[str, int],
                  plan: Plan, flying: int, out: Outcome) -> None:
    with _db(db_path) as conn:
        registered = {(r[0], r[1]) for r in conn.execute(
            "SELECT user_id, session_id FROM registrations WHERE session_id IN (?, ?)",
            (sessions["far"], sessions["soon"]))}
        confirmations = conn.execute(
            "SELECT COUNT(*) - COUNT(DISTINCT json_extract(payload, '$.registration'))"
            " FROM outbox WHERE kind = 'confirmed'").fetchone()[0]
        held = conn.execute(
            f"SELECT COUNT(*) FROM registrations WHERE session_id = ? AND status IN"
            f" ({','.join('?' * len(HELD_STATES))})", (sessions["soon"], *HELD_STATES)).fetchone()[0]
        broadcast = [r[0] for r in conn.execute(
            "SELECT user_id FROM outbox WHERE broadcast_id IS NOT NULL")]
        unsent = conn.execute("SELECT COUNT(*) FROM outbox WHERE state NOT IN ('sent', 'skipped')"
                              " AND due_at <= ?", (to_db(Clock().now()),)).fetchone()[0]
    lost = 0
    for uid, session in crowd.people.items():
        tapped = uid in crowd.queries
        answered = tapped and any(q in telegram.answered for q in crowd.queries[uid])
        if not tapped or not ((uid, session) in registered or answered):
            lost += 1  # never saw the card, or tapped and got nothing at all
    texts = [(uid, "Drill broadcast") for uid in broadcast]
    got = sum(1 for uid, text in texts if any(text in m["text"] for m in telegram.delivered.get(uid, [])))
    duplicated = sum(max(0, sum(text in m["text"] for m in telegram.delivered.get(uid, [])) - 1)
                     for uid, text in texts)
    out.figures |= {
        "drill_lost_updates": lost,
        "drill_duplicate_registrations": confirmations,
        "drill_outbox_lost": (len(texts) - got) + unsent,
        "drill_capacity_overflow": max(0, held - plan.capacity),
        "drill_duplicated_messages": duplicated,
        "drill_in_flight_at_kill": flying,
    }


async def outage_phase(plan: Plan, db_path: Path, work: Path, out: Outcome) -> None:
    """Telegram unreachable for a while, with a broadcast due: everything still goes out."""
    telegram = FeederTelegram()
    telegram.disable_rate_limits()
    port = free_port()
    server = serve_feeder(telegram, port)
    bot = Bot(db_path, port, telegram.token, work / "bot-outage.log")
    try:
        await bot.start()
        if not await until(lambda: telegram.polls > 0, 60):
            raise SystemExit(f"the bot did not start: see {bot.log}")
        telegram.outage = True
        db = await Database.open(db_path)
        try:  # a broadcast to part of the audience, due while Telegram is unreachable
            await BroadcastService(db, Clock()).send(1, "coordinator", Audience("all"), "Outage broadcast")
            await db.write(lambda conn: conn.execute(
                "DELETE FROM outbox WHERE broadcast_id = (SELECT MAX(broadcast_id) FROM outbox)"
                " AND user_id NOT BETWEEN ? AND ?",
                (AUDIENCE_BASE, AUDIENCE_BASE + plan.outage_audience - 1)))
        finally:
            await db.close()
        await asyncio.sleep(plan.outage_s)
        telegram.outage = False
        with _db(db_path) as conn:
            expected = [r[0] for r in conn.execute(
                "SELECT user_id FROM outbox WHERE broadcast_id = (SELECT MAX(broadcast_id) FROM outbox)")]
        def waiting() -> int:
            with _db(db_path) as conn:
                return conn.execute("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')"
                                    " AND broadcast_id = (SELECT MAX(broadcast_id) FROM outbox)"
                                    ).fetchone()[0]

        await until(lambda: waiting() == 0, plan.deadline_s, 0.5)
        code = await bot.stop()
        got = {uid for uid in expected if any("Outage broadcast" in m["text"]
                                              for m in telegram.delivered.get(uid, []))}
        with _db(db_path) as conn:
            failed = conn.execute("SELECT COUNT(*) FROM outbox WHERE state = 'failed'").fetchone()[0]
        out.figures["drill_outage_lost"] = len(expected) - len(got)
        out.notes.append(f"outage of {plan.outage_s:.0f} s: {len(got)}/{len(expected)} delivered after it, "
                         f"{failed} failed rows, {telegram.refused_during_outage} calls refused; exit {code}")
    finally:
        if bot.process is not None and bot.process.returncode is None:
            bot.process.kill()
        server.stop()


async def run(plan: Plan, work: Path, outage: bool = True) -> Outcome:
    out = Outcome()
    db_path = work / "drill.db"
    await crash_phase(plan, db_path, work, out)
    if outage:
        await outage_phase(plan, db_path, work, out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.drill", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer people and a 20 s outage")
    parser.add_argument("--outage", type=float, default=None, help="outage length in seconds")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, database)")
    args = parser.parse_args(argv)
    plan = Plan(audience=600, tappers=80, racers=20, kill_after=30, outage_s=20) if args.quick else Plan()
    if args.outage is not None:
        plan.outage_s = args.outage
    work = Path(tempfile.mkdtemp(prefix="etamkeen-drill-"))
    logging.getLogger("tornado.access").disabled = True  # one line per call (5xx as errors) otherwise
    started = time.monotonic()
    out = asyncio.run(run(plan, work))
    for note in out.notes:
        print(f"# {note}")
    for name, value in out.figures.items():
        print(f"BENCH {name} {value}")
    ok = (all(out.figures.get(k, 1) == 0 for k in (
        "drill_lost_updates", "drill_duplicate_registrations", "drill_outbox_lost",
        "drill_outage_lost", "drill_capacity_overflow"))
        and out.figures["drill_duplicated_messages"] <= out.figures["drill_in_flight_at_kill"])
    print(f"BENCH drill_targets_met {int(ok)}")
    print(f"# {time.monotonic() - started:.0f} s; work folder {work}"
          + ("" if args.keep else " (removed)"))
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(out.figures))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
