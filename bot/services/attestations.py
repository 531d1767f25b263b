"""Attestations of participation and de réussite: who may have one, the code that proves it,
its PDF. A réussite needs what a participation needs (attended, the session over, the hot
questionnaire if the setting asks for it) and a post-test at or above the pass mark."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.config import Settings
from bot.services import attestation_pdf
from bot.services.outcomes import Issuance, Verification
from bot.storage import attestations as repo
from bot.storage import catalogue as sessions_repo
from bot.storage import evaluations as evaluations_repo
from bot.storage import knowledge_tests as tests_repo
from bot.storage import path_attestations
from bot.storage import registrations as regs_repo
from bot.storage.attestations import Attestation, AttestationKind
from bot.storage.db import Database
from bot.storage.registrations import MyRegistration
from bot.timeutil import Clock


@dataclass(frozen=True)
class Issued:
    outcome: Issuance
    attestation: Attestation | None = None
    registration_id: int | None = None


class AttestationService:
    def __init__(self, db: Database, clock: Clock, settings: Settings) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings

    async def available(self, user_id: int) -> list[MyRegistration]:
        """The person's sessions that are over and where their presence was recorded."""
        now = self.clock.now()
        mine = await self.db.read(regs_repo.of_user, user_id)
        return sorted((m for m in mine if m.registration.status == "attended" and m.ends_at <= now),
                      key=lambda m: m.starts_at, reverse=True)

    async def passed(self, user_id: int) -> set[int]:
        """The person's registrations whose post-test reached the pass mark."""
        def read(conn) -> set[int]:
            return {m.registration.id for m in regs_repo.of_user(conn, user_id)
                    if tests_repo.passed(conn, m.registration.id)}

        return await self.db.read(read)

    async def issue(self, user_id: int, registration_id: int,
                    kind: AttestationKind = AttestationKind.PARTICIPATION) -> Issued:
        """The attestation of one of the person's sessions (the same code every time)."""
        now = self.clock.now()
        needs_evaluation = self.settings.attestation_needs_evaluation

        def tx(conn):
            reg = regs_repo.get(conn, registration_id)
            if reg is None or reg.user_id != user_id:
                return Issued(Issuance.NOT_YOURS)
            if reg.status != "attended":
                return Issued(Issuance.NOT_ATTENDED, registration_id=reg.id)
            if sessions_repo.get_session(conn, reg.session_id).ends_at > now:
                return Issued(Issuance.NOT_ENDED, registration_id=reg.id)
            if needs_evaluation:
                hot = evaluations_repo.response_of(conn, reg.id, "hot")
                if hot is None or hot.submitted_at is None:
                    return Issued(Issuance.NEEDS_EVALUATION, registration_id=reg.id)
            if kind == AttestationKind.SUCCESS and not tests_repo.passed(conn, reg.id):
                return Issued(Issuance.NOT_PASSED, registration_id=reg.id)
            return Issued(Issuance.OK, repo.issue(conn, reg.id, now, kind), reg.id)

        return await self.db.write(tx)

    async def verify(self, raw: str) -> tuple[Verification, Attestation | None]:
        """('genuine', attestation), ('not_found', None) or ('malformed', None)."""
        code = repo.normalise_code(raw)
        if code is None:
            return Verification.MALFORMED, None
        found = await self.db.read(lambda conn: repo.by_code(conn, code)
                                   or path_attestations.by_code(conn, code))
        return (Verification.GENUINE, found) if found else (Verification.NOT_FOUND, None)

    @staticmethod
    def verify_link(bot_username: str, code: str) -> str:
        return f"https://t.me/{bot_username}?start=v_{code}"

    async def pdf(self, attestation: Attestation, bot_username: str) -> bytes:
        """Rendered in a thread: shaping and font subsetting take tens of milliseconds."""
        return await asyncio.to_thread(attestation_pdf.render, attestation,
                                       self.verify_link(bot_username, attestation.code), bot_username)
