"""Evaluation results of a session for its trainer: per question the mean and the distribution,
and the comments, never a name. Any group of fewer than 5 respondents is hidden (DESIGN 5.3)."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.evaluations import Answer, Question, VersionResults
from handlers import notices
from handlers.announce_access import trainer_may
from handlers.buttons import Callback, StaleButton, on
from handlers.evaluation_notices import RENDERERS
from handlers.session_buttons import SessionView
from handlers.ui import button, esc, keyboard, say, show

MIN_GROUP = 5  # below this, a breakdown could point at someone
CHUNK = 3900  # a message's share of Telegram's 4096 characters
COMMENT_MAX = 400


@dataclass(frozen=True)
class EvaluationResults(Callback, feature="res", action="s"):
    """A session's results: of the hot evaluation, or of the cold one."""

    session: int
    hot: bool


def _question(t: Translator, q: Question, answers: list[Answer]) -> list[str]:
    lines = [f"<b>{t.number(q.position)}. {esc(t.pick(q.label_fr, q.label_ar))}</b>"]
    if len(answers) < MIN_GROUP:
        return [*lines, t._("🔒 Fewer than {min} answers: hidden.", min=t.number(MIN_GROUP))]
    if q.type == "scale":
        scores = [a.score for a in answers if a.score is not None]
        mean = round(sum(scores) / len(scores), 1)
        # TRANSLATORS: {mean} is a score out of 5; {n} is how many people answered the question.
        lines.append(t._("Mean: {mean}/5 ({n} answers)", mean=t.number(mean), n=t.number(len(scores))))
        lines.append(" · ".join(f"{code}: {t.number(scores.count(int(code)))}" for code, _, _ in q.options))
    elif q.type in ("choice", "multi"):
        chosen = [c for a in answers for c in (a.choice or "").split(",") if c]
        lines += [f"{esc(t.pick(fr, ar))}: {t.number(chosen.count(code))}" for code, fr, ar in q.options]
    else:
        for a in answers:
            text = a.text or ""
            text = text if len(text) <= COMMENT_MAX else text[: COMMENT_MAX - 1] + "…"
            lines.append(f"• {esc(t.iso(text))}")
    return lines


def _version(t: Translator, v: VersionResults, several: bool) -> list[str]:
    version = t.number(v.questionnaire.version)
    lines = [t._("Questionnaire version {version}:", version=version)] if several else []
    if v.respondents < MIN_GROUP:
        return [*lines, t._("🔒 Results are shown once at least {min} people have answered, so that "
                            "nobody can be recognised.", min=t.number(MIN_GROUP))]
    for q in v.questionnaire.questions:
        lines += ["", *_question(t, q, v.answers.get(q.qid, []))]
    return lines


def _chunks(lines: list[str]) -> list[str]:
    chunks, current = [], ""
    for line in lines:
        if current and len(current) + len(line) + 1 > CHUNK:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line[:CHUNK]
    return [*chunks, current]


async def show_results(update: Update, context: BotContext, session_id: int, kind: str) -> None:
    t = context.t
    # The session's trainer or someone who manages sessions, checked on every press.
    if not await trainer_may(context, session_id):
        raise StaleButton
    s = await context.services.catalogue.session(session_id)
    attendees, versions = await context.services.evaluations.results(session_id, kind)
    respondents = sum(v.respondents for v in versions)
    name = t._("Hot evaluation (right after the training)") if kind == "hot" else \
        t._("Cold evaluation (some months later)")
    lines = [t._("📊 <b>Evaluation results</b> — {title}", title=esc(t.pick(s.title_fr, s.title_ar))),
             t.date(s.starts_at), f"<b>{name}</b>",
             t.ngettext("{n} person answered, out of {attendees} who attended.",
                        "{n} people answered, out of {attendees} who attended.", respondents,
                        attendees=t.number(attendees))]
    if 0 < respondents < MIN_GROUP or not versions:
        lines.append(t._("🔒 Results are shown once at least {min} people have answered, so that "
                         "nobody can be recognised.", min=t.number(MIN_GROUP)))
    else:
        for v in versions:
            lines += _version(t, v, len(versions) > 1)
    hot = kind == "hot"
    # TRANSLATORS: buttons: the evaluation some weeks after the training (cold) or at its end (hot).
    rows = [[button(t._("❄️ Cold evaluation") if hot else t._("🔥 Hot evaluation"),
                    EvaluationResults(session_id, not hot)), button(t._("⬅ Back"), SessionView(session_id))]]
    chunks = _chunks(lines)
    for i, chunk in enumerate(chunks):
        markup = keyboard(rows) if i == len(chunks) - 1 else None
        await (show if i == 0 else say)(update, chunk, markup)


async def on_results(update: Update, context: BotContext, press: EvaluationResults) -> None:
    await show_results(update, context, press.session, "hot" if press.hot else "cold")


def register(app: Application) -> None:
    notices.add(RENDERERS)  # the evaluations' invitations and reminders
    app.add_handler(on(EvaluationResults, on_results))
