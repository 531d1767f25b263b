"""What /newsession shows before publishing: every field of the new session, and a button to
change each (conversations/new_session forgets that answer and asks it again)."""

from __future__ import annotations

from bot.context import BotContext
from bot.i18n import Translator
from bot.timeutil import from_db
from handlers import labels
from handlers.cards import when
from handlers.ui import esc


def summary(context: BotContext, data: dict) -> str:
    t = context.t
    lines = [t._("<b>The new session</b>"), f"<b>{esc(data['title'])}</b>",
             when(t, from_db(data["start"]), from_db(data["end"]))]
    if data.get("online"):
        lines.append(t._("💻 Online: {link}", link=esc(t.iso(data["url"]))))
    else:
        region = context.services.reference.get("regions", data["region"])
        lines += [t._("📍 Place in French: {place}", place=esc(t.iso(data["place_fr"]))),
                  t._("📍 Place in Arabic: {place}", place=esc(t.iso(data["place_ar"]))),
                  t._("Region: {region}", region=esc(t.pick(region.name_fr, region.name_ar)
                                                     if region else data["region"]))]
    lines += [t._("Language: {language}", language=labels.session_language(t, data["language"])),
              t.ngettext("{n} place", "{n} places", data["capacity"]),
              t._("Approval by the focal point: {answer}",
                  answer=t._("Yes") if data["approval"] else t._("No"))]
    return "\n".join(lines)


def change_buttons(t: Translator, data: dict) -> list[tuple[str, str]]:
    """(what the button changes, its label), in the summary's order."""
    buttons = [("training", t._("✏ Training")), ("dates", t._("✏ Dates")),
               ("place", t._("✏ Place or link"))]
    if not data.get("online"):
        buttons.append(("region", t._("✏ Region")))
    return [*buttons, ("language", t._("✏ Language")), ("capacity", t._("✏ Places")),
            ("approval", t._("✏ Approval"))]
