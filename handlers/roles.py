"""Invitations to a role (/invite), redeeming them (/start i_…), /roles with revoke, /audit."""

from __future__ import annotations

import json

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.services.access import access_of
from bot.storage import audit
from bot.timeutil import from_db
from handlers.commands import set_personal_menu
from handlers.ui import answer, button, esc, keyboard, nav_row, parse, say, show, to_int

PAGE = 8


def role_label(context: BotContext, role: str, administration: str | None) -> str:
    t = context.t
    label = {"trainer": t._("trainer"), "focal_point": t._("focal point"),
             "coordinator": t._("national coordinator")}.get(role, role)
    if administration:
        admin = context.services.reference.get("administrations", administration)
        label += f" — {admin.code if admin else administration}"
    return label


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
            [button(t._("A national coordinator"), "rl", "new", "coordinator")]]
    await show(update, t._("Whom do you want to invite?"), keyboard(rows))


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
    link = f"https://t.me/{context.services.bot_username}?start=i_{token}"
    await show(update, t._("Send this link to the person. It works once, for {days} days, and "
                           "makes them {role}:\n{link}", days=t.number(7),
                           role=esc(role_label(context, role, administration)), link=esc(t.iso(link))))


async def redeem(update: Update, context: BotContext, token: str) -> None:
    """/start i_<token>: take the role the invitation grants."""
    t = context.t
    result = await context.services.roles.redeem(context.person.user_id, token)
    texts = {
        "already": t._("You already accepted this invitation."),
        "used": t._("This invitation has already been used. Ask for a new one."),
        "expired": t._("This invitation has expired. Ask for a new one."),
        "revoked": t._("This invitation was withdrawn."),
        "unknown": t._("This link is not valid (it may be incomplete or expired). Here is the main menu."),
    }
    if result.outcome != "granted":
        return await say(update, texts[result.outcome])
    access = await access_of(context.services.db, context.person.user_id, context.services.settings.admins)
    await set_personal_menu(context.bot, context.person.user_id, access)
    await say(update, t._("Welcome! You are now {role}. Your commands are in the menu (/help).",
                          role=esc(role_label(context, result.role, result.administration_code))))


async def roles_command(update: Update, context: BotContext, page: int = 0) -> None:
    """/roles: who holds which role, with a button to revoke."""
    if not await _manager(update, context):
        return
    t = context.t
    holders = await context.services.roles.holders()
    if not holders:
        return await show(update, t._("Nobody holds a role yet. Use /invite."))
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
    await show(update, "\n".join(lines), keyboard(rows))


async def revoke(update: Update, context: BotContext, user_id: int, role: str, admin: str) -> None:
    t = context.t
    done = await context.services.roles.revoke(context.person.user_id, user_id, role,
                                               None if admin == "-" else admin)
    await answer(update, t._("Role revoked.") if done else t._("This role was already revoked."))
    access = await access_of(context.services.db, user_id, context.services.settings.admins)
    await set_personal_menu(context.bot, user_id, access)
    await roles_command(update, context)


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
    if len(parts) == 4 and parts[0] == "rv" and to_int(parts[1]):
        return await revoke(update, context, to_int(parts[1]) or 0, parts[2], parts[3])
    await answer(update, context.t._("This button is no longer valid."), alert=True)


async def audit_command(update: Update, context: BotContext) -> None:
    """/audit: the latest privileged actions (admins)."""
    t = context.t
    if not (await context.access()).admin:
        return await say(update, t._("This command is reserved for the bot's administrators."))
    rows, total = await context.services.db.read(audit.latest, 30)
    if not rows:
        return await say(update, t._("The audit log is empty."))
    lines = [t.ngettext("<b>Audit log</b> ({n} entry, latest first)",
                        "<b>Audit log</b> ({n} entries, latest first)", total)]
    for r in rows:
        details = json.loads(r["details"])
        extra = ", ".join(f"{k}={v}" for k, v in details.items() if v is not None)
        lines.append(esc(f"{t.short_date(from_db(r['at']))} {t.time(from_db(r['at']))} · "
                         f"{r['actor_id'] or 'cli'} · {r['action']} · {r['target'] or ''} {extra}"))
    await say(update, "\n".join(lines)[:4000])


def register(app: Application) -> None:
    app.add_handler(CommandHandler("invite", invite_command))
    app.add_handler(CommandHandler("roles", roles_command))
    app.add_handler(CommandHandler("audit", audit_command))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^v1:rl:"))
