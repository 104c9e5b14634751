"""Operator shifts and duty: who may take a new contact at a given time.

Pure decisions, no SQL and no Telegram. A shift is an operator's own working hours, written
as ``/hours`` writes a desk's (``mon-fri 10:00-19:00 tz=Europe/Moscow``, ``services.hours``):
outside it they get no new contacts, the open ones stay theirs. Without a shift an operator
works whenever they are active. Holidays are the desk's, not the operator's: a closed desk
gives nobody anything anyway, unless its on-duty operators take contacts while it is closed
(``/afterhours duty``), and then only those who are on duty, within their shifts.
"""

import logging
from datetime import datetime

from services import hours
from services.distribution import LeftOut

log = logging.getLogger(__name__)

NO_SHIFT = hours.ALWAYS_OPEN


def parse_shift(spec: str, zone: str) -> hours.Schedule | None:
    """The shift ``spec`` describes, in the zone it names or else in ``zone`` (the bot's, as
    ``/shift`` is sent to it); ``None`` for ``off`` (whenever active).

    Raises ``services.hours.InvalidHours`` as ``/hours`` does (``25:00``, ``mon-xyz``, an
    unknown zone, overlapping ranges).
    """
    words = spec.lower().split()
    if words != [NO_SHIFT] and not any(word.startswith("tz=") for word in words):
        spec = f"{spec} tz={zone}"
    return hours.parse(spec)


def read_shift(stored: str | None) -> hours.Schedule | None:
    """An operator's stored shift (cached, like a desk's hours). One that no longer reads
    (its zone gone from a newer tz database) counts as none: the operator keeps getting
    contacts rather than silently none."""
    if stored is None:
        return None
    try:
        return hours.parse(stored)
    except hours.InvalidHours as error:
        log.warning("shift %r unreadable, counted as none: %s", stored, error)
        return None


def on_shift(shift: hours.Schedule | None, at: datetime) -> bool:
    """Whether an operator with ``shift`` works at ``at`` (aware, any zone); always without
    one. A range across midnight and the days the clocks change read as in ``services.hours``."""
    return hours.is_open(shift, (), at)


def off_hours_reason(
    shift: str | None, on_duty: bool, at: datetime, *, desk_closed: bool
) -> LeftOut | None:
    """Why an operator who could otherwise take a contact may not at ``at``: their bot's desk
    is closed (its on-duty operators take contacts then) and they are not on duty, or they
    are outside their ``shift`` (stored); ``None`` if they may."""
    if desk_closed and not on_duty:
        return LeftOut.NOT_ON_DUTY
    if not on_shift(read_shift(shift), at):
        return LeftOut.OFF_SHIFT
    return None
