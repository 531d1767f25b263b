"""Registration-heavy workload: onboarded people open a session by its link, register (or join
the waitlist when it is full), look at My trainings and open the session from there; a third of
them later cancel (or turn down the place offered to them meanwhile), and whoever is offered a
freed place accepts it.

Each round of ours, on fresh people and fresh sessions of small capacity, runs in three phases,
each followed by a drain of the outbox (inside the measured time: the confirmations with their
calendar files, the cancellation files and the seat offers are part of our work):

1. everyone: `/start s_<id>`, ✅ Register / ⏳ Join the waitlist, `/mytrainings`, the session;
2. the cancellers: `/mytrainings`, the session, ❌ Cancel (or ❌ Leave the waitlist), Yes, cancel;
3. the people holding a seat offer: ✅ Accept the place on the offer.

Every change is one immediate transaction on the on-disk database (WAL, the app's own pragmas),
committed before the update's reply. After each round of ours the database and the calls are
checked: no session over capacity, no freed seat left unoffered, no offer left unanswered, and
exactly one confirmation per confirmed registration (one cancellation file per confirmed one
cancelled).

The floor replays, phase by phase, the same people's texts and presses with ours' call mix of
that very round (floor.FloorPlan), and after each phase makes the same sendDocument and
sendMessage calls ours' dispatcher made (same chats, captions, keyboards and .ics bytes), as
many at once as the dispatcher sends.
"""

from __future__ import annotations

import cProfile
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from time import perf_counter, thread_time

from telegram.ext import Application

from bench import statements
from bench.browse import data_of, print_profile, print_tables
from bench.common import (
    BenchTelegram,
    Figure,
    Kind,
    Options,
    Round,
    Step,
    TimedClient,
    logged_errors,
    play_round,
)
from bench.floor import FloorBot, FloorPlan, Send, floor_app, replay, send_all, sends_of
from bench.real_app import onboard, real_app
from bench.report import Mix, comparison
from bench.statements import StatementCounter
from bot.dispatcher import CONCURRENCY as DISPATCH_CONCURRENCY
from bot.dispatcher import Stats
from bot.i18n import Translator, translator
from bot.storage import catalogue
from bot.timeutil import to_db
from tgsandbox.state import Call

TARGET_RATIO = 0.6
USER_BASE = 8_000_000
PER_SESSION = 20  # people sent to each bench session
CAPACITIES = (8, 10, 12, 14)  # so every session has a waitlist
CANCEL_EVERY = 3  # person i cancels when i % 3 == 1: French and Arabic alike
_ICS_METHOD = re.compile(rb"METHOD:([A-Z]+)")

Person = tuple[int, str]  # (user id, language)


def people_of(round_no: int, count: int) -> list[Person]:
    """A round's people: fresh ids each round, half French, half Arabic."""
    return [(USER_BASE + round_no * 100_000 + i, "ar" if i % 2 else "fr") for i in range(count)]


def buttons(message) -> list[str]:
    return [text for row in message.buttons for text in row] if message else []


def session_button(message, session_id: int) -> str:
    """The callback data of the session's entry in My trainings (it must be listed)."""
    found = data_of(message, f"v1:cat:s:{session_id}:")
    if not found:
        raise AssertionError(f"session {session_id} is not in My trainings")
    return found[0]


# --- what people do ----------------------------------------------------------------------------
async def book(client: TimedClient, t: Translator, session_id: int) -> None:
    """Phase 1: open the link, register or queue, then find the session in My trainings."""
    card = (await client.start(f"s_{session_id}"))[-1]
    register = t._("✅ Register")
    await client.click(register if register in buttons(card) else t._("⏳ Join the waitlist"), card)
    mine = (await client.send("/mytrainings"))[-1]
    await client.click_data(session_button(mine, session_id), mine)


async def leave(client: TimedClient, t: Translator, session_id: int) -> None:
    """Phase 2: from My trainings, cancel the place (two taps), leave the waitlist, or turn down
    the place offered meanwhile (one tap)."""
    mine = (await client.send("/mytrainings"))[-1]
    await client.click_data(session_button(mine, session_id), mine)
    card = client.last_message
    if t._("Decline") in buttons(card):
        await client.click(t._("Decline"), card)
        return
    cancel = t._("❌ Cancel my registration")
    await client.click(cancel if cancel in buttons(card) else t._("❌ Leave the waitlist"), card)
    await client.click(t._("Yes, cancel"))


async def accept(client: TimedClient, t: Translator) -> None:
    """Phase 3: accept the place offered by the newest message (the dispatcher's offer)."""
    await client.click(t._("✅ Accept the place"), client.last_message)
    said = "✅ The place is yours! Your confirmation and calendar file follow."
    # The bot says it to the person (t.to_person): in Arabic, a woman reads the feminine form.
    expected = {t._(said), translator(t.lang, "F").to_person(said)}
    if (client.last_answer or {}).get("text") not in expected:
        raise AssertionError(f"accepting an offer answered {client.last_answer!r}")


# --- one round of ours -------------------------------------------------------------------------
@dataclass
class Script:
    """What the floor replays of one round of ours: per phase its people and their steps, then
    the dispatcher's sends; and ours' call mix for the updates."""

    phases: list[tuple[list[Person], dict[int, list[Step]]]] = field(default_factory=list)
    sends: list[list[Send]] = field(default_factory=list)
    update_calls: list[tuple[Kind | None, Call]] = field(default_factory=list)
    kinds: Counter[Kind] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)


@dataclass
class Outcome:
    measured: Round
    script: Script
    failures: list[str]
    violations: list[str]


async def make_sessions(app: Application, round_no: int, count: int) -> dict[int, int]:
    """Fresh published sessions of demo trainings, small capacities; {session id: capacity}."""
    now = app.bot_data.clock.now()

    def tx(conn) -> dict[int, int]:
        trainings = [r[0] for r in conn.execute("SELECT id FROM trainings ORDER BY code")]
        made = {}
        for j in range(count):
            start = (now + timedelta(days=10 + j % 20, hours=j % 5)).replace(minute=0, second=0,
                                                                              microsecond=0)
            capacity = CAPACITIES[j % len(CAPACITIES)]
            sid = catalogue.upsert_session(
                conn, reference=f"BENCH-{round_no}-{j:03d}", training_id=trainings[j % len(trainings)],
                starts_at=start, ends_at=start + timedelta(hours=7),
                place_fr="Institut national, Rabat", place_ar="المعهد الوطني، الرباط",
                region_code="RSK", capacity=capacity, status="published", now=now)
            made[sid] = capacity
        return made

    return await app.bot_data.db.write(tx)


def merged(who: str, parts: list[Round]) -> Round:
    """Phases and drains of one round, as one round."""
    return Round(who, sum(p.updates for p in parts), sum(p.wall_s for p in parts),
                 sum(p.loop_cpu_s for p in parts), [x for p in parts for x in p.latencies],
                 [c for p in parts for c in p.calls])


@contextmanager
def measuring(profiler: cProfile.Profile | None, counter: StatementCounter | None) -> Iterator[None]:
    if profiler is not None:
        profiler.enable()
    if counter is not None:
        counter.on = True
    try:
        yield
    finally:
        if profiler is not None:
            profiler.disable()
        if counter is not None:
            counter.on = False


async def drained(app: Application, server: BenchTelegram) -> tuple[Round, Stats]:
    """Send what the outbox holds, timed like a phase (no updates: no latencies)."""
    start = len(server.calls)
    started, cpu = perf_counter(), thread_time()
    stats = await app.bot_data.dispatcher.drain()
    wall, cpu = perf_counter() - started, thread_time() - cpu
    return Round("ours", 0, wall, cpu, [], server.tagged_calls(start, len(server.calls))), stats


async def offered(app: Application, people: list[Person]) -> list[Person]:
    """Who of these people holds a seat offer now (in their order)."""
    users = {u for u, _ in people}

    def read(conn):
        marks = ",".join("?" * len(users))
        return {r[0] for r in conn.execute(
            f"SELECT user_id FROM registrations WHERE status = 'offered' AND user_id IN ({marks})",
            sorted(users))}

    holding = await app.bot_data.db.read(read)
    return [p for p in people if p[0] in holding]


async def ours_round(app: Application, server: BenchTelegram, round_no: int, count: int,
                     concurrency: int, profiler: cProfile.Profile | None,
                     counter: StatementCounter | None = None) -> Outcome:
    people = people_of(round_no, count)
    sessions = await make_sessions(app, round_no, max(1, count // PER_SESSION))
    ids = list(sessions)
    # Blocks of PER_SESSION people per session: each has cancellers among its first (seated)
    # and its last (queued) people.
    session_of = {user: ids[(i // PER_SESSION) % len(ids)] for i, (user, _) in enumerate(people)}
    langs = dict(people)

    async def first(client: TimedClient, i: int) -> None:
        await book(client, translator(langs[client.user_id]), session_of[client.user_id])

    async def second(client: TimedClient, i: int) -> None:
        await leave(client, translator(langs[client.user_id]), session_of[client.user_id])

    async def third(client: TimedClient, i: int) -> None:
        await accept(client, translator(langs[client.user_id]))

    script, parts, failures, violations = Script(), [], [], []
    cancellers = [p for i, p in enumerate(people) if i % CANCEL_EVERY == 1]
    for visit, who in ((first, people), (second, cancellers), (third, None)):
        if who is None:  # the offers went out with the last drain: their holders accept
            who = await offered(app, people)
        with measuring(profiler, counter):
            phase, recorded = await play_round("ours", app, server, who, concurrency, visit)
            drain, stats = await drained(app, server)
        parts += [phase, drain]
        failures += recorded.failures
        violations += [f"outbox: {e}" for e in stats.errors]
        if stats.unreachable:
            violations.append(f"outbox: {stats.unreachable} people unreachable")
        script.phases.append((who, recorded.steps))
        sends, skipped = sends_of([c for _, c in drain.calls], server)
        script.sends.append(sends)
        script.skipped += skipped
        script.update_calls += phase.calls
        script.kinds += Counter(s.kind for steps in recorded.steps.values() for s in steps)
    measured = merged("ours", parts)
    violations += await check(app, server, people, sessions, measured.calls)
    return Outcome(measured, script, failures, violations)


async def check(app: Application, server: BenchTelegram, people: list[Person],
                sessions: dict[int, int], calls: list[tuple[Kind | None, Call]]) -> list[str]:
    """What must hold after a round: capacity, seats passed on, one confirmation each."""
    now = to_db(app.bot_data.clock.now())
    ids = sorted(sessions)

    def read(conn):
        marks = ",".join("?" * len(ids))
        seats = conn.execute(
            f"""SELECT session_id, SUM(status IN ('confirmed', 'offered')) AS taken,
                       SUM(status = 'waitlisted') AS waiting
                  FROM registrations WHERE session_id IN ({marks}) GROUP BY session_id""",
            ids).fetchall()
        regs = conn.execute(f"SELECT user_id, session_id, status FROM registrations"
                            f" WHERE session_id IN ({marks})", ids).fetchall()
        users = [u for u, _ in people]
        umarks = ",".join("?" * len(users))
        stuck = conn.execute(f"SELECT kind, state FROM outbox WHERE user_id IN ({umarks})"
                             f" AND due_at <= ? AND state NOT IN ('sent', 'skipped')",
                             [*users, now]).fetchall()
        return seats, regs, stuck

    seats, regs, stuck = await app.bot_data.db.read(read)
    problems = [f"outbox row {kind} left {state} after the drain" for kind, state in stuck]
    for sid, taken, waiting in seats:
        if taken > sessions[sid]:
            problems.append(f"session {sid}: {taken} seats taken of {sessions[sid]}")
        elif taken < sessions[sid] and waiting:
            problems.append(f"session {sid}: a seat free and {waiting} people waiting")
    files: Counter[tuple[int | str | None, str]] = Counter()
    for _, call in calls:
        if call.method == "sendDocument" and call.ok:
            stored = server.files[call.result["document"]["file_id"]]
            method = _ICS_METHOD.search(stored.data)
            files[(call.chat_id, method.group(1).decode() if method else "?")] += 1
    status = {user: (sid, st) for user, sid, st in regs}
    for user, _ in people:
        if user not in status:
            problems.append(f"person {user} has no registration")
            continue
        sid, st = status[user]
        request, cancel = files[(user, "REQUEST")], files[(user, "CANCEL")]
        expected = {"confirmed": (1, 0), "waitlisted": (0, 0), "declined": (0, 0)}.get(st)
        if st == "cancelled":  # a confirmed place cancelled has both files; a queue left, none
            expected = (request, request) if request <= 1 else (1, 1)
        if expected is None:
            problems.append(f"person {user} left {st} in session {sid}")
        elif (request, cancel) != expected:
            problems.append(f"person {user} ({st}) got {request} confirmation(s) and {cancel} "
                            f"cancellation(s), expected {expected[0]} and {expected[1]}")
    return problems


# --- the floor's round -------------------------------------------------------------------------
async def floor_round(fapp: Application, server: BenchTelegram, bot: FloorBot, script: Script,
                      concurrency: int) -> tuple[Round, list[str]]:
    """The same phases with the same people and steps, ours' call mix, the same sends."""
    bot.plan = FloorPlan(script.update_calls, script.kinds)
    parts, problems = [], []
    for (who, steps), sends in zip(script.phases, script.sends, strict=True):

        async def again(client: TimedClient, i: int, steps=steps) -> None:
            await replay(client, steps.get(i, []))

        phase, recorded = await play_round("floor", fapp, server, who, concurrency, again)
        start = len(server.calls)
        started, cpu = perf_counter(), thread_time()
        problems += await send_all(fapp.bot, sends, DISPATCH_CONCURRENCY)
        parts += [phase, Round("floor", 0, perf_counter() - started, thread_time() - cpu, [],
                               server.tagged_calls(start, len(server.calls)))]
        problems += recorded.failures
    return merged("floor", parts), problems


# --- the workload --------------------------------------------------------------------------------
async def run(options: Options) -> list[Figure]:
    people, concurrency, rounds = (60, 20, 3) if options.quick else (300, 50, 5)
    ours_server, floor_server = BenchTelegram(), BenchTelegram()
    profiler = cProfile.Profile() if options.profile else None
    ours: list[Round] = []
    floor: list[Round] = []
    failures: list[str] = []
    violations: list[str] = []
    floor_problems: list[str] = []
    skipped: Counter[str] = Counter()
    with (logged_errors() as errors, tempfile.TemporaryDirectory(prefix="etamkeen-bench-") as tmp,
          statements.counting() if options.statements else nullcontext() as counter):
        # The dispatcher is driven here (drain), not by its background loop; no pacing, since
        # the sandbox has no flood control either.
        async with real_app(ours_server, Path(tmp), background_jobs=False, per_chat_interval_s=0,
                            send_rate_per_s=0) as app:
            journal, synchronous = await app.bot_data.db.read(lambda c: (
                c.execute("PRAGMA journal_mode").fetchone()[0],
                c.execute("PRAGMA synchronous").fetchone()[0]))
            await onboard(app, [p for r in range(rounds + 1) for p in people_of(r, people)])
            # Round 0 warms ours up (checked, not measured); the floor warms up replaying it.
            warm = await ours_round(app, ours_server, 0, people, concurrency, None)
            failures += warm.failures
            violations += warm.violations + [f"refused {x}" for x in warm.measured.refused]
            bot = FloorBot(FloorPlan([], Counter()))
            async with floor_app(floor_server, bot, app.bot_data.settings.concurrent_updates) as fapp:
                _, problems = await floor_round(fapp, floor_server, bot, warm.script, concurrency)
                floor_problems += problems
                for r in range(1, rounds + 1):  # alternate, so noise hits both alike
                    outcome = await ours_round(app, ours_server, r, people, concurrency, profiler,
                                               counter)
                    ours.append(outcome.measured)
                    failures += outcome.failures
                    violations += outcome.violations
                    skipped += outcome.script.skipped
                    measured, problems = await floor_round(fapp, floor_server, bot, outcome.script,
                                                           concurrency)
                    floor.append(measured)
                    floor_problems += problems
                    skipped += bot.plan.skipped
    problems = [*(f"ours refused: {x}" for r in ours for x in r.refused),
                *(f"floor refused: {x}" for r in floor for x in r.refused),
                *(f"a visit broke off, {x}" for x in failures),
                *(f"inconsistent: {x}" for x in violations),
                *(f"floor error: {x}" for x in [*bot.errors, *floor_problems]),
                *(f"floor did not replay {what}" for what in skipped.elements())]
    mix = Mix.of(ours)
    outbox = sum(1 for r in ours for kind, _ in r.calls if kind is None) / mix.updates
    cancellers = sum(1 for i in range(people) if i % CANCEL_EVERY == 1)
    sync = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(synchronous, synchronous)
    print(f"\n== register: {people} people a round ({cancellers} of them cancel) on sessions of "
          f"{min(CAPACITIES)}-{max(CAPACITIES)} seats, {concurrency} at a time, {ours[0].updates} "
          f"updates a round, {rounds} rounds each (alternating); on-disk SQLite journal_mode="
          f"{journal}, synchronous={sync}, every change committed before its reply")
    print_tables(ours, floor, problems)
    print(f"(calls per update include the outbox dispatcher's, {outbox:.3f} per update: "
          f"confirmation and cancellation files, seat offers; drained inside the measured time)")
    if errors.count:
        last = (errors.first or "").strip().splitlines()[-1:]
        print(f"warning: ours logged {errors.count} errors, the first: {' '.join(last)}")
    if profiler is not None:
        print_profile(profiler)
    if counter is not None:
        counter.report(mix.updates)
    print()
    refused = sum(len(r.refused) for r in ours)
    cpu = cpu_ratio(ours, floor)
    print(f"(event-loop CPU per update, floor's over ours: {cpu:.3f}; less moved by other work on "
          f"the machine than the throughput ratio, which counts waiting for the CPU too)")
    return [*figures(ours, floor, outbox, errors.count + len(failures) + len(violations) + refused),
            Figure("register_cpu_ratio", cpu)]


def cpu_ratio(ours: list[Round], floor: list[Round]) -> float:
    """The floor's event-loop CPU seconds per update over ours' (1.0: as cheap as the floor)."""
    def per_update(rounds: list[Round]) -> float:
        return sum(r.loop_cpu_s for r in rounds) / max(sum(r.updates for r in rounds), 1)

    return per_update(floor) / per_update(ours) if per_update(ours) else 0.0


def figures(ours: list[Round], floor: list[Round], outbox: float, errors: int) -> list[Figure]:
    common = comparison("register", "register_floor", ours, floor, errors, TARGET_RATIO)
    # The outbox's own calls, counted in calls per update above, reported apart as well.
    return [*common[:5], Figure("register_outbox_calls_per_update", outbox), *common[5:]]
