"""Scoring knowledge tests and measuring what was learnt. Pure: no database, no Telegram.

Normalised gain (Hake 1998): g = (post − pre) / (max − pre), on shares of the maximum (so a pre-
and a post-test of different versions compare), only where both attempts exist. When the pre-test
is already perfect there is nothing left to gain and Hake's g is undefined; it is then defined as
0.0 if the post-test is perfect too, else (post − pre) / pre, the share of the knowledge shown
that was lost (the "normalised change" of Marx & Cummings 2007, which treats losses that way)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from bot.storage.conditions import canonical_number
from bot.storage.evaluations import Answer, Question, Questionnaire

MIN_GROUP = 5  # groups smaller than this are hidden (DESIGN 5.3)


def score_question(q: Question, value: str | None) -> tuple[bool, float]:
    """(right?, points earned) for one answer (None: not answered)."""
    if value is None or q.correct is None:
        return False, 0.0
    if q.type == "number":
        right = canonical_number(value) == q.correct
    elif q.type == "multi":
        right = {c for c in value.split(",") if c} == set(q.correct.split(","))
    else:
        right = value == q.correct
    return right, (q.points or 1.0) if right else 0.0


def max_score(qn: Questionnaire) -> float:
    return sum(q.points or 1.0 for q in qn.questions)


def score(qn: Questionnaire, values: Mapping[str, str]) -> list[tuple[str, str | None, bool, float]]:
    """Each question: (id, the answer or None when unanswered or not asked, right?, points)."""
    answers = {qid: Answer(choice=v) for qid, v in values.items()}
    out = []
    for q in qn.questions:
        value = values.get(q.qid) if qn.asked(q, answers) else None
        out.append((q.qid, value, *score_question(q, value)))
    return out


def passes(qn: Questionnaire, points: float) -> bool:
    return qn.pass_mark is not None and points >= qn.pass_mark


def normalised_gain(pre: float | None, pre_max: float, post: float | None, post_max: float) -> float | None:
    """g as defined in the module's docstring; None unless both scores exist."""
    if pre is None or post is None:
        return None
    before, after = pre / pre_max, post / post_max
    if before >= 1:
        return 0.0 if after >= 1 else (after - before) / before
    return (after - before) / (1 - before)


def out_of_ten(points: float, maximum: float) -> int:
    """A score on 0-10, rounded half up (distributions of tests of any length compare)."""
    return int(points * 10 / maximum + 0.5)


def distribution(scores: Iterable[tuple[float, float]]) -> dict[int, int] | None:
    """How many attempts scored each mark out of 10; None under MIN_GROUP attempts."""
    marks = Counter(out_of_ten(points, maximum) for points, maximum in scores)
    return dict(sorted(marks.items())) if sum(marks.values()) >= MIN_GROUP else None


def mean_by(rows: Iterable[tuple[object, float]]) -> tuple[dict[object, tuple[int, float]], int]:
    """Mean value per group, only groups of MIN_GROUP or more: ({group: (n, mean)}, hidden groups)."""
    groups: dict[object, list[float]] = {}
    for key, value in rows:
        groups.setdefault(key, []).append(value)
    shown = {k: (len(v), sum(v) / len(v)) for k, v in groups.items() if len(v) >= MIN_GROUP}
    return shown, len(groups) - len(shown)
