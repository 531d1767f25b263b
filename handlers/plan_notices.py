"""What a focal point is told when the national team validates or returns their plan (queued by
bot/services/plans.py in the decision's transaction), in their language at send time."""

from __future__ import annotations

from bot.context import Services
from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.services.notice_reads import OutboxRow
from handlers.plan_buttons import PlanOpen
from handlers.ui import button, esc, keyboard


async def _decision(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    p = row.payload
    admin = services.reference.get("administrations", p["administration"])
    name = t.pick(admin.name_fr, admin.name_ar) if admin else p["administration"]
    values = dict(administration=esc(t.iso(name)), start=p["start_year"], end=p["end_year"],
                  number=t.number(p["number"]))
    if p["status"] == "validated":
        text = t._("✅ Your competence plan {start}–{end} ({administration}, version {number}) was "
                   "validated by the national team.", **values)
    else:
        text = "\n".join([
            t._("↩️ Your competence plan {start}–{end} ({administration}, version {number}) was "
                "returned by the national team.", **values),
            t._("Reason: {reason}", reason=esc(t.iso(p.get("reason") or "—"))),
            t.to_person("Open it to start a new version and submit it again.")])
    return Notice(text, keyboard([[button(t._("Open the plan"), PlanOpen(p["version"]))]]))


RENDERERS = {"plan_decision": _decision}
