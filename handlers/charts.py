"""/charts: indicator charts as images in the person's language — registrations and attendance
by sex per administration, satisfaction per training, fill rate over time — for a period.
A focal point's charts cover their administration only (the scope comes from the role).

Buttons: ChooseChart (choose the period), DrawChart (draw and send).
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.access import Role
from bot.services.charts import CHARTS
from bot.services.indicators import PERIODS
from handlers.access import requires
from handlers.buttons import Callback, StaleButton, on
from handlers.reports_ui import charts, indicators, period_name
from handlers.ui import answer, button, esc, keyboard, pairs, say, show


@dataclass(frozen=True)
class ChooseChart(Callback, feature="chart", action="k"):
    kind: str  # one of CHARTS


@dataclass(frozen=True)
class DrawChart(Callback, feature="chart", action="d"):
    kind: str
    period: str  # one of PERIODS


def chart_name(t: Translator, kind: str) -> str:
    return {"sex": t._("👩👨 Registrations and attendance by sex"),
            "satisfaction": t._("⭐ Satisfaction per training"),
            "fill": t._("📈 Fill rate over time")}[kind]


@requires(Role.COORDINATOR)
async def charts_command(update: Update, context: BotContext) -> None:
    """/charts: which chart."""
    t = context.t
    rows = [[button(chart_name(t, k), ChooseChart(k))] for k in CHARTS]
    await show(update, t._("<b>Charts</b>\nWhich chart?"), keyboard(rows))


async def choose_period(update: Update, context: BotContext, kind: str) -> None:
    t = context.t
    rows = pairs([button(period_name(t, p), DrawChart(kind, p)) for p in PERIODS])
    await show(update, t._("{chart}: for which period?", chart=chart_name(t, kind)), keyboard(rows))


async def send_chart(update: Update, context: BotContext, kind: str, period: str, scope: str | None) -> None:
    t = context.t
    await answer(update, t._("Drawing the chart…"))
    chat = update.effective_chat
    await chat.send_chat_action(ChatAction.UPLOAD_PHOTO)
    chart = await charts(context).render(kind, indicators(context).scope(period, scope), t)
    if chart is None:
        return await say(update, t._("Nothing to draw for this period."))
    caption = f"<b>{esc(chart.title)}</b>\n{period_name(t, period)}"
    if scope:
        admin = context.services.reference.get("administrations", scope)
        caption += "\n" + esc(t.pick(admin.name_fr, admin.name_ar) if admin else scope)
    await chat.send_photo(chart.png, caption=caption)


async def on_choose(update: Update, context: BotContext, press: ChooseChart) -> None:
    if press.kind not in CHARTS:
        raise StaleButton
    await choose_period(update, context, press.kind)


async def on_draw(update: Update, context: BotContext, press: DrawChart) -> None:
    if press.kind not in CHARTS or press.period not in PERIODS:
        raise StaleButton
    # The scope comes from the role at the time of the press, never from the button.
    await send_chart(update, context, press.kind, press.period, (await context.access()).scope)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("charts", charts_command))
    app.add_handler(on(ChooseChart, on_choose, requires=Role.COORDINATOR))
    app.add_handler(on(DrawChart, on_draw, requires=Role.COORDINATOR))
