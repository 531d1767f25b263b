"""The semi-annual report of the largest administration on the national database (issue 16):
`BENCH prc_report_s` (its figures computed, then rendered as PDF and XLSX) and
`BENCH prc_report_peak_mb` (the peak RSS of a fresh process doing it).

The administration with the most attendances in the semester gets a validated plan if it has
none (15 lines: every theme, some aimed at a position, some linked to sessions), so the report
has real work: a few hundred sessions and tens of thousands of attendances. The report is built
and rendered without being issued, so every run measures the same work.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench import synthetic
from bench.common import Figure
from bot.services.periods import semester
from bot.storage import plans as plans_repo
from bot.storage import prc_reports

SEMESTER = "2026-S1"  # wholly before synthetic.ANCHOR: a full semester of attendance
POSITIONS = (None, "responsable", "cadre", "technicien")


def largest(conn: sqlite3.Connection) -> str:
    start, end = semester(SEMESTER).bounds()
    return conn.execute(
        """SELECT a.administration_code FROM attendance_facts a JOIN sessions s ON s.id = a.session_id
            WHERE s.starts_at >= ? AND s.starts_at < ? GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1""",
        (start, end)).fetchone()[0]


def ensure_plan(path: Path) -> str:
    """The largest administration's code, with a validated plan covering SEMESTER."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        code = largest(conn)
        if prc_reports.plan_in_force(conn, code, int(SEMESTER[:4])) is not None:
            return code
        now = synthetic.ANCHOR
        with conn:
            _, version = plans_repo.create_plan(conn, code, 2026, 2027, None, now)
            themes = [r[0] for r in conn.execute("SELECT code FROM themes ORDER BY sort")]
            start, end = semester(SEMESTER).bounds()
            for i in range(15):
                theme = themes[i % len(themes)]
                line = plans_repo.add_line(conn, version, {
                    "theme_code": theme, "training_id": None, "track": "operationnel",
                    "position_code": POSITIONS[i % len(POSITIONS)], "level": None, "region_code": None,
                    "target_people": 500 + 100 * i, "target_women": 200, "target_hours": 3000,
                    "semester": SEMESTER, "priority": 1 + i % 3})
                if i % 3 == 0:  # some lines name their sessions
                    for (sid,) in conn.execute(
                            "SELECT s.id FROM sessions s JOIN trainings t ON t.id = s.training_id"
                            " WHERE t.theme_code = ? AND s.starts_at >= ? AND s.starts_at < ?"
                            " ORDER BY s.id LIMIT 40", (theme, start, end)).fetchall():
                        plans_repo.link(conn, line, sid)
            for status in ("submitted", "validated"):
                plans_repo.set_status(conn, version, status, None, now)
        return code
    finally:
        conn.close()


def child(path: Path, code: str) -> None:
    """In a fresh process: the figures and both files; prints seconds, peak RSS and sizes."""
    from bot.services import prc_figures, prc_report_files
    from bot.services.prc_report import encode

    started = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA query_only = 1")
    try:
        snapshot = prc_figures.administration(conn, code, SEMESTER, synthetic.ANCHOR)
    finally:
        conn.close()
    encode(snapshot)  # what issuing stores
    pdf, xlsx = prc_report_files.both(snapshot, "fr")
    seconds = time.perf_counter() - started
    peak_mb = next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
                   if line.startswith("VmHWM:")) / 1024  # VmHWM: see bench/national.py
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "pdf": len(pdf), "xlsx": len(xlsx),
                      "lines": len(snapshot["lines"]), "sessions": len(snapshot["sessions"]),
                      "people": snapshot["achieved"]["people"]}))


def measure(path: Path) -> list[Figure]:
    code = ensure_plan(path)
    done = subprocess.run([sys.executable, "-m", "bench.prc_report", str(path), code],
                          capture_output=True, text=True, check=True, timeout=600)
    r = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"prc report: {code} {SEMESTER}, {r['lines']} lines, {r['sessions']} sessions, "
          f"{r['people']} people; PDF {r['pdf'] / 1e3:.0f} kB, XLSX {r['xlsx'] / 1e3:.0f} kB")
    return [Figure("prc_report_s", r["seconds"]), Figure("prc_report_peak_mb", r["peak_mb"])]


if __name__ == "__main__":
    child(Path(sys.argv[1]), sys.argv[2])
