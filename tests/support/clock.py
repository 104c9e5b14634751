"""A clock the end-to-end tests move, and a Switchboard that reads it: business hours and
shifts decide by the time of day."""

import contextlib
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.app import create_app
from bot.config import Settings
from fake_telegram import FakeTelegram
from tests.harness import FAST
from tests.support.switchboard import Switchboard

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args: int) -> datetime:
    """A Berlin wall-clock time as UTC."""
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)


class MovableClock:
    """A clock that stands still until the test moves it."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


@contextlib.asynccontextmanager
async def running(
    telegram: FakeTelegram, settings: Settings, clock: MovableClock
) -> AsyncIterator[Switchboard]:
    """A Switchboard whose services read ``clock``."""
    app = await create_app(settings, rng=random.Random(7), pacing=FAST, clock=clock)
    switchboard = Switchboard(app, telegram)
    await switchboard.start()
    try:
        yield switchboard
    finally:
        await switchboard.stop()


async def tick(switchboard: Switchboard, job: str) -> None:
    """Run one of the scheduler's jobs now, and let its messages go."""
    assert switchboard.app.scheduler is not None
    await switchboard.app.scheduler.get_job(job).func()
    await switchboard.idle()


async def minute_check(switchboard: Switchboard) -> None:
    """Run the scheduler's minute check of the desks' hours and shifts now, and let its
    messages go."""
    await tick(switchboard, "drain_open_desks")
