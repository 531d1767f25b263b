"""Changing one field of a session (place in French or Arabic, online link, registration
deadline, approval, language, region) or one text of a training (titles, descriptions): type or
choose the new value → confirm, old → new shown → saved. A new place or link is news for
everyone registered, told as a move is (bot/services/sessions.edit); the rest is not.
Declared as steps (conversations/flow)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.services import field_edit as fields
from bot.services.access import Role
from bot.services.field_edit import MAX_TEXT, SESSION_LANGUAGES, check_text
from bot.services.links import check_link, link_reason
from bot.services.outcomes import FieldChange, FieldRefusal, SessionChange
from bot.timeutil import from_db, to_db
from conversations import field_texts as ft
from conversations.field_texts import TOLD, choices, field_name, question, shown
from conversations.flow import Finish, Go, Outcome, Step, StepFlow
from conversations.reschedule import parse_local
from handlers.browse_buttons import SessionCard, TrainingPage
from handlers.ui import answer, button, keyboard, say, show

FIELD_EDIT = "field_edit"
VALUE, CONFIRM = "value", "confirm"


async def _current(context: BotContext, kind: str, target: int, field: str) -> dict | None:
    """The field's value now as a draft stores it (and a session's start, which bounds its
    deadline); None for a session or training gone."""
    if kind == "s":
        s = await context.services.catalogue.session(target)
        if s is None or s.status != "published":
            return None
        value = getattr(s, field)
        return {"old": to_db(value) if field == "registration_deadline" and value else value,
                "start": to_db(s.starts_at)}
    tr = await context.services.catalogue.training(target)
    return {"old": getattr(tr, field)} if tr else None


async def begin(update: Update, context: BotContext, kind: str, target: int, field: str) -> None:
    """The coordinator chose a field (the caller checked their role)."""
    t = context.t
    if field not in (fields.SESSION_FIELDS if kind == "s" else fields.TRAINING_FIELDS):
        return await answer(update, t._("This button is no longer valid."), alert=True)
    current = await _current(context, kind, target, field)
    if current is None:
        return await answer(update, t._("This session no longer exists.") if kind == "s"
                            else t._("This training is no longer in the catalogue."), alert=True)
    await FieldEdit().start(update, context, VALUE, {"kind": kind, "id": target, "field": field, **current})


async def ask_value(update: Update, context: BotContext, data: dict) -> None:
    t, field = context.t, data["field"]
    text = "\n".join([f"<b>{field_name(t, field)}</b>",
                      t._("Now: {value}", value=shown(context, field, data["old"])),
                      question(t, field)])
    await say(update, text, keyboard(choices(context, field)))


# --- a typed value, by field (the fields chosen from buttons take no text) ------------------------
async def read_typed(context: BotContext, data: dict, typed: str) -> Outcome:
    field = data["field"]
    if field in ("needs_approval", "language", "region_code"):
        return None
    read = {"online_url": _link, "registration_deadline": _deadline}.get(field, _text)
    return read(context, data, typed)


def _link(context: BotContext, data: dict, typed: str) -> Outcome:
    # Checked as typed (not cleaned): an invisible character inside is refused.
    link, reason = check_link(typed)
    return link_reason(context.t, reason) if reason else _new(data, link)


def _deadline(context: BotContext, data: dict, typed: str) -> Outcome:
    t = context.t
    when = parse_local(typed)
    if when is None:
        return t._("Please write the date and time as YYYY-MM-DD HH:MM, for example 2026-12-10 09:30.")
    if when <= context.services.clock.now() or (data.get("start") and when > from_db(data["start"])):
        return t._("The deadline must be to come and no later than the start of the session.")
    return _new(data, to_db(when))


def _text(context: BotContext, data: dict, typed: str) -> Outcome:
    t, field = context.t, data["field"]
    text, reason = check_text(field, typed)
    if reason is FieldRefusal.EMPTY:
        return t._("The text cannot be empty: please type it.")
    if reason is FieldRefusal.TOO_LONG:
        limit = fields.MAX_PLACE if field.startswith("place") else MAX_TEXT[field]
        return t.ngettext("This is too long: at most {n} character, please shorten it.",
                          "This is too long: at most {n} characters, please shorten it.", limit)
    return _new(data, text)


def _new(data: dict, value) -> Go:
    return Go({**data, "new": value}, CONFIRM)


# --- a value chosen (each button counts only for its own field) -----------------------------------
async def no_deadline(context: BotContext, data: dict, press: ft.NoDeadline) -> Outcome:
    return _new(data, None) if data["field"] == "registration_deadline" else None


async def approval(context: BotContext, data: dict, press: ft.Approval) -> Outcome:
    return _new(data, press.needed) if data["field"] == "needs_approval" else None


async def language(context: BotContext, data: dict, press: ft.Language) -> Outcome:
    if data["field"] != "language" or not 0 <= press.index < len(SESSION_LANGUAGES):
        return None
    return _new(data, SESSION_LANGUAGES[press.index])


async def region(context: BotContext, data: dict, press: ft.Region) -> Outcome:
    known = context.services.reference.get("regions", press.code)
    return _new(data, press.code) if data["field"] == "region_code" and known else None


async def ask_confirm(update: Update, context: BotContext, data: dict) -> None:
    t, field = context.t, data["field"]
    lines = [f"<b>{field_name(t, field)}</b>",
             t._("Before: {value}", value=shown(context, field, data["old"])),
             t._("After: {value}", value=shown(context, field, data["new"]))]
    if data["kind"] == "s" and field in TOLD:
        lines.append(t._("Everyone registered will be told."))
    await say(update, "\n".join(lines), keyboard([[button(t._("✅ Confirm"), ft.Confirm()),
                                                  button(t._("✖ Keep as it was"), ft.KeepAsItWas())]]))


async def confirm(context: BotContext, data: dict, press: ft.Confirm) -> Outcome:
    return Finish(applied, data)


async def keep_as_it_was(context: BotContext, data: dict, press: ft.KeepAsItWas) -> Outcome:
    return Finish(kept, data)


async def kept(update: Update, context: BotContext, data: dict) -> None:
    await show(update, context.t._("Nothing was changed."))


async def applied(update: Update, context: BotContext, data: dict) -> None:
    from handlers.session_admin import refusal

    t, field, target = context.t, data["field"], data["id"]
    actor = context.person.user_id
    if data["kind"] == "t":
        outcome = await context.services.sessions.edit_training_text(actor, target, field, data["new"])
        back = button(t._("⬅ Back to the training"), TrainingPage(target))
        text = {FieldChange.CHANGED: t._("Done: the training is changed."),
                FieldChange.UNCHANGED: t._("Nothing was changed.")}.get(
            outcome, t._("This training is no longer in the catalogue."))
        return await show(update, text, keyboard([[back]]))
    value = from_db(data["new"]) if field == "registration_deadline" else data["new"]
    change = await context.services.sessions.edit(actor, target, field, value)
    context.services.wake_dispatcher()
    back = keyboard([[button(t._("⬅ Back to the session"), SessionCard(target))]])
    if change.outcome is SessionChange.REFUSED:
        return await show(update, refusal(context, change.refusal), back)
    if change.outcome is SessionChange.UNCHANGED:
        return await show(update, t._("Nothing was changed."), back)
    await show(update, t.ngettext("Done: {n} person is being told.", "Done: {n} people are being told.",
                                  change.told) if field in TOLD else t._("Done: the session is changed."),
               back)


class FieldEdit(StepFlow):
    name = FIELD_EDIT
    requires = Role.NATIONAL  # re-checked on every step
    steps = {
        VALUE: Step(ask_value, text=read_typed, buttons={
            ft.NoDeadline: no_deadline, ft.Approval: approval, ft.Language: language, ft.Region: region}),
        CONFIRM: Step(ask_confirm, buttons={ft.Confirm: confirm, ft.KeepAsItWas: keep_as_it_was}),
    }
