"""`python -m bench.national` (`make bench-national`): the back office and the bot at national
scale — about 600,000 officials, 5,000 sessions, 1,000,000 registrations, 300,000 evaluations,
generated once into bench-data/ and reused while the generator and the schema stay the same.

Prints `BENCH dashboard_ms` (p50 of every period × breakdown, national and one focal point),
`roster_ms` (p50, the largest sessions), `export50k_s` and `export50k_peak_mb` (XLSX of the
administration closest to 50,000 registrations, in a fresh process: its peak RSS), `startup_s` and
`idle_rss_mb` (`etamkeen run` on the offline sandbox), `national_latency_ratio` (median update
latency browsing and registering, national database / demo database), `prc_cockpit_ms` (p50 of
the national /plans screen on about 40 plans and 600 lines: bench/national_plans.py), `prc_report_s` and
`prc_report_peak_mb` (the semi-annual report of the largest administration: bench/prc_report.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import national_app, national_plans, prc_report, synthetic
from bench.common import Figure, percentile_ms
from bot.services.indicators import PERIODS, IndicatorsService
from bot.services.vocabulary import DIMENSIONS
from bot.storage.db import Database
from bot.timeutil import FrozenClock

TARGETS = {"dashboard_ms": 500, "roster_ms": 50, "export50k_s": 15, "export50k_peak_mb": 300,
           "startup_s": 3, "idle_rss_mb": 150, "national_latency_ratio": 1.5, "prc_cockpit_ms": 300,
           "prc_report_s": 10, "prc_report_peak_mb": 300}
QUICK = {"users": 60_000, "sessions": 500, "registrations": 100_000, "evaluations": 30_000}


async def queries(path: Path) -> tuple[list[Figure], str]:
    """Dashboard and roster timings; the administration closest to 50,000 registrations."""
    db = await Database.open(path)
    try:
        service = IndicatorsService(db, FrozenClock(synthetic.ANCHOR))
        counts = await db.read_heavy(lambda c: c.execute(
            "SELECT administration_code, COUNT(*) FROM registration_facts GROUP BY 1").fetchall())
        large = min(counts, key=lambda r: abs(r[1] - 50_000))[0]
        dashboard: list[float] = []
        for _ in range(3):
            for administration in (None, large):
                for period in PERIODS:
                    for dimension in ("total", *DIMENSIONS):
                        if administration and dimension == "administration":
                            continue
                        started = time.perf_counter()
                        await service.breakdown(service.scope(period, administration), dimension)
                        dashboard.append(time.perf_counter() - started)
        scores: list[float] = []  # the mean-scores screen: hot and cold, everyone and by sex
        for administration in (None, large):
            for period in PERIODS:
                started = time.perf_counter()
                for kind in ("hot", "cold"):
                    for dimension in ("total", "sex"):
                        await service.scores(service.scope(period, administration), kind, dimension)
                scores.append(time.perf_counter() - started)
        biggest = [r[0] for r in await db.read_heavy(lambda c: c.execute(
            "SELECT session_id FROM registration_facts GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 20"
        ).fetchall())]
        roster: list[float] = []
        for _ in range(3):
            for sid in biggest:
                for administration in (None, large):
                    started = time.perf_counter()
                    await service.session(sid)
                    await service.roster(sid, administration, 0, 15)
                    roster.append(time.perf_counter() - started)
    finally:
        await db.close()
    return [Figure("dashboard_ms", percentile_ms(dashboard, 50)),
            Figure("dashboard_p95_ms", percentile_ms(dashboard, 95)),
            Figure("dashboard_max_ms", percentile_ms(dashboard, 100)),
            Figure("scores_screen_ms", percentile_ms(scores, 50)),
            Figure("scores_screen_max_ms", percentile_ms(scores, 100)),
            Figure("roster_ms", percentile_ms(roster, 50)),
            Figure("roster_p95_ms", percentile_ms(roster, 95))], large


def export_child(path: Path, administration: str, out: Path) -> None:
    """In a fresh process: one XLSX export; print its rows, seconds and the process's peak RSS."""
    from bot.services.exports import ExportService
    from bot.services.reference import ReferenceData

    async def reference() -> ReferenceData:
        db = await Database.open(path)
        try:
            return await ReferenceData.load(db)
        finally:
            await db.close()

    ref = asyncio.run(reference())
    started = time.perf_counter()
    rows = ExportService(path, ref, FrozenClock(synthetic.ANCHOR)).write(
        "registrations", "xlsx", out, "fr", administration)
    seconds = time.perf_counter() - started
    # VmHWM, not getrusage: Linux carries ru_maxrss over exec, so a child of a big parent (one
    # that just generated the database) would report the parent's peak.
    peak_mb = next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
                   if line.startswith("VmHWM:")) / 1024
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_mb, "bytes": out.stat().st_size}))


def export50k(path: Path, administration: str) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="etamkeen-export-") as folder:
        done = subprocess.run([sys.executable, "-m", "bench.national", "--export-child", str(path),
                               administration, str(Path(folder) / "export.xlsx")],
                              capture_output=True, text=True, check=True, timeout=600)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"export: {result['rows']} registrations of {administration}, {result['bytes'] / 1e6:.1f} MB")
    return [Figure("export50k_rows", result["rows"]), Figure("export50k_s", result["seconds"]),
            Figure("export50k_peak_mb", result["peak_mb"])]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.national", description=__doc__)
    parser.add_argument("--data", default="bench-data", help="where the generated database is kept")
    parser.add_argument("--quick", action="store_true", help="a tenth of the size: a smoke run")
    parser.add_argument("--regenerate", action="store_true", help="generate the database again")
    parser.add_argument("--export-child", nargs=3, metavar=("DB", "ADMINISTRATION", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        db, administration, out = args.export_child
        export_child(Path(db), administration, Path(out))
        return 0
    folder = Path(args.data) / ("quick" if args.quick else "")
    if args.regenerate:
        synthetic.path_for(folder).unlink(missing_ok=True)
    started = time.perf_counter()
    path, generated = synthetic.ensure(folder, **(QUICK if args.quick else {}))
    print(f"database: {path} ({path.stat().st_size / 1e6:.0f} MB, "
          f"{'generated in' if generated else 'reused, checked in'} {time.perf_counter() - started:.1f} s)")
    figures = [Figure("national_generated", int(generated))]
    found, large = asyncio.run(queries(path))
    figures += found
    figures += export50k(path, large)
    figures += prc_report.measure(path)
    figures += national_app.startup(path)
    figures += asyncio.run(national_app.latency(path))
    figures += asyncio.run(national_plans.cockpit(path))
    figures.append(Figure("national_bench_wall_s", time.perf_counter() - started))
    values = {f.name: f.value for f in figures}
    met = all(values[name] <= target for name, target in TARGETS.items() if name in values)
    figures.append(Figure("national_targets_met", int(met)))
    for figure in figures:
        print(figure.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
