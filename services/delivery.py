"""Sending the outbox: paced, ordered per chat, retried, and safe with several processes.

The worker leases the oldest pending delivery of each chat (so a chat's messages go out in
order), sends it through a ``Transport`` (implemented by the bot with aiogram) and records the
outcome. Telegram's limits are respected by pacing (about 30 messages/s per bot, about one per
second per chat with short bursts) rather than provoked; a 429 waits ``retry_after``.
"""

import asyncio
import heapq
import itertools
import logging
import math
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.models import Delivery
from services.base import Actor, Service
from services.contacts import ContactService
from services.outbox import DeliveryKind, Notice

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """Telegram did not take a message."""


class RetryAfter(DeliveryError):
    """429: Telegram asks to wait."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class Unreachable(DeliveryError):
    """403: the user blocked the bot or never started it."""


class Rejected(DeliveryError):
    """4xx other than 403/429: sending the same request again cannot succeed."""


class Transient(DeliveryError):
    """5xx, timeouts and network errors: worth retrying."""


class Transport(Protocol):
    """Sends deliveries through the bots; raises ``DeliveryError`` subclasses."""

    async def send(self, deliveries: list[Delivery]) -> list[int]:
        """Send one delivery, or one album of copies; return Telegram's message ids."""


@dataclass(frozen=True, slots=True)
class Pacing:
    """Sending rates: a bot's a little below Telegram's 30 a second (its messages to many
    chats are in flight at once, and each reaches Telegram a little later than it left);
    a chat's exactly Telegram's one a second after a burst of three, since a chat's
    messages go one at a time and each is counted from when Telegram answered it
    (``TokenBucket.settle``), which is never earlier than when Telegram counted it."""

    bot_rate: float = 25.0
    bot_burst: float = 25.0
    chat_rate: float = 1.0
    chat_burst: float = 3.0


class TokenBucket:
    """Token bucket that may go into debt: ``rate`` tokens a second, at most ``burst`` saved."""

    def __init__(
        self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.tokens = burst
        self.stamp = clock()

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def take(self, cost: float = 1.0) -> None:
        """Spend ``cost`` tokens now, going into debt when there are not enough."""
        self._refill()
        self.tokens -= cost

    def wait_time(self, cost: float = 1.0) -> float:
        """How long until ``cost`` tokens (at most a full bucket) are saved; takes nothing."""
        self._refill()
        return max(0.0, (min(cost, self.burst) - self.tokens) / self.rate)

    def settle(self, cost: float = 1.0) -> None:
        """The ``cost`` tokens taken last were for a request answered just now: count them
        from now instead of from when it left, as if they were taken now (then the bucket
        held at most ``burst - cost``). Telegram counted the request somewhere in between,
        so the bucket is never fuller than Telegram's, however long the request took."""
        self._refill()
        self.tokens = min(self.tokens, self.burst - cost)

    def block_for(self, seconds: float) -> None:
        """Telegram said 429: the next message may go out only ``seconds`` from now."""
        self._refill()
        self.tokens = min(self.tokens, 1.0 - seconds * self.rate)


class BotLine:
    """One bot's share of Telegram's messages a second, handed out to the chats waiting for it.

    While the bucket holds enough, everyone goes at once. When it runs short, the waiters go by
    priority: the chat with the most messages still to send first (at about one a second, it
    has the longest way to go, so every slot it waits lengthens the whole burst), then in the
    order they came. A chat with one message left, such as a client's acknowledgement, fills the
    slots the busy chats cannot use while they wait for their own limit.
    """

    def __init__(self, bucket: TokenBucket) -> None:
        self.bucket = bucket
        self._waiters: list[tuple[int, int, float, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()
        self._releasing: asyncio.Task[None] | None = None

    async def turn(self, cost: float, priority: int) -> None:
        """Wait until ``cost`` messages may go, served by descending ``priority``."""
        if not self._waiters and self.bucket.wait_time(cost) == 0.0:
            self.bucket.take(cost)
            return
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (-priority, next(self._arrivals), cost, future))
        if self._releasing is None or self._releasing.done():
            self._releasing = asyncio.create_task(self._release(), name="bot-line")
        await future

    async def _release(self) -> None:
        while self._waiters:
            _, _, cost, future = self._waiters[0]
            if future.done():  # the waiter was cancelled
                heapq.heappop(self._waiters)
                continue
            # Looked at again after every pause: a more urgent chat may have come meanwhile,
            # and a 429 or a handler's answer may have spent the bucket.
            pause = self.bucket.wait_time(cost)
            if pause > 0:
                await asyncio.sleep(pause)
                continue
            heapq.heappop(self._waiters)
            self.bucket.take(cost)
            future.set_result(None)


class Pacer:
    """Per-bot lines and per-chat token buckets."""

    def __init__(self, pacing: Pacing) -> None:
        self.pacing = pacing
        self.bots: dict[int, BotLine] = {}
        self.chats: dict[tuple[int, int], TokenBucket] = {}

    def _buckets(self, source_id: int, chat_id: int) -> tuple[BotLine, TokenBucket]:
        p = self.pacing
        bot = self.bots.get(source_id)
        if bot is None:
            bot = self.bots[source_id] = BotLine(TokenBucket(p.bot_rate, p.bot_burst))
        chat = self.chats.get((source_id, chat_id))
        if chat is None:
            if len(self.chats) > 50_000:  # forget idle chats; a fresh bucket is full anyway
                self.chats.clear()
            chat = self.chats[source_id, chat_id] = TokenBucket(p.chat_rate, p.chat_burst)
        return bot, chat

    async def wait(self, source_id: int, chat_id: int, cost: int, backlog: int = 1) -> None:
        """Sleep until one more message (``cost`` for an album) may go to this chat, which has
        ``backlog`` messages pending in all (its priority in the bot's line).

        The chat's budget is spent when the message really leaves, after the bot's line: had
        it been spent before waiting for the bot, a message delayed there would leave close
        behind the chat's next one, and Telegram counts when requests arrive. The worker sends
        one message per chat at a time, so nobody else spends this chat's budget meanwhile,
        except a 429 or a handler's answer (``charge``); then the chat waits again.
        """
        bot, chat = self._buckets(source_id, chat_id)
        # Chat first: a chat that must wait should not hold a place in the bot's line.
        await asyncio.sleep(chat.wait_time(cost))
        await bot.turn(cost, backlog)
        await asyncio.sleep(chat.wait_time(cost))  # in case the chat's budget went meanwhile
        chat.take(cost)

    def settle(self, source_id: int, chat_id: int, cost: int = 1) -> None:
        """Telegram answered the message just sent to this chat (``wait`` or ``charge``);
        the chat's next one is counted from now (see ``TokenBucket.settle``)."""
        self._buckets(source_id, chat_id)[1].settle(cost)

    def charge(self, source_id: int, chat_id: int, cost: int = 1) -> None:
        """Count a message sent outside the worker (a handler's answer); the worker waits
        for it instead of Telegram answering 429. ``settle`` it once answered."""
        bot, chat = self._buckets(source_id, chat_id)
        bot.bucket.take(cost)
        chat.take(cost)

    def penalise(self, source_id: int, chat_id: int, seconds: float) -> None:
        """Apply a 429 to the chat and the bot."""
        bot, chat = self._buckets(source_id, chat_id)
        chat.block_for(seconds)
        bot.bucket.block_for(seconds)


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """Tuning of the delivery worker."""

    max_in_flight: int = 200
    # Renewed every quarter of it while a message is in flight, so a crashed process's
    # messages are taken over by the next worker after at most this long.
    lease: timedelta = timedelta(seconds=10)
    max_attempts: int = 8
    base_backoff: float = 0.5
    max_backoff: float = 60.0
    idle_poll: float = 1.0


class DeliveryService(Service):
    """Records delivery outcomes, including what a blocked user means for contacts."""

    async def client_blocked(self, source_id: int, chat_id: int) -> None:
        """A client blocked the bot: close their open contact there and free the slot."""
        async with self.session.begin():
            await self.deliveries.fail_chat(source_id, chat_id, "blocked by the user")
            lead = await self.leads.by_telegram_id(chat_id)
            found = await self.contacts.find_open(lead.id, source_id) if lead else None
        if found is not None:
            await self._close_for_client(found.id, chat_id)

    async def _close_for_client(self, contact_id: int, chat_id: int) -> None:
        closer = ContactService(self.session, self.rng, self.signal)
        await closer.close(contact_id, Actor("client", chat_id), "client blocked the bot")

    async def operator_unreachable(
        self, source_id: int, telegram_id: int, admin_ids: list[int]
    ) -> None:
        """An operator blocked a bot: no more contacts from it; their work there is requeued."""
        async with self.session.begin():
            await self.deliveries.fail_chat(source_id, telegram_id, "operator blocked the bot")
            operator = await self.operators.by_telegram_id(telegram_id)
            if operator is None:
                return
            await self.operators.set_link(operator.id, source_id, unreachable=True)
            rows = await self.contacts.open_of_operator(operator.id, source_id)
            for contact, _lead, _source in rows:
                await self.contacts.requeue(contact.id, operator.id)
            if rows:
                await self.operators.release_slot(operator.id, len(rows))
            source = await self.sources.get(source_id)
            assert source is not None  # it sent the message that was refused
            self.alert(
                source_id,
                admin_ids,
                "operator_unreachable",
                operator=operator.display_name,
                telegram_id=telegram_id,
                source=source.username,
                requeued=len(rows),
            )
        self.signal.notify()
        await self.assign_pending()

    def alert(self, source_id: int, admin_ids: list[int], what: str, **params: object) -> None:
        """Stage an alert to every admin through one bot."""
        for admin_id in admin_ids:
            self.outbox.notice(source_id, admin_id, Notice.ADMIN_ALERT, what=what, **params)

    async def gave_up(self, delivery: Delivery, error: str, admin_ids: list[int]) -> None:
        """A message could not be delivered after every retry: record it and tell the admins."""
        async with self.session.begin():
            await self.deliveries.fail(delivery.id, error)
            is_alert = delivery.payload.get("key") == Notice.ADMIN_ALERT.value
            if not is_alert:  # an alert about a failed alert would loop
                self.alert(
                    delivery.source_id,
                    admin_ids,
                    "delivery_failed",
                    chat=delivery.chat_id,
                    contact_id=delivery.contact_id,
                    error=error,
                )
        self.signal.notify()


@dataclass(frozen=True, slots=True)
class _Sent:
    """Deliveries Telegram took (one, or an album), waiting to be recorded."""

    batch: list[Delivery]
    message_ids: list[int | None]  # Telegram's, in the order of ``batch``
    seconds: float  # how long the request took


class DeliveryWorker:
    """Sends pending deliveries until stopped; any number may run, in any process.

    One loop leases what is due and records what was sent, both in one transaction: what
    Telegram took while the loop waited for the database is recorded at once (group commit),
    so the worker needs few transactions however busy it is, and leaves the one SQLite
    connection to the incoming updates. Every leased message is then sent by a task of its
    own, which first waits for its turn (pacing).
    """

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        transport: Transport,
        service_factory: Callable[[AsyncSession], DeliveryService],
        admin_ids: list[int],
        *,
        pacing: Pacing | None = None,
        config: WorkerConfig | None = None,
        on_sent: Callable[[Delivery, float], Awaitable[None] | None] | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.transport = transport
        self.service_factory = service_factory
        self.admin_ids = admin_ids
        self.pacer = Pacer(pacing or Pacing())
        self.config = config or WorkerConfig()
        self.on_sent = on_sent
        self.wakeup = asyncio.Event()
        self._in_flight: set[asyncio.Task[None]] = set()
        self._leased: set[int] = set()  # ids of the deliveries leased and not yet settled
        self._sent: list[_Sent] = []
        self._one_at_a_time = asyncio.Lock()  # run_once of the loop, and of drain
        # This worker's name in sources.sender: one worker sends for a bot at a time, so the
        # pacing above holds however many processes run.
        self.sender = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._sending: list[int] = []  # ids of the sources this worker sends for
        self._sending_taken = -math.inf  # time.monotonic() of the last take_sending

    def notify(self) -> None:
        """``OutboxSignal``: something was staged; look now instead of at the next poll."""
        self.wakeup.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Send until ``stop`` is set, then finish the messages in flight and hand this
        worker's bots over to the other processes."""
        renewing = asyncio.create_task(self._renew_leases(), name="delivery-leases")
        try:
            await self._run(stop)
        finally:
            renewing.cancel()
        async with self.session_factory() as session, session.begin():
            await self.service_factory(session).sources.release_sending(self.sender)
        self._sending, self._sending_taken = [], -math.inf

    async def _run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.wakeup.clear()  # before looking: a wake-up meanwhile is not lost
            if await self.run_once():
                continue
            waiters = [
                asyncio.ensure_future(self.wakeup.wait()),
                asyncio.ensure_future(stop.wait()),
            ]
            # Wake on new work, when a message was sent or put back (its chat's next one may
            # be due), on stop, or after idle_poll (retries that became due, other processes').
            await asyncio.wait(
                waiters, timeout=self.config.idle_poll, return_when=asyncio.FIRST_COMPLETED
            )
            for waiter in waiters:
                waiter.cancel()
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)
        await self.run_once(lease=False)

    async def run_once(self, *, lease: bool = True) -> int:
        """Record what was sent since the last call, lease what is due now (the head of each
        chat) unless ``lease`` is false, and start sending it; how many were leased."""
        async with self._one_at_a_time:  # so drain() sees the tasks the loop is starting
            return await self._run_once(lease)

    async def _run_once(self, lease: bool) -> int:
        sent, self._sent = self._sent, []
        free = self.config.max_in_flight - len(self._in_flight) if lease else 0
        if not sent and free <= 0:
            return 0
        try:
            async with self.session_factory() as session, session.begin():
                service = self.service_factory(session)
                await _record(service, sent)
                heads = []
                if free > 0 and (sources := await self._sources_to_send_for(service)):
                    heads = await service.deliveries.claim(free, self.config.lease, sources)
                batches = [
                    (
                        await service.deliveries.claim_album(head.delivery, self.config.lease),
                        head.backlog,
                    )
                    for head in heads
                ]
        except BaseException:
            self._sent[:0] = sent  # rolled back: recorded by the next transaction
            raise
        for batch, backlog in batches:
            self._leased.update(delivery.id for delivery in batch)
            task = asyncio.create_task(self._deliver_logged(batch, backlog))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        for done in sent:
            self._leased.difference_update(delivery.id for delivery in done.batch)
            await self._report(done)
        return len(batches)

    async def drain(self) -> None:
        """Send everything due now and wait for it (scripts and tests)."""
        while True:
            leased = await self.run_once()
            if self._in_flight:
                await asyncio.gather(*self._in_flight, return_exceptions=True)
            elif not leased and not self._sent:
                return

    async def _report(self, done: _Sent) -> None:
        """Tell ``on_sent`` (metrics); its failure must not stop the sending."""
        if self.on_sent is None:
            return
        try:
            for delivery in done.batch:
                outcome = self.on_sent(delivery, done.seconds)
                if outcome is not None:
                    await outcome
        except Exception:
            log.exception("on_sent failed for delivery %s", done.batch[0].id)

    async def _deliver_logged(self, batch: list[Delivery], backlog: int) -> None:
        """Send one batch; what Telegram took is recorded by the loop's next transaction."""
        try:
            sent = await self._deliver(batch, backlog)
        except Exception:
            # Recording a failure failed (database hiccup): the lease expires, and the
            # delivery is tried again.
            log.exception("recording the outcome of delivery %s failed", batch[0].id)
            sent = None
        if sent is None:
            self._leased.difference_update(delivery.id for delivery in batch)
        else:
            self._sent.append(sent)
        self.wakeup.set()

    async def _sources_to_send_for(
        self, service: DeliveryService, *, renew: bool = False
    ) -> list[int]:
        """The bots this worker sends for: taken or renewed every quarter of the lease (or now,
        with ``renew``), so another process takes them over within a lease if this one dies.
        A worker that sends for none asks every time (it has nothing else to do)."""
        now = time.monotonic()
        stale = now - self._sending_taken > self.config.lease.total_seconds() / 4
        if renew or stale or not self._sending:
            self._sending = await service.sources.take_sending(self.sender, self.config.lease)
            self._sending_taken = now
        return self._sending

    async def _renew_leases(self) -> None:
        """Keep the leases of the messages in flight (waiting for their turn, being sent, or
        sent and not yet recorded) from expiring; if this process dies they expire within
        ``lease``, and another worker sends them."""
        lease = self.config.lease
        while True:
            await asyncio.sleep(lease.total_seconds() / 4)
            try:
                async with self.session_factory() as session, session.begin():
                    service = self.service_factory(session)
                    # Also when the loop is too busy to (every message slot in flight).
                    await self._sources_to_send_for(service, renew=True)
                    if self._leased:
                        await service.deliveries.extend_lease(list(self._leased), lease)
            except Exception:  # the next round tries again; a lease outlives three misses
                log.exception("renewing the leases of %d deliveries failed", len(self._leased))

    async def _deliver(self, batch: list[Delivery], backlog: int) -> _Sent | None:
        """Send a batch (its chat has ``backlog`` messages pending in all) and handle a
        failure; what Telegram took, if it did."""
        head = batch[0]
        await self.pacer.wait(head.source_id, head.chat_id, len(batch), backlog)
        started = time.monotonic()
        try:
            try:
                sent_ids = await self.transport.send(batch)
            finally:
                self.pacer.settle(head.source_id, head.chat_id, len(batch))
        except RetryAfter as exc:
            self.pacer.penalise(head.source_id, head.chat_id, exc.seconds)
            await self._retry(batch, exc.seconds, str(exc), count_attempt=False)
        except Unreachable as exc:
            await self._unreachable(head, str(exc))
        except Rejected as exc:
            await self._give_up(batch, f"rejected: {exc}")
        except Exception as exc:  # Transient, or a bug: retried, but not forever
            if not isinstance(exc, Transient):
                log.exception("delivery %s failed unexpectedly", head.id)
            if head.attempts >= self.config.max_attempts:
                await self._give_up(batch, f"gave up after {head.attempts} attempts: {exc}")
            else:
                backoff = self.config.base_backoff * 2 ** (head.attempts - 1)
                await self._retry(batch, min(backoff, self.config.max_backoff), str(exc))
        else:
            seconds = time.monotonic() - started
            if len(sent_ids) == len(batch):
                return _Sent(batch, list(sent_ids), seconds)
            # copyMessages skips messages the client deleted meanwhile: which ones is unknown.
            log.warning("album of delivery %s: %d of %d copied", head.id, len(sent_ids), len(batch))
            return _Sent(batch, [None] * len(batch), seconds)
        return None

    async def _retry(
        self, batch: list[Delivery], delay: float, error: str, *, count_attempt: bool = True
    ) -> None:
        when = utcnow() + timedelta(seconds=delay)
        async with self.session_factory() as session, session.begin():
            deliveries = self.service_factory(session).deliveries
            for delivery in batch:
                await deliveries.retry_at(delivery.id, when, error, count_attempt=count_attempt)

    async def _give_up(self, batch: list[Delivery], error: str) -> None:
        log.error("giving up on delivery %s to chat %s: %s", batch[0].id, batch[0].chat_id, error)
        for delivery in batch:
            async with self.session_factory() as session:
                await self.service_factory(session).gave_up(delivery, error, self.admin_ids)

    async def _unreachable(self, delivery: Delivery, error: str) -> None:
        log.warning(
            "chat %s unreachable in source %s: %s", delivery.chat_id, delivery.source_id, error
        )
        async with self.session_factory() as session:
            service = self.service_factory(session)
            if await service.is_operator(delivery.chat_id):
                await service.operator_unreachable(
                    delivery.source_id, delivery.chat_id, self.admin_ids
                )
            elif delivery.chat_id in self.admin_ids:
                await service.gave_up(delivery, error, [])
            else:
                await service.client_blocked(delivery.source_id, delivery.chat_id)


async def _record(service: DeliveryService, sent: list[_Sent]) -> None:
    """Mark deliveries sent and remember where relayed messages were copied to."""
    pairs = [
        (delivery, message_id)
        for done in sent
        for delivery, message_id in zip(done.batch, done.message_ids, strict=True)
    ]
    await service.deliveries.mark_sent([(delivery.id, sent_id) for delivery, sent_id in pairs])
    for delivery, message_id in pairs:
        if (
            message_id is not None
            and delivery.kind == DeliveryKind.COPY
            and delivery.message_id is not None
        ):
            await service.messages.set_copy(delivery.message_id, delivery.chat_id, message_id)
