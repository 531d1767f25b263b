"""Registering from a session card (a clash asked about first), cancelling, seat offers
(declining asked twice), calendar files, interest lists; /mytrainings is in my_trainings.py."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.services.catalogue import Filters
from bot.services.registrations import Result
from handlers import catalogue
from handlers.my_trainings import my_trainings
from handlers.notices import calendar_file
from handlers.registration_view import request_sent, waitlist_line
from handlers.ui import answer, button, esc, keyboard, parse, show, to_int


def refusal_text(context: BotContext, result: Result) -> str:
    t = context.t
    texts = {
        "not_found": t._("This session no longer exists."),
        "cancelled": t._("This session has been cancelled."),
        "started": t._("This session has already started: registration is closed."),
        "closed": t._("The registration deadline for this session has passed."),
        "not_yours": t._("This button is no longer valid."),
        "too_late": t._("It is too late to cancel: the session is about to start. Please tell "
                        "the trainer."),
        "no_offer": t._("This offer is no longer open."),
        "expired": t._("Sorry, this offer has expired and the place went to the next person."),
        "expired_free": t._("Sorry, this offer has expired. Nobody else was waiting, so the place "
                            "is free again: you can still register below."),
        "expired_closed": t._("Sorry, this offer has expired."),
    }
    return texts.get(result.refusal or "", t._("This button is no longer valid."))


async def _card(update: Update, context: BotContext, session_id: int,
                result: Result | None = None) -> None:
    """The session's card; after a change, with the seats and registration it committed."""
    await catalogue.show_session(update, context, session_id, Filters(), result)


async def ask_join(update: Update, context: BotContext, session_id: int) -> None:
    """Register, unless the session overlaps another of the person's: then ask first."""
    clashes = await context.services.registrations.clashes(context.person.user_id, session_id)
    if not clashes:
        return await join(update, context, session_id)
    t = context.t
    lines = [t._("⚠️ This session overlaps with another one you are registered for:")]
    for sid in clashes[:5]:
        other = await context.services.catalogue.session(sid)
        if other:
            lines.append(f"• {esc(t.pick(other.title_fr, other.title_ar))} — "
                         f"{t.datetime(other.starts_at)}")
    lines.append(t.to_person("Do you want to register anyway?"))
    rows = [[button(t._("Yes, register anyway"), "reg", "joinok", session_id),
             button(t._("No, go back"), "reg", "back", session_id)]]
    await show(update, "\n".join(lines), keyboard(rows))


async def join(update: Update, context: BotContext, session_id: int) -> None:
    t = context.t
    result = await context.services.registrations.join(context.person.user_id, session_id)
    context.services.wake_dispatcher()
    if result.outcome == "refused":
        await answer(update, refusal_text(context, result), alert=True)
    elif result.outcome == "requested":  # saying who really decides (not always a focal point)
        await answer(update, request_sent(t, await context.services.registrations.decided_by(
            context.person.user_id)))
    else:
        toast = {
            "confirmed": t.to_person("✅ You are registered! Your confirmation and calendar file follow."),
            "waitlisted": waitlist_line(t, result.position or 1),
            "already": t.to_person("You are already registered for this session."),
        }[result.outcome]
        await answer(update, toast)
    await _card(update, context, session_id, result)


async def ask_cancel(update: Update, context: BotContext, reg_id: int) -> None:
    t = context.t
    reg = await context.services.registrations.get(reg_id)
    if reg is None or reg.user_id != context.person.user_id:
        return await answer(update, t._("This button is no longer valid."), alert=True)
    session = await context.services.catalogue.session(reg.session_id)
    title = esc(t.pick(session.title_fr, session.title_ar)) if session else ""
    rows = [[button(t._("Yes, cancel"), "reg", "cancelok", reg_id),
             button(t._("No, keep it"), "reg", "keep", reg_id)]]
    await show(update, t.to_person("Do you really want to cancel your place in <b>{title}</b>?", title=title),
               keyboard(rows))


async def cancel(update: Update, context: BotContext, reg_id: int) -> None:
    t = context.t
    result = await context.services.registrations.cancel(context.person.user_id, reg_id)
    context.services.wake_dispatcher()
    if result.outcome == "refused":
        await answer(update, refusal_text(context, result), alert=True)
    elif result.outcome == "already":
        await answer(update, t._("This registration was already cancelled."))
    else:
        await answer(update, t._("Your registration is cancelled."))
    if result.registration:
        await _card(update, context, result.registration.session_id, result)


async def ask_decline(update: Update, context: BotContext, reg_id: int) -> None:
    """Declining gives the place away for good: asked once more, as cancelling is."""
    t = context.t
    reg = await context.services.registrations.get(reg_id)
    if reg is None or reg.user_id != context.person.user_id:
        return await answer(update, t._("This button is no longer valid."), alert=True)
    if reg.status != "offered":
        return await offer(update, context, reg_id, False)  # the service says why not
    session = await context.services.catalogue.session(reg.session_id)
    title = esc(t.pick(session.title_fr, session.title_ar)) if session else ""
    rows = [[button(t._("Yes, decline"), "reg", "declineok", reg_id),
             button(t._("No, keep the offer"), "reg", "keep", reg_id)]]
    await show(update, t.to_person("Do you really want to decline the place offered to you in "
                           "<b>{title}</b>? It will go to the next person, and you will leave the "
                           "waitlist.", title=title), keyboard(rows))


async def offer(update: Update, context: BotContext, reg_id: int, accept: bool) -> None:
    t = context.t
    result = await context.services.registrations.answer_offer(context.person.user_id, reg_id, accept)
    context.services.wake_dispatcher()
    if result.outcome == "refused":
        await answer(update, refusal_text(context, result), alert=True)
    elif result.outcome in ("accepted", "already"):
        await answer(update, t.to_person(
            "✅ The place is yours! Your confirmation and calendar file follow."))
    else:
        await answer(update, t._("Understood: the place goes to the next person."))
    if result.registration:
        await _card(update, context, result.registration.session_id, result)


async def send_calendar(update: Update, context: BotContext, reg_id: int) -> None:
    t = context.t
    reg = await context.services.registrations.get(reg_id)
    if reg is None or reg.user_id != context.person.user_id or reg.status != "confirmed":
        return await answer(update, t._("This button is no longer valid."), alert=True)
    session = await context.services.catalogue.session(reg.session_id)
    name, content = calendar_file(context.services, t, reg, session, "REQUEST")
    await answer(update)
    await update.effective_chat.send_document(InputFile(content, filename=name),
                                              caption=t.to_person("📅 Add this file to your calendar."))


async def on_button(update: Update, context: BotContext) -> None:
    parts = parse(update.callback_query.data, "reg") or []
    target = to_int(parts[1]) if len(parts) == 2 else None
    if target is None:
        return await answer(update, context.t._("This button is no longer valid."), alert=True)
    action = parts[0]
    if action == "join":
        return await ask_join(update, context, target)
    if action == "joinok":
        return await join(update, context, target)
    if action == "back":
        return await _card(update, context, target)
    if action == "cancel":
        return await ask_cancel(update, context, target)
    if action == "cancelok":
        return await cancel(update, context, target)
    if action == "keep":
        reg = await context.services.registrations.get(target)
        if reg and reg.user_id == context.person.user_id:
            return await _card(update, context, reg.session_id)
    if action == "decline":
        return await ask_decline(update, context, target)
    if action in ("accept", "declineok"):
        return await offer(update, context, target, action == "accept")
    if action == "ics":
        return await send_calendar(update, context, target)
    await answer(update, context.t._("This button is no longer valid."), alert=True)


async def on_interest(update: Update, context: BotContext) -> None:
    parts = parse(update.callback_query.data, "int") or []
    training_id = to_int(parts[0]) if len(parts) == 1 else None
    now_on = None
    if training_id is not None:
        now_on = await context.services.registrations.toggle_interest(context.person.user_id,
                                                                       training_id)
    if now_on is None:
        return await answer(update, context.t._("This button is no longer valid."), alert=True)
    await answer(update, context.t._("🔔 We will tell you when a new session opens.") if now_on
                 else context.t._("🔕 You will no longer be told about new sessions."))
    await catalogue.show_training(update, context, training_id, Filters(), 0)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("mytrainings", my_trainings))
    app.add_handler(CallbackQueryHandler(my_trainings, pattern=r"^v1:my$"))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^v1:reg:"))
    app.add_handler(CallbackQueryHandler(on_interest, pattern=r"^v1:int:"))
