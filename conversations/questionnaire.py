"""Answering an evaluation questionnaire: one question per message, back, skip, a summary, send.

Driven by the `questionnaire` draft (step = question id) and the answers table, both written in
the transaction of each answer: a restart, or a pause of days, resumes at the same question. A
command leaves the questionnaire (answers are kept); the invitation's button or /evaluations
opens it again where it was."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.services.evaluation_rules import TEXT_MAX
from bot.services.evaluations import FLOW, SUMMARY, View
from bot.services.people import Draft
from conversations import questionnaire_view as render
from conversations.flow import EscapableFlow
from handlers.attestation import Attestation
from handlers.ui import answer, button, esc, keyboard, parse, say, show, to_int

ACTIONS = {"a": "button", "s": "skip", "d": "done"}


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
    await show(update, t._("✅ Thank you! Your answers have been sent."), keyboard(rows))


async def on_button(update: Update, context: BotContext) -> None:
    """Every `ev` button, with or without an open draft: the service checks it all."""
    svc, uid = context.services.evaluations, context.person.user_id
    parts = parse(update.callback_query.data, "ev") or [""]
    action, args = parts[0], parts[1:]
    if action == "open" and len(args) == 2 and to_int(args[0]) is not None:
        return await after(update, context, await svc.open(uid, to_int(args[0]), args[1]))
    rid, qn = (to_int(args[0]), to_int(args[1])) if len(args) >= 2 else (None, None)
    if rid is None or qn is None:
        return await _tell(update, refusal(context, "stale"))
    more = args[2:]
    if action in ACTIONS and more:
        value = more[1] if len(more) > 1 else ""
        return await after(update, context, await svc.answer(uid, rid, qn, more[0], value, ACTIONS[action]))
    if action == "m" and len(more) == 2:
        return await after(update, context, await svc.toggle(uid, rid, qn, more[0], more[1]), edit=True)
    if action in ("b", "e") and more:
        target = more[1] if action == "e" and len(more) == 2 else None
        return await after(update, context, await svc.move(uid, rid, qn, more[0], target), edit=True)
    if action == "ok":
        return await after(update, context, await svc.submit(uid, rid, qn))
    await _tell(update, refusal(context, "stale"))


class Questionnaire(EscapableFlow):
    name = FLOW  # a command leaves; the answers stay

    async def cancel(self, update: Update, context: BotContext, draft: Draft) -> None:
        """/cancel leaves the questionnaire; the answers stay for later."""
        await context.services.evaluations.leave(draft.user_id)
        await say(update, context.t._("Stopped for now: your answers are kept. Continue whenever "
                                      "you like with /evaluations."))

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        svc = context.services.evaluations
        if update.callback_query is not None:
            if parse(update.callback_query.data, "ev") is None:
                await svc.leave(draft.user_id)
                return False  # another feature's button: the questionnaire waits
            return await on_button(update, context)
        rid, qn = draft.data.get("r"), draft.data.get("q")
        message = update.message
        reason = ("edited" if update.edited_message is not None else
                  "other" if message is None or not message.text else
                  "buttons" if draft.step == SUMMARY else None)
        if reason is not None:  # a sticker, a photo, an edit, or text under the summary
            view = await svc.current(draft.user_id, rid, qn)
            if view.questionnaire is not None:
                view = replace(view, outcome=f"invalid:{reason}")
            return await after(update, context, view)
        view = await svc.answer(draft.user_id, rid, qn, draft.step, message.text, "text")
        await after(update, context, view)


async def evaluations_command(update: Update, context: BotContext) -> None:
    """/evaluations: the questionnaires waiting for the person's answers."""
    t = context.t
    waiting = await context.services.evaluations.open_for(context.person.user_id)
    if not waiting:
        return await say(update, t._("You have no questionnaire to answer at the moment."))
    kinds = {"hot": t._("right after the training"), "cold": t._("some months later")}
    rows = [[button(f"📝 {t.pick(fr, ar)} · {kinds[kind]}", "ev", "open", reg_id, kind)]
            for reg_id, kind, fr, ar, _closes in waiting]
    lines = [t._("<b>Questionnaires waiting for your answers</b>")]
    # One whole message per line: a call inside an f-string escapes extraction (it was shown
    # in English).
    lines += [t._("• {title} — until {date}", title=esc(t.pick(fr, ar)), date=t.date(closes))
              for _, _, fr, ar, closes in waiting]
    await say(update, "\n".join(lines), keyboard(rows))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("evaluations", evaluations_command))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^v1:ev:"))
