"""In-memory state of the fake Telegram: bots, private chats, updates and change signalling."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .media import FileStore
from .tg_html import parse_html
from .users import User

# Telegram's default when allowed_updates was never set (or set to an empty list).
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass(frozen=True)
class Call:
    """One Bot API request as the server answered it.

    ``params`` are the raw request parameters (form values are strings, JSON bodies keep
    their types); ``at`` is the ``time.monotonic()`` arrival time; ``description`` is the
    error description for failed calls.
    """

    token: str
    method: str
    params: dict[str, Any]
    status: int
    at: float
    description: str | None = None


@dataclass(frozen=True)
class Delivery:
    """One attempt to push an update to a webhook; ``error`` is None when it was accepted."""

    bot_id: int
    update_id: int
    url: str
    error: str | None
    at: float


@dataclass
class Received:
    """A message a bot sent into a private chat, kept up to date by edits and deletes.

    ``method`` is the method that produced the current content (e.g. "sendMessage", then
    "editMessageText" after an edit); ``text`` is the text or caption as the bot sent it
    (raw HTML when ``parse_mode`` is HTML); ``copied_from`` is (from_chat_id, message_id)
    for copies and forwards.
    """

    message_id: int
    method: str
    chat_id: int
    content_type: str
    text: str | None
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    copied_from: tuple[int, int] | None = None
    media_group_id: str | None = None
    reply_to: int | None = None
    edits: int = 0
    deleted: bool = False

    @property
    def edited(self) -> bool:
        """Whether the bot has edited this message since sending it."""
        return self.edits > 0

    @property
    def plain_text(self) -> str | None:
        """The text as the user sees it: HTML tags removed and entities decoded, trimmed."""
        if self.text is None:
            return None
        if (self.parse_mode or "").lower() == "html":
            return parse_html(self.text)[0].strip()
        return self.text.strip()


@dataclass
class ChatState:
    """A private chat between one bot and one user; message ids are shared by both sides."""

    user: User
    next_message_id: int = 1
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)

    def add_message(
        self,
        sender: dict[str, Any],
        content: dict[str, Any],
        *,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Allocate the next message id, store and return the new Message dict."""
        message: dict[str, Any] = {
            "message_id": self.next_message_id,
            "from": sender,
            "chat": self.user.chat_dict(),
            "date": int(time.time()),
            **content,
        }
        self.next_message_id += 1
        if reply_to is not None:
            # Telegram nests the replied message one level deep only.
            message["reply_to_message"] = {
                key: value for key, value in reply_to.items() if key != "reply_to_message"
            }
        self.messages[message["message_id"]] = message
        return message

    def received_message(self, message_id: int) -> Received | None:
        """Return the bot's message with this id as recorded for tests."""
        return next((item for item in self.received if item.message_id == message_id), None)


@dataclass
class Webhook:
    """A bot's webhook registration and its delivery health (for getWebhookInfo)."""

    url: str
    secret_token: str | None
    max_connections: int
    last_error_date: int | None = None
    last_error_message: str | None = None


class BotState:
    """Everything the fake knows about one bot."""

    def __init__(self, token: str, username: str, first_name: str) -> None:
        self.token = token
        self.id = int(token.split(":", 1)[0])
        self.username = username
        self.first_name = first_name
        self.chats: dict[int, ChatState] = {}
        self.blocked: set[int] = set()
        self.updates: deque[dict[str, Any]] = deque()
        self.next_update_id = 1
        self.allowed_updates: frozenset[str] | None = None
        self.webhook: Webhook | None = None
        self.files = FileStore(self.id)
        self.open_callbacks: set[str] = set()  # callback query ids not yet answered
        self.profile: dict[tuple[str, str], str] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.too_many_requests = 0
        # Bumped by every getUpdates so an older long poll knows it was superseded.
        self.poll_generation = 0
        self.waiting_polls = 0
        self._serials = itertools.count(1)

    def as_user(self) -> dict[str, Any]:
        """Return the bot's own ``User`` object (the ``from`` of its messages)."""
        return {
            "id": self.id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }

    def serial(self) -> int:
        """Return a fresh number for callback query ids, media group ids and the like."""
        return next(self._serials)

    def enqueue(self, kind: str, payload: dict[str, Any]) -> None:
        """Queue an update unless its type is filtered out by ``allowed_updates``.

        Like Telegram, filtering happens when the update is created: updates of other
        types are never stored, so they do not linger as pending.
        """
        allowed = self.allowed_updates
        excluded = kind in DEFAULT_EXCLUDED_UPDATES if allowed is None else kind not in allowed
        if excluded:
            return
        self.updates.append({"update_id": self.next_update_id, kind: payload})
        self.next_update_id += 1

    def confirm(self, offset: int) -> None:
        """Apply a getUpdates ``offset``: forget confirmed updates (negative: keep the last N)."""
        if offset < 0:
            while len(self.updates) > -offset:
                self.updates.popleft()
            return
        while self.updates and self.updates[0]["update_id"] < offset:
            self.updates.popleft()


class World:
    """All bots and users plus the change signal every waiter listens to.

    The signal is an event that is set and replaced on every change: waiters re-check their
    condition after each wake-up, so no change is missed and nobody polls on a timer.
    """

    def __init__(self) -> None:
        self.bots: dict[str, BotState] = {}
        self.users: dict[int, User] = {}
        self.calls: list[Call] = []
        self.deliveries: list[Delivery] = []
        self.answered_callbacks: list[dict[str, Any]] = []
        self.commands: dict[tuple[int, str, str], list[dict[str, Any]]] = {}
        self.closing = False
        self._changed = asyncio.Event()

    def bot(self, ref: str) -> BotState:
        """Find a bot by token or by username (with or without "@")."""
        state = self.bots.get(ref)
        if state is not None:
            return state
        username = ref.removeprefix("@").lower()
        for candidate in self.bots.values():
            if candidate.username.lower() == username:
                return candidate
        msg = f"unknown bot {ref!r}; add it with add_bot() first"
        raise LookupError(msg)

    def is_bot_id(self, chat_id: int) -> bool:
        """Whether ``chat_id`` belongs to one of the fake's bots."""
        return any(state.id == chat_id for state in self.bots.values())

    def changed(self) -> None:
        """Wake every waiter so it re-checks its condition."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(self, predicate: Callable[[], bool], seconds: float | None) -> bool:
        """Wait until ``predicate()`` holds (True) or ``seconds`` pass (False; None: forever)."""
        loop = asyncio.get_running_loop()
        deadline = None if seconds is None else loop.time() + seconds
        while not predicate():
            event = self._changed
            if deadline is None:
                await event.wait()
                continue
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                async with asyncio.timeout(remaining):
                    await event.wait()
            except TimeoutError:
                return predicate()
        return True
