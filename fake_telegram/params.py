"""Request parameters: body decoding (multipart, urlencoded, JSON) and typed access.

aiogram sends multipart/form-data where every value is a string and complex values are
JSON-encoded; other clients send urlencoded forms, JSON bodies or query strings.  Handlers
read parameters through :class:`Params`, which accepts both spellings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import MultipartReader, StreamReader

from .errors import bad_request, missing

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off", ""})


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart request."""

    filename: str
    data: bytes
    content_type: str | None


async def read_body(
    headers: Mapping[str, str], content: StreamReader
) -> tuple[dict[str, Any], dict[str, Upload]]:
    """Decode a request (or webhook reply) body into fields and uploaded files."""
    content_type = headers.get("Content-Type", "")
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime == "multipart/form-data":
        return await _read_multipart(headers, content)
    body = await content.read()
    if not body:
        return {}, {}
    if mime == "application/json":
        try:
            data = json.loads(body)
        except ValueError as error:
            raise bad_request("can't parse JSON request body") from error
        if not isinstance(data, dict):
            raise bad_request("JSON request body must be an object")
        return data, {}
    if mime == "application/x-www-form-urlencoded":
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)), {}
    return {}, {}  # Telegram ignores bodies it cannot interpret


async def _read_multipart(
    headers: Mapping[str, str], content: StreamReader
) -> tuple[dict[str, Any], dict[str, Upload]]:
    fields: dict[str, Any] = {}
    uploads: dict[str, Upload] = {}
    reader = MultipartReader(headers, content)
    while (part := await reader.next()) is not None:
        if isinstance(part, MultipartReader) or part.name is None:
            continue  # nested multiparts and unnamed parts carry no parameters
        if part.filename is None:
            fields[part.name] = await part.text()
        else:
            data = await part.read(decode=True)
            content_type = part.headers.get("Content-Type")
            uploads[part.name] = Upload(part.filename, bytes(data), content_type)
    return fields, uploads


def decode_json(value: Any, what: str) -> Any:
    """Return ``value`` decoded from JSON if it is a string (form bodies), else unchanged."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError as error:
        raise bad_request(f"can't parse {what} JSON object") from error


class Params:
    """Typed, Telegram-validated access to one request's parameters."""

    def __init__(self, raw: dict[str, Any], uploads: Mapping[str, Upload] | None = None) -> None:
        self.raw = raw
        self.uploads = dict(uploads or {})

    def has(self, name: str) -> bool:
        """Whether ``name`` was sent with a non-empty value."""
        return self.raw.get(name) not in (None, "")

    def text(self, name: str) -> str | None:
        """Return a string parameter (None when absent or empty)."""
        value = self.raw.get(name)
        if value in (None, ""):
            return None
        return value if isinstance(value, str) else str(value)

    def integer(self, name: str) -> int | None:
        """Return an integer parameter (None when absent); reject non-integers."""
        value = self.raw.get(name)
        if value in (None, ""):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise bad_request(f'field "{name}" must be a valid Number')

    def required_integer(self, name: str) -> int:
        """Return an integer parameter that must be present."""
        value = self.integer(name)
        if value is None:
            raise missing(name)
        return value

    def flag(self, name: str) -> bool:
        """Return a boolean parameter (False when absent)."""
        value = self.raw.get(name)
        if value is None or isinstance(value, bool):
            return bool(value)
        normalized = str(value).strip().lower()
        if normalized in _TRUE:
            return True
        if normalized in _FALSE:
            return False
        raise bad_request(f'field "{name}" must be of type Boolean')

    def json(self, name: str) -> Any:
        """Return a JSON-valued parameter decoded (None when absent)."""
        value = self.raw.get(name)
        if value in (None, ""):
            return None
        return decode_json(value, name)

    def file(self, name: str) -> Upload | str | None:
        """Return a file parameter: an upload (direct or ``attach://``), a file_id or a URL."""
        upload = self.uploads.get(name)
        if upload is not None:
            return upload
        return self.attachment(self.text(name))

    def attachment(self, value: str | None) -> Upload | str | None:
        """Resolve ``attach://<part>`` references to the uploaded part."""
        if value is None or not value.startswith("attach://"):
            return value
        upload = self.uploads.get(value.removeprefix("attach://"))
        if upload is None:
            raise bad_request(f"file {value} not found in the request")
        return upload
