"""Onboarding: language → privacy notice and consent → name → sex → administration → level
(→ region) → position → summary (any answer can be changed) → main menu.
"""

from __future__ import annotations

import re

from telegram import Update

from bot.context import BotContext
from bot.i18n import LANGUAGES, resolve_language
from bot.services.people import ONBOARDING, Draft
from bot.timeutil import to_db
from conversations.flow import command_of
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


class Onboarding(ProfileSteps):
    name = ONBOARDING
    prefix = "ob"
    escapable = False

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

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> None:
        t = context.t
        command = command_of(update)
        if command == "cancel":
            await context.services.people.drop_draft(draft.user_id, self.name)
            return await say(update, t.to_person("Registration stopped; nothing was kept. Send /start "
                                         "whenever you want to begin again."))
        if command in ("help", "privacy", "language"):
            return await self.side_command(update, context, draft, command)
        if command is not None:
            await say(update, t.to_person("Let us finish your registration first (or send /cancel). "
                                  "Here is where we stopped:"))
            return await self.ask(update, context, draft.step, draft.data)
        if update.edited_message is not None:
            return await say(update, t._("Edited messages are not read: please send your answer "
                                         "as a new message."))
        if draft.step == LANGUAGE:
            return await self.save_language(update, context, draft)
        if draft.step == CONSENT:
            return await self.save_consent(update, context, draft)
        if draft.step == SUMMARY:
            return await self.save_summary(update, context, draft)
        if not await self.handle_field(update, context, draft):
            # A step this release does not know (draft from another version): start again.
            await context.services.people.drop_draft(draft.user_id, self.name)
            await self.begin(update, context)

    async def side_command(self, update: Update, context: BotContext, draft: Draft,
                           command: str) -> None:
        """/help, /privacy and /language answer a newcomer too, then the step they were at."""
        t = context.t
        if command == "language":
            if draft.step == LANGUAGE:
                return await self.ask_language(update, context, draft.data, False)
            # Where to come back once the language is chosen.
            return await self._go(update, context, {**draft.data, "resume": draft.step}, LANGUAGE)
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

    async def after(self, update: Update, context: BotContext, draft: Draft, data: dict,
                    field: str) -> None:
        """A field was answered: next question, or back to the summary when editing."""
        if field == LEVEL:
            step = REGION if data["level"] == "territorial" else (
                SUMMARY if data.get("editing") else POSITION)
        elif data.get("editing"):
            step = SUMMARY
        else:
            step = NEXT[field]
        await self._go(update, context, data, step)

    async def _go(self, update: Update, context: BotContext, data: dict, step: str) -> None:
        await context.services.people.save_draft(context.person.user_id, self.name, step, data)
        await self.ask(update, context, step, data, edit=update.callback_query is not None)

    # --- language ------------------------------------------------------------------------------
    async def ask_language(self, update: Update, context: BotContext, data: dict, edit: bool) -> None:
        t = context.t
        current = data.get("language")
        rows = [[button(("✓ " if code == current else "") + LANGUAGE_NAMES[code], self.prefix,
                        LANGUAGE, code) for code in LANGUAGES]]
        text = t._("Welcome to e-TAMKEEN, the digital-skills programme for civil servants. "
                   "Which language do you prefer?")
        await (show if edit else say)(update, text, keyboard(rows))

    async def save_language(self, update: Update, context: BotContext, draft: Draft) -> None:
        value = self.choice(update, LANGUAGE)
        if not value or value[0] not in LANGUAGES:
            return await self.use_buttons(update, context, draft)
        context.use_language(value[0])
        data = {**draft.data, "language": value[0]}
        await self._go(update, context, data, data.pop("resume", None) or CONSENT)

    # --- consent -------------------------------------------------------------------------------
    async def ask_consent(self, update: Update, context: BotContext, data: dict, edit: bool) -> None:
        t = context.t
        text = "\n".join([privacy_notice(t, context.services.settings.retention_years),
                          t._("Do you agree?")])
        rows = [[button(t._("✅ I agree"), self.prefix, CONSENT, "yes"),
                 button(t._("I decline"), self.prefix, CONSENT, "no")]]
        await (show if edit else say)(update, text, keyboard(rows))

    async def save_consent(self, update: Update, context: BotContext, draft: Draft) -> None:
        t = context.t
        value = self.choice(update, CONSENT)
        if not value or value[0] not in ("yes", "no"):
            return await self.use_buttons(update, context, draft)
        if value[0] == "no":
            await context.services.people.drop_draft(draft.user_id, self.name)
            return await show(update, t._("Understood: nothing about you has been stored. If you "
                                          "change your mind, send /start."))
        now = to_db(context.services.clock.now())
        await self._go(update, context, {**draft.data, "consent_at": now}, NAME)

    # --- summary -------------------------------------------------------------------------------
    async def ask_summary(self, update: Update, context: BotContext, data: dict, edit: bool) -> None:
        t = context.t
        text = "\n".join([t._("<b>Please check your answers:</b>"),
                          *profile_lines(t, context, data)])
        rows = [[button(edit_label(t, f), self.prefix, SUMMARY, "edit", f)] for f in EDITABLE]
        rows.append([button(t._("✅ Confirm"), self.prefix, SUMMARY, "confirm")])
        await (show if edit else say)(update, text, keyboard(rows))

    async def save_summary(self, update: Update, context: BotContext, draft: Draft) -> None:
        value = self.choice(update, SUMMARY)
        if value and value[0] == "edit" and len(value) == 2 and value[1] in EDITABLE:
            return await self._go(update, context, {**draft.data, "editing": True}, value[1])
        if not value or value[0] != "confirm":
            return await self.use_buttons(update, context, draft)
        data = draft.data
        await context.services.people.complete_onboarding(draft.user_id, data)
        context.set_person(await context.services.people.load(draft.user_id), None)
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
