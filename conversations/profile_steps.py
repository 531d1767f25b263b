"""The profile questions (name, sex, administration, level, region, position), shared by
onboarding and by editing a profile later. Each step has an `ask_*` and a `save_*`.
"""

from __future__ import annotations

import unicodedata

from telegram import Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.people import Draft
from bot.text import clean_text, visible_name
from handlers import labels
from handlers.ui import answer, button, esc, keyboard, nav_row, pairs, parse, say, show, to_int

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


class ProfileSteps:
    """Asks and saves one profile field at a time; subclasses decide what comes next."""

    name: str  # the flow name (drafts.flow)
    prefix: str  # callback data feature code

    # --- to be provided by the flow ---------------------------------------------------------
    async def after(self, update: Update, context: BotContext, draft: Draft, data: dict,
                    field: str) -> None:
        raise NotImplementedError

    async def ask(self, update: Update, context: BotContext, step: str, data: dict,
                  edit: bool = False) -> None:
        await getattr(self, f"ask_{step}")(update, context, data, edit)

    def option(self, step: str, *values: object) -> tuple:
        """What `button` takes for a button answering `step` with `values` (a flow whose buttons
        are typed, handlers/buttons.py, returns its Callback)."""
        return (self.prefix, step, *values)

    def pager(self, kind: str) -> tuple:
        """What `nav_row` takes for the pages of the administrations: the whole list ("p") or
        the matches of the last search ("q")."""
        return (self.prefix, ADMINISTRATION, kind)

    # --- routing -----------------------------------------------------------------------------
    async def handle_field(self, update: Update, context: BotContext, draft: Draft) -> bool:
        """Handle an answer to a profile question; False if the step is not a profile field."""
        saver = getattr(self, f"save_{draft.step}", None)
        if draft.step not in (NAME, SEX, ADMINISTRATION, LEVEL, REGION, POSITION) or saver is None:
            return False
        await saver(update, context, draft)
        return True

    def choice(self, update: Update, step: str) -> list[str] | None:
        """The value of a button of this step, or None (text, stale or foreign button)."""
        query = update.callback_query
        parts = parse(query.data, self.prefix) if query else None
        if not parts or parts[0] != step:
            return None
        return parts[1:]

    async def wrong_input(self, update: Update, context: BotContext, draft: Draft,
                          message: str) -> None:
        """Explain, then ask the same question again: nothing is lost."""
        if update.callback_query:
            await answer(update, message, alert=True)
        else:
            await say(update, message)
        await self.ask(update, context, draft.step, draft.data)

    async def use_buttons(self, update: Update, context: BotContext, draft: Draft) -> None:
        t = context.t
        if update.callback_query:
            msg = t._("That button belongs to an earlier question. Here is the current one.")
        else:
            msg = t._("Please answer with the buttons below.")
        await self.wrong_input(update, context, draft, msg)

    # --- name --------------------------------------------------------------------------------
    async def ask_name(self, update: Update, context: BotContext, data: dict, edit: bool) -> None:
        t = context.t
        await say(update, t._("What is your full name (first name and last name)?"))

    async def save_name(self, update: Update, context: BotContext, draft: Draft) -> None:
        t = context.t
        message = update.message
        if message is None or message.text is None or update.callback_query:
            return await self.wrong_input(update, context, draft,
                                          t._("Please type your name as a text message."))
        name, error = validate_name(message.text)
        if error:
            reasons = {
                "too_long": t._("That is too long: a name has at most {max} characters.",
                                max=t.number(NAME_MAX)),
                "characters": t._("Please use letters only (spaces, hyphens and apostrophes "
                                  "are fine)."),
                "too_short": t._("Please type your first name and your last name."),
                "blank": t._("This name has no visible letter: please type your first name and "
                             "your last name in letters."),
            }
            return await self.wrong_input(update, context, draft, reasons[error])
        await self.after(update, context, draft, {**draft.data, "full_name": name}, NAME)

    # --- sex ---------------------------------------------------------------------------------
    async def ask_sex(self, update: Update, context: BotContext, data: dict, edit: bool) -> None:
        t = context.t
        text = t._("The programme reports every figure for women and men. You are:")
        rows = [[button(labels.sex(t, "F"), *self.option(SEX, "F")),
                 button(labels.sex(t, "M"), *self.option(SEX, "M"))]]
        await (show if edit else say)(update, text, keyboard(rows))

    async def save_sex(self, update: Update, context: BotContext, draft: Draft) -> None:
        value = self.choice(update, SEX)
        if not value or value[0] not in ("F", "M"):
            return await self.use_buttons(update, context, draft)
        context.address(value[0])  # the next question already speaks to her as a woman
        await self.after(update, context, draft, {**draft.data, "sex": value[0]}, SEX)

    # --- administration ------------------------------------------------------------------------
    async def ask_administration(self, update: Update, context: BotContext, data: dict,
                                 edit: bool, page: int = 0) -> None:
        t = context.t
        admins = context.services.reference.administrations
        pages = max(1, -(-len(admins) // ADMIN_PAGE))
        page = min(max(0, page), pages - 1)
        shown = admins[page * ADMIN_PAGE : (page + 1) * ADMIN_PAGE]
        rows = [[button(t.pick(a.name_fr, a.name_ar), *self.option(ADMINISTRATION, a.code))]
                for a in shown]
        rows.append(nav_row(t, page, pages, *self.pager("p")))
        text = t.to_person("Which administration do you work for? Choose it below, or type part of "
                    "its name.")
        await (show if edit else say)(update, text, keyboard(rows))

    async def save_administration(self, update: Update, context: BotContext, draft: Draft) -> None:
        t = context.t
        reference = context.services.reference
        if update.callback_query:
            value = self.choice(update, ADMINISTRATION)
            if value and value[0] == "p" and len(value) == 2 and to_int(value[1]) is not None:
                return await self.ask_administration(update, context, draft.data, True,
                                                     to_int(value[1]) or 0)
            if (value and value[0] == "q" and len(value) == 2 and to_int(value[1]) is not None
                    and draft.data.get("admin_query")):
                return await self.ask_matches(update, context, draft.data,
                                              to_int(value[1]) or 0, True)
            admin = reference.get("administrations", value[0]) if value else None
            if admin is None:
                return await self.use_buttons(update, context, draft)
            return await self.after(update, context, draft,
                                    {**draft.data, "administration_code": admin.code}, ADMINISTRATION)
        message = update.message
        if message is None or not message.text:
            return await self.wrong_input(update, context, draft, t._(
                "Please choose your administration below, or type part of its name."))
        query = clean_text(message.text)[:100]
        if not reference.search_administrations(query, limit=None):
            text = t.to_person("No administration matches “{query}”. Try another word, or choose from "
                       "the list.", query=esc(query))
            await say(update, text)
            return await self.ask_administration(update, context, draft.data, False)
        # The query is kept in the draft: the pages' buttons cannot carry it (64 bytes).
        data = {**draft.data, "admin_query": query}
        await context.services.people.save_draft(draft.user_id, self.name, draft.step, data)
        await self.ask_matches(update, context, data, 0, False)

    async def ask_matches(self, update: Update, context: BotContext, data: dict, page: int,
                          edit: bool) -> None:
        """Every administration matching the last search, a page at a time, counted in full."""
        t = context.t
        query = data.get("admin_query") or ""
        found = context.services.reference.search_administrations(query, limit=None)
        pages = max(1, -(-len(found) // ADMIN_PAGE))
        page = min(max(0, page), pages - 1)
        rows = [[button(t.pick(a.name_fr, a.name_ar), *self.option(ADMINISTRATION, a.code))]
                for a in found[page * ADMIN_PAGE : (page + 1) * ADMIN_PAGE]]
        rows.append(nav_row(t, page, pages, *self.pager("q")))
        rows.append([button(t._("Show the whole list"), *self.option(ADMINISTRATION, "p", 0))])
        text = t.ngettext("{n} administration matches “{query}”:",
                          "{n} administrations match “{query}”:", len(found), query=esc(query))
        await (show if edit else say)(update, text, keyboard(rows))

    # --- level and region ------------------------------------------------------------------------
    async def ask_level(self, update: Update, context: BotContext, data: dict, edit: bool) -> None:
        t = context.t
        rows = [[button(labels.level(t, "central"), *self.option(LEVEL, "central"))],
                [button(labels.level(t, "territorial"), *self.option(LEVEL, "territorial"))]]
        await (show if edit else say)(update, t.to_person("Where do you work?"), keyboard(rows))

    async def save_level(self, update: Update, context: BotContext, draft: Draft) -> None:
        value = self.choice(update, LEVEL)
        if not value or value[0] not in ("central", "territorial"):
            return await self.use_buttons(update, context, draft)
        data = {**draft.data, "level": value[0]}
        if value[0] == "central":
            data["region_code"] = None
        await self.after(update, context, draft, data, LEVEL)

    async def ask_region(self, update: Update, context: BotContext, data: dict, edit: bool) -> None:
        t = context.t
        regions = context.services.reference.regions
        rows = pairs([button(t.pick(r.name_fr, r.name_ar), *self.option(REGION, r.code))
                      for r in regions])
        await (show if edit else say)(update, t._("In which region?"), keyboard(rows))

    async def save_region(self, update: Update, context: BotContext, draft: Draft) -> None:
        value = self.choice(update, REGION)
        region = context.services.reference.get("regions", value[0]) if value else None
        if region is None:
            return await self.use_buttons(update, context, draft)
        await self.after(update, context, draft, {**draft.data, "region_code": region.code}, REGION)

    # --- position --------------------------------------------------------------------------------
    async def ask_position(self, update: Update, context: BotContext, data: dict, edit: bool) -> None:
        t = context.t
        rows = [[button(t.pick(p.name_fr, p.name_ar), *self.option(POSITION, p.code))]
                for p in context.services.reference.positions]
        await (show if edit else say)(update, t._("What is your position?"), keyboard(rows))

    async def save_position(self, update: Update, context: BotContext, draft: Draft) -> None:
        value = self.choice(update, POSITION)
        position = context.services.reference.get("positions", value[0]) if value else None
        if position is None:
            return await self.use_buttons(update, context, draft)
        await self.after(update, context, draft, {**draft.data, "position_code": position.code},
                         POSITION)


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
