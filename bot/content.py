"""Which messages can be passed on between a client and an operator (as copies)."""

import enum

from aiogram.enums import ContentType, PollType
from aiogram.types import Message

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


class Relayability(enum.Enum):
    """Whether a message can be passed on as a copy."""

    RELAYABLE = "relayable"
    # Something the user said that Telegram will not copy: tell them.
    UNCOPYABLE = "uncopyable"
    # Not something the user said (a pin, an auto-delete timer, ...): nothing to pass on.
    SERVICE = "service"


def relayability(message: Message) -> Relayability:
    """Whether ``message`` can be copied to the other side of a contact."""
    poll = message.poll
    # A forwarded quiz comes without its answer, and Telegram copies a quiz only with it.
    if poll is not None and poll.type == PollType.QUIZ and poll.correct_option_id is None:
        return Relayability.UNCOPYABLE
    if message.content_type in RELAYABLE:
        return Relayability.RELAYABLE
    if message.content_type in UNCOPYABLE:
        return Relayability.UNCOPYABLE
    return Relayability.SERVICE
