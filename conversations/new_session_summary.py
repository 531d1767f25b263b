"""What /newsession shows before publishing: every field of the new session, and a button to
change each (conversations/new_session forgets that answer and asks it again)."""

from __future__ import annotations

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.plan_schedule import share
from bot.timeutil import from_db
from handlers import labels
from handlers.cards import when
from handlers.prc_text import plan_error
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
    if data.get("lines"):
        lines += reserved_lines(context, data)
    return "\n".join(lines)


def reserved_lines(context: BotContext, data: dict) -> list[str]:
    """What scheduling from plan lines adds: the lines served and the places held for each
    administration (what publishing will reserve), until when."""
    t, ref = context.t, context.services.reference
    out = [t.ngettext("📋 Serves {n} plan line", "📋 Serves {n} plan lines", len(data["lines"]))]
    for code, places in share(data["remaining"], data["capacity"]).items():
        admin = ref.get("administrations", code)
        name = t.pick(admin.name_fr, admin.name_ar) if admin else code
        out.append("   " + t.ngettext("{administration}: {n} place reserved",
                                      "{administration}: {n} places reserved", places,
                                      administration=esc(name)))
    release = from_db(data["release"] or None)
    out.append(t._("Reserved until {date}", date=t.datetime(release)) if release
               else t._("Reserved until registration closes"))
    return out


def change_buttons(t: Translator, data: dict) -> list[tuple[str, str]]:
    """(what the button changes, its label), in the summary's order."""
    buttons = [] if data.get("named_training") else [("training", t._("✏ Training"))]
    buttons += [("dates", t._("✏ Dates")), ("place", t._("✏ Place or link"))]
    if not data.get("online"):
        buttons.append(("region", t._("✏ Region")))
    return [*buttons, ("language", t._("✏ Language")), ("capacity", t._("✏ Places")),
            ("approval", t._("✏ Approval")),
            *([("release", t._("✏ Reserved until"))] if data.get("lines") else [])]


def refusal_text(context: BotContext, code: str) -> str:
    t = context.t
    return {
        "not_schedulable": t._("Sessions are scheduled from the lines of validated or active plans."),
        "mixed_themes": t._("These lines are of different themes: one session serves one theme."),
        "mixed_trainings": t._("These lines name different trainings: one session gives one training."),
        "no_line": t._("Tick at least one line."),
        "quota_refused": t._("The places could not be reserved: the release date is no longer "
                             "possible, nothing was published. Please choose another."),
    }.get(code) or plan_error(t, code)
