"""The knowledge-test flow in the grammar (issues 15 and 17): every outcome of a step is a
`TakingOutcome`, each refusal has words of its own on the screen and the screens compare with
nothing else; another person's or a forged button gets the one stale-button answer; a command
leaves the test with its progress kept, and the test's button resumes it at the same question —
in French and in Arabic."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from bot.i18n import translator
from bot.services.knowledge_tests import TakingOutcome
from handlers.knowledge_test import Choose, TakeTest
from tests.conftest import db_row
from tests.test_attendance import session_with
from tests.test_outcomes import compared_with, function
from tests.test_tests_in_chat import AMINA, YOUSSEF, with_quiz

ROOT = Path(__file__).resolve().parent.parent
SAID_ELSEWHERE = {TakingOutcome.QUESTION, TakingOutcome.DONE, TakingOutcome.ALREADY,
                  TakingOutcome.NOT_YOURS}  # a question, the score, the score taken, stale


def enum_keys(node: ast.AST) -> set[str]:
    """The `Out.X` keys of the dicts in a function."""
    return {k.attr for d in ast.walk(node) if isinstance(d, ast.Dict)
            for k in d.keys if isinstance(k, ast.Attribute) and isinstance(k.value, ast.Name)
            and k.value.id == "Out"}


def test_every_refusal_has_words_and_the_screens_compare_only_named_outcomes():
    said = enum_keys(function("handlers/knowledge_test.py", "refusal"))
    assert said == {o.name for o in TakingOutcome} - {o.name for o in SAID_ELSEWHERE}
    for path in ("handlers/knowledge_test.py", "bot/services/test_taking.py"):
        assert compared_with(path, "outcome") == set(), path  # no bare string left


@pytest.mark.parametrize("who", [AMINA, YOUSSEF], ids=["fr", "ar"])
async def test_a_command_keeps_the_progress_and_foreign_buttons_are_stale(app, person, clock, who):
    uid, lang, _, sex = who
    t = translator(lang, sex)
    other = (7009, "fr", "Nadia Autre", "F")
    await with_quiz(app, clock)
    sid, regs = await session_with(app, person, "T-KT-FLOW", [who, other], starts_in_hours=72)
    client, reg = regs[uid]
    await client.click(t._("🧠 Take the pre-test"))
    first = client.last_message
    await client.press(1)  # question 1 answered: question 2 is on the screen
    draft = await db_row(app, "SELECT step, data FROM drafts WHERE user_id = ? AND flow = 'ktest'", uid)
    assert draft[0] == "q2"

    await client.send("/help")  # a command leaves the test ...
    assert t._("Please answer with the buttons below.") not in client.last_message.text
    assert tuple(await db_row(app, "SELECT step, data FROM drafts WHERE user_id = ?", uid)) == tuple(draft)
    await client.click_data(TakeTest(reg, "pre").pack())  # ... and its button resumes it there
    assert t._("Question {position}/{total}", position=t.number(2), total=t.number(3)) in \
        client.last_message.text.replace("<b>", "").replace("</b>", "")

    # Another person's registration, or forged data: the one answer of stale buttons.
    nadia_reg = regs[7009][1]
    for data in (Choose(nadia_reg, "pre", "q1", "online").pack(), TakeTest(nadia_reg, "pre").pack(),
                 TakeTest(reg, "mid").pack(), "v1:kt:a:" + str(reg)):
        await client.click_data(data)
        assert client.last_answer["text"] == t._("This button is no longer valid."), data
    assert json.loads((await db_row(app, "SELECT data FROM drafts WHERE user_id = ?", uid))[0])["a"] == \
        json.loads(draft[1])["a"]  # nothing recorded from them
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 7009") is None

    # A button of an earlier question: told, then the current question again.
    await client.click_data(Choose(reg, "pre", "q1", "online").pack(), first)
    assert client.last_answer["text"] == t._("That button belongs to an earlier question. Here is the "
                                             "current one.")
