"""Every text a Telegram user sees, from the Fluent catalogs in ``bot/locales/<language>/``.

Handlers and the renderer never hold literal user-facing strings: they call
``t(key, language, ...)``. Parameters are HTML-escaped here, so names like ``<b>&amp;`` are shown
as typed; numbers stay numbers, so the catalogs choose plural forms by them. A language is a
folder of ``.ftl`` files: adding one takes no Python (see README, "Languages").
"""

import functools
import html
import logging
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource
from fluent.runtime.types import fluent_date, fluent_number

log = logging.getLogger(__name__)

LOCALES = Path(__file__).with_name("locales")
# The language the texts are written in first; a key missing elsewhere falls back to it.
SOURCE_LANGUAGE = "en"


class Markup(str):
    """A string that is already HTML and must not be escaped again."""

    __slots__ = ()


def escape(value: Any) -> str:
    """Text made safe for Telegram's HTML parse mode."""
    return html.escape(str(value), quote=False)


class Catalogs:
    """The Fluent bundles of every language found in a folder of catalogs."""

    def __init__(self, folder: Path) -> None:
        self.bundles: dict[str, FluentBundle] = {}
        for directory in sorted(p for p in folder.iterdir() if p.is_dir()):
            # No Unicode isolation marks around values: ids and names must copy as typed.
            bundle = FluentBundle([directory.name], use_isolating=False)
            for file in sorted(directory.glob("*.ftl")):
                bundle.add_resource(FluentResource(file.read_text(encoding="utf-8")))
            self.bundles[directory.name] = bundle

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages there are catalogs of, by code."""
        return tuple(self.bundles)

    def format(self, key: str, language: str, params: Mapping[str, Any]) -> str:
        """The text ``key`` in ``language`` (else in the source language)."""
        bundle = self.bundles.get(language)
        if bundle is None or not bundle.has_message(key):
            bundle = self.bundles[SOURCE_LANGUAGE]
        message = bundle.get_message(key)
        if message.value is None:
            raise KeyError(key)
        text, errors = bundle.format_pattern(message.value, params)
        for error in errors:  # a placeholder without a value: shown as its name, and logged
            log.error("text %s (%s): %s", key, language, error)
        return text


@functools.cache
def catalogs() -> Catalogs:
    """The catalogs shipped in ``bot/locales`` (read once: they are part of the code)."""
    return Catalogs(LOCALES)


def available_languages() -> tuple[str, ...]:
    """The codes of the languages Switchboard speaks."""
    return catalogs().languages


def supported(code: str | None) -> str | None:
    """The language we have for a Telegram ``language_code`` ("ru-RU" → "ru"), if any."""
    if not code:
        return None
    primary = code.replace("_", "-").split("-")[0].lower()
    return primary if primary in catalogs().bundles else None


class Languages:
    """Who reads which language: the first of a person's preferences we have a catalog of
    (their own choice, then Telegram's language), else the desk's default."""

    def __init__(self, default: str) -> None:
        self.default = default

    def pick(self, *preferences: str | None) -> str:
        """The language to write in for these preferences, most wanted first."""
        for code in preferences:
            if language := supported(code):
                return language
        return self.default


def _value(value: Any) -> Any:
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, bool):
        return escape(value)
    if isinstance(value, int | float):
        # Numbers pick plural forms and take the language's decimal mark; no thousands
        # separator, so ids read as typed.
        return fluent_number(value, useGrouping=False)
    if isinstance(value, datetime):
        return fluent_date(value)
    return escape(value)


def t(key: str, language: str | None = None, /, **params: Any) -> str:
    """The text for ``key`` in ``language`` (the source language when ``None`` or unknown).

    Parameters are HTML-escaped, except those wrapped in ``Markup`` (already rendered HTML).
    """
    values = {name: _value(value) for name, value in params.items()}
    return catalogs().format(key, language or SOURCE_LANGUAGE, values)


def plain(key: str, language: str | None = None, /, **params: Any) -> str:
    """The text for ``key`` as the user should read it where Telegram shows text verbatim
    instead of parsing HTML (button labels): names like ``<b>&amp;`` stay as typed."""
    return html.unescape(t(key, language, **params))
