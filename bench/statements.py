"""`python -m bench --statements`: count the SQL statements ours runs in its measured rounds.

Every connection the bot opens (the loop's inline one, aiosqlite's threads) is made, for the
run, by a connection class that counts what it is asked to execute (installed by wrapping
`sqlite3.connect`: the bot is not changed or told), and SQLite's trace callback counts what
runs, trigger programs included (Python reports each trigger program a statement starts under
that statement's text). Statements are grouped by their text with the bound values taken out,
so a report names what runs per update, not each person's row. A run with it measures nothing
else (counting costs time)."""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from time import perf_counter
from unittest.mock import patch

_LITERAL = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b|x'[0-9a-fA-F]*'")
_SPACE = re.compile(r"\s+")


def _shape(sql: str) -> str:
    return _SPACE.sub(" ", _LITERAL.sub("?", sql)).strip()[:150]


class StatementCounter:
    """Counts, while `on`, the statements executed and the programs SQLite ran for them."""

    def __init__(self) -> None:
        self.on = False
        self.asked: Counter[str] = Counter()  # executed by the bot
        self.seconds: Counter[str] = Counter()  # how long each took to execute (first step)
        self.commits = 0
        self.programs = 0  # run by SQLite: statements and the trigger programs they start

    def asked_for(self, sql: str) -> str | None:
        if not self.on:
            return None
        shape = _shape(sql)
        self.asked[shape] += 1
        return shape

    def took(self, shape: str | None, started: float) -> None:
        if shape is not None:
            self.seconds[shape] += perf_counter() - started

    def ran(self, sql: str) -> None:
        if self.on:
            self.programs += 1

    def report(self, updates: int, top: int = 30) -> None:
        per = max(updates, 1)
        total = sum(self.asked.values())
        begins = sum(n for sql, n in self.asked.items() if sql.upper().startswith("BEGIN"))
        print(f"\n-- SQL in ours' measured rounds, {updates} updates: {total} statements "
              f"({total / per:.2f} per update, BEGIN included), {begins} write transactions "
              f"({begins / per:.2f}), {self.commits} commits; SQLite ran {self.programs} "
              f"programs ({self.programs / per:.2f} per update, trigger programs included)")
        print(f"{'per update':>10} {'µs each':>8}  statement (by total time)")
        for sql, spent in self.seconds.most_common(top):
            n = self.asked[sql]
            print(f"{n / per:10.3f} {spent / n * 1e6:8.0f}  {sql}")


def _classes(counter: StatementCounter) -> type[sqlite3.Connection]:
    class Cursor(sqlite3.Cursor):
        def execute(self, sql, parameters=(), /):
            shape, started = counter.asked_for(sql), perf_counter()
            try:
                return super().execute(sql, parameters)
            finally:
                counter.took(shape, started)

        def executemany(self, sql, parameters, /):
            shape, started = counter.asked_for(sql), perf_counter()
            try:
                return super().executemany(sql, parameters)
            finally:
                counter.took(shape, started)

    class Connection(sqlite3.Connection):
        def cursor(self, factory=Cursor):
            return super().cursor(factory)

        def execute(self, sql, parameters=(), /):
            return self.cursor().execute(sql, parameters)

        def executemany(self, sql, parameters, /):
            return self.cursor().executemany(sql, parameters)

        def commit(self):
            if counter.on:
                counter.commits += 1
            return super().commit()

    return Connection


@contextmanager
def counting() -> Iterator[StatementCounter]:
    counter = StatementCounter()
    real = sqlite3.connect
    connection = _classes(counter)

    def connect(*args, **kwargs):
        conn = real(*args, factory=connection, **kwargs)
        conn.set_trace_callback(counter.ran)
        return conn

    with patch.object(sqlite3, "connect", connect):
        yield counter
