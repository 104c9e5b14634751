"""The language each person reads: their own choice (/language) wins over Telegram's."""

from db.repositories import LeadProfile
from services.base import Service
from services.errors import UnknownLanguage


class LanguageService(Service):
    """Records what people choose and what Telegram says they use."""

    async def chosen(self, telegram_id: int) -> str | None:
        """The language a person chose, if they did."""
        async with self.transaction():
            return await self.languages.chosen(telegram_id)

    async def choose(
        self, person: LeadProfile, language: str, languages: tuple[str, ...], *, is_admin: bool
    ) -> None:
        """Store a person's choice (one of ``languages``) for every role they have: later
        messages to them (reminders, alerts, the client's acknowledgements) follow it. Someone
        the desk does not know yet is a client who has not written: they become a lead."""
        if language not in languages:
            raise UnknownLanguage(language=language, languages=", ".join(languages))
        telegram_id = person.telegram_id
        async with self.transaction():
            if not await self.languages.choose(telegram_id, language, is_admin=is_admin):
                await self.leads.touch(person)
                await self.languages.choose(telegram_id, language, is_admin=is_admin)

    async def seen(self, telegram_id: int, language: str | None, *, is_admin: bool) -> None:
        """Record the Telegram language of an operator and/or admin (at /start): what their
        later notices are written in unless they chose one."""
        async with self.transaction():
            await self.languages.operator_seen(telegram_id, language)
            if is_admin:
                await self.languages.admin_seen(telegram_id, language)
