"""Simulated Telegram users and the parts of user-sent messages Telegram derives from text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .tg_html import utf16_len

# Telegram marks a leading "/command" or "/command@bot" as a bot_command entity.
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")


@dataclass(frozen=True)
class User:
    """A simulated (human) Telegram user; ``id`` is also the id of their private chats."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "en"

    def to_dict(self) -> dict[str, Any]:
        """Return the Bot API ``User`` object for this user."""
        return _without_none(
            {
                "id": self.id,
                "is_bot": False,
                "first_name": self.first_name,
                "last_name": self.last_name,
                "username": self.username,
                "language_code": self.language_code,
            }
        )

    def chat_dict(self) -> dict[str, Any]:
        """Return the Bot API ``Chat`` object of this user's private chat with a bot."""
        return _without_none(
            {
                "id": self.id,
                "type": "private",
                "first_name": self.first_name,
                "last_name": self.last_name,
                "username": self.username,
            }
        )


def command_entities(text: str) -> list[dict[str, Any]]:
    """Return the bot_command entity Telegram attaches to text starting with a command."""
    match = _COMMAND.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match[0])}]


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    # Telegram omits absent optional fields instead of sending null.
    return {key: value for key, value in values.items() if value is not None}
