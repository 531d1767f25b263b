"""Invitations to a role (/invite), redeeming them (/start i_…), /roles with revoke, /audit."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services.access import Role, access_of
from bot.services.outcomes import Invitation
from handlers import invites, roles_revoke
from handlers.access import requires
from handlers.audit_log import audit_command
from handlers.buttons import StaleButton, on
from handlers.commands import set_personal_menu
from handlers.roles_buttons import (
    AdministrationsPage,
    HandOver,
    InvitationsPage,
    Invite,
    InviteFocalPoint,
    InviteMenu,
    Resend,
    Revoke,
    RevokeConfirmed,
    RevokeHandingOver,
    RolesPage,
    Withdraw,
)
from handlers.roles_text import role_label
from handlers.ui import button, esc, keyboard, nav_row, say, show

PAGE = 8


@requires(Role.NATIONAL)
async def invite_command(update: Update, context: BotContext) -> None:
    """/invite: which role?"""
    t = context.t
    # TRANSLATORS: answers to “Whom do you want to invite?” (buttons).
    rows = [[button(t._("A trainer"), Invite("trainer"))],
            [button(t._("A focal point (one administration)"), AdministrationsPage(0))],
            [button(t._("A national coordinator"), Invite("coordinator"))],
            [button(t._("📨 Invitations waiting"), InvitationsPage(0))]]
    await show(update, t.to_person("Whom do you want to invite?"), keyboard(rows))


async def pick_administration(update: Update, context: BotContext, page: int) -> None:
    t = context.t
    admins = context.services.reference.administrations
    pages = max(1, -(-len(admins) // PAGE))
    page = min(max(0, page), pages - 1)
    rows = [[button(t.pick(a.name_fr, a.name_ar), InviteFocalPoint(a.code))]
            for a in admins[page * PAGE:(page + 1) * PAGE]]
    rows.append(nav_row(t, page, pages, AdministrationsPage))
    await show(update, t._("Focal point of which administration?"), keyboard(rows))


async def create(update: Update, context: BotContext, role: str, administration: str | None) -> None:
    if administration and context.services.reference.get("administrations", administration) is None:
        raise StaleButton
    token = await context.services.roles.invite(context.person.user_id, role, administration)
    await show(update, invites.link_text(context, token, role, administration))


async def redeem(update: Update, context: BotContext, token: str) -> None:
    """/start i_<token>: take the role the invitation grants."""
    t = context.t
    result = await context.services.roles.redeem(context.person.user_id, token)
    texts = {
        Invitation.ALREADY: t._("You already accepted this invitation."),
        Invitation.USED: t.to_person("This invitation has already been used. Ask for a new one."),
        Invitation.EXPIRED: t.to_person("This invitation has expired. Ask for a new one."),
        Invitation.REVOKED: t._("This invitation was withdrawn."),
        Invitation.UNKNOWN: t._("This link is not valid (it may be incomplete or expired). Here is the "
                                "main menu."),
    }
    if result.outcome is not Invitation.GRANTED:
        return await say(update, texts[result.outcome])
    access = await access_of(context.services.db, context.person.user_id, context.services.settings.admins)
    await set_personal_menu(context.bot, context.person.user_id, access)
    await say(update, t.to_person("Welcome! You are now {role}. Your commands are in the menu (/help).",
                                  role=esc(role_label(context, result.role, result.administration_code))))


@requires(Role.NATIONAL)
async def roles_command(update: Update, context: BotContext, page: int = 0) -> None:
    """/roles: who holds which role, with a button to revoke (asked again before it happens)."""
    t = context.t
    holders = await context.services.roles.holders()
    waiting = [button(t._("📨 Invitations waiting"), InvitationsPage(0))]
    if not holders:
        return await show(update, t.to_person("Nobody holds a role yet. Use /invite."), keyboard([waiting]))
    pages = max(1, -(-len(holders) // PAGE))
    page = min(max(0, page), pages - 1)
    lines, rows = [t._("<b>Roles</b>")], []
    codes = await context.services.catalogue_import.trainer_codes()  # what the workbook's formateur takes
    for i, h in enumerate(holders[page * PAGE:(page + 1) * PAGE], start=page * PAGE + 1):
        label = role_label(context, h["role"], h["administration_code"])
        if h["role"] == "trainer" and h["user_id"] in codes:
            label += f" ({codes[h['user_id']]})"
        lines.append(f"{t.number(i)}. {esc(t.iso(h['full_name'] or str(h['user_id'])))} — {esc(label)}")
        # TRANSLATORS: button; {number} is the position of the person in the numbered list above.
        rows.append([button(t._("Revoke {number}", number=t.number(i)),
                            Revoke(h["user_id"], h["role"], h["administration_code"] or "-"))])
    rows.append(nav_row(t, page, pages, RolesPage))
    rows.append(waiting)
    await show(update, "\n".join(lines), keyboard(rows))


async def revoke(update: Update, context: BotContext, user_id: int, role: str, administration: str,
                 reassign_to: int | None = None) -> None:
    """Revoke, then the list of roles as it now is (unless another trainer must be chosen)."""
    if await roles_revoke.revoke(update, context, user_id, role, administration, reassign_to):
        await roles_command(update, context)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("invite", invite_command))
    app.add_handler(CommandHandler("roles", roles_command))
    app.add_handler(CommandHandler("audit", audit_command))
    for kind, callback in (
        (InviteMenu, lambda u, c, _: invite_command(u, c)),
        (Invite, lambda u, c, press: create(u, c, press.role, None)),
        (InviteFocalPoint, lambda u, c, press: create(u, c, "focal_point", press.administration)),
        (AdministrationsPage, lambda u, c, press: pick_administration(u, c, press.page)),
        (RolesPage, lambda u, c, press: roles_command(u, c, press.page)),
        (Revoke, lambda u, c, press: roles_revoke.confirm(u, c, press.user, press.role,
                                                          press.administration)),
        (RevokeConfirmed, lambda u, c, press: revoke(u, c, press.user, press.role,
                                                     press.administration)),
        (HandOver, lambda u, c, press: roles_revoke.pick_trainer(u, c, press.user)),
        (RevokeHandingOver, lambda u, c, press: revoke(u, c, press.user, "trainer", "-", press.to)),
        (InvitationsPage, lambda u, c, press: invites.pending(u, c, press.page)),
        (Withdraw, lambda u, c, press: invites.withdraw(u, c, press.invite)),
        (Resend, lambda u, c, press: invites.resend(u, c, press.invite)),
    ):
        app.add_handler(on(kind, callback, requires=Role.NATIONAL))
