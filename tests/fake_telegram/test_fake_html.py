"""Unit tests of the Telegram HTML dialect parser."""

from __future__ import annotations

import re

import pytest

from fake_telegram.tg_html import HtmlError, parse_html, utf16_len


def test_entities_use_utf16_offsets():
    text, entities = parse_html("😀 <b>bold</b> <i>и</i>")

    assert text == "😀 bold и"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 4},
        {"type": "italic", "offset": 8, "length": 1},
    ]
    assert utf16_len("😀") == 2


def test_nested_entities_are_sorted_by_offset_then_length():
    _, entities = parse_html("<b>a <i>b</i></b>")

    assert [(entity["type"], entity["offset"], entity["length"]) for entity in entities] == [
        ("bold", 0, 3),
        ("italic", 2, 1),
    ]


def test_pre_with_language_and_special_tags():
    _, entities = parse_html(
        '<pre><code class="language-py">x</code></pre><a href="https://a.b/?q=1&x=2">l</a>'
        '<tg-emoji emoji-id="123">🙂</tg-emoji><tg-time unix="1700000000" format="t">t</tg-time>'
    )

    assert entities == [
        {"type": "pre", "offset": 0, "length": 1, "language": "py"},
        {"type": "text_link", "url": "https://a.b/?q=1&x=2", "offset": 1, "length": 1},
        {"type": "custom_emoji", "custom_emoji_id": "123", "offset": 2, "length": 2},
        {
            "type": "date_time",
            "unix_time": 1700000000,
            "date_time_format": "t",
            "offset": 4,
            "length": 1,
        },
    ]


def test_empty_entities_and_links_without_href_are_dropped():
    assert parse_html("<b></b><a>text</a>") == ("text", [])


def test_tags_are_case_insensitive_and_attributes_may_be_unquoted():
    text, entities = parse_html("<B>x</b><a href=https://e.com>y</a>")

    assert text == "xy"
    assert entities[1]["url"] == "https://e.com"


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ("fish & chips", 'Unescaped "&" at byte offset 5'),
        ("&bogus;", 'Unescaped "&"'),
        ("&#0;", 'Unescaped "&"'),
        ("é<b>", 'Can\'t find end tag corresponding to start tag "b"'),
        ("é</b>", "Unexpected end tag at byte offset 2"),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("<b", "Unclosed start tag"),
        ("<b>x</b", "Unclosed end tag"),
        ('<a href="x>y</a>', "Unclosed start tag"),
        ("<tg-emoji>x</tg-emoji>", '"emoji-id"'),
        ("<b =x>y</b>", "Empty attribute name"),
    ],
)
def test_invalid_markup_is_rejected_with_telegram_wording(markup, message):
    with pytest.raises(HtmlError, match=re.escape(message)):
        parse_html(markup)
