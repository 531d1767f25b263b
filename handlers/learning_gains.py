"""/dashboard → Learning gains: the mean normalised gain of the knowledge tests (only where a
person took both the pre- and the final test) by sex, administration, position and theme, for
the national team. Groups under 5 are hidden and counted. Every period and administration: a
focal point, whose indicators stop at their administration, is not shown this view."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.access import Role
from bot.services.knowledge_tests import DIMENSIONS
from bot.services.test_scoring import MIN_GROUP
from handlers.buttons import StaleButton, on
from handlers.dashboard import Gains, View
from handlers.reports_ui import namer
from handlers.ui import button, esc, keyboard, show


def _title(t: Translator, dim: str) -> str:
    return {"sex": t._("<b>By sex</b>"), "administration": t._("<b>By administration</b>"),
            "position": t._("<b>By position</b>"), "theme": t._("<b>By theme</b>")}[dim]


async def on_gains(update: Update, context: BotContext, press: Gains) -> None:
    t = context.t
    if (await context.access()).scope is not None:  # a focal point: programme-wide figures
        raise StaleButton
    names = await namer(context)
    tests = context.services.knowledge_tests
    lines = [t._("🧠 <b>Learning gains</b> (knowledge tests, every period)"),
             t._("<i>The mean normalised gain: the share of what was left to learn that was learnt "
                 "(0 % none, 100 % all), for the people who took both tests.</i>")]
    for dim in DIMENSIONS:
        groups, hidden = await tests.gains_by(dim)
        lines += ["", _title(t, dim)]
        for key, (n, gain) in sorted(groups.items(), key=lambda kv: str(kv[0])):
            if dim == "theme":
                ref = context.services.reference.get("themes", key)
                label = t.pick(ref.name_fr, ref.name_ar) if ref else str(key or "—")
            else:
                label = names(dim, key)
            lines.append(t.ngettext("• {group}: {gain} % ({n} person)", "• {group}: {gain} % ({n} people)",
                                    n, group=esc(label), gain=t.number(round(gain * 100))))
        if not groups and not hidden:
            lines.append(t._("Nobody has taken both tests yet."))
        if hidden:
            lines.append(t.ngettext("🔒 {n} group of fewer than {min} people hidden.",
                                    "🔒 {n} groups of fewer than {min} people hidden.", hidden,
                                    min=t.number(MIN_GROUP)))
    back = View(press.period, "-", press.training, "total")
    await show(update, "\n".join(lines), keyboard([[button(t._("⬅ Summary"), back)]]))


def register(app: Application) -> None:
    app.add_handler(on(Gains, on_gains, requires=Role.COORDINATOR))
