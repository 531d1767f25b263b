"""StepFlow's options for a flow whose state a service keeps (conversations/flow.py):
`service_step` (every draft step read by one step, readers answering `Shown`, nothing written by
the router), `keeps_draft_on_leave`, and a flow's own button that is forged or points at what is
gone (StaleButton). Tested on a small flow of its own, added to the running app's router; the
questionnaire and the knowledge test use the same options (their own tests)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conversations.flow import STEP, FlowRouter, Shown, Step, StepFlow
from handlers.browse_buttons import Help
from handlers.buttons import Callback, StaleButton
from handlers.ui import plain, say
from tests.conftest import db_row, onboard


@dataclass(frozen=True)
class Bump(Callback, feature="zsvc", action="b"):
    to: int


async def _write_step(context, step: str) -> None:
    """What the service does in its own transaction: the draft's step is its current question."""
    await context.services.people.save_draft(context.person.user_id, "zsvc", step, {"kept": 1})


async def ask(update, context, data) -> None:
    await say(update, f"asked kept={data.get('kept')}")


async def read_text(context, data, typed):
    if typed == "gone":
        return False  # not for this flow: the draft goes, the features answer
    await _write_step(context, f"q{int(data[STEP][1:]) + 1}")
    return Shown(lambda update, ctx: say(update, f"{typed} at {data[STEP]}"))


async def read_bump(context, data, value: Bump):
    if value.to < 0:
        raise StaleButton  # points at what is no longer there
    await _write_step(context, f"q{value.to}")
    return Shown(lambda update, ctx: say(update, f"bumped to q{value.to}"))


class Toy(StepFlow):
    name = "zsvc"
    service_step = "answer"
    keeps_draft_on_leave = True
    steps = {"answer": Step(ask, text=read_text, buttons={Bump: read_bump})}


def _router(app) -> FlowRouter:
    """The router the app runs (held by its first handler's closure)."""
    for handlers in app.handlers.values():
        for handler in handlers:
            for cell in getattr(handler.callback, "__closure__", None) or ():
                if isinstance(cell.cell_contents, FlowRouter):
                    return cell.cell_contents
    raise AssertionError("no FlowRouter")


async def _draft(app, user_id: int):
    row = await db_row(app, "SELECT step FROM drafts WHERE user_id = ? AND flow = 'zsvc'", user_id)
    return row[0] if row else None


@pytest.fixture
async def toy(app):
    router = _router(app)
    router.flows["zsvc"] = Toy()
    yield
    router.flows.pop("zsvc")


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_every_draft_step_is_read_by_the_service_step_and_the_service_writes(app, toy, person,
                                                                                    lang):
    c = person(9950, lang)
    await onboard(app, 9950, lang)
    await app.bot_data.people.save_draft(9950, "zsvc", "q7", {"kept": 1})
    await c.send("hello")  # "q7" is no step of the flow: read by its service step, not dropped
    assert c.last_message.text == "hello at q7"
    assert await _draft(app, 9950) == "q8"  # the service's write stands: the router wrote nothing
    await c.click_data(Bump(3).pack())
    assert c.last_answer is not None and c.last_message.text == "bumped to q3"
    assert await _draft(app, 9950) == "q3"
    await c.send_sticker()  # answers nothing: said so, then the step's question again
    assert c.last_message.text == "asked kept=1"
    assert await _draft(app, 9950) == "q3"


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_forged_or_gone_button_of_the_step_is_no_longer_valid(app, toy, person, fr, ar, lang):
    t = ar if lang == "ar" else fr
    c = person(9951, lang)
    await onboard(app, 9951, lang)
    await app.bot_data.people.save_draft(9951, "zsvc", "q1", {"kept": 1})
    for data in ("v1:zsvc:b:x", "v1:zsvc:b:1:extra", Bump(-1).pack()):
        await c.click_data(data)
        assert (c.last_answer["text"], c.last_answer.get("show_alert")) == (
            t._("This button is no longer valid."), True), data
        assert await _draft(app, 9951) == "q1"


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_command_or_foreign_button_goes_on_with_the_draft_kept(app, toy, person, fr, ar, lang):
    t = ar if lang == "ar" else fr
    c = person(9952, lang)
    await onboard(app, 9952, lang)
    await app.bot_data.people.save_draft(9952, "zsvc", "q2", {"kept": 1})
    await c.send("/help")
    assert c.last_message.text.startswith(plain(t._("<b>How to use e-TAMKEEN</b>")))
    assert await _draft(app, 9952) == "q2"
    await c.click_data(Help().pack())
    assert c.last_message.text.startswith(plain(t._("<b>How to use e-TAMKEEN</b>")))
    assert await _draft(app, 9952) == "q2"
    await c.send("/cancel")  # even /cancel: the features' /cancel answers, the draft waits
    assert c.last_message.text == t._("There is nothing to cancel.")
    assert await _draft(app, 9952) == "q2"
    await c.send("more")  # and the flow still reads what is typed, where it was
    assert c.last_message.text == "more at q2"
    await c.send("gone")  # a reader's False: the draft goes and the features answer
    assert await _draft(app, 9952) is None
