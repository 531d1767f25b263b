"""The competence plans' cockpit on the national database: about 40 plans of 15 lines (600
lines), each line linked to sessions of its theme, seeded on a copy of the generated database;
then a national coordinator's /plans screen through the real Application (the command and its
status filters), p50 → `BENCH prc_cockpit_ms`. Opening a plan (planned against achieved from
the national attendance) and the common plan are printed beside it."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.common import BenchTelegram, Figure, percentile_ms
from bench.real_app import onboard, real_app
from bot.i18n import translator
from bot.storage import plan_progress
from bot.storage import plans as repo
from bot.storage.schema_plans import STATUSES
from bot.storage.users import grant
from bot.timeutil import to_db, to_local
from tgsandbox.client import BotClient

PLANS, LINES = 40, 15
COORDINATOR = 60_000_001
ROUNDS = 20


def seed(conn: sqlite3.Connection, now: datetime) -> int:
    """PLANS more plans (every status but superseded, in turn) of LINES lines; returns the lines."""
    year = to_local(now).year
    # Fewer administrations than plans: the current period first, then the previous and the next.
    codes = [r[0] for r in conn.execute("SELECT code FROM administrations ORDER BY code")]
    slots = [(code, start) for start in (year, year - 2, year + 2) for code in codes
             if repo.find_plan(conn, code, start, start + 1) is None][:PLANS]
    themes = [r[0] for r in conn.execute("SELECT code FROM themes ORDER BY code")]
    sessions = {t: [r[0] for r in conn.execute(
        "SELECT s.id FROM sessions s JOIN trainings t ON t.id = s.training_id WHERE t.theme_code = ?"
        " AND s.status != 'cancelled' AND s.starts_at < ? ORDER BY s.starts_at DESC LIMIT 40",
        (t, to_db(now)))] for t in themes}  # held sessions: opening a plan counts their attendance
    lines = 0
    for i, (code, start) in enumerate(slots):
        _, version = repo.create_plan(conn, code, start, start + 1, None, now)
        for k in range(LINES):
            theme = themes[(i + k) % len(themes)]
            line = repo.add_line(conn, version, {
                "theme_code": theme, "training_id": None, "track": plan_progress.track_of(conn, theme, None),
                "position_code": None, "level": None, "region_code": None,
                "target_people": 20 + k, "target_women": 8, "target_hours": 140.0,
                "semester": f"{start + k % 2}-S{1 + k % 2}", "priority": 1 + k % 3})
            lines += 1
            for session in sessions[theme][k % 10: k % 10 + 2]:
                repo.link(conn, line, session)
        status = STATUSES[i % (len(STATUSES) - 1)]  # draft … closed
        path = {"draft": (), "submitted": ("submitted",), "validated": ("submitted", "validated"),
                "returned": ("submitted", "returned"), "active": ("submitted", "validated", "active"),
                "closed": ("submitted", "validated", "active", "closed")}[status]
        for step in path:
            repo.set_status(conn, version, step, None, now, "Cibles à revoir" if step == "returned" else None)
    return lines


async def cockpit(path: Path) -> list[Figure]:
    t = translator("fr")
    with tempfile.TemporaryDirectory(prefix="etamkeen-prc-", dir=path.parent) as tmp:
        shutil.copyfile(path, Path(tmp) / "bench.db")  # real_app's file name
        server = BenchTelegram()
        async with real_app(server, Path(tmp), background_jobs=False) as app:
            db = app.bot_data.db
            lines = await db.write(seed, app.bot_data.clock.now())
            plans = await db.read(lambda c: c.execute("SELECT COUNT(*) FROM plans").fetchone()[0])
            await onboard(app, [(COORDINATOR, "fr")])
            await db.write(grant, COORDINATOR, "coordinator", None, None, app.bot_data.clock.now())
            client = BotClient(app, server, user_id=COORDINATOR, language_code="fr")
            await client.start()
            screens: list[float] = []
            opened: list[float] = []
            common: list[float] = []
            for r in range(ROUNDS + 1):  # round 0 warms up
                started = time.perf_counter()
                await client.send("/plans")
                took = [time.perf_counter() - started]
                started = time.perf_counter()
                await client.click(f"📨 {t._('submitted')}")
                took.append(time.perf_counter() - started)
                started = time.perf_counter()
                await client.click(t._("Open {i}", i=t.number(1 + r % 3)))
                opening = time.perf_counter() - started
                await client.click(t._("« All plans"))
                started = time.perf_counter()
                await client.click(t._("🧮 Common plan"))
                if r:
                    screens += took
                    opened.append(opening)
                    common.append(time.perf_counter() - started)
    print(f"plans: {plans} plans, {lines} lines seeded; /plans measured {len(screens)} times")
    return [Figure("prc_plans", plans), Figure("prc_lines", lines),
            Figure("prc_cockpit_ms", percentile_ms(screens, 50)),
            Figure("prc_cockpit_p95_ms", percentile_ms(screens, 95)),
            Figure("prc_plan_open_ms", percentile_ms(opened, 50)),
            Figure("prc_common_plan_ms", percentile_ms(common, 50))]
