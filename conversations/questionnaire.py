"""Answering an evaluation questionnaire: one question per message, back, skip, a summary, send.

Driven by the `questionnaire` draft (step = question id) and the answers table, both written in
the transaction of each answer: a restart, or a pause of days, resumes at the same question. A
command leaves the questionnaire (answers are kept); the invitation's button or /evaluations
opens it again where it was."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services.evaluation_rules import TEXT_MAX
from bot.services.evaluations import FLOW, SUMMARY, View
from bot.services.people import Draft
from conversations import questionnaire_view as render
from conversations import service_buttons
from conversations.flow import STEP, Shown, Step, StepFlow
from handlers import questionnaire_buttons as b
from handlers.attestation import Attestation, Success
from handlers.buttons import StaleButton
from handlers.ui import answer, button, esc, keyboard, say, show

KINDS = ("hot", "cold")


def refusal(context: BotContext, outcome: str) -> str:
    t = context.t
    return {
        "not_attendee": t._("This questionnaire is for the people who attended the session."),
        "not_open": t._("This questionnaire is not open yet."),
        "closed": t._("This questionnaire is closed."),
        "submitted": t._("You have already sent this questionnaire. Thank you!"),
    }.get(outcome, t._("This button is no longer valid."))


def invalid(context: BotContext, reason: str) -> str:
    t = context.t
    return {
        "scale": t._("Please answer with a number from 1 to 5, or tap a button."),
        "text": t._("Please type your answer as a text message."),
        "number": t._("Please type a number."),  # a number question of an uploaded form
        "too_long": t._("That is too long: {max} characters at most.", max=t.number(TEXT_MAX)),
        "required": t._("This question needs an answer."),
        "edited": t._("Edited messages are not read: please send your answer as a new message."),
        "other": t._("Please answer with the buttons, or type your answer as text."),
    }.get(reason, t._("Please answer with the buttons below."))


async def _tell(update: Update, text: str) -> None:
    """A short explanation: a toast on a button, a message on text."""
    if update.callback_query is not None:
        await answer(update, text, alert=True)
    else:
        await say(update, text)


async def after(update: Update, context: BotContext, view: View, edit: bool = False) -> None:
    """Show what an action led to."""
    t = context.t
    if view.questionnaire is None:  # refused: nothing to show but why
        return await _tell(update, refusal(context, view.outcome))
    if view.outcome == "repeat":  # a double tap on an answer already recorded
        return await answer(update, t._("Already recorded."))
    if view.outcome == "done":
        return await _done(update, context, view)
    if view.outcome in ("stale", "incomplete") or view.outcome.startswith("invalid:"):
        reason = {"stale": t._("That button belongs to an earlier question. Here is the current one."),
                  "incomplete": t._("Some questions still need an answer.")}.get(view.outcome)
        await _tell(update, reason or invalid(context, view.outcome.split(":", 1)[1]))
        edit = False
    elif view.answered and update.callback_query is not None:
        await show(update, render.recap(t, view))  # the answered question keeps its answer
        edit = False
    text, markup = render.step(t, view)
    await (show if edit else say)(update, text, markup)


async def _done(update: Update, context: BotContext, view: View) -> None:
    t = context.t
    rows = []
    if view.questionnaire.kind == "hot":
        rows.append([button(t._("📄 My attestation"), Attestation(view.registration_id))])
        # The hot questionnaire is what a réussite may still wait for: offer it here too.
        if view.registration_id in await context.services.attestations.passed(context.person.user_id):
            rows.append([button(t._("🏅 My attestation de réussite"), Success(view.registration_id))])
    await show(update, t._("✅ Thank you! Your answers have been sent."), keyboard(rows))


def _svc(context: BotContext):
    return context.services.evaluations, context.person.user_id


async def _open(context: BotContext, value: b.OpenQuestionnaire) -> View:
    if value.kind not in KINDS:  # a forged or foreign kind: nothing to open
        raise StaleButton
    svc, uid = _svc(context)
    return await svc.open(uid, value.registration, value.kind)


async def _choose(context: BotContext, value: b.ChooseAnswer) -> View:
    svc, uid = _svc(context)
    return await svc.answer(uid, value.response, value.version, value.question, value.code, "button")


async def _skip(context: BotContext, value: b.SkipQuestion) -> View:
    svc, uid = _svc(context)
    return await svc.answer(uid, value.response, value.version, value.question, "", "skip")


async def _done_ticking(context: BotContext, value: b.DoneTicking) -> View:
    svc, uid = _svc(context)
    return await svc.answer(uid, value.response, value.version, value.question, "", "done")


async def _tick(context: BotContext, value: b.TickAnswer) -> View:
    svc, uid = _svc(context)
    return await svc.toggle(uid, value.response, value.version, value.question, value.code)


async def _back(context: BotContext, value: b.BackQuestion) -> View:
    svc, uid = _svc(context)
    return await svc.move(uid, value.response, value.version, value.question, None)


async def _edit(context: BotContext, value: b.EditAnswer) -> View:
    """From the summary to one question (the service refuses it from anywhere else)."""
    svc, uid = _svc(context)
    return await svc.move(uid, value.response, value.version, SUMMARY, value.question)


async def _send(context: BotContext, value: b.SendAnswers) -> View:
    svc, uid = _svc(context)
    return await svc.submit(uid, value.response, value.version)


# Each button's action, and whether its result replaces the pressed message (True) or follows it.
ACTIONS: service_buttons.Actions = {
    b.OpenQuestionnaire: (_open, False), b.ChooseAnswer: (_choose, False), b.SkipQuestion: (_skip, False),
    b.DoneTicking: (_done_ticking, False), b.TickAnswer: (_tick, True), b.BackQuestion: (_back, True),
    b.EditAnswer: (_edit, True), b.SendAnswers: (_send, False)}


async def ask(update: Update, context: BotContext, data: dict) -> None:
    """The current question again (after an update that answers nothing)."""
    svc, uid = _svc(context)
    await after(update, context, await svc.current(uid, data.get("r"), data.get("q")))


async def read_text(context: BotContext, data: dict, typed: str) -> Shown:
    """A typed answer to the current question; under the summary, only buttons are read."""
    svc, uid = _svc(context)
    rid, qn = data.get("r"), data.get("q")
    if data[STEP] == SUMMARY:
        view = await svc.current(uid, rid, qn)
        if view.questionnaire is not None:
            view = replace(view, outcome="invalid:buttons")
    else:
        view = await svc.answer(uid, rid, qn, data[STEP], typed, "text")
    return Shown(lambda update, ctx: after(update, ctx, view))


class Questionnaire(StepFlow):
    """State is the service's: the response's answers and the draft (step = question id), both
    written in the transaction of each answer. A command or another feature's button leaves (the
    answers stay); the invitation's button or /evaluations resumes at the same question."""

    name = FLOW
    service_step = "answer"
    steps = {"answer": Step(ask, text=read_text,
                            buttons=service_buttons.readers(ACTIONS, after))}

    def off_question(self, update: Update, context: BotContext) -> str:
        return invalid(context, "other")  # a sticker, a photo

    async def cancel(self, update: Update, context: BotContext, draft: Draft) -> None:
        """/cancel leaves the questionnaire; the answers stay for later."""
        await context.services.evaluations.leave(draft.user_id)
        await say(update, context.t._("Stopped for now: your answers are kept. Continue whenever "
                                      "you like with /evaluations."))


async def evaluations_command(update: Update, context: BotContext) -> None:
    """/evaluations: the questionnaires waiting for the person's answers."""
    t = context.t
    waiting = await context.services.evaluations.open_for(context.person.user_id)
    if not waiting:
        return await say(update, t._("You have no questionnaire to answer at the moment."))
    kinds = {"hot": t._("right after the training"), "cold": t._("some months later")}
    rows = [[button(f"📝 {t.pick(fr, ar)} · {kinds[kind]}", b.OpenQuestionnaire(reg_id, kind))]
            for reg_id, kind, fr, ar, _closes in waiting]
    lines = [t._("<b>Questionnaires waiting for your answers</b>")]
    # One whole message per line: a call inside an f-string escapes extraction (it was shown
    # in English).
    lines += [t._("• {title} — until {date}", title=esc(t.pick(fr, ar)), date=t.date(closes))
              for _, _, fr, ar, closes in waiting]
    await say(update, "\n".join(lines), keyboard(rows))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("evaluations", evaluations_command))
    for handler in service_buttons.handlers(ACTIONS, after):
        app.add_handler(handler)
