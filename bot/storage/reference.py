"""Reference data: regions, administrations, positions, themes (all bilingual)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Ref:
    code: str
    name_fr: str
    name_ar: str


def _refs(rows) -> list[Ref]:
    return [Ref(r["code"], r["name_fr"], r["name_ar"]) for r in rows]


def regions(conn: sqlite3.Connection) -> list[Ref]:
    return _refs(conn.execute("SELECT code, name_fr, name_ar FROM regions ORDER BY sort, code"))


def positions(conn: sqlite3.Connection) -> list[Ref]:
    return _refs(conn.execute("SELECT code, name_fr, name_ar FROM positions ORDER BY sort, code"))


def themes(conn: sqlite3.Connection) -> list[Ref]:
    return _refs(conn.execute("SELECT code, name_fr, name_ar FROM themes ORDER BY sort, code"))


def administrations(conn: sqlite3.Connection, offset: int = 0, limit: int = 1000) -> list[Ref]:
    return _refs(
        conn.execute(
            "SELECT code, name_fr, name_ar FROM administrations WHERE active = 1 "
            "ORDER BY name_fr LIMIT ? OFFSET ?",
            (limit, offset),
        )
    )


def count_administrations(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM administrations WHERE active = 1").fetchone()[0]


def search_administrations(conn: sqlite3.Connection, folded_words: list[str], limit: int) -> list[Ref]:
    """Administrations whose folded names contain every word."""
    where = " AND ".join(["search_text LIKE ? ESCAPE '\\'"] * len(folded_words)) or "1"
    params = [f"%{_like(w)}%" for w in folded_words]
    return _refs(
        conn.execute(
            f"SELECT code, name_fr, name_ar FROM administrations WHERE active = 1 AND {where} "
            "ORDER BY name_fr LIMIT ?",
            (*params, limit),
        )
    )


def get(conn: sqlite3.Connection, table: str, code: str) -> Ref | None:
    assert table in {"regions", "administrations", "positions", "themes"}
    row = conn.execute(f"SELECT code, name_fr, name_ar FROM {table} WHERE code = ?", (code,)).fetchone()
    return Ref(row["code"], row["name_fr"], row["name_ar"]) if row else None


def _like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


like_escape = _like


def upsert_region(conn, code, name_fr, name_ar, sort=0) -> None:
    conn.execute(
        "INSERT INTO regions (code, name_fr, name_ar, sort) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(code) DO UPDATE SET name_fr = excluded.name_fr, name_ar = excluded.name_ar, "
        "sort = excluded.sort",
        (code, name_fr, name_ar, sort),
    )


def upsert_position(conn, code, name_fr, name_ar, sort=0) -> None:
    conn.execute(
        "INSERT INTO positions (code, name_fr, name_ar, sort) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(code) DO UPDATE SET name_fr = excluded.name_fr, name_ar = excluded.name_ar, "
        "sort = excluded.sort",
        (code, name_fr, name_ar, sort),
    )


def upsert_theme(conn, code, name_fr, name_ar, kind="operationnel", sort=0) -> None:
    conn.execute(
        "INSERT INTO themes (code, name_fr, name_ar, kind, sort) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(code) DO UPDATE SET name_fr = excluded.name_fr, name_ar = excluded.name_ar, "
        "kind = excluded.kind, sort = excluded.sort",
        (code, name_fr, name_ar, kind, sort),
    )


def upsert_administration(conn, code, name_fr, name_ar, search_text) -> None:
    conn.execute(
        "INSERT INTO administrations (code, name_fr, name_ar, search_text) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(code) DO UPDATE SET name_fr = excluded.name_fr, name_ar = excluded.name_ar, "
        "search_text = excluded.search_text",
        (code, name_fr, name_ar, search_text),
    )
