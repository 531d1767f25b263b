"""The profile questions (name, sex, administration, level, region, position), shared by
onboarding and by editing a profile later: each step's question (`ask_*`) and its readers (the
typed answer, the typed buttons), as steps of a StepFlow (conversations/flow). Each flow brings
its own buttons (its feature code) and says what follows an answer (`chosen`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from telegram import Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.text import clean_text, visible_name
from conversations.flow import Go, Outcome, Step
from handlers import labels
from handlers.buttons import Callback
from handlers.ui import button, esc, keyboard, nav_row, pairs, say, show

NAME, SEX, ADMINISTRATION, LEVEL, REGION, POSITION = (
    "name", "sex", "administration", "level", "region", "position"
)
ADMIN_PAGE = 8
NAME_MAX = 80


def validate_name(raw: str) -> tuple[str | None, str | None]:
    """Return (name, None) or (None, error code). The name is kept as it prints: a name of
    Hangul fillers or zero-width characters would print blank on rosters and attestations."""
    name = visible_name(raw)
    if len(name) > NAME_MAX:
        return None, "too_long"
    allowed = all(
        c.isalpha() or c in " '-.’" or unicodedata.category(c) == "Mn" for c in name
    )
    if not allowed:
        return None, "characters"
    letters = sum(1 for c in name if c.isalpha())
    if not letters:
        return None, "blank"
    if letters < 2 or sum(1 for word in name.split() if any(c.isalpha() for c in word)) < 2:
        return None, "too_short"
    return name, None


@dataclass(frozen=True)
class ProfileButtons:
    """One flow's typed buttons for the profile questions: each pick carries `code: str`, each
    page `page: int` (handlers/buttons.py)."""

    sex: type[Callback]
    administration: type[Callback]
    admin_page: type[Callback]  # the whole list
    matches_page: type[Callback]  # the matches of the last search (kept in the draft)
    level: type[Callback]
    region: type[Callback]
    position: type[Callback]


class ProfileSteps:
    """Mixed into a StepFlow: `profile_steps()` gives its steps for the six questions."""

    name: str  # the flow name (drafts.flow)
    buttons: ProfileButtons

    # --- to be provided by the flow ---------------------------------------------------------
    def chosen(self, data: dict, field: str) -> Outcome:
        """What follows an answer to `field` (data holds it already)."""
        raise NotImplementedError

    def profile_steps(self) -> dict[str, Step]:
        b = self.buttons
        return {
            NAME: Step(self.asker(NAME), text=self.read_name),
            SEX: Step(self.asker(SEX), buttons={b.sex: self.pick_sex}),
            ADMINISTRATION: Step(self.ask_admin, text=self.search, buttons={
                b.administration: self.pick_administration, b.admin_page: self.turn_page,
                b.matches_page: self.turn_page}),
            LEVEL: Step(self.asker(LEVEL), buttons={b.level: self.pick_level}),
            REGION: Step(self.asker(REGION), buttons={b.region: self.pick_region}),
            POSITION: Step(self.asker(POSITION), buttons={b.position: self.pick_position}),
        }

    async def ask(self, update: Update, context: BotContext, step: str, data: dict,
                  edit: bool = False) -> None:
        if step == ADMINISTRATION:
            return await self.ask_admin(update, context, data, edit)
        await getattr(self, f"ask_{step}")(update, context, data, edit)

    def asker(self, step: str):
        """The step's question, editing the message whose button was pressed."""
        async def ask(update: Update, context: BotContext, data: dict) -> None:
            await self.ask(update, context, step, data, edit=update.callback_query is not None)
        return ask

    # --- name --------------------------------------------------------------------------------
    async def ask_name(self, update: Update, context: BotContext, data: dict, edit: bool) -> None:
        await say(update, context.t._("What is your full name (first name and last name)?"))

    async def read_name(self, context: BotContext, data: dict, typed: str) -> Outcome:
        t = context.t
        name, error = validate_name(typed)
        if error:
            return {
                "too_long": t._("That is too long: a name has at most {max} characters.",
                                max=t.number(NAME_MAX)),
                "characters": t._("Please use letters only (spaces, hyphens and apostrophes "
                                  "are fine)."),
                "too_short": t._("Please type your first name and your last name."),
                "blank": t._("This name has no visible letter: please type your first name and "
                             "your last name in letters."),
            }[error]
        return self.chosen({**data, "full_name": name}, NAME)

    # --- sex ---------------------------------------------------------------------------------
    async def ask_sex(self, update: Update, context: BotContext, data: dict, edit: bool) -> None:
        t = context.t
        text = t._("The programme reports every figure for women and men. You are:")
        rows = [[button(labels.sex(t, "F"), self.buttons.sex("F")),
                 button(labels.sex(t, "M"), self.buttons.sex("M"))]]
        await (show if edit else say)(update, text, keyboard(rows))

    async def pick_sex(self, context: BotContext, data: dict, press) -> Outcome:
        if press.code not in ("F", "M"):
            return None
        context.address(press.code)  # the next question already speaks to her as a woman
        return self.chosen({**data, "sex": press.code}, SEX)

    # --- administration ------------------------------------------------------------------------
    async def ask_admin(self, update: Update, context: BotContext, data: dict,
                        edit: bool | None = None) -> None:
        """The whole list or the matches of the last search, at the page the draft keeps."""
        kind, page = data.get("admin_view") or ("p", 0)
        edit = update.callback_query is not None if edit is None else edit
        if kind == "q" and data.get("admin_query"):
            return await self.ask_matches(update, context, data, page, edit)
        await self.ask_administration(update, context, data, edit, page)

    async def ask_administration(self, update: Update, context: BotContext, data: dict,
                                 edit: bool, page: int = 0) -> None:
        t = context.t
        admins = context.services.reference.administrations
        pages = max(1, -(-len(admins) // ADMIN_PAGE))
        page = min(max(0, page), pages - 1)
        shown = admins[page * ADMIN_PAGE : (page + 1) * ADMIN_PAGE]
        rows = [[button(t.pick(a.name_fr, a.name_ar), self.buttons.administration(a.code))]
                for a in shown]
        rows.append(nav_row(t, page, pages, self.buttons.admin_page))
        text = t.to_person("Which administration do you work for? Choose it below, or type part of "
                    "its name.")
        await (show if edit else say)(update, text, keyboard(rows))

    async def ask_matches(self, update: Update, context: BotContext, data: dict, page: int,
                          edit: bool) -> None:
        """Every administration matching the last search, a page at a time, counted in full."""
        t = context.t
        query = data.get("admin_query") or ""
        found = context.services.reference.search_administrations(query, limit=None)
        pages = max(1, -(-len(found) // ADMIN_PAGE))
        page = min(max(0, page), pages - 1)
        rows = [[button(t.pick(a.name_fr, a.name_ar), self.buttons.administration(a.code))]
                for a in found[page * ADMIN_PAGE : (page + 1) * ADMIN_PAGE]]
        rows.append(nav_row(t, page, pages, self.buttons.matches_page))
        rows.append([button(t._("Show the whole list"), self.buttons.admin_page(0))])
        text = t.ngettext("{n} administration matches “{query}”:",
                          "{n} administrations match “{query}”:", len(found), query=esc(query))
        await (show if edit else say)(update, text, keyboard(rows))

    async def search(self, context: BotContext, data: dict, typed: str) -> Outcome:
        query = clean_text(typed)[:100]
        if not context.services.reference.search_administrations(query, limit=None):
            return context.t.to_person("No administration matches “{query}”. Try another word, or "
                                       "choose from the list.", query=esc(query))
        # The query is kept in the draft: the pages' buttons cannot carry it (64 bytes).
        return Go({**data, "admin_query": query, "admin_view": ("q", 0)}, ADMINISTRATION)

    async def turn_page(self, context: BotContext, data: dict, press) -> Outcome:
        kind = "q" if isinstance(press, self.buttons.matches_page) else "p"
        if kind == "q" and not data.get("admin_query"):
            return None
        return Go({**data, "admin_view": (kind, press.page)}, ADMINISTRATION)

    async def pick_administration(self, context: BotContext, data: dict, press) -> Outcome:
        admin = context.services.reference.get("administrations", press.code)
        if admin is None:
            return None
        return self.chosen({**data, "administration_code": admin.code}, ADMINISTRATION)

    # --- level and region ------------------------------------------------------------------------
    async def ask_level(self, update: Update, context: BotContext, data: dict, edit: bool) -> None:
        t = context.t
        rows = [[button(labels.level(t, "central"), self.buttons.level("central"))],
                [button(labels.level(t, "territorial"), self.buttons.level("territorial"))]]
        await (show if edit else say)(update, t.to_person("Where do you work?"), keyboard(rows))

    async def pick_level(self, context: BotContext, data: dict, press) -> Outcome:
        if press.code not in ("central", "territorial"):
            return None
        extra = {"region_code": None} if press.code == "central" else {}
        return self.chosen({**data, "level": press.code, **extra}, LEVEL)

    async def ask_region(self, update: Update, context: BotContext, data: dict, edit: bool) -> None:
        t = context.t
        regions = context.services.reference.regions
        rows = pairs([button(t.pick(r.name_fr, r.name_ar), self.buttons.region(r.code))
                      for r in regions])
        await (show if edit else say)(update, t._("In which region?"), keyboard(rows))

    async def pick_region(self, context: BotContext, data: dict, press) -> Outcome:
        region = context.services.reference.get("regions", press.code)
        return self.chosen({**data, "region_code": region.code}, REGION) if region else None

    # --- position --------------------------------------------------------------------------------
    async def ask_position(self, update: Update, context: BotContext, data: dict, edit: bool) -> None:
        t = context.t
        rows = [[button(t.pick(p.name_fr, p.name_ar), self.buttons.position(p.code))]
                for p in context.services.reference.positions]
        await (show if edit else say)(update, t._("What is your position?"), keyboard(rows))

    async def pick_position(self, context: BotContext, data: dict, press) -> Outcome:
        position = context.services.reference.get("positions", press.code)
        return self.chosen({**data, "position_code": position.code}, POSITION) if position else None


def profile_lines(t: Translator, context: BotContext, data: dict) -> list[str]:
    """The profile as labelled lines (summary of onboarding, /profile)."""
    ref = context.services.reference
    admin = ref.get("administrations", data.get("administration_code"))
    region = ref.get("regions", data.get("region_code"))
    position = ref.get("positions", data.get("position_code"))
    level = labels.level(t, data.get("level"))
    if data.get("level") == "territorial" and region:
        level = f"{level} — {t.pick(region.name_fr, region.name_ar)}"
    return [
        t._("<b>Name:</b> {value}", value=esc(t.iso(data.get("full_name") or "—"))),
        t._("<b>Sex:</b> {value}", value=labels.sex(t, data.get("sex"))),
        t._("<b>Administration:</b> {value}",
            value=esc(t.pick(admin.name_fr, admin.name_ar)) if admin else "—"),
        t._("<b>Level:</b> {value}", value=esc(level)),
        t._("<b>Position:</b> {value}",
            value=esc(t.pick(position.name_fr, position.name_ar)) if position else "—"),
    ]


EDITABLE = (NAME, SEX, ADMINISTRATION, LEVEL, POSITION)


def edit_label(t: Translator, field: str) -> str:
    return {
        NAME: t._("✏️ Name"),
        SEX: t._("✏️ Sex"),
        ADMINISTRATION: t._("✏️ Administration"),
        LEVEL: t._("✏️ Level and region"),
        POSITION: t._("✏️ Position"),
    }[field]
