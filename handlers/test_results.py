"""A session's knowledge-test results for its trainer: how many scored each mark out of 10 before
and after, and the questions most missed on the final test; never a name, and nothing for fewer
than 5 attempts (bot/services/test_scoring.py)."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.test_scoring import MIN_GROUP
from handlers import notices, test_notices
from handlers.announce_access import trainer_may
from handlers.buttons import Callback, StaleButton, on
from handlers.session_buttons import SessionView
from handlers.ui import button, esc, keyboard, show


@dataclass(frozen=True)
class TestResults(Callback, feature="ktr", action="s"):
    session: int


def _distribution(t: Translator, name: str, marks: dict[int, int] | None) -> list[str]:
    lines = [f"<b>{name}</b>"]
    if marks is None:
        return [*lines, t._("🔒 Fewer than {min} answers: hidden.", min=t.number(MIN_GROUP))]
    for mark, n in marks.items():
        lines.append(t.ngettext("{mark}/10: {n} person", "{mark}/10: {n} people", n, mark=t.number(mark)))
    return lines


async def on_results(update: Update, context: BotContext, press: TestResults) -> None:
    t = context.t
    if not await trainer_may(context, press.session):  # checked on every press
        raise StaleButton
    tests = context.services.knowledge_tests
    results = await tests.session_results(press.session)
    lines = [t._("🧠 <b>Knowledge test results</b>"), ""]
    lines += _distribution(t, t._("Before the training"), results.pre)
    lines += ["", *_distribution(t, t._("After the training"), results.post)]
    lines += ["", t._("<b>Most missed questions</b>")]
    if results.most_missed is None:
        lines.append(t._("🔒 Fewer than {min} answers: hidden.", min=t.number(MIN_GROUP)))
    elif not results.most_missed:
        lines.append(t._("None: every answer was right."))
    for _qid, fr, ar, share in results.most_missed or []:
        lines.append(t._("• {question} — {percent}% wrong", question=esc(t.pick(fr, ar)),
                         percent=t.number(round(share * 100))))
    rows = [[button(t._("⬅ Back"), SessionView(press.session))]]
    await show(update, "\n".join(lines), keyboard(rows))


def register(app: Application) -> None:
    notices.add(test_notices.RENDERERS)  # what this feature sends on its own (the outbox)
    app.add_handler(on(TestResults, on_results))
