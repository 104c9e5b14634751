"""Business hours: parsing, formatting and the open/next-opening/working-time decisions, by
properties."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.models import Source
from services.assignment import Desk
from services.hours import (
    BadDay,
    BadHoursToken,
    BadTime,
    DaysWithoutRange,
    EmptyHours,
    EmptyRange,
    InvalidHoliday,
    OverlappingRanges,
    RangeWithoutDays,
    Schedule,
    UnknownZone,
    ZoneTwice,
    format_schedule,
    is_open,
    next_opening,
    parse,
    parse_holiday,
    working_cutoff,
    working_time,
)
from tests.support.schedules import instants, local, schedules, utc

WEEKDAYS = "mon-fri 09:00-18:00 tz=Europe/Berlin"
holiday_sets = st.frozensets(st.dates(date(2024, 1, 1), date(2031, 1, 31)), max_size=40)


@given(schedules())
def test_parse_reads_back_what_format_writes(schedule: Schedule):
    assert parse(format_schedule(schedule)) == schedule


@settings(max_examples=150, deadline=None)
@given(schedules(), holiday_sets, instants)
def test_next_opening_is_open_and_nothing_opens_before_it(
    schedule: Schedule, holidays: frozenset[date], at: datetime
):
    opening = next_opening(schedule, holidays, at)
    assert opening is not None  # a weekly schedule always opens again after a few holidays
    assert opening >= at
    assert is_open(schedule, holidays, opening)
    assert (opening == at) == is_open(schedule, holidays, at)
    # Sampled: every quarter of an hour and the minute before the opening are closed.
    step = timedelta(minutes=15)
    probe = at + step
    while probe < opening:
        assert not is_open(schedule, holidays, probe)
        probe += step
    if opening - at > timedelta(minutes=1):
        assert not is_open(schedule, holidays, opening - timedelta(minutes=1))


@settings(max_examples=100, deadline=None)
@given(schedules(), instants)
def test_a_holiday_closes_the_ranges_that_start_on_it(schedule: Schedule, at: datetime):
    today = at.astimezone(schedule.tzinfo).date()
    if is_open(schedule, frozenset({today}), at):
        # Still open on the holiday: only a range of the day before, across midnight.
        yesterday = schedule.days[(today.weekday() - 1) % 7]
        assert any(end <= start for start, end in yesterday)
    else:
        opening = next_opening(schedule, frozenset({today}), at)
        assert opening is not None
        assert opening.astimezone(schedule.tzinfo).date() != today


def test_weekday_hours_around_the_clock():
    schedule = parse("mon-fri 09:00-18:00 tz=Europe/Berlin")
    thursday_evening = local("Europe/Berlin", 2027, 1, 7, 20, 0)
    assert not is_open(schedule, [], thursday_evening)
    assert next_opening(schedule, [], thursday_evening) == local("Europe/Berlin", 2027, 1, 8, 9)
    friday_evening = local("Europe/Berlin", 2027, 1, 8, 18, 0)
    assert not is_open(schedule, [], friday_evening)  # the end is not open
    assert next_opening(schedule, [], friday_evening) == local("Europe/Berlin", 2027, 1, 11, 9)
    assert is_open(schedule, [], local("Europe/Berlin", 2027, 1, 8, 17, 59))


def test_a_holiday_moves_the_opening_to_the_day_after():
    schedule = parse(WEEKDAYS)
    evening = local("Europe/Berlin", 2027, 1, 7, 20, 0)  # Thursday
    friday = date(2027, 1, 8)
    assert next_opening(schedule, [friday], evening) == local("Europe/Berlin", 2027, 1, 11, 9)
    assert not is_open(schedule, [friday], local("Europe/Berlin", 2027, 1, 8, 12))


def test_ranges_across_midnight():
    schedule = parse("fri 22:00-02:00 sun 23:00-01:00")
    assert is_open(schedule, [], utc(2027, 1, 8, 23, 30))  # Friday night
    assert is_open(schedule, [], utc(2027, 1, 9, 1, 59))  # Saturday morning
    assert not is_open(schedule, [], utc(2027, 1, 9, 2, 0))
    assert is_open(schedule, [], utc(2027, 1, 11, 0, 30))  # Sunday's range into Monday
    # A holiday on Saturday does not cut Friday's night short.
    assert is_open(schedule, [date(2027, 1, 9)], utc(2027, 1, 9, 1, 0))
    assert next_opening(schedule, [date(2027, 1, 8)], utc(2027, 1, 8, 12)) == utc(2027, 1, 10, 23)


@pytest.mark.parametrize(
    ("zone", "day", "utc_opening"),
    [
        # Berlin: the clocks go forward on 28 March 2027 (CET → CEST) and back on 31 October.
        ("Europe/Berlin", date(2027, 3, 27), utc(2027, 3, 27, 8)),
        ("Europe/Berlin", date(2027, 3, 28), utc(2027, 3, 28, 7)),
        ("Europe/Berlin", date(2027, 10, 30), utc(2027, 10, 30, 7)),
        ("Europe/Berlin", date(2027, 10, 31), utc(2027, 10, 31, 8)),
        # New York: forward on 14 March 2027, back on 7 November.
        ("America/New_York", date(2027, 3, 13), utc(2027, 3, 13, 14)),
        ("America/New_York", date(2027, 3, 14), utc(2027, 3, 14, 13)),
        ("America/New_York", date(2027, 11, 7), utc(2027, 11, 7, 14)),
    ],
)
def test_opening_keeps_its_wall_clock_time_over_daylight_saving_changes(
    zone: str, day: date, utc_opening: datetime
):
    schedule = parse(f"mon-sun 09:00-17:00 tz={zone}")
    midnight = datetime.combine(day, datetime.min.time(), ZoneInfo(zone)).astimezone(UTC)
    assert next_opening(schedule, [], midnight) == utc_opening


def test_night_ranges_over_daylight_saving_changes():
    schedule = parse("sat 22:00-06:00 tz=Europe/Berlin")
    # 27/28 March 2027: the night has an hour less (02:00 → 03:00), 30/31 October one more.
    spring = [utc(2027, 3, 27, 21) + timedelta(minutes=m) for m in range(0, 8 * 60, 30)]
    autumn = [utc(2027, 10, 30, 20) + timedelta(minutes=m) for m in range(0, 10 * 60, 30)]
    assert sum(is_open(schedule, [], at) for at in spring) == 7 * 2
    assert sum(is_open(schedule, [], at) for at in autumn) == 9 * 2


def test_ranges_in_the_skipped_hour():
    after = utc(2027, 3, 27, 12)  # the Saturday before the clocks go forward in Berlin
    inside = parse("sun 02:10-02:50 tz=Europe/Berlin")  # read as 03:10-03:50 summer time
    assert next_opening(inside, [], after) == local("Europe/Berlin", 2027, 3, 28, 3, 10)
    to_its_end = parse("sun 02:30-03:00 tz=Europe/Berlin")  # does not happen that Sunday
    assert next_opening(to_its_end, [], after) == local("Europe/Berlin", 2027, 4, 4, 2, 30)


def test_format_groups_days_with_the_same_hours():
    schedule = parse("sat 10:00-14:00 mon-fri 13:00-18:00 09:00-12:00 tz=Europe/Moscow")
    assert format_schedule(schedule) == (
        "mon-fri 09:00-12:00 13:00-18:00 sat 10:00-14:00 tz=Europe/Moscow"
    )
    assert format_schedule(parse("mon 09:00-10:00 wed 09:00-10:00")) == (
        "mon 09:00-10:00 wed 09:00-10:00 tz=UTC"
    )
    assert format_schedule(parse("fri-mon 10:00-11:00")) == (
        "mon 10:00-11:00 fri-sun 10:00-11:00 tz=UTC"
    )
    assert parse("off") is None
    assert format_schedule(None) == "off"


@pytest.mark.parametrize(
    ("spec", "error", "named"),
    [
        ("mon-fri 09:00-25:00", BadTime, "09:00-25:00"),
        ("mon 25:00-26:00", BadTime, "25:00-26:00"),
        ("mon 9-18", BadTime, "9-18"),
        ("mon 09:60-18:00", BadTime, "09:60-18:00"),
        ("mon-xyz 09:00-18:00", BadDay, "mon-xyz"),
        ("mon-fri 09:00-18:00 tz=Mars/Olympus", UnknownZone, "Mars/Olympus"),
        ("mon-fri 09:00-18:00 tz=../../etc/passwd", UnknownZone, "../../etc/passwd"),
        ("mon-fri 09:00-13:00 12:00-18:00", OverlappingRanges, "mon 09:00-13:00"),
        ("fri 22:00-02:00 sat 01:00-05:00", OverlappingRanges, "sat 01:00-05:00"),
        ("sun 23:00-02:00 mon 01:00-03:00", OverlappingRanges, "sun 23:00-02:00"),
        ("", EmptyHours, ""),
        ("tz=Europe/Moscow", EmptyHours, ""),
        ("mon-fri", DaysWithoutRange, "mon-fri"),
        ("mon sat 10:00-12:00", DaysWithoutRange, "mon"),
        ("09:00-18:00", RangeWithoutDays, "09:00-18:00"),
        ("mon 09:00-09:00", EmptyRange, "09:00-09:00"),
        ("mon 09:00-18:00 tz=UTC tz=UTC", ZoneTwice, "tz=UTC"),
        ("mon 09:00-18:00 !", BadHoursToken, "!"),
    ],
)
def test_malformed_schedules_are_refused_naming_the_culprit(
    spec: str, error: type[Exception], named: str
):
    with pytest.raises(error) as refused:
        parse(spec)
    assert named in str(refused.value)


def test_holidays_are_iso_dates():
    assert parse_holiday("2027-01-01") == date(2027, 1, 1)
    for bad in ("2027-13-01", "2027-1-1", "tomorrow", "２０２７-01-01"):
        with pytest.raises(InvalidHoliday):
            parse_holiday(bad)


def test_a_stored_schedule_that_no_longer_reads_leaves_the_desk_open():
    gone = Source(id=1, hours="mon-fri 09:00-18:00 tz=Gone/Zone", holidays=["2027-01-08"])
    desk = Desk.of(gone)
    assert desk.schedule is None
    assert desk.is_open(utc(2027, 1, 8, 3))


def test_a_desk_reads_its_source_row():
    source = Source(id=1, hours="mon-fri 09:00-18:00 tz=Europe/Berlin", holidays=["2027-01-08"])
    desk = Desk.of(source)
    assert not desk.is_open(local("Europe/Berlin", 2027, 1, 8, 12))
    told = desk.out_of_hours(7, local("Europe/Berlin", 2027, 1, 7, 20))
    assert told.opens == local("Europe/Berlin", 2027, 1, 11, 9)
    assert told.zone == "Europe/Berlin"


spans = st.integers(0, 10 * 1440).map(lambda minutes: timedelta(minutes=minutes))
amounts = st.integers(0, 3 * 24 * 3600).map(lambda seconds: timedelta(seconds=seconds))
maybe_schedules = st.one_of(st.none(), schedules())


@settings(max_examples=150, deadline=None)
@given(maybe_schedules, holiday_sets, instants, spans, spans)
def test_working_time_is_part_of_the_time_and_adds_up(
    schedule: Schedule | None,
    holidays: frozenset[date],
    start: datetime,
    first: timedelta,
    second: timedelta,
):
    split, end = start + first, start + first + second
    whole = working_time(schedule, holidays, start, end)
    assert timedelta() <= whole <= end - start
    assert whole == working_time(schedule, holidays, start, split) + working_time(
        schedule, holidays, split, end
    )
    if schedule is None:
        assert whole == end - start
    assert working_time(schedule, holidays, end, start) == timedelta()


@settings(max_examples=150, deadline=None)
@given(schedules(), holiday_sets, instants)
def test_working_time_grows_exactly_while_open(
    schedule: Schedule, holidays: frozenset[date], start: datetime
):
    # Sampled minute by minute over a day: each minute counts whole when open at its
    # beginning and end, not at all when closed at both (ranges last 15 minutes at least).
    minute = timedelta(minutes=1)
    for n in range(0, 1440, 7):
        at = start + n * minute
        counted = working_time(schedule, holidays, at, at + minute)
        before, after = is_open(schedule, holidays, at), is_open(schedule, holidays, at + minute)
        if before and after:
            assert counted == minute
        elif not before and not after:
            assert counted == timedelta()


@settings(max_examples=150, deadline=None)
@given(maybe_schedules, holiday_sets, instants, amounts)
def test_the_cutoff_leaves_exactly_the_amount_of_working_time(
    schedule: Schedule | None, holidays: frozenset[date], until: datetime, amount: timedelta
):
    cutoff = working_cutoff(schedule, holidays, until, amount)
    assert cutoff is not None  # a weekly schedule opens again beyond a few holidays
    assert cutoff <= until
    assert working_time(schedule, holidays, cutoff, until) == amount
    later = cutoff + timedelta(microseconds=1)
    if amount and later <= until:
        assert working_time(schedule, holidays, later, until) < amount
    if schedule is None:
        assert cutoff == until - amount


@settings(max_examples=100, deadline=None)
@given(schedules(), instants, spans, st.integers(0, 3))
def test_holidays_take_working_time_away_from_their_own_day_on(
    schedule: Schedule, start: datetime, span: timedelta, nth_day: int
):
    end = start + span
    day = start.astimezone(schedule.tzinfo).date() + timedelta(days=nth_day)
    holiday = frozenset({day})
    assert working_time(schedule, holiday, start, end) <= working_time(
        schedule, frozenset(), start, end
    )
    # Before the holiday begins nothing changes.
    begins = datetime.combine(day, datetime.min.time(), schedule.tzinfo).astimezone(UTC)
    before = min(end, begins)
    assert working_time(schedule, holiday, start, before) == working_time(
        schedule, frozenset(), start, before
    )


def test_working_time_over_a_weekend_and_a_holiday():
    schedule = parse(WEEKDAYS)
    friday_five = local("Europe/Berlin", 2027, 1, 8, 17)
    monday_ten = local("Europe/Berlin", 2027, 1, 11, 10)
    assert working_time(schedule, (), friday_five, monday_ten) == timedelta(hours=2)
    holiday = {date(2027, 1, 11)}
    assert working_time(schedule, holiday, friday_five, monday_ten) == timedelta(hours=1)
    # 15 minutes of working time before Monday 09:05 began on Friday at 17:50.
    monday_five_past = local("Europe/Berlin", 2027, 1, 11, 9, 5)
    assert working_cutoff(schedule, (), monday_five_past, timedelta(minutes=15)) == local(
        "Europe/Berlin", 2027, 1, 8, 17, 50
    )
    # With Monday a holiday, Tuesday 09:05 looks back to Friday too.
    tuesday = local("Europe/Berlin", 2027, 1, 12, 9, 5)
    assert working_cutoff(schedule, holiday, tuesday, timedelta(minutes=15)) == local(
        "Europe/Berlin", 2027, 1, 8, 17, 50
    )


def test_working_time_on_the_days_the_clocks_change():
    night = parse("mon-sun 22:00-06:00 tz=Europe/Berlin")
    # Saturday 22:00 to Sunday 06:00 around the change to summer time lasts 7 hours, around
    # the change back 9.
    spring = (local("Europe/Berlin", 2027, 3, 27, 12), local("Europe/Berlin", 2027, 3, 28, 12))
    autumn = (local("Europe/Berlin", 2027, 10, 30, 12), local("Europe/Berlin", 2027, 10, 31, 12))
    assert working_time(night, (), *spring) == timedelta(hours=7)
    assert working_time(night, (), *autumn) == timedelta(hours=9)
    # Ranges that overlap in UTC the day the clocks skip an hour count once.
    skipped = parse("sun 01:00-02:30 03:00-05:00 tz=Europe/Berlin")
    day = (local("Europe/Berlin", 2027, 3, 28, 0), local("Europe/Berlin", 2027, 3, 28, 12))
    # 01:00 winter time to 05:00 summer time: three hours, not three and a half.
    assert working_time(skipped, (), *day) == timedelta(hours=3)


def test_a_cutoff_reaches_back_over_holidays_and_gives_up_only_beyond_them():
    schedule = parse("mon 09:00-10:00 tz=UTC")
    sixty_days = frozenset(date(2027, 1, 1) + timedelta(days=n) for n in range(60))
    minute = timedelta(minutes=1)
    assert working_cutoff(schedule, sixty_days, utc(2027, 3, 2), minute) == utc(2026, 12, 28, 9, 59)
    # Every Monday of two years a holiday: no working time as far as it looks.
    mondays = frozenset(date(2025, 3, 3) + timedelta(weeks=n) for n in range(105))
    assert working_cutoff(schedule, mondays, utc(2027, 3, 2), minute) is None
