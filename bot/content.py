"""Which messages can be passed on between a client and an operator (as copies)."""

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


async def can_pass_on(message: Message, refusal: str) -> bool:
    """Whether ``message`` can be copied to the other side of a contact.

    If the user said something Telegram will not copy, they get ``refusal`` as a reply. Any
    other type is a service message (a pin, an auto-delete timer, ...): not something the user
    said, so there is nothing to pass on or answer.
    """
    poll = message.poll
    # A forwarded quiz comes without its answer, and Telegram copies a quiz only with it.
    unanswered_quiz = (
        poll is not None and poll.type == PollType.QUIZ and poll.correct_option_id is None
    )
    if unanswered_quiz or message.content_type in UNCOPYABLE:
        await message.reply(refusal)
        return False
    return message.content_type in RELAYABLE
