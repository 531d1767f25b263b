"""/dashboard: the programme's indicators (DESIGN 5.5) for a period, an administration or a
training, broken down by sex, administration, level, region, modality or training.

Buttons carry `v1:dash:<period>:<administration|->:<training|0>:<view>:<page>`; every press is
checked again: a focal point's buttons must name their own administration.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.access import Access
from bot.services.indicators import MIN_RESPONDENTS, PERIODS, Group
from bot.services.vocabulary import DIMENSIONS, Namer, dimension, evaluation_kind
from handlers.reports_ui import (
    coordinator,
    indicators,
    invalid,
    mean,
    namer,
    percent,
    period_name,
)
from handlers.ui import button, esc, keyboard, nav_row, pairs, parse, show, to_int

PAGE = 8
VIEWS = ("total", "scores", "pickadm", "picktr", *DIMENSIONS)


@dataclass(frozen=True)
class View:
    """Where the person is: the filters, what is shown, the page."""

    period: str
    administration: str | None
    training: int
    view: str
    page: int = 0

    def data(self, view: str | None = None, page: int = 0, **changes) -> tuple:
        values = {"period": self.period, "administration": self.administration,
                  "training": self.training, **changes}
        return ("dash", values["period"], values["administration"] or "-", values["training"],
                view or self.view, page)


async def dashboard_command(update: Update, context: BotContext) -> None:
    """/dashboard: choose the period."""
    access = await coordinator(update, context)
    if access is not None:
        await periods(update, context, access)


async def periods(update: Update, context: BotContext, access: Access) -> None:
    t = context.t
    rows = pairs([button(period_name(t, p), *View(p, access.scope, 0, "total").data()) for p in PERIODS])
    await show(update, t.to_person("<b>Indicators</b>\nChoose the period:"), keyboard(rows))


def _filters(t: Translator, v: View, names: Namer) -> list[str]:
    lines = [t._("<b>Indicators — {period}</b>", period=period_name(t, v.period))]
    if v.administration:
        lines.append(t._("Administration: {name}", name=esc(names("administration", v.administration))))
    if v.training:
        lines.append(t._("Training: {name}", name=esc(names("training", v.training))))
    return lines


def group_line(t: Translator, g: Group) -> str:
    return t._("Registrations {registrations}: confirmed {confirmed}, pending {pending} (waitlist "
               "{waitlisted}), cancelled {ended} · attended {attended} (attendance {attendance}) · "
               "women {women} of registrants, {women_attendees} of attendees · evaluations answered "
               "{response} · satisfaction {satisfaction}/5 · skills applied {applied}",
               registrations=t.number(g.registrations), confirmed=t.number(g.confirmed),
               pending=t.number(g.pending), ended=t.number(g.ended),
               waitlisted=t.number(g.waitlisted), attended=t.number(g.attended),
               attendance=percent(t, g.attendance_rate), women=percent(t, g.women_share),
               women_attendees=percent(t, g.women_attended_share),
               response=percent(t, g.response_rate), satisfaction=mean(t, g.satisfaction),
               applied=percent(t, g.application_rate))


def footnote(t: Translator) -> str:
    return t.ngettext("<i>— : nothing to measure, or fewer than {n} respondent (hidden).</i>",
                      "<i>— : nothing to measure, or fewer than {n} respondents (hidden).</i>",
                      MIN_RESPONDENTS)


async def summary(update: Update, context: BotContext, access: Access, v: View, names: Namer) -> None:
    t = context.t
    service = indicators(context)
    g = await service.total(service.scope(v.period, v.administration, v.training or None))
    lines = [*_filters(t, v, names), "",
             t._("📝 Registrations: {n}", n=t.number(g.registrations)),
             # TRANSLATORS: what the registrations figure above counts.
             t._("<i>Every request to join a session starting in the period, whatever became of "
                 "it:</i>"),
             t._("✅ Confirmed (a place: present, absent or to come): {n}", n=t.number(g.confirmed)),
             t._("⏳ Pending (awaiting approval, on the waiting list or offered a place): {n}, of "
                 "which waitlist {waitlisted}", n=t.number(g.pending), waitlisted=t.number(g.waitlisted)),
             t._("✖ Cancelled (by the person or the session, declined, expired or refused): {n}",
                 n=t.number(g.ended)),
             t._("🎓 Attended: {n} · attendance rate {rate}", n=t.number(g.attended),
                 rate=percent(t, g.attendance_rate)),
             t._("👩 Women: {registrants} of registrants, {attendees} of attendees",
                 registrants=percent(t, g.women_share), attendees=percent(t, g.women_attended_share)),
             t._("📋 Hot evaluations: {rate} answered · satisfaction {mean}/5",
                 rate=percent(t, g.response_rate), mean=mean(t, g.satisfaction)),
             t._("🔁 Cold evaluations: {n} answered · skills applied {rate}", n=t.number(g.cold),
                 rate=percent(t, g.application_rate)),
             "", footnote(t)]
    dims = [d for d in DIMENSIONS if not (d == "administration" and (access.scope or v.administration))
            and not (d == "training" and v.training)]
    rows = pairs([button(t._("By {dimension}", dimension=dimension(t, d).lower()), *v.data(d))
                  for d in dims])
    rows.append([button(t._("📝 Mean scores"), *v.data("scores"))])
    filters = []
    if access.scope is None:
        filters.append(button(t._("✖ All administrations"), *v.data("total", administration=None))
                       if v.administration else button(t._("🏛 One administration"), *v.data("pickadm")))
    filters.append(button(t._("✖ All trainings"), *v.data("total", training=0))
                   if v.training else button(t._("📚 One training"), *v.data("picktr")))
    rows += [filters, [button(t._("🗓 Change the period"), "dash", "menu")]]
    await show(update, "\n".join(lines), keyboard(rows))


async def breakdown(update: Update, context: BotContext, v: View, names: Namer) -> None:
    t = context.t
    service = indicators(context)
    groups = await service.breakdown(service.scope(v.period, v.administration, v.training or None), v.view)
    pages = max(1, -(-len(groups) // PAGE))
    page = min(v.page, pages - 1)
    lines = [*_filters(t, v, names), t._("<b>By {dimension}</b>", dimension=dimension(t, v.view).lower())]
    for g in groups[page * PAGE:(page + 1) * PAGE]:
        lines += ["", f"• <b>{esc(names(v.view, g.key))}</b>", group_line(t, g)]
    if not groups:
        lines += ["", t._("Nothing was recorded for this period.")]
    lines += ["", footnote(t)]
    rows = [nav_row(t, page, pages, *v.data()[:-1]), [button(t._("⬅ Summary"), *v.data("total"))]]
    await show(update, "\n".join(lines), keyboard(rows))


async def mean_scores(update: Update, context: BotContext, v: View, names: Namer) -> None:
    t = context.t
    service = indicators(context)
    scope = service.scope(v.period, v.administration, v.training or None)
    lines = [*_filters(t, v, names), t._("<b>Mean scores (1 to 5)</b>")]
    for kind in ("hot", "cold"):
        labels = await service.questions(kind)
        every = {s.qid: s for s in await service.scores(scope, kind)}
        by_sex = {(s.key, s.qid): s for s in await service.scores(scope, kind, "sex")}
        lines += ["", f"<b>{evaluation_kind(t, kind)}</b>"]
        for qid, label in labels.items():
            s = every.get(qid)
            women, men = by_sex.get(("F", qid)), by_sex.get(("M", qid))
            lines += ["• " + esc(t.pick(*label)),
                      "    " + t._("{mean} overall · women {women} · men {men} · respondents: {n}",
                                   mean=mean(t, s and s.mean), women=mean(t, women and women.mean),
                                   men=mean(t, men and men.mean), n=t.number(s.respondents if s else 0))]
    lines += ["", footnote(t)]
    await show(update, "\n".join(lines), keyboard([[button(t._("⬅ Summary"), *v.data("total"))]]))


async def pick(update: Update, context: BotContext, v: View, names: Namer) -> None:
    """A page of administrations or trainings to narrow the indicators to."""
    t = context.t
    if v.view == "pickadm":
        administrations = context.services.reference.administrations
        items = sorted(((a.code, t.pick(a.name_fr, a.name_ar)) for a in administrations), key=lambda x: x[1])
        target = lambda code: v.data("total", administration=code)  # noqa: E731
    else:
        items = sorted(((k, t.pick(*title)) for k, title in names.trainings.items()), key=lambda x: x[1])
        target = lambda code: v.data("total", training=code)  # noqa: E731
    pages = max(1, -(-len(items) // PAGE))
    page = min(v.page, pages - 1)
    rows = [[button(label[:60], *target(code))] for code, label in items[page * PAGE:(page + 1) * PAGE]]
    rows += [nav_row(t, page, pages, *v.data()[:-1]), [button(t._("⬅ Summary"), *v.data("total"))]]
    await show(update, t.to_person("Choose:"), keyboard(rows))


async def on_button(update: Update, context: BotContext) -> None:
    access = await coordinator(update, context)
    if access is None:
        return
    parts = parse(update.callback_query.data, "dash") or []
    if parts == ["menu"]:
        return await periods(update, context, access)
    if len(parts) != 5:
        return await invalid(update, context)
    period, adm, training, view, page = parts[0], parts[1], to_int(parts[2]), parts[3], to_int(parts[4])
    administration = None if adm == "-" else adm
    names = await namer(context)
    if (period not in PERIODS or view not in VIEWS or training is None or page is None
            or (training and training not in names.trainings)
            or (administration and context.services.reference.get("administrations", administration) is None)
            or (access.scope is not None and (administration != access.scope
                                              or view in ("administration", "pickadm")))):
        return await invalid(update, context)
    v = View(period, administration, training, view, page)
    if view == "total":
        return await summary(update, context, access, v, names)
    if view == "scores":
        return await mean_scores(update, context, v, names)
    if view in ("pickadm", "picktr"):
        return await pick(update, context, v, names)
    await breakdown(update, context, v, names)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("dashboard", dashboard_command))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^v1:dash:"))
