"""The numbers typed in commands: ASCII digits only, and only those the database can hold."""

import pytest

from services.admin import MAX_LIMIT, MAX_WEIGHT, parse_limit, parse_weights
from services.base import parse_operator_ref
from services.errors import InvalidLimit, InvalidOperatorRef, InvalidWeights, UnknownContact
from services.numbers import MAX_ID, is_number, parse_contact_number, parse_number

HUGE = "9" * 5000  # more digits than int() reads at all

# text → what parse_number(text, 0, MAX_ID) gives, and with signed=True.
NUMBERS = [
    ("0", 0, 0),
    ("42", 42, 42),
    ("03", 3, 3),  # leading zeros were always accepted
    ("9223372036854775807", MAX_ID, MAX_ID),  # the largest BIGINT
    ("09223372036854775807", MAX_ID, MAX_ID),
    ("9223372036854775808", None, None),
    ("99999999999999999999", None, None),
    (HUGE, None, None),
    ("-5", None, None),  # signed, but below the range asked for
    ("²", None, None),  # isdigit() is true, int() refuses it
    ("١٠", None, None),  # Arabic-Indic digits: int() reads 10, we do not
    ("１２", None, None),  # fullwidth digits
    ("--5", None, None),
    ("-", None, None),
    ("+3", None, None),
    ("1_000", None, None),  # int() reads 1000
    ("2.5", None, None),
    ("", None, None),
    (" ", None, None),
    (" 3", None, None),  # no whitespace: commands are split on it
    ("3\n", None, None),
    ("3 4", None, None),
]


@pytest.mark.parametrize(("text", "unsigned", "signed"), NUMBERS)
def test_parse_number(text, unsigned, signed):
    assert parse_number(text, 0, MAX_ID) == unsigned
    assert parse_number(text, 0, MAX_ID, signed=True) == signed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-5", -5),
        ("-0", 0),
        ("-9223372036854775808", -(2**63)),
        ("-9223372036854775809", None),
        ("--5", None),
        ("5-", None),
        ("-²", None),
    ],
)
def test_parse_number_signed(text, expected):
    assert parse_number(text, -(2**63), MAX_ID, signed=True) == expected


def test_is_number_is_the_form_alone():
    assert is_number("99999999999999999999") and is_number("0") and is_number("007")
    assert not any(is_number(text) for text in ("-5", "²", "١٠", "+3", "", " 3"))
    assert is_number("-5", signed=True) and not is_number("--5", signed=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("#12", 12),
        (" #12 ", 12),
        ("9223372036854775807", MAX_ID),
        ("##12", None),
        ("# 12", None),
        ("#", None),
        ("-1", None),
        ("²", None),
        ("#١٠", None),
        ("+3", None),
        ("", None),
    ],
)
def test_parse_contact_number(text, expected):
    assert parse_contact_number(text) == expected


@pytest.mark.parametrize("text", ["0", "#0", "9223372036854775808", "#99999999999999999999", HUGE])
def test_a_number_no_contact_can_have_is_an_unknown_contact(text):
    with pytest.raises(UnknownContact) as info:
        parse_contact_number(text)
    assert str(info.value).startswith("there is no contact #")


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("1001", 1001),
        (" 1001 ", 1001),
        ("-1001", -1001),  # a group's id: read, and then found to be no operator
        ("9223372036854775807", MAX_ID),
        ("@Ann_Op", "ann_op"),
    ],
)
def test_parse_operator_ref(ref, expected):
    assert parse_operator_ref(ref) == expected


@pytest.mark.parametrize(
    "ref", ["²", "١٠٠١", "--5", "-", "+3", "9223372036854775808", "-9223372036854775809", HUGE, ""]
)
def test_parse_operator_ref_refuses_malformed_numbers(ref):
    with pytest.raises(InvalidOperatorRef):
        parse_operator_ref(ref)


@pytest.mark.parametrize(("text", "expected"), [("0", 0), ("03", 3), (" 7 ", 7), ("1000", 1000)])
def test_parse_limit(text, expected):
    assert parse_limit(text) == expected


@pytest.mark.parametrize(
    "text", ["²", "٥", "-1", "+3", "1001", "9223372036854775808", HUGE, "", " ", "3 4"]
)
def test_parse_limit_refuses(text):
    with pytest.raises(InvalidLimit) as info:
        parse_limit(text)
    assert f"from 0 to {MAX_LIMIT}" in str(info.value)


@pytest.mark.parametrize("weight", ["²", "١", "-1", "+3", "--1", "1001", HUGE, ""])
def test_parse_weights_refuses(weight):
    with pytest.raises(InvalidWeights) as info:
        parse_weights(["@ann=1", f"@bob={weight}"])
    assert f"weight of @bob must be a whole number from 0 to {MAX_WEIGHT}" in str(info.value)


def test_parse_weights():
    assert parse_weights(["@ann=03", "42=0", "7=1000"]) == [("@ann", 3), ("42", 0), ("7", 1000)]
