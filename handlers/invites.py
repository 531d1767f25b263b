"""Pending invitations, from /invite and /roles: list, withdraw, send again (a new link)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.timeutil import from_db
from handlers.roles_buttons import InvitationsPage, InviteMenu, Resend, Withdraw
from handlers.roles_text import role_label
from handlers.ui import answer, button, esc, keyboard, nav_row, show

PAGE = 6


def link_text(context: BotContext, token: str, role: str, administration: str | None) -> str:
    t = context.t
    link = f"https://t.me/{context.services.bot_username}?start=i_{token}"
    return t.to_person("Send this link to the person. It works once, for {days} days, and "
                       "makes them {role}:\n{link}", days=t.number(7),
                       role=esc(role_label(context, role, administration)), link=esc(t.iso(link)))


async def pending(update: Update, context: BotContext, page: int = 0) -> None:
    t = context.t
    invites = await context.services.roles.pending()
    back = [button(t._("⬅ Back"), InviteMenu())]
    if not invites:
        return await show(update, t._("No invitation is waiting to be accepted."), keyboard([back]))
    pages = max(1, -(-len(invites) // PAGE))
    page = min(max(0, page), pages - 1)
    lines = [t.ngettext("<b>{n} invitation waiting</b>", "<b>{n} invitations waiting</b>", len(invites))]
    rows = []
    for i, inv in enumerate(invites[page * PAGE:(page + 1) * PAGE], start=page * PAGE + 1):
        role = role_label(context, inv["role"], inv["administration_code"])
        lines.append(t._("{number}. {role} — sent {sent} by {who}, valid until {until}",
                         number=t.number(i), role=esc(role),
                         sent=t.short_date(from_db(inv["created_at"])),
                         who=esc(t.iso(inv["created_by_name"] or t._("command line"))),
                         until=t.short_date(from_db(inv["expires_at"]))))
        # TRANSLATORS: buttons; {number} is the position of the invitation in the numbered list above.
        rows.append([button(t._("Withdraw {number}", number=t.number(i)), Withdraw(inv["id"])),
                     button(t._("New link {number}", number=t.number(i)), Resend(inv["id"]))])
    rows.append(nav_row(t, page, pages, InvitationsPage))
    rows.append(back)
    await show(update, "\n".join(lines), keyboard(rows))


async def withdraw(update: Update, context: BotContext, invite_id: int) -> None:
    t = context.t
    done = await context.services.roles.withdraw(context.person.user_id, invite_id)
    await answer(update, t._("Invitation withdrawn: its link no longer works.") if done
                 else t._("This invitation is no longer waiting."), alert=not done)
    await pending(update, context)


async def resend(update: Update, context: BotContext, invite_id: int) -> None:
    t = context.t
    result = await context.services.roles.resend(context.person.user_id, invite_id)
    if result is None:
        await answer(update, t._("This invitation is no longer waiting."), alert=True)
        return await pending(update, context)
    role, administration, token = result
    await show(update, t._("The previous link no longer works.") + "\n"
               + link_text(context, token, role, administration))
