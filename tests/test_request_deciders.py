"""A request for a place says who really decides on it (bot/services/approvers.py): the focal
point, another focal point when the person asking is one, or the national team when nobody else
in their administration can — on the toast and on the session card, in French and Arabic."""

from __future__ import annotations

import pytest

from bot.i18n import translator
from tests.conftest import grant, make_session, onboard


async def ask(app, person, uid, lang, sex, ref, admin="MEF", role=None):
    sid = await make_session(app, ref, needs_approval=True)
    await onboard(app, uid, lang, administration_code=admin, sex=sex)
    if role:
        await grant(app, uid, role, admin)
    c = person(uid, lang)
    await c.start(f"s_{sid}")
    await c.click(translator(lang)._("📝 Ask for a place"))
    c.session_id = sid
    return c


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_the_request_names_who_decides(app, person, lang):
    she, he = translator(lang, "F"), translator(lang, "M")
    await onboard(app, 7500, "fr", administration_code="MEF")
    await grant(app, 7500, "focal_point", "MEF")

    # A focal point of an administration with another one: that other one decides.
    c = await ask(app, person, 7501, lang, "F", "T-DEC-1", role="focal_point")
    assert c.last_answer["text"] == she.to_person(
        "📝 Request sent: another focal point of your administration decides, as nobody decides on "
        "their own request. You will be told of the decision.")
    assert she.to_person("📝 Your request is waiting for the approval of another focal point of "
                         "your administration.") in c.last_message.text
    assert "📝 Request sent to your focal point" not in c.last_answer["text"]

    # The only focal point of their administration, or an official of one without any: the
    # national team decides.
    for uid, admin, role, ref in ((7502, "MJ", "focal_point", "T-DEC-2"), (7503, "HCP", None, "T-DEC-3")):
        c = await ask(app, person, uid, lang, "M", ref, admin=admin, role=role)
        assert c.last_answer["text"] == he.to_person(
            "📝 Request sent to the national team: nobody else in your administration can decide on "
            "it. You will be told of the decision.")
        assert he.to_person("📝 Your request is waiting for the approval of the national team.") \
            in c.last_message.text
        await c.start(f"s_{c.session_id}")  # the card opened again, later
        assert he.to_person("📝 Your request is waiting for the approval of the national team.") \
            in c.last_message.text

    # An official whose administration has a focal point: that focal point, as before.
    c = await ask(app, person, 7504, lang, "M", "T-DEC-4")
    assert c.last_answer["text"] == he._("📝 Request sent to your focal point. You will be told of "
                                         "the decision.")
