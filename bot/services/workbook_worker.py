"""Reading a catalogue workbook in a worker process, with a time limit.

openpyxl is pure Python and holds the GIL: read on the event loop (or in a thread), a sheet with
formatting on every row stalled every other person's updates (a 36 KB file: 3.5 s on the loop,
measured when this module was written; reports from the field: 25 s and 118 s). A separate
process leaves the loop free, and a parse that runs past the limit is killed, not left running.
The process is a fresh interpreter (`python -m`), not a fork of the bot, so it inherits none of
the bot's threads or locks; it also gets a memory ceiling, so that a hostile file cannot take the
server's memory with it.

Protocol: stdin carries one JSON line (which reader, and what it needs: for the catalogue the
known themes and regions, {code or name: code}) then the file's bytes; stdout carries the result
as JSON (the catalogue's Parsed with dates as ISO text; a questionnaire's ParsedForm as is).
The catalogue and the questionnaire workbooks (bot/services/form_workbook.py) share this path."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.services.workbook import MAX_BYTES, Parsed, Problem, read_workbook
from bot.timeutil import from_db, to_db

if TYPE_CHECKING:
    from bot.services.form_workbook import ParsedForm

log = logging.getLogger(__name__)

MEMORY_LIMIT = 2_000_000_000  # bytes of address space: a million formatted rows need ~0.6 GB
DATES = ("starts_at", "ends_at", "registration_deadline")
_ROOT = Path(__file__).resolve().parents[2]  # where `bot` is importable from


def _problem(code: str, value: str = "") -> Parsed:
    return Parsed(problems=[Problem(None, None, None, code, value)])


def _seconds(limit_s: float) -> str:
    return str(int(limit_s)) if limit_s >= 1 else f"{limit_s:g}"


async def read_in_worker(data: bytes, themes, regions, limit_s: float) -> Parsed:
    """read_workbook in a worker process killed after limit_s seconds (a `too_slow` problem)."""
    head = {"reader": "catalogue", "themes": _mapping(themes), "regions": _mapping(regions)}
    out = await run_reader(head, data, limit_s)
    return _problem(*out) if isinstance(out, tuple) else _decode(out)


async def run_reader(head: dict, data: bytes, limit_s: float) -> bytes | tuple[str, str]:
    """The reader named in `head` run on `data` in a worker process killed after limit_s
    seconds: its JSON output, or (problem code, value) when it could not be had."""
    if len(data) > MAX_BYTES:  # not worth starting a process for
        return "too_big", str(MAX_BYTES // 1_000_000)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT),
                                                                      os.environ.get("PYTHONPATH")]))}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-P", "-m", __name__, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env)
    line = json.dumps(head).encode() + b"\n"
    try:
        out, err = await asyncio.wait_for(proc.communicate(line + data), limit_s)
    except TimeoutError:
        log.warning("a workbook took more than %s s to read: stopped", limit_s)
        return "too_slow", _seconds(limit_s)
    finally:
        if proc.returncode is None:  # timed out or cancelled: the parse must not go on
            proc.kill()
            await proc.wait()
    if proc.returncode != 0:
        log.warning("the workbook reader failed (%s): %s", proc.returncode,
                    err.decode(errors="replace")[-2000:])
        return "unreadable", ""
    return out


def _mapping(known) -> dict[str, str]:
    return dict(known) if isinstance(known, dict) else {c: c for c in known}


def _encode(parsed: Parsed) -> str:
    for s in parsed.sessions:
        for key in DATES:
            if s.get(key) is not None:  # absent: blank cell; None: cleared
                s[key] = to_db(s[key])
    return json.dumps(asdict(parsed), ensure_ascii=False)


def _decode(raw: bytes) -> Parsed:
    found = json.loads(raw)
    sessions = [{**s, **{key: from_db(s[key]) for key in DATES if s.get(key) is not None}}
                for s in found["sessions"]]
    return Parsed(found["trainings"], sessions, [Problem(**p) for p in found["problems"]],
                  found.get("examples", 0), found.get("plan_lines", []), found.get("references", {}))


def main() -> int:
    """The worker: read stdin, write the result. A file that needs more memory than the ceiling
    is reported as too big; anything else that breaks the reader, as unreadable."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass  # not on Linux, or a lower ceiling already set: the time limit still holds
    head = json.loads(sys.stdin.buffer.readline())
    data = sys.stdin.buffer.read()
    read: Callable[[], Parsed | ParsedForm]  # the catalogue's workbook, or a questionnaire form
    encode: Callable[[Any], str]
    if head.get("reader") == "questionnaire":
        from bot.services.form_workbook import read_form

        read, encode = (lambda: read_form(data)), (lambda p: json.dumps(asdict(p), ensure_ascii=False))
    else:
        read, encode = (lambda: read_workbook(data, head["themes"], head["regions"])), (lambda p: _encode(p))
    try:
        parsed = read()
    except MemoryError:
        parsed = _problem("too_big_unpacked")
    except Exception as exc:  # noqa: BLE001 - a damaged file may break openpyxl in any way
        print(f"unreadable workbook: {exc!r}", file=sys.stderr)
        parsed = _problem("unreadable")
    sys.stdout.write(encode(parsed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
