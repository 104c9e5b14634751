"""APScheduler jobs: the queue retry and the timers, each in its own session."""

import logging
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from services.clock import Clock
from services.outbox import OutboxSignal
from services.timers import TimerService

log = logging.getLogger(__name__)

# How often the timers look for due work, in seconds.
TIMER_TICK = 30
# How often the queues of desks with business hours are looked at (a desk opens on the minute).
HOURS_TICK = 60


def build_scheduler(
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    rng: random.Random,
    signal: OutboxSignal,
    alert_source_id: int,
    clock: Clock,
) -> AsyncIOScheduler:
    """The jobs of one process; several processes may run them at once (see services.timers)."""

    def job(use: Callable[[TimerService], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            try:
                async with session_factory() as session:
                    await use(TimerService(session, rng, signal, clock=clock))
            except Exception:  # a failed run must not stop the next ones
                log.exception("scheduled job failed")

        return run

    scheduler = AsyncIOScheduler()
    options = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
    scheduler.add_job(
        job(lambda timers: timers.assign_pending()),
        "interval",
        seconds=settings.retry_interval_seconds,
        id="assign_pending",
        next_run_time=datetime.now(UTC),  # also once at start
        **options,
    )
    scheduler.add_job(
        job(lambda timers: timers.drain_open_desks()),
        "interval",
        seconds=HOURS_TICK,
        id="drain_open_desks",
        **options,
    )
    if settings.reminder_minutes:
        after = timedelta(minutes=settings.reminder_minutes)
        reassign = settings.reassign_on_reminder
        scheduler.add_job(
            job(lambda timers: timers.remind(after, reassign=reassign)),
            "interval",
            seconds=TIMER_TICK,
            id="remind",
            **options,
        )
    if settings.auto_close_hours:
        idle_for = timedelta(hours=settings.auto_close_hours)
        scheduler.add_job(
            job(lambda timers: timers.auto_close(idle_for)),
            "interval",
            seconds=TIMER_TICK,
            id="auto_close",
            **options,
        )
    if settings.queue_alert_minutes:
        waited = timedelta(minutes=settings.queue_alert_minutes)
        admins = list(settings.admin_ids)
        scheduler.add_job(
            job(lambda timers: timers.queue_alert(waited, admins, alert_source_id)),
            "interval",
            seconds=TIMER_TICK,
            id="queue_alert",
            **options,
        )
    return scheduler
