"""Hypothesis strategies of weekly schedules and instants, and time helpers, for the tests
of business hours and shifts (``services.hours``, ``services.shifts``)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from services.hours import Schedule

ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Europe/Moscow", "Australia/Lord_Howe")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    """Random non-overlapping weekly schedules, some ranges across midnight."""
    zone = draw(st.sampled_from(ZONES))
    # Cut the week into ordered minute marks, then pair them: ranges never overlap.
    marks = draw(
        st.lists(
            st.integers(0, 7 * 24 * 4 - 1).map(lambda q: q * 15),
            min_size=2,
            max_size=10,
            unique=True,
        ).map(sorted)
    )
    if len(marks) % 2:
        marks = marks[:-1]
    days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for begin, finish in zip(marks[::2], marks[1::2], strict=True):
        day, start = divmod(begin, 1440)
        length = min(finish - begin, 1440 - 1)  # at most a day: it ends on the next at most
        end = (start + length) % 1440
        if end == 0 and start + length == 1440 and draw(st.booleans()):
            end = 1440  # "24:00" as well as "00:00"
        days[day].append((start, end))
    return Schedule(tuple(tuple(sorted(d)) for d in days), zone)


# Changes of the clocks: Berlin on the last Sundays of March and October (01:00 UTC), New
# York on the second Sunday of March (07:00 UTC) and the first of November (06:00 UTC).
CLOCK_CHANGES = (
    utc(2027, 3, 28, 1),
    utc(2027, 10, 31, 1),
    utc(2027, 3, 14, 7),
    utc(2027, 11, 7, 6),
)
instants = st.one_of(
    st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
    ),
    # Two days either side of a change of the clocks, to the minute.
    st.builds(
        lambda change, minutes: change + timedelta(minutes=minutes),
        st.sampled_from(CLOCK_CHANGES),
        st.integers(-2 * 1440, 2 * 1440),
    ),
)
