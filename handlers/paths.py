"""Learning paths in the chat: /paths lists them; a path's card shows its modules in order and
its cohorts; "Register for this cohort" books every session of it at once or joins the cohort's
waitlist; /mypath shows each of the person's paths, its progress ("2/4 ✅") and the next step,
and, once complete, the path attestation (verified by /verify like the others)."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InputFile, Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.outcomes import CohortBooking
from bot.services.path_catalogue import PathCard
from handlers import labels, notices, path_notices
from handlers.buttons import Callback, on
from handlers.cards import when
from handlers.elearning import declare_button
from handlers.ui import answer, button, esc, keyboard, say, send_file, show


@dataclass(frozen=True)
class PathList(Callback, feature="pth", action="l"):
    pass


@dataclass(frozen=True)
class PathView(Callback, feature="pth", action="v"):
    path: int


@dataclass(frozen=True)
class BookCohort(Callback, feature="pth", action="b"):
    cohort: int
    path: int


@dataclass(frozen=True)
class MyPaths(Callback, feature="pth", action="me"):
    pass


@dataclass(frozen=True)
class PathCertificate(Callback, feature="pth", action="att"):
    path: int


def module_line(t: Translator, n: int, m) -> str:
    kind = t._("e-learning") if m.elearning else labels.modality(t, m.modality)
    line = f"{t.number(n)}. {esc(t.pick(m.title_fr, m.title_ar))} — {kind}"
    if m.duration_hours:
        hours = int(m.duration_hours) if float(m.duration_hours).is_integer() else m.duration_hours
        line += " · " + t.ngettext("{n} hour", "{n} hours", hours)
    return line


def card_text(t: Translator, card: PathCard) -> str:
    lines = [f"🧭 <b>{esc(t.pick(card.title_fr, card.title_ar))}</b>",
             t.ngettext("A path of {n} module, in this order:", "A path of {n} modules, in this order:",
                        len(card.modules))]
    lines += [module_line(t, n, m) for n, m in enumerate(card.modules, 1)]
    lines.append("")
    if not card.cohorts:
        lines.append(t._("No cohort is planned yet."))
    for c in card.cohorts:
        state = {"booked": t.to_person("✅ you are registered"),
                 "waitlisted": t.to_person("⏳ you are on its waitlist")}.get(c.membership or "")
        seats = (t.ngettext("{n} place left", "{n} places left", c.seats_left) if c.seats_left
                 else t._("full"))
        lines.append(t._("👥 Cohort {code}: {when} · {seats}", code=esc(t.iso(c.code)),
                         when=when(t, c.starts_at, c.ends_at), seats=state or seats))
    return "\n".join(lines)


async def list_paths(update: Update, context: BotContext, press: PathList | None = None) -> None:
    t = context.t
    found = await context.services.path_catalogue.list()
    if not found:
        return await show(update, t._("No learning path is offered yet."))
    rows = [[button(f"🧭 {t.pick(p['title_fr'], p['title_ar'])}"[:60], PathView(p["id"]))] for p in found]
    rows.append([button(t._("My paths and my progress"), MyPaths())])
    await show(update, t._("<b>Learning paths</b>: several trainings followed in order, as one "
                           "cohort. Choose a path:"), keyboard(rows))


async def view(update: Update, context: BotContext, press: PathView) -> None:
    t = context.t
    card = await context.services.path_catalogue.card(press.path, context.person.user_id)
    if card is None:
        return await answer(update, t._("This button is no longer valid."), alert=True)
    await answer(update)
    rows = [[button(t.to_person("📝 Register for cohort {code}", code=t.iso(c.code))[:60],
                    BookCohort(c.id, card.id))]
            for c in card.cohorts if c.open and c.membership not in ("booked", "waitlisted")]
    rows.append([button(t._("⬅ Back"), PathList())])
    await show(update, card_text(t, card), keyboard(rows))


async def book(update: Update, context: BotContext, press: BookCohort) -> None:
    t = context.t
    result = await context.services.paths.book_cohort(context.person.user_id, press.cohort)
    context.services.wake_dispatcher()
    if result.outcome is CohortBooking.REFUSED:
        return await answer(update, t._("This cohort includes a session that needs your focal point's "
                                        "approval: register for its sessions one by one.")
                            if result.refusal == "needs_approval" else
                            t._("This cohort no longer takes registrations."), alert=True)
    text = {
        CohortBooking.BOOKED: t.nto_person("✅ You are registered for the whole path: {n} session. Your "
                               "confirmations and calendar files follow.",
                               "✅ You are registered for the whole path: {n} sessions. Your "
                               "confirmations and calendar files follow.", len(result.registrations)),
        CohortBooking.WAITLISTED: t.to_person("⏳ A session of this cohort is full: you are on the cohort's "
                                  "waitlist, in position {position}. No place was taken for you.",
                                  position=t.number(result.position or 1)),
    }.get(result.outcome, t.to_person("You are already registered for this cohort."))
    await answer(update)
    await say(update, text, keyboard([[button(t._("My paths and my progress"), MyPaths())]]))


async def my_paths(update: Update, context: BotContext, press: MyPaths | None = None) -> None:
    t = context.t
    mine = await context.services.path_catalogue.mine(context.person.user_id)
    if not mine:
        return await show(update, t.to_person("You follow no learning path yet: see /paths."),
                          keyboard([[button(t._("Learning paths"), PathList())]]))
    blocks, rows = [], []
    for p in mine:
        pr = p.progress
        lines = [f"🧭 <b>{esc(t.pick(p.card.title_fr, p.card.title_ar))}</b> — "
                 f"{t.number(pr.done)}/{t.number(pr.total)} ✅"]
        for n, step in enumerate(pr.steps, 1):
            date = f" — {t.date(step.starts_at)}" if step.starts_at else ""
            lines.append(f"{'✅' if step.done else '▫️'} {module_line(t, n, step.module)}{date}")
        if p.membership == "waitlisted":
            lines.append(t.to_person("⏳ You are on the cohort's waitlist, in position {position}.",
                                     position=t.number(p.position or 1)))
        elif pr.complete:
            lines.append(t.to_person("🎓 You have completed this path."))
            rows.append([button(t._("📄 Path attestation")[:40], PathCertificate(p.card.id))])
        elif pr.next is not None:
            nxt = pr.next
            when_next = f" — {t.date(nxt.starts_at)}" if nxt.starts_at else ""
            lines.append(t._("➡ Next step: {module}", module=esc(t.pick(nxt.module.title_fr,
                                                                         nxt.module.title_ar)) + when_next))
            if nxt.module.elearning:
                lines.append(t._("💻 Online: {link}", link=esc(t.iso(nxt.module.elearning_url))))
                rows.append([declare_button(t, nxt.module.training_id)])
        blocks.append("\n".join(lines))
    await show(update, "\n\n".join(blocks), keyboard(rows) if rows else None)


async def certificate(update: Update, context: BotContext, press: PathCertificate) -> None:
    t = context.t
    services = context.services
    row = await services.path_catalogue.attestation(context.person.user_id, press.path)
    if row is None:
        return await answer(update, t._("Your path is not complete yet."), alert=True)
    await answer(update)
    link = services.attestations.verify_link(services.bot_username, row["code"])
    pdf = await services.path_catalogue.pdf(row, link, services.bot_username)
    await send_file(
        update, t, InputFile(pdf, filename=f"e-tamkeen-parcours-{row['code']}.pdf"),
        caption=t._("📄 Your path attestation. Its code is <code>{code}</code> (anyone can check it "
                    "with /verify {code}).", code=row["code"]))


async def _paths_command(update: Update, context: BotContext) -> None:
    await list_paths(update, context)


async def _mypath_command(update: Update, context: BotContext) -> None:
    await my_paths(update, context)


def register(app: Application) -> None:
    notices.add(path_notices.RENDERERS)  # what this feature sends on its own (the outbox)
    app.add_handler(CommandHandler("paths", _paths_command))
    app.add_handler(CommandHandler("mypath", _mypath_command))
    app.add_handler(on(PathList, list_paths))
    app.add_handler(on(PathView, view))
    app.add_handler(on(BookCohort, book))
    app.add_handler(on(MyPaths, my_paths))
    app.add_handler(on(PathCertificate, certificate))
