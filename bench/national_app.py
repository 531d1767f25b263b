"""The bot itself on the national database: `etamkeen run` start-up and idle memory, and the
latency of browsing and registering compared with the demo database.

Both work on a copy of the generated database (the bot writes: outbox, registrations, visits),
so the cached one stays as generated.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.browse import browse
from bench.common import BenchTelegram, Figure, TimedClient, logged_errors, median, play_round
from bench.real_app import onboard, real_app, session_ids
from bench.register import book, make_sessions
from bot.i18n import translator

READY = "running ("  # what `etamkeen run` logs once it serves updates (bot/runner.py)
IDLE_S = 5.0
USER_BASE = 50_000_000  # people of the latency rounds: far from the synthetic ids


def _command() -> list[str]:
    script = Path(sys.executable).with_name("etamkeen")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def startup(path: Path) -> list[Figure]:
    """Seconds from exec to serving, then RSS after IDLE_S idle seconds (from /proc)."""
    with tempfile.TemporaryDirectory(prefix="etamkeen-run-", dir=path.parent) as folder:
        db = Path(folder) / "national.db"
        shutil.copyfile(path, db)
        env = {**os.environ, "ETAMKEEN_DB": str(db), "ETAMKEEN_SANDBOX_LOG": str(Path(folder) / "sent.log"),
               "ETAMKEEN_RETENTION_YEARS": "0", "TELEGRAM_BOT_TOKEN": ""}
        started = time.perf_counter()
        process = subprocess.Popen([*_command(), "--env-file", os.devnull, "run"], env=env,
                                   stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        ready, log = None, []
        try:
            assert process.stderr is not None
            for line in process.stderr:
                log.append(line.rstrip())
                if READY in line:
                    ready = time.perf_counter() - started
                    break
            if ready is None:
                raise RuntimeError("etamkeen run did not start:\n" + "\n".join(log[-20:]))
            time.sleep(IDLE_S)
            rss_kb = next(int(x.split()[1]) for x in Path(f"/proc/{process.pid}/status").read_text()
                          .splitlines() if x.startswith("VmRSS:"))
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return [Figure("startup_s", ready), Figure("idle_rss_mb", rss_kb / 1024)]


async def latency(path: Path, people: int = 60, concurrency: int = 20, rounds: int = 3) -> list[Figure]:
    """Median update latency of the same visits on the demo database and on the national one."""
    latencies: dict[str, list[float]] = {"demo": [], "national": []}
    failures: list[str] = []
    with logged_errors() as errors, \
            tempfile.TemporaryDirectory(prefix="etamkeen-lat-", dir=path.parent) as tmp:
        (Path(tmp) / "national").mkdir()
        (Path(tmp) / "demo").mkdir()
        shutil.copyfile(path, Path(tmp) / "national" / "bench.db")  # real_app's file name
        servers = {name: BenchTelegram() for name in latencies}
        async with real_app(servers["demo"], Path(tmp) / "demo") as demo, \
                real_app(servers["national"], Path(tmp) / "national") as national:
            apps = {"demo": demo, "national": national}
            crowd = [(USER_BASE + i, "ar" if i % 2 else "fr") for i in range((rounds + 1) * people)]
            links, sessions = {}, {}
            for name, app in apps.items():
                await onboard(app, crowd)
                ids = await session_ids(app)
                links[name] = ids[:: max(1, len(ids) // 200)]  # across the whole calendar
            for r in range(rounds + 1):  # round 0 warms both up; alternate, so noise hits both
                for name, app in apps.items():
                    sessions[name] = list(await make_sessions(app, r, 4))

                    async def visit(client: TimedClient, i: int, name=name) -> None:
                        await browse(client, i, links[name])
                        await book(client, translator("ar" if i % 2 else "fr"),
                                   sessions[name][i % len(sessions[name])])

                    measured, recorded = await play_round(name, app, servers[name],
                                                          crowd[r * people:(r + 1) * people], concurrency,
                                                          visit)
                    failures += recorded.failures
                    if r:
                        latencies[name] += measured.latencies
    if failures or errors.count:
        print(f"warning: {len(failures)} visits broke off, {errors.count} errors logged: "
              f"{(failures or [errors.first])[0]}")
    demo_ms, national_ms = (median(latencies[n]) * 1000 for n in ("demo", "national"))
    print(f"latency: median {demo_ms:.2f} ms a update on the demo database, {national_ms:.2f} ms on the "
          f"national one ({len(latencies['national'])} updates each way)")
    return [Figure("national_update_ms", national_ms), Figure("demo_update_ms", demo_ms),
            Figure("national_latency_ratio", national_ms / demo_ms if demo_ms else 0.0),
            Figure("national_errors", len(failures) + errors.count)]
