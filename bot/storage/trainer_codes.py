"""Short trainer codes (F001, F002, …) that coordinators read in /roles and write in the
catalogue workbook's `formateur` column, instead of a Telegram id that no screen shows. A code
is given by the database itself when the trainer role is granted (a trigger), so no code path
that grants a role can forget it, and it never changes."""

from __future__ import annotations

import sqlite3

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS trainer_codes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,   -- the code's number: never reused
        user_id INTEGER NOT NULL UNIQUE
    )""",
    """CREATE TRIGGER IF NOT EXISTS trainer_code_on_grant AFTER INSERT ON roles WHEN NEW.role = 'trainer'
       BEGIN INSERT OR IGNORE INTO trainer_codes (user_id) VALUES (NEW.user_id); END""",
    # An erased person keeps no code (the number alone would still point at them).
    """CREATE TRIGGER IF NOT EXISTS trainer_code_on_erase AFTER DELETE ON users
       BEGIN DELETE FROM trainer_codes WHERE user_id = OLD.id; END""",
    """INSERT OR IGNORE INTO trainer_codes (user_id)
       SELECT user_id FROM roles WHERE role = 'trainer' ORDER BY granted_at, rowid""",
]


def code_of(number: int) -> str:
    return f"F{number:03d}"


def codes(conn: sqlite3.Connection) -> dict[int, str]:
    """Trainer code of every person who has one (user id → code)."""
    return {r[0]: code_of(r[1]) for r in conn.execute("SELECT user_id, id FROM trainer_codes")}


def trainers(conn: sqlite3.Connection) -> list[tuple[int, str | None, str | None, bool]]:
    """(user id, code, full name, holds the trainer role now) of everyone with a code or the role."""
    rows = conn.execute(
        """SELECT u.user_id, c.id, p.full_name,
                  EXISTS (SELECT 1 FROM roles r WHERE r.user_id = u.user_id AND r.role = 'trainer')
             FROM (SELECT user_id FROM trainer_codes
                   UNION SELECT user_id FROM roles WHERE role = 'trainer') u
             LEFT JOIN trainer_codes c ON c.user_id = u.user_id
             LEFT JOIN users p ON p.id = u.user_id
            ORDER BY c.id""").fetchall()
    return [(r[0], code_of(r[1]) if r[1] is not None else None, r[2], bool(r[3])) for r in rows]
