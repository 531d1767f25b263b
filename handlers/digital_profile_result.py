"""The result of a self-assessment: a chart (a bar per area, in the person's language), the means
per area — beside the previous assessment's ("Sécurité 2 → 4") — the strengths, the areas to work
on, and three trainings for the weakest areas, each with Register (the catalogue card's own
button, for its next session) and Tell me when (the interest list /demand counts)."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest, NetworkError

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.charts import draw_profile
from bot.services.self_assessment import Framework, Profile, Recommendation
from handlers.digital_profile_buttons import Begin, Notify
from handlers.registration_buttons import Join
from handlers.ui import answer, button, esc, keyboard, say

log = logging.getLogger(__name__)

def area_name(t: Translator, framework: Framework, code: str) -> str:
    fr, ar = framework.areas.get(code, (code, code))
    return t.pick(fr, ar)


def level(t: Translator, value: float | None) -> str:
    return "—" if value is None else t.number(value)


def _recommendation(t: Translator, r: Recommendation) -> str:
    title = esc(t.pick(r.title_fr, r.title_ar))
    if r.next_start is None:
        return t._("{title} ({code}): no session planned yet", title=title, code=esc(t.iso(r.code)))
    return t._("{title} ({code}): next session on {date}", title=title, code=esc(t.iso(r.code)),
               date=t.date(r.next_start))


def result_text(t: Translator, framework: Framework, profile: Profile, before: Profile | None,
                recommended: list[Recommendation]) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [t._("<b>My digital profile</b> · {date}", date=t.date(profile.taken_at))]
    for code, mean in profile.areas.items():
        name = esc(area_name(t, framework, code))
        if before is not None:
            # TRANSLATORS: an area's level before and now, e.g. "Sécurité : 2 → 4".
            lines.append("• " + t._("{area}: {before} → {after}", area=name,
                                    before=level(t, before.areas.get(code)), after=level(t, mean)))
        else:
            lines.append("• " + t._("{area}: {level}/5", area=name, level=level(t, mean)))
    names = [esc(area_name(t, framework, a)) for a in profile.strengths]
    lines += ["", t.to_person("💪 Your strengths: {areas}", areas=t.join(names))]
    names = [esc(area_name(t, framework, a)) for a in profile.to_work_on]
    lines.append(t.to_person("🎯 To work on: {areas}", areas=t.join(names)))
    rows = []
    if recommended:
        lines += ["", t._("<b>Trainings for you</b>")]
        for n, r in enumerate(recommended, 1):
            lines.append(f"{t.number(n)}. {_recommendation(t, r)}")
            row = [button(t._("📝 Register: {code}", code=r.code), Join(r.next_session))] \
                if r.next_session is not None else []
            # TRANSLATORS: a button: be told when a new session of this training opens.
            row.append(button(t._("🔔 Tell me when: {code}", code=r.code), Notify(r.training_id)))
            rows.append(row)
    else:
        lines += ["", t._("No training of the catalogue matches your areas to work on yet.")]
    rows.append([button(t._("🔁 Take the self-assessment again"), Begin())])
    return "\n".join(lines), keyboard(rows)


async def send_result(update: Update, context: BotContext, history: list[Profile]) -> None:
    """The newest profile of `history` (oldest first), compared with the one before it."""
    t, service = context.t, context.services.self_assessment
    profile = history[-1]
    before = history[-2] if len(history) > 1 else None
    framework = await service.framework()
    recommended = await service.recommend(context.person.user_id, profile)
    await answer(update)
    chat = update.effective_chat
    await chat.send_chat_action(ChatAction.UPLOAD_PHOTO)
    bars = [(area_name(t, framework, a), before.areas.get(a) if before else None, mean)
            for a, mean in profile.areas.items()]
    chart = await asyncio.to_thread(draw_profile, t, t._("My digital profile"), bars)
    text, markup = result_text(t, framework, profile, before, recommended)
    try:
        await chat.send_photo(chart.png, caption=f"<b>{esc(chart.title)}</b>")
    except BadRequest:
        raise  # a request we got wrong: the error handler's apology and alert
    except NetworkError as exc:  # a 5xx or a timeout: the result itself must still be read
        log.warning("profile chart not sent to chat=%s: %r", chat.id, exc)
        text += "\n\n" + t._("📊 The chart could not be sent just now: /digitalprofile shows it again.")
    await say(update, text, markup)
