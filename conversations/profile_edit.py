"""Changing one answer of an existing profile (from /profile)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.services.people import PROFILE_EDIT, PROFILE_FIELDS, Draft
from conversations.flow import EscapableFlow
from conversations.profile_steps import LEVEL, REGION, ProfileSteps
from handlers import profile
from handlers.ui import answer, parse


class ProfileEdit(EscapableFlow, ProfileSteps):
    name = PROFILE_EDIT
    prefix = "pe"

    async def begin(self, update: Update, context: BotContext, press: profile.EditField) -> None:
        """Open the edit of the field named by the pressed button (handlers.profile.EditField)."""
        p = context.person.profile
        if p is None or not p.onboarded:
            return await answer(update, context.t._("This button is no longer valid."), alert=True)
        data = {k: getattr(p, k) for k in PROFILE_FIELDS}
        await context.services.people.save_draft(p.id, self.name, press.field, data)
        await answer(update)
        await self.ask(update, context, press.field, data)

    async def cancel(self, update: Update, context: BotContext, draft: Draft) -> None:
        await super().cancel(update, context, draft)
        await profile.show_profile(update, context, edit=False)

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        query = update.callback_query
        if query is not None and parse(query.data, self.prefix) is None:
            await context.services.people.drop_draft(draft.user_id, self.name)
            return False  # a button of another feature: the edit is left, that button works
        if not await self.handle_field(update, context, draft):
            await context.services.people.drop_draft(draft.user_id, self.name)

    async def after(self, update: Update, context: BotContext, draft: Draft, data: dict,
                    field: str) -> None:
        if field == LEVEL and data["level"] == "territorial":
            await context.services.people.save_draft(draft.user_id, self.name, REGION, data)
            return await self.ask(update, context, REGION, data, edit=True)
        await context.services.people.update_profile(draft.user_id, data)
        context.set_person(await context.services.people.load(draft.user_id), None)
        await answer(update, context.t._("Saved."))
        await profile.show_profile(update, context, edit=update.callback_query is not None)
