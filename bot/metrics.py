"""Prometheus metrics. Counters are per process; contact and queue figures are read from the
shared database at scrape time, so every process reports the same, cluster-wide, numbers."""

from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.models import Delivery
from db.repositories import ContactRepository


class Metrics:
    """The registry of one process."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.updates = Counter(
            "switchboard_updates", "Telegram updates received", ["bot"], registry=self.registry
        )
        self.degraded = Gauge(
            "switchboard_bot_degraded",
            "1 while Telegram has taken nothing through a bot for longer than "
            "OUTAGE_ALERT_SECONDS (its messages wait), else 0; from the process sending for it",
            ["bot"],
            registry=self.registry,
        )
        self.telegram_errors = Counter(
            "switchboard_telegram_errors",
            "Errors Telegram answered to sends, by code",
            ["code"],
            registry=self.registry,
        )
        self.delivery_latency = Histogram(
            "switchboard_delivery_latency_seconds",
            "From staging a message to Telegram confirming it",
            buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 300),
            registry=self.registry,
        )
        self.contacts = Gauge(
            "switchboard_contacts",
            "Contacts in the database by state (opened = all ever opened)",
            ["state"],
            registry=self.registry,
        )
        self.queue_length = Gauge(
            "switchboard_queue_length", "Contacts waiting for an operator", registry=self.registry
        )
        self.oldest_wait = Gauge(
            "switchboard_queue_oldest_wait_seconds",
            "How long the oldest queued contact has waited",
            registry=self.registry,
        )

    def delivered(self, delivery: Delivery, _send_seconds: float) -> None:
        """The worker's ``on_sent`` hook."""
        self.delivery_latency.observe((utcnow() - delivery.created_at).total_seconds())

    def bot_degraded(self, bot: str, degraded: bool) -> None:
        """A bot went degraded, or recovered (the worker's ``on_degraded``)."""
        self.degraded.labels(bot=bot).set(1 if degraded else 0)

    def telegram_error(self, code: str) -> None:
        """The transport's error hook."""
        self.telegram_errors.labels(code=code).inc()

    async def render(self, session_factory: async_sessionmaker[AsyncSession]) -> bytes:
        """Refresh the database figures and render the exposition text."""
        async with session_factory() as session, session.begin():
            contacts = ContactRepository(session)
            await contacts.roll_up_closed()  # keeps the counts cheap however long the history
            totals = await contacts.totals()
            oldest: datetime | None = await contacts.oldest_queued_at()
        for state, value in totals.items():
            self.contacts.labels(state=state).set(value)
        self.queue_length.set(totals["queued"])
        self.oldest_wait.set((utcnow() - oldest).total_seconds() if oldest else 0)
        return generate_latest(self.registry)
