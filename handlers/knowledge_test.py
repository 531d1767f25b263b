"""A knowledge test in the chat: one question per message, one tap per answer (a number is
typed), edited in place; at the end the score and the corrections, and for the post-test the
pre-test beside it ("avant 4/10 → après 8/10"). Progress lives on the `ktest` draft
(bot/services/test_taking.py): a command leaves the test, its button resumes it.

The same structure as the questionnaire's: the service writes the draft in the transaction that
checks and records each answer; every button is a typed Callback, read by the open test's one
`service_step` or, with no test open, by `on` (conversations/service_buttons.py); another
person's or a forged one gets the one "no longer valid" answer (StaleButton); every outcome is a
`TakingOutcome` with its own words in `refusal`."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.knowledge_tests import TakingOutcome as Out
from bot.services.test_taking import FLOW, TestTaking, TestView
from conversations import service_buttons
from conversations.flow import STEP, Shown, Step, StepFlow
from handlers.attestation import Success
from handlers.buttons import Callback, StaleButton, stale_text
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


def refusal(t: Translator, outcome: Out) -> str:
    """Why nothing was recorded. NOT_YOURS has no words of its own: it gets the one answer of
    stale buttons, which says nothing of whose registration it was."""
    return {
        Out.NOT_REGISTERED: t._("This test is for the people registered for the session."),
        Out.NO_TEST: t._("This training has no test."),
        Out.CLOSED: t._("The pre-test closed when the session started."),
        Out.NOT_OPEN: t._("The final test opens at the end of the session."),
        Out.STALE: t._("That button belongs to an earlier question. Here is the current one."),
        Out.INVALID: t._("Please answer with the buttons below."),
        Out.BUTTONS: t._("Please answer with the buttons below."),
        Out.NUMBER: t._("Please type a number."),
    }.get(outcome) or stale_text(t)


ASKED_AGAIN = (Out.STALE, Out.INVALID, Out.BUTTONS, Out.NUMBER)  # told why, then the question


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
    if r.passed:  # the attestation de réussite, beside the participation one
        # TRANSLATORS: button under the final test's score; the "attestation de réussite" is the
        # programme's certificate of success (the final test at or above the pass mark).
        rows.append([button(t._("🏅 My attestation de réussite"), Success(view.registration_id))])
    if view.phase == "post":
        rows.append([button(t._("📝 Answer the questionnaire"),
                            OpenQuestionnaire(view.registration_id, "hot"))])
    return "\n".join(lines), keyboard(rows)


async def after(update: Update, context: BotContext, view: TestView, edit: bool = True) -> None:
    t = context.t
    if view.outcome == Out.NOT_YOURS and update.callback_query is not None:
        raise StaleButton  # answered by `on`, as every forged or foreign button
    if view.outcome == Out.ALREADY:
        r = view.result
        return await _tell(update, t._("You have already taken this test: {score}.",
                                       score=points(t, r.score, r.max_score)))
    if view.outcome == Out.DONE:
        text, markup = result(t, view)
    elif view.test is not None and view.outcome in (Out.QUESTION, *ASKED_AGAIN):
        if view.outcome != Out.QUESTION:
            await _tell(update, refusal(t, view.outcome))
            if view.outcome == Out.STALE:  # show the current question from the draft
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


async def _open(context: BotContext, value: TakeTest) -> TestView:
    return await taking(context).open(context.person.user_id, value.registration, value.phase)


async def _choose(context: BotContext, value: Choose) -> TestView:
    return await taking(context).choose(context.person.user_id, value.registration, value.phase,
                                        value.question, value.code)


async def _tick(context: BotContext, value: Tick) -> TestView:
    return await taking(context).toggle(context.person.user_id, value.registration, value.phase,
                                        value.question, value.code)


async def _done(context: BotContext, value: Done) -> TestView:
    return await taking(context).done(context.person.user_id, value.registration, value.phase,
                                      value.question)


# Each button's action, and whether its result replaces the pressed message (the opening follows it).
ACTIONS: service_buttons.Actions = {
    TakeTest: (_open, False), Choose: (_choose, True), Tick: (_tick, True), Done: (_done, True)}


async def ask(update: Update, context: BotContext, data: dict) -> None:
    """The current question again (after an update that answers nothing)."""
    view = await taking(context).open(context.person.user_id, data.get("r", 0), data.get("p", ""))
    await after(update, context, view, edit=False)


async def read_number(context: BotContext, data: dict, typed: str) -> Shown | bool:
    view = await taking(context).type_number(context.person.user_id, data.get("r", 0), data.get("p", ""),
                                             data[STEP], typed)
    if view.outcome not in (Out.QUESTION, Out.DONE, Out.NUMBER, Out.BUTTONS):
        return False  # the test closed (or the place went) under the draft: it stops holding the chat
    return Shown(lambda update, ctx: after(update, ctx, view, edit=False))


class KnowledgeTest(StepFlow):
    """State is the service's: the answers so far on the draft (step = question id), written with
    each answer. A command or another feature's button goes on with the draft kept, so the test's
    button resumes it at the same question."""

    name = FLOW
    service_step = "answer"
    keeps_draft_on_leave = True
    steps = {"answer": Step(ask, text=read_number,
                            buttons=service_buttons.readers(ACTIONS, after))}


def register(app: Application) -> None:
    for handler in service_buttons.handlers(ACTIONS, after):
        app.add_handler(handler)
