"""The day's series: at every sample, as many as a plain count over the contacts gives."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.activity import Span, activity, sample_times

START = datetime(2026, 12, 2, tzinfo=UTC)
TIMES = sample_times(START + timedelta(days=1), timedelta(days=1), timedelta(minutes=15))
_MINUTES = st.integers(min_value=0, max_value=2 * 24 * 60)


@st.composite
def spans(draw: st.DrawFn) -> Span:
    """A contact: it waits from some time, an operator may get it later, it may close later."""
    waits = START + timedelta(minutes=draw(_MINUTES))
    operator = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=3)))
    got = waits + timedelta(minutes=draw(_MINUTES)) if operator and draw(st.booleans()) else None
    # Closed from the queue, or after the operator got it.
    closed = None
    if draw(st.booleans()):
        closed = (got or waits) + timedelta(minutes=draw(_MINUTES))
    return Span(operator if got else None, waits, got, got, closed)


def _between(t: datetime, start: datetime | None, end: datetime | None) -> bool:
    return start is not None and start <= t and (end is None or t < end)


@given(st.lists(spans(), max_size=40))
def test_the_series_count_what_was_open_at_each_time(contacts):
    day = activity(contacts, TIMES)

    for n, t in enumerate(TIMES):
        waiting = [
            c for c in contacts if _between(t, c.queued_since, c.left_queue_at or c.closed_at)
        ]
        assert day.queue[n] == len(waiting)
        for operator, load in day.load.items():
            own = [c for c in contacts if c.operator_id == operator]
            assert load[n] == sum(_between(t, c.assigned_at, c.closed_at) for c in own)
    assert set(day.load) == {c.operator_id for c in contacts if c.operator_id is not None}


def test_the_samples_cover_the_day_every_quarter_of_an_hour():
    assert (TIMES[0], TIMES[-1], len(TIMES)) == (START, START + timedelta(days=1), 97)
