"""A desk's day made up for drawing: ``/stats chart``'s tests and benchmark."""

import random
from datetime import UTC, datetime, timedelta

from db.models import Operator, Source
from services.activity import Activity, sample_times
from services.views import (
    DayView,
    OperatorShare,
    OperatorStats,
    Performance,
    SourceStats,
    StatsView,
)


def _shares(people: list[Operator], rng: random.Random) -> list[OperatorShare]:
    """Weights from 1 to 5, and counts that follow them roughly, as weighted random does."""
    weights = [rng.randint(1, 5) for _ in people]
    counts = [max(0, round(w * 20 * rng.uniform(0.6, 1.4))) for w in weights]
    return [
        OperatorShare(person, n, n / sum(counts), w / sum(weights))
        for person, n, w in zip(people, counts, weights, strict=True)
    ]


def busy_day(operators: int, sources: int, seed: int = 3) -> DayView:
    """A desk of ``operators`` operators in ``sources`` bots with a busy day behind it."""
    rng = random.Random(seed)
    people = [
        Operator(id=n, telegram_id=10_000 + n, display_name=f"Operator {n}", max_open=5)
        for n in range(1, operators + 1)
    ]
    bots = [Source(id=n, username=f"bot_{n}") for n in range(1, sources + 1)]
    stats = StatsView(
        [SourceStats(bot, 1000, 50, 10, _shares(people, rng)) for bot in bots],
        [OperatorStats(person, 10, 8, Performance()) for person in people],
        7,
    )
    times = sample_times(
        datetime(2026, 12, 3, tzinfo=UTC), timedelta(days=1), timedelta(minutes=15)
    )
    loads = {person.id: [rng.randrange(6) for _ in times] for person in people}
    return DayView(stats, Activity(times, [rng.randrange(30) for _ in times], loads))
