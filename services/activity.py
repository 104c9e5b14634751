"""The desk's day as time series: each operator's open contacts and the queue's length.

Reconstructed from the contacts' times and decisions, not sampled as it went: a contact counts
in the queue from when it began to wait (its opening, or its return to the queue) until an
operator got it or it was closed, and for its operator from the assignment until the close. Only
the latest of those times are kept: a contact moved to a colleague counts for the one who has it
now, from when they got it, and one that went back to the queue counts as queued from then only.
"""

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class Span:
    """The times of one contact that the series need."""

    operator_id: int | None
    queued_since: datetime
    # When an operator first got it after ``queued_since`` (its first decision for someone).
    left_queue_at: datetime | None
    assigned_at: datetime | None
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class Activity:
    """Samples at ``times``: the queue's length and, per operator id, their open contacts."""

    times: list[datetime]
    queue: list[int]
    load: dict[int, list[int]] = field(default_factory=dict)


def sample_times(until: datetime, window: timedelta, step: timedelta) -> list[datetime]:
    """From ``until - window`` to ``until``, every ``step`` (both ends included)."""
    count = int(window / step)
    return [until - window + step * n for n in range(count + 1)]


class _Counter:
    """How many intervals [start, end) cover a time, for many times: two sorted lists."""

    def __init__(self) -> None:
        self.starts: list[datetime] = []
        self.ends: list[datetime] = []

    def add(self, start: datetime, end: datetime | None) -> None:
        self.starts.append(start)
        if end is not None:
            self.ends.append(end)

    def at(self, times: list[datetime]) -> list[int]:
        self.starts.sort()
        self.ends.sort()
        return [
            bisect.bisect_right(self.starts, t) - bisect.bisect_right(self.ends, t) for t in times
        ]


def activity(spans: Iterable[Span], times: list[datetime]) -> Activity:
    """The queue's length and each operator's load at each of ``times`` (sorted)."""
    queue = _Counter()
    loads: dict[int, _Counter] = {}
    for span in spans:
        left_queue = span.left_queue_at or span.closed_at
        if left_queue is None or left_queue > span.queued_since:
            queue.add(span.queued_since, left_queue)
        if span.operator_id is not None and span.assigned_at is not None:
            loads.setdefault(span.operator_id, _Counter()).add(span.assigned_at, span.closed_at)
    return Activity(
        times,
        queue.at(times),
        {operator_id: counter.at(times) for operator_id, counter in loads.items()},
    )
