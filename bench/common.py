"""What every workload needs: a sandbox that knows which update each call served, a client
that times each update, a pool of concurrent people, and the figures of one round."""

from __future__ import annotations

import asyncio
import gc
import logging
import math
import statistics
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from time import perf_counter, thread_time
from typing import Any, Literal

from telegram.ext import Application

from tgsandbox.client import BotClient
from tgsandbox.server import FakeTelegram, Files
from tgsandbox.state import Call

Kind = Literal["message", "callback"]

# The kind of update being processed in this task. PTB runs handlers in the task that feeds
# the update (or in tasks created from it, which copy the context), so every Bot API call made
# for an update sees that update's kind here.
UPDATE_KIND: ContextVar[Kind | None] = ContextVar("bench_update_kind", default=None)


class BenchTelegram(FakeTelegram):
    """The sandbox server, noting for each recorded call the kind of update it was made for."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.call_kinds: list[Kind | None] = []  # aligned with self.calls

    async def call(
        self, token: str, method: str, params: dict[str, Any], files: Files | None = None
    ) -> tuple[int, dict[str, Any]]:
        # FakeTelegram.call appends to self.calls before its first await, so the two lists
        # stay aligned (checked by tagged_calls).
        self.call_kinds.append(UPDATE_KIND.get())
        return await super().call(token, method, params, files)

    def tagged_calls(self, start: int, end: int) -> list[tuple[Kind | None, Call]]:
        """Calls [start, end) with the kind of update each one served."""
        if len(self.call_kinds) != len(self.calls):
            raise RuntimeError("call tags out of step with server.calls (FakeTelegram.call changed?)")
        return list(zip(self.call_kinds[start:end], self.calls[start:end], strict=True))


@dataclass(frozen=True)
class Step:
    """One update a person caused: a text message or a button press (with its data)."""

    kind: Kind
    payload: str


@dataclass
class Recorder:
    """Latencies (seconds) of the updates of one round, and each person's steps."""

    latencies: list[float] = field(default_factory=list)
    steps: dict[int, list[Step]] = field(default_factory=dict)  # person index -> steps
    failures: list[str] = field(default_factory=list)  # people whose visit broke off


class TimedClient(BotClient):
    """A BotClient that times each update from feeding to the end of its processing."""

    def __init__(self, *args: Any, recorder: Recorder, index: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recorder = recorder
        self.steps = recorder.steps.setdefault(index, [])

    async def feed(self, update: dict[str, Any], chats: set[int] | None = None) -> list[Any]:
        if "callback_query" in update:
            step = Step("callback", update["callback_query"].get("data") or "")
        else:
            step = Step("message", (update.get("message") or {}).get("text") or "")
        token = UPDATE_KIND.set(step.kind)
        started = perf_counter()
        try:
            # Includes Update.de_json (what the Updater does before processing) and the
            # client's own bookkeeping, the same for ours and for the floor.
            return await super().feed(update, chats)
        finally:
            self.recorder.latencies.append(perf_counter() - started)
            UPDATE_KIND.reset(token)
            self.steps.append(step)


async def run_pool(count: int, concurrency: int,
                   job: Callable[[int], Awaitable[None]]) -> tuple[float, float]:
    """Run job(0..count-1) with at most `concurrency` at once; wall and event-loop CPU seconds.

    A pool rather than fixed batches: a slow person does not hold back the next batch.
    """
    gc.collect()  # garbage of the previous round is not this round's cost
    gate = asyncio.Semaphore(concurrency)

    async def one(index: int) -> None:
        async with gate:
            await job(index)

    started, cpu = perf_counter(), thread_time()
    await asyncio.gather(*(one(i) for i in range(count)))
    return perf_counter() - started, thread_time() - cpu


@dataclass
class Round:
    """One timed run of a workload, by ours or by the floor."""

    who: str
    updates: int
    wall_s: float
    # CPU time of the event loop's thread: below wall_s, the loop sat idle waiting for another
    # thread (aiosqlite's), which no amount of Python speed-up on the loop would win back.
    loop_cpu_s: float
    latencies: list[float]
    calls: list[tuple[Kind | None, Call]]

    @property
    def per_s(self) -> float:
        return self.updates / self.wall_s if self.wall_s else 0.0

    @property
    def loop_busy(self) -> float:
        return self.loop_cpu_s / self.wall_s if self.wall_s else 0.0

    @property
    def refused(self) -> list[str]:
        return [f"{c.method}: {c.outcome}" for _, c in self.calls if not c.ok]


# A person's visit: what they do, given their client and their index in the round.
Visit = Callable[[TimedClient, int], Awaitable[None]]


async def play_round(who: str, app: Application, server: BenchTelegram, people: list[tuple[int, str]],
                     concurrency: int, visit: Visit) -> tuple[Round, Recorder]:
    """Each (user id, language) in `people` makes a visit, `concurrency` at a time; timed."""
    recorder, start = Recorder(), len(server.calls)

    async def person(i: int) -> None:
        user, lang = people[i]
        client = TimedClient(app, server, user_id=user, language_code=lang, recorder=recorder, index=i)
        try:
            await visit(client, i)
        except Exception as exc:  # a broken build: say so in the report, keep measuring
            recorder.failures.append(f"{who}: {type(exc).__name__}: {exc}")

    wall, cpu = await run_pool(len(people), concurrency, person)
    calls = server.tagged_calls(start, len(server.calls))
    return Round(who, len(recorder.latencies), wall, cpu, recorder.latencies, calls), recorder


def percentile_ms(latencies: list[float], p: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not latencies:
        return 0.0
    ordered = sorted(latencies)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


class LoggedErrors(logging.Handler):
    """Counts the errors logged while it is installed (the bot logs, apologises, carries on),
    keeping the first one: a bench run on a broken build must say so, not just be fast."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.first: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if self.first is None:
            self.first = self.format(record)


@contextmanager
def logged_errors() -> Iterator[LoggedErrors]:
    """Count errors instead of printing a traceback for each of thousands of updates."""
    root, handler = logging.getLogger(), LoggedErrors()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


@dataclass(frozen=True)
class Figure:
    """One printed figure: `BENCH <name> <value>`."""

    name: str
    value: float | int

    def line(self) -> str:
        value = self.value if isinstance(self.value, int) else f"{self.value:.3f}"
        return f"BENCH {self.name} {value}"


@dataclass(frozen=True)
class Options:
    quick: bool = False
    profile: bool = False
    statements: bool = False  # count ours' SQL statements (bench/statements.py)
