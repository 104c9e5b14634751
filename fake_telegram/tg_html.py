"""Telegram's ``parse_mode=HTML`` dialect: validation, plain text and message entities.

The rules and error wording follow the Bot API's parser (tdlib ``parse_html``): only the
tags Telegram documents are accepted, tags must be balanced, and entity offsets are counted
in UTF-16 code units.  One deliberate strictness: in *text* a bare ``&`` (or an unknown
named entity such as ``&nbsp;``) is an error rather than a literal, so a missing
``html.escape`` shows up in tests instead of only for unlucky user input.  Attribute values
stay lenient like Telegram's, because aiogram's ``hlink`` does not escape URLs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_SIMPLE_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
}
SUPPORTED_TAGS = frozenset({*_SIMPLE_ENTITIES, "a", "blockquote", "tg-emoji", "tg-time"})

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|([A-Za-z]+));")
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z0-9_-]+")
_MAX_CODE_POINT = 0x10FFFF
_SURROGATES = range(0xD800, 0xE000)
_BMP_LIMIT = 0xFFFF


class HtmlError(ValueError):
    """Invalid markup; the message is Telegram's reason after "can't parse entities: "."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into its plain text and MessageEntity dicts, or raise HtmlError."""
    return _Parser(text).run()


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode the character reference at ``pos``; return (character, end) or None if invalid."""
    match = _ENTITY.match(text, pos)
    if match is None:
        return None
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        char = _NAMED_ENTITIES.get(name)
        return None if char is None else (char, match.end())
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > _MAX_CODE_POINT or code in _SURROGATES:
        return None
    return chr(code), match.end()


def _decode_attribute(raw: str) -> str:
    """Decode references in an attribute value, keeping anything invalid literally."""
    out: list[str] = []
    pos = 0
    while pos < len(raw):
        decoded = _decode_entity(raw, pos) if raw[pos] == "&" else None
        if decoded is None:
            out.append(raw[pos])
            pos += 1
        else:
            out.append(decoded[0])
            pos = decoded[1]
    return "".join(out)


@dataclass
class _OpenTag:
    name: str
    attributes: dict[str, str]
    offset: int  # UTF-16 offset in the output where the entity starts


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.out: list[str] = []
        self.offset = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []
        # A <code class="language-x"> directly inside <pre> becomes the pre's language.
        self.last_code: tuple[dict[str, Any], str] | None = None

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "<":
                if self.text.startswith("</", self.pos):
                    self._end_tag()
                else:
                    self._start_tag()
            elif char == "&":
                self._character_reference()
            else:
                self._emit(char)
                self.pos += 1
        if self.stack:
            raise HtmlError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return "".join(self.out), self.entities

    def _byte_offset(self, pos: int) -> int:
        return len(self.text[:pos].encode("utf-8"))

    def _emit(self, char: str) -> None:
        self.out.append(char)
        self.offset += 2 if ord(char) > _BMP_LIMIT else 1

    def _character_reference(self) -> None:
        decoded = _decode_entity(self.text, self.pos)
        if decoded is None:
            raise HtmlError(
                f'Unescaped "&" at byte offset {self._byte_offset(self.pos)}: '
                'use "&amp;" (only &lt; &gt; &amp; &quot; and numeric entities are supported)'
            )
        self._emit(decoded[0])
        self.pos = decoded[1]

    def _scan_name(self, pos: int) -> int:
        while pos < len(self.text) and not self.text[pos].isspace() and self.text[pos] != ">":
            pos += 1
        return pos

    def _skip_spaces(self, pos: int) -> int:
        while pos < len(self.text) and self.text[pos].isspace():
            pos += 1
        return pos

    def _start_tag(self) -> None:
        begin = self.pos
        end = self._scan_name(begin + 1)
        if end >= len(self.text):
            raise HtmlError(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
        name = self.text[begin + 1 : end].lower()
        if name not in SUPPORTED_TAGS:
            raise HtmlError(
                f'Unsupported start tag "{name}" at byte offset {self._byte_offset(begin)}'
            )
        attributes = self._attributes(end, name, begin)
        self._check_required_attributes(name, attributes, begin)
        self.stack.append(_OpenTag(name, attributes, self.offset))

    def _attributes(self, pos: int, tag: str, begin: int) -> dict[str, str]:
        attributes: dict[str, str] = {}
        text = self.text
        while True:
            pos = self._skip_spaces(pos)
            if pos >= len(text):
                raise HtmlError(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
            if text[pos] == ">":
                self.pos = pos + 1
                return attributes
            match = _ATTRIBUTE_NAME.match(text, pos)
            if match is None:
                raise HtmlError(
                    f'Empty attribute name in the tag "{tag}" '
                    f"at byte offset {self._byte_offset(begin)}"
                )
            name = match[0].lower()
            pos = self._skip_spaces(match.end())
            if pos >= len(text) or text[pos] != "=":
                attributes[name] = ""  # flag attribute such as <blockquote expandable>
                continue
            pos = self._skip_spaces(pos + 1)
            if pos < len(text) and text[pos] in "\"'":
                close = text.find(text[pos], pos + 1)
                if close < 0:
                    raise HtmlError(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
                raw, pos = text[pos + 1 : close], close + 1
            else:
                value_end = self._scan_name(pos)
                raw, pos = text[pos:value_end], value_end
            attributes[name] = _decode_attribute(raw)

    def _check_required_attributes(self, name: str, attributes: dict[str, str], begin: int) -> None:
        where = f"at byte offset {self._byte_offset(begin)}"
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise HtmlError(f'Tag "span" must have class "tg-spoiler" {where}')
        if name == "tg-emoji" and not attributes.get("emoji-id", "").isdigit():
            raise HtmlError(f'Tag "tg-emoji" must have a numeric attribute "emoji-id" {where}')
        if name == "tg-time" and not attributes.get("unix", "").isdigit():
            raise HtmlError(f'Tag "tg-time" must have a numeric attribute "unix" {where}')

    def _end_tag(self) -> None:
        begin = self.pos
        name_end = self._scan_name(begin + 2)
        name = self.text[begin + 2 : name_end].lower()
        close = self._skip_spaces(name_end)
        if close >= len(self.text) or self.text[close] != ">":
            raise HtmlError(f"Unclosed end tag at byte offset {self._byte_offset(begin)}")
        if not self.stack:
            raise HtmlError(f"Unexpected end tag at byte offset {self._byte_offset(begin)}")
        top = self.stack[-1]
        if name != top.name:
            raise HtmlError(
                f"Unmatched end tag at byte offset {self._byte_offset(begin)}, "
                f'expected "</{top.name}>", found "</{name}>"'
            )
        self.stack.pop()
        self.pos = close + 1
        self._close(top)

    def _close(self, tag: _OpenTag) -> None:
        length = self.offset - tag.offset
        entity = self._entity(tag)
        if entity is None or length == 0:
            return  # Telegram drops empty entities and <a> without href
        entity.update(offset=tag.offset, length=length)
        if tag.name == "pre" and self.last_code is not None:
            code, language = self.last_code
            spans_whole_pre = (code["offset"], code["length"]) == (tag.offset, length)
            if self.entities and self.entities[-1] is code and spans_whole_pre:
                self.entities.pop()
                entity["language"] = language
        self.entities.append(entity)
        if tag.name == "code":
            language = tag.attributes.get("class") or tag.attributes.get("language") or ""
            has_language = language.startswith("language-") and len(language) > len("language-")
            self.last_code = (entity, language.removeprefix("language-")) if has_language else None

    @staticmethod
    def _entity(tag: _OpenTag) -> dict[str, Any] | None:
        attributes = tag.attributes
        if tag.name in _SIMPLE_ENTITIES:
            return {"type": _SIMPLE_ENTITIES[tag.name]}
        if tag.name == "a":
            href = attributes.get("href", "")
            return {"type": "text_link", "url": href} if href else None
        if tag.name == "blockquote":
            expandable = "expandable" in attributes
            return {"type": "expandable_blockquote" if expandable else "blockquote"}
        if tag.name == "tg-emoji":
            return {"type": "custom_emoji", "custom_emoji_id": attributes["emoji-id"]}
        entity: dict[str, Any] = {"type": "date_time", "unix_time": int(attributes["unix"])}
        if attributes.get("format"):
            entity["date_time_format"] = attributes["format"]
        return entity
