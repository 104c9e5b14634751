"""Shared pieces of the Bot API handlers: context, chat lookup, text and markup rules."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from ..errors import bad_request, forbidden
from ..media import content_type_of
from ..params import Params, decode_json
from ..state import BotState, ChatState, Received, World
from ..tg_html import HtmlError, parse_html, utf16_len

MAX_TEXT = 4096
MAX_CAPTION = 1024
_MAX_CALLBACK_DATA = 64
_PARSE_MODES = frozenset({"html", "markdown", "markdownv2"})


@dataclass(frozen=True)
class Context:
    """What a handler works with: the whole fake, the calling bot and its parameters."""

    world: World
    bot: BotState
    params: Params


Handler = Callable[[Context], Awaitable[Any]]


def target_chat(ctx: Context) -> ChatState:
    """Resolve the ``chat_id`` a bot sends into, with Telegram's 400/403 answers."""
    raw = ctx.params.raw.get("chat_id")
    if raw in (None, ""):
        raise bad_request("chat_id is empty")
    chat_id = _chat_id(raw)
    if chat_id is None:
        raise bad_request("chat not found")
    if ctx.world.is_bot_id(chat_id):
        raise forbidden("bot can't send messages to bots")
    if chat_id in ctx.bot.blocked:
        raise forbidden("bot was blocked by the user")
    chat = ctx.bot.chats.get(chat_id)
    if chat is not None:
        return chat
    if chat_id in ctx.world.users:
        raise forbidden("bot can't initiate conversation with a user")
    raise bad_request("chat not found")


def known_chat(ctx: Context, name: str) -> ChatState | None:
    """Return one of the bot's chats by id without delivery checks (sources of copies)."""
    chat_id = _chat_id(ctx.params.raw.get(name))
    return None if chat_id is None else ctx.bot.chats.get(chat_id)


def _chat_id(raw: Any) -> int | None:
    # Private chats are addressed by numeric id only; "@username" works for channels only.
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        try:
            return int(raw.strip())
        except ValueError:
            return None
    return None


def chat_key(params: Params) -> int | None:
    """The chat a request targets, for per-chat rate limiting (None if unparseable)."""
    return _chat_id(params.raw.get("chat_id"))


@dataclass(frozen=True)
class Formatted:
    """A text or caption after Telegram's processing (parse_mode, entities, trimming)."""

    raw: str | None  # as sent by the bot
    text: str  # what Telegram stores and shows
    entities: list[dict[str, Any]]
    parse_mode: str | None


def format_text(raw: str | None, parse_mode: str | None, entities: Any) -> Formatted:
    """Apply ``parse_mode`` or explicit ``entities`` to ``raw`` like Telegram does.

    Only HTML is parsed and validated; Markdown and MarkdownV2 are accepted as plain text.
    """
    if not raw:
        return Formatted(raw, "", [], None)
    explicit = decode_json(entities, "entities")
    if explicit:
        if not isinstance(explicit, list):
            raise bad_request("can't parse entities JSON object")
        # Explicit entities win over parse_mode, as in the Bot API.
        return _trimmed(raw, raw, explicit, None)
    mode = (parse_mode or "").strip()
    if not mode:
        return _trimmed(raw, raw, [], None)
    if mode.lower() not in _PARSE_MODES:
        raise bad_request(f"unsupported parse_mode {mode!r}")
    if mode.lower() != "html":
        return _trimmed(raw, raw, [], mode)
    try:
        text, parsed = parse_html(raw)
    except HtmlError as error:
        raise bad_request(f"can't parse entities: {error}") from error
    return _trimmed(raw, text, parsed, mode)


def _trimmed(raw: str, text: str, entities: list[dict[str, Any]], mode: str | None) -> Formatted:
    # Telegram strips surrounding whitespace and shifts/clips the entities accordingly.
    stripped = text.strip()
    if not stripped:
        return Formatted(raw, "", [], mode)
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    end = utf16_len(stripped)
    kept: list[dict[str, Any]] = []
    for entity in entities:
        start = max(0, int(entity.get("offset", 0)) - shift)
        stop = min(end, int(entity.get("offset", 0)) + int(entity.get("length", 0)) - shift)
        if stop > start:
            kept.append({**entity, "offset": start, "length": stop - start})
    return Formatted(raw, stripped, kept, mode)


def message_text(params: Params) -> Formatted:
    """Format the ``text`` parameter and enforce Telegram's empty/too long rules."""
    formatted = format_text(
        params.text("text"), params.text("parse_mode"), params.raw.get("entities")
    )
    if not formatted.text:
        raise bad_request("message text is empty")
    if utf16_len(formatted.text) > MAX_TEXT:  # Telegram counts UTF-16 code units
        raise bad_request("message is too long")
    return formatted


def caption_of(raw: str | None, parse_mode: str | None, entities: Any) -> Formatted:
    """Format a caption and enforce the 1024 character limit."""
    formatted = format_text(raw, parse_mode, entities)
    if utf16_len(formatted.text) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return formatted


def with_text(
    content: dict[str, Any], formatted: Formatted, field: str, entities_field: str
) -> dict[str, Any]:
    """Return ``content`` plus the formatted text/caption fields (omitted when empty)."""
    result = {key: value for key, value in content.items() if key not in (field, entities_field)}
    if formatted.text:
        result[field] = formatted.text
        if formatted.entities:
            result[entities_field] = formatted.entities
    return result


def reply_markup(params: Params) -> dict[str, Any] | None:
    """Decode and validate ``reply_markup`` (inline keyboards are checked in detail)."""
    markup = params.json("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request('field "inline_keyboard" must be of type Array')
        for button in (button for row in rows for button in row):
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request("can't parse inline keyboard button: Text must be non-empty")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= _MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")
    return markup


def inline_markup(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """The part of a markup a Message carries: Telegram only echoes inline keyboards."""
    return markup if markup is not None and "inline_keyboard" in markup else None


def reply_target(ctx: Context, chat: ChatState) -> dict[str, Any] | None:
    """Resolve ``reply_parameters`` (or legacy ``reply_to_message_id``) to a message."""
    params = ctx.params
    reply = params.json("reply_parameters")
    if reply is None:
        message_id = params.integer("reply_to_message_id")
        allow_missing = params.flag("allow_sending_without_reply")
    elif isinstance(reply, dict):
        fields = Params(reply)
        message_id = fields.integer("message_id")
        allow_missing = fields.flag("allow_sending_without_reply")
        if fields.has("chat_id") and _chat_id(reply["chat_id"]) != chat.user.id:
            raise bad_request("replies to other chats are not supported by the fake")
    else:
        raise bad_request("can't parse reply parameters JSON object")
    if message_id is None:
        return None
    target = chat.messages.get(message_id)
    if target is None and not allow_missing:
        raise bad_request("message to be replied not found")
    return target


def post(
    ctx: Context,
    chat: ChatState,
    content: dict[str, Any],
    *,
    method: str,
    text: str | None,
    parse_mode: str | None,
    markup: dict[str, Any] | None = None,
    reply: dict[str, Any] | None = None,
    copied_from: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """Create a bot message in ``chat``, record it as received, and return it."""
    message = chat.add_message(ctx.bot.as_user(), content, reply_to=reply)
    echoed = inline_markup(markup)
    if echoed is not None:
        message["reply_markup"] = echoed
    chat.received.append(
        Received(
            message_id=message["message_id"],
            method=method,
            chat_id=chat.user.id,
            content_type=content_type_of(message),
            text=text,
            parse_mode=parse_mode,
            reply_markup=markup,
            copied_from=copied_from,
            media_group_id=message.get("media_group_id"),
            reply_to=reply["message_id"] if reply is not None else None,
        )
    )
    return message


def store_edit(
    chat: ChatState, message: dict[str, Any], markup: dict[str, Any] | None
) -> dict[str, Any]:
    """Store ``message`` (a fresh dict with the new content) as the edited version.

    Editing replaces the inline keyboard with ``markup`` (none removes it), as in Telegram.
    Dicts already handed out in updates are never mutated.
    """
    updated = {key: value for key, value in message.items() if key != "reply_markup"}
    updated["edit_date"] = int(time.time())
    echoed = inline_markup(markup)
    if echoed is not None:
        updated["reply_markup"] = echoed
    chat.messages[message["message_id"]] = updated
    return updated
