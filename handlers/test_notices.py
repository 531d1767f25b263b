"""Where the knowledge tests are offered: a button under the confirmation, the invitation a day
before the start, and the post-test ahead of the hot evaluation's invitation. Read at send
time: nothing is offered once the test is taken, closed, or the place is gone."""

from __future__ import annotations

from dataclasses import replace

from telegram import InlineKeyboardButton

from bot.context import Services
from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.services.notice_reads import OutboxRow
from handlers.knowledge_test import TakeTest
from handlers.ui import button, esc, keyboard


async def test_button(services: Services, t: Translator, registration_id: int,
                      phase: str) -> InlineKeyboardButton | None:
    """The button to take the test now, if there is one to take."""
    view = await services.test_taking.offered(registration_id, phase)
    if view is None:
        return None
    label = t._("🧠 Take the pre-test") if phase == "pre" else t._("🧠 Take the final test")
    return button(label, TakeTest(registration_id, phase))


async def with_test(services: Services, t: Translator, notice: Notice, registration_id: int,
                    phase: str) -> Notice:
    """The notice with the test's button on top, when there is a test to take."""
    first = await test_button(services, t, registration_id, phase)
    if first is None:
        return notice
    rows = [list(r) for r in notice.markup.inline_keyboard] if notice.markup else []
    return replace(notice, markup=keyboard([[first], *rows]))


async def _pre_test(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    view = await services.test_taking.offered(row.payload["registration"], "pre",
                                                                row.payload.get("starts_at"))
    if view is None:
        return None
    n = len(view.test.questions)
    text = t.ngettext(
        "🧠 Your training <b>{title}</b> starts tomorrow. Before it, a short test of {n} question "
        "tells you where you start; after it, the same kind of test shows what you learnt.",
        "🧠 Your training <b>{title}</b> starts tomorrow. Before it, a short test of {n} questions "
        "tells you where you start; after it, the same kind of test shows what you learnt.",
        n, title=esc(t.pick(*view.title)))
    take = button(t._("🧠 Take the pre-test"), TakeTest(view.registration_id, "pre"))
    return Notice(text, keyboard([[take]]))


RENDERERS = {"test_pre": _pre_test}
