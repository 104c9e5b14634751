"""The numbers people type in commands: Telegram ids, contact numbers, limits and weights.

Every command reads them here, so all accept the same forms:

* ASCII digits ``0-9`` only. ``str.isdigit`` is not enough: it is true for "²", which ``int``
  refuses, and for Arabic-Indic "١٠", which ``int`` reads as 10 although we never offer it.
  ``int`` alone is too lenient as well: it takes "+3", "1_000" and spaces around the digits.
* one leading "-" only where a caller asks for it (``signed=True``); never "+" or "--".
* leading zeros are fine: "03" is 3, as it always was.
* no whitespace: commands are split on it; the wrappers that take free text strip it first.

A number is also checked against the range its use allows before it goes anywhere near the
database: Telegram ids and our primary keys are signed 64-bit integers (``BIGINT``, SQLite's
``INTEGER``), so anything beyond ``MAX_ID`` cannot name a row, and SQLite would even refuse to
bind it (``OverflowError``).
"""

import re

from services.errors import UnknownContact

MAX_ID = 2**63 - 1
"""The largest Telegram id or primary key: the largest signed 64-bit integer."""
MIN_INT64 = -(2**63)

_UNSIGNED = re.compile(r"[0-9]+")
_SIGNED = re.compile(r"-?[0-9]+")


def is_number(text: str, *, signed: bool = False) -> bool:
    """Whether ``text`` has the form of a number (of any size): ASCII digits, and with
    ``signed`` an optional leading "-"."""
    return (_SIGNED if signed else _UNSIGNED).fullmatch(text) is not None


def parse_number(text: str, low: int, high: int, *, signed: bool = False) -> int | None:
    """The number ``text`` spells if it has the form of one and lies in ``low..high``;
    otherwise ``None``. Never raises, however long or odd the text."""
    if not is_number(text, signed=signed):
        return None
    # Compare lengths before converting: huge inputs would be slow to read, and ``int`` refuses
    # more than 4300 digits.
    digits = text.lstrip("-").lstrip("0")
    if len(digits) > len(str(max(abs(low), abs(high)))):
        return None
    value = int(text)
    return value if low <= value <= high else None


def parse_contact_number(text: str) -> int | None:
    """A contact number, ``12`` or ``#12``; ``None`` if ``text`` is not of that form.

    A number no contact can have (0, or beyond ``MAX_ID``) raises ``UnknownContact``, as any
    other number without a contact would.
    """
    digits = text.strip().removeprefix("#")
    if not is_number(digits):
        return None
    contact_id = parse_number(digits, 1, MAX_ID)
    if contact_id is None:
        raise UnknownContact(contact_id=digits)
    return contact_id
