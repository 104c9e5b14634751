"""Sending the outbox: paced, ordered per chat, retried, and safe with several processes.

The worker leases the oldest pending delivery of each chat (so a chat's messages go out in
order), sends it through a ``Transport`` (implemented by the bot with aiogram), paced by a
``Pacer``, and records the outcome; what an outcome means for contacts (a blocked bot, a
message given up on) is the ``DeliveryService``'s. A 429 waits ``retry_after``; a bot through
which Telegram cannot be reached (5xx, timeouts, network errors) is probed by one message at
a time (``Outages``) while its others wait, for as long as it takes: only Telegram refusing a
message for good gives it up.
"""

import asyncio
import logging
import math
import os
import random
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.models import Delivery, DeliveryKind
from db.repositories.deliveries import Head
from db.sender_role import SenderRole, sender_role
from services.delivery.outages import Backoff, Outages
from services.delivery.pacing import Pacer
from services.delivery.reactions import DeliveryService
from services.delivery.transport import Rejected, RetryAfter, Transient, Transport, Unreachable

log = logging.getLogger(__name__)


async def wait_for_work(wakeup: asyncio.Event, stop: asyncio.Event, seconds: float) -> None:
    """Wait until ``wakeup`` or ``stop`` is set, or for ``seconds``: how the outbox
    workers idle between rounds."""
    waiters = [asyncio.ensure_future(wakeup.wait()), asyncio.ensure_future(stop.wait())]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


class Wakeup:
    """The ``OutboxSignal`` the worker waits on: made first, handed to the services that stage
    deliveries and to the worker that sends them."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self._others: list[asyncio.Event] = []

    def listen(self) -> asyncio.Event:
        """Another event set at every ``notify``, for another worker waiting on the same
        commits (the webhook sender): each clears its own."""
        event = asyncio.Event()
        self._others.append(event)
        return event

    def notify(self) -> None:
        """Something was staged: the workers look now instead of at their next poll."""
        self.event.set()
        for event in self._others:
            event.set()


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """Tuning of the delivery worker."""

    max_in_flight: int = 200
    # Renewed every quarter of it while a message is in flight. A worker that takes a bot
    # over lifts the leases of its messages at once, so this is only how long a message
    # stays leased by a worker that lost the bot without noticing.
    lease: timedelta = timedelta(seconds=10)
    # Errors that are neither Telegram's answer nor its absence (a bug of ours, a payload
    # that cannot be rendered) give a message up after this many attempts.
    max_attempts: int = 8
    # Probing a bot through which Telegram is unreachable, and when to tell the admins.
    backoff: Backoff = field(default_factory=Backoff)
    # How often a worker tries to take the bots nobody holds (a crashed process's).
    takeover_poll: float = 0.5
    idle_poll: float = 1.0


@dataclass(frozen=True, slots=True)
class _Sent:
    """Deliveries Telegram took (one, or an album), waiting to be recorded."""

    batch: list[Delivery]
    message_ids: list[int | None]  # Telegram's, in the order of ``batch``
    seconds: float  # how long the request took
    # A copy that was to carry its card but went as two messages: the card's message id.
    card_message_id: int | None = None


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
        wakeup: Wakeup,
        pacer: Pacer,
        admin_ids: list[int],
        *,
        config: WorkerConfig | None = None,
        on_sent: Callable[[Delivery, float], Awaitable[None] | None] | None = None,
        on_degraded: Callable[[int, bool], None] | None = None,
        role: SenderRole | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.transport = transport
        self.service_factory = service_factory
        self.admin_ids = admin_ids
        self.pacer = pacer
        self.config = config or WorkerConfig()
        self.on_sent = on_sent
        self.on_degraded = on_degraded  # (source id, degraded or recovered): metrics
        self.wakeup = wakeup.event
        # Who sends for a bot: held until this worker stops or its process dies.
        bind = session_factory.kw["bind"]
        self.role = role or sender_role(bind)
        self.outages = Outages(self.config.backoff, rng or random.Random())
        self._in_flight: set[asyncio.Task[None]] = set()
        self._leased: set[int] = set()  # ids of the deliveries leased and not yet settled
        self._sent: list[_Sent] = []
        self._one_at_a_time = asyncio.Lock()  # run_once of the loop, and of drain
        # This worker's name in sources.sender: one worker sends for a bot at a time, so the
        # pacing above holds however many processes run.
        self.sender = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._sending: list[int] = []  # ids of the sources this worker sends for
        self._sending_taken = -math.inf  # time.monotonic() of the last try to take bots
        self._sources: list[int] = []  # ids of every source, as last seen

    async def run(self, stop: asyncio.Event) -> None:
        """Send until ``stop`` is set, then finish the messages in flight and hand this
        worker's bots over to the other processes."""
        renewing = asyncio.create_task(self._renew_leases(), name="delivery-leases")
        try:
            await self._run(stop)
        finally:
            renewing.cancel()
        try:
            async with self.session_factory() as session, session.begin():
                await self.service_factory(session).sources.release_sending(self.sender)
        finally:
            await self.role.release()
        self._sending, self._sending_taken = [], -math.inf

    async def _run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.wakeup.clear()  # before looking: a wake-up meanwhile is not lost
            if await self.run_once():
                continue
            # Wake on new work, when a message was sent or put back (its chat's next one may
            # be due), on stop, when a down bot's probe is due, or after idle_poll (retries
            # that became due, other processes' messages, bots nobody holds any more).
            probe = self.outages.seconds_to_probe()
            timeout = self.config.idle_poll if probe is None else min(probe, self.config.idle_poll)
            await wait_for_work(self.wakeup, stop, timeout)
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
                heads = await self._claim(service, free) if free > 0 else []
                batches = [
                    (
                        await service.deliveries.claim_album(head.delivery, self.config.lease),
                        head.backlog,
                        probe,
                    )
                    for head, probe in heads
                ]
        except BaseException:
            self._sent[:0] = sent  # rolled back: recorded by the next transaction
            self.outages.unprobe_all()  # the probes it leased are not on their way
            raise
        for batch, backlog, probe in batches:
            self._leased.update(delivery.id for delivery in batch)
            task = asyncio.create_task(self._deliver_logged(batch, backlog, probe))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        for done in sent:
            self._leased.difference_update(delivery.id for delivery in done.batch)
            await self._report(done)
        return len(batches)

    async def _claim(self, service: DeliveryService, free: int) -> list[tuple[Head, bool]]:
        """Lease up to ``free`` chats' heads of the bots this worker sends for, and whether
        each is a probe: of a bot that is down, only its probe when one is due."""
        sources = await self._sources_to_send_for(service)
        working = [source for source in sources if not self.outages.is_down(source)]
        heads = (
            [
                (head, False)
                for head in await service.deliveries.claim(free, self.config.lease, working)
            ]
            if working
            else []
        )
        for source in sources:
            if len(heads) >= free or not self.outages.is_down(source):
                continue
            if self.outages.probe_due(source):
                probe = await service.deliveries.claim(1, self.config.lease, [source])
                if probe:
                    heads.append((probe[0], True))
                else:
                    self.outages.unprobed(source)
        return heads

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

    async def _deliver_logged(self, batch: list[Delivery], backlog: int, probe: bool) -> None:
        """Send one batch; what Telegram took is recorded by the loop's next transaction."""
        try:
            sent = await self._deliver(batch, backlog, probe)
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
        """The bots this worker sends for: those whose sender role it holds, tried for every
        ``takeover_poll`` (or now, with ``renew``), so that the bots of a process that died
        are taken over as soon as its hold is gone. A worker that sends for none asks every
        time (it has nothing else to do)."""
        now = time.monotonic()
        stale = now - self._sending_taken > self.config.takeover_poll
        if renew or stale or not self._sending:
            self._sources = [source.id for source in await service.sources.bots()]
            held = await self.role.hold(self._sources)
            gained = sorted(set(held) - set(self._sending))
            if gained:
                log.info("sending for sources %s", gained)
                await service.sources.mark_sending(self.sender, gained)
                await service.deliveries.take_over(gained, sorted(self._leased))
            self._sending = held
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

    async def _deliver(self, batch: list[Delivery], backlog: int, probe: bool) -> _Sent | None:
        """Send a batch (its chat has ``backlog`` messages pending in all; ``probe``: its bot
        is down and this is the one message trying it) and handle a failure; what Telegram
        took, if it did."""
        head = batch[0]
        await self.pacer.wait(head.source_id, head.chat_id, len(batch), backlog)
        if head.source_id not in self._sending:
            # The bot was lost while this waited (the hold's connection broke): its new
            # sender lifts the lease and sends it, so two never send for one bot at once.
            return None
        started = time.monotonic()
        try:
            try:
                sent_ids = await self.transport.send(batch)
            finally:
                self.pacer.settle(head.source_id, head.chat_id, len(batch))
        except Transient as exc:
            await self._unanswered(batch, str(exc), probe=probe)
            return None
        except RetryAfter as exc:
            self.pacer.penalise(head.source_id, head.chat_id, exc.seconds)
            await self._answered(head.source_id)
            await self._retry(batch, exc.seconds, str(exc), count_attempt=False)
        except Unreachable as exc:
            await self._answered(head.source_id)
            await self._unreachable(head, str(exc))
        except Rejected as exc:
            await self._answered(head.source_id)
            await self._give_up(batch, f"rejected: {exc}")
        except Exception as exc:  # a bug: retried, but not forever
            log.exception("delivery %s failed unexpectedly", head.id)
            if probe:
                self.outages.unprobed(head.source_id)
            if head.attempts >= self.config.max_attempts:
                await self._give_up(batch, f"gave up after {head.attempts} attempts: {exc}")
            else:
                backoff = self.config.backoff.base * 2 ** (head.attempts - 1)
                await self._retry(batch, min(backoff, self.config.backoff.cap), str(exc))
        else:
            await self._answered(head.source_id)
            seconds = time.monotonic() - started
            if len(sent_ids) == len(batch):
                return _Sent(batch, list(sent_ids), seconds)
            if len(batch) == 1 and len(sent_ids) == 2 and head.payload.get("card"):
                return _Sent(batch, [sent_ids[0]], seconds, card_message_id=sent_ids[1])
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

    async def _unanswered(self, batch: list[Delivery], error: str, *, probe: bool) -> None:
        """Telegram could not be reached through the batch's bot: the bot is down until a
        message goes through it again; the batch goes back to the head of its chat's line,
        without using up an attempt, and waits there however long the outage lasts."""
        head = batch[0]
        if not self.outages.is_down(head.source_id):
            log.warning("sending through source %s failed: %s", head.source_id, error)
        outage = self.outages.failed(head.source_id, probe=probe)
        await self._retry(batch, 0.0, error, count_attempt=False)
        if outage is None:
            return
        minutes = _minutes(self.outages.lasted(outage))
        log.error(
            "degraded: Telegram has taken nothing through source %s for %d min",
            head.source_id,
            minutes,
        )
        if self.on_degraded is not None:
            self.on_degraded(head.source_id, True)
        # Through a bot that works, if any: the admins hear it now rather than after.
        outage.via = next((s for s in self._sources if not self.outages.is_down(s)), head.source_id)
        async with self.session_factory() as session:
            await self.service_factory(session).bot_degraded(
                head.source_id, outage.via, minutes, self.admin_ids
            )

    async def _answered(self, source_id: int) -> None:
        """Telegram answered a message through this bot: if it was down, it is up again."""
        outage = self.outages.succeeded(source_id)
        if outage is None:
            return
        self.wakeup.set()  # its other messages may go now
        lasted = self.outages.lasted(outage)
        log.warning("source %s sends again after %.1f s", source_id, lasted)
        if not outage.alerted:
            return
        if self.on_degraded is not None:
            self.on_degraded(source_id, False)
        via = outage.via if outage.via is not None else source_id
        async with self.session_factory() as session:
            await self.service_factory(session).bot_recovered(
                source_id, via, _minutes(lasted), self.admin_ids
            )

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


# Deliveries that send a stored message of a contact (a copy, a template's text): where it
# went is remembered, so edits can reach it.
_STORED_MESSAGES = frozenset({DeliveryKind.COPY, DeliveryKind.TEXT})


def _minutes(seconds: float) -> int:
    """A period as the admins read it: whole minutes, at least one."""
    return max(1, math.ceil(seconds / 60))


async def _record(service: DeliveryService, sent: list[_Sent]) -> None:
    """Mark deliveries sent and remember where relayed messages were copied to."""
    pairs = [
        (delivery, message_id)
        for done in sent
        for delivery, message_id in zip(done.batch, done.message_ids, strict=True)
    ]
    await service.deliveries.mark_sent([(delivery.id, sent_id) for delivery, sent_id in pairs])
    for done in sent:
        if done.card_message_id is not None:
            # Replies to the card reach the contact, as replies to the copy do.
            await service.card_sent_apart(done.batch[0], done.card_message_id)
    for delivery, message_id in pairs:
        if (
            message_id is not None
            and delivery.kind in _STORED_MESSAGES
            and delivery.message_id is not None
        ):
            await service.messages.set_copy(delivery.message_id, delivery.chat_id, message_id)
