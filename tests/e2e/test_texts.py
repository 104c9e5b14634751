"""Every text is HTML Telegram accepts, whatever names and values it shows.

The fake server rejects malformed HTML like Telegram (400 "can't parse entities"), and a
rejected notification never arrives; this checks every template, not only those a scenario hits.
"""

import string

import pytest

from bot.render import MESSAGE_LIMIT, paginate, telegram_length
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


@pytest.mark.parametrize(
    "lines",
    [
        [f"#{n} Client 😀😀😀 <b>&amp;" * 5 for n in range(400)],  # many lines, emoji in each
        ["😀" * 5_000, "after it"],  # one line longer than a message
    ],
)
def test_pages_fit_telegram_which_counts_most_emoji_twice(lines):
    pages = paginate(lines)
    assert all(telegram_length(page) <= MESSAGE_LIMIT for page in pages)
    # Nothing lost or reordered: pages break between lines, or inside a line too long for one.
    assert "".join(pages).replace("\n", "") == "".join(lines)
