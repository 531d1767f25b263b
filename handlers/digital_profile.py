"""/digitalprofile — "My digital profile" (issue 17): the newest result (compared with the one
before), or what the self-assessment is and a button to start it; the offer made once after
onboarding; Tell me when, for a recommended training. The self-assessment itself is
conversations/self_assessment.py, the result handlers/digital_profile_result.py."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from conversations.self_assessment import begin, left_at, resume
from handlers import digital_profile_notices
from handlers.buttons import StaleButton, on
from handlers.digital_profile_buttons import Begin, DigitalProfile, Later, Notify, Previous, Rate, Resume
from handlers.digital_profile_result import send_result
from handlers.ui import answer, button, keyboard, say, show


def invitation(context: BotContext) -> tuple[str, object]:
    t = context.t
    text = t.to_person("🧭 <b>My digital profile</b>\nTake 3 minutes to rate yourself on 20 everyday digital "
                       "skills, one tap each: you will see your strengths, what to work on and the "
                       "trainings that fit.")
    return text, keyboard([[button(t._("▶️ Start"), Begin())],
                           # TRANSLATORS: a button: not now (the offer can be taken up later).
                           [button(t._("Later"), Later())]])


async def offer_profile(update: Update, context: BotContext) -> None:
    """Offered once, at the end of onboarding."""
    await say(update, *invitation(context))


def resume_offer(context: BotContext, data: dict, total: int) -> tuple[str, object]:
    t = context.t
    position, total_text = t.number(data["i"] + 1), t.number(total)
    text = t.to_person("🧭 <b>My digital profile</b>\nYou stopped at statement {position} of {total}: "
                       "your answers so far are kept.", position=position, total=total_text)
    return text, keyboard([
        # TRANSLATORS: a button: go on with the self-assessment at the statement where it stopped.
        [button(t._("▶️ Continue ({position}/{total})", position=position, total=total_text), Resume())],
        [button(t._("🔁 Start again"), Begin())]])


async def digital_profile(update: Update, context: BotContext) -> None:
    """/digitalprofile: a self-assessment left half-way first (continue or start again), else the
    newest result, or the invitation."""
    left = await left_at(context)
    if left is not None:
        framework = await context.services.self_assessment.framework()
        return await say(update, *resume_offer(context, left, len(framework.statements)))
    history = await context.services.self_assessment.history(context.person.user_id)
    if history:
        return await send_result(update, context, history)
    await say(update, *invitation(context))


async def on_later(update: Update, context: BotContext, press: Later) -> None:
    await show(update, context.t.to_person("Understood. Whenever you like: /digitalprofile."))


async def on_notify(update: Update, context: BotContext, press: Notify) -> None:
    """Onto the training's interest list (never off it: this button only adds)."""
    registrations, user_id, t = context.services.registrations, context.person.user_id, context.t
    if await registrations.is_interested(user_id, press.training):
        return await answer(update, t._("🔔 You are already on the list: we will tell you when a new "
                                        "session opens."), alert=True)
    if await registrations.toggle_interest(user_id, press.training) is None:
        raise StaleButton  # the training is gone
    await answer(update, t._("🔔 We will tell you when a new session opens."), alert=True)


async def finished_flow(update: Update, context: BotContext, press: object) -> None:
    """A statement's button once the self-assessment is over (or left): nothing to answer."""
    raise StaleButton


def register(app: Application) -> None:
    digital_profile_notices.register(app)
    app.add_handler(CommandHandler("digitalprofile", digital_profile))
    app.add_handler(on(DigitalProfile, lambda u, c, _: digital_profile(u, c)))
    app.add_handler(on(Begin, lambda u, c, _: begin(u, c)))
    app.add_handler(on(Later, on_later))
    app.add_handler(on(Resume, resume))
    app.add_handler(on(Notify, on_notify))
    app.add_handler(on(Rate, finished_flow))
    app.add_handler(on(Previous, finished_flow))
