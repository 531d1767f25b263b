"""/charts: indicator charts as images in the person's language — registrations and attendance
by sex per administration, satisfaction per training, fill rate over time — for a period.
A focal point's charts cover their administration only (the scope comes from the role).

Buttons: `v1:chart:<kind>` (choose the period), `v1:chart:<kind>:<period>` (draw and send).
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.charts import CHARTS
from bot.services.indicators import PERIODS
from handlers.reports_ui import charts, coordinator, indicators, invalid, period_name
from handlers.ui import answer, button, esc, keyboard, pairs, parse, say, show


def chart_name(t: Translator, kind: str) -> str:
    return {"sex": t._("👩👨 Registrations and attendance by sex"),
            "satisfaction": t._("⭐ Satisfaction per training"),
            "fill": t._("📈 Fill rate over time")}[kind]


async def charts_command(update: Update, context: BotContext) -> None:
    """/charts: which chart."""
    if await coordinator(update, context) is None:
        return
    t = context.t
    rows = [[button(chart_name(t, k), "chart", k)] for k in CHARTS]
    await show(update, t._("<b>Charts</b>\nWhich chart?"), keyboard(rows))


async def choose_period(update: Update, context: BotContext, kind: str) -> None:
    t = context.t
    rows = pairs([button(period_name(t, p), "chart", kind, p) for p in PERIODS])
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


async def on_button(update: Update, context: BotContext) -> None:
    access = await coordinator(update, context)
    if access is None:
        return
    parts = parse(update.callback_query.data, "chart") or []
    if len(parts) == 1 and parts[0] in CHARTS:
        return await choose_period(update, context, parts[0])
    if len(parts) == 2 and parts[0] in CHARTS and parts[1] in PERIODS:
        return await send_chart(update, context, parts[0], parts[1], access.scope)
    await invalid(update, context)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("charts", charts_command))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^v1:chart:"))
