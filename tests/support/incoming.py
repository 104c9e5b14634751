"""Client messages as the bot hands them to ContactService."""

from db.repositories import LeadProfile
from services.contacts import IncomingMessage


def incoming(source, user_id: int, message_id: int = 1, text: str = "hi", **kw) -> IncomingMessage:
    return IncomingMessage(
        source_id=source.id,
        chat_id=user_id,
        message_id=message_id,
        profile=LeadProfile(telegram_id=user_id, first_name=f"User {user_id}"),
        content_type=kw.pop("content_type", "text"),
        text=text,
        **kw,
    )
