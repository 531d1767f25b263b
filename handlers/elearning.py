"""E-learning modules in the chat: the learner code in /profile (by which the platform's export
is matched), "I have finished this module" (from /mypath or the weekly nudge), the trainers'
/elearning list of declarations to confirm, and the weekly nudge's text."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext, Services
from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.services import elearning_review
from bot.services.access import Role
from bot.services.notice_reads import OutboxRow
from handlers import notices
from handlers.access import requires
from handlers.buttons import Callback, on
from handlers.ui import answer, button, esc, keyboard, show


@dataclass(frozen=True)
class Declare(Callback, feature="eln", action="d"):
    training: int


@dataclass(frozen=True)
class Confirm(Callback, feature="eln", action="ok"):
    user: int
    training: int


def declare_button(t: Translator, training_id: int):
    return button(t.to_person("✅ I have finished this module"), Declare(training_id))


async def learner_line(context: BotContext) -> str:
    """The /profile line with the person's learner code (made on first view)."""
    code = await context.services.elearning.learner_code(context.person.user_id)
    return context.t._("🎓 Learner code for the e-learning platform: <code>{code}</code>",
                       code=context.t.iso(code))


async def declare(update: Update, context: BotContext, press: Declare) -> None:
    t = context.t
    source, url = await elearning_review.state(context.services.db, context.person.user_id, press.training)
    if url is None:
        return await answer(update, t._("This button is no longer valid."), alert=True)
    if source is None:
        await context.services.elearning.declare(context.person.user_id, press.training)
    await answer(update, t._("Noted: a trainer will confirm it.") if source in (None, "self")
                 else t._("This module is already recorded as complete."), alert=True)


async def pending(update: Update, context: BotContext, press: Confirm | None = None) -> None:
    t = context.t
    found = await elearning_review.pending(context.services.db)
    if not found:
        return await show(update, t._("No e-learning completion is waiting for a confirmation."))
    lines = [t.to_person("<b>E-learning modules these people say they finished</b>. Confirm what "
                         "you have checked:")]
    rows = []
    for n, d in enumerate(found, 1):
        lines.append(f"{t.number(n)}. {esc(t.iso(d.full_name))} — {esc(t.pick(d.title_fr, d.title_ar))}"
                     f" — {t.date(d.declared_at)}")
        rows.append([button(t._("✅ Confirm {number}", number=t.number(n)),
                            Confirm(d.user_id, d.training_id))])
    await show(update, "\n".join(lines), keyboard(rows))


async def confirm(update: Update, context: BotContext, press: Confirm) -> None:
    t = context.t
    done = await context.services.elearning.confirm(press.user, press.training)
    await answer(update, t._("✅ Confirmed.") if done else t._("This button is no longer valid."),
                 alert=not done)
    await pending(update, context)


@requires(Role.TRAINER)
async def elearning_command(update: Update, context: BotContext) -> None:
    await pending(update, context)


async def nudge(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    """The weekly nudge; skipped once the module is complete or declared."""
    training = row.payload["training"]
    source, url = await elearning_review.state(services.db, row.user_id, training)
    if source is not None or url is None:
        return None
    title = await services.db.read(lambda c: c.execute(
        "SELECT title_fr, title_ar FROM trainings WHERE id = ?", (training,)).fetchone())
    text = "\n".join([t.to_person("📚 Your e-learning module is not finished yet:"),
                      f"<b>{esc(t.pick(title[0], title[1]))}</b>",
                      t._("💻 Online: {link}", link=esc(t.iso(url)))])
    return Notice(text, keyboard([[declare_button(t, training)]]))


RENDERERS = {elearning_review.NUDGE: nudge}


def register(app: Application) -> None:
    notices.add(RENDERERS)  # what this feature sends on its own (the outbox)
    app.add_handler(CommandHandler("elearning", elearning_command))
    app.add_handler(on(Declare, declare))
    app.add_handler(on(Confirm, confirm, requires=Role.TRAINER))
