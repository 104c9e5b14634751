"""A bot through which Telegram cannot be reached: probed on one capped, jittered schedule, and
reported once it has been down long enough."""

import random

from services.delivery import Backoff, Outages


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make(clock: Clock) -> Outages:
    return Outages(Backoff(base=0.5, cap=30.0, alert_after=300.0), random.Random(1), clock)


def test_one_probe_at_a_time_on_a_growing_capped_schedule():
    clock = Clock()
    outages = make(clock)
    assert outages.failed(1, probe=False) is None
    assert outages.is_down(1) and not outages.is_down(2)

    pauses = []
    for _ in range(12):
        pause = outages.seconds_to_probe()
        assert pause is not None
        pauses.append(pause)
        if pause > 0:
            assert not outages.probe_due(1)  # not before its time
        clock.now += pause
        assert outages.probe_due(1)
        assert not outages.probe_due(1)  # the one probe is on its way: nobody else goes
        outages.failed(1, probe=True)

    # Doubling from 0.5 s, less up to half of it at random, and never more than 30 s apart.
    assert all(0.5 * min(30, 0.5 * 2**n) <= p <= min(30, 0.5 * 2**n) for n, p in enumerate(pauses))
    assert max(pauses) <= 30 and pauses[-1] >= 15
    assert len(set(pauses)) == len(pauses)  # jittered


def test_messages_failing_alongside_the_probe_do_not_push_it_back():
    clock = Clock()
    outages = make(clock)
    outages.failed(1, probe=False)
    first = outages.seconds_to_probe()
    for _ in range(50):  # what was already on its way when the bot went down
        outages.failed(1, probe=False)
    assert outages.seconds_to_probe() == first


def test_the_admins_are_told_once_per_outage_and_when_it_ends():
    clock = Clock()
    outages = make(clock)
    outages.failed(1, probe=False)
    told = []
    while clock.now < 100 + 900:
        clock.now += outages.seconds_to_probe() or 0
        assert outages.probe_due(1)
        if outages.failed(1, probe=True) is not None:
            told.append(clock.now)
    assert len(told) == 1 and 400 <= told[0] <= 100 + 300 + 30
    assert outages.degraded() == [1]

    ended = outages.succeeded(1)
    assert ended is not None and ended.alerted
    assert outages.lasted(ended) >= 300
    assert not outages.is_down(1) and outages.degraded() == []
    assert outages.succeeded(1) is None  # a bot that works ends nothing
