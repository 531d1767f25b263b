"""What the back-office query screens share: the services and number formats. (A button that
unpacks but names what is not, or no longer, this person's raises StaleButton, as everywhere.)"""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.charts import ChartService
from bot.services.exports import ExportService
from bot.services.indicators import PERIODS, IndicatorsService
from bot.services.vocabulary import Namer


def indicators(context: BotContext) -> IndicatorsService:
    return context.services.indicators


def exports(context: BotContext) -> ExportService:
    return context.services.exports


def charts(context: BotContext) -> ChartService:
    return context.services.charts


async def namer(context: BotContext) -> Namer:
    titles = await indicators(context).training_titles()
    return Namer(context.t, context.services.reference, titles)


def percent(t: Translator, value: float | None) -> str:
    return "—" if value is None else format_percent(value, locale=t.locale)


def mean(t: Translator, value: float | None) -> str:
    return "—" if value is None else format_decimal(value, "#,##0.0", locale=t.locale)


def period_name(t: Translator, period: str) -> str:
    # TRANSLATORS: buttons: the period the indicators cover.
    return {"month": t._("This month"), "quarter": t._("Last 3 months"), "year": t._("This year"),
            "all": t._("All time")}[period]


def valid_period(period: str) -> bool:
    return period in PERIODS
