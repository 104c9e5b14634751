"""Media content: realistic file objects, a per-bot file registry and content types.

Telegram file ids are bot-scoped (a file_id received by one bot is invalid for another),
so every bot owns a :class:`FileStore`.  That matters for a multi-bot help desk: relaying
a lead's photo to an operator's bot must re-upload it, and the fake enforces this.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import mimetypes
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from .users import User

FILE_KINDS = (
    "photo",
    "document",
    "voice",
    "video",
    "video_note",
    "audio",
    "animation",
    "sticker",
)
MEDIA_KINDS = (*FILE_KINDS, "location", "contact", "venue", "dice", "poll")
CAPTION_KINDS = frozenset({"photo", "document", "voice", "video", "audio", "animation"})
ALBUM_KINDS = frozenset({"photo", "video", "document", "audio"})
# Same precedence as aiogram's Message.content_type (animation messages also carry a
# document, venue messages also carry a location).
_CONTENT_TYPES = (
    "text",
    "audio",
    "animation",
    "document",
    "photo",
    "sticker",
    "video",
    "video_note",
    "voice",
    "contact",
    "venue",
    "location",
    "poll",
    "dice",
)


def content_type_of(message: dict[str, Any]) -> str:
    """Return the aiogram-style content type of a Bot API message dict."""
    return next((kind for kind in _CONTENT_TYPES if message.get(kind)), "unknown")


@dataclass(frozen=True)
class _KindSpec:
    prefix: str  # real file ids start with a type-specific prefix
    folder: str
    extension: str
    mime_type: str
    size: int
    details: tuple[tuple[str, Any], ...]


_SPECS = {
    "photo": _KindSpec("AgACAgIAAxkBAAI", "photos", "jpg", "image/jpeg", 0, ()),
    "document": _KindSpec("BQACAgIAAxkBAAI", "documents", "pdf", "application/pdf", 24_576, ()),
    "voice": _KindSpec("AwACAgIAAxkBAAI", "voice", "oga", "audio/ogg", 7_936, (("duration", 3),)),
    "video": _KindSpec(
        "BAACAgIAAxkBAAI",
        "videos",
        "mp4",
        "video/mp4",
        98_304,
        (("width", 1280), ("height", 720), ("duration", 5)),
    ),
    "video_note": _KindSpec(
        "DQACAgIAAxkBAAI",
        "video_notes",
        "mp4",
        "video/mp4",
        65_536,
        (("length", 240), ("duration", 4)),
    ),
    "audio": _KindSpec(
        "CQACAgIAAxkBAAI",
        "music",
        "mp3",
        "audio/mpeg",
        131_072,
        (("duration", 180), ("performer", "Fake Artist")),
    ),
    "animation": _KindSpec(
        "CgACAgIAAxkBAAI",
        "animations",
        "mp4",
        "video/mp4",
        32_768,
        (("width", 320), ("height", 240), ("duration", 2)),
    ),
    "sticker": _KindSpec(
        "CAACAgIAAxkBAAI",
        "stickers",
        "webp",
        "image/webp",
        16_384,
        (
            ("type", "regular"),
            ("width", 512),
            ("height", 512),
            ("is_animated", False),
            ("is_video", False),
            ("emoji", "👍"),
        ),
    ),
}
_PHOTO_SIZES = ((90, 67), (320, 240), (800, 600))
_NAMED_KINDS = frozenset({"document", "video", "audio", "animation"})
_MIME_KINDS = _NAMED_KINDS | {"voice"}


@dataclass(frozen=True)
class FileRecord:
    """One stored file; ``fragment`` holds the message fields that show it when re-sent."""

    file_id: str
    file_unique_id: str
    kind: str
    file_size: int
    file_path: str
    fragment: dict[str, Any]
    data: bytes | None = None

    def content(self) -> bytes:
        """Return the uploaded bytes, or deterministic filler of the advertised size."""
        if self.data is not None:
            return self.data
        seed = self.file_unique_id.encode()
        return (seed * (self.file_size // len(seed) + 1))[: self.file_size]

    def as_file(self) -> dict[str, Any]:
        """Return the Bot API ``File`` object (what getFile answers)."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
            "file_path": self.file_path,
        }


class FileStore:
    """The files one bot can use, by file_id and by download path."""

    def __init__(self, bot_id: int) -> None:
        self._bot_id = bot_id
        self._serial = itertools.count(1)
        self._by_id: dict[str, FileRecord] = {}
        self._by_path: dict[str, FileRecord] = {}

    def get(self, file_id: str) -> FileRecord | None:
        """Return the file with this id, if this bot knows it."""
        return self._by_id.get(file_id)

    def by_path(self, path: str) -> FileRecord | None:
        """Return the file served at ``/file/bot<token>/<path>``."""
        return self._by_path.get(path)

    def create(
        self,
        kind: str,
        *,
        data: bytes | None = None,
        filename: str | None = None,
        mime_type: str | None = None,
    ) -> dict[str, Any]:
        """Register a new file of ``kind`` and return the message fields that show it."""
        if kind == "photo":
            return self._create_photo(data)
        spec = _SPECS[kind]
        serial, file_id, unique_id, path = self._new_identity(kind, _extension(filename))
        size = spec.size if data is None else len(data)
        obj: dict[str, Any] = {"file_id": file_id, "file_unique_id": unique_id}
        obj.update(spec.details)
        if kind == "audio":
            obj["title"] = f"Track {serial}"
        if kind in _NAMED_KINDS:
            obj["file_name"] = filename or f"{kind}_{serial}.{spec.extension}"
        if kind in _MIME_KINDS:
            # Clients label uploads application/octet-stream; the name is more telling.
            guessed = mimetypes.guess_type(filename)[0] if filename else None
            obj["mime_type"] = guessed or mime_type or spec.mime_type
        obj["file_size"] = size
        fragment: dict[str, Any] = {kind: obj}
        if kind == "animation":
            # Telegram sends animations with a duplicate "document" field for old clients.
            keys = ("file_id", "file_unique_id", "file_name", "mime_type", "file_size")
            fragment["document"] = {key: obj[key] for key in keys}
        self._register(FileRecord(file_id, unique_id, kind, size, path, fragment, data))
        return fragment

    def _create_photo(self, data: bytes | None) -> dict[str, Any]:
        sizes: list[dict[str, Any]] = []
        records: list[tuple[str, str, int, str, bytes | None]] = []
        for index, (width, height) in enumerate(_PHOTO_SIZES):
            _, file_id, unique_id, path = self._new_identity("photo")
            largest = index == len(_PHOTO_SIZES) - 1
            content = data if largest else None
            size = len(content) if content is not None else width * height // 20
            sizes.append(
                {
                    "file_id": file_id,
                    "file_unique_id": unique_id,
                    "file_size": size,
                    "width": width,
                    "height": height,
                }
            )
            records.append((file_id, unique_id, size, path, content))
        fragment = {"photo": sizes}
        # Every size has its own file_id; sending any of them re-sends the whole photo.
        for file_id, unique_id, size, path, content in records:
            self._register(FileRecord(file_id, unique_id, "photo", size, path, fragment, content))
        return fragment

    def _new_identity(self, kind: str, extension: str | None = None) -> tuple[int, str, str, str]:
        serial = next(self._serial)
        spec = _SPECS[kind]
        digest = hashlib.sha256(f"{self._bot_id}:{serial}:{kind}".encode()).digest()
        token = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        file_id = f"{spec.prefix}{token[:40]}"
        unique_id = f"AQAD{token[30:42]}{serial}"
        path = f"{spec.folder}/file_{serial}.{extension or spec.extension}"
        return serial, file_id, unique_id, path

    def _register(self, record: FileRecord) -> None:
        self._by_id[record.file_id] = record
        self._by_path[record.file_path] = record


def _extension(filename: str | None) -> str | None:
    """The extension of an uploaded file's name, kept in its download path like Telegram."""
    suffix = PurePosixPath(filename).suffix if filename else ""
    return suffix[1:].lower() if len(suffix) > 1 else None


def simulated_content(store: FileStore, kind: str, user: User, serial: int) -> dict[str, Any]:
    """Build the message fields of a ``kind`` message sent by ``user`` (files go to ``store``).

    ``serial`` varies the non-file payloads (coordinates, dice value, poll id) per message.
    """
    if kind in FILE_KINDS:
        return store.create(kind)
    location = {"latitude": round(52.52 + serial / 10_000, 6), "longitude": 13.405}
    if kind == "location":
        return {"location": location}
    if kind == "venue":
        venue = {"location": location, "title": "Fake Cafe", "address": "1 Test Street, Berlin"}
        return {"venue": venue, "location": location}
    if kind == "contact":
        contact = {
            "phone_number": f"+1555000{user.id}",
            "first_name": user.first_name,
            "user_id": user.id,
        }
        if user.last_name:
            contact["last_name"] = user.last_name
        return {"contact": contact}
    if kind == "dice":
        return {"dice": {"emoji": "🎲", "value": serial % 6 + 1}}
    if kind == "poll":
        options = [
            {"persistent_id": str(index), "text": text, "voter_count": 0}
            for index, text in enumerate(("Yes", "No"))
        ]
        poll = {
            "id": f"{user.id}{serial:06d}",
            "question": "Which option?",
            "options": options,
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
            "allows_revoting": True,
            "members_only": False,
        }
        return {"poll": poll}
    msg = f"unknown media kind {kind!r}; expected one of {', '.join(MEDIA_KINDS)}"
    raise ValueError(msg)
