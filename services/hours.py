"""Business hours: a weekly schedule in a time zone, holidays, and whether the desk is open.

Pure decisions, no SQL and no Telegram. A schedule is written as in ``/hours``::

    mon-fri 09:00-18:00 sat 10:00-14:00 tz=Europe/Moscow

day groups (``mon`` … ``sun``, a single day or a range such as ``mon-fri`` or ``fri-mon``),
each followed by one or more time ranges; a range whose end is not after its start crosses
midnight (``fri 22:00-02:00`` is open from Friday 22:00 to Saturday 02:00), ``24:00`` ends a
day. ``tz=`` names an IANA time zone (UTC when left out); ``off`` means always open.

Times are wall-clock times in the zone: on the days daylight saving time starts or ends a
range keeps its local start and end, so it lasts an hour more or less. A time in the hour
the clocks skip is read as if they had not gone forward yet (PEP 495, ``fold=0``: 02:30 is
03:30 summer time), so a range inside that hour comes an hour later, and one from inside it
to its end (02:30-03:00) does not happen that day; a time the clocks go through twice is the
first of the two.

A holiday is a date in the schedule's zone: the ranges that start on it do not open (a range
of the day before that crosses midnight into it still ends as usual).

Working time is the time the desk is open: what reminders, auto-close and queue alerts count
(``working_time``, ``working_cutoff``). Without a schedule it is all the time there is.
"""

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from services.errors import DomainError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALWAYS_OPEN = "off"
DEFAULT_ZONE = "UTC"
MINUTES_PER_DAY = 24 * 60
_WEEK = 7 * MINUTES_PER_DAY
# How far ahead next_opening looks beyond the holidays: every weekday comes round in a week,
# and one more week covers a range that a change of the clocks makes empty.
_LOOKAHEAD_DAYS = 15
# The longest spec /hours takes: a week of ranges fits in far less.
SPEC_LIMIT = 1000


class InvalidHours(DomainError):
    """A schedule ``/hours`` cannot read; nothing was changed."""


class EmptyHours(InvalidHours):
    """No day and no range at all."""

    key = "error-hours-empty"
    template = "give day groups with time ranges, e.g. mon-fri 09:00-18:00, or off"


class HoursTooLong(InvalidHours):
    """A spec far beyond any week's schedule."""

    key = "error-hours-too-long"
    template = "a schedule is at most {limit} characters"


class BadHoursToken(InvalidHours):
    """A word that is neither a day group, a time range nor ``tz=``."""

    key = "error-hours-token"
    template = "{token!r} is neither a day (mon-fri), a time range (09:00-18:00) nor tz=<zone>"


class BadTime(InvalidHours):
    """A time range with a time that is no HH:MM of a day (``25:00``)."""

    key = "error-hours-time"
    template = "{token!r}: times are HH:MM from 00:00 to 24:00"


class BadDay(InvalidHours):
    """A day group naming no day (``mon-xyz``)."""

    key = "error-hours-day"
    template = "{token!r}: days are mon, tue, wed, thu, fri, sat, sun"


class EmptyRange(InvalidHours):
    """A range that starts where it ends."""

    key = "error-hours-empty-range"
    template = "{token!r} starts where it ends"


class RangeWithoutDays(InvalidHours):
    """A time range before any day group."""

    key = "error-hours-no-days"
    template = "{token!r}: say which days first, e.g. mon-fri {token}"


class DaysWithoutRange(InvalidHours):
    """A day group followed by no time range."""

    key = "error-hours-no-range"
    template = "{token!r}: give its hours, e.g. {token} 09:00-18:00"


class UnknownZone(InvalidHours):
    """A ``tz=`` that is no IANA time zone."""

    key = "error-hours-zone"
    template = "{zone!r} is no time zone (e.g. tz=Europe/Moscow, tz=America/New_York)"


class ZoneTwice(InvalidHours):
    """Two ``tz=`` in one spec."""

    key = "error-hours-zone-twice"
    template = "{token!r}: give tz= once"


class OverlappingRanges(InvalidHours):
    """Two ranges open at the same time of the week."""

    key = "error-hours-overlap"
    template = "{first} and {second} overlap"


class InvalidHoliday(DomainError):
    """A holiday that is no date ``YYYY-MM-DD``."""

    key = "error-holiday-date"
    template = "{token!r} is no date YYYY-MM-DD"


@dataclass(frozen=True, slots=True)
class Schedule:
    """A weekly schedule: for each day (Monday first) the ranges that start on it, as
    minutes since midnight ``(start, end)``, sorted; ``end <= start`` crosses midnight."""

    days: tuple[tuple[tuple[int, int], ...], ...]
    zone: str = DEFAULT_ZONE

    @property
    def tzinfo(self) -> ZoneInfo:
        """The schedule's time zone."""
        return ZoneInfo(self.zone)


def _minutes(text: str, token: str, *, end: bool) -> int:
    hours, sep, minutes = text.partition(":")
    if not sep or len(hours) not in (1, 2) or len(minutes) != 2:
        raise BadTime(token=token)
    if not (hours.isascii() and hours.isdigit() and minutes.isascii() and minutes.isdigit()):
        raise BadTime(token=token)
    value = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or value > MINUTES_PER_DAY or (value == MINUTES_PER_DAY and not end):
        raise BadTime(token=token)
    return value


def _time_range(token: str) -> tuple[int, int]:
    start_text, sep, end_text = token.partition("-")
    if not sep:
        raise BadTime(token=token)
    start = _minutes(start_text, token, end=False)
    end = _minutes(end_text, token, end=True)
    if start == end:
        raise EmptyRange(token=token)
    return start, end


def _day_group(token: str) -> list[int]:
    first, sep, last = token.partition("-")
    if first not in DAYS or (sep and last not in DAYS):
        raise BadDay(token=token)
    start = DAYS.index(first)
    stop = DAYS.index(last) if sep else start
    return [(start + n) % 7 for n in range((stop - start) % 7 + 1)]


def _is_day_group(token: str) -> bool:
    return token[:3].isalpha() and ":" not in token


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # ValueError: a key zoneinfo refuses outright (an absolute path, "..").
        raise UnknownZone(zone=name) from None
    return name


def _spell(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _spell_range(day: int, start: int, end: int) -> str:
    return f"{DAYS[day]} {_spell(start)}-{_spell(end)}"


def _week_span(day: int, start: int, end: int) -> tuple[int, int]:
    """The range as minutes of the week from Monday 00:00 (the end may pass Sunday)."""
    begin = day * MINUTES_PER_DAY + start
    length = end - start if end > start else end + MINUTES_PER_DAY - start
    return begin, begin + length


def _check_overlaps(ranges: list[tuple[int, int, int]]) -> None:
    spans = [(_week_span(*r), r) for r in ranges]
    for i, ((a1, b1), first) in enumerate(spans):
        for (a2, b2), second in spans[i + 1 :]:
            # A span past Sunday midnight comes round again at the start of the week.
            for shift in (-_WEEK, 0, _WEEK):
                if a1 < b2 + shift and a2 + shift < b1:
                    raise OverlappingRanges(
                        first=_spell_range(*first), second=_spell_range(*second)
                    )


@functools.lru_cache(maxsize=1024)
def parse(spec: str) -> Schedule | None:
    """The schedule ``spec`` describes; ``None`` for ``off`` (always open).

    Raises an ``InvalidHours`` naming the first word it cannot read (``25:00``, ``mon-xyz``,
    an unknown zone), two ranges that overlap, or an empty spec. Cached: the stored spec of
    a source is read again with every new contact.
    """
    if len(spec) > SPEC_LIMIT:
        raise HoursTooLong(limit=SPEC_LIMIT)
    tokens = spec.lower().split()
    if tokens == [ALWAYS_OPEN]:
        return None
    zone: str | None = None
    ranges: list[tuple[int, int, int]] = []
    group: list[int] | None = None
    group_token = ""
    group_has_range = True
    for raw, token in zip(spec.split(), tokens, strict=True):
        if token.startswith("tz="):
            if zone is not None:
                raise ZoneTwice(token=raw)
            zone = _zone(raw[3:])  # zone names keep their case: Europe/Moscow
            continue
        if token[:1].isdigit():
            if group is None:
                raise RangeWithoutDays(token=raw)
            start, end = _time_range(token)
            ranges.extend((day, start, end) for day in group)
            group_has_range = True
            continue
        if not _is_day_group(token):
            raise BadHoursToken(token=raw)
        if not group_has_range:
            raise DaysWithoutRange(token=group_token)
        group, group_token, group_has_range = _day_group(token), raw, False
    if not group_has_range:
        raise DaysWithoutRange(token=group_token)
    if not ranges:
        raise EmptyHours()
    _check_overlaps(ranges)
    days = tuple(
        tuple(sorted((start, end) for day, start, end in ranges if day == d)) for d in range(7)
    )
    return Schedule(days, zone or DEFAULT_ZONE)


def _day_runs(days: tuple[tuple[tuple[int, int], ...], ...]) -> Iterator[tuple[int, int]]:
    """Runs of consecutive days (first, last) with the same non-empty ranges."""
    d = 0
    while d < 7:
        if not days[d]:
            d += 1
            continue
        last = d
        while last + 1 < 7 and days[last + 1] == days[d]:
            last += 1
        yield d, last
        d = last + 1


def format_schedule(schedule: Schedule | None) -> str:
    """The schedule as ``/hours`` takes it (``parse(format_schedule(s)) == s``)."""
    if schedule is None:
        return ALWAYS_OPEN
    words: list[str] = []
    for first, last in _day_runs(schedule.days):
        words.append(DAYS[first] if first == last else f"{DAYS[first]}-{DAYS[last]}")
        words.extend(f"{_spell(start)}-{_spell(end)}" for start, end in schedule.days[first])
    words.append(f"tz={schedule.zone}")
    return " ".join(words)


def parse_holiday(token: str) -> date:
    """A holiday from ``YYYY-MM-DD``."""
    try:
        if len(token) != 10 or not token.isascii():
            raise ValueError(token)
        return date.fromisoformat(token)
    except ValueError:
        raise InvalidHoliday(token=token) from None


def _at(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time (``minute`` may be 24:00)."""
    if minute == MINUTES_PER_DAY:
        local = datetime.combine(day + timedelta(days=1), time(), zone)
    else:
        local = datetime.combine(day, time(minute // 60, minute % 60), zone)
    return local.astimezone(UTC)


def _intervals(
    schedule: Schedule, holidays: frozenset[date], first: date, count: int
) -> Iterator[tuple[datetime, datetime]]:
    """The open intervals ``[start, end)`` in UTC of the ranges that start on ``count`` local
    days from ``first``, in order of their start."""
    zone = schedule.tzinfo
    for n in range(count):
        day = first + timedelta(days=n)
        if day in holidays:
            continue
        for start, end in schedule.days[day.weekday()]:
            end_day = day if end > start else day + timedelta(days=1)
            opens, closes = _at(day, start, zone), _at(end_day, end, zone)
            if opens < closes:  # empty when the clocks skip the whole range
                yield opens, closes


def _local_date(schedule: Schedule, at: datetime) -> date:
    return at.astimezone(schedule.tzinfo).date()


def is_open(schedule: Schedule | None, holidays: Iterable[date], at: datetime) -> bool:
    """Whether the desk is open at ``at`` (aware, any zone); always without a schedule."""
    if schedule is None:
        return True
    days = frozenset(holidays)
    # A range that started the day before (across midnight) may still be open.
    first = _local_date(schedule, at) - timedelta(days=1)
    return any(opens <= at < closes for opens, closes in _intervals(schedule, days, first, 2))


def next_opening(
    schedule: Schedule | None, holidays: Iterable[date], after: datetime
) -> datetime | None:
    """The first moment from ``after`` on at which the desk is open: ``after`` itself when
    it is open then; ``None`` when it never opens (every day ahead a holiday, as far as it
    looks)."""
    if schedule is None:
        return after
    days = frozenset(holidays)
    first = _local_date(schedule, after) - timedelta(days=1)
    horizon = len(days) + _LOOKAHEAD_DAYS
    best: datetime | None = None
    for opens, closes in _intervals(schedule, days, first, horizon):
        # In order of their local start; a change of the clocks may swap two neighbours in
        # UTC, never ranges days apart.
        if best is not None and opens > best + timedelta(days=2):
            break
        if closes > after:
            candidate = max(opens, after)
            best = candidate if best is None else min(best, candidate)
    return best


def _open_spans(
    schedule: Schedule, holidays: frozenset[date], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """The open time within ``[start, end)`` as disjoint intervals in order.

    Merged, because on the day the clocks go forward two ranges can overlap in UTC: one ending
    in the skipped hour (01:00-02:30, read as winter time) and the next one starting at its end
    (03:00-05:00, summer time).
    """
    first = _local_date(schedule, start) - timedelta(days=1)
    count = (_local_date(schedule, end) - first).days + 1
    clipped = sorted(
        (max(opens, start), min(closes, end))
        for opens, closes in _intervals(schedule, holidays, first, count)
        if opens < end and closes > start
    )
    spans: list[tuple[datetime, datetime]] = []
    for opens, closes in clipped:
        if spans and opens <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], closes))
        else:
            spans.append((opens, closes))
    return spans


def working_time(
    schedule: Schedule | None, holidays: Iterable[date], start: datetime, end: datetime
) -> timedelta:
    """How long the desk is open within ``[start, end)`` (nothing when ``end`` is not after
    ``start``); without a schedule, all of it."""
    if end <= start:
        return timedelta()
    if schedule is None:
        return end - start
    spans = _open_spans(schedule, frozenset(holidays), start, end)
    return sum((closes - opens for opens, closes in spans), timedelta())


def working_cutoff(
    schedule: Schedule | None, holidays: Iterable[date], until: datetime, amount: timedelta
) -> datetime | None:
    """The latest instant from which ``amount`` of working time has passed by ``until``: what
    started before it has had more, what started after it less (working time never grows as
    the start moves later). ``None`` when the desk was not open that long within as far as it
    looks back (every day a holiday).

    A timer's due contacts are those that started before the cutoff of their source, so the
    decision stays a comparison the database makes.
    """
    if schedule is None or amount <= timedelta():
        return until - max(amount, timedelta())
    days = frozenset(holidays)
    # Every week has an open range, except around holidays and a range the clocks skip (see
    # next_opening): a longer closed stretch means there is none to count.
    horizon = timedelta(days=len(days) + _LOOKAHEAD_DAYS)
    window = timedelta(days=7)
    left, end, closed_for = amount, until, timedelta()
    while closed_for <= horizon:
        start = end - window
        spans = _open_spans(schedule, days, start, end)
        for opens, closes in reversed(spans):
            if closes - opens >= left:
                return closes - left
            left -= closes - opens
        closed_for = closed_for + window if not spans else timedelta()
        end = start
    return None
