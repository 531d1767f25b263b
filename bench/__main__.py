"""`python -m bench [--quick] [--profile] [--only NAME]`: run the workloads, print a table for
each, then every figure as `BENCH <name> <value>`. Exits 0 even when a target is missed (the
`BENCH *_target_met` lines say so): the numbers are for people and dashboards to judge."""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from bench import broadcast, browse, register
from bench.common import Figure, Options

# Each workload: async run(options) -> figures.
WORKLOADS: dict[str, Callable[[Options], Awaitable[list[Figure]]]] = {
    "browse": browse.run,
    "register": register.run,
    "broadcast": broadcast.run,
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer people: a smoke run")
    parser.add_argument("--profile", action="store_true",
                        help="profile ours' measured rounds with cProfile and print the top costs")
    parser.add_argument("--statements", action="store_true",
                        help="count the SQL statements ours runs per update (registration)")
    parser.add_argument("--only", choices=sorted(WORKLOADS), action="append",
                        help="run only this workload (repeatable)")
    args = parser.parse_args()
    # Only errors matter here; workloads count them (common.logged_errors) and report them.
    logging.getLogger().setLevel(logging.ERROR)
    options = Options(quick=args.quick, profile=args.profile, statements=args.statements)
    started = time.perf_counter()
    figures: list[Figure] = []
    for name in args.only or list(WORKLOADS):
        figures += asyncio.run(WORKLOADS[name](options))
    figures.append(Figure("bench_wall_s", time.perf_counter() - started))
    for figure in figures:
        print(figure.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
