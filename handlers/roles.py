"""Invitations to a role (/invite), redeeming them (/start i_…), /roles with revoke, /audit."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.services.access import access_of
from bot.services.roles import ROLES
from handlers import invites, roles_revoke
from handlers.audit_log import audit_command
from handlers.commands import set_personal_menu
from handlers.roles_text import role_label
from handlers.ui import answer, button, esc, keyboard, nav_row, parse, say, show, to_int

PAGE = 8


async def _manager(update: Update, context: BotContext) -> bool:
    if (await context.access()).manages_sessions:
        return True
    text = context.t._("This command is reserved for administrators and national coordinators.")
    await (answer(update, text, alert=True) if update.callback_query else say(update, text))
    return False


async def invite_command(update: Update, context: BotContext) -> None:
    """/invite: which role?"""
    if not await _manager(update, context):
        return
    t = context.t
    rows = [[button(t._("A trainer"), "rl", "new", "trainer")],
            [button(t._("A focal point (one administration)"), "rl", "admins", 0)],
            [button(t._("A national coordinator"), "rl", "new", "coordinator")],
            [button(t._("📨 Invitations waiting"), "rl", "pending", 0)]]
    await show(update, t.to_person("Whom do you want to invite?"), keyboard(rows))


async def pick_administration(update: Update, context: BotContext, page: int) -> None:
    t = context.t
    admins = context.services.reference.administrations
    pages = max(1, -(-len(admins) // PAGE))
    page = min(max(0, page), pages - 1)
    rows = [[button(t.pick(a.name_fr, a.name_ar), "rl", "new", "focal_point", a.code)]
            for a in admins[page * PAGE:(page + 1) * PAGE]]
    rows.append(nav_row(t, page, pages, "rl", "admins"))
    await show(update, t._("Focal point of which administration?"), keyboard(rows))


async def create(update: Update, context: BotContext, role: str, administration: str | None) -> None:
    t = context.t
    if administration and context.services.reference.get("administrations", administration) is None:
        return await answer(update, t._("This button is no longer valid."), alert=True)
    token = await context.services.roles.invite(context.person.user_id, role, administration)
    await show(update, invites.link_text(context, token, role, administration))


async def redeem(update: Update, context: BotContext, token: str) -> None:
    """/start i_<token>: take the role the invitation grants."""
    t = context.t
    result = await context.services.roles.redeem(context.person.user_id, token)
    texts = {
        "already": t._("You already accepted this invitation."),
        "used": t.to_person("This invitation has already been used. Ask for a new one."),
        "expired": t.to_person("This invitation has expired. Ask for a new one."),
        "revoked": t._("This invitation was withdrawn."),
        "unknown": t._("This link is not valid (it may be incomplete or expired). Here is the main menu."),
    }
    if result.outcome != "granted":
        return await say(update, texts[result.outcome])
    access = await access_of(context.services.db, context.person.user_id, context.services.settings.admins)
    await set_personal_menu(context.bot, context.person.user_id, access)
    await say(update, t.to_person("Welcome! You are now {role}. Your commands are in the menu (/help).",
                                  role=esc(role_label(context, result.role, result.administration_code))))


async def roles_command(update: Update, context: BotContext, page: int = 0) -> None:
    """/roles: who holds which role, with a button to revoke (asked again before it happens)."""
    if not await _manager(update, context):
        return
    t = context.t
    holders = await context.services.roles.holders()
    waiting = [button(t._("📨 Invitations waiting"), "rl", "pending", 0)]
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
        rows.append([button(t._("Revoke {number}", number=t.number(i)), "rl", "rv", h["user_id"],
                            h["role"], h["administration_code"] or "-")])
    rows.append(nav_row(t, page, pages, "rl", "list"))
    rows.append(waiting)
    await show(update, "\n".join(lines), keyboard(rows))


async def on_button(update: Update, context: BotContext) -> None:
    if not await _manager(update, context):
        return
    parts = parse(update.callback_query.data, "rl") or []
    if len(parts) == 2 and parts[0] == "new" and parts[1] in ("trainer", "coordinator"):
        return await create(update, context, parts[1], None)
    if len(parts) == 3 and parts[0] == "new" and parts[1] == "focal_point":
        return await create(update, context, "focal_point", parts[2])
    if len(parts) == 2 and parts[0] == "admins" and to_int(parts[1]) is not None:
        return await pick_administration(update, context, to_int(parts[1]) or 0)
    if len(parts) == 2 and parts[0] == "list" and to_int(parts[1]) is not None:
        return await roles_command(update, context, to_int(parts[1]) or 0)
    if len(parts) == 1 and parts[0] == "menu":
        return await invite_command(update, context)
    if len(parts) == 4 and parts[0] in ("rv", "ry") and to_int(parts[1]) and parts[2] in ROLES:
        step = roles_revoke.confirm if parts[0] == "rv" else roles_revoke.revoke
        return await step(update, context, to_int(parts[1]) or 0, parts[2], parts[3])
    if len(parts) == 2 and parts[0] == "ra" and to_int(parts[1]):
        return await roles_revoke.pick_trainer(update, context, to_int(parts[1]) or 0)
    if len(parts) == 3 and parts[0] == "rt" and to_int(parts[1]) and to_int(parts[2]):
        return await roles_revoke.revoke(update, context, to_int(parts[1]) or 0, "trainer", "-",
                                         to_int(parts[2]))
    if len(parts) == 2 and parts[0] == "pending" and to_int(parts[1]) is not None:
        return await invites.pending(update, context, to_int(parts[1]) or 0)
    if len(parts) == 2 and parts[0] in ("iw", "is") and to_int(parts[1]):
        step = invites.withdraw if parts[0] == "iw" else invites.resend
        return await step(update, context, to_int(parts[1]) or 0)
    await answer(update, context.t._("This button is no longer valid."), alert=True)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("invite", invite_command))
    app.add_handler(CommandHandler("roles", roles_command))
    app.add_handler(CommandHandler("audit", audit_command))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^v1:rl:"))
