"""Versioned schema migrations: ordered functions, each applied with its version bump in one
transaction. The version lives in SQLite's `user_version` header field, which is transactional.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from bot.storage import refdata
from bot.storage.db import Database, StorageError
from bot.storage.schema import V1, V2, V3, V4
from bot.text import fold

Migration = Callable[[sqlite3.Connection], None]


def _v1(conn: sqlite3.Connection) -> None:
    for statement in V1:
        conn.execute(statement)
    conn.executemany(
        "INSERT INTO regions (code, name_fr, name_ar, sort) VALUES (?, ?, ?, ?)",
        [(*r, i) for i, r in enumerate(refdata.REGIONS)],
    )
    conn.executemany(
        "INSERT INTO positions (code, name_fr, name_ar, sort) VALUES (?, ?, ?, ?)",
        [(*p, i) for i, p in enumerate(refdata.POSITIONS)],
    )
    conn.executemany(
        "INSERT INTO administrations (code, name_fr, name_ar, search_text) VALUES (?, ?, ?, ?)",
        [(c, fr, ar, fold(f"{c} {fr} {ar}")) for c, fr, ar in refdata.ADMINISTRATIONS],
    )
    conn.executemany(
        "INSERT INTO themes (code, name_fr, name_ar, kind, sort) VALUES (?, ?, ?, ?, ?)",
        [(*t, i) for i, t in enumerate(refdata.THEMES)],
    )


def _v2(conn: sqlite3.Connection) -> None:
    for statement in V2:
        conn.execute(statement)


def _v3(conn: sqlite3.Connection) -> None:
    for statement in V3:
        conn.execute(statement)


def _v4(conn: sqlite3.Connection) -> None:
    for statement in V4:
        conn.execute(statement)


def _evaluations(conn: sqlite3.Connection) -> None:
    # Attendance follow-up: questionnaires, responses, answers, attestations (issue: evaluations).
    from bot.storage.schema_evaluations import install

    install(conn)


def _indicators(conn: sqlite3.Connection) -> None:
    # Reporting facts kept by triggers, for dashboards and exports at national scale (issue:
    # back office, queries). Needs the evaluation tables: comes after _evaluations.
    from bot.storage.schema_indicators import install

    install(conn)


def _lighter_facts_triggers(conn: sqlite3.Connection) -> None:
    # A registration's insert no longer looks up evaluations it cannot have yet (the
    # registration benchmark: a third of a registration's database time went to its triggers).
    from bot.storage import schema_indicators, schema_scores

    for name, create in (("registration_facts_insert", schema_indicators.FACTS_INSERT),
                         ("score_cells_facts_insert", schema_scores.FACTS_INSERT)):
        conn.execute(f"DROP TRIGGER {name}")
        conn.execute(create)


def _inbox(conn: sqlite3.Connection) -> None:
    # Updates are kept until handled, so a crash loses none (issue 13: nothing lost).
    from bot.storage.inbox import SCHEMA

    for statement in SCHEMA:
        conn.execute(statement)


def _session_cancel_reason(conn: sqlite3.Connection) -> None:
    # Why a session was cancelled, told to its participants and its trainer (issue 14).
    conn.execute("ALTER TABLE sessions ADD COLUMN cancel_reason TEXT")


def _registration_outcomes(conn: sqlite3.Connection) -> None:
    # The dashboard shows pending and ended registrations apart from confirmed ones (issue 14).
    from bot.storage import schema_cells

    schema_cells.recount(conn)


def _trainer_codes(conn: sqlite3.Connection) -> None:
    # Trainers are designated in the catalogue workbook by a code shown in /roles (issue 14).
    from bot.storage.trainer_codes import SCHEMA

    for statement in SCHEMA:
        conn.execute(statement)


def _competence_plans(conn: sqlite3.Connection) -> None:
    # Issue 16: indicators that count people (attendance facts), administrations' parents,
    # competence plans with versions, lines and linked sessions, reserved places.
    from bot.storage import schema_people, schema_plans

    # Idempotent, like the steps after it: a database whose version was lowered (a test, or a
    # copy restored by hand) finds its tables here and the step adds nothing twice.
    def exists(name: str) -> bool:
        return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None

    if not exists("attendance_facts"):
        schema_people.install(conn)
    if not exists("plans"):
        schema_plans.install(conn)


def _learning(conn: sqlite3.Connection) -> None:
    # Questionnaires of every kind as versioned forms, knowledge tests, the digital-skills
    # self-assessment (issue 17). Rebuilds questionnaires and questions: see the module.
    from bot.storage.schema_learning import install

    install(conn)


def _parts_and_paths(conn: sqlite3.Connection) -> None:
    # Sessions in parts, attendance per part, paths, cohorts, e-learning (issue 17).
    from bot.storage import schema_parts

    schema_parts.install(conn)


def _quota_release(conn: sqlite3.Connection) -> None:
    # Reserved places are enforced at registration (issue 16): a quota whose release date has
    # come is marked released once its places were offered to the waitlist.
    columns = {r[1] for r in conn.execute("PRAGMA table_info(session_quotas)")}
    if "released_at" not in columns:
        conn.execute("ALTER TABLE session_quotas ADD COLUMN released_at TEXT")
    conn.execute("CREATE INDEX IF NOT EXISTS session_quotas_due ON session_quotas(release_at)"
                 " WHERE released_at IS NULL")


def _prc_reports(conn: sqlite3.Connection) -> None:
    # The semi-annual reports of the competence plans, frozen when issued, and the focal
    # points' commentaries (issue 16). Idempotent: see the module.
    from bot.storage import prc_reports

    prc_reports.install(conn)


def _path_attestations_and_coaching(conn: sqlite3.Connection) -> None:
    # Path attestations, kept as printed and verified like the others; coaching slots (issue 17).
    from bot.storage import coaching, path_attestations

    path_attestations.install(conn)
    coaching.install(conn)


def _needs_surveys(conn: sqlite3.Connection) -> None:
    # Needs surveys launched by a focal point and their answers (issue 16). Idempotent.
    from bot.storage import needs

    needs.install(conn)


def _attestation_kinds(conn: sqlite3.Connection) -> None:
    # The attestation de réussite beside the participation one: a kind on every attestation,
    # the existing ones 'participation' (issue 17). Rebuilds the table: see the module.
    from bot.storage import schema_attestations

    schema_attestations.install(conn)


def _cell_triggers_without_in_lists(conn: sqlite3.Connection) -> None:
    # The indicator cells' triggers test a status by comparisons instead of IN lists, which
    # SQLite re-indexed on every row: the same counts, a registration's change 40 times
    # cheaper (bot/storage/schema_cells.py). Idempotent: the triggers are replaced whole.
    from bot.storage import schema_cells

    schema_cells.replace_triggers(conn)


# Append only. Never edit a step that has shipped: write a new one.
MIGRATIONS: list[Migration] = [_v1, _v2, _v3, _v4, _evaluations, _indicators,
                               _lighter_facts_triggers, _inbox, _session_cancel_reason,
                               _registration_outcomes, _trainer_codes, _competence_plans,
                               _learning, _parts_and_paths, _quota_release,
                               _prc_reports, _path_attestations_and_coaching, _needs_surveys,
                               _attestation_kinds, _cell_triggers_without_in_lists]
LATEST = len(MIGRATIONS)


def version_of(name: str) -> int:
    """The schema version the migration of this name brings the database to (a test of one
    migration starts from the version before it, whatever was appended since)."""
    return [step.__name__ for step in MIGRATIONS].index(name) + 1


class DatabaseTooNew(StorageError):
    """The database was written by a newer release than this code."""


def current_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _apply(conn: sqlite3.Connection, target: int, steps: list[Migration]) -> list[int]:
    applied = []
    version = current_version(conn)
    if version > target:
        raise DatabaseTooNew(
            f"the database is at schema version {version}, this release knows up to {target}: "
            "upgrade the bot before using this database"
        )
    for number in range(version + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            steps[number - 1](conn)
            conn.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
        applied.append(number)
    return applied


async def migrate(db: Database, target: int = LATEST, steps: list[Migration] | None = None) -> list[int]:
    """Bring the database to `target`; return the versions applied. Refuse a newer database."""
    return await db.raw_write(_apply, target, steps or MIGRATIONS)


async def version(db: Database) -> int:
    return await db.read(current_version)
