"""Sending the webhooks' outbox: signed POSTs, in order per contact, retried until delivered,
safe with several processes.

The sender leases the oldest event of each line (a contact's events for one subscription) with
a conditional UPDATE, so any number of processes can run one; it POSTs it through a ``Poster``
(implemented by the bot with aiohttp) and records the outcome: a 2xx answer delivers it, a
refusal for good (any other 3xx or 4xx than 408 and 429, or a URL the client cannot use) gives
it up (logged), anything else (5xx, 408, 429, a timeout, a refused or broken connection) puts it
back for a retry after a pause that doubles up to a maximum, for as long as it takes. Until an
event is delivered or given up, the contact's next events wait for it.
"""

import asyncio
import enum
import hashlib
import hmac
import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.repositories import Claimed, WebhookRepository
from services.delivery.worker import wait_for_work

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Switchboard-Signature"
EVENT_ID_HEADER = "X-Switchboard-Event-Id"
EVENT_HEADER = "X-Switchboard-Event"


class PostFailed(Exception):
    """A POST that got no answer (a timeout, a refused or broken connection); ``lasting``: one
    that can never work (a URL the client cannot use), which is given up."""

    def __init__(self, reason: str, *, lasting: bool = False) -> None:
        super().__init__(reason)
        self.lasting = lasting


class Poster(Protocol):
    """What the sender POSTs through (``bot.webhooks.AiohttpPoster``)."""

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        """POST ``body`` to ``url`` without following redirects; the answer's status code.
        Raises ``PostFailed`` when there is no answer."""
        ...


def sign(secret: str, body: bytes) -> str:
    """The value of ``X-Switchboard-Signature``: ``sha256=`` and the hex HMAC-SHA256 of the
    raw body with the subscription's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Verdict(enum.Enum):
    """What an answer means for the event."""

    DELIVERED = "delivered"
    GIVEN_UP = "given up"
    RETRY = "retry"


def verdict(status: int) -> Verdict:
    """2xx: delivered; 408 (timeout) and 429 (too many requests), 5xx and anything below 200:
    tried again; any other status (a redirect, which is not followed, a 4xx): given up."""
    if 200 <= status < 300:
        return Verdict.DELIVERED
    if status in (408, 429) or status >= 500 or status < 200:
        return Verdict.RETRY
    return Verdict.GIVEN_UP


@dataclass(frozen=True, slots=True)
class SenderConfig:
    """Tuning of the webhook sender."""

    # How long one POST may take (the poster's own timeout); a lease outlasts it.
    timeout: float = 10.0
    # The pause before a retry: ``retry_base`` doubling with each attempt up to ``retry_max``.
    retry_base: float = 1.0
    retry_max: float = 600.0
    max_in_flight: int = 50
    idle_poll: float = 1.0
    # How long a stop waits for the POSTs under way before it cuts them off.
    stop_grace: float = 2.0

    @property
    def lease(self) -> timedelta:
        """How long a claimed event is this sender's: longer than a POST may take, so another
        process takes it only from a sender that died with it."""
        return timedelta(seconds=self.timeout * 2 + 5)

    def pause(self, attempts: int, rng: random.Random) -> float:
        """The pause before the next try of an event tried ``attempts`` times, with a random
        part, so that retries of many events (or processes) do not all come at once."""
        pause = min(self.retry_max, self.retry_base * 2 ** min(attempts - 1, 40))
        return pause * (0.75 + 0.25 * rng.random())


class WebhookSender:
    """Sends the webhook events of every process's outbox."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        poster: Poster,
        wakeup: asyncio.Event,
        config: SenderConfig | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.poster = poster
        self.wakeup = wakeup
        self.config = config or SenderConfig()
        self.rng = rng or random.Random()
        self._in_flight: dict[int, asyncio.Task[None]] = {}

    async def run(self, stop: asyncio.Event) -> None:
        """Send until ``stop`` is set; then give the POSTs under way a moment to end, and put
        back those that did not (sent again later, by this process or another)."""
        try:
            while not stop.is_set():
                self.wakeup.clear()  # before looking: a wake-up meanwhile is not lost
                if await self.run_once():
                    continue
                await wait_for_work(self.wakeup, stop, self.config.idle_poll)
        finally:
            await self._finish()

    async def run_once(self) -> int:
        """Lease what is due (the head of each line) and start POSTing it; how many."""
        free = self.config.max_in_flight - len(self._in_flight)
        if free <= 0:
            return 0
        async with self.session_factory() as session, session.begin():
            claimed = await WebhookRepository(session).claim(free, self.config.lease)
        for item in claimed:
            task = asyncio.create_task(self._deliver_logged(item), name="webhook-post")
            self._in_flight[item.event.id] = task
            task.add_done_callback(lambda _t, key=item.event.id: self._in_flight.pop(key, None))
        return len(claimed)

    async def _finish(self) -> None:
        if not self._in_flight:
            return
        tasks = list(self._in_flight.values())
        ids = list(self._in_flight)
        _done, pending = await asyncio.wait(tasks, timeout=self.config.stop_grace)
        for task in pending:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if pending:
            unfinished = [key for key, task in zip(ids, tasks, strict=True) if task in pending]
            async with self.session_factory() as session, session.begin():
                await WebhookRepository(session).release(unfinished)

    async def _deliver_logged(self, item: Claimed) -> None:
        try:
            await self._deliver(item)
        except asyncio.CancelledError:
            raise
        except Exception:
            # The outcome could not be recorded (the database went away): the lease runs out
            # and the event is sent again; the receiver de-duplicates by its id.
            log.exception("webhook event %s: the outcome was not recorded", item.event.event_id)

    async def _deliver(self, item: Claimed) -> None:
        event = item.event
        body = event.body.encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(item.secret, body),
            EVENT_ID_HEADER: event.event_id,
            EVENT_HEADER: event.name,
        }
        try:
            status = await self.poster.post(item.url, body, headers)
            outcome, error = verdict(status), f"HTTP {status}"
        except PostFailed as failure:
            outcome = Verdict.GIVEN_UP if failure.lasting else Verdict.RETRY
            error = str(failure) or type(failure).__name__
        async with self.session_factory() as session, session.begin():
            repository = WebhookRepository(session)
            if outcome is Verdict.RETRY:
                pause = self.config.pause(event.attempts, self.rng)
                await repository.retry(event.id, utcnow() + timedelta(seconds=pause), error)
            else:
                await repository.done(event.id)
        if outcome is Verdict.GIVEN_UP:
            log.warning(
                "webhook %s: event %s (%s, contact %s) given up after %s: %s",
                event.webhook_id,
                event.event_id,
                event.name,
                event.contact_id,
                _attempts(event.attempts),
                error,
            )
        elif outcome is Verdict.RETRY:
            log.info(
                "webhook %s: event %s not delivered (%s), tried again in %.1f s",
                event.webhook_id,
                event.event_id,
                error,
                pause,
            )
            # This process tries it again when due; the idle poll covers the others'.
            asyncio.get_running_loop().call_later(pause, self.wakeup.set)
        # The contact's next event (or this one's retry) may go now.
        self.wakeup.set()


def _attempts(n: int) -> str:
    return "1 attempt" if n == 1 else f"{n} attempts"
