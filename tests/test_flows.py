"""What every flow does the same (conversations/flow.py), shown on /newsession: a command, a
stale or foreign button, an edited message, a role lost and a restart in the middle."""

from __future__ import annotations

import pytest

from bot.services.access import Role
from handlers.access import refusal
from handlers.browse_buttons import Help
from handlers.ui import plain
from tests.conftest import db_row, drain, grant, onboard, start_app, stop_app
from tgsandbox.client import BotClient


async def _draft(app, user_id: int):
    row = await db_row(app, "SELECT flow, step FROM drafts WHERE user_id = ?", user_id)
    return tuple(row) if row else None


async def _at_start(app, c, user_id: int, lang: str) -> str:
    """A national coordinator who chose the first training of /newsession; its title."""
    await onboard(app, user_id, lang)
    await grant(app, user_id, "coordinator")
    await c.send("/newsession")
    title = c.last_message.buttons[0][0]
    await c.click(title)
    assert await _draft(app, user_id) == ("new_session", "start")
    return title


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_command_mid_flow_leaves_it_and_is_answered(app, person, lang, fr, ar):
    t = ar if lang == "ar" else fr
    c = person(9700, lang)
    await _at_start(app, c, 9700, lang)
    await c.send("/help")
    assert c.last_message.text.startswith(plain(t._("<b>How to use e-TAMKEEN</b>")))
    assert await _draft(app, 9700) is None
    await c.send("2027-02-10 09:00")  # no longer an answer: nothing is created or asked
    assert t._("End, as YYYY-MM-DD HH:MM.") not in [m.text for m in c.messages[-3:]]


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_stale_button_asks_again_and_a_foreign_one_leaves(app, person, lang, fr, ar):
    t = ar if lang == "ar" else fr
    c = person(9701, lang)
    title = await _at_start(app, c, 9701, lang)
    # The training list is still above: its button belongs to an earlier question.
    shown = await c.click(title)
    assert (c.last_answer["text"], c.last_answer.get("show_alert")) == (
        t._("Please answer the question below."), True)
    assert [m.text for m in shown] == [t._("Start, in Moroccan time, as YYYY-MM-DD HH:MM.")]
    assert await _draft(app, 9701) == ("new_session", "start")
    # A forged button of the same flow is refused the same way; the draft stays.
    await c.click_data("v1:ns:t:xyz")
    assert c.last_answer["text"] == t._("Please answer the question below.")
    assert c.last_message.text == t._("Start, in Moroccan time, as YYYY-MM-DD HH:MM.")
    assert await _draft(app, 9701) == ("new_session", "start")
    # Another feature's button leaves the flow, and works.
    await c.click_data(Help().pack())
    assert await _draft(app, 9701) is None
    assert c.last_message.text.startswith(plain(t._("<b>How to use e-TAMKEEN</b>")))


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_an_edited_answer_is_not_read(app, person, lang, fr, ar):
    t = ar if lang == "ar" else fr
    c = person(9702, lang)
    await _at_start(app, c, 9702, lang)
    await c.send("2027-02-10 09:00")
    await c.edit(None, "2027-02-11 09:00")
    assert c.last_message.text == t._("Edited messages are not read: please send a new message.")
    row = await db_row(app, "SELECT step, json_extract(data, '$.start') FROM drafts WHERE user_id = 9702")
    assert tuple(row) == ("end", "2027-02-10 09:00:00")


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_role_lost_mid_flow_is_told_and_the_draft_dropped(app, person, lang, fr, ar):
    t = ar if lang == "ar" else fr
    c = person(9703, lang)
    await _at_start(app, c, 9703, lang)
    before = (await db_row(app, "SELECT COUNT(*) FROM sessions"))[0]
    await app.bot_data.db.write(lambda conn: conn.execute("DELETE FROM roles WHERE user_id = 9703"))
    await c.send("2027-02-10 09:00")
    assert c.last_message.text == refusal(t, Role.NATIONAL)
    assert await _draft(app, 9703) is None
    assert (await db_row(app, "SELECT COUNT(*) FROM sessions"))[0] == before


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_restart_mid_flow_resumes_from_the_draft(server, clock, tmp_path, lang, fr, ar):
    t = ar if lang == "ar" else fr
    db_path = tmp_path / "bot.db"
    app = await start_app(server, clock, db_path)
    c = BotClient(app, server, user_id=9704, language_code=lang)
    await _at_start(app, c, 9704, lang)
    await c.send("2027-02-10 09:00")
    await stop_app(app)  # the bot goes down while the end is being typed

    app = await start_app(server, clock, db_path, seed=False)
    try:
        c = BotClient(app, server, user_id=9704, language_code=lang)
        await c.send("2027-02-10 12:00")
        assert c.last_message.text == t.to_person("Place in French (type it), or press Online.")
        row = await db_row(app, "SELECT step, json_extract(data, '$.start'), json_extract(data, '$.end')"
                                " FROM drafts WHERE user_id = 9704")
        assert tuple(row) == ("place", "2027-02-10 09:00:00", "2027-02-10 12:00:00")
    finally:
        await stop_app(app)


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_focal_point_who_lost_the_role_cannot_refuse_with_a_reason(app, person, lang, fr, ar):
    """The refusal's reason is a flow too: the role is checked when the reason comes, not only
    when Refuse was pressed."""
    from tests.test_approvals import setup_request

    t = ar if lang == "ar" else fr
    sid, official, focal = await setup_request(app, person, fr, user_id=9705, focal_id=9706,
                                               focal_lang=lang)
    await drain(app)
    await focal.click(t._("❌ Refuse"))
    await app.bot_data.db.write(lambda conn: conn.execute("DELETE FROM roles WHERE user_id = 9706"))
    await focal.send("Budget épuisé")
    assert focal.last_message.text == refusal(t, Role.COORDINATOR)
    assert await _draft(app, 9706) is None
    row = await db_row(app, "SELECT status, reason FROM registrations WHERE session_id = ?", sid)
    assert tuple(row) == ("requested", None)


def test_the_declared_flows_parse_no_callback_data_by_hand():
    """Their buttons are typed (handlers/buttons.py): nothing reads raw callback data."""
    import inspect

    from conversations import (
        announce,
        cancel_session,
        capacity,
        field_edit,
        field_texts,
        new_session,
        new_session_questions,
        onboarding,
        onboarding_buttons,
        profile_edit,
        profile_steps,
        reschedule,
    )
    from conversations import (
        refusal as refusal_flow,
    )
    from conversations.flow import StepFlow

    for module in (announce, cancel_session, capacity, field_edit, field_texts, new_session,
                   new_session_questions, onboarding, onboarding_buttons, profile_edit,
                   profile_steps, refusal_flow, reschedule):
        source = inspect.getsource(module)
        assert "parse(" not in source and "callback_query.data" not in source, module.__name__
    # Onboarding is declared as steps too: the router reads its buttons, no `save_*` does.
    assert isinstance(onboarding.Onboarding(), StepFlow)
    assert not hasattr(profile_steps.ProfileSteps, "choice")


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_editing_the_administration_searches_pages_and_saves(app, person, lang, fr, ar):
    """The profile edit's typed buttons: a search, its pages (kept in the draft), then a choice."""
    from conversations.profile_steps import ADMINISTRATION, edit_label

    t = ar if lang == "ar" else fr
    await onboard(app, 9707, lang)
    c = person(9707, lang)
    await c.send("/profile")
    await c.click(edit_label(t, ADMINISTRATION))
    await c.send("Ministère")
    pages = [t._("{page}/{pages}", page=t.number(n), pages=t.number(3)) for n in (1, 2)]
    assert pages[0] in [b for row in c.last_message.buttons for b in row]
    await c.click("▶")
    assert pages[1] in [b for row in c.last_message.buttons for b in row]
    row = await db_row(app, "SELECT step, json_extract(data, '$.admin_view') FROM drafts"
                            " WHERE user_id = 9707")
    assert tuple(row) == ("administration", '["q",1]')
    shown = await c.send_photo()
    assert shown[0].text == t._("Please answer with the buttons below.")
    await c.send("Justice")
    await c.click("وزارة العدل" if lang == "ar" else "Ministère de la Justice")
    assert c.last_answer["text"] == t._("Saved.")
    assert (await db_row(app, "SELECT administration_code FROM users WHERE id = 9707"))[0] == "MJ"
    assert await _draft(app, 9707) is None


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_the_page_counter_mid_flow_keeps_the_flow(app, person, lang, fr, ar):
    """Before, pressing "1/3" under the trainings of /newsession dropped the half-made session."""
    t = ar if lang == "ar" else fr
    await onboard(app, 9708, lang)
    await grant(app, 9708, "coordinator")
    c = person(9708, lang)
    await c.send("/newsession")
    counter = next(b for row in c.last_message.buttons for b in row if "/" in b)
    await c.click(counter)
    assert await _draft(app, 9708) == ("new_session", "training")
    await c.click("▶")
    assert t._("{page}/{pages}", page=t.number(2), pages=counter.split("/")[1]) in [
        b for row in c.last_message.buttons for b in row]


def test_every_flow_the_router_holds_is_a_step_flow():
    """One flow shape (issue 15): every flow is a StepFlow read by StepFlow's own `handle`;
    onboarding alone answers /cancel, /help, /privacy and /language before handing over to it."""
    from bot.flow_list import declared_flows
    from conversations.flow import StepFlow
    from conversations.onboarding import Onboarding

    onboarding, profile_edit, flows = declared_flows()
    assert flows[0] is onboarding and profile_edit in flows
    assert len({f.name for f in flows}) == len(flows)  # one draft name per flow
    for flow in flows:
        assert isinstance(flow, StepFlow), flow.name
        assert type(flow).handle is StepFlow.handle or isinstance(flow, Onboarding), flow.name
