"""Test data for the back-office queries: finished sessions with marked attendance, evaluations,
and the figures computed independently of the reporting facts (a plain join)."""

from __future__ import annotations

from bot.storage import evaluations as ev
from bot.timeutil import to_db
from tests.conftest import grant, make_session, onboard


async def staff(app, person, user_id: int, lang: str, role: str = "coordinator",
                administration: str | None = None):
    """A coordinator (national) or focal point (of `administration`) chatting with the bot."""
    await onboard(app, user_id, lang, full_name="Samira Coordination",
                  administration_code=administration or "MTNRA")
    await grant(app, user_id, role, administration)
    return person(user_id, lang)


async def finished_session(app, reference: str, people: list[tuple], *, training: str = "CYB-101",
                           hours_ago: float = 72, capacity: int = 30) -> int:
    """A session that took place, with registrations (user id, sex, administration, status[, name])."""
    sid = await make_session(app, reference, starts_in_hours=-hours_ago, capacity=capacity,
                             training=training)
    for uid, sex, admin, _status, *name in people:
        await onboard(app, uid, "fr", sex=sex, administration_code=admin,
                      full_name=name[0] if name else f"Agent {uid}")
    now = to_db(app.bot_data.clock.now())

    def tx(conn):
        conn.executemany(
            "INSERT INTO registrations (session_id, user_id, status, seq, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(sid, p[0], p[3], i, now, now) for i, p in enumerate(people, start=1)])

    await app.bot_data.db.write(tx)
    return sid


async def evaluate(app, session_id: int, scores: list[int], kind: str = "hot") -> None:
    """Submitted evaluations by the session's attendees, in order: overall satisfaction (hot) or
    "applied the skills" (cold: score 1 = never, else regularly), plus a few other answers."""
    now = app.bot_data.clock.now()

    def tx(conn):
        qn = ev.current_questionnaire(conn, kind)
        regs = [r[0] for r in conn.execute("SELECT id FROM registrations WHERE session_id = ? AND"
                                           " status = 'attended' ORDER BY seq", (session_id,))]
        assert len(regs) >= len(scores), "not enough attendees"
        for reg, score in zip(regs, scores, strict=False):
            r = ev.create_response(conn, reg, qn, now)
            if kind == "hot":
                ev.save_answer(conn, r, "satisfaction", ev.Answer(score=score), now)
                ev.save_answer(conn, r, "objectives", ev.Answer(score=score), now)
                ev.save_answer(conn, r, "recommend", ev.Answer(choice="yes"), now)
                ev.save_answer(conn, r, "most_useful", ev.Answer(text="Les ateliers pratiques"), now)
            else:
                ev.save_answer(conn, r, "applied", ev.Answer(choice="never" if score == 1 else "regularly"),
                               now)
                ev.save_answer(conn, r, "obstacles", ev.Answer(choice="no_time,no_tools"), now)
                ev.save_answer(conn, r, "work_change", ev.Answer(score=score), now)
            ev.submit(conn, r.id, now)

    await app.bot_data.db.write(tx)


async def live(app, expression: str, where: str = "1", *params):
    """A figure computed straight from registrations and users (not from the facts)."""
    row = await app.bot_data.db.read(lambda c: c.execute(
        f"SELECT {expression} FROM registrations g JOIN users u ON u.id = g.user_id"
        f" JOIN sessions s ON s.id = g.session_id WHERE {where}", params).fetchone())
    return row[0]


async def click_paged(client, text: str) -> None:
    """Press the button `text`, paging forward (▶) through a list until it shows up."""
    for _ in range(30):
        if any(text in b for b in client.last_message.flat_buttons):
            return await client.click(text)
        await client.click("▶")
    raise AssertionError(f"no button {text!r} on any page")
