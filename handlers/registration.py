"""Registering from a session card (a clash asked about first), cancelling, seat offers
(declining asked twice), calendar files, interest lists; /mytrainings is in my_trainings.py."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services.catalogue import Filters
from bot.services.registrations import Result
from handlers import catalogue, notices
from handlers.buttons import StaleButton, no_longer_valid, on
from handlers.my_trainings import MyTrainings, my_trainings
from handlers.part_notices import send_part_files
from handlers.registration_buttons import (
    Accept,
    BackToCard,
    CalendarFile,
    Cancel,
    CancelConfirmed,
    Decline,
    DeclineConfirmed,
    Interest,
    Join,
    JoinAnyway,
    Keep,
)
from handlers.registration_notices import RENDERERS, calendar_file
from handlers.registration_view import request_sent, reserved_line, waitlist_line
from handlers.ui import answer, button, esc, keyboard, send_file, show


def refusal_text(context: BotContext, result: Result) -> str | None:
    """Why the service refused; None when the button was not (or no longer) the person's to press."""
    t = context.t
    texts = {
        "not_found": t._("This session no longer exists."),
        "cancelled": t._("This session has been cancelled."),
        "started": t._("This session has already started: registration is closed."),
        "closed": t._("The registration deadline for this session has passed."),
        "too_late": t._("It is too late to cancel: the session is about to start. Please tell "
                        "the trainer."),
        "no_offer": t._("This offer is no longer open."),
        "expired": t._("Sorry, this offer has expired and the place went to the next person."),
        "expired_free": t._("Sorry, this offer has expired. Nobody else was waiting, so the place "
                            "is free again: you can still register below."),
        "expired_closed": t._("Sorry, this offer has expired."),
    }
    return texts.get(result.refusal or "")


async def _refused(update: Update, context: BotContext, result: Result) -> None:
    text = refusal_text(context, result)
    await (answer(update, text, alert=True) if text else no_longer_valid(update, context))


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
    # TRANSLATORS: the session overlaps another the person is registered for.
    rows = [[button(t._("Yes, register anyway"), JoinAnyway(session_id)),
             button(t._("No, go back"), BackToCard(session_id))]]
    await show(update, "\n".join(lines), keyboard(rows))


async def join(update: Update, context: BotContext, session_id: int) -> None:
    t = context.t
    result = await context.services.registrations.join(context.person.user_id, session_id)
    context.services.wake_dispatcher()
    if result.outcome == "refused":
        await _refused(update, context, result)
    elif result.outcome == "requested":  # saying who really decides (not always a focal point)
        await answer(update, request_sent(t, await context.services.registrations.decided_by(
            context.person.user_id)))
    else:
        toast = {
            "confirmed": t.to_person("✅ You are registered! Your confirmation and calendar file follow."),
            "waitlisted": (reserved_line(t, result.position or 1, result.reserved_until)
                           if result.reserved else waitlist_line(t, result.position or 1)),
            "already": t.to_person("You are already registered for this session."),
        }[result.outcome]
        await answer(update, toast, alert=result.reserved)
    await _card(update, context, session_id, result)


async def ask_cancel(update: Update, context: BotContext, reg_id: int) -> None:
    t = context.t
    reg = await context.services.registrations.get(reg_id)
    if reg is None or reg.user_id != context.person.user_id:
        raise StaleButton
    session = await context.services.catalogue.session(reg.session_id)
    title = esc(t.pick(session.title_fr, session.title_ar)) if session else ""
    rows = [[button(t._("Yes, cancel"), CancelConfirmed(reg_id)),
             # TRANSLATORS: answer to “Do you really want to cancel your place?”: keep the place.
             button(t._("No, keep it"), Keep(reg_id))]]
    text = t.to_person("Do you really want to cancel your place in <b>{title}</b>?", title=title)
    cohort = (await context.services.paths.cohort_of_place(reg.user_id, reg.session_id)
              if reg.status == "confirmed" else None)  # a cohort's places are confirmed ones
    if cohort is not None:  # a cohort is followed whole: cancelling one session ends it all
        text += "\n" + t.nto_person(
            "This session belongs to your cohort {code} ({path}), booked whole: cancelling it "
            "cancels your place in its {n} session.",
            "This session belongs to your cohort {code} ({path}), booked whole: cancelling it "
            "cancels your places in all of its {n} sessions.", cohort["sessions"],
            code=esc(t.iso(cohort["code"])),
            path=esc(t.iso(t.pick(cohort["title_fr"], cohort["title_ar"]))))
    await show(update, text, keyboard(rows))


async def cancel(update: Update, context: BotContext, reg_id: int) -> None:
    t = context.t
    result = await context.services.registrations.cancel(context.person.user_id, reg_id)
    context.services.wake_dispatcher()
    if result.outcome == "refused":
        await _refused(update, context, result)
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
        raise StaleButton
    if reg.status != "offered":
        return await offer(update, context, reg_id, False)  # the service says why not
    session = await context.services.catalogue.session(reg.session_id)
    title = esc(t.pick(session.title_fr, session.title_ar)) if session else ""
    rows = [[button(t._("Yes, decline"), DeclineConfirmed(reg_id)),
             button(t._("No, keep the offer"), Keep(reg_id))]]
    await show(update, t.to_person("Do you really want to decline the place offered to you in "
                           "<b>{title}</b>? It will go to the next person, and you will leave the "
                           "waitlist.", title=title), keyboard(rows))


async def offer(update: Update, context: BotContext, reg_id: int, accept: bool) -> None:
    t = context.t
    result = await context.services.registrations.answer_offer(context.person.user_id, reg_id, accept)
    context.services.wake_dispatcher()
    if result.outcome == "refused":
        await _refused(update, context, result)
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
        raise StaleButton
    session = await context.services.catalogue.session(reg.session_id)
    if await send_part_files(update, context, reg, reg.session_id):
        return
    name, content = calendar_file(context.services, t, reg, session, "REQUEST")
    await answer(update)
    await send_file(update, t, InputFile(content, filename=name),
                    caption=t.to_person("📅 Add this file to your calendar."))


async def keep(update: Update, context: BotContext, press: Keep) -> None:
    reg = await context.services.registrations.get(press.registration)
    if reg is None or reg.user_id != context.person.user_id:
        raise StaleButton
    await _card(update, context, reg.session_id)


async def on_interest(update: Update, context: BotContext, press: Interest) -> None:
    now_on = await context.services.registrations.toggle_interest(context.person.user_id,
                                                                   press.training)
    if now_on is None:
        raise StaleButton
    await answer(update, context.t._("🔔 We will tell you when a new session opens.") if now_on
                 else context.t._("🔕 You will no longer be told about new sessions."))
    await catalogue.show_training(update, context, press.training, Filters(), 0)


def register(app: Application) -> None:
    notices.add(RENDERERS)
    app.add_handler(CommandHandler("mytrainings", my_trainings))
    app.add_handler(on(MyTrainings, lambda u, c, _: my_trainings(u, c)))
    app.add_handler(on(Join, lambda u, c, press: ask_join(u, c, press.session)))
    app.add_handler(on(JoinAnyway, lambda u, c, press: join(u, c, press.session)))
    app.add_handler(on(BackToCard, lambda u, c, press: _card(u, c, press.session)))
    app.add_handler(on(Cancel, lambda u, c, press: ask_cancel(u, c, press.registration)))
    app.add_handler(on(CancelConfirmed, lambda u, c, press: cancel(u, c, press.registration)))
    app.add_handler(on(Keep, keep))
    app.add_handler(on(Decline, lambda u, c, press: ask_decline(u, c, press.registration)))
    app.add_handler(on(Accept, lambda u, c, press: offer(u, c, press.registration, True)))
    app.add_handler(on(DeclineConfirmed, lambda u, c, press: offer(u, c, press.registration, False)))
    app.add_handler(on(CalendarFile, lambda u, c, press: send_calendar(u, c, press.registration)))
    app.add_handler(on(Interest, on_interest))
