"""Every text is HTML Telegram accepts, whatever names and values it shows.

The fake server rejects malformed HTML like Telegram (400 "can't parse entities"), and a
rejected notification never arrives; this checks every template, not only those a scenario hits.
"""

import string

import pytest

from bot.texts import MESSAGES, t
from fake_telegram.tg_html import parse_html

HOSTILE = "<b>&amp; </i>"


@pytest.mark.parametrize("language", sorted(MESSAGES))
@pytest.mark.parametrize("key", sorted(MESSAGES["en"]))
def test_text_is_valid_html_and_shows_values_as_typed(language, key):
    template = MESSAGES[language].get(key, MESSAGES["en"][key])
    fields = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    shown, _ = parse_html(t(key, language, **dict.fromkeys(fields, HOSTILE)))
    assert shown.count(HOSTILE) == len(fields)
