"""Changing one answer of an existing profile (from /profile). Declared as steps
(conversations/flow); the questions are the onboarding's (conversations/profile_steps), with
typed buttons."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from bot.context import BotContext
from bot.services.people import PROFILE_EDIT, PROFILE_FIELDS, Draft
from conversations.flow import Finish, Go, Outcome, StepFlow
from conversations.profile_steps import LEVEL, REGION, ProfileButtons, ProfileSteps
from handlers import profile
from handlers.buttons import Callback, StaleButton
from handlers.ui import answer


@dataclass(frozen=True)
class PickSex(Callback, feature="pe", action="sex"):
    code: str


@dataclass(frozen=True)
class PickAdministration(Callback, feature="pe", action="administration"):
    code: str


@dataclass(frozen=True)
class AdministrationsPage(Callback, feature="pe", action="ap"):
    page: int


@dataclass(frozen=True)
class MatchesPage(Callback, feature="pe", action="aq"):
    page: int


@dataclass(frozen=True)
class PickLevel(Callback, feature="pe", action="level"):
    code: str


@dataclass(frozen=True)
class PickRegion(Callback, feature="pe", action="region"):
    code: str


@dataclass(frozen=True)
class PickPosition(Callback, feature="pe", action="position"):
    code: str


class ProfileEdit(StepFlow, ProfileSteps):
    name = PROFILE_EDIT
    buttons = ProfileButtons(sex=PickSex, administration=PickAdministration,
                             admin_page=AdministrationsPage, matches_page=MatchesPage,
                             level=PickLevel, region=PickRegion, position=PickPosition)

    def __init__(self) -> None:
        self.steps = self.profile_steps()

    def off_question(self, update: Update, context: BotContext) -> str:
        t = context.t
        if update.callback_query is not None:
            return t._("That button belongs to an earlier question. Here is the current one.")
        return t._("Please answer with the buttons below.")

    async def begin(self, update: Update, context: BotContext, press: profile.EditField) -> None:
        """Open the edit of the field named by the pressed button (handlers.profile.EditField)."""
        p = context.person.profile
        if p is None or not p.onboarded:
            raise StaleButton
        data = {k: getattr(p, k) for k in PROFILE_FIELDS}
        await context.services.people.save_draft(p.id, self.name, press.field, data)
        await answer(update)
        await self.ask(update, context, press.field, data)

    async def cancel(self, update: Update, context: BotContext, draft: Draft) -> None:
        await super().cancel(update, context, draft)
        await profile.show_profile(update, context, edit=False)

    def chosen(self, data: dict, field: str) -> Outcome:
        """A territorial level asks the region next; any other answer is saved."""
        if field == LEVEL and data["level"] == "territorial":
            return Go(data, REGION)
        return Finish(self._save, data)

    async def _save(self, update: Update, context: BotContext, data: dict) -> None:
        people = context.services.people
        await people.update_profile(context.person.user_id, data)
        context.set_person(await people.load(context.person.user_id), None)
        await answer(update, context.t._("Saved."))
        await profile.show_profile(update, context, edit=update.callback_query is not None)
