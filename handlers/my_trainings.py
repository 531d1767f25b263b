"""/mytrainings: the person's upcoming (with their state) and past registrations."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from bot.context import BotContext
from handlers.browse_buttons import CatalogueHome, MainMenu, SessionCard
from handlers.buttons import Callback
from handlers.ui import button, esc, keyboard, show


@dataclass(frozen=True)
class MyTrainings(Callback, feature="my", action="list"):
    """The main menu's "My trainings" (handled in handlers.registration)."""


async def my_trainings(update: Update, context: BotContext) -> None:
    """/mytrainings: upcoming (with state) and past registrations."""
    t = context.t
    now = context.services.clock.now()
    mine = await context.services.registrations.mine(context.person.user_id)
    upcoming = [m for m in mine if m.ends_at > now and m.session_status == "published"]
    past = [m for m in mine if m.ends_at <= now][-10:]
    if not upcoming and not past:
        rows = [[button(t._("📚 Training catalogue"), CatalogueHome())]]
        return await show(update, t.to_person("You have no registration yet. Browse the catalogue to "
                                      "find a training."), keyboard(rows))
    lines, rows = [t._("<b>My trainings</b>")], []
    labels = {
        # TRANSLATORS: the state of a registration, in brackets after a session (lower case).
        "confirmed": t._("registered"), "requested": t._("waiting for approval"),
        "offered": t._("place offered to you"), "attended": t._("attended"),
        "absent": t._("absent"),
    }
    # TRANSLATORS: headings of the person's list of sessions: those to come, those past.
    for section, items in ((t._("<b>Upcoming</b>"), upcoming), (t._("<b>Past</b>"), past)):
        if not items:
            continue
        lines.append("")
        lines.append(section)
        for m in items:
            title = esc(t.pick(m.title_fr, m.title_ar))
            # TRANSLATORS: {ordinal} is a rank such as “2nd”; lower case, in brackets after a session.
            state = (t._("position {ordinal} on the waitlist", ordinal=t.ordinal(m.position))
                     if m.registration.status == "waitlisted" and m.position
                     else labels.get(m.registration.status, ""))
            lines.append(f"• {t.short_date(m.starts_at)} — {title} ({state})")
            rows.append([button(f"{t.short_date(m.starts_at)} · {t.pick(m.title_fr, m.title_ar)}",
                                SessionCard(m.session_id))])
    rows = rows[:40]
    rows.append([button(t._("⬅ Main menu"), MainMenu())])
    await show(update, "\n".join(lines), keyboard(rows))
