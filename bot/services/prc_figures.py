"""The figures of a semi-annual report (issue 16), as a plain dict that is stored as JSON when
the report is issued (bot/services/prc_report.py) and rendered by prc_report_pdf / _xlsx.

Everything a rendering needs is in the dict, reference labels in both languages included, so a
renamed theme or an erased person never changes an issued report. Figures follow the plans'
rules (bot/storage/plan_progress.py): a line's people are the administration's officials who
attended one of its sessions and match its position, level and region; a person counts once
per line and once in the totals. Evaluation results of fewer than MIN_GROUP people are hidden.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import datetime

from bot.services.anonymity import MIN_GROUP
from bot.services.periods import semester as semester_period
from bot.services.plan_progress import progress
from bot.storage import plans as plans_repo
from bot.storage import prc_reports as repo
from bot.timeutil import from_db, to_db, to_local

SNAPSHOT_VERSION = 1


class NoPlan(LookupError):
    """The administration has no validated plan covering the semester."""


def _evaluation(rows: list) -> dict:
    """Hot and cold results of these attendances; a mean or a share only over MIN_GROUP people."""
    hot = {r["user_id"] for r in rows if r["hot"]}
    cold = {r["user_id"] for r in rows if r["cold"]}
    scored = [r for r in rows if r["satisfaction"] is not None]
    applied = [r for r in rows if r["applied"] is not None]
    out = {"hot": len(hot), "cold": len(cold), "satisfaction": None, "applied": None}
    if len({r["user_id"] for r in scored}) >= MIN_GROUP:
        out["satisfaction"] = round(sum(r["satisfaction"] for r in scored) / len(scored), 2)
    if len({r["user_id"] for r in applied}) >= MIN_GROUP:
        out["applied"] = round(100 * sum(r["applied"] for r in applied) / len(applied), 1)
    return out


def _figures(rows: list) -> dict:
    people = {r["user_id"]: r["sex"] for r in rows}
    return {"people": len(people), "women": sum(s == "F" for s in people.values()),
            "hours": round(sum(r["hours"] or 0 for r in rows), 2)}


def _by(rows: list, key: str, labels: dict | None) -> list[list]:
    """People per value of one dimension: [code, label fr, label ar, people], most first."""
    seen: dict[object, set[int]] = {}
    for r in rows:
        seen.setdefault(r[key], set()).add(r["user_id"])
    counts = Counter({k: len(v) for k, v in seen.items()})
    out = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is None, str(kv[0]))):
        fr, ar = (labels or {}).get(code, (None, None))
        out.append([code, fr, ar, n])
    return out


def _matches(line: sqlite3.Row, r: sqlite3.Row) -> bool:
    return all(line[f] is None or line[f] == r[f] for f in ("position_code", "level", "region_code"))


def administration(conn: sqlite3.Connection, code: str, semester: str, now: datetime) -> dict:
    """One administration's report for one semester ('2027-S1'). Raises NoPlan."""
    period = semester_period(semester)
    version = repo.plan_in_force(conn, code, int(semester[:4]))
    if version is None:
        raise NoPlan(code)
    start, end = period.bounds()
    refs = {t: repo.names(conn, t) for t in ("administrations", "themes", "positions", "regions")}
    lines = [ln for ln in plans_repo.lines(conn, version["id"]) if ln["semester"] == semester]
    sessions_of = {ln["id"]: repo.line_sessions(conn, ln, start, end) for ln in lines}
    union = sorted({s for ids in sessions_of.values() for s in ids})
    every = repo.attendances(conn, union, code)
    titles = repo.training_titles(conn, sorted({ln["training_id"] for ln in lines if ln["training_id"]}))
    elapsed = period.elapsed_share(now)
    out_lines, counted = [], {}
    for ln in lines:
        mine = set(sessions_of[ln["id"]])
        rows = [r for r in every if r["session_id"] in mine and _matches(ln, r)]
        counted.update({(r["session_id"], r["user_id"]): r for r in rows})
        got = _figures(rows)
        # a line's training is among `titles` (read for every line's training just above)
        fr, ar = (titles[ln["training_id"]] if ln["training_id"]
                  else refs["themes"].get(ln["theme_code"], (ln["theme_code"], ln["theme_code"])))
        out_lines.append({
            "id": ln["id"], "fr": fr, "ar": ar, "track": ln["track"], "priority": ln["priority"],
            "position": ln["position_code"] and [ln["position_code"],
                                                 *refs["positions"][ln["position_code"]]],
            "level": ln["level"],
            "region": ln["region_code"] and [ln["region_code"], *refs["regions"][ln["region_code"]]],
            "planned": {"people": ln["target_people"], "women": ln["target_women"],
                        "hours": ln["target_hours"]},
            "achieved": got, "sessions": len(mine),
            "status": progress(got["people"], ln["target_people"], elapsed).name.lower(),
            "by_sex": _by(rows, "sex", None), "by_position": _by(rows, "position_code", refs["positions"]),
            "by_region": _by(rows, "region_code", refs["regions"]), "evaluation": _evaluation(rows)})
    attendees: Counter[int] = Counter()
    for r in {(r["session_id"], r["user_id"]) for r in every}:
        attendees[r[0]] += 1
    held = [{"reference": s["reference"], "fr": s["title_fr"], "ar": s["title_ar"],
             "date": to_local(from_db(s["starts_at"])).date().isoformat(), "attendees": attendees[s["id"]]}
            for s in repo.sessions(conn, union)]
    comment = repo.commentary(conn, code, semester)
    adm_fr, adm_ar = refs["administrations"].get(code, (code, code))
    return {
        "kind": "administration", "v": SNAPSHOT_VERSION, "semester": semester,
        "administration": [code, adm_fr, adm_ar], "at": to_db(now),
        "plan": {"years": f"{version['start_year']}-{version['end_year']}", "version": version["number"],
                 "status": version["status"]},
        "planned": {k: sum(ln["planned"][k] for ln in out_lines) for k in ("people", "women", "hours")},
        "achieved": _figures(list(counted.values())), "lines": out_lines, "sessions": held,
        "evaluation": _evaluation(every),
        "commentary": dict(comment) if comment else None,
    }


def national(conn: sqlite3.Connection, semester: str, now: datetime) -> dict:
    """A row per administration with a plan in force in the semester's year."""
    semester_period(semester)  # checks the code
    rows = []
    for code in repo.administrations_with_plans(conn, int(semester[:4])):
        one = administration(conn, code, semester, now)
        rows.append({"administration": one["administration"], "plan": one["plan"],
                     "lines": len(one["lines"]), "planned": one["planned"], "achieved": one["achieved"],
                     "sessions": len(one["sessions"]), "evaluation": one["evaluation"],
                     "commentary": one["commentary"] is not None})
    total = {part: {k: round(sum(r[part][k] for r in rows), 2) for k in ("people", "women", "hours")}
             for part in ("planned", "achieved")}
    return {"kind": "national", "v": SNAPSHOT_VERSION, "semester": semester, "at": to_db(now),
            "rows": rows, **total, "sessions": sum(r["sessions"] for r in rows)}
