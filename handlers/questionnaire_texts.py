"""Texts of the questionnaire workbook screens: the reason codes of bot/services/form_workbook.py
and of the plan (bot/services/questionnaire_forms.py), each with its sheet, row and column, and
the preview of a new form or version. The catalogue's own reasons (not a workbook, too big, a
missing column, a formula...) are said in the catalogue's words."""

from __future__ import annotations

from bot.i18n import Translator
from bot.services.questionnaire_forms import FormPlan, FormSummary
from bot.services.workbook import Problem
from handlers.catalogue_preview import problem_text_for
from handlers.ui import esc

MAX_PROBLEMS = 30  # problems, ids or changes listed in the chat; the count says how many more


def kind_name(t: Translator, kind: str) -> str:
    return {
        # TRANSLATORS: the kinds of questionnaire, as the coordinators' list shows them.
        "hot": t._("hot evaluation"),
        "cold": t._("cold evaluation"),
        "test": t._("knowledge test"),
        "survey": t._("survey"),
        "self_assessment": t._("self-assessment"),
    }.get(kind, esc(kind))


def _count(t: Translator, text: str | None) -> str:
    return t.number(int(text)) if text and text.isdigit() else esc(text)


def _reasons(t: Translator, p: Problem) -> dict[str, str]:
    v, x = esc(p.value), esc(p.extra)
    return {
        "no_questions": t._("The survey sheet has no question."),
        "too_many_questions": t._("{value} questions: a questionnaire answered in the chat has {extra} "
                                  "at most.", value=_count(t, p.value), extra=_count(t, p.extra)),
        "bad_name": t._("“{value}” is not a name: small letters, digits and _ (a form: - too), starting "
                        "with a letter.", value=v),
        "bad_type": t.to_person("“{value}” is not a question type; use one of: {extra}.", value=v, extra=x),
        "training_kind": t._("A questionnaire of the kind “{kind}” cannot belong to a training.",
                             kind=kind_name(t, p.value or "")),
        "not_a_test": t._("“{value}”: only a test has correct answers, points and a pass mark.", value=v),
        "bad_pass_mark": t._("The pass mark {value} is above the test's {extra} points.", value=v, extra=x),
        "missing_list": t._("This question needs a list of choices."),
        "unknown_list": t._("The choices sheet has no list “{value}”.", value=v),
        "scale_choices": t._("The list “{value}” of a scale must have the codes 1 to 5.", value=v),
        "unexpected_list": t._("This type of question takes no list of choices (“{value}”).", value=v),
        "bad_relevant": t._("“{value}” is not a condition like {example}.", value=v,
                            example=t.iso("${q} = 'code'")),
        "relevant_unknown": t._("The condition names “{value}”, which is not an earlier question.", value=v),
        "relevant_value": t._("“{value}” cannot be an answer of the question the condition names.", value=v),
        "not_scale": t._("A self-assessment question is a scale, not “{value}”.", value=v),
        "missing_area": t._("A self-assessment question needs its area."),
        "unknown_area": t._("Unknown area “{value}” (known: {extra}).", value=v, extra=x),
        "not_scorable": t._("A test question cannot be of type “{value}”.", value=v),
        "missing_correct": t._("A test question needs its correct answer."),
        "bad_correct": t._("“{value}” is not one of this question's choices (or not a number).", value=v),
        "kind_changed": t._("This form is of the kind “{old}”: a new version cannot change it to “{new}”.",
                            old=kind_name(t, p.extra or ""), new=kind_name(t, p.value or "")),
        "version_not_newer": t._("Version {value} is not newer than the stored version {extra}.",
                                 value=v, extra=x),
    }


def problem_text(t: Translator, p: Problem) -> str:
    reason = _reasons(t, p).get(p.code)
    if reason is None:
        return problem_text_for(t, p)
    where = t.join(x for x in (
        t._("sheet {sheet}", sheet=esc(p.sheet)) if p.sheet else "",
        t._("row {row}", row=t.number(p.row)) if p.row else "",
        t._("column {column}", column=esc(p.column)) if p.column else "") if x)
    return f"• {where}: {reason}" if where else f"• {reason}"


def problems_text(t: Translator, plan: FormPlan) -> str:
    lines = [t.ngettext("❌ Nothing was changed: the workbook has {n} problem.",
                        "❌ Nothing was changed: the workbook has {n} problems.", len(plan.problems))]
    lines += [problem_text(t, p) for p in plan.problems[:MAX_PROBLEMS]]
    lines += _more(t, MAX_PROBLEMS, len(plan.problems))
    lines.append(t.to_person("Correct the workbook and send it again."))
    return "\n".join(lines)


def _more(t: Translator, shown: int, total: int) -> list[str]:
    more = total - shown
    return [t.ngettext("… and {n} more.", "… and {n} more.", more)] if more > 0 else []


def _ids(t: Translator, ids) -> str:
    """At most MAX_PROBLEMS ids, then how many more: a version adding hundreds of questions
    keeps its preview (and its Apply button) within one message."""
    ids = list(ids)
    return " ".join([t.join(f"<code>{esc(i)}</code>" for i in ids[:MAX_PROBLEMS]),
                     *_more(t, MAX_PROBLEMS, len(ids))])


def preview_text(t: Translator, plan: FormPlan) -> str:
    """What applying the workbook would do: a new form, or a new version and what it changes."""
    form = plan.form
    assert form is not None  # a plan without problems carries its form
    title = esc(t.pick(form["title_fr"], form["title_ar"]))
    lines = [t._("📋 <b>{title}</b> (<code>{form}</code>), {kind}", title=title, form=esc(form["form"]),
                 kind=kind_name(t, form["kind"]))]
    if plan.previous_version is None:
        lines.append(t._("A new form, version {version}.", version=t.number(form["version"])))
    else:
        lines.append(t._("Version {version} replaces version {previous} for the answers to come; the "
                         "answers already given keep their version.",
                         version=t.number(form["version"]), previous=t.number(plan.previous_version)))
    if form["training"]:
        lines.append(t._("For the training {code} only.", code=esc(form["training"])))
    if plan.unlinked:
        lines.append(t.ngettext("No longer for the training {codes}: it goes back to the default "
                                "questionnaire.",
                                "No longer for the trainings {codes}: they go back to the default "
                                "questionnaire.", len(plan.unlinked), codes=esc(t.join(plan.unlinked))))
    lines.append(t.ngettext("{n} question.", "{n} questions.", len(form["questions"])))
    if plan.previous_version is not None:
        if plan.added:
            lines.append(t._("➕ Added: {ids}", ids=_ids(t, plan.added)))
        for qid, fields in list(plan.changed.items())[:MAX_PROBLEMS]:
            lines.append(t._("✏️ Changed: {id} ({fields})", id=_ids(t, [qid]), fields=esc(t.join(fields))))
        lines += _more(t, MAX_PROBLEMS, len(plan.changed))
        if plan.removed:
            lines.append(t._("➖ Removed: {ids}", ids=_ids(t, plan.removed)))
        if plan.moved:
            lines.append(t._("↕ The questions come in another order."))
        if not (plan.added or plan.changed or plan.removed or plan.moved):
            lines.append(t._("The questions are the same as in version {previous}.",
                             previous=t.number(plan.previous_version)))
    lines += ["", t.to_person("Nothing is saved until you press Apply.")]
    return "\n".join(lines)


def listing_text(t: Translator, found: list[FormSummary]) -> str:
    lines = [t._("<b>Questionnaires</b>")]
    for f in found:
        line = t._("• {title} (<code>{form}</code>), {kind}, version {version}",
                   title=esc(t.pick(f.title_fr, f.title_ar)), form=esc(f.form), kind=kind_name(t, f.kind),
                   version=t.number(f.version))
        if f.trainings:
            line += " · " + t._("training {codes}", codes=esc(", ".join(f.trainings)))
        lines.append(line)
    lines += ["", t.to_person("Tap a form to download it as a workbook. To add a form or a new version "
                              "(its version number higher), send the filled workbook here; a form "
                              "linked to a training replaces the default for that training only.")]
    return "\n".join(lines)
