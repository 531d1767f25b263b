"""People: profiles, language, onboarding drafts."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage import users as repo
from bot.storage.db import Database
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

    @property
    def onboarded(self) -> bool:
        return self.profile is not None and self.profile.onboarded

    @property
    def stored_language(self) -> str | None:
        if self.profile:
            return self.profile.language
        return self.draft.data.get("language") if self.draft else None


class PeopleService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def load(self, user_id: int) -> Person:
        profile, draft = await self.db.read(repo.get_with_draft, user_id)
        return Person(user_id, profile, draft)

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

        await self.db.write(tx)

    # --- drafts of multi-step flows ------------------------------------------------------------
    async def draft(self, user_id: int, flow: str) -> Draft | None:
        return await self.db.read(repo.get_draft, user_id, flow)

    async def save_draft(self, user_id: int, flow: str, step: str, data: dict) -> None:
        await self.db.write(repo.save_draft, user_id, flow, step, data, self.clock.now())

    async def drop_draft(self, user_id: int, flow: str) -> None:
        await self.db.write(repo.delete_draft, user_id, flow)

    async def complete_onboarding(self, user_id: int, data: dict) -> None:
        """Write the profile and drop the draft in one transaction."""
        now = self.clock.now()
        consent_at = from_db(data.get("consent_at")) or now

        def tx(conn):
            repo.save_profile(conn, user_id, data["language"], data, consent_at, now)
            repo.delete_draft(conn, user_id, ONBOARDING)

        await self.db.write(tx)

    async def update_profile(self, user_id: int, fields: dict) -> None:
        """Change profile fields and drop the edit draft in one transaction."""
        now = self.clock.now()

        def tx(conn):
            repo.update_fields(conn, user_id, fields, now)
            repo.delete_draft(conn, user_id, PROFILE_EDIT)

        await self.db.write(tx)

    def now_text(self) -> str:
        return to_db(self.clock.now())

    async def set_reachable(self, user_id: int, reachable: bool) -> None:
        """Record that the person blocked (or unblocked) the bot."""
        await self.db.write(repo.set_reachable, user_id, reachable, self.clock.now())
