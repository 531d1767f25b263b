"""Knowledge tests before and after a training (issue 17): scores and corrections computed by
hand, the normalised gain only where both attempts exist (and defined when the pre-test is
perfect), distributions and most-missed questions hidden under 5, gains by group hidden under 5,
a pass on the post-test recorded for the attestation de réussite."""

from __future__ import annotations

import pytest

from bot.services.knowledge_tests import KnowledgeTests
from bot.services.questionnaire_forms import QuestionnaireForms
from bot.services.test_scoring import normalised_gain
from tests.conftest import db_row, make_session, onboard
from tests.test_questionnaire_forms import MODES, book, row

QUIZ = [row("q1", "single", fr="Le mode ?", ar="النمط؟", choices="modes", correct="online", points="2"),
        row("q2", "yes_no", fr="Sûr ?", ar="آمن؟", correct="no"),
        row("q3", "number", fr="Combien ?", ar="كم؟", correct="7")]
SETTINGS = ["quiz-cyber", "test", 1, "Quiz cybersécurité", "اختبار الأمن السيبراني", "CYB-101", "3"]
# (sex, pre answers, post answers): points by hand (q1 2, q2 1, q3 1; max 4) in the comments.
PEOPLE = {
    9201: ("F", ("room", "yes", "1"), ("online", "yes", "1")),  # 0 → 2
    9202: ("F", ("room", "no", "1"), ("online", "no", "1")),  # 1 → 3
    9203: ("F", ("online", "yes", "1"), ("online", "no", "7")),  # 2 → 4
    9204: ("F", ("online", "yes", "5"), ("online", "no", "7,0")),  # 2 → 4 (7,0 is 7)
    9205: ("F", ("room", "no", "7"), ("online", "no", "7")),  # 2 → 4
    9206: ("M", ("online", "no", "7"), ("online", "no", "1")),  # 4 → 3: the pre-test was perfect
}


def values(answers):
    return dict(zip(("q1", "q2", "q3"), answers, strict=True))


async def a_session_with_a_test(app, clock, reference="T-QUIZ"):
    assert (await QuestionnaireForms(app.bot_data.db, clock).apply(book(QUIZ, MODES, SETTINGS), None)).ok
    sid = await make_session(app, reference)
    regs = {}
    for uid, (sex, *_) in PEOPLE.items():
        await onboard(app, uid, sex=sex)
        assert (await app.bot_data.registrations.join(uid, sid)).outcome == "confirmed"
        regs[uid] = (await db_row(app, "SELECT id FROM registrations WHERE user_id = ?", uid))[0]
    return sid, regs


def test_the_normalised_gain_by_hand():
    assert normalised_gain(1, 4, 3, 4) == pytest.approx(2 / 3)  # (0.75 - 0.25) / (1 - 0.25)
    assert normalised_gain(5, 10, 4, 8) == 0.0  # two versions of different length: shares compare
    assert normalised_gain(4, 4, 4, 4) == 0.0  # nothing left to gain, nothing lost
    assert normalised_gain(4, 4, 3, 4) == -0.25  # a quarter of what was shown was lost
    assert normalised_gain(None, 4, 3, 4) is None and normalised_gain(2, 4, None, 4) is None


async def test_attempts_are_scored_corrected_and_passes_recorded(app, clock):
    sid, regs = await a_session_with_a_test(app, clock)
    tests = KnowledgeTests(app.bot_data.db, clock)
    pre = await tests.submit(9202, regs[9202], "pre", values(PEOPLE[9202][1]))
    assert (pre.outcome, pre.score, pre.max_score, pre.passed) == ("done", 1, 4, False)
    assert pre.corrections == [("q1", "room", False, 0.0), ("q2", "no", True, 1.0), ("q3", "1", False, 0.0)]
    assert await tests.gain(regs[9202]) is None  # only the pre-test so far
    post = await tests.submit(9202, regs[9202], "post", values(PEOPLE[9202][2]))
    assert (post.score, post.passed) == (3, True)  # the pass mark is 3
    assert await tests.gain(regs[9202]) == pytest.approx(2 / 3)
    assert await tests.eligible(regs[9202])
    assert (await tests.submit(9202, regs[9202], "post", values(PEOPLE[9202][2]))).outcome == "already"
    assert (await tests.submit(9201, regs[9202], "pre", {})).outcome == "not_yours"
    assert (await tests.submit(9201, regs[9201], "pre", {"q1": "bus"})).outcome == "invalid"
    # Passing the pre-test certifies nothing the training gave.
    perfect = await tests.submit(9206, regs[9206], "pre", values(PEOPLE[9206][1]))
    assert (perfect.score, perfect.passed) == (4, False) and not await tests.eligible(regs[9206])
    other = await make_session(app, "T-NOQUIZ", training="IA-101")
    assert (await app.bot_data.registrations.join(9201, other)).outcome == "confirmed"
    reg = (await db_row(app, "SELECT id FROM registrations WHERE user_id = 9201 AND session_id = ?",
                        other))[0]
    assert (await tests.submit(9201, reg, "pre", {})).outcome == "no_test"


async def test_trainers_see_distributions_and_the_most_missed_only_from_five(app, clock):
    sid, regs = await a_session_with_a_test(app, clock)
    tests = KnowledgeTests(app.bot_data.db, clock)
    for uid, (_, pre, post) in list(PEOPLE.items())[:4]:
        await tests.submit(uid, regs[uid], "pre", values(pre))
        await tests.submit(uid, regs[uid], "post", values(post))
    four = await tests.session_results(sid)
    assert (four.pre, four.post, four.most_missed) == (None, None, None)
    for uid, (_, pre, post) in list(PEOPLE.items())[4:]:
        await tests.submit(uid, regs[uid], "pre", values(pre))
        await tests.submit(uid, regs[uid], "post", values(post))
    six = await tests.session_results(sid)
    # Marks out of 10: pre 0, 1, 2, 2, 2, 4 of 4 → 0, 3 (2.5 rounded up), 5, 5, 5, 10.
    assert six.pre == {0: 1, 3: 1, 5: 3, 10: 1}
    assert six.post == {5: 1, 8: 2, 10: 3}  # 2, 3, 4, 4, 4, 3 of 4
    # Post-test: q3 missed by 9201, 9202, 9206 (3 of 6), q2 by 9201 (1 of 6), q1 by nobody.
    assert six.most_missed == [("q3", "Combien ?", "كم؟", 0.5), ("q2", "Sûr ?", "آمن؟", pytest.approx(1 / 6))]


async def test_coordinators_see_the_mean_gain_by_group_hidden_under_five(app, clock):
    # Only this test's people (the demo seeded at start-up has attempts of its own).
    await app.bot_data.db.write(lambda c: c.executescript(
        "DELETE FROM test_passes; DELETE FROM test_answers; DELETE FROM test_attempts;"))
    sid, regs = await a_session_with_a_test(app, clock)
    tests = KnowledgeTests(app.bot_data.db, clock)
    for uid, (_, pre, post) in PEOPLE.items():
        await tests.submit(uid, regs[uid], "pre", values(pre))
        await tests.submit(uid, regs[uid], "post", values(post))
    await onboard(app, 9207, sex="M")  # a pre-test only: no gain, counted nowhere
    assert (await app.bot_data.registrations.join(9207, sid)).outcome == "confirmed"
    reg = (await db_row(app, "SELECT id FROM registrations WHERE user_id = 9207"))[0]
    await tests.submit(9207, reg, "pre", values(PEOPLE[9201][1]))
    assert await tests.gain(reg) is None
    # Gains: 0.5, 2/3, 1, 1, 1 (women); -0.25 (the one man, hidden).
    by_sex, hidden = await tests.gains_by("sex")
    assert by_sex == {"F": (5, pytest.approx((0.5 + 2 / 3 + 3) / 5))} and hidden == 1
    by_position, hidden = await tests.gains_by("position")
    assert by_position == {"cadre": (6, pytest.approx((0.5 + 2 / 3 + 3 - 0.25) / 6))} and hidden == 0
    assert (await tests.gains_by("theme"))[0] == {"CYBER": (6, pytest.approx((0.5 + 2 / 3 + 3 - 0.25) / 6))}
    assert (await tests.gains_by("administration"))[0].keys() == {"MEF"}
