"""Revoking a role from /roles: always confirmed, warning about the sessions the person still
trains and offering to hand them to another trainer."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.services.access import access_of
from bot.services.outcomes import Revocation
from handlers.commands import set_personal_menu
from handlers.roles_buttons import HandOver, Revoke, RevokeConfirmed, RevokeHandingOver, RolesPage
from handlers.roles_text import role_label
from handlers.ui import answer, button, esc, keyboard, show

SHOWN = 10  # sessions listed in the warning; the count says how many there are in all


async def _name(context: BotContext, user_id: int) -> str:
    holders = await context.services.roles.holders()
    name = next((h["full_name"] for h in holders if h["user_id"] == user_id and h["full_name"]), None)
    return context.t.iso(name or str(user_id))


async def confirm(update: Update, context: BotContext, user_id: int, role: str, admin: str) -> None:
    """The question before any revocation, with what the person still holds."""
    t = context.t
    code = None if admin == "-" else admin
    plan = await context.services.roles.revoke_plan(context.person.user_id, user_id, role, code,
                                                    context.services.settings.admins)
    back = [button(t._("⬅ Back"), RolesPage(0))]
    if not plan.held:
        return await show(update, t._("This role was already revoked."), keyboard([back]))
    label = esc(role_label(context, role, code))
    if plan.last:
        return await show(update, t.to_person(
            "You cannot revoke your own role: you are the last national coordinator. Invite "
            "another one first (/invite)."), keyboard([back]))
    name = esc(await _name(context, user_id))
    lines = [t.to_person("Revoke the role {role} of {name}?", role=label, name=name)]
    rows = []
    if plan.sessions:
        n = len(plan.sessions)
        lines.append(t.ngettext("⚠️ They are still the trainer of {n} upcoming session:",
                                "⚠️ They are still the trainer of {n} upcoming sessions:", n))
        lines += [f"• {esc(t.iso(reference))} — {t.short_date(start)}"
                  for _, reference, start in plan.sessions[:SHOWN]]
        if n > SHOWN:
            lines.append("…")
        rows.append([button(t._("🔁 Give their sessions to another trainer"), HandOver(user_id))])
        rows.append([button(t._("Revoke anyway (sessions left without trainer)"),
                            RevokeConfirmed(user_id, role, admin))])
    else:
        rows.append([button(t._("✅ Yes, revoke"), RevokeConfirmed(user_id, role, admin))])
    rows.append(back)
    await show(update, "\n".join(lines), keyboard(rows))


async def pick_trainer(update: Update, context: BotContext, user_id: int) -> None:
    """Who takes over the sessions of the trainer whose role is revoked."""
    t = context.t
    plan = await context.services.roles.revoke_plan(context.person.user_id, user_id, "trainer", None,
                                                    context.services.settings.admins)
    rows = [[button(t.iso(name or str(uid)), RevokeHandingOver(user_id, uid))]
            for uid, name in plan.other_trainers[:20]]
    rows.append([button(t._("⬅ Back"), Revoke(user_id, "trainer"))])
    if not plan.other_trainers:
        return await show(update, t.to_person("Nobody else holds the trainer role. Invite one (/invite), or "
                                              "revoke anyway."), keyboard(rows))
    await show(update, t.ngettext("Who will train the {n} session instead?",
                                  "Who will train the {n} sessions instead?", len(plan.sessions)),
               keyboard(rows))


async def revoke(update: Update, context: BotContext, user_id: int, role: str, admin: str,
                 reassign_to: int | None = None) -> bool:
    """Revoke and say so; False when another trainer must be chosen first (shown instead)."""
    t = context.t
    outcome = await context.services.roles.revoke(
        context.person.user_id, user_id, role, None if admin == "-" else admin,
        context.services.settings.admins, reassign_to)
    await answer(update, {
        Revocation.REVOKED: t._("Role revoked."),
        Revocation.ALREADY: t._("This role was already revoked."),
        Revocation.LAST: t.to_person("You cannot revoke your own role: you are the last national "
                                     "coordinator. Invite another one first (/invite)."),
        Revocation.NO_TRAINER: t.to_person("This person no longer holds the trainer role. Choose another."),
    }[outcome], alert=outcome is not Revocation.REVOKED)
    if outcome is Revocation.NO_TRAINER:
        await pick_trainer(update, context, user_id)
        return False
    for uid in {user_id, reassign_to} - {None}:
        access = await access_of(context.services.db, uid, context.services.settings.admins)
        await set_personal_menu(context.bot, uid, access)
    return True
