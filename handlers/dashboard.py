"""/dashboard: the programme's indicators (DESIGN 5.5) for a period, an administration or a
training, broken down by sex, administration, level, region, modality or training.

Every button is a View (where the person is), checked again on every press: a focal point's
buttons must name their own administration.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.access import Access, Role
from bot.services.indicators import MIN_RESPONDENTS, PERIODS, Group
from bot.services.vocabulary import DIMENSIONS, Namer, dimension, evaluation_kind
from handlers.access import requires
from handlers.buttons import Callback, StaleButton, on
from handlers.reports_ui import indicators, mean, namer, percent, period_name
from handlers.ui import button, esc, keyboard, nav_row, pairs, show

PAGE = 8
VIEWS = ("total", "scores", "pickadm", "picktr", *DIMENSIONS)
EVERY = "-"  # every administration (the data's spelling of no filter)


@dataclass(frozen=True)
class View(Callback, feature="dash", action="v"):
    """Where the person is: the filters, what is shown, the page."""

    period: str
    adm: str  # an administration's code, or EVERY
    training: int  # 0: every training
    view: str
    page: int = 0

    @property
    def administration(self) -> str | None:
        return None if self.adm == EVERY else self.adm

    def to(self, view: str | None = None, page: int = 0, **changes) -> View:
        """The view a button leads to (a filter changed with administration= or training=)."""
        if "administration" in changes:
            changes["adm"] = changes.pop("administration") or EVERY
        return replace(self, view=view or self.view, page=page, **changes)


@dataclass(frozen=True)
class Gains(Callback, feature="gain", action="v"):
    """The learning gains (handlers.learning_gains), and the view to go back to: declared here,
    beside the view whose screen shows it, as learning_gains imports View."""

    period: str
    training: int


@dataclass(frozen=True)
class ChangePeriod(Callback, feature="dash", action="menu"):
    pass


@requires(Role.COORDINATOR)
async def dashboard_command(update: Update, context: BotContext) -> None:
    """/dashboard: choose the period."""
    await periods(update, context, await context.access())


async def periods(update: Update, context: BotContext, access: Access) -> None:
    t = context.t
    rows = pairs([button(period_name(t, p), View(p, access.scope or EVERY, 0, "total")) for p in PERIODS])
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
    # TRANSLATORS: button of the indicators; {dimension} is e.g. “sex”, “administration”, “age group” (lower
    # case).
    rows = pairs([button(t._("By {dimension}", dimension=dimension(t, d).lower()), v.to(d))
                  for d in dims])
    # TRANSLATORS: button: the mean evaluation scores per question.
    rows.append([button(t._("📝 Mean scores"), v.to("scores"))])
    filters = []
    if access.scope is None:
        rows[-1].append(button(t._("🧠 Learning gains"), Gains(v.period, v.training)))
        filters.append(button(t._("✖ All administrations"), v.to("total", administration=None))
                       if v.administration else button(t._("🏛 One administration"), v.to("pickadm")))
    filters.append(button(t._("✖ All trainings"), v.to("total", training=0))
                   if v.training else button(t._("📚 One training"), v.to("picktr")))
    rows += [filters, [button(t._("🗓 Change the period"), ChangePeriod())]]
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
    rows = [nav_row(t, page, pages, lambda n: v.to(page=n)), [button(t._("⬅ Summary"), v.to("total"))]]
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
    await show(update, "\n".join(lines), keyboard([[button(t._("⬅ Summary"), v.to("total"))]]))


async def pick(update: Update, context: BotContext, v: View, names: Namer) -> None:
    """A page of administrations or trainings to narrow the indicators to."""
    t = context.t
    if v.view == "pickadm":
        administrations = context.services.reference.administrations
        items = sorted(((a.code, t.pick(a.name_fr, a.name_ar)) for a in administrations), key=lambda x: x[1])
        target = lambda code: v.to("total", administration=code)  # noqa: E731
    else:
        items = sorted(((k, t.pick(*title)) for k, title in names.trainings.items()), key=lambda x: x[1])
        target = lambda code: v.to("total", training=code)  # noqa: E731
    pages = max(1, -(-len(items) // PAGE))
    page = min(v.page, pages - 1)
    rows = [[button(label[:60], target(code))] for code, label in items[page * PAGE:(page + 1) * PAGE]]
    rows += [nav_row(t, page, pages, lambda n: v.to(page=n)), [button(t._("⬅ Summary"), v.to("total"))]]
    await show(update, t.to_person("Choose:"), keyboard(rows))


async def on_change_period(update: Update, context: BotContext, press: ChangePeriod) -> None:
    await periods(update, context, await context.access())


async def on_view(update: Update, context: BotContext, v: View) -> None:
    access = await context.access()
    names = await namer(context)
    administration = v.administration
    if (v.period not in PERIODS or v.view not in VIEWS
            or (v.training and v.training not in names.trainings)
            or (administration and context.services.reference.get("administrations", administration) is None)
            or (access.scope is not None and (administration != access.scope
                                              or v.view in ("administration", "pickadm")))):
        raise StaleButton
    if v.view == "total":
        return await summary(update, context, access, v, names)
    if v.view == "scores":
        return await mean_scores(update, context, v, names)
    if v.view in ("pickadm", "picktr"):
        return await pick(update, context, v, names)
    await breakdown(update, context, v, names)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("dashboard", dashboard_command))
    app.add_handler(on(ChangePeriod, on_change_period, requires=Role.COORDINATOR))
    app.add_handler(on(View, on_view, requires=Role.COORDINATOR))
