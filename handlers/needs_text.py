"""The words of the needs survey's screens: refusals and the results as chat text (the XLSX is
bot/services/needs_files.py)."""

from __future__ import annotations

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.needs_survey import NeedsRefusal, constraint_word
from bot.services.needs_view import OTHERS, Results
from handlers.labels import modality, sex
from handlers.ui import esc


def refusal_text(t: Translator, code: NeedsRefusal | str) -> str:
    return {
        NeedsRefusal.NOT_ALLOWED: t._("You may only survey your own administration."),
        NeedsRefusal.UNKNOWN_ADMINISTRATION: t._("No administration has this code."),
        NeedsRefusal.ALREADY_LAUNCHED: t._("A survey was just launched: it was not sent twice."),
    }.get(code, t._("This button is no longer valid."))


def _name(context: BotContext, kind: str, code: str | None) -> str:
    t = context.t
    if code == OTHERS:
        # TRANSLATORS: the pooled small groups of a breakdown of the survey's results.
        return t._("others")
    found = context.services.reference.get(kind, code)
    return t.pick(found.name_fr, found.name_ar) if found else t._("not given")


def _groups(context: BotContext, dimension: str, groups: list) -> str:
    """One breakdown of a theme: "label count" per group, the hidden ones said so."""
    t = context.t
    hidden = t._("under 5, hidden")
    parts = []
    for code, n in groups:
        label = (sex(t, code) if dimension == "sex" and code != OTHERS
                 else _name(context, f"{dimension}s", code))
        parts.append(f"{esc(label)} {t.number(n) if n is not None else '(' + hidden + ')'}")
    return " · ".join(parts)


def results_text(context: BotContext, r: Results) -> str:
    t = context.t
    admin = context.services.reference.get("administrations", r.administration)
    name = t.pick(admin.name_fr, admin.name_ar) if admin else r.administration
    lines = [t._("<b>Needs survey — {administration}</b>", administration=esc(t.iso(name))),
             t.ngettext("{n} answer of {recipients} people asked.",
                        "{n} answers of {recipients} people asked.",
                        r.respondents, recipients=t.number(r.recipients))]
    if not r.themes:
        lines.append(t._("No answer yet."))
    for i, th in enumerate(r.themes, start=1):
        head = t.ngettext("{i}. <b>{theme}</b>: {n} person", "{i}. <b>{theme}</b>: {n} people", th.people,
                          i=t.number(i), theme=esc(_name(context, "themes", th.theme)))
        if th.mean_level is not None:
            head += " · " + t._("mean level {level}/4", level=t.number(th.mean_level))
        if th.modality:
            head += " · " + t._("prefer: {modality}", modality=modality(t, th.modality))
        lines.append(head)
        for kind, label in (("position", t._("Position")), ("sex", t._("Sex")), ("region", t._("Region"))):
            lines.append(f"   {label}: {_groups(context, kind, th.breakdowns[kind])}")
    if r.constraints:
        lines.append(t._("<b>Constraints:</b> {list}", list=" · ".join(
            f"{esc(constraint_word(t, c))} {t.number(n)}" for c, n in r.constraints)))
    lines.append(t._("Groups of fewer than 5 people are hidden where they would show who answered."))
    lines.append(t._("<b>Demand (interest lists):</b>"))
    lines.extend(f"• {esc(t.pick(fr, ar))}: {t.number(n)}" for fr, ar, n in r.demand[:10])
    if not r.demand:
        lines.append(t._("Nobody has asked to be told about new sessions yet."))
    lines.append(t._("<b>Digital profile (self-assessment, mean out of 5):</b>"))
    lines.extend(f"• {esc(t.pick(fr, ar))}: {t.number(mean)}" for fr, ar, mean in r.areas)
    if not r.areas:
        lines.append(t._("Fewer than 5 people of the administration have assessed themselves."))
    return "\n".join(lines)
