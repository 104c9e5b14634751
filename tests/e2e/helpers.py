"""Helpers the end-to-end tests share (the harness itself is tests/support/switchboard.py)."""

import re

from fake_telegram import FakeTelegram, Received, User
from tests.support.switchboard import Switchboard

BOTS = ("alpha_bot", "beta_bot")
CARD_MARK = "📨 New contact #"
# How a card names the client: "... (id 20001".
_CLIENT_ID = re.compile(r"\(id (\d+)")


async def settle(switchboard: Switchboard, timeout: float = 120.0) -> None:  # noqa: ASYNC109
    """Wait until a burst of updates (too many for ``idle``'s default timeout) is handled,
    then until the outbox is empty."""
    telegram = switchboard.telegram
    await telegram.wait_for(
        lambda: all(telegram.pending_updates(bot) == 0 for bot in BOTS), timeout=timeout
    )
    await switchboard.idle()


def texts(telegram: FakeTelegram, bot: str, chat_id: int, since: int = 0) -> list[str]:
    """Plain texts of what ``bot`` sent to ``chat_id`` (from the ``since``-th message on)."""
    return [item.plain_text or "" for item in telegram.received(bot, chat_id)[since:]]


def cards(telegram: FakeTelegram, bot: str, chat_id: int) -> list[Received]:
    """The contact cards an operator got from ``bot``."""
    return [
        item
        for item in telegram.received(bot, chat_id)
        if (item.plain_text or "").startswith(CARD_MARK)
    ]


def carried(telegram: FakeTelegram, bot: str, item: Received) -> tuple[int, int] | None:
    """The user's message (chat id, message id) that a message of ``bot`` passes on: the one it
    is a copy of, or the first text a card carries (the card ends with its words)."""
    if item.copied_from is not None:
        return item.copied_from
    text = item.plain_text or ""
    if not text.startswith(CARD_MARK) or (named := _CLIENT_ID.search(text)) is None:
        return None
    client = int(named[1])
    for message in telegram.written(bot, client):
        if "text" in message and text.endswith("\n\n" + message["text"].strip()):
            return client, message["message_id"]
    return None


def copies_from(telegram: FakeTelegram, bot: str, chat_id: int, sender: User) -> list[Received]:
    """Messages of ``sender`` that ``bot`` passed on into ``chat_id``: copies, and the card
    that carries the first one."""
    return [
        item
        for item in telegram.received(bot, chat_id)
        if (origin := carried(telegram, bot, item)) is not None and origin[0] == sender.id
    ]


def buttons(message: Received) -> list[tuple[str, str]]:
    """The inline buttons under a message as (label, callback data), row by row."""
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [(button["text"], button["callback_data"]) for row in rows for button in row]


def clients(count: int, first_id: int = 20_000) -> list[User]:
    """``count`` distinct client accounts named "Client <n>" (ids from ``first_id``)."""
    return [User(first_id + n, f"Client {n}") for n in range(count)]
