"""Browsing the catalogue: themes, trainings, sessions, search — always a page at a time."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

from bot.storage import catalogue as repo
from bot.storage import registrations as regs_repo
from bot.storage.catalogue import Filters, Session, Training, TrainingRow
from bot.storage.db import Database
from bot.storage.parts import with_parts
from bot.storage.registrations import Registration
from bot.text import words
from bot.timeutil import Clock, from_local, to_db

PAGE_SIZE = 8
MODALITIES = ("presentiel", "distanciel", "hybride", "coaching", "voyage_etude")
MAX_QUERY_WORDS = 8

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def with_taken(session: Session, taken: int) -> Session:
    """The session with its seats taken now. dataclasses.replace re-runs the frozen
    dataclass's __init__ over its 22 fields (2.5% of a card's read, profiled); a copy of its
    fields with one changed is the same value (the cached description stays untouched)."""
    if session.taken == taken:
        return session
    fresh = object.__new__(Session)
    fresh.__dict__.update(session.__dict__, taken=taken)
    return fresh


async def edit_sessions(db: Database, on_change: Callable[[], None],
                        tx: Callable[[sqlite3.Connection], T]) -> T:
    """Run a transaction that edits sessions, telling `on_change` (what caches them) inside it,
    before its commit — nothing on the loop can read between the two, while after the write
    other tasks run before the caller resumes — and again once written, for a transaction that
    had to wait on the writer thread while the loop went on reading."""

    def editing(conn: sqlite3.Connection) -> T:
        on_change()
        return tx(conn)

    try:
        return await db.write(editing)
    finally:
        on_change()


def clamp_page(page: int, total: int) -> int:
    """A page number that exists (stale buttons may point past the end)."""
    return min(max(0, page), max(0, (total - 1) // PAGE_SIZE))


class CatalogueService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._lists: dict[tuple, tuple[float, int, object]] = {}
        self._version = 0
        self._sessions: dict[int, tuple[float, int, Session]] = {}
        self._sessions_version = 0
        self._data_version = -1
        self._others_checked = datetime.min.replace(tzinfo=UTC)

    # The lists (themes, trainings, sessions, search results) are read on almost every tap by
    # many people and change only when a session or a registration does. They are cached per
    # catalogue version, which every such write in this process bumps (`changed`); the TTL
    # bounds what a write from another process (the CLI) or the clock moving on leaves stale.
    LIST_TTL_S = 10.0
    OTHERS_EVERY = timedelta(milliseconds=50)
    LIST_MAX = 20_000

    def changed(self) -> None:
        """Sessions changed (or might have): lists and session cards are read afresh."""
        self._version += 1
        self._sessions_version += 1

    def seats_changed(self) -> None:
        """Registrations changed: lists are read afresh (a card always reads its seats)."""
        self._version += 1

    async def _cached(self, key: tuple, load):
        now = time.monotonic()
        hit = self._lists.get(key)
        if hit is not None and hit[1] == self._version and now - hit[0] < self.LIST_TTL_S:
            return hit[2]
        value = await load()
        if len(self._lists) >= self.LIST_MAX:
            self._lists.clear()
        self._lists[key] = (now, self._version, value)
        return value

    def _bounds(self, filters: Filters) -> tuple[str, str] | None:
        if not filters.month:
            return None
        year, month = (int(x) for x in filters.month.split("-"))
        start = from_local(datetime(year, month, 1))
        end = from_local(datetime(year + month // 12, month % 12 + 1, 1))
        return to_db(start), to_db(end)

    async def themes(self, filters: Filters) -> dict[str, tuple[int, int]]:
        return await self._cached(("themes", filters), lambda: self.db.read(
            repo.theme_counts, filters, self.clock.now(), self._bounds(filters)))

    async def trainings(self, theme: str, filters: Filters, page: int) -> Page[TrainingRow]:
        return await self._cached(("trainings", theme, filters, page), lambda: self._paged(
            repo.trainings_of_theme, page, theme, filters, self.clock.now(),
            month_bounds=self._bounds(filters)))

    async def training(self, training_id: int) -> Training | None:
        return await self.db.read(repo.get_training, training_id)

    async def training_titles(self) -> list[tuple[int, str, str]]:
        """Every training to choose from (a new session's), French alphabetical order."""
        return await self.db.read(repo.training_titles)

    async def sessions(self, training_id: int, filters: Filters, page: int) -> Page[Session]:
        return await self._cached(("sessions", training_id, filters, page), lambda: self._paged(
            repo.sessions_of_training, page, training_id, filters, self.clock.now(),
            month_bounds=self._bounds(filters)))

    async def session(self, session_id: int) -> Session | None:
        return await self.db.read(repo.get_session, session_id)

    def description(self, conn, session_id: int) -> Session | None:
        """What describes a session (titles, times, places, capacity, status), cached: it changes
        only when a session is edited — here (which bumps its own version, `changed`) or by
        another connection (which SQLite's data_version tells) — while a card or a confirmation
        reads it on every tap or message. The TTL bounds what a renamed trainer leaves stale.
        Its `taken` is as of the read: seats are read apart. Runs inside a read on the loop (a
        sync function, like the read)."""
        # Other writers are looked for at most every OTHERS_EVERY: the pragma on every card was
        # a tenth of the registration bench's database time, and another process's edit showing
        # 50 ms later on a card is as good as at once. Messages look first (`look_for_writers`).
        if self.clock.now() - self._others_checked >= self.OTHERS_EVERY:
            self._other_writers(conn)
        now = time.monotonic()
        hit = self._sessions.get(session_id)
        if hit is not None and hit[1] == self._sessions_version and now - hit[0] < self.LIST_TTL_S:
            return hit[2]
        session = with_parts(conn, repo.get_session(conn, session_id))
        if session is not None:
            if len(self._sessions) >= self.LIST_MAX:
                self._sessions.clear()
            self._sessions[session_id] = (now, self._sessions_version, session)
        return session

    def _other_writers(self, conn) -> None:
        """Another connection committed (the CLI importing a catalogue, the writer thread):
        what it changed is unknown, so every cached description is dropped."""
        self._others_checked = self.clock.now()
        data_version = conn.execute("PRAGMA data_version").fetchone()[0]
        if data_version != self._data_version:
            self._data_version = data_version
            self._sessions.clear()

    async def look_for_writers(self) -> None:
        """Before a batch of messages goes out: what they say of a session, with its calendar
        file, must describe it as it was when they were taken for sending (an import that moved
        a session and queued the news has committed by then), not as it was 50 ms earlier."""
        await self.db.read(self._other_writers)

    async def described(self, session_id: int, taken: int) -> Session | None:
        """The session with a count of seats taken just read elsewhere (in a transaction)."""
        session = await self.db.read(self.description, session_id)
        return None if session is None else with_taken(session, taken)

    async def card(self, session_id: int,
                   user_id: int) -> tuple[Session | None, Registration | None, int | None]:
        """A session as its card shows it to one person: the session with its seats taken now,
        their registration and their place in the queue, in one read (every tap on a card, a
        registration or a cancellation shows one)."""

        def read(conn):
            session = self.description(conn, session_id)
            if session is None:
                return None, None, None
            taken, reg, position = regs_repo.seat_state(conn, session_id, user_id)
            return with_taken(session, taken), reg, position

        return await self.db.read(read)

    async def search(self, query: str, page: int) -> Page[TrainingRow]:
        terms = words(query)[:MAX_QUERY_WORDS]
        if not terms:
            return Page([], 0, 0)
        return await self._cached(("search", tuple(terms), page), lambda: self._paged(
            repo.search_trainings, page, terms, self.clock.now()))

    async def months(self) -> list[str]:
        return await self.db.read(repo.upcoming_months, self.clock.now())

    async def _paged(self, query, page: int, *args, **kwargs) -> Page:
        """Run a paged query in one read; a page past the end shows the last one."""

        def read(conn):
            items, total = query(conn, *args, offset=max(0, page) * PAGE_SIZE, limit=PAGE_SIZE,
                                 **kwargs)
            fixed = clamp_page(page, total)
            if fixed != page:
                items, total = query(conn, *args, offset=fixed * PAGE_SIZE, limit=PAGE_SIZE,
                                     **kwargs)
            return Page(items, fixed, total)

        return await self.db.read(read)
