"""What users send: which messages can be passed on between a client and an operator (as
copies), and formatted text given as a command's argument."""

import re
from typing import NamedTuple

from aiogram.enums import ContentType, PollType
from aiogram.types import Message, User
from aiogram.utils.text_decorations import html_decoration

from bot.middlewares import Sender
from bot.render import telegram_length
from bot.texts import t
from db.repositories import LeadProfile

# What a user may send that the other side gets as a copy (copyMessage).
RELAYABLE = frozenset(
    {
        ContentType.TEXT,
        ContentType.ANIMATION,
        ContentType.AUDIO,
        ContentType.DOCUMENT,
        ContentType.LIVE_PHOTO,
        ContentType.PHOTO,
        ContentType.STICKER,
        ContentType.STORY,
        ContentType.VIDEO,
        ContentType.VIDEO_NOTE,
        ContentType.VOICE,
        ContentType.CHECKLIST,
        ContentType.CONTACT,
        ContentType.DICE,
        ContentType.POLL,
        ContentType.VENUE,
        ContentType.LOCATION,
        ContentType.RICH_MESSAGE,
    }
)
# What a user may send but Telegram refuses to copy, or what this aiogram does not know yet.
UNCOPYABLE = frozenset(
    {
        ContentType.INVOICE,
        ContentType.GAME,
        ContentType.GIVEAWAY,
        ContentType.GIVEAWAY_WINNERS,
        ContentType.PAID_MEDIA,
        ContentType.UNKNOWN,
    }
)


async def can_pass_on(message: Message, sender: Sender, refusal: str) -> bool:
    """Whether ``message`` can be copied to the other side of a contact.

    If the user said something Telegram will not copy, they get the text ``refusal`` (a key)
    as a reply, in their language. Any
    other type is a service message (a pin, an auto-delete timer, ...): not something the user
    said, so there is nothing to pass on or answer.
    """
    poll = message.poll
    # A forwarded quiz comes without its answer, and Telegram copies a quiz only with it.
    unanswered_quiz = (
        poll is not None and poll.type == PollType.QUIZ and poll.correct_option_id is None
    )
    if unanswered_quiz or message.content_type in UNCOPYABLE:
        await message.reply(t(refusal, await sender.language()))
        return False
    return message.content_type in RELAYABLE


def lead_profile(user: User) -> LeadProfile:
    """What Telegram tells about a client."""
    return LeadProfile(
        telegram_id=user.id,
        first_name=user.first_name,
        username=user.username,
        last_name=user.last_name,
        language=user.language_code,
    )


class FormattedText(NamedTuple):
    """Part of a message as Telegram HTML, and its length as Telegram counts it."""

    html: str
    length: int


# ``/command first second rest…``: the rest may span lines.
_TWO_WORDS_AND_REST = re.compile(r"/\S+\s+(\S+)(?:\s+(\S+))?(?:\s+)?")


def text_argument(message: Message) -> tuple[str, str, FormattedText | None] | None:
    """``/text <name> <language> [text…]``: the two words, and the text after them as the user
    formatted it (bold, links, ...), or ``None`` when there is none; ``None`` for fewer words.
    """
    full = message.text or ""
    match = _TWO_WORDS_AND_REST.match(full)
    if match is None or match.group(2) is None:
        return None
    rest = full[match.end() :]
    if not rest.strip():
        return match.group(1), match.group(2), None
    # Entities count UTF-16 code units; keep those inside the rest, moved to its start.
    start = telegram_length(full[: match.end()])
    entities = []
    for entity in message.entities or []:
        end = entity.offset + entity.length
        if end <= start:
            continue
        offset = max(entity.offset, start)
        entities.append(
            entity.model_copy(update={"offset": offset - start, "length": end - offset})
        )
    html = html_decoration.unparse(rest, entities)
    return match.group(1), match.group(2), FormattedText(html, telegram_length(rest))
