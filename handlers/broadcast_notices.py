"""What the outbox says about broadcasts: the message itself (signed by its sender), and the
delivery report to the sender."""

from __future__ import annotations

import json

from bot.context import Services
from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.services import notice_reads as reads
from bot.services.notice_reads import OutboxRow
from handlers.ui import esc


async def _broadcast(services: Services, broadcast_id: int):
    """A broadcast's text, sender name and session, read once and kept (they never change)."""
    cache = services.broadcast_cache
    found = cache.get(broadcast_id)
    if found is None:
        read = await services.db.read(reads.broadcast, broadcast_id)
        if read is None:
            return None
        found = read.row, read.sender, read.session
        if len(cache) > 1000:
            cache.clear()
        cache[broadcast_id] = found
    return found


async def _announcement(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    found = await _broadcast(services, row.payload["broadcast"])
    if found is None:
        return None
    b, sender, s = found
    if b["kind"] == "trainer" and s is not None:
        head = t._("📣 Message from your trainer {name} about <b>{title}</b> ({date}):",
                   name=esc(t.iso(sender or "—")), title=esc(t.pick(s.title_fr, s.title_ar)),
                   date=t.date(s.starts_at))
    elif scope := json.loads(b["audience"] or "{}").get("scope"):
        # A focal point speaks for one administration: they sign, with its name.
        admin = services.reference.get("administrations", scope)
        head = t._("📣 Message from {name}, focal point of {administration}:",
                   name=esc(t.iso(sender or "—")),
                   administration=esc(t.pick(admin.name_fr, admin.name_ar) if admin else scope))
    else:
        head = t._("📣 Message from the e-TAMKEEN programme team:")
    return Notice(f"{head}\n\n{esc(b['text'])}")


async def _broadcast_report(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    bid = row.payload["broadcast"]
    progress = await services.broadcasts.progress(bid)
    if progress is None:
        return None
    return Notice("\n".join([
        t._("📊 Your message has been delivered."),
        # TRANSLATORS: delivery report of a message sent to many people.
        t.ngettext("Delivered: {n} person", "Delivered: {n} people", progress.sent),
        t.ngettext("Could not be reached: {n} person", "Could not be reached: {n} people",
                   progress.unreachable + progress.failed),
    ]))


RENDERERS = {"announcement": _announcement, "broadcast_report": _broadcast_report}
