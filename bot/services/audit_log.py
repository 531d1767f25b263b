"""The audit log as people read it: who (a name, the command line, or an erased person), what
(the action code, for the screen to label), on what (a session's reference, a person's name)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.storage import audit
from bot.storage.db import Database
from bot.timeutil import from_db


@dataclass(frozen=True)
class Who:
    kind: str  # person | erased | cli | unknown (a person the bot has no row for)
    name: str | None = None
    user_id: int | None = None


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor: Who
    action: str
    target_kind: str | None  # session | training | user | registration | broadcast | role | other | None
    target: str | None  # a session reference, a training code, an id, a role code, or the raw target
    target_person: Who | None
    details: dict


def _user_id(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# The details that hold a person's id, by action: shown as names (or "erased person").
_PEOPLE = {"trainer_assigned": ("trainer", "before")}


def _people(action: str, details: dict) -> list:
    return [details.get(key) for key in _PEOPLE.get(action, ())]


def _split(target: str | None) -> tuple[str | None, str | None]:
    if target and ":" in target:
        kind, _, rest = target.partition(":")
        return kind, rest
    return None, target


async def latest(db: Database, limit: int) -> tuple[list[Entry], int]:
    def read(conn: sqlite3.Connection):
        rows, total = audit.latest(conn, limit)
        people: set[int] = set()
        sessions: set[int] = set()
        trainings: set[int] = set()
        for r in rows:
            if r["actor_id"] is not None:
                people.add(r["actor_id"])
            kind, rest = _split(r["target"])
            if kind in ("user", "session", "training") and rest and rest.lstrip("-").isdigit():
                {"user": people, "session": sessions, "training": trainings}[kind].add(int(rest))
            details = json.loads(r["details"] or "{}")
            people.update(p for p in map(_user_id, _people(r["action"], details)) if p is not None)
        return (rows, total, audit.names(conn, people), audit.session_references(conn, sessions),
                audit.training_codes(conn, trainings))

    rows, total, names, references, codes = await db.read(read)

    def who(user_id: int | None) -> Who:
        if user_id is None:
            return Who("cli")
        if user_id < 0:  # erasure moves a person's actions to a tombstone (negative id)
            return Who("erased", user_id=user_id)
        if user_id not in names:
            return Who("unknown", user_id=user_id)
        return Who("person", names[user_id], user_id)

    entries = []
    for r in rows:
        details = json.loads(r["details"] or "{}")
        kind, rest = _split(r["target"])
        person = None
        if kind == "user" and rest and rest.lstrip("-").isdigit():
            person = who(int(rest))
        elif kind == "session" and rest and rest.isdigit():
            rest = references.get(int(rest), rest)
        elif kind == "training" and rest and rest.isdigit():
            rest = codes.get(int(rest), rest)
        elif kind is None and r["action"] in ("invite_created", "invite_redeemed"):
            kind = "role"
        for key in _PEOPLE.get(r["action"], ()):
            if _user_id(details.get(key)) is not None:
                details[key] = who(details[key])
        entries.append(Entry(from_db(r["at"]), who(r["actor_id"]), r["action"], kind, rest, person,
                             details))
    return entries, total
