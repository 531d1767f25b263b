"""Broadcast: 10,000 people through the real dispatcher and the sandbox.

1. With Telegram's flood control switched on in the sandbox and our pacer at the same rate
   (raised from 30/s to 300/s, as real 30/s would take minutes): achieved rate / limit, 429s
   received, messages lost, messages duplicated.
2. The dispatcher's own cost with no limit at all: messages per second on one core, so the
   engine is never what holds delivery back.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.common import Figure, Options
from bench.real_app import real_app
from bot.ratelimit import Pacer
from bot.services.broadcasts import Audience
from bot.timeutil import to_db
from tgsandbox.server import FakeTelegram

FIRST_ID = 20_000_000
LIMIT_PER_S = 300.0


def _insert_people(conn, count: int, now) -> None:
    stamp = to_db(now)
    conn.executemany(
        "INSERT INTO users (id, language, full_name, sex, administration_code, level, position_code,"
        " consent_at, onboarded_at, created_at, updated_at) VALUES"
        " (?, ?, 'Bench', ?, 'DGCT', 'central', 'cadre', ?, ?, ?, ?)",
        [(FIRST_ID + i, "ar" if i % 2 else "fr", "F" if i % 3 else "M", stamp, stamp, stamp, stamp)
         for i in range(count)])


async def _one_broadcast(count: int, limited: bool) -> dict[str, float]:
    server = FakeTelegram()
    with tempfile.TemporaryDirectory() as tmp:
        # Quiet hours off: the benchmark must not depend on the time of day it runs at.
        async with real_app(server, Path(tmp), background_jobs=False, quiet_start_hour=0,
                            quiet_end_hour=0) as app:
            services = app.bot_data
            await services.db.write(_insert_people, count, services.clock.now())
            for i in range(count):
                server.add_user(FIRST_ID + i, started=True)
            if limited:
                server.set_rate_limits(global_per_s=LIMIT_PER_S, per_chat_per_s=1)
                services.dispatcher.pacer = Pacer(LIMIT_PER_S, 1.0)
            else:
                services.dispatcher.pacer = Pacer(0, 0)
            bid, recipients = await services.broadcasts.send(
                1, "coordinator", Audience("administration", "DGCT"), "Bench: bonjour à toutes et à tous")
            server.reset_calls()
            started = time.perf_counter()
            while (await services.broadcasts.progress(bid)).waiting:
                await services.dispatcher.drain()
            elapsed = time.perf_counter() - started
            delivered = Counter(c.chat_id for c in server.calls
                                if c.method == "sendMessage" and c.ok)
            wanted = {FIRST_ID + i for i in range(count)}
            return {
                "recipients": recipients,
                "elapsed": elapsed,
                "sent": sum(delivered.values()),
                "rate": sum(delivered.values()) / elapsed,
                "429": sum(1 for c in server.calls if c.error_code == 429),
                "lost": len(wanted - set(delivered)),
                "duplicated": sum(n - 1 for n in delivered.values() if n > 1),
            }


async def run(options: Options) -> list[Figure]:
    count = 1_000 if options.quick else 10_000
    limited = await _one_broadcast(count, limited=True)
    free = await _one_broadcast(count, limited=False)
    print(f"\nbroadcast to {count} people: limited to {LIMIT_PER_S:.0f}/s: {limited['rate']:.0f}/s "
          f"in {limited['elapsed']:.1f} s, {limited['429']} × 429; unlimited: {free['rate']:.0f}/s")
    ratio = limited["rate"] / LIMIT_PER_S
    return [
        Figure("broadcast_people", count),
        Figure("broadcast_rate_ratio", ratio),
        Figure("broadcast_429", int(limited["429"])),
        Figure("broadcast_lost", int(limited["lost"] + free["lost"])),
        Figure("broadcast_duplicated", int(limited["duplicated"] + free["duplicated"])),
        Figure("dispatcher_msgs_per_s", free["rate"]),
        Figure("broadcast_target_met", int(ratio >= 0.9 and free["rate"] >= 1000
                                           and not limited["lost"] and not limited["duplicated"])),
    ]
