"""Onboarding: language → privacy notice and consent → name → sex → administration → level
(→ region) → position → summary (any answer can be changed) → main menu. Declared as steps
(conversations/flow); the profile questions are conversations/profile_steps'. It holds
newcomers, so no command leaves it: /cancel stops it, /help, /privacy and /language answer
and come back to the question, any other command is asked to wait.
"""

from __future__ import annotations

import re

from telegram import Update

from bot.context import BotContext
from bot.i18n import LANGUAGES, resolve_language
from bot.services.people import ONBOARDING, Draft
from bot.timeutil import to_db
from conversations.flow import Finish, Go, Outcome, Step, StepFlow, command_of
from conversations.onboarding_buttons import (
    PROFILE_BUTTONS,
    Confirm,
    Consent,
    EditAnswer,
    PickLanguage,
)
from conversations.profile_steps import (
    ADMINISTRATION,
    EDITABLE,
    LEVEL,
    NAME,
    POSITION,
    REGION,
    SEX,
    ProfileSteps,
    edit_label,
    profile_lines,
)
from handlers import menu, roles
from handlers.digital_profile import offer_profile
from handlers.labels import LANGUAGE_NAMES
from handlers.menu import INVITE_PAYLOAD
from handlers.privacy import privacy_notice
from handlers.ui import answer, button, esc, keyboard, say, show

LANGUAGE, CONSENT, SUMMARY = "language", "consent", "summary"
NEXT = {NAME: SEX, SEX: ADMINISTRATION, ADMINISTRATION: LEVEL, REGION: POSITION, POSITION: SUMMARY}
SESSION_PAYLOAD = re.compile(r"^s_([0-9]{1,12})$")  # ASCII: \d takes any script's digits


class Onboarding(StepFlow, ProfileSteps):
    name = ONBOARDING
    escapable = False
    leaves_on_foreign_button = False  # a newcomer has nothing else to go to
    asks_again_after_refusal = True
    buttons = PROFILE_BUTTONS

    def __init__(self) -> None:
        self.steps = {
            LANGUAGE: Step(self.asker(LANGUAGE), buttons={PickLanguage: self.pick_language}),
            CONSENT: Step(self.asker(CONSENT), buttons={Consent: self.consent}),
            **self.profile_steps(),
            SUMMARY: Step(self.asker(SUMMARY), buttons={EditAnswer: self.edit_answer,
                                                        Confirm: self.confirm}),
        }

    async def begin(self, update: Update, context: BotContext) -> None:
        """A newcomer writes for the first time: open a draft in their likely language."""
        user = update.effective_user
        data = {"language": resolve_language(None, user.language_code if user else None)}
        payload = _start_payload(update)
        if payload and SESSION_PAYLOAD.match(payload):
            data["session"] = int(payload[2:])
        elif payload and INVITE_PAYLOAD.match(payload):
            data["invite"] = payload[2:]  # taken once the profile exists
        await context.services.people.save_draft(context.person.user_id, self.name, LANGUAGE, data)
        context.use_language(data["language"])
        await self.ask_language(update, context, data, False)

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        """Commands and edits first (the router leaves them to a flow no command leaves), then the
        step's answer as in every StepFlow."""
        command = command_of(update)
        if command is not None:
            return await self.command(update, context, draft, command)
        if update.edited_message is not None:
            return await say(update, context.t._("Edited messages are not read: please send your "
                                                 "answer as a new message."))
        if draft.step not in self.steps:
            # A step this release does not know (draft from another version): start again.
            await context.services.people.drop_draft(draft.user_id, self.name)
            return await self.begin(update, context)
        return await super().handle(update, context, draft)

    async def command(self, update: Update, context: BotContext, draft: Draft, command: str) -> None:
        t = context.t
        if command == "cancel":
            await context.services.people.drop_draft(draft.user_id, self.name)
            return await say(update, t.to_person("Registration stopped; nothing was kept. Send /start "
                                                 "whenever you want to begin again."))
        if command in ("help", "privacy", "language"):
            return await self.side_command(update, context, draft, command)
        await say(update, t.to_person("Let us finish your registration first (or send /cancel). "
                                      "Here is where we stopped:"))
        await self.ask(update, context, draft.step, draft.data)

    async def side_command(self, update: Update, context: BotContext, draft: Draft,
                           command: str) -> None:
        """/help, /privacy and /language answer a newcomer too, then the step they were at."""
        t = context.t
        if command == "language":
            if draft.step == LANGUAGE:
                return await self.ask_language(update, context, draft.data, False)
            # Where to come back once the language is chosen.
            data = {**draft.data, "resume": draft.step}
            await context.services.people.save_draft(draft.user_id, self.name, LANGUAGE, data)
            return await self.ask_language(update, context, data, False)
        if command == "privacy" and draft.step != CONSENT:  # the consent step shows it already
            await say(update, privacy_notice(t, context.services.settings.retention_years))
        if command == "help":
            await say(update, "\n".join([
                t._("<b>e-TAMKEEN</b> registers civil servants for the programme's trainings in "
                    "digital transformation: catalogue, registration, reminders, evaluations and "
                    "attestations."),
                t._("First, a few questions to create your profile; then /help lists everything "
                    "the bot can do."),
                t._("Meanwhile: /language changes the language, /privacy tells what is kept about "
                    "you, /cancel stops the registration."),
            ]))
        await self.ask(update, context, draft.step, draft.data)

    def off_question(self, update: Update, context: BotContext) -> str:
        """Said for an update that answers nothing at the current step, in that step's terms."""
        t = context.t
        draft = context.person.draft
        step = draft.step if draft else None
        if step == NAME:
            return t._("Please type your name as a text message.")
        if update.callback_query:
            return t._("That button belongs to an earlier question. Here is the current one.")
        if step == ADMINISTRATION:
            return t._("Please choose your administration below, or type part of its name.")
        return t._("Please answer with the buttons below.")

    def chosen(self, data: dict, field: str) -> Outcome:
        """A field was answered: the next question, or back to the summary when editing."""
        if field == LEVEL:
            step = REGION if data["level"] == "territorial" else (
                SUMMARY if data.get("editing") else POSITION)
        elif data.get("editing"):
            step = SUMMARY
        else:
            step = NEXT[field]
        return Go(data, step)

    # --- language ------------------------------------------------------------------------------
    async def ask_language(self, update: Update, context: BotContext, data: dict, edit: bool) -> None:
        t = context.t
        current = data.get("language")
        rows = [[button(("✓ " if code == current else "") + LANGUAGE_NAMES[code], PickLanguage(code))
                 for code in LANGUAGES]]
        text = t._("Welcome to e-TAMKEEN, the digital-skills programme for civil servants. "
                   "Which language do you prefer?")
        await (show if edit else say)(update, text, keyboard(rows))

    async def pick_language(self, context: BotContext, data: dict, press: PickLanguage) -> Outcome:
        if press.code not in LANGUAGES:
            return None
        context.use_language(press.code)
        data = {**data, "language": press.code}
        return Go(data, data.pop("resume", None) or CONSENT)

    # --- consent -------------------------------------------------------------------------------
    async def ask_consent(self, update: Update, context: BotContext, data: dict, edit: bool) -> None:
        t = context.t
        text = "\n".join([privacy_notice(t, context.services.settings.retention_years),
                          t._("Do you agree?")])
        rows = [[button(t._("✅ I agree"), Consent("yes")), button(t._("I decline"), Consent("no"))]]
        await (show if edit else say)(update, text, keyboard(rows))

    async def consent(self, context: BotContext, data: dict, press: Consent) -> Outcome:
        if press.answer == "no":
            return Finish(declined, data)
        if press.answer != "yes":
            return None
        return Go({**data, "consent_at": to_db(context.services.clock.now())}, NAME)

    # --- summary -------------------------------------------------------------------------------
    async def ask_summary(self, update: Update, context: BotContext, data: dict, edit: bool) -> None:
        t = context.t
        text = "\n".join([t._("<b>Please check your answers:</b>"),
                          *profile_lines(t, context, data)])
        rows = [[button(edit_label(t, f), EditAnswer(f))] for f in EDITABLE]
        rows.append([button(t._("✅ Confirm"), Confirm())])
        await (show if edit else say)(update, text, keyboard(rows))

    async def edit_answer(self, context: BotContext, data: dict, press: EditAnswer) -> Outcome:
        return Go({**data, "editing": True}, press.field) if press.field in EDITABLE else None

    async def confirm(self, context: BotContext, data: dict, press: Confirm) -> Outcome:
        """The profile and the end of the draft are written in one transaction."""
        people = context.services.people
        await people.complete_onboarding(context.person.user_id, data)
        context.set_person(await people.load(context.person.user_id), None)
        return Finish(welcome, data)


async def declined(update: Update, context: BotContext, data: dict) -> None:
    await show(update, context.t._("Understood: nothing about you has been stored. If you change "
                                   "your mind, send /start."))


async def welcome(update: Update, context: BotContext, data: dict) -> None:
    """The last message of onboarding: thanks, the invitation or the session the person came
    with, else the main menu."""
    await answer(update)
    await say(update, context.t._("Thank you, {name}! Your profile is ready.",
                                  name=esc(context.t.iso(data.get("full_name", "")))))
    if data.get("invite"):
        await roles.redeem(update, context, data["invite"])
    if data.get("session"):
        return await menu.show_session_link(update, context, data["session"])
    await offer_profile(update, context)
    await menu.send_main_menu(update, context)


def _start_payload(update: Update) -> str | None:
    message = update.message
    if message is None or not message.text or not message.text.startswith("/start"):
        return None
    parts = message.text.split(maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else None
