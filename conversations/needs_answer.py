"""Answering a needs survey, one tap per answer (issue 16): priority themes (up to 3, then
Next), the current level in each chosen theme (1–4), the preferred modality, constraints
(several, then Next), an optional note (typed, or Skip). Declared as steps on the draft row
(conversations/flow); every tap also writes the answer (bot/services/needs_survey.py), so a
person who leaves resumes where they were from the invitation's button, and a completed answer
opened again is edited (the previous choices shown ticked; the answer stored stays whole until
the change is complete)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.needs_survey import LEVELS, MAX_THEMES, MODALITIES, Constraint, constraint_word
from bot.text import clean_text
from conversations.flow import Finish, Go, Outcome, Step, StepFlow
from handlers.buttons import StaleButton, no_longer_valid, on
from handlers.labels import modality
from handlers.needs_buttons import Answer, Choose, Next, Pick
from handlers.ui import button, esc, keyboard, pairs, say
from handlers.ui import show as edit

NEEDS_ANSWER = "needs_answer"
THEMES, LEVEL, MODALITY, CONSTRAINTS, NOTE = "themes", "level", "modality", "constraints", "note"
SKIP = "_"
NOTE_MAX = 500


def next_question(data: dict) -> str | None:
    """The first question still unanswered (None: the answer is complete)."""
    if not data.get("themes_done"):
        return THEMES
    if any(theme not in data.get("levels", {}) for theme in data["themes"]):
        return LEVEL
    if "modality" not in data:
        return MODALITY
    if not data.get("constraints_done"):
        return CONSTRAINTS
    return NOTE if "note" not in data else None


def level_word(t: Translator, level: int) -> str:
    return {1: t._("1 — beginner"), 2: t._("2 — basic"), 3: t._("3 — comfortable"),
            4: t._("4 — advanced")}.get(level, str(level))


async def begin(update: Update, context: BotContext, survey_id: int) -> None:
    profile = context.person.profile
    found = await context.services.needs.answer(context.person.user_id,
                                                profile.administration_code if profile else None, survey_id)
    if found is None:
        raise StaleButton
    data, completed = found
    if completed:  # answering again edits: the choices are shown ticked, every question asked again
        data = {"themes": data.get("themes", []), "constraints": data.get("constraints", []),
                "editing": True}
    data["survey"] = survey_id
    await NeedsAnswer().start(update, context, next_question(data) or NOTE, data)


def _theme_name(context: BotContext, code: str) -> str:
    found = context.services.reference.get("themes", code)
    return context.t.pick(found.name_fr, found.name_ar) if found else code


async def _ask(update: Update, context: BotContext, data: dict) -> None:
    t, step = context.t, next_question(data)
    # Opened from the invitation: a new message, so the invitation and its button stay to resume.
    query = update.callback_query
    show = say if query is not None and Answer.unpack(query.data) is not None else edit
    nxt = [button(t._("Next ➡️"), Next())]
    if step == THEMES:
        mine = data.get("themes", [])
        rows = pairs([box(r.code in mine, t.pick(r.name_fr, r.name_ar), r.code)
                      for r in context.services.reference.themes])
        text = t.to_person("📋 Needs survey (1/4). Which themes are your priorities? Choose up to 3, then "
                           "press Next.")
        return await show(update, text, keyboard([*rows, nxt] if mine else rows))
    if step == LEVEL:
        theme = next(th for th in data["themes"] if th not in data.get("levels", {}))
        return await show(update, t.to_person("📋 (2/4) Your current level in “{theme}”?",
                                              theme=esc(_theme_name(context, theme))),
                          keyboard(pairs([button(level_word(t, v), Choose(str(v))) for v in LEVELS])))
    if step == MODALITY:
        return await show(update, t.to_person("📋 (3/4) Which way of training suits you best?"),
                          keyboard(pairs([button(modality(t, m), Choose(m)) for m in MODALITIES])))
    if step == CONSTRAINTS:
        mine = data.get("constraints", [])
        rows = [[box(c in mine, constraint_word(t, c), c)] for c in Constraint]
        return await show(update, t.to_person("📋 (4/4) What could keep you from training? Choose any, "
                                              "then press Next."), keyboard([*rows, nxt]))
    await show(update, t.to_person("Anything to add about your needs? Type it, or press Skip."),
               keyboard([[button(t._("Skip"), Choose(SKIP))]]))


def box(ticked: bool, label: str, value: str):
    """A box as the person sees it, its button doing what that promises (tick or untick)."""
    return button(("☑️ " if ticked else "⬜ ") + label, Pick(value, not ticked))


async def _save(context: BotContext, data: dict, completed: bool = False) -> None:
    if data.get("editing") and not completed:
        # A completed answer being changed stays whole (counted in the results as it was)
        # until the change is complete; the draft holds the change meanwhile.
        return
    answer_only = {k: v for k, v in data.items() if k not in ("survey", "editing")}
    await context.services.needs.save(context.person.user_id, data["survey"], answer_only, completed)


def _set(items: list[str], value: str, on: bool) -> list[str]:
    """The choices with `value` ticked or not: the same whether or not it was already."""
    if on:
        return items if value in items else [*items, value]
    return [i for i in items if i != value]


async def read_pick(context: BotContext, data: dict, press: Pick) -> Outcome:
    t, step, value = context.t, next_question(data), press.value
    if step == THEMES and context.services.reference.get("themes", value):
        themes = _set(data.get("themes", []), value, press.on)
        if len(themes) > MAX_THEMES:
            return t.ngettext("Choose at most {n} theme.", "Choose at most {n} themes.", MAX_THEMES)
        data["themes"] = themes
    elif step == CONSTRAINTS and value in set(Constraint):
        data["constraints"] = _set(data.get("constraints", []), value, press.on)
    else:
        return None
    await _save(context, data)
    return Go(data)


async def read_choose(context: BotContext, data: dict, press: Choose) -> Outcome:
    step, value = next_question(data), press.value
    if step == LEVEL and value.isdigit() and int(value) in LEVELS:
        theme = next(th for th in data["themes"] if th not in data.get("levels", {}))
        data["levels"] = {**data.get("levels", {}), theme: int(value)}
    elif step == MODALITY and value in MODALITIES:
        data["modality"] = value
    elif step == NOTE and value == SKIP:
        data["note"] = ""
        return await _finish(context, data)
    else:
        return None
    await _save(context, data)
    return Go(data)


async def read_next(context: BotContext, data: dict, press: Next) -> Outcome:
    step = next_question(data)
    if step == THEMES and data.get("themes"):
        data["themes_done"] = True
        data["levels"] = {k: v for k, v in data.get("levels", {}).items() if k in data["themes"]}
    elif step == CONSTRAINTS:
        data["constraints_done"] = True
    else:
        return None
    await _save(context, data)
    return Go(data)


async def read_note(context: BotContext, data: dict, typed: str) -> Outcome:
    if next_question(data) != NOTE:
        return context.t._("Please use the buttons under the question.")
    note = clean_text(typed)
    if len(note) > NOTE_MAX:  # said, not cut without a word: the person shortens it
        return context.t.ngettext("This is too long: at most {n} character, please shorten it.",
                                  "This is too long: at most {n} characters, please shorten it.", NOTE_MAX)
    data["note"] = note
    return await _finish(context, data)


async def _finish(context: BotContext, data: dict) -> Outcome:
    await _save(context, data, completed=True)
    return Finish(thanked, data)


async def thanked(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    themes = t.join([_theme_name(context, th) for th in data["themes"]])
    await edit(update, "\n".join([t.to_person("✅ Thank you: your answer was recorded."),
                                  t._("Your priorities: {themes}", themes=esc(themes)),
                                  t.to_person("Press the survey's button again to change your answer.")]),
               keyboard([[button(t._("✏️ Change my answer"), Answer(data["survey"]))]]))


STEP = Step(_ask, text=read_note, buttons={Choose: read_choose, Pick: read_pick, Next: read_next})


class NeedsAnswer(StepFlow):
    name = NEEDS_ANSWER
    steps = {THEMES: STEP, LEVEL: STEP, MODALITY: STEP, CONSTRAINTS: STEP, NOTE: STEP}
    stale_elsewhere = True  # an old survey's choice must not drop another open flow

    def next_step(self, data: dict) -> str:
        return next_question(data) or NOTE

    def cancelled_text(self, context: BotContext) -> str:
        return context.t.to_person("Your answers so far are kept: the survey's button takes you back "
                                   "where you were.")


async def on_answer(update: Update, context: BotContext, press: Answer) -> None:
    await begin(update, context, press.survey)


async def stale(update: Update, context: BotContext, press: object) -> None:
    """A choice of a survey flow that was left or finished."""
    await no_longer_valid(update, context)


def register(app: Application) -> None:
    app.add_handler(on(Answer, on_answer))
    for kind in (Choose, Pick, Next):
        app.add_handler(on(kind, stale))
