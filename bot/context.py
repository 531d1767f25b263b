"""The typed callback context and the services every handler reaches through it."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram.ext import CallbackContext, ExtBot

from bot.compose import Services
from bot.config import Settings
from bot.i18n import Translator, resolve_language, translator
from bot.inbox import Inbox
from bot.services.access import Access, access_of
from bot.services.people import Person
from bot.timeutil import Clock

__all__ = ["BotContext", "Boot", "Services"]


@dataclass
class Boot:
    """PTB's bot_data until start-up: what building the services needs. Start-up replaces it
    with the built `Services` (bot/app.py), so that no handler ever sees a half-built one."""

    settings: Settings = field(default_factory=Settings)
    clock: Clock = field(default_factory=Clock)
    inbox: Inbox | None = None


class BotContext(CallbackContext[ExtBot, dict, dict, Services]):
    """`context.services`, `context.person` and `context.t` for every handler."""

    _person: Person | None = None
    _t: Translator | None = None

    @property
    def services(self) -> Services:
        services = self.bot_data  # PTB's public property (no private attribute of PTB's here)
        if not isinstance(services, Services):
            raise RuntimeError("an update was handled before start-up built the services")
        return services

    @property
    def person(self) -> Person:
        if self._person is None:
            raise RuntimeError("the gatekeeper did not run for this update")
        return self._person

    async def access(self) -> Access:
        """This person's roles, read afresh (privileged actions check on every update)."""
        s = self.services
        return await access_of(s.db, self.person.user_id, s.settings.admins)

    @property
    def t(self) -> Translator:
        if self._t is None:
            return translator(resolve_language(None, None))
        return self._t

    def set_person(self, person: Person, telegram_language: str | None) -> None:
        self._person = person
        # The recorded sex picks the grammatical gender of "you" (the draft's during onboarding).
        draft = person.draft.data if person.draft else {}
        sex = person.profile.sex if person.profile else draft.get("sex")
        self._t = translator(resolve_language(person.stored_language, telegram_language), sex)

    def address(self, sex: str) -> None:
        """Address the person in this grammatical gender from now on in this update (the answer
        to the sex question, so that the very next question already agrees)."""
        self._t = translator(self.t.lang, sex)

    def use_language(self, lang: str) -> None:
        """Speak another language from now on in this update (after /language), to the same person."""
        self._t = translator(lang, "F" if self._t is not None and self._t.female else None)
