"""A knowledge test in the chat: one question per message, one tap per answer (a number is
typed), edited in place; at the end the score and the corrections, and for the post-test the
pre-test beside it ("avant 4/10 → après 8/10"). Progress lives on the `ktest` draft
(bot/services/test_taking.py): a command leaves the test, its button resumes it."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.people import Draft
from bot.services.test_taking import FLOW, TestTaking, TestView
from handlers.buttons import Callback, on
from handlers.questionnaire_buttons import OpenQuestionnaire
from handlers.ui import answer, button, esc, keyboard, pairs, say, show


@dataclass(frozen=True)
class TakeTest(Callback, feature="kt", action="o"):
    registration: int
    phase: str


@dataclass(frozen=True)
class Choose(Callback, feature="kt", action="a"):
    registration: int
    phase: str
    question: str
    code: str


@dataclass(frozen=True)
class Tick(Callback, feature="kt", action="m"):
    registration: int
    phase: str
    question: str
    code: str


@dataclass(frozen=True)
class Done(Callback, feature="kt", action="d"):
    registration: int
    phase: str
    question: str


def taking(context: BotContext) -> TestTaking:
    return context.services.test_taking


def points(t: Translator, score: float, maximum: float) -> str:
    return t._("{score}/{max}", score=t.number(round(score, 1)), max=t.number(round(maximum, 1)))


def refusal(t: Translator, outcome: str) -> str:
    return {
        "not_registered": t._("This test is for the people registered for the session."),
        "no_test": t._("This training has no test."),
        "closed": t._("The pre-test closed when the session started."),
        "not_open": t._("The final test opens at the end of the session."),
        "stale": t._("That button belongs to an earlier question. Here is the current one."),
        "invalid": t._("Please answer with the buttons below."),
        "buttons": t._("Please answer with the buttons below."),
        "number": t._("Please type a number."),
    }.get(outcome, t._("This button is no longer valid."))


def _header(t: Translator, view: TestView) -> str:
    phase = t._("pre-test") if view.phase == "pre" else t._("final test")
    return t._("🧠 <b>{title}</b> · {phase}", title=esc(t.pick(*view.title)), phase=phase)


def question(t: Translator, view: TestView) -> tuple[str, InlineKeyboardMarkup | None]:
    test = view.test
    q = test.question(view.step)
    lines = [_header(t, view), t._("Question {position}/{total}", position=t.number(q.position),
                                   total=t.number(len(test.questions))), "",
             f"<b>{esc(t.pick(q.label_fr, q.label_ar))}</b>"]
    rows = []
    if q.type in ("choice", "scale"):
        rows = [[button(t.pick(fr, ar), Choose(view.registration_id, view.phase, q.qid, code))]
                for code, fr, ar in q.options]
        lines.append(t.to_person("Tap your answer."))
    elif q.type == "multi":
        rows = pairs([button(("☑ " if code in view.selection else "☐ ") + t.pick(fr, ar),
                             Tick(view.registration_id, view.phase, q.qid, code))
                      for code, fr, ar in q.options], 1)
        rows.append([button(t._("✅ Done"), Done(view.registration_id, view.phase, q.qid))])
        lines.append(t.to_person("Tap every answer that applies, then “Done”."))
    else:
        lines.append(t.to_person("Type the number."))
    return "\n".join(lines), keyboard(rows)


def _shown(t: Translator, q, value: str | None) -> str:
    if value is None or value == "":
        return "—"
    if q.type == "number":
        return esc(value)
    chosen = value.split(",")
    return esc(t.join(t.pick(fr, ar) for code, fr, ar in q.options if code in chosen))


def result(t: Translator, view: TestView) -> tuple[str, InlineKeyboardMarkup | None]:
    r = view.result
    lines = [_header(t, view), t._("✅ Your answers are recorded. Your score: {score}.",
                                   score=points(t, r.score, r.max_score))]
    if view.pre is not None:
        lines.append(t._("Before the training {before} → after {after}",
                         before=points(t, *view.pre), after=points(t, r.score, r.max_score)))
    if r.passed:
        lines.append(t._("🎉 Pass mark reached: well done!"))
    lines += ["", t._("<b>Corrections</b>")]
    for qid, value, right, _ in r.corrections:
        q = view.test.question(qid)
        line = f"{'✅' if right else '❌'} {t.number(q.position)}. {esc(t.pick(q.label_fr, q.label_ar))}"
        if not right:
            line += "\n" + t._("Your answer: {answer} · the right one: {right}",
                               answer=_shown(t, q, value), right=_shown(t, q, q.correct))
        lines.append(line)
    rows = []
    if view.phase == "post":
        rows.append([button(t._("📝 Answer the questionnaire"),
                            OpenQuestionnaire(view.registration_id, "hot"))])
    return "\n".join(lines), keyboard(rows)


async def after(update: Update, context: BotContext, view: TestView, edit: bool = True) -> None:
    t = context.t
    if view.outcome == "already":
        r = view.result
        return await _tell(update, t._("You have already taken this test: {score}.",
                                       score=points(t, r.score, r.max_score)))
    if view.outcome == "done":
        text, markup = result(t, view)
    elif view.test is not None and view.outcome in ("question", "stale", "invalid", "buttons", "number"):
        if view.outcome != "question":
            await _tell(update, refusal(t, view.outcome))
            if view.outcome == "stale":  # show the current question from the draft
                view = await taking(context).open(context.person.user_id, view.registration_id, view.phase)
            edit = False
        text, markup = question(t, view)
    else:
        return await _tell(update, refusal(t, view.outcome))
    if update.callback_query is not None:
        await answer(update)
    await (show if edit and update.callback_query is not None else say)(update, text, markup)


async def _tell(update: Update, text: str) -> None:
    if update.callback_query is not None:
        await answer(update, text, alert=True)
    else:
        await say(update, text)


async def on_open(update: Update, context: BotContext, value: TakeTest) -> None:
    view = await taking(context).open(context.person.user_id, value.registration, value.phase)
    await after(update, context, view, edit=False)


async def on_choose(update: Update, context: BotContext, value: Choose) -> None:
    view = await taking(context).choose(context.person.user_id, value.registration, value.phase,
                                        value.question, value.code)
    await after(update, context, view)


async def on_tick(update: Update, context: BotContext, value: Tick) -> None:
    view = await taking(context).toggle(context.person.user_id, value.registration, value.phase,
                                        value.question, value.code)
    await after(update, context, view)


async def on_done(update: Update, context: BotContext, value: Done) -> None:
    view = await taking(context).done(context.person.user_id, value.registration, value.phase,
                                      value.question)
    await after(update, context, view)


class KnowledgeTest:
    """The typed answers of number questions. Every other update passes through (commands,
    buttons, search): the draft stays, so the test's button resumes it later."""

    name = FLOW
    escapable = False

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        message = update.message
        if update.callback_query is not None or message is None or not message.text \
                or message.text.startswith("/"):
            return False
        data = draft.data
        view = await taking(context).type_number(draft.user_id, data.get("r", 0), data.get("p", ""),
                                                 draft.step, message.text)
        if view.outcome not in ("question", "done", "number", "buttons"):
            # The test closed (or the place went) under the draft: it stops holding the chat.
            await context.services.people.drop_draft(draft.user_id, FLOW)
            return False
        await after(update, context, view, edit=False)


def register(app: Application) -> None:
    app.add_handler(on(TakeTest, on_open))
    app.add_handler(on(Choose, on_choose))
    app.add_handler(on(Tick, on_tick))
    app.add_handler(on(Done, on_done))
