"""The invitation to a needs survey (queued by bot/storage/needs.py when a focal point launches
it), worded at send time in the official's language, with the button that opens the answer."""

from __future__ import annotations

from bot.context import Services
from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.services.notice_reads import OutboxRow
from handlers.needs_buttons import Answer
from handlers.ui import button, esc, keyboard


async def _invitation(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    survey = row.payload["survey"]
    code = await services.needs.administration_of(survey)
    if code is None:  # nothing left to answer
        return None
    admin = services.reference.get("administrations", code)
    name = t.pick(admin.name_fr, admin.name_ar) if admin else code
    text = "\n".join([
        t.to_person("📋 Your administration ({administration}) asks about your training needs, to "
                    "build its competence plan.", administration=esc(t.iso(name))),
        t.to_person("Four short questions, one tap each: your priority themes, your level, how you "
                    "prefer to train and what could hold you back.")])
    return Notice(text, keyboard([[button(t._("📝 Answer"), Answer(survey))]]))


RENDERERS = {"needs_survey": _invitation}
