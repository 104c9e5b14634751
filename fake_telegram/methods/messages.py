"""Text message methods: send, copy, forward, edit, delete and chat actions."""

from __future__ import annotations

import itertools
from typing import Any

from ..errors import bad_request, missing
from ..media import CAPTION_KINDS, MEDIA_KINDS, content_type_of
from ..state import BotState, ChatState, Received
from .common import (
    Context,
    Formatted,
    Handler,
    caption_of,
    inline_markup,
    known_chat,
    message_text,
    post,
    reply_markup,
    reply_target,
    store_edit,
    target_chat,
    with_text,
)

# Fields that make up a message's content (what copies and forwards carry over).
_CONTENT_FIELDS = (
    "text",
    "entities",
    "caption",
    "caption_entities",
    "show_caption_above_media",
    "has_media_spoiler",
    *MEDIA_KINDS,
)
_EDITABLE_FIELDS = ("text", "entities", "caption", "caption_entities")
_MAX_COPIES = 100
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def new_media_group_id(bot: BotState) -> str:
    """Return a fresh Telegram-looking media_group_id."""
    return f"{bot.id % 100_000:05d}{bot.serial():012d}"


def _content(message: dict[str, Any]) -> dict[str, Any]:
    return {key: message[key] for key in _CONTENT_FIELDS if key in message}


def _source(ctx: Context, not_found: str) -> tuple[ChatState, dict[str, Any]]:
    chat = known_chat(ctx, "from_chat_id")
    message_id = ctx.params.required_integer("message_id")
    message = chat.messages.get(message_id) if chat is not None else None
    if chat is None or message is None:
        raise bad_request(not_found)
    return chat, message


async def send_message(ctx: Context) -> dict[str, Any]:
    """sendMessage: validate text/markup and post a text message."""
    chat = target_chat(ctx)
    formatted = message_text(ctx.params)
    markup = reply_markup(ctx.params)
    reply = reply_target(ctx, chat)
    content = with_text({}, formatted, "text", "entities")
    return post(
        ctx,
        chat,
        content,
        method="sendMessage",
        text=formatted.raw,
        parse_mode=formatted.parse_mode,
        markup=markup,
        reply=reply,
    )


async def copy_message(ctx: Context) -> dict[str, Any]:
    """copyMessage: repost a message of the bot's chats, optionally with a new caption."""
    params = ctx.params
    chat = target_chat(ctx)
    source_chat, source = _source(ctx, "message to copy not found")
    content = _content(source)
    text = source.get("text", source.get("caption"))
    parse_mode = None
    if params.has("caption") and content_type_of(source) in CAPTION_KINDS:
        caption = caption_of(
            params.text("caption"), params.text("parse_mode"), params.raw.get("caption_entities")
        )
        content = with_text(content, caption, "caption", "caption_entities")
        text, parse_mode = caption.raw, caption.parse_mode
    markup = reply_markup(params)
    reply = reply_target(ctx, chat)
    message = post(
        ctx,
        chat,
        content,
        method="copyMessage",
        text=text,
        parse_mode=parse_mode,
        markup=markup,
        reply=reply,
        copied_from=(source_chat.user.id, source["message_id"]),
    )
    return {"message_id": message["message_id"]}


async def copy_messages(ctx: Context) -> list[dict[str, Any]]:
    """copyMessages: copy several messages in order, skipping those that do not exist."""
    params = ctx.params
    chat = target_chat(ctx)
    source_chat = known_chat(ctx, "from_chat_id")
    message_ids = params.json("message_ids")
    if message_ids is None:
        raise missing("message_ids")
    if (
        not isinstance(message_ids, list)
        or not 1 <= len(message_ids) <= _MAX_COPIES
        or not all(isinstance(item, int) for item in message_ids)
    ):
        raise bad_request("message_ids must be a list of 1-100 message identifiers")
    if any(later <= earlier for earlier, later in itertools.pairwise(message_ids)):
        raise bad_request("message identifiers must be specified in strictly increasing order")
    existing = source_chat.messages if source_chat is not None else {}
    sources = [existing[message_id] for message_id in message_ids if message_id in existing]
    if source_chat is None or not sources:
        raise bad_request("message to copy not found")
    remove_caption = params.flag("remove_caption")
    groups: dict[str, str] = {}
    copied = []
    for source in sources:
        content = _content(source)
        if remove_caption:
            content.pop("caption", None)
            content.pop("caption_entities", None)
        if "media_group_id" in source:
            # Albums stay albums, under a new group id.
            group = groups.setdefault(source["media_group_id"], new_media_group_id(ctx.bot))
            content["media_group_id"] = group
        message = post(
            ctx,
            chat,
            content,
            method="copyMessages",
            text=content.get("text", content.get("caption")),
            parse_mode=None,
            copied_from=(source_chat.user.id, source["message_id"]),
        )
        copied.append({"message_id": message["message_id"]})
    return copied


async def forward_message(ctx: Context) -> dict[str, Any]:
    """forwardMessage: repost with a forward_origin pointing at the original sender."""
    chat = target_chat(ctx)
    source_chat, source = _source(ctx, "message to forward not found")
    content = _content(source)
    content["forward_origin"] = source.get(
        "forward_origin", {"type": "user", "sender_user": source["from"], "date": source["date"]}
    )
    return post(
        ctx,
        chat,
        content,
        method="forwardMessage",
        text=content.get("text", content.get("caption")),
        parse_mode=None,
        copied_from=(source_chat.user.id, source["message_id"]),
    )


def _editable(ctx: Context) -> tuple[ChatState, dict[str, Any], Received]:
    if ctx.params.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")  # the fake has no inline messages
    chat = target_chat(ctx)
    message_id = ctx.params.integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    message = chat.messages.get(message_id)
    if message is None:
        raise bad_request("message to edit not found")
    received = chat.received_message(message_id)
    if received is None:
        raise bad_request("message can't be edited")  # the user's own message
    return chat, message, received


def _ensure_modified(
    old: dict[str, Any], new: dict[str, Any], markup: dict[str, Any] | None
) -> None:
    before = [old.get(key) for key in _EDITABLE_FIELDS] + [old.get("reply_markup")]
    after = [new.get(key) for key in _EDITABLE_FIELDS] + [inline_markup(markup)]
    if before == after:
        raise bad_request(
            "message is not modified: specified new message content and reply markup are "
            "exactly the same as a current content and reply markup of the message"
        )


def _apply_edit(
    ctx: Context,
    method: str,
    content: dict[str, Any],
    formatted: Formatted | None,
    edited: tuple[ChatState, dict[str, Any], Received],
) -> dict[str, Any]:
    chat, message, received = edited
    markup = reply_markup(ctx.params)
    _ensure_modified(message, content, markup)
    updated = store_edit(chat, content, markup)
    if formatted is not None:
        received.text, received.parse_mode = formatted.raw, formatted.parse_mode
    received.reply_markup = markup
    received.method = method
    received.edits += 1
    return updated


async def edit_message_text(ctx: Context) -> dict[str, Any]:
    """editMessageText: replace the text (and keyboard) of one of the bot's text messages."""
    edited = _editable(ctx)
    message = edited[1]
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    formatted = message_text(ctx.params)
    content = with_text(message, formatted, "text", "entities")
    return _apply_edit(ctx, "editMessageText", content, formatted, edited)


async def edit_message_caption(ctx: Context) -> dict[str, Any]:
    """editMessageCaption: replace the caption (and keyboard) of one of the bot's media."""
    params = ctx.params
    edited = _editable(ctx)
    message = edited[1]
    if content_type_of(message) not in CAPTION_KINDS:
        raise bad_request("there is no caption in the message to edit")
    formatted = caption_of(
        params.text("caption"), params.text("parse_mode"), params.raw.get("caption_entities")
    )
    content = with_text(message, formatted, "caption", "caption_entities")
    return _apply_edit(ctx, "editMessageCaption", content, formatted, edited)


async def edit_message_reply_markup(ctx: Context) -> dict[str, Any]:
    """editMessageReplyMarkup: replace or remove the inline keyboard of a bot message."""
    edited = _editable(ctx)
    return _apply_edit(ctx, "editMessageReplyMarkup", edited[1], None, edited)


async def delete_message(ctx: Context) -> bool:
    """deleteMessage: delete a message of either side of one of the bot's chats."""
    chat = known_chat(ctx, "chat_id")
    if chat is None:
        raise bad_request("chat not found")
    message_id = ctx.params.integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    if chat.messages.pop(message_id, None) is None:
        raise bad_request("message to delete not found")
    received = chat.received_message(message_id)
    if received is not None:
        received.deleted = True
    return True


async def send_chat_action(ctx: Context) -> bool:
    """sendChatAction: accepted for reachable chats with a known action."""
    target_chat(ctx)
    if ctx.params.text("action") not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


HANDLERS: dict[str, Handler] = {
    "sendMessage": send_message,
    "copyMessage": copy_message,
    "copyMessages": copy_messages,
    "forwardMessage": forward_message,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "sendChatAction": send_chat_action,
}
