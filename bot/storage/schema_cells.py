"""Indicator cells: the reporting facts counted per session, kept by triggers on the facts.

Why: even narrow, a national all-time dashboard over one million facts costs about two seconds
in SQLite (a dozen aggregates a row, then a sort to group). Counted per session the same figures
take a few thousand rows: kind 'S' (session × sex) serves the totals and the breakdowns by sex,
modality and training; 'L' (session × administration × level × sex) the breakdowns by
administration and level, and everything of one administration; 'R' (session × region × sex) the
breakdown by region. Unknown values are stored as '' (keys cannot be NULL).
"""

from __future__ import annotations

import sqlite3


def _status_in(*states: str) -> str:
    """`{r}.status` is one of `states`, as comparisons joined by OR, not `IN (list)`: SQLite
    builds a temporary index for an IN list of constants once per run of a program, and a
    trigger's body runs anew for every row it fires for: written with IN, the cells' triggers
    built two dozen of them on every change of status, and a registration's status UPDATE took
    0.7-0.8 ms instead of 0.013 ms (measured on the facts alone, and by
    `python -m bench --statements` in the registration path)."""
    return "(" + " OR ".join(f"{{r}}.status = '{state}'" for state in states) + ")"


# Each counter, as the contribution of one facts row `{r}`.
COUNTERS = {
    "registrations": "1",
    "confirmed": _status_in("confirmed", "attended", "absent"),
    "waitlisted": _status_in("waitlisted", "offered"),
    # Every registration is exactly one of confirmed, pending or ended (the dashboard shows the
    # three so that "registrations" is never read as "people who have a place").
    "pending": _status_in("requested", "waitlisted", "offered"),
    "ended": _status_in("cancelled", "declined", "lapsed", "rejected"),
    "attended": "{r}.status = 'attended'",
    "absent": "{r}.status = 'absent'",
    "hot": "{r}.hot",
    "satisfaction_sum": "IFNULL({r}.satisfaction, 0)",
    "satisfaction_n": "{r}.satisfaction IS NOT NULL",
    "cold": "{r}.cold",
    "applied": "IFNULL({r}.applied, 0)",
    "applied_n": "{r}.applied IS NOT NULL",
}
# kind -> (administration, level, region) of the cell a facts row `{r}` counts in.
KINDS = {
    "S": ("''", "''", "''"),
    "L": ("IFNULL({r}.administration_code, '')", "IFNULL({r}.level, '')", "''"),
    "R": ("''", "''", "IFNULL({r}.region_code, '')"),
}
_KEY = "session_id, kind, administration_code, level, region_code, sex"

TABLES = [
    f"""CREATE TABLE indicator_cells (
        session_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('S', 'L', 'R')),
        administration_code TEXT NOT NULL,
        level TEXT NOT NULL,
        region_code TEXT NOT NULL,
        sex TEXT NOT NULL,
        {", ".join(f"{c} INTEGER NOT NULL DEFAULT 0" for c in COUNTERS)},
        PRIMARY KEY ({_KEY})
    ) WITHOUT ROWID""",
]


def _count(row: str, sign: str, before: str | None = None) -> str:
    """Add (sign '+') or take away ('-') one facts row's contributions to its three cells; with
    `before`, add the difference between `row` and `before` (same cells, e.g. a new status)."""
    def change(e: str) -> str:
        after = f"{sign}({e.format(r=row)})"
        return f"{after} - ({e.format(r=before)})" if before else after

    values = ", ".join(
        f"({row}.session_id, '{kind}', {', '.join(x.format(r=row) for x in where)}, IFNULL({row}.sex, ''), "
        + ", ".join(change(e) for e in COUNTERS.values()) + ")"
        for kind, where in KINDS.items())
    sets = ", ".join(f"{c} = {c} + excluded.{c}" for c in COUNTERS)
    return (f"INSERT INTO indicator_cells ({_KEY}, {', '.join(COUNTERS)}) VALUES {values}"
            f" ON CONFLICT ({_KEY}) DO UPDATE SET {sets}")


_SAME_CELLS = ("old.session_id = new.session_id AND old.sex IS new.sex AND old.administration_code IS"
               " new.administration_code AND old.level IS new.level AND old.region_code IS new.region_code")


def _tidy(row: str) -> str:
    """Cells nobody counts in any more go (a cancelled session's, a moved person's)."""
    return f"DELETE FROM indicator_cells WHERE session_id = {row}.session_id AND registrations = 0"


TRIGGERS = [
    f"""CREATE TRIGGER indicator_cells_insert AFTER INSERT ON registration_facts BEGIN
        {_count('new', '+')}; END""",
    # The frequent case, a new status or evaluation: the same cells, counted in one statement.
    f"""CREATE TRIGGER indicator_cells_change AFTER UPDATE ON registration_facts WHEN {_SAME_CELLS} BEGIN
        {_count('new', '+', before='old')}; END""",
    f"""CREATE TRIGGER indicator_cells_move AFTER UPDATE ON registration_facts WHEN NOT ({_SAME_CELLS})
        BEGIN {_count('old', '-')}; {_count('new', '+')}; {_tidy('old')}; END""",
    f"""CREATE TRIGGER indicator_cells_delete AFTER DELETE ON registration_facts BEGIN
        {_count('old', '-')}; {_tidy('old')}; END""",
]


def rebuild(conn: sqlite3.Connection) -> None:
    """Recount every cell from the facts (after a bulk load, and at installation)."""
    conn.execute("DELETE FROM indicator_cells")
    sums = ", ".join(f"SUM({e.format(r='f')})" for e in COUNTERS.values())
    for kind, where in KINDS.items():
        keys = ", ".join(x.format(r="f") for x in where)
        conn.execute(f"INSERT INTO indicator_cells ({_KEY}, {', '.join(COUNTERS)})"
                     f" SELECT f.session_id, '{kind}', {keys}, IFNULL(f.sex, ''), {sums}"
                     f" FROM registration_facts f GROUP BY 1, 2, 3, 4, 5, 6")


def recount(conn: sqlite3.Connection) -> None:
    """Give an existing table the counters it lacks, new triggers, and recount (a migration)."""
    have = {r[1] for r in conn.execute("PRAGMA table_info(indicator_cells)")}
    for column in COUNTERS:
        if column not in have:
            conn.execute(f"ALTER TABLE indicator_cells ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0")
    replace_triggers(conn)
    rebuild(conn)


def replace_triggers(conn: sqlite3.Connection) -> None:
    """Put this release's triggers in place of the ones the database has (same counts)."""
    for name in ("insert", "change", "move", "delete"):
        conn.execute(f"DROP TRIGGER IF EXISTS indicator_cells_{name}")
    for statement in TRIGGERS:
        conn.execute(statement)


def install(conn: sqlite3.Connection) -> None:
    for statement in TABLES + TRIGGERS:
        conn.execute(statement)
    rebuild(conn)
