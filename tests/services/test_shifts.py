"""Operator shifts: when an operator works, how ``/shift`` reads, and why an operator is left
out of a new contact, by properties against a wall-clock oracle and by examples across
midnight and the changes of the clocks."""

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from services import hours
from services.distribution import LeftOut
from services.hours import (
    BadDay,
    BadTime,
    OverlappingRanges,
    Schedule,
    UnknownZone,
    format_schedule,
)
from services.shifts import off_hours_reason, on_shift, parse_shift, read_shift
from tests.support.schedules import ZONES, instants, local, schedules, utc

BERLIN = "Europe/Berlin"
MINUTE = timedelta(minutes=1)
GONE = "mon 09:00-10:00 tz=Nowhere/Gone"


def on_shift_by_wall_clock(shift: Schedule, at: datetime) -> bool:
    """The oracle: on shift iff a range of the local weekday holds the local time, or a range
    of the day before that crosses midnight holds it past midnight."""
    wall = at.astimezone(shift.tzinfo)
    now = timedelta(
        hours=wall.hour, minutes=wall.minute, seconds=wall.second, microseconds=wall.microsecond
    )
    today = shift.days[wall.weekday()]
    yesterday = shift.days[(wall.weekday() - 1) % 7]
    started_today = any(
        timedelta(minutes=start) <= now and (end <= start or now < timedelta(minutes=end))
        for start, end in today
    )
    from_yesterday = any(end <= start and now < timedelta(minutes=end) for start, end in yesterday)
    return started_today or from_yesterday


def far_from_a_clock_change(zone: str, at: datetime) -> bool:
    """The same UTC offset three hours either side: no change of the clocks near ``at``."""
    tz = ZoneInfo(zone)
    margin = timedelta(hours=3)
    offsets = {moment.astimezone(tz).utcoffset() for moment in (at - margin, at, at + margin)}
    return len(offsets) == 1


def minutes_on_shift(shift: Schedule, start: datetime, span: timedelta) -> int:
    """Minutes on shift stepping in real (UTC) time from ``start`` over ``span``."""
    return sum(on_shift(shift, start + n * MINUTE) for n in range(span // MINUTE))


# --- on_shift ---------------------------------------------------------------------------


@given(st.one_of(instants, st.datetimes(timezones=st.timezones())))
def test_without_a_shift_an_operator_is_always_on_shift(at: datetime):
    assert on_shift(None, at)


@given(schedules(), instants, st.sampled_from(ZONES))
def test_on_shift_matches_the_wall_clock_oracle_away_from_clock_changes(
    shift: Schedule, at: datetime, seen_in: str
):
    assume(far_from_a_clock_change(shift.zone, at))
    expected = on_shift_by_wall_clock(shift, at)
    assert on_shift(shift, at) == expected
    # The zone the instant is written in does not matter.
    assert on_shift(shift, at.astimezone(ZoneInfo(seen_in))) == expected


def test_a_friday_night_shift_runs_into_saturday():
    shift = parse_shift("fri 22:00-06:00", BERLIN)
    assert on_shift(shift, local(BERLIN, 2027, 1, 8, 23, 30))  # Friday
    assert on_shift(shift, local(BERLIN, 2027, 1, 9, 5, 59))  # Saturday morning
    assert not on_shift(shift, local(BERLIN, 2027, 1, 9, 6, 0))  # the end is off
    assert not on_shift(shift, local(BERLIN, 2027, 1, 8, 21, 59))
    assert on_shift(shift, local(BERLIN, 2027, 1, 8, 22, 0))  # the start is on
    assert not on_shift(shift, local(BERLIN, 2027, 1, 9, 23, 0))  # not Saturday night


def test_a_sunday_night_shift_wraps_round_the_week_into_monday():
    shift = parse_shift("sun 22:00-02:00", BERLIN)
    assert on_shift(shift, local(BERLIN, 2027, 1, 10, 23, 0))  # Sunday
    assert on_shift(shift, local(BERLIN, 2027, 1, 11, 1, 59))  # Monday
    assert not on_shift(shift, local(BERLIN, 2027, 1, 11, 2, 0))
    assert not on_shift(shift, local(BERLIN, 2027, 1, 10, 21, 59))
    assert not on_shift(shift, local(BERLIN, 2027, 1, 11, 23, 0))  # not Monday night
    # The same instant written in UTC.
    assert on_shift(shift, utc(2027, 1, 11, 0, 30))


def test_a_morning_shift_is_an_hour_shorter_when_the_clocks_go_forward():
    shift = parse_shift("sun 00:00-06:00", BERLIN)
    assert not on_shift(shift, local(BERLIN, 2027, 3, 27, 23, 59))
    assert on_shift(shift, local(BERLIN, 2027, 3, 28, 0, 0))
    assert on_shift(shift, local(BERLIN, 2027, 3, 28, 5, 59))
    assert not on_shift(shift, local(BERLIN, 2027, 3, 28, 6, 0))
    # 00:00 CET (23:00 UTC) to 06:00 CEST (04:00 UTC).
    assert minutes_on_shift(shift, utc(2027, 3, 27, 22), timedelta(hours=8)) == 5 * 60


def test_a_morning_shift_is_an_hour_longer_when_the_clocks_go_back():
    shift = parse_shift("sun 00:00-06:00", BERLIN)
    assert on_shift(shift, local(BERLIN, 2027, 10, 31, 5, 59))
    assert not on_shift(shift, local(BERLIN, 2027, 10, 31, 6, 0))
    # Both times the clocks show 02:30.
    first = datetime(2027, 10, 31, 2, 30, tzinfo=ZoneInfo(BERLIN))
    assert on_shift(shift, first)
    assert on_shift(shift, first.replace(fold=1))
    # 00:00 CEST (22:00 UTC) to 06:00 CET (05:00 UTC).
    assert minutes_on_shift(shift, utc(2027, 10, 30, 21), timedelta(hours=9)) == 7 * 60


def test_a_night_shift_across_the_changes_of_the_clocks():
    shift = parse_shift("sat 22:00-06:00", BERLIN)
    # 22:00 CET (21:00 UTC) to 06:00 CEST (04:00 UTC): seven hours.
    assert minutes_on_shift(shift, utc(2027, 3, 27, 20), timedelta(hours=9)) == 7 * 60
    assert on_shift(shift, local(BERLIN, 2027, 3, 28, 1, 59))
    assert on_shift(shift, local(BERLIN, 2027, 3, 28, 3, 0))
    assert not on_shift(shift, local(BERLIN, 2027, 3, 28, 6, 0))
    # 22:00 CEST (20:00 UTC) to 06:00 CET (05:00 UTC): nine hours.
    assert minutes_on_shift(shift, utc(2027, 10, 30, 19), timedelta(hours=11)) == 9 * 60
    assert on_shift(shift, local(BERLIN, 2027, 10, 31, 5, 59))
    assert not on_shift(shift, local(BERLIN, 2027, 10, 31, 6, 0))


# --- parse_shift --------------------------------------------------------------------------


def test_a_shift_without_a_zone_takes_the_bots():
    shift = parse_shift("mon-fri 10:00-19:00", "Europe/Moscow")
    assert shift is not None
    assert shift.zone == "Europe/Moscow"
    assert shift == hours.parse("mon-fri 10:00-19:00 tz=Europe/Moscow")


@pytest.mark.parametrize("key", ["tz=", "TZ=", "Tz="])
def test_a_shift_naming_its_zone_keeps_it(key: str):
    shift = parse_shift(f"mon-fri 10:00-19:00 {key}America/New_York", "Europe/Moscow")
    assert shift is not None
    assert shift.zone == "America/New_York"


@pytest.mark.parametrize("zone", ["UTC", "Europe/Moscow", "America/New_York"])
def test_off_is_no_shift_in_any_zone(zone: str):
    assert parse_shift("off", zone) is None
    assert parse_shift("  off ", zone) is None


@pytest.mark.parametrize("spelling", ["OFF", "Off"])
def test_off_in_any_case_is_no_shift_as_with_hours(spelling: str):
    assert hours.parse(spelling) is None
    assert parse_shift(spelling, "Europe/Moscow") is None


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ("mon 25:00-26:00", BadTime),
        ("mon-xyz 09:00-10:00", BadDay),
        ("mon 09:00-10:00 tz=Mars/Olympus", UnknownZone),
        ("mon 09:00-10:00 TZ=Mars/Olympus", UnknownZone),
        ("mon 09:00-13:00 mon 12:00-18:00", OverlappingRanges),
    ],
)
def test_malformed_shifts_are_refused_as_hours_refuses_them(spec: str, error: type[Exception]):
    with pytest.raises(error):
        parse_shift(spec, "Europe/Moscow")
    with pytest.raises(error):
        hours.parse(spec)


@given(schedules())
def test_parse_shift_reads_back_what_format_writes(shift: Schedule):
    assert parse_shift(format_schedule(shift), "UTC") == shift


@given(schedules(), st.sampled_from(ZONES))
def test_a_shift_without_tz_is_the_same_hours_in_the_bots_zone(shift: Schedule, zone: str):
    without_zone = format_schedule(shift).rsplit(" tz=", 1)[0]
    assert parse_shift(without_zone, zone) == replace(shift, zone=zone)


# --- read_shift ---------------------------------------------------------------------------


def test_no_stored_shift_reads_as_none():
    assert read_shift(None) is None


def test_a_stored_shift_reads_as_its_schedule():
    stored = "mon-fri 10:00-19:00 tz=Europe/Moscow"
    assert read_shift(stored) == hours.parse(stored)
    assert read_shift("off") is None


def test_a_stored_shift_whose_zone_is_gone_counts_as_none_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="services.shifts"):
        assert read_shift(GONE) is None
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert GONE in warnings[0].getMessage()
    # Counted as no shift: the operator works whenever active.
    assert off_hours_reason(GONE, False, utc(2027, 1, 9, 3), desk_closed=False) is None


# --- off_hours_reason ---------------------------------------------------------------------

MONDAY_MORNING = "mon 09:00-12:00 tz=Europe/Berlin"
IN_IT = local(BERLIN, 2027, 1, 11, 10)  # a Monday
OUTSIDE_IT = local(BERLIN, 2027, 1, 11, 13)


@pytest.mark.parametrize(
    ("shift", "on_duty", "at", "desk_closed", "reason"),
    [
        # A closed desk: only its on-duty operators, even within their shifts.
        (MONDAY_MORNING, False, IN_IT, True, LeftOut.NOT_ON_DUTY),
        (MONDAY_MORNING, False, OUTSIDE_IT, True, LeftOut.NOT_ON_DUTY),
        (None, False, IN_IT, True, LeftOut.NOT_ON_DUTY),
        (MONDAY_MORNING, True, OUTSIDE_IT, True, LeftOut.OFF_SHIFT),
        (MONDAY_MORNING, True, IN_IT, True, None),
        (None, True, OUTSIDE_IT, True, None),
        # An open desk: duty does not matter, the shift does.
        (MONDAY_MORNING, False, OUTSIDE_IT, False, LeftOut.OFF_SHIFT),
        (MONDAY_MORNING, True, OUTSIDE_IT, False, LeftOut.OFF_SHIFT),
        (MONDAY_MORNING, False, IN_IT, False, None),
        (None, False, OUTSIDE_IT, False, None),
        (None, True, OUTSIDE_IT, False, None),
    ],
)
def test_why_an_operator_is_left_out(
    shift: str | None, on_duty: bool, at: datetime, desk_closed: bool, reason: LeftOut | None
):
    assert off_hours_reason(shift, on_duty, at, desk_closed=desk_closed) == reason


stored_shifts = st.one_of(st.none(), schedules().map(format_schedule), st.just(GONE))


@given(stored_shifts, st.booleans(), st.booleans(), instants)
def test_off_hours_reason_follows_its_rule(
    shift: str | None, on_duty: bool, desk_closed: bool, at: datetime
):
    readable = shift is not None and shift != GONE
    within_shift = not readable or hours.is_open(hours.parse(shift), (), at)
    if desk_closed and not on_duty:
        expected = LeftOut.NOT_ON_DUTY
    elif not within_shift:
        expected = LeftOut.OFF_SHIFT
    else:
        expected = None
    assert off_hours_reason(shift, on_duty, at, desk_closed=desk_closed) == expected
