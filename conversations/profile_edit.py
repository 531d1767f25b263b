"""Changing one answer of an existing profile (from /profile). Declared as steps
(conversations/flow); the questions are the onboarding's (conversations/profile_steps), with
typed buttons."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from bot.context import BotContext
from bot.services.people import PROFILE_EDIT, PROFILE_FIELDS, Draft
from bot.text import clean_text
from conversations.flow import Finish, Go, Outcome, Step, StepFlow
from conversations.profile_steps import (
    ADMINISTRATION,
    LEVEL,
    NAME,
    NAME_MAX,
    POSITION,
    REGION,
    SEX,
    ProfileSteps,
    validate_name,
)
from handlers import profile
from handlers.buttons import Callback
from handlers.ui import answer, esc


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


PICKS = {SEX: PickSex, ADMINISTRATION: PickAdministration, LEVEL: PickLevel, REGION: PickRegion,
         POSITION: PickPosition}


class ProfileEdit(StepFlow, ProfileSteps):
    name = PROFILE_EDIT
    prefix = "pe"

    def __init__(self) -> None:
        self.steps = {
            NAME: Step(self._asker(NAME), text=self.read_name),
            SEX: Step(self._asker(SEX), buttons={PickSex: self.pick_sex}),
            ADMINISTRATION: Step(self.ask_admin, text=self.search, buttons={
                PickAdministration: self.pick_administration, AdministrationsPage: self.turn_page,
                MatchesPage: self.turn_page}),
            LEVEL: Step(self._asker(LEVEL), buttons={PickLevel: self.pick_level}),
            REGION: Step(self._asker(REGION), buttons={PickRegion: self.pick_region}),
            POSITION: Step(self._asker(POSITION), buttons={PickPosition: self.pick_position}),
        }

    # --- the onboarding's questions, with this flow's typed buttons -------------------------------
    def option(self, step: str, *values: object) -> tuple:
        if step == ADMINISTRATION and values[0] == "p":
            return (AdministrationsPage(int(values[1])),)
        return (PICKS[step](str(values[0])),)

    def pager(self, kind: str) -> tuple:
        return (AdministrationsPage if kind == "p" else MatchesPage,)

    def _asker(self, step: str):
        async def ask(update: Update, context: BotContext, data: dict) -> None:
            await self.ask(update, context, step, data, edit=update.callback_query is not None)
        return ask

    async def ask_admin(self, update: Update, context: BotContext, data: dict) -> None:
        """The whole list or the matches of the last search, at the page the draft keeps."""
        kind, page = data.get("admin_view") or ("p", 0)
        edit = update.callback_query is not None
        if kind == "q" and data.get("admin_query"):
            return await self.ask_matches(update, context, data, page, edit)
        await self.ask_administration(update, context, data, edit, page)

    def off_question(self, update: Update, context: BotContext) -> str:
        t = context.t
        if update.callback_query is not None:
            return t._("That button belongs to an earlier question. Here is the current one.")
        return t._("Please answer with the buttons below.")

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

    # --- reading the answers ---------------------------------------------------------------------
    async def read_name(self, context: BotContext, data: dict, typed: str) -> Outcome:
        t = context.t
        name, error = validate_name(typed)
        if error:
            return {
                "too_long": t._("That is too long: a name has at most {max} characters.",
                                max=t.number(NAME_MAX)),
                "characters": t._("Please use letters only (spaces, hyphens and apostrophes are fine)."),
                "too_short": t._("Please type your first name and your last name."),
                "blank": t._("This name has no visible letter: please type your first name and your "
                             "last name in letters."),
            }[error]
        return self._chosen({**data, "full_name": name}, NAME)

    async def pick_sex(self, context: BotContext, data: dict, press: PickSex) -> Outcome:
        if press.code not in ("F", "M"):
            return None
        context.address(press.code)  # what follows already speaks to her as a woman
        return self._chosen({**data, "sex": press.code}, SEX)

    async def search(self, context: BotContext, data: dict, typed: str) -> Outcome:
        query = clean_text(typed)[:100]
        if not context.services.reference.search_administrations(query, limit=None):
            return context.t.to_person("No administration matches “{query}”. Try another word, or choose "
                                       "from the list.", query=esc(query))
        # The query is kept in the draft: the pages' buttons cannot carry it (64 bytes).
        return Go({**data, "admin_query": query, "admin_view": ("q", 0)}, ADMINISTRATION)

    async def turn_page(self, context: BotContext, data: dict, press) -> Outcome:
        kind = "q" if isinstance(press, MatchesPage) else "p"
        if kind == "q" and not data.get("admin_query"):
            return None
        return Go({**data, "admin_view": (kind, press.page)}, ADMINISTRATION)

    async def pick_administration(self, context: BotContext, data: dict,
                                  press: PickAdministration) -> Outcome:
        admin = context.services.reference.get("administrations", press.code)
        return self._chosen({**data, "administration_code": admin.code}, ADMINISTRATION) if admin else None

    async def pick_level(self, context: BotContext, data: dict, press: PickLevel) -> Outcome:
        if press.code not in ("central", "territorial"):
            return None
        extra = {"region_code": None} if press.code == "central" else {}
        return self._chosen({**data, "level": press.code, **extra}, LEVEL)

    async def pick_region(self, context: BotContext, data: dict, press: PickRegion) -> Outcome:
        region = context.services.reference.get("regions", press.code)
        return self._chosen({**data, "region_code": region.code}, REGION) if region else None

    async def pick_position(self, context: BotContext, data: dict, press: PickPosition) -> Outcome:
        position = context.services.reference.get("positions", press.code)
        return self._chosen({**data, "position_code": position.code}, POSITION) if position else None

    def _chosen(self, data: dict, field: str) -> Outcome:
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
