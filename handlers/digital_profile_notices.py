"""What the bot sends on its own about the digital profile: the self-assessment offered again six
months after the last one, or when a path is completed (queued by bot/services/profile_offers.py),
in the person's language at send time; skipped if they took one since."""

from __future__ import annotations

from telegram.ext import Application

from bot.context import Services
from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.services.notice_reads import OutboxRow
from bot.services.profile_offers import KIND
from bot.timeutil import from_db
from handlers import notices
from handlers.digital_profile_buttons import Begin, Later
from handlers.ui import button, esc, keyboard


async def _again(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    p = row.payload
    if await services.profile_offers.taken_since(row.user_id, from_db(p["since"])):
        return None
    if p.get("occasion") == "path":
        text = t.to_person("🎓 Congratulations on completing the path <b>{title}</b>! Take 3 minutes to rate "
                           "your digital skills again and see what has changed.",
                           title=esc(t.pick(p.get("title_fr", ""), p.get("title_ar", ""))))
    else:
        text = t.to_person("🧭 Six months have passed since your last self-assessment. Take 3 minutes to "
                           "rate your digital skills again and see what has changed.")
    return Notice(text, keyboard([[button(t._("▶️ Start"), Begin())], [button(t._("Later"), Later())]]))


RENDERERS = {KIND: _again}


def register(app: Application) -> None:
    notices.add(RENDERERS)  # the self-assessment offered again (the outbox)
