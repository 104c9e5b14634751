"""Media methods: sendPhoto/sendDocument/... and sendMediaGroup."""

from __future__ import annotations

from typing import Any

from ..errors import bad_request
from ..media import ALBUM_KINDS, CAPTION_KINDS
from ..params import Upload
from .common import (
    Context,
    Formatted,
    Handler,
    caption_of,
    post,
    reply_markup,
    reply_target,
    target_chat,
    with_text,
)
from .messages import new_media_group_id

_SEND_METHODS = {
    "photo": "sendPhoto",
    "document": "sendDocument",
    "video": "sendVideo",
    "audio": "sendAudio",
    "voice": "sendVoice",
    "animation": "sendAnimation",
    "video_note": "sendVideoNote",
    "sticker": "sendSticker",
}
_ALBUM_SIZE = range(2, 11)
_NO_CAPTION = Formatted(None, "", [], None)


def input_file(ctx: Context, kind: str, ref: Upload | str | None) -> dict[str, Any]:
    """Resolve an upload, URL or (this bot's) file_id to the message fields of the file."""
    files = ctx.bot.files
    if ref is None:
        raise bad_request(f"there is no {kind} in the request")
    if isinstance(ref, Upload):
        return files.create(kind, data=ref.data, filename=ref.filename, mime_type=ref.content_type)
    if ref.startswith(("http://", "https://")):
        return files.create(kind, filename=ref.rsplit("/", 1)[-1] or None)
    record = files.get(ref)
    if record is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    if record.kind != kind:
        raise bad_request("type of file mismatch")
    return record.fragment


def _file_sender(kind: str, method: str) -> Handler:
    async def send(ctx: Context) -> dict[str, Any]:
        params = ctx.params
        chat = target_chat(ctx)
        fragment = input_file(ctx, kind, params.file(kind))
        caption = _NO_CAPTION
        if kind in CAPTION_KINDS:
            caption = caption_of(
                params.text("caption"),
                params.text("parse_mode"),
                params.raw.get("caption_entities"),
            )
        markup = reply_markup(params)
        reply = reply_target(ctx, chat)
        return post(
            ctx,
            chat,
            with_text(fragment, caption, "caption", "caption_entities"),
            method=method,
            text=caption.raw,
            parse_mode=caption.parse_mode,
            markup=markup,
            reply=reply,
        )

    send.__doc__ = f"{method}: post a {kind} given as upload, URL or file_id."
    return send


async def send_media_group(ctx: Context) -> list[dict[str, Any]]:
    """sendMediaGroup: post 2-10 photos/videos (or only documents, or only audios) as an album."""
    chat = target_chat(ctx)
    items = ctx.params.json("media")
    if not isinstance(items, list) or len(items) not in _ALBUM_SIZE:
        raise bad_request("wrong number of media in the group: 2-10 items expected")
    prepared: list[tuple[dict[str, Any], Formatted]] = []
    kinds: set[str] = set()
    # Validate every item before posting any, so an error never leaves half an album.
    for item in items:
        kind = item.get("type") if isinstance(item, dict) else None
        if kind not in ALBUM_KINDS:
            raise bad_request(f"unsupported media type {kind!r} in a media group")
        media = item.get("media")
        ref = ctx.params.attachment(media if isinstance(media, str) and media else None)
        fragment = input_file(ctx, kind, ref)
        caption = caption_of(
            item.get("caption"), item.get("parse_mode"), item.get("caption_entities")
        )
        prepared.append((with_text(fragment, caption, "caption", "caption_entities"), caption))
        kinds.add(kind)
    if len(kinds) > 1 and kinds & {"document", "audio"}:
        raise bad_request("documents and audio files can be only grouped with their own type")
    reply = reply_target(ctx, chat)
    group_id = new_media_group_id(ctx.bot)
    return [
        post(
            ctx,
            chat,
            {**content, "media_group_id": group_id},
            method="sendMediaGroup",
            text=caption.raw,
            parse_mode=caption.parse_mode,
            reply=reply,
        )
        for content, caption in prepared
    ]


HANDLERS: dict[str, Handler] = {
    method: _file_sender(kind, method) for kind, method in _SEND_METHODS.items()
}
HANDLERS["sendMediaGroup"] = send_media_group
