"""Demo: two of the officials with a digital profile (bot/services/demo_learning.py) also took a
first self-assessment seven months before, lower in security and information, so /digitalprofile
shows the comparison ("Sécurité 1 → 3"). Their newest one is recent: no re-offer is due."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from bot.storage import self_assessment as assessments

COMPARED = 2  # officials with two assessments
EARLIER = timedelta(days=210)


def seed(conn: sqlite3.Connection, now: datetime) -> int:
    """Seeds the earlier assessments once (a second run finds them and adds nothing)."""
    framework = assessments.framework(conn)
    people = [r[0] for r in conn.execute(
        "SELECT user_id FROM assessments GROUP BY user_id ORDER BY user_id LIMIT ?", (COMPARED,))]
    made = 0
    for uid in people:
        if len(assessments.history(conn, uid)) != 1:
            continue
        ratings = {q.qid: 1 if q.area in ("safety", "info") else 2 for q in framework.questions}
        assessments.record(conn, uid, framework, ratings, now - EARLIER)
        made += 1
    return made
