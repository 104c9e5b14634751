"""FakeTelegram: a local Bot API server plus the API tests use to play Telegram users."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from aiohttp import ClientSession, web

from .api import ApiExecutor
from .control import add_control_routes
from .errors import ApiError
from .faults import SEND_METHODS, Fault, FaultInjector, FaultPlan, RateLimiter, RateLimits
from .media import ALBUM_KINDS, CAPTION_KINDS, MEDIA_KINDS, simulated_content
from .methods import commands_key, lookup
from .params import read_body
from .state import BotState, Call, ChatState, Delivery, Received, World
from .users import User, command_entities
from .webhook import WebhookPusher

_MAX_REQUEST_SIZE = 50 * 1024 * 1024  # Telegram's upload limit for bots
_SHUTDOWN_TIMEOUT = 1.0
_RECENT_CALLS = 8


class FakeTelegram:
    """A fake Telegram Bot API server for end-to-end tests and demos.

    Bots talk to it over HTTP exactly as to api.telegram.org (point aiogram at it with
    ``AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url))``); tests act as users
    through the async simulation methods and inspect what bots did via ``received``,
    ``calls`` and friends.  ``bot`` arguments accept a token or a username.

    ``faults`` injects random errors; ``limits`` enables flood control (None: unlimited).
    """

    def __init__(
        self, *, faults: FaultPlan | None = None, limits: RateLimits | None = None
    ) -> None:
        self._world = World()
        self._faults = FaultInjector(faults)
        limiter = RateLimiter(limits) if limits is not None else None
        self._api = ApiExecutor(self._world, self._faults, limiter)
        self._runner: web.AppRunner | None = None
        self._session: ClientSession | None = None
        self._pusher: WebhookPusher | None = None
        self._base_url: str | None = None
        self._site: web.TCPSite | None = None
        self._refusing = False  # refuse_connections() until end_outage()
        self._address: tuple[str, int] | None = None  # where it listens

    # ----------------------------------------------------------------- lifecycle

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Start serving on ``host:port`` (0 picks a free port); return the base URL."""
        if self._runner is not None or self._world.closing:
            msg = "a FakeTelegram can be started once; create a new one after close()"
            raise RuntimeError(msg)
        app = web.Application(client_max_size=_MAX_REQUEST_SIZE)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        add_control_routes(app, self)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=_SHUTDOWN_TIMEOUT)
        await runner.setup()
        self._site = web.TCPSite(runner, host, port)
        await self._site.start()
        self._runner = runner
        bound_port = runner.addresses[0][1]
        self._address = (host, bound_port)
        url_host = f"[{host}]" if ":" in host else host
        self._base_url = f"http://{url_host}:{bound_port}"
        self._session = ClientSession()
        self._pusher = WebhookPusher(self._world, self._api, self._session)
        for state in self._world.bots.values():
            self._pusher.watch(state)
        return self._base_url

    async def close(self) -> None:
        """Stop serving: pending long polls and held (timeout-fault) requests end at once."""
        self._world.closing = True
        self._world.changed()
        if self._pusher is not None:
            await self._pusher.close()
            self._pusher = None
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """Base URL such as ``http://127.0.0.1:41234`` (available after :meth:`start`)."""
        if self._base_url is None:
            msg = "FakeTelegram is not started; call start() first"
            raise RuntimeError(msg)
        return self._base_url

    def add_bot(self, token: str, username: str, first_name: str | None = None) -> int:
        """Register a bot with token ``"<bot_id>:<secret>"``; return its id."""
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret or any(char.isspace() for char in token):
            msg = f"token must look like '<bot_id>:<secret>', got {token!r}"
            raise ValueError(msg)
        username = username.removeprefix("@")
        for other in self._world.bots.values():
            if other.id == int(bot_id) or other.username.lower() == username.lower():
                msg = f"a bot with id {bot_id} or username @{username} already exists"
                raise ValueError(msg)
        state = BotState(token, username, first_name or username)
        self._world.bots[token] = state
        if self._pusher is not None:
            self._pusher.watch(state)
        return state.id

    def rename_bot(self, bot: str, first_name: str) -> None:
        """The owner renamed ``bot`` with @BotFather; ``getMe`` tells the new name."""
        self._world.bot(bot).first_name = first_name

    # --------------------------------------------------------------- observation

    @property
    def calls(self) -> list[Call]:
        """Every Bot API call answered so far (including failed ones), in answer order."""
        return self._world.calls

    @property
    def deliveries(self) -> list[Delivery]:
        """Every webhook push attempt, successful or not, in order."""
        return self._world.deliveries

    @property
    def answered_callbacks(self) -> list[dict[str, Any]]:
        """answerCallbackQuery calls: bot_id, callback_query_id, text, show_alert, url..."""
        return self._world.answered_callbacks

    @property
    def commands(self) -> dict[tuple[int, str, str], list[dict[str, Any]]]:
        """setMyCommands state keyed by (bot_id, scope JSON, language_code).

        The scope JSON is compact with sorted keys, e.g. ``'{"type":"default"}'``; the
        language code is ``""`` when none was given.  See :meth:`commands_of`.
        """
        return self._world.commands

    @property
    def too_many_requests(self) -> int:
        """How many 429 answers were given (rate limits and faults, all bots)."""
        return sum(state.too_many_requests for state in self._world.bots.values())

    def too_many_requests_of(self, bot: str) -> int:
        """How many 429 answers ``bot`` got."""
        return self._world.bot(bot).too_many_requests

    def commands_of(
        self, bot: str, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """The commands ``bot`` set for ``scope`` (default scope if None) and language."""
        key = commands_key(self._world.bot(bot).id, scope, language_code)
        return list(self._world.commands.get(key, []))

    def calls_of(self, method: str, bot: str | None = None) -> list[Call]:
        """Calls of ``method`` (any letter case), optionally only those made by ``bot``."""
        entry = lookup(method)
        name = entry[0] if entry is not None else method
        token = self._world.bot(bot).token if bot is not None else None
        return [
            call
            for call in self._world.calls
            if call.method == name and (token is None or call.token == token)
        ]

    def pending_updates(self, bot: str) -> int:
        """Updates not yet confirmed (by a getUpdates offset or a 2xx webhook answer)."""
        return len(self._world.bot(bot).updates)

    def is_polling(self, bot: str) -> bool:
        """Whether a getUpdates long poll of ``bot`` is waiting right now.

        Useful to start a scenario only once the bot under test is listening.
        """
        return self._world.bot(bot).waiting_polls > 0

    def written(self, bot: str, user_id: int) -> list[dict[str, Any]]:
        """Messages the user ``user_id`` wrote to ``bot``, oldest first (Message dicts)."""
        chat = self._world.bot(bot).chats.get(user_id)
        messages = chat.messages.values() if chat is not None else []
        return [dict(m) for m in messages if m["from"]["id"] == user_id]

    def received(self, bot: str, chat_id: int) -> list[Received]:
        """Messages ``bot`` sent into the private chat with ``chat_id``, oldest first."""
        chat = self._world.bot(bot).chats.get(chat_id)
        return list(chat.received) if chat is not None else []

    def document(self, bot: str, chat_id: int, message_id: int) -> tuple[str, bytes]:
        """The file name and the bytes of a document ``bot`` sent into the chat with
        ``chat_id`` (as a user would download it)."""
        state = self._world.bot(bot)
        message = state.chats[chat_id].messages[message_id]
        document = message["document"]
        record = state.files.get(document["file_id"])
        assert record is not None
        return document["file_name"], record.content()

    def photo(self, bot: str, chat_id: int, message_id: int) -> bytes:
        """The bytes of the largest size of a photo ``bot`` sent into the chat with
        ``chat_id`` (what a user sees when they open it)."""
        state = self._world.bot(bot)
        largest = state.chats[chat_id].messages[message_id]["photo"][-1]
        record = state.files.get(largest["file_id"])
        assert record is not None
        return record.content()

    # The timeout parameters are part of the public API: timing out is the expected failure
    # mode of a test, and it must raise a descriptive error rather than a bare cancellation.
    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> None:
        """Wait until ``predicate()`` is true; it is re-checked after every state change.

        Raises TimeoutError naming the predicate and listing the latest API calls.
        """
        if await self._world.wait_until(predicate, timeout):
            return
        msg = f"{_describe(predicate)} still false after {timeout}s; {self._recent_calls()}"
        raise TimeoutError(msg)

    async def wait_received(
        self,
        bot: str,
        chat_id: int,
        count: int,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> list[Received]:
        """Wait until ``bot`` has sent at least ``count`` messages to ``chat_id``."""
        state = self._world.bot(bot)
        if not await self._world.wait_until(
            lambda: len(self.received(bot, chat_id)) >= count, timeout
        ):
            got = [(item.method, item.plain_text) for item in self.received(bot, chat_id)]
            msg = (
                f"@{state.username} sent {len(got)} of {count} expected messages to chat "
                f"{chat_id} within {timeout}s: {got}; {self._recent_calls()}"
            )
            raise TimeoutError(msg)
        return self.received(bot, chat_id)

    def _recent_calls(self) -> str:
        recent = [
            f"{call.method}->{call.status}" + (f" ({call.description})" if call.description else "")
            for call in self._world.calls[-_RECENT_CALLS:]
        ]
        return f"last API calls: {', '.join(recent) or 'none'}"

    # -------------------------------------------------------------------- faults

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        *,
        retry_after: int | None = None,
        count: int = 1,
    ) -> None:
        """Answer the next ``count`` calls of ``method`` (any bot) with this error.

        The calls are not performed.  Use Telegram wording, e.g. (429, "Too Many Requests:
        retry after 3", retry_after=3) or (400, "Bad Request: chat not found").
        """
        entry = lookup(method)
        if entry is None:
            msg = f"unknown Bot API method {method!r}"
            raise ValueError(msg)
        if count < 1:
            msg = f"count must be positive, got {count}"
            raise ValueError(msg)
        self._faults.fail_next(entry[0], Fault(error_code, description, retry_after), count)

    def start_outage(
        self,
        error_code: int = 502,
        description: str = "Bad Gateway",
        *,
        methods: frozenset[str] = SEND_METHODS,
    ) -> None:
        """Answer every call of ``methods`` (every bot; by default the sending ones) with this
        error until :meth:`end_outage`, as Telegram does when it is down. The calls are not
        performed; updates are still delivered."""
        self._faults.start_outage(Fault(error_code, description), methods)

    async def refuse_connections(self) -> None:
        """Telegram unreachable until :meth:`end_outage`: new connections are refused (the
        server stops listening) and requests on connections already open are cut off
        unanswered. Nothing is performed, not even ``getUpdates``."""
        if self._site is None:
            msg = "FakeTelegram is not started; call start() first"
            raise RuntimeError(msg)
        self._refusing = True
        await self._site.stop()

    async def end_outage(self) -> None:
        """Answer again: listen on the same address, and stop the errors of
        :meth:`start_outage`."""
        self._faults.end_outage()
        if self._refusing and self._runner is not None and self._address is not None:
            site = web.TCPSite(self._runner, *self._address, reuse_address=True)
            await site.start()
            self._site = site
        self._refusing = False

    # ---------------------------------------------------------------- simulation

    async def send_message(
        self, bot: str, user: User, text: str, *, reply_to: int | None = None
    ) -> dict[str, Any]:
        """``user`` writes ``text`` to ``bot``; returns the Message dict of the update."""
        content: dict[str, Any] = {"text": text}
        entities = command_entities(text)
        if entities:
            content["entities"] = entities
        return self._post_as_user(self._world.bot(bot), user, content, reply_to)

    async def send_command(self, bot: str, user: User, command: str) -> dict[str, Any]:
        """``user`` sends a command such as ``"/start abc"`` (the leading "/" is optional)."""
        text = command if command.startswith("/") else f"/{command}"
        if not command_entities(text):
            msg = f"not a bot command: {command!r}"
            raise ValueError(msg)
        return await self.send_message(bot, user, text)

    async def send_raw(
        self, bot: str, user: User, content: dict[str, Any], *, reply_to: int | None = None
    ) -> dict[str, Any]:
        """``user``'s private chat with ``bot`` gets a message with ``content`` as given (any
        Message fields: a service message such as ``pinned_message``, a quiz poll, ...)."""
        return self._post_as_user(self._world.bot(bot), user, content, reply_to)

    async def send_group_message(
        self, bot: str, user: User, text: str, *, group_id: int = -1_001_000_000_001
    ) -> dict[str, Any]:
        """``user`` writes ``text`` in a supergroup ``bot`` is a member of; returns the Message.

        Only the update is simulated: the group has no chat state, so whatever the bot sends
        there is answered "chat not found".
        """
        state = self._world.bot(bot)
        self._world.users[user.id] = user
        message: dict[str, Any] = {
            "message_id": state.serial(),
            "from": user.to_dict(),
            "chat": {"id": group_id, "type": "supergroup", "title": f"Group {-group_id}"},
            "date": int(time.time()),
            "text": text,
        }
        entities = command_entities(text)
        if entities:
            message["entities"] = entities
        state.enqueue("message", message)
        self._world.changed()
        return message

    async def send_media(
        self,
        bot: str,
        user: User,
        kind: str,
        *,
        caption: str | None = None,
        media_group_id: str | None = None,
        reply_to: int | None = None,
    ) -> dict[str, Any]:
        """``user`` sends a ``kind`` message (see ``MEDIA_KINDS``); returns the Message dict."""
        if kind not in MEDIA_KINDS:
            msg = f"unknown media kind {kind!r}; expected one of {', '.join(MEDIA_KINDS)}"
            raise ValueError(msg)
        if caption is not None and kind not in CAPTION_KINDS:
            msg = f"{kind} messages cannot have a caption"
            raise ValueError(msg)
        if media_group_id is not None and kind not in ALBUM_KINDS:
            msg = f"{kind} messages cannot be part of a media group"
            raise ValueError(msg)
        state = self._world.bot(bot)
        chat = self._chat_for(state, user)
        content = simulated_content(state.files, kind, user, chat.next_message_id)
        if caption:
            content["caption"] = caption
        if media_group_id is not None:
            content["media_group_id"] = media_group_id
        return self._post_as_user(state, user, content, reply_to)

    async def edit_message(
        self, bot: str, user: User, message_id: int, text: str
    ) -> dict[str, Any]:
        """``user`` edits their own text message; the bot gets an edited_message update."""
        state = self._world.bot(bot)
        chat = self._existing_chat(state, user)
        message = chat.messages.get(message_id)
        if message is None or message["from"]["id"] != user.id or "text" not in message:
            msg = f"user {user.id} has no text message {message_id} in the chat with {bot}"
            raise LookupError(msg)
        edited = {key: value for key, value in message.items() if key != "entities"}
        edited.update(text=text, edit_date=int(time.time()))
        entities = command_entities(text)
        if entities:
            edited["entities"] = entities
        chat.messages[message_id] = edited
        state.enqueue("edited_message", edited)
        self._world.changed()
        return edited

    async def press_button(self, bot: str, user: User, message_id: int, data: str) -> str:
        """``user`` presses the inline button with ``data``; returns the callback query id."""
        state = self._world.bot(bot)
        chat = self._existing_chat(state, user)
        message = chat.messages.get(message_id)
        if message is None or message["from"]["id"] != state.id:
            msg = f"{bot} has no message {message_id} in the chat with user {user.id}"
            raise LookupError(msg)
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        available = [button.get("callback_data") for row in rows for button in row]
        if data not in available:
            msg = f"message {message_id} has no button with callback_data {data!r}: {available}"
            raise ValueError(msg)
        query_id = f"{state.id}{state.serial():010d}"
        state.open_callbacks.add(query_id)
        state.enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_dict(),
                "message": message,
                "chat_instance": f"-{(state.id * 1_000_003 + user.id) % 10**18}",
                "data": data,
            },
        )
        self._world.changed()
        return query_id

    def open_chat(self, bot: str, user: User) -> None:
        """Make ``user``'s private chat with ``bot`` exist without an update, as if they had
        written to it before the test began (the bot may send to them)."""
        self._chat_for(self._world.bot(bot), user)

    def block(self, bot: str, user_id: int) -> None:
        """The user blocks the bot: later sends to them get 403 "bot was blocked by the user"."""
        state = self._world.bot(bot)
        if user_id not in state.blocked:
            state.blocked.add(user_id)
            self._member_update(state, user_id, "member", "kicked")

    def unblock(self, bot: str, user_id: int) -> None:
        """The user unblocks (restarts) the bot."""
        state = self._world.bot(bot)
        if user_id in state.blocked:
            state.blocked.discard(user_id)
            self._member_update(state, user_id, "kicked", "member")

    def _member_update(self, state: BotState, user_id: int, old: str, new: str) -> None:
        # Telegram reports a user (un)blocking the bot as a my_chat_member update.
        chat = state.chats.get(user_id)
        if chat is not None:
            bot_user = state.as_user()

            def member(status: str) -> dict[str, Any]:
                extra = {"until_date": 0} if status == "kicked" else {}
                return {"status": status, "user": bot_user, **extra}

            state.enqueue(
                "my_chat_member",
                {
                    "chat": chat.user.chat_dict(),
                    "from": chat.user.to_dict(),
                    "date": int(time.time()),
                    "old_chat_member": member(old),
                    "new_chat_member": member(new),
                },
            )
        self._world.changed()

    def _chat_for(self, state: BotState, user: User) -> ChatState:
        if self._world.is_bot_id(user.id):
            msg = f"user id {user.id} belongs to a bot"
            raise ValueError(msg)
        if user.id in state.blocked:
            # A Telegram user must restart a blocked bot before writing to it.
            msg = f"user {user.id} has blocked @{state.username}; call unblock() first"
            raise RuntimeError(msg)
        self._world.users[user.id] = user
        chat = state.chats.get(user.id)
        if chat is None:
            chat = state.chats[user.id] = ChatState(user)
        chat.user = user
        return chat

    def _existing_chat(self, state: BotState, user: User) -> ChatState:
        if user.id not in state.chats:
            msg = f"user {user.id} never wrote to @{state.username}"
            raise LookupError(msg)
        return self._chat_for(state, user)

    def _post_as_user(
        self, state: BotState, user: User, content: dict[str, Any], reply_to: int | None
    ) -> dict[str, Any]:
        chat = self._chat_for(state, user)
        target = None
        if reply_to is not None:
            target = chat.messages.get(reply_to)
            if target is None:
                msg = f"message {reply_to} does not exist in the chat of user {user.id}"
                raise LookupError(msg)
        message = chat.add_message(user.to_dict(), content, reply_to=target)
        state.enqueue("message", message)
        self._world.changed()
        return message

    # ---------------------------------------------------------------------- HTTP

    async def _handle_api(self, request: web.Request) -> web.Response:
        if self._refusing and request.transport is not None:
            request.transport.abort()  # a connection opened before refuse_connections()
            return web.Response(status=503)
        try:
            raw, uploads = await read_body(request.headers, request.content)
        except ApiError as error:
            return web.json_response(error.envelope(), status=error.status)
        # Query-string parameters count too; body values win on conflicts.
        params: dict[str, Any] = {**request.query, **raw}
        status, body = await self._api.call(
            request.match_info["token"], request.match_info["method"], params, uploads
        )
        return web.json_response(body, status=status)

    async def _handle_file(self, request: web.Request) -> web.Response:
        state = self._world.bots.get(request.match_info["token"])
        record = state.files.by_path(request.match_info["path"]) if state is not None else None
        if record is None:
            not_found = ApiError(404, "Not Found")
            return web.json_response(not_found.envelope(), status=not_found.status)
        return web.Response(body=record.content(), content_type="application/octet-stream")


def _describe(predicate: Callable[[], bool]) -> str:
    """Name a predicate for error messages, with its source location when known."""
    name = getattr(predicate, "__qualname__", repr(predicate))
    code = getattr(predicate, "__code__", None)
    if code is None:
        return f"condition {name}"
    return f"condition {name} ({code.co_filename}:{code.co_firstlineno})"
