"""A coordinator cancels one session of a cohort (issue 17): the cohort can no longer be followed
whole, so it ends for everyone who held or waited for it. Booked members keep their places in
the other sessions (as places of their own: cancelling one no longer releases the others) and
are told so; people waiting leave the cohort's waitlist, which would never move again, and are
told; nobody can book the cohort any more. French and Arabic, women and men."""

from __future__ import annotations

from bot.i18n import translator
from tests.conftest import db_row, drain, grant, onboard
from tests.test_cohort_waitlist import FIRST, member, race, seats


def speaker(uid: int):
    n = uid - FIRST  # as race() onboarded them
    return ("ar" if n % 2 else "fr"), translator("ar" if n % 2 else "fr", "F" if n % 3 else "M")


def names(t, code: str) -> dict:
    return dict(code=t.iso(code), path=t.iso(t.pick("Parcours numérique", "المسار الرقمي")))


BROKEN = ("Cohort {code} of the path {path} can no longer be followed whole: one of its sessions was "
          "cancelled by the organisers, so your cohort registration ends.")
KEPT = ("Your place in its {n} other session is kept: cancel it in /mytrainings if you no longer wish "
        "to attend.",
        "Your places in its {n} other sessions are kept: cancel them in /mytrainings if you no longer "
        "wish to attend.")
WAITING = ("Cohort {code} of the path {path}, which you were waiting for, can no longer be followed "
           "whole: one of its sessions was cancelled by the organisers. You are no longer on its "
           "waitlist; /paths shows the path's other cohorts.")


async def test_a_cancelled_session_ends_the_cohort_for_its_members_who_are_told(app, person, fr):
    _, cohort, sids, booked, line = await race(app, "BRK", person)
    coordinator_id = 9950
    await onboard(app, coordinator_id, "fr")
    await grant(app, coordinator_id, "coordinator")
    coordinator = person(coordinator_id, "fr")
    await coordinator.start(f"s_{sids[2]}")
    await coordinator.click(fr._("🛠 Manage this session"))
    await coordinator.click(fr._("❌ Cancel the session"))
    await coordinator.send("Salle indisponible")
    await coordinator.click(fr._("Yes, cancel the session"))
    assert fr.ngettext("The session is cancelled; {n} person is being told.",
                       "The session is cancelled; {n} people are being told.", 15) \
        == coordinator.last_message.text
    await drain(app)

    for uid in booked + line:
        assert await member(app, cohort, uid) == "cancelled"
    for uid in booked:  # their other places stay
        held = [(await seats(app, sid))[uid] for sid in sids]
        assert held == ["confirmed", "confirmed", "cancelled", "confirmed"]
    # Told, each in their language and grammatical gender.
    her_ar = next(u for u in booked if speaker(u)[0] == "ar" and (u - FIRST) % 3)
    him_fr = next(u for u in booked if speaker(u)[0] == "fr" and (u - FIRST) % 3 == 0)
    for uid in (her_ar, him_fr):
        lang, t = speaker(uid)
        text = person(uid, lang).last_message.text
        assert t.to_person(BROKEN, **names(t, "C-BRK")) in text
        assert t.nto_person(*KEPT, 3) in text
    waiter = line[0]
    lang, t = speaker(waiter)
    chat = person(waiter, lang)
    assert chat.last_message.text == t.to_person(WAITING, **names(t, "C-BRK"))
    await chat.send("/mypath")
    assert t.to_person("⏳ You are on the cohort's waitlist, in position {position}.",
                       position=t.number(1)) not in chat.last_message.text

    # A member now cancels one of the sessions they kept: just that one, nothing else goes.
    lang, t = speaker(him_fr)
    reg = (await db_row(app, "SELECT id FROM registrations WHERE user_id = ? AND session_id = ?",
                        him_fr, sids[0]))[0]
    assert (await app.bot_data.registrations.cancel(him_fr, reg)).outcome == "cancelled"
    assert [(await seats(app, sid))[him_fr] for sid in sids] == ["cancelled", "confirmed", "cancelled",
                                                                 "confirmed"]
    # Nobody can book the cohort any more; its former waitlist is not booked on freed places.
    assert (await app.bot_data.paths.book_cohort(line[1], cohort)).outcome == "refused"
    assert line[0] not in await seats(app, sids[0])
    # Told once: the notice is not queued again for the same membership.
    assert tuple(await db_row(app, "SELECT COUNT(*) FROM outbox WHERE kind = 'cohort_broken'")) == (20,)
