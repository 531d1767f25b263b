"""Focal points decide on approval requests: from the request message or from /approvals.
Nobody decides on their own request (see bot/services/approvers.py)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services.access import Role
from bot.services.catalogue import PAGE_SIZE, clamp_page
from bot.services.people import REFUSAL
from handlers import notices
from handlers.access import requires
from handlers.approval_buttons import ApprovalsPage, Approve, Refuse, RefuseWithoutReason
from handlers.approval_notices import RENDERERS
from handlers.buttons import on
from handlers.ui import answer, button, esc, keyboard, nav_row, say, show


async def decide(update: Update, context: BotContext, reg_id: int, approve: bool,
                 reason: str | None = None) -> None:
    """Apply the decision and say what happened, in place of the buttons."""
    t = context.t
    result = await context.services.registrations.decide(context.person.user_id, reg_id, approve,
                                                          reason)
    context.services.wake_dispatcher()
    texts = {
        "confirmed": t._("✅ Approved: the person is registered and has been told."),
        "waitlisted": t._("✅ Approved, but the session is full: the person is on the waitlist and "
                          "has been told."),
        "refused_by_approver": t._("Refused: the person has been told."),
        "already": t._("This request was already decided or withdrawn."),
    }
    if result.outcome == "refused":
        text = refusal_text(context, result.refusal)
    else:
        text = texts[result.outcome]
    await answer(update, text if update.callback_query else None)
    await show(update, text) if update.callback_query else await say(update, text)


def refusal_text(context: BotContext, refusal: str | None) -> str:
    t = context.t
    return {"not_allowed": t._("You cannot decide on this request: it belongs to another "
                               "administration."),
            "own_request": t._("You cannot decide on your own request: another focal point of "
                               "your administration or the national team decides."),
            "closed": t._("This session is no longer open.")}.get(
        refusal or "", t._("This request no longer exists."))


async def ask_reason(update: Update, context: BotContext, reg_id: int) -> None:
    t = context.t
    refusal = await context.services.registrations.decision_refusal(context.person.user_id, reg_id)
    if refusal:
        return await answer(update, refusal_text(context, refusal), alert=True)
    await context.services.people.save_draft(context.person.user_id, REFUSAL, "reason",
                                             {"registration": reg_id})
    await answer(update)
    await say(update, t.to_person("Why do you refuse? Type a short reason for the person, or skip."),
              # TRANSLATORS: button under the question for a reason: refuse without giving one.
              keyboard([[button(t._("Skip"), RefuseWithoutReason(reg_id))]]))


async def on_approve(update: Update, context: BotContext, press: Approve) -> None:
    await decide(update, context, press.registration, True)


async def on_refuse(update: Update, context: BotContext, press: Refuse) -> None:
    await ask_reason(update, context, press.registration)


async def on_refuse_without_reason(update: Update, context: BotContext,
                                   press: RefuseWithoutReason) -> None:
    await decide(update, context, press.registration, False)


@requires(Role.COORDINATOR)
async def approvals(update: Update, context: BotContext, page: int = 0) -> None:
    """/approvals: the requests waiting for this focal point (never their own)."""
    t = context.t
    regs, total = await context.services.registrations.pending(context.person.user_id,
                                                               page * PAGE_SIZE, PAGE_SIZE)
    if not total:
        return await show(update, t._("No approval request is waiting."))
    page = clamp_page(page, total)
    lines = [t.ngettext("<b>{n} request waiting for a decision</b>",
                        "<b>{n} requests waiting for a decision</b>", total)]
    rows = []
    for i, reg in enumerate(regs, start=page * PAGE_SIZE + 1):
        name, session = await _describe(context, reg)
        lines.append(f"{t.number(i)}. {esc(t.iso(name))} — {session}")
        # TRANSLATORS: button; {number} is the position of the request in the numbered list above.
        rows.append([button(t._("✅ Approve {number}", number=t.number(i)), Approve(reg.id)),
                     # TRANSLATORS: button; {number} is the position of the request in the numbered list
                     # above.
                     button(t._("❌ Refuse {number}", number=t.number(i)), Refuse(reg.id))])
    rows.append(nav_row(t, page, -(-total // PAGE_SIZE), ApprovalsPage))
    await show(update, "\n".join(lines), keyboard(rows))


async def _describe(context: BotContext, reg) -> tuple[str, str]:
    t = context.t
    person = await context.services.people.load(reg.user_id)
    session = await context.services.catalogue.session(reg.session_id)
    name = person.profile.full_name if person.profile and person.profile.full_name else "—"
    what = (f"{esc(t.pick(session.title_fr, session.title_ar))}, {t.short_date(session.starts_at)}"
            if session else "—")
    return name, what


async def approvals_command(update: Update, context: BotContext) -> None:
    await approvals(update, context, 0)


async def on_page(update: Update, context: BotContext, press: ApprovalsPage) -> None:
    await approvals(update, context, press.page)


__all__ = ["Approve", "ApprovalsPage", "Refuse", "RefuseWithoutReason", "approvals", "decide"]


def register(app: Application) -> None:
    notices.add(RENDERERS)
    app.add_handler(CommandHandler("approvals", approvals_command))
    # The decision is checked again by the service (scope, own request, still waiting).
    app.add_handler(on(Approve, on_approve, requires=Role.COORDINATOR))
    app.add_handler(on(Refuse, on_refuse, requires=Role.COORDINATOR))
    app.add_handler(on(RefuseWithoutReason, on_refuse_without_reason, requires=Role.COORDINATOR))
    app.add_handler(on(ApprovalsPage, on_page, requires=Role.COORDINATOR))
