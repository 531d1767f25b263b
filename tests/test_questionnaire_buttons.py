"""The questionnaire's buttons are typed callbacks (issue 15's grammar): every button it shows
unpacks as a declared action, and data that does not unpack exactly (an extra field, a word for
an id, an unknown kind) is refused with the one "no longer valid" answer and changes nothing."""

from __future__ import annotations

import pytest

from handlers.buttons import registered
from tests.conftest import db_row
from tests.test_evaluations import answers, attended


def typed(data: str) -> bool:
    return any(kind.unpack(data) is not None for kind in registered().values())


async def every_button_is_typed(message) -> None:
    for row in message.button_data:
        for data in row:
            assert data.startswith("v1:ev:") or data.startswith("v1:cert:") or data.startswith("v1:kt:"), data
            assert typed(data), data


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_every_questionnaire_button_is_a_declared_action(app, person, clock, lang, request):
    t = request.getfixturevalue(lang)
    people = [(7001, lang, "Amina El Idrissi", "F")]
    sid, regs, session = await attended(app, person, clock, "T-EV-TYPED", people)
    amina, reg = regs[7001]
    await every_button_is_typed(amina.last_message)  # the invitation
    await amina.click(t._("📝 Answer the questionnaire"))
    await every_button_is_typed(amina.last_message)  # a scale question
    await amina.press(4)
    await every_button_is_typed(amina.last_message)  # with Back
    assert t._("⬅ Back") in amina.last_message.flat_buttons
    await amina.click(t._("⬅ Back"))
    assert "1/15" in amina.last_message.text
    await amina.send("/evaluations")
    await every_button_is_typed(amina.last_message)
    await amina.press(1)  # the command left it; reopened at the first unanswered question
    assert "2/15" in amina.last_message.text
    assert (await answers(app, reg))["objectives"][0] == 4


async def test_data_that_does_not_unpack_exactly_changes_nothing(app, person, clock, fr):
    sid, regs, session = await attended(app, person, clock, "T-EV-FORGED")
    amina, reg = regs[7001]
    await amina.click(fr._("📝 Answer the questionnaire"))
    question = amina.last_message
    good = question.button_data[2][0]  # "3 · …" on the first question
    rid, qn = good.split(":")[3:5]
    for forged in (good + ":extra", f"v1:ev:a:{rid}:x:objectives:3", f"v1:ev:a:{rid}:{qn}:objectives",
                   f"v1:ev:open:{reg}:tepid", f"v1:ev:ok:{rid}", f"v1:ev:e:{rid}:{qn}:summary:objectives"):
        await amina.click_data(forged, question)
        assert amina.last_answer["text"] == fr._("This button is no longer valid."), forged
    assert await answers(app, reg) == {}
    # The draft still holds the first question: the real button answers it.
    assert (await db_row(app, "SELECT step FROM drafts WHERE user_id = 7001 AND flow = 'questionnaire'")
            )[0] == "objectives"
    await amina.click_data(good, question)
    assert (await answers(app, reg))["objectives"][0] == 3 and "2/15" in amina.last_message.text


async def test_another_features_button_leaves_and_the_invitation_resumes(app, person, clock, fr):
    sid, regs, session = await attended(app, person, clock, "T-EV-LEAVE")
    amina, reg = regs[7001]
    invitation = amina.last_message
    await amina.click(fr._("📝 Answer the questionnaire"))
    await amina.press(5)
    await amina.click(fr._("📄 My attestation"), invitation)  # another feature: the draft goes
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 7001 AND flow = 'questionnaire'") is None
    await amina.click(fr._("📝 Continue the questionnaire") if fr._("📝 Continue the questionnaire")
                      in invitation.flat_buttons else fr._("📝 Answer the questionnaire"), invitation)
    assert "2/15" in amina.last_message.text and (await answers(app, reg))["objectives"][0] == 5
