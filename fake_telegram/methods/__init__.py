"""Bot API method handlers, looked up case-insensitively like Telegram does."""

from __future__ import annotations

from .bot import HANDLERS as _BOT
from .bot import commands_key
from .common import Context, Handler, chat_key
from .media import HANDLERS as _MEDIA
from .messages import HANDLERS as _MESSAGES
from .updates import HANDLERS as _UPDATES

_HANDLERS: dict[str, Handler] = {**_BOT, **_MESSAGES, **_MEDIA, **_UPDATES}
_BY_LOWER_NAME = {name.lower(): (name, handler) for name, handler in _HANDLERS.items()}


def lookup(method: str) -> tuple[str, Handler] | None:
    """Return (canonical name, handler) for a method name in any letter case."""
    return _BY_LOWER_NAME.get(method.lower())


__all__ = ["Context", "Handler", "chat_key", "commands_key", "lookup"]
