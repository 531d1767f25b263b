"""Outbox messages of the evaluations: the invitation when a questionnaire opens and one
reminder. Rendered at send time; None (skipped) once answered, closed or no longer an attendee."""

from __future__ import annotations

from dataclasses import replace

from bot.context import Services
from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.services import notice_reads as reads
from bot.services.evaluation_rules import windows
from bot.services.notice_reads import OutboxRow
from handlers.attestation import Attestation
from handlers.questionnaire_buttons import OpenQuestionnaire
from handlers.test_notices import with_test
from handlers.ui import button, esc, keyboard


async def _load(services: Services, row: OutboxRow):
    """(registration, session, response) if the questionnaire still waits for this person."""
    kind = row.payload.get("kind")
    found = await services.db.read(reads.evaluation_invite, row.payload["registration"], kind)
    if found is None:
        return None
    reg, session, response = found
    if not reads.evaluation_is_open(kind, session, response, services.clock.now(), services.settings):
        return None
    return reg, session, response, windows(kind, session.ends_at, services.settings)[1]


def _markup(t: Translator, reg_id: int, kind: str, started: bool, with_attestation: bool):
    label = t._("📝 Continue the questionnaire") if started else t._("📝 Answer the questionnaire")
    rows = [[button(label, OpenQuestionnaire(reg_id, kind))]]
    if with_attestation:
        rows.append([button(t._("📄 My attestation"), Attestation(reg_id))])
    return keyboard(rows)


async def _invite(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    found = await _load(services, row)
    if found is None:
        return None
    reg, s, response, closes = found
    kind = row.payload["kind"]
    title = esc(t.pick(s.title_fr, s.title_ar))
    if kind == "hot":
        text = t._("📝 The training <b>{title}</b> ({date}) is over. How was it? Your answers help "
                   "improve the programme; trainers only see totals, never names.",
                   title=title, date=t.date(s.starts_at))
    else:
        text = t._("📝 Some time ago you took part in <b>{title}</b> ({date}). Has it changed your "
                   "work? A few questions, a few minutes.", title=title, date=t.date(s.starts_at))
    text += "\n" + t._("You can answer until {date}.", date=t.date(closes))
    attestation = kind == "hot" and not services.settings.attestation_needs_evaluation
    notice = Notice(text, _markup(t, reg.id, kind, response is not None, attestation))
    if kind == "hot":  # the final test comes first, while it is still to take
        tested = await with_test(services, t, notice, reg.id, "post")
        if tested is not notice:
            return replace(tested, text=text + "\n" + t._("🧠 First, the final test: the same kind of "
                                                          "questions as before the training."))
    return notice


async def _reminder(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    found = await _load(services, row)
    if found is None:
        return None
    reg, s, response, closes = found
    text = t._("⏰ Reminder: the questionnaire about <b>{title}</b> ({date}) is waiting for your "
               "answers until {closes}.", title=esc(t.pick(s.title_fr, s.title_ar)),
               date=t.date(s.starts_at), closes=t.date(closes))
    return Notice(text, _markup(t, reg.id, row.payload["kind"], response is not None, False))


RENDERERS = {"eval_invite": _invite, "eval_reminder": _reminder}
