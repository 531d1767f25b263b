"""Reserved places of a session, from *Manage this session* (national team): the reservations
with the places their officials hold, and a typed line to set, change or remove one
(conversations/quota.py). A focal point reaches it read-only from /roster: the reservations
that admit their officials or their child administrations', with the seats each part of their
tree holds."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, Update
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import Translator
from bot.services import quotas
from bot.services.access import Role
from bot.services.reference import ReferenceData
from bot.timeutil import Clock
from handlers.browse_buttons import SessionCard
from handlers.buttons import Callback, on
from handlers.ui import answer, button, esc, keyboard, say

QUOTA = "quota"
EXAMPLE = "MEF 5 2026-12-01 09:00"


@dataclass(frozen=True)
class QuotaMenu(Callback, feature="quo", action="m"):
    session: int


def quota_row(t: Translator, session_id: int) -> list[InlineKeyboardButton]:
    """The row *Manage this session* shows."""
    return [button(t._("🎟 Reserved places"), QuotaMenu(session_id))]


def _name(t: Translator, reference: ReferenceData, code: str) -> str:
    ref = reference.get("administrations", code)
    return esc(f"{code} — {t.pick(ref.name_fr, ref.name_ar)}" if ref else code)


def quotas_text(t: Translator, view: quotas.SessionQuotas, reference: ReferenceData, clock: Clock,
                editable: bool = True) -> str:
    s = view.session
    lines = [t._("<b>Reserved places</b> — {title}, {when}", title=esc(t.pick(s.title_fr, s.title_ar)),
                 when=t.datetime(s.starts_at)),
             t.ngettext("{n} place in all, {taken} taken.", "{n} places in all, {taken} taken.",
                        s.capacity, taken=t.number(s.taken))]
    now = clock.now()
    for q in view.quotas:
        name = _name(t, reference, q.administration)
        held = t.ngettext("{n} place reserved, {filled} taken", "{n} places reserved, {filled} taken",
                          q.places, filled=t.number(q.filled))
        if q.release_at is None:
            until = t._("until registration closes")
        elif q.release_at > now:
            until = t._("until {date}", date=t.datetime(q.release_at))
        else:
            until = t._("open to everyone since {date}", date=t.datetime(q.release_at))
        # TRANSLATORS: a reservation of the reserved places screen, e.g. "MEF — Ministry…: 3
        # places reserved, 1 taken, until 2026-12-01" (Arabic: with the Arabic comma).
        lines.append("• " + t._("{administration}: {places}, {until}", administration=name,
                                places=held, until=until))
        if set(q.by_administration) - {q.administration}:  # children's officials hold some
            lines += [f"   ↳ {_name(t, reference, code)}: {t.number(n)}"
                      for code, n in q.by_administration.items()]
    if not view.quotas:
        lines.append(t._("No places are reserved on this session."))
    if not editable:
        return "\n".join(lines)
    lines.append("")
    lines.append(t._("To reserve places for an administration, send its code, the number of places "
                     "and, if they are to be open to everyone at a date, that date and time "
                     "(Moroccan time), for example {example}. 0 places removes a reservation. "
                     "Send /cancel to stop.", example=EXAMPLE))
    return "\n".join(lines)


async def show_quotas(update: Update, context: BotContext, value: QuotaMenu) -> None:
    t, access = context.t, await context.access()
    view = await quotas.of_session(context.services.db, value.session, access.scope)
    if view is None:
        return await answer(update, t._("This session no longer exists."), alert=True)
    if access.scope is not None:  # a focal point: read only, under their roster (kept above)
        await answer(update)
        return await say(update, quotas_text(t, view, context.services.reference,
                                             context.services.clock, editable=False))
    await context.services.people.save_draft(context.person.user_id, QUOTA, "line",
                                             {"session": value.session})
    await answer(update)
    await say(update, quotas_text(t, view, context.services.reference, context.services.clock),
              keyboard([[button(t._("⬅ Back to the session"), SessionCard(value.session))]]))


def register(app: Application) -> None:
    # A focal point sees their part read-only (of_session's scope); only the national team edits.
    app.add_handler(on(QuotaMenu, show_quotas, requires=Role.COORDINATOR))
