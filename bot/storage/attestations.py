"""Attestations (of participation, de réussite), kept as printed, and the personal data this feature stores
(declared to the privacy module: export and erasure)."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import overload

from bot.storage import privacy
from bot.text import ascii_digits, clean_text
from bot.timeutil import from_db, to_db

# Crockford's base32: no I, L, O, U, so a code read aloud or typed is not mistaken.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 random bits: not guessable by trying


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str | None:
    """What a person typed, as a code (case, spaces, dashes, look-alikes, and the Eastern Arabic
    digits of an Arabic keyboard and invisible marks forgiven)."""
    text = "".join(c for c in ascii_digits(clean_text(raw)).upper() if c not in " -_.")
    text = text.translate(str.maketrans("OIL", "011"))
    if len(text) != CODE_LENGTH or any(c not in ALPHABET for c in text):
        return None
    return text


class AttestationKind(StrEnum):
    PARTICIPATION = "participation"
    SUCCESS = "success"  # the post-test at or above the pass mark (test_passes), and attended
    PATH = "path"  # a completed path: a table of its own (bot/storage/path_attestations.py)


@dataclass(frozen=True)
class Attestation:
    code: str
    registration_id: int
    full_name: str
    sex: str | None
    administration_fr: str
    administration_ar: str
    reference: str
    title_fr: str
    title_ar: str
    starts_at: datetime
    ends_at: datetime
    hours: float | None
    issued_at: datetime
    kind: AttestationKind = AttestationKind.PARTICIPATION
    score: float | None = None  # success: the post-test's points, its maximum, the pass mark
    max_score: float | None = None
    pass_mark: float | None = None


@overload
def _attestation(row: None) -> None: ...
@overload
def _attestation(row: sqlite3.Row) -> Attestation: ...
def _attestation(row: sqlite3.Row | None) -> Attestation | None:
    if row is None:
        return None
    return Attestation(row["code"], row["registration_id"], row["full_name"], row["sex"],
                       row["administration_fr"], row["administration_ar"], row["reference"],
                       row["title_fr"], row["title_ar"], from_db(row["starts_at"]),
                       from_db(row["ends_at"]), row["hours"], from_db(row["issued_at"]),
                       AttestationKind(row["kind"]), row["score"], row["max_score"], row["pass_mark"])


def by_code(conn: sqlite3.Connection, code: str) -> Attestation | None:
    return _attestation(conn.execute("SELECT * FROM attestations WHERE code = ?", (code,)).fetchone())


def of_registration(conn: sqlite3.Connection, registration_id: int,
                    kind: AttestationKind = AttestationKind.PARTICIPATION) -> Attestation | None:
    return _attestation(conn.execute("SELECT * FROM attestations WHERE registration_id = ? AND kind = ?",
                                     (registration_id, kind)).fetchone())


def test_pass(conn: sqlite3.Connection, registration_id: int) -> sqlite3.Row | None:
    """The registration's passed post-test: its points, maximum and the test's pass mark."""
    return conn.execute(
        """SELECT p.score, p.max_score, q.pass_mark FROM test_passes p
             JOIN test_attempts a ON a.id = p.attempt_id
             JOIN questionnaires q ON q.id = a.questionnaire_id
            WHERE p.registration_id = ?""", (registration_id,)).fetchone()


def issue(conn: sqlite3.Connection, registration_id: int, now: datetime,
          kind: AttestationKind = AttestationKind.PARTICIPATION) -> Attestation:
    """The registration's attestation of this kind: made once from what the database says now,
    then kept. A success needs the registration's test pass (the caller checks it)."""
    found = of_registration(conn, registration_id, kind)
    if found is not None:
        return found
    result: tuple[float | None, float | None, float | None] = (None, None, None)
    if kind == AttestationKind.SUCCESS:
        passed = test_pass(conn, registration_id)
        assert passed is not None  # checked by the caller in the same transaction
        result = (passed["score"], passed["max_score"], passed["pass_mark"])
    row = conn.execute(
        """SELECT u.full_name, u.sex, IFNULL(a.name_fr, '') AS afr, IFNULL(a.name_ar, '') AS aar,
                  s.reference, t.title_fr, t.title_ar, s.starts_at, s.ends_at, t.duration_hours
             FROM registrations g JOIN users u ON u.id = g.user_id
             JOIN sessions s ON s.id = g.session_id JOIN trainings t ON t.id = s.training_id
             LEFT JOIN administrations a ON a.code = u.administration_code
            WHERE g.id = ?""", (registration_id,)).fetchone()
    hours = row["duration_hours"] or round(
        (from_db(row["ends_at"]) - from_db(row["starts_at"])).total_seconds() / 3600, 1)
    while True:  # a clash of 50-bit codes is next to impossible, but the key would refuse it
        code = new_code()
        if by_code(conn, code) is None:
            break
    conn.execute(
        "INSERT INTO attestations (code, registration_id, kind, full_name, sex, administration_fr,"
        " administration_ar, reference, title_fr, title_ar, starts_at, ends_at, hours, issued_at,"
        " score, max_score, pass_mark) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (code, registration_id, kind, row["full_name"] or "", row["sex"], row["afr"], row["aar"],
         row["reference"], row["title_fr"], row["title_ar"], row["starts_at"], row["ends_at"], hours,
         to_db(now), *result))
    issued = of_registration(conn, registration_id, kind)
    assert issued is not None  # inserted just above
    return issued


# --- personal data --------------------------------------------------------------------------------
def _mine(e: privacy.Erasure) -> tuple[int, ...]:
    # Registrations may already have moved to the erased person's tombstone (erased first).
    return (e.user_id,) if e.tombstone_id is None else (e.user_id, e.tombstone_id)


def _export_evaluations(conn: sqlite3.Connection, user_id: int, lang: str) -> list[dict]:
    label = "label_ar" if lang == "ar" else "label_fr"
    return [dict(r) for r in conn.execute(
        f"""SELECT s.reference AS session, r.kind, q.version, r.started_at, r.submitted_at, a.qid,
                   k.{label} AS question, a.score, a.choice, a.text, a.skipped
              FROM responses r JOIN registrations g ON g.id = r.registration_id
              JOIN sessions s ON s.id = g.session_id
              JOIN questionnaires q ON q.id = r.questionnaire_id
              LEFT JOIN answers a ON a.response_id = r.id
              LEFT JOIN questions k ON k.questionnaire_id = a.questionnaire_id AND k.qid = a.qid
             WHERE g.user_id = ? ORDER BY s.starts_at, r.kind, k.position""", (user_id,))]


def _erase_evaluations(e: privacy.Erasure) -> None:
    # Answers stay, anonymous: their registration now belongs to the tombstone. Exact times
    # could be matched with a log line, so only the day is kept.
    marks = ",".join("?" * len(_mine(e)))
    n = e.conn.execute(
        f"""UPDATE responses SET started_at = substr(started_at, 1, 10) || ' 00:00:00',
                updated_at = substr(updated_at, 1, 10) || ' 00:00:00',
                submitted_at = substr(submitted_at, 1, 10) || ' 00:00:00'
             WHERE registration_id IN (SELECT id FROM registrations WHERE user_id IN ({marks}))""",
        _mine(e)).rowcount
    e.count("evaluation_responses", n)


def _export_attestations(conn: sqlite3.Connection, user_id: int, lang: str) -> list[dict]:
    return [dict(r) for r in conn.execute(
        """SELECT a.code, a.kind, a.full_name, a.reference, a.title_fr, a.title_ar, a.starts_at, a.ends_at,
                  a.hours, a.score, a.max_score, a.pass_mark, a.issued_at
             FROM attestations a JOIN registrations g ON g.id = a.registration_id
            WHERE g.user_id = ? ORDER BY a.issued_at""", (user_id,))]


def _erase_attestations(e: privacy.Erasure) -> None:
    # They carry the name: they go (a verification then answers "not found").
    marks = ",".join("?" * len(_mine(e)))
    e.count("attestations", e.conn.execute(
        f"DELETE FROM attestations WHERE registration_id IN (SELECT id FROM registrations"
        f" WHERE user_id IN ({marks}))", _mine(e)).rowcount)


def declare_personal_data() -> None:
    """Tell the privacy module where this feature keeps something about a person."""
    from bot.storage import paths_privacy  # paths and e-learning (issue 17): same entry point

    paths_privacy.declare_personal_data()
    privacy.add_source(privacy.Source("evaluations", "responses", _export_evaluations, _erase_evaluations))
    privacy.add_source(privacy.Source("attestations", "attestations", _export_attestations,
                                      _erase_attestations))
