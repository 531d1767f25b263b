"""What a person is told of their cohort on its own (queued by bot/services/cohort_waitlist.py
in the transaction that changed it), in their language at send time: booked whole from the
cohort's waitlist, their cohort booking ended by cancelling one of its sessions, or the cohort
ended for them because the organisers cancelled one of its sessions."""

from __future__ import annotations

from bot.context import Services
from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.services.notice_reads import OutboxRow
from handlers.ui import esc


def _names(row: OutboxRow, t: Translator) -> dict:
    p = row.payload
    return dict(code=esc(t.iso(p["code"])), path=esc(t.iso(t.pick(p["title_fr"], p["title_ar"]))))


async def _promoted(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    text = t.nto_person(
        "🎉 A place opened in cohort {code} of the path {path}: you are now registered for its "
        "{n} session. Your confirmation and calendar file follow; /mypath shows your path.",
        "🎉 Places opened in cohort {code} of the path {path}: you are now registered for all "
        "of its {n} sessions. Your confirmations and calendar files follow; /mypath shows your path.",
        row.payload["sessions"], **_names(row, t))
    return Notice(text)


async def _cancelled(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    lines = [t.to_person("Your registration for cohort {code} of the path {path} is cancelled: "
                         "a cohort is followed whole, so cancelling one of its sessions releases "
                         "all of them.", **_names(row, t))]
    if row.payload["sessions"]:
        lines.append(t.ngettext("{n} other session was cancelled with it.",
                                "{n} other sessions were cancelled with it.",
                                row.payload["sessions"]))
    return Notice("\n".join(lines))


async def _broken(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    """The organisers cancelled one of the cohort's sessions: the cohort ends for its members."""
    names, kept = _names(row, t), row.payload["sessions"]
    if row.payload["was"] == "waitlisted":
        return Notice(t.to_person(
            "Cohort {code} of the path {path}, which you were waiting for, can no longer be "
            "followed whole: one of its sessions was cancelled by the organisers. You are no longer "
            "on its waitlist; /paths shows the path's other cohorts.", **names))
    lines = [t.to_person("Cohort {code} of the path {path} can no longer be followed whole: one of "
                         "its sessions was cancelled by the organisers, so your cohort registration "
                         "ends.", **names)]
    if kept:
        lines.append(t.nto_person(
            "Your place in its {n} other session is kept: cancel it in /mytrainings if you no "
            "longer wish to attend.",
            "Your places in its {n} other sessions are kept: cancel them in /mytrainings if you no "
            "longer wish to attend.", kept))
    lines.append(t._("/paths shows the path's other cohorts."))
    return Notice("\n".join(lines))


RENDERERS = {"cohort_promoted": _promoted, "cohort_cancelled": _cancelled, "cohort_broken": _broken}
