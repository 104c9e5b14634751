"""Templates' pure parts: names, the client's name put in, lengths as Telegram counts them."""

import pytest

from db.models import Template
from services.errors import InvalidTemplateName, TemplateTooLong
from services.templates import MESSAGE_LIMIT, check_name, fill, plain_text, telegram_length


@pytest.mark.parametrize("name", ["a", "greet", "refund_2", "x" * 32, "0"])
def test_names_of_a_to_z_digits_and_underscores(name):
    assert check_name(name) == name


@pytest.mark.parametrize("name", ["", "Greet", "re-fund", "x" * 33, "é", "a b", "１"])
def test_other_names_are_refused(name):
    with pytest.raises(InvalidTemplateName):
        check_name(name)


def _template(text: str) -> Template:
    return Template(source_id=1, name="t", text=text)


def test_every_slot_gets_the_first_name_escaped_and_the_html_stays():
    text = fill(_template("<b>Hi {name}</b>, {name}! {nom}"), "<i>&amp;")

    assert text == "<b>Hi &lt;i&gt;&amp;amp;</b>, &lt;i&gt;&amp;amp;! {nom}"
    assert plain_text(text) == "Hi <i>&amp;, <i>&amp;! {nom}"


def test_the_limit_counts_what_the_reader_sees_in_utf16_units():
    # Tags and escapes count nothing; an emoji counts two.
    fits = "<b>" + "&lt;" * (MESSAGE_LIMIT - 2) + "</b>{name}"
    assert telegram_length(plain_text(fill(_template(fits), "😀"))) == MESSAGE_LIMIT

    with pytest.raises(TemplateTooLong) as refused:
        fill(_template(fits), "😀!")
    assert refused.value.params == {"name": "t", "length": MESSAGE_LIMIT + 1, "limit": 4096}
