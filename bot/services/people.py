"""People: profiles, language, onboarding drafts."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.storage import users as repo
from bot.storage.db import Database
from bot.storage.users import PROFILE_FIELDS as PROFILE_FIELDS  # the screens list the fields
from bot.storage.users import Draft, Profile
from bot.timeutil import Clock, from_db, to_db

ONBOARDING = "onboarding"
PROFILE_EDIT = "profile"
REFUSAL = "refusal"


@dataclass(frozen=True)
class Person:
    """Who is writing, as far as the database knows, loaded once per update."""

    user_id: int
    profile: Profile | None
    draft: Draft | None
    has_role: bool = False  # a trainer, focal point or coordinator (checked in full when used)

    @property
    def onboarded(self) -> bool:
        return self.profile is not None and self.profile.onboarded

    @property
    def stored_language(self) -> str | None:
        if self.profile:
            return self.profile.language
        return self.draft.data.get("language") if self.draft else None


class PeopleService:
    """Every write about a person goes through here, so the cache of who is writing (read on
    every update) is dropped whenever it changes; a short TTL bounds what another process
    (the CLI) could leave stale."""

    CACHE_TTL_S = 30.0
    CACHE_MAX = 100_000

    def __init__(self, db: Database, clock: Clock, monotonic=time.monotonic) -> None:
        self.db = db
        self.clock = clock
        self._monotonic = monotonic
        self._cache: dict[int, tuple[float, Person]] = {}

    async def load(self, user_id: int) -> Person:
        now = self._monotonic()
        hit = self._cache.get(user_id)
        if hit is not None and now - hit[0] < self.CACHE_TTL_S:
            return hit[1]
        profile, draft, has_role = await self.db.read(repo.get_with_draft, user_id)
        person = Person(user_id, profile, draft, has_role)
        if len(self._cache) >= self.CACHE_MAX:
            self._cache.clear()
        self._cache[user_id] = (now, person)
        return person

    def forget(self, user_id: int) -> None:
        """The person changed in the database: read them afresh next time."""
        self._cache.pop(user_id, None)

    async def _write(self, user_id: int, fn, *args):
        self.forget(user_id)
        try:
            return await self.db.write(fn, *args)
        finally:
            self.forget(user_id)

    async def set_language(self, user_id: int, language: str) -> None:
        """Store the choice on the profile, or on the onboarding draft before consent."""
        now = self.clock.now()

        def tx(conn):
            if repo.set_language(conn, user_id, language, now):
                return
            draft = repo.get_draft(conn, user_id, ONBOARDING)
            if draft:
                repo.save_draft(conn, user_id, ONBOARDING, draft.step,
                                {**draft.data, "language": language}, now)

        await self._write(user_id, tx)

    # --- drafts of multi-step flows ------------------------------------------------------------
    async def draft(self, user_id: int, flow: str) -> Draft | None:
        return await self.db.read(repo.get_draft, user_id, flow)

    async def save_draft(self, user_id: int, flow: str, step: str, data: dict) -> None:
        await self._write(user_id, repo.save_draft, user_id, flow, step, data, self.clock.now())

    async def drop_draft(self, user_id: int, flow: str) -> None:
        await self._write(user_id, repo.delete_draft, user_id, flow)

    async def complete_onboarding(self, user_id: int, data: dict) -> None:
        """Write the profile and drop the draft in one transaction."""
        now = self.clock.now()
        consent_at = from_db(data.get("consent_at")) or now

        def tx(conn):
            repo.save_profile(conn, user_id, data["language"], data, consent_at, now)
            repo.delete_draft(conn, user_id, ONBOARDING)

        await self._write(user_id, tx)

    async def update_profile(self, user_id: int, fields: dict) -> None:
        """Change profile fields and drop the edit draft in one transaction."""
        now = self.clock.now()

        def tx(conn):
            repo.update_fields(conn, user_id, fields, now)
            repo.delete_draft(conn, user_id, PROFILE_EDIT)

        await self._write(user_id, tx)

    def now_text(self) -> str:
        return to_db(self.clock.now())

    async def set_reachable(self, user_id: int, reachable: bool) -> None:
        """Record that the person blocked (or unblocked) the bot."""
        await self._write(user_id, repo.set_reachable, user_id, reachable, self.clock.now())
