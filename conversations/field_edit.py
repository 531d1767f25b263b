"""Changing one field of a session (place in French or Arabic, online link, registration
deadline, approval, language, region) or one text of a training (titles, descriptions): type or
choose the new value → confirm, old → new shown → saved. A new place or link is news for
everyone registered, told as a move is (bot/services/sessions.edit); the rest is not."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.services import field_edit as fields
from bot.services.field_edit import MAX_TEXT, SESSION_LANGUAGES, check_text
from bot.services.links import check_link, link_reason
from bot.services.people import Draft
from bot.timeutil import from_db, to_db
from conversations.field_texts import TOLD, choices, field_name, question, shown
from conversations.flow import EscapableFlow
from conversations.reschedule import parse_local
from handlers.browse_buttons import SessionCard, TrainingPage
from handlers.ui import answer, button, keyboard, parse, say, show

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
    data = {"kind": kind, "id": target, "field": field, **current}
    await context.services.people.save_draft(context.person.user_id, FIELD_EDIT, VALUE, data)
    await answer(update)
    await _ask(update, context, data)


async def _ask(update: Update, context: BotContext, data: dict) -> None:
    t, field = context.t, data["field"]
    text = "\n".join([f"<b>{field_name(t, field)}</b>",
                      t._("Now: {value}", value=shown(context, field, data["old"])),
                      question(t, field)])
    await say(update, text, keyboard(choices(context, field)))


class FieldEdit(EscapableFlow):
    name = FIELD_EDIT

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        t = context.t
        people = context.services.people
        if not (await context.access()).manages_sessions:  # re-authorised on every step
            await people.drop_draft(draft.user_id, self.name)
            return await say(update, t._("This button is no longer valid."))
        data = dict(draft.data)
        query = update.callback_query
        parts = parse(query.data, "fe") if query else None
        if query is not None and parts is None:
            await people.drop_draft(draft.user_id, self.name)
            return False  # another feature's button: the edit is left
        await answer(update)
        if draft.step == CONFIRM and parts == ["go"]:
            await people.drop_draft(draft.user_id, self.name)
            return await self._apply(update, context, data)
        if draft.step == CONFIRM and parts == ["no"]:
            await people.drop_draft(draft.user_id, self.name)
            return await show(update, t._("Nothing was changed."))
        typed = update.message.text if update.message and update.message.text else None
        value, problem = self._read(context, data, typed, parts)
        if problem:
            return await say(update, problem)
        if value is _NOTHING or draft.step != VALUE:
            await say(update, t._("Please answer the question below."))
            return await (_ask(update, context, data) if draft.step == VALUE
                          else self._confirm(update, context, data))
        data["new"] = value
        await people.save_draft(draft.user_id, self.name, CONFIRM, data)
        await self._confirm(update, context, data)

    def _read(self, context: BotContext, data: dict, typed: str | None, parts: list[str] | None):
        """(value as the draft stores it, or _NOTHING when there is none; a refusal to say)."""
        t, field = context.t, data["field"]
        chosen = parts[1] if parts and len(parts) == 2 and parts[0] == "v" else None
        if field == "online_url" and typed is not None:
            # Checked as typed (not cleaned): an invisible character inside is refused.
            link, reason = check_link(typed)
            return link, link_reason(t, reason) if reason else None
        if field == "registration_deadline":
            if chosen == "none":
                return None, None
            if typed is None:
                return _NOTHING, None
            when = parse_local(typed)
            s_start = data.get("start")
            if when is None:
                return _NOTHING, t._("Please write the date and time as YYYY-MM-DD HH:MM, for "
                                     "example 2026-12-10 09:30.")
            if when <= context.services.clock.now() or (s_start and when > from_db(s_start)):
                return _NOTHING, t._("The deadline must be to come and no later than the start of "
                                     "the session.")
            return to_db(when), None
        if field == "needs_approval":
            return (chosen == "1") if chosen in ("0", "1") else _NOTHING, None
        if field == "language":
            return chosen if chosen in SESSION_LANGUAGES else _NOTHING, None
        if field == "region_code":
            return chosen if chosen and context.services.reference.get("regions", chosen) else _NOTHING, None
        if typed is None:
            return _NOTHING, None
        text, reason = check_text(field, typed)
        if reason == "empty":
            return _NOTHING, t._("The text cannot be empty: please type it.")
        if reason == "too_long":
            limit = fields.MAX_PLACE if field.startswith("place") else MAX_TEXT[field]
            return _NOTHING, t.ngettext("This is too long: at most {n} character, please shorten it.",
                                        "This is too long: at most {n} characters, please shorten it.",
                                        limit)
        return text, None

    async def _confirm(self, update: Update, context: BotContext, data: dict) -> None:
        t, field = context.t, data["field"]
        lines = [f"<b>{field_name(t, field)}</b>",
                 t._("Before: {value}", value=shown(context, field, data["old"])),
                 t._("After: {value}", value=shown(context, field, data["new"]))]
        if data["kind"] == "s" and field in TOLD:
            lines.append(t._("Everyone registered will be told."))
        await say(update, "\n".join(lines), keyboard([[button(t._("✅ Confirm"), "fe", "go"),
                                                      button(t._("✖ Keep as it was"), "fe", "no")]]))

    async def _apply(self, update: Update, context: BotContext, data: dict) -> None:
        from handlers.session_admin import refusal

        t, field, target = context.t, data["field"], data["id"]
        actor = context.person.user_id
        if data["kind"] == "t":
            outcome = await context.services.sessions.edit_training_text(actor, target, field, data["new"])
            back = button(t._("⬅ Back to the training"), TrainingPage(target))
            text = {"changed": t._("Done: the training is changed."),
                    "unchanged": t._("Nothing was changed.")}.get(
                outcome, t._("This training is no longer in the catalogue."))
            return await show(update, text, keyboard([[back]]))
        value = from_db(data["new"]) if field == "registration_deadline" else data["new"]
        change = await context.services.sessions.edit(actor, target, field, value)
        context.services.wake_dispatcher()
        back = keyboard([[button(t._("⬅ Back to the session"), SessionCard(target))]])
        if change.outcome == "refused":
            return await show(update, refusal(context, change.refusal), back)
        if change.outcome == "unchanged":
            return await show(update, t._("Nothing was changed."), back)
        await show(update, t.ngettext("Done: {n} person is being told.", "Done: {n} people are being told.",
                                      change.told) if field in TOLD else t._("Done: the session is changed."),
                   back)


_NOTHING = object()  # no value in this update (a photo, a foreign button): the question again
