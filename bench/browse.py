"""Browse-heavy workload: onboarded people open the catalogue, a theme, a training and a
session card, go back, search a word, page the results and open a shared session link.

Ours (the real Application, SQLite on disk) and the floor (floor.py) run alternate rounds on
the same kind of sandbox in the same process, so the noise of a shared machine hits both; the
figure that matters is the ratio of their median throughputs.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import tempfile
from collections import Counter
from pathlib import Path

from bench.common import (
    BenchTelegram,
    Figure,
    Options,
    Round,
    TimedClient,
    logged_errors,
    play_round,
)
from bench.floor import FloorBot, FloorPlan, floor_app, replay
from bench.real_app import onboard, real_app, session_ids
from bench.report import Mix, comparison, latency_table, mix_table, rounds_table
from tgsandbox.view import BotMessage

TARGET_RATIO = 0.7
# Words found in the demo data, French and Arabic; "les" has two pages of results.
WORDS = ("cybersécurité", "البيانات", "données", "الرقمية", "les", "في", "numérique", "الإدارة")
USER_BASE = 7_000_000


def data_of(message: BotMessage | None, prefix: str) -> list[str]:
    """callback_data of the message's buttons starting with `prefix`, in reading order."""
    if message is None:
        return []
    return [d for row in message.button_data for d in row if d and d.startswith(prefix)]


async def next_page(client: TimedClient) -> None:
    """Press ▶ on the newest message, if it has one."""
    message = client.last_message
    for row in message.button_rows if message else []:
        for b in row:
            if b["text"] == "▶" and b.get("callback_data"):
                await client.click_data(b["callback_data"], message)
                return


async def browse(client: TimedClient, index: int, links: list[int]) -> None:
    """One person's visit; choices rotate with `index` so the run covers the catalogue."""
    menu = (await client.start())[-1]
    await client.click_data(data_of(menu, "v1:cat:h:")[0], menu)
    themes = data_of(client.last_message, "v1:cat:th:")
    await client.click_data(themes[index % len(themes)])
    await next_page(client)
    trainings = data_of(client.last_message, "v1:cat:t:")
    await client.click_data(trainings[(index // len(themes)) % len(trainings)])
    sessions = data_of(client.last_message, "v1:cat:s:")
    if sessions:
        await client.click_data(sessions[index % len(sessions)])
        await client.click_data(data_of(client.last_message, "v1:cat:t:")[0])  # ⬅ Sessions
    await client.send(WORDS[index % len(WORDS)])
    await next_page(client)
    await client.start(f"s_{links[index % len(links)]}")


def people_of(round_no: int, count: int) -> list[tuple[int, str]]:
    """(user id, language) of a round's people: fresh ids each round, half French, half Arabic."""
    return [(USER_BASE + round_no * 100_000 + i, "ar" if i % 2 else "fr") for i in range(count)]


async def run(options: Options) -> list[Figure]:
    people, concurrency, rounds = (40, 20, 3) if options.quick else (200, 50, 5)
    ours_server, floor_server = BenchTelegram(), BenchTelegram()
    profiler = cProfile.Profile() if options.profile else None
    ours: list[Round] = []
    floor: list[Round] = []
    failures: list[str] = []
    with logged_errors() as errors, tempfile.TemporaryDirectory(prefix="etamkeen-bench-") as tmp:
        async with real_app(ours_server, Path(tmp)) as app:
            await onboard(app, [p for r in range(rounds + 1) for p in people_of(r, people)])
            links = await session_ids(app)

            async def visit(client: TimedClient, i: int) -> None:
                await browse(client, i, links)

            # Round 0 warms ours up and records the call mix and the steps the floor replays.
            calibration, recorded = await play_round("ours", app, ours_server, people_of(0, people),
                                                     concurrency, visit)
            scripts = recorded.steps
            kinds = Counter(step.kind for steps in scripts.values() for step in steps)
            bot = FloorBot(FloorPlan(calibration.calls, kinds))

            async def again(client: TimedClient, i: int) -> None:
                await replay(client, scripts[i])

            async with floor_app(floor_server, bot, app.bot_data.settings.concurrent_updates) as fapp:
                await play_round("floor", fapp, floor_server, people_of(0, min(people, 40)),
                                 concurrency, again)
                for r in range(1, rounds + 1):  # alternate, so noise hits both alike
                    if profiler:
                        profiler.enable()
                    measured, recorded = await play_round("ours", app, ours_server, people_of(r, people),
                                                          concurrency, visit)
                    if profiler:
                        profiler.disable()
                    ours.append(measured)
                    failures += recorded.failures
                    measured, recorded = await play_round("floor", fapp, floor_server,
                                                          people_of(r, people), concurrency, again)
                    floor.append(measured)
                    failures += recorded.failures
    problems = [*(f"ours refused: {x}" for r in ours for x in r.refused),
                *(f"floor refused: {x}" for r in floor for x in r.refused),
                *(f"a visit broke off, {x}" for x in failures),
                *(f"floor error: {x}" for x in bot.errors),
                *(f"floor did not replay {what}" for what in bot.plan.skipped.elements())]
    print(f"\n== browse: {people} people, {concurrency} at a time, "
          f"{ours[0].updates} updates a round, {rounds} rounds each (alternating)")
    print_tables(ours, floor, problems)
    if errors.count:
        last = (errors.first or "").strip().splitlines()[-1:]
        print(f"warning: ours logged {errors.count} errors, the first: {' '.join(last)}")
    if profiler is not None:
        print_profile(profiler)
    print()
    return figures(ours, floor, errors.count + len(failures))


def print_tables(ours: list[Round], floor: list[Round], problems: list[str]) -> None:
    for line in [*rounds_table(ours, floor), "", *mix_table(Mix.of(ours), Mix.of(floor)), "",
                 *latency_table(ours, floor)]:
        print(line)
    # Thousands of updates fail alike on a broken build: one line per kind of problem.
    alike = Counter(re.sub(r"\d+", "#", problem) for problem in problems)
    for line, n in alike.most_common(12):
        print(f"warning: {n} x {line}")


def figures(ours: list[Round], floor: list[Round], errors: int) -> list[Figure]:
    return comparison("browse", "floor", ours, floor, errors, TARGET_RATIO)


def print_profile(profiler: cProfile.Profile, top: int = 25) -> None:
    """Ours' measured rounds, event-loop thread only (SQLite runs on aiosqlite's threads)."""
    print("\nnote: --profile slows ours and not the floor: this run's ratio means nothing")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        # BENCH_PROFILE_FILTER (a regex on file paths) narrows the listing, e.g. to our modules.
        where = os.environ.get("BENCH_PROFILE_FILTER", "")
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(where, top)
        text = out.getvalue()
        print(f"\n-- profile of ours' measured rounds, by {order}")
        print(text[text.find("   ncalls"):].rstrip())
