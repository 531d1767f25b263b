"""/privacy, /mydata and /deleteme: the rights of law 09-08, in the person's language; and the
two things retention needs (noting visits, erasing the long inactive every day)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from telegram import BotCommandScopeChat, InputFile, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler

from bot.context import BotContext, Services
from bot.i18n import LANGUAGES, Translator
from bot.services.privacy import PrivacyService
from handlers import attestation
from handlers.buttons import Callback, on
from handlers.ui import answer, button, keyboard, say, send_file, show

log = logging.getLogger("etamkeen.privacy")

CONFIRM_MINUTES = 10  # the last "yes, erase" button works this long, then /deleteme again


@dataclass(frozen=True)
class AttestationsFirst(Callback, feature="priv", action="pdf"):
    pass


@dataclass(frozen=True)
class Continue(Callback, feature="priv", action="go"):
    pass


@dataclass(frozen=True)
class Erase(Callback, feature="priv", action="yes"):
    minute: int  # when the last confirmation was shown (minutes since the epoch)


@dataclass(frozen=True)
class Keep(Callback, feature="priv", action="no"):
    pass


def privacy_service(services: Services) -> PrivacyService:
    return services.privacy


def privacy_notice(t: Translator, retention_years: int) -> str:
    """What is stored, why, who sees it, how long, and the person's rights (onboarding too)."""
    keep = (t.nto_person("<b>How long:</b> until you erase it, and at most {n} year after your last "
                       "activity.", "<b>How long:</b> until you erase it, and at most {n} years "
                       "after your last activity.", retention_years)
            if retention_years else t.to_person("<b>How long:</b> until you erase it."))
    return "\n".join([
        t._("<b>Your personal data</b>"),
        t._("To register you for trainings, e-TAMKEEN stores your name, sex, administration, level, "
            "region and position, your registrations, attendance and evaluation answers, and the "
            "messages the bot has to send you."),
        t._("<b>Why:</b> to organise the trainings and to report the programme's results for women "
            "and men (figures are published only as totals)."),
        t._("<b>Who sees it:</b> the programme team, the focal point of your administration and "
            "your trainers."),
        keep,
        t._("<b>Your rights</b> (law 09-08): /profile shows and corrects your profile, /mydata "
            "sends you a copy of everything stored about you, /deleteme erases it. After an "
            "erasure, your past participation and evaluation answers are kept only anonymously "
            "(without your name or Telegram account), so that the programme's totals stay true."),
    ])


async def privacy_command(update: Update, context: BotContext) -> None:
    """/privacy: the notice again, at any time."""
    await say(update, privacy_notice(context.t, context.services.settings.retention_years))


async def mydata(update: Update, context: BotContext) -> None:
    """/mydata: a JSON file of everything stored about the person."""
    service = privacy_service(context.services)
    name, content = service.as_file(await service.export(context.person.user_id, context.t.lang))
    await answer(update)
    await send_file(
        update, context.t, InputFile(content, filename=name),
        caption=context.t._("🔒 Here is a copy of everything e-TAMKEEN stores about you (a JSON "
                            "file; times are in UTC). To erase it: /deleteme."))


def _keep_button(t: Translator):
    return button(t._("No, keep my data"), Keep())


async def deleteme(update: Update, context: BotContext) -> None:
    """/deleteme: first of two confirmations."""
    t = context.t
    attestations = len(await context.services.attestations.available(context.person.user_id))
    lines = [
        t._("<b>Erase my data</b>"),
        t._("This erases your profile and everything that identifies you: your name, your Telegram "
            "account, your registrations, interests and the messages waiting for you. Your places "
            "in upcoming sessions are cancelled and offered to the next people in line."),
        t._("Your past participation and evaluation answers are kept only anonymously (sex, "
            "administration, level and region, without your name), so that the programme's totals "
            "stay true."),
        t.to_person("Tip: /mydata first sends you a copy of your data."),
    ]
    # TRANSLATORS: button: go on to the last confirmation before erasing the person's data.
    rows = [[button(t._("Continue"), Continue())], [_keep_button(t)]]
    if attestations:
        # Their codes are erased too: an employer checking one later is told it is not genuine.
        lines.append(t.ngettext(
            "⚠️ You have {n} attestation of participation: once your data is erased, it can no "
            "longer be downloaded and its verification code will no longer verify.",
            "⚠️ You have {n} attestations of participation: once your data is erased, they can no "
            "longer be downloaded and their verification codes will no longer verify.",
            attestations))
        rows.insert(0, [button(t._("📄 Download my attestations first"), AttestationsFirst())])
    lines.append(t.to_person("Do you want to continue?"))
    await say(update, "\n".join(lines), keyboard(rows))


async def on_attestations_first(update: Update, context: BotContext, press: AttestationsFirst) -> None:
    """The attestations as PDFs, then the same question again below them."""
    await answer(update, context.t._("Preparing your attestation…"))
    waiting = await attestation.send_all(update, context)
    if waiting:
        await say(update, context.t.ngettext(
            "{n} attestation waits for your answers to its evaluation questionnaire (/evaluations).",
            "{n} attestations wait for your answers to their evaluation questionnaires (/evaluations).",
            waiting))
    await deleteme(update, context)


async def on_continue(update: Update, context: BotContext, press: Continue) -> None:
    t = context.t
    service = privacy_service(context.services)
    upcoming = await service.upcoming(context.person.user_id)
    lines = [t._("⚠️ <b>Last confirmation</b>"), t._("Erasing cannot be undone.")]
    if upcoming:
        lines.append(t.ngettext("{n} registration in an upcoming session will be cancelled.",
                                "{n} registrations in upcoming sessions will be cancelled.", upcoming))
    lines.append(t.to_person("Erase everything now?"))
    stamp = int(context.services.clock.now().timestamp() // 60)
    rows = [[button(t._("🗑 Yes, erase my data"), Erase(stamp))], [_keep_button(t)]]
    await show(update, "\n".join(lines), keyboard(rows))


async def on_erase(update: Update, context: BotContext, press: Erase) -> None:
    t = context.t
    now_minute = int(context.services.clock.now().timestamp() // 60)
    if not 0 <= now_minute - press.minute <= CONFIRM_MINUTES:
        return await show(update, t.to_person("This confirmation has expired: nothing was erased. Send "
                                      "/deleteme to start again."))
    user_id = context.person.user_id
    await answer(update)
    await privacy_service(context.services).erase(user_id)
    # Whatever PTB keeps in memory about the person goes too.
    context.application.drop_user_data(user_id)
    if update.effective_chat is not None:
        context.application.drop_chat_data(update.effective_chat.id)
    if getattr(context.person, "has_role", False):
        await _drop_personal_menu(context, user_id)
    context.services.wake_dispatcher()  # freed places were offered to the next in line
    await show(update, t.to_person("Your data has been erased. Thank you for taking part in e-TAMKEEN. If "
                           "you want to come back one day, send /start."))


async def _drop_personal_menu(context: BotContext, user_id: int) -> None:
    """A former role holder's own command menu (set in their chat) goes with the roles."""
    for lang in (*LANGUAGES, None):
        try:
            await context.bot.delete_my_commands(scope=BotCommandScopeChat(user_id), language_code=lang)
        except TelegramError as exc:  # a menu is a comfort: the erasure is done already
            log.info("could not drop the command menu of %s: %s", user_id, exc)
            return


async def on_keep(update: Update, context: BotContext, press: Keep) -> None:
    await show(update, context.t._("Nothing was erased. Your data stays as it was."))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("privacy", privacy_command))
    app.add_handler(CommandHandler("mydata", mydata))
    app.add_handler(CommandHandler("deleteme", deleteme))
    app.add_handler(on(AttestationsFirst, on_attestations_first))
    app.add_handler(on(Continue, on_continue))
    app.add_handler(on(Erase, on_erase))
    app.add_handler(on(Keep, on_keep))
    settings = app.bot_data.settings  # before start-up: the settings only (bot.context.Boot)
    if app.job_queue is not None and settings.background_jobs and settings.retention_years > 0:
        app.job_queue.run_repeating(_retention_job, interval=timedelta(days=1),
                                    first=timedelta(minutes=10), name="retention")


async def _retention_job(context: BotContext) -> None:
    """Daily: erase the people inactive for longer than ETAMKEEN_RETENTION_YEARS."""
    await privacy_service(context.bot_data).purge_inactive()
