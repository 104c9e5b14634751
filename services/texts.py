"""Texts a bot's admin writes for its clients instead of the default ones (``/texts``,
``/text``)."""

from dataclasses import dataclass

from db.models import Topic
from services.base import Service
from services.errors import TextTooLong, UnknownLanguage, UnknownText

# The texts an admin may replace, by name. Each names a client notice's ``custom_text`` (or
# the greeting, which /start answers with).
CUSTOM_TEXTS = ("greeting", "assigned", "queued", "out_of_hours", "closed", "auto_closed")
# Placeholders a bot's own text may hold, by text: ``{opens}`` becomes when the desk opens.
PLACEHOLDERS = {"out_of_hours": ("opens",)}
# In UTF-16 code units, as Telegram counts a message's text once its entities are parsed: its
# limit is 4,096, and /texts shows each text under a label of its own.
TEXT_LIMIT = 4000


@dataclass(frozen=True, slots=True)
class Greeting:
    """What ``/start`` answers a client with: the bot's own greeting (``""`` when its admin
    set none, for the default) and the topics it offers."""

    text: str
    topics: list[Topic]


class TextService(Service):
    """Reads and changes a bot's own texts."""

    async def custom(self, source_id: int, name: str, language: str) -> str | None:
        """The bot's own text ``name`` in ``language``, if its admin set one."""
        async with self.transaction():
            return await self.texts.get(source_id, name, language)

    async def greeting(
        self, source_id: int, language: str, telegram_id: int, *, with_topics: bool
    ) -> Greeting | None:
        """What ``/start`` greets a client with in ``language``, and with ``with_topics`` the
        bot's topics; ``None`` for a blocked client, who gets nothing. One transaction."""
        async with self.transaction():
            lead = await self.leads.by_telegram_id(telegram_id)
            if lead is not None and lead.banned_at is not None:
                return None
            text = await self.texts.get(source_id, "greeting", language) or ""
            topics = await self.topics.of_source(source_id) if with_topics else []
            return Greeting(text, topics)

    async def of_source(self, source_id: int) -> dict[tuple[str, str], str]:
        """Everything the bot's admin set, by (name, language)."""
        async with self.transaction():
            return await self.texts.of_source(source_id)

    async def set_text(
        self,
        source_id: int,
        name: str,
        language: str,
        languages: tuple[str, ...],
        text: str | None,
        length: int = 0,
    ) -> None:
        """Set the bot's own text (Telegram HTML, ``length`` as Telegram counts it), or go
        back to the default when ``text`` is ``None``. Nothing changes on a refusal."""
        if name not in CUSTOM_TEXTS:
            raise UnknownText(name=name, names=", ".join(CUSTOM_TEXTS))
        if language not in languages:
            raise UnknownLanguage(language=language, languages=", ".join(languages))
        if length > TEXT_LIMIT:
            raise TextTooLong(length=length, limit=TEXT_LIMIT)
        async with self.transaction():
            if text is None:
                await self.texts.remove(source_id, name, language)
            else:
                await self.texts.put(source_id, name, language, text)
