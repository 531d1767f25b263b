"""/demand: how many people asked to hear about new sessions, per training and administration —
the demand the competence-strengthening plans (PRC) are built on. A focal point's screen leads
on to their administration's needs survey (handlers/needs.py), the other half of "needs
first"."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services.access import Role
from handlers.access import refusal, requires
from handlers.needs_buttons import NeedsHome
from handlers.ui import button, esc, keyboard, say

MAX_LINES = 40


@requires(Role.COORDINATOR)
async def demand_command(update: Update, context: BotContext) -> None:
    """/demand: interest counts (coordinators: all; focal points: their administration)."""
    t = context.t
    rows = await context.services.registrations.interest_counts(context.person.user_id)
    if rows is None:  # the service reads the scope again (a role revoked in between)
        return await say(update, refusal(t, Role.COORDINATOR))
    focal = (await context.access()).focal_administration
    markup = keyboard([[button(t._("📋 Needs survey"), NeedsHome(focal))]]) if focal else None
    if not rows:
        return await say(update, t._("Nobody has asked to be told about new sessions yet."), markup)
    reference = context.services.reference
    lines = [t._("<b>Demand: people waiting for a new session</b>")]
    for r in rows[:MAX_LINES]:
        admin = reference.get("administrations", r["administration_code"])
        # TRANSLATORS: a line of the demand report: how many people (and how many of them women) wait for a
        # new session.
        lines.append("• " + t._("{training} — {administration}: {people} (women: {women})",
                                training=esc(t.pick(r["title_fr"], r["title_ar"])),
                                administration=esc(admin.code if admin else "—"),
                                people=t.number(r["people"]), women=t.number(r["women"] or 0)))
    if len(rows) > MAX_LINES:
        lines.append(t.ngettext("… and {n} more line.", "… and {n} more lines.", len(rows) - MAX_LINES))
    await say(update, "\n".join(lines), markup)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("demand", demand_command))
