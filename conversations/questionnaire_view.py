"""How a questionnaire looks: one question per message with its progress, the buttons (which
carry the response, the questionnaire version and the question id), the summary."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.i18n import Translator
from bot.services.evaluations import SUMMARY, Answer, Question, View
from handlers import questionnaire_buttons as b
from handlers.ui import button, esc, keyboard, pairs

SHORT = 100  # characters of a free-text answer shown in the summary


def label(t: Translator, q: Question) -> str:
    return esc(t.pick(q.label_fr, q.label_ar))


def codes(answer: Answer | None) -> list[str]:
    return [c for c in (answer.choice or "").split(",") if c] if answer else []


def answer_text(t: Translator, q: Question, a: Answer | None) -> str:
    """An answer as the person reads it back."""
    if a is None:
        return "—"
    if a.skipped:
        return t._("(skipped)")
    if a.score is not None:
        option = q.option(str(a.score))
        return f"{t.number(a.score)} · {esc(t.pick(option[1], option[2]))}" if option else t.number(a.score)
    if a.choice is not None:
        chosen = codes(a)
        if not chosen:
            return t._("none of these")
        return esc(t.join(t.pick(o[1], o[2]) for o in q.options if o[0] in chosen))
    text = a.text or ""
    return esc(t.iso(text if len(text) <= SHORT else text[: SHORT - 1] + "…"))


def _header(t: Translator, view: View, q: Question) -> str:
    qn = view.questionnaire
    return t._("📝 <b>{title}</b> · {position}/{total}", title=esc(t.pick(qn.title_fr, qn.title_ar)),
               position=t.number(q.position), total=t.number(len(qn.questions)))


def question(t: Translator, view: View) -> tuple[str, InlineKeyboardMarkup | None]:
    """The current question, its answer so far marked."""
    qn = view.questionnaire
    q = qn.question(view.step)
    current = view.answers.get(q.qid)

    where = (view.response_id, qn.id, q.qid)
    lines = [_header(t, view, q), "", f"<b>{label(t, q)}</b>"]
    rows = []
    if q.type in ("scale", "choice"):
        chosen = str(current.score) if current and current.score else (current.choice if current else None)
        for code, fr, ar in q.options:
            text = (f"{code} · " if q.type == "scale" else "") + t.pick(fr, ar)
            rows.append([button(("✓ " if code == chosen else "") + text, b.ChooseAnswer(*where, code))])
        lines.append(t.to_person("Tap your answer, or type a number from 1 to 5.") if q.type == "scale"
                     else t.to_person("Tap your answer."))
    elif q.type == "multi":
        selected = view.selection if view.selection is not None else codes(current)
        rows += pairs([button(("☑ " if code in selected else "☐ ") + t.pick(fr, ar),
                              b.TickAnswer(*where, code)) for code, fr, ar in q.options], 1)
        rows.append([button(t._("✅ Done"), b.DoneTicking(*where))])
        lines.append(t.to_person("Tap every answer that applies, then “Done”."))
    else:  # typed: a text, or a number (a question of an uploaded form)
        if current is not None and current.text:
            lines.append(t._("Your answer so far: {answer}", answer=answer_text(t, q, current)))
        if q.type == "number":
            lines.append(t.to_person("Type the number."))
        else:
            lines.append(t.to_person("Type your answer.") if q.required else
                         t.to_person("Type your answer, or skip this question."))
    nav = []
    if q.position > 1:
        nav.append(button(t._("⬅ Back"), b.BackQuestion(*where)))
    if q.type in ("text", "number") and not q.required:
        nav.append(button(t._("Skip ⏭"), b.SkipQuestion(*where)))
    rows.append(nav)
    return "\n".join(lines), keyboard(rows)


def recap(t: Translator, view: View) -> str:
    """What a question's message becomes once answered (its buttons go)."""
    q = view.questionnaire.question(view.answered)
    return f"✓ {label(t, q)}\n<b>{answer_text(t, q, view.answers.get(q.qid))}</b>"


def summary(t: Translator, view: View) -> tuple[str, InlineKeyboardMarkup | None]:
    qn = view.questionnaire
    lines = [t._("📝 <b>{title}</b> — your answers:", title=esc(t.pick(qn.title_fr, qn.title_ar))), ""]
    for q in qn.questions:
        shown = answer_text(t, q, view.answers.get(q.qid))
        lines.append(f"{t.number(q.position)}. {label(t, q)}\n<b>{shown}</b>")
    lines += ["", t.to_person("Tap a number to change an answer, or send your answers.")]
    rid = view.response_id
    assert rid is not None  # a view with a questionnaire has its response
    rows = pairs([button(f"✏️ {t.number(q.position)}", b.EditAnswer(rid, qn.id, q.qid))
                  for q in qn.questions], 5)
    rows.append([button(t._("⬅ Back"), b.BackQuestion(rid, qn.id, SUMMARY)),
                 button(t._("✅ Send my answers"), b.SendAnswers(rid, qn.id))])
    return "\n".join(lines), keyboard(rows)


def step(t: Translator, view: View) -> tuple[str, InlineKeyboardMarkup | None]:
    return summary(t, view) if view.step == SUMMARY else question(t, view)
