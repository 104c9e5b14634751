"""Each bot's canned replies: admins keep them (``/templates``, ``/template``), operators send
them to clients (``/t``, see ``OperatorService.send_template``)."""

import html
import re

from db.models import Template
from db.repositories import TemplateRepository
from services.base import Service
from services.errors import (
    InvalidTemplateName,
    NoTemplates,
    TemplateTooLong,
    TextTooLong,
    UnknownTemplate,
)
from services.texts import TEXT_LIMIT

TEMPLATE_NAME = re.compile(r"[a-z0-9_]{1,32}")
# Telegram's limit of a message's text, in UTF-16 code units once its entities are parsed.
MESSAGE_LIMIT = 4096
# A template's own limit, as a bot's texts have (services.texts): /templates shows each under
# its name, and the name must fit beside it.
TEMPLATE_LIMIT = TEXT_LIMIT
# Where the client's first name goes.
NAME_SLOT = "{name}"
# Tags of Telegram HTML; a "<" of the text itself is always written "&lt;".
_TAG = re.compile(r"<[^>]*>")


def plain_text(telegram_html: str) -> str:
    """What a reader sees of a Telegram HTML text: no tags, entities decoded."""
    return html.unescape(_TAG.sub("", telegram_html))


def telegram_length(text: str) -> int:
    """A text's length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def fill(template: Template, first_name: str) -> str:
    """A template's text for one client: ``{name}`` becomes their first name, escaped (the
    text is Telegram HTML, the name is not); refused if it would not fit one message."""
    text = template.text.replace(NAME_SLOT, html.escape(first_name, quote=False))
    length = telegram_length(plain_text(text))
    if length > MESSAGE_LIMIT:
        raise TemplateTooLong(name=template.name, length=length, limit=MESSAGE_LIMIT)
    return text


def check_name(name: str) -> str:
    """A template's name: 1 to 32 of ``a-z 0-9 _``."""
    if TEMPLATE_NAME.fullmatch(name) is None:
        raise InvalidTemplateName(name=name)
    return name


class TemplateService(Service):
    """Reads and changes a bot's templates."""

    async def of_source(self, source_id: int) -> list[Template]:
        """A bot's templates by name."""
        async with self.transaction():
            await self.find_source(source_id)
            return await self.templates.of_source(source_id)

    async def set_template(self, source_id: int, name: str, text: str, length: int) -> bool:
        """Add a template (Telegram HTML, ``length`` as Telegram counts it) or replace the
        one of that name; whether one was replaced. Nothing changes on a refusal."""
        return (await self._put(source_id, name, text, length))[1]

    async def set_plain(self, source_id: int, name: str, text: str) -> tuple[Template, bool]:
        """``set_template`` with a plain text (the API's: no formatting, escaped to be sent as
        Telegram HTML); the template as stored, and whether one was replaced."""
        escaped = html.escape(text, quote=False)
        return await self._put(source_id, name, escaped, telegram_length(text))

    async def _put(
        self, source_id: int, name: str, text: str, length: int
    ) -> tuple[Template, bool]:
        check_name(name)
        if length > TEMPLATE_LIMIT:
            raise TextTooLong(length=length, limit=TEMPLATE_LIMIT)
        async with self.transaction():
            await self.find_source(source_id)
            # Two admins at once: the one who comes second is told it replaced the first's.
            await self.templates.lock(f"template:{source_id}:{name}")
            replaced = await self.templates.named(source_id, name) is not None
            await self.templates.put(source_id, name, text)
            template = await self.templates.named(source_id, name)
            assert template is not None  # just written
        return template, replaced

    async def remove(self, source_id: int, name: str) -> None:
        """Remove a template of this bot; refused if it has none of that name."""
        check_name(name)
        async with self.transaction():
            await self.find_source(source_id)
            if not await self.templates.remove(source_id, name):
                raise await unknown_template(self.templates, source_id, name)


async def unknown_template(
    templates: TemplateRepository, source_id: int, name: str
) -> UnknownTemplate | NoTemplates:
    """The refusal of a name no template of the bot has: the names there are, or that there
    is none yet (read in the transaction under way)."""
    names = [template.name for template in await templates.of_source(source_id)]
    if not names:
        return NoTemplates()
    return UnknownTemplate(name=name, names=", ".join(names))
