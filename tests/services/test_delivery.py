"""The delivery worker against a scripted transport: order, retries, give-up, 403 effects."""

import asyncio
import random
from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import Contact, ContactStatus, Delivery, DeliveryStatus, OperatorSource
from db.repositories import DeliveryRepository
from services.contacts import ContactService
from services.delivery import (
    Backoff,
    DeliveryService,
    DeliveryWorker,
    Pacer,
    Pacing,
    Rejected,
    RetryAfter,
    Transient,
    Unreachable,
    Wakeup,
    WorkerConfig,
)
from services.errors import OperatorFull
from tests.harness import eventually
from tests.support.incoming import incoming

ADMIN = 1


class ScriptedTransport:
    """Records what was sent per chat; raises the scripted errors first."""

    def __init__(self):
        self.sent: dict[int, list[int]] = defaultdict(list)  # chat → delivery ids
        self.errors: dict[int, list[Exception]] = defaultdict(list)  # chat → errors to raise
        self.next_id = 1000

    async def send(self, deliveries):
        chat = deliveries[0].chat_id
        if self.errors[chat]:
            raise self.errors[chat].pop(0)
        ids = []
        for d in deliveries:
            self.sent[chat].append(d.id)
            self.next_id += 1
            ids.append(self.next_id)
        return ids


FAST = Pacing(bot_rate=10_000, bot_burst=10_000, chat_rate=10_000, chat_burst=10_000)


@pytest.fixture
def transport():
    return ScriptedTransport()


@pytest.fixture
async def make_worker(session_factory):
    """Workers on the test's database; each lets go of its bots at the end (as its process
    would by ending), so that the next test's worker can hold them."""
    made: list[DeliveryWorker] = []

    def make(transport) -> DeliveryWorker:
        rng = random.Random(3)
        wakeup = Wakeup()

        def service(session):
            return DeliveryService(session, rng, wakeup)

        config = WorkerConfig(backoff=Backoff(base=0.0, cap=0.0, alert_after=60), max_attempts=3)
        worker = DeliveryWorker(
            session_factory, transport, service, wakeup, Pacer(FAST), [ADMIN], config=config
        )
        made.append(worker)
        return worker

    yield make
    for worker in made:
        await worker.role.release()


@pytest.fixture
def worker(make_worker, transport):
    return make_worker(transport)


async def statuses(session_factory):
    async with session_factory() as session:
        rows = (await session.execute(select(Delivery).order_by(Delivery.id))).scalars()
        return {d.id: (d.chat_id, d.status, d.attempts) for d in rows}


async def register(session_factory, source, user, message_id=1):
    return await ContactService(session_factory(), random.Random(1)).register_incoming(
        incoming(source, user, message_id)
    )


async def test_everything_is_sent_once_in_order_per_chat(
    worker, transport, session_factory, add_source, add_operator
):
    source = await add_source()
    operator = await add_operator([source], max_open=100)
    for user in range(1, 6):
        for n in range(1, 4):
            await register(session_factory, source, user, n)
    transport.errors[operator.telegram_id] = [Transient("502"), RetryAfter(0)]

    await worker.drain()

    rows = await statuses(session_factory)
    assert {s for _, s, _ in rows.values()} == {DeliveryStatus.SENT}
    for chat, ids in transport.sent.items():
        assert ids == sorted(ids), chat
        assert len(ids) == len(set(ids))
    assert len(transport.sent[operator.telegram_id]) == 5 + 15  # cards and copies


async def test_telegram_unreachable_never_gives_a_message_up(
    worker, transport, session_factory, add_source, add_operator
):
    source = await add_source()
    operator = await add_operator([source])
    await register(session_factory, source, 42)
    transport.errors[42] = [Transient("502 Bad Gateway")] * 20  # far beyond max_attempts

    await worker.drain()

    rows = await statuses(session_factory)
    assert {s for _, s, _ in rows.values()} == {DeliveryStatus.SENT}
    assert len(transport.sent[42]) == 1  # the acknowledgement, once
    assert len(transport.sent[operator.telegram_id]) == 2  # the card and the copy
    assert ADMIN not in transport.sent  # shorter than alert_after: nobody is bothered


async def test_an_unexpected_error_gives_up_after_the_bound_and_tells_the_admins(
    worker, transport, session_factory, add_source, add_operator
):
    source = await add_source()
    await add_operator([source])
    await register(session_factory, source, 42)
    transport.errors[42] = [ValueError("cannot render")] * 10

    await worker.drain()

    rows = await statuses(session_factory)
    failed = [(chat, attempts) for chat, s, attempts in rows.values() if s is DeliveryStatus.FAILED]
    assert failed == [(42, 3)]
    assert len(transport.sent[ADMIN]) == 1  # the alert


async def test_rejected_is_not_retried(
    worker, transport, session_factory, add_source, add_operator
):
    source = await add_source()
    await add_operator([source])
    await register(session_factory, source, 42)
    transport.errors[42] = [Rejected("message to copy not found")]
    await worker.drain()
    failed = [
        a for chat, s, a in (await statuses(session_factory)).values() if s is DeliveryStatus.FAILED
    ]
    assert failed == [1]


async def test_client_who_blocked_the_bot_gets_contact_closed(
    worker, transport, session_factory, add_source, add_operator
):
    source = await add_source()
    operator = await add_operator([source], max_open=1)
    first = await register(session_factory, source, 42)
    queued = await register(session_factory, source, 43)
    transport.errors[42] = [Unreachable("Forbidden: bot was blocked by the user")]

    await worker.drain()

    async with session_factory() as session:
        contacts = {c.id: c for c in (await session.execute(select(Contact))).scalars()}
    assert contacts[first.contact_id].status is ContactStatus.CLOSED
    assert contacts[queued.contact_id].operator_id == operator.id  # the freed slot was reused


async def test_operator_who_blocked_the_bot_loses_the_source(
    worker, transport, session_factory, add_source, add_operator
):
    source = await add_source()
    blocked = await add_operator([source], weight=1)
    await register(session_factory, source, 42)
    other = await add_operator([source], weight=1)
    transport.errors[blocked.telegram_id] = [Unreachable("Forbidden: bot was blocked by the user")]

    await worker.drain()

    async with session_factory() as session:
        link = (
            await session.execute(
                select(OperatorSource).where(OperatorSource.operator_id == blocked.id)
            )
        ).scalar_one()
        contact = (await session.execute(select(Contact))).scalar_one()
    assert link.unreachable
    assert contact.operator_id == other.id
    assert len(transport.sent[ADMIN]) == 1
    assert len(transport.sent[other.telegram_id]) == 2  # card + copy


async def test_a_leased_delivery_is_not_claimed_twice(session_factory, add_source, add_operator):
    source = await add_source()
    operator = await add_operator([source])
    await register(session_factory, source, 42)
    lease = timedelta(seconds=60)
    async with session_factory() as one, one.begin():
        first = await DeliveryService(one, random.Random()).deliveries.claim(10, lease, [source.id])
    async with session_factory() as two, two.begin():
        second = await DeliveryService(two, random.Random()).deliveries.claim(
            10, lease, [source.id]
        )
    assert sorted(head.delivery.chat_id for head in first) == sorted([42, operator.telegram_id])
    assert second == []  # each chat's head is leased; later messages wait behind it


async def test_messages_staged_in_a_failed_transaction_are_never_sent(session_factory, add_source):
    source = await add_source()
    async with session_factory() as session:
        outbox = DeliveryRepository(session)
        with pytest.raises(OperatorFull):
            async with session.begin():
                outbox.add(source.id, 10, "notice", {"key": "lost"})
                raise OperatorFull(ref="@anyone")
        # The same session goes on (as the bot's does within one update).
        async with session.begin():
            outbox.add(source.id, 20, "notice", {"key": "first"})
            outbox.add(source.id, 10, "notice", {"key": "second"})

    async with session_factory() as session:
        rows = (await session.execute(select(Delivery.chat_id, Delivery.payload))).all()
    assert [(chat, payload["key"]) for chat, payload in rows] == [(20, "first"), (10, "second")]


async def test_one_worker_sends_for_a_bot_however_many_run(
    session_factory, add_source, add_operator, make_worker
):
    # Every process runs a worker; each paces the bots it sends for, so two sending for one
    # bot would together exceed Telegram's limit for it.
    shop, app = await add_source(), await add_source()
    await add_operator([shop, app], max_open=100)
    first, second = ScriptedTransport(), ScriptedTransport()
    one, two = make_worker(first), make_worker(second)

    await register(session_factory, shop, 11)
    await one.drain()  # the first to look takes every bot nobody sends for
    await register(session_factory, app, 12)
    await two.drain()
    assert second.sent == {}
    await one.drain()
    assert set(first.sent) >= {11, 12}

    # The first process dies, and its hold on the bots with it: the second takes them over
    # at its next look, with the message the first had leased and not sent.
    await register(session_factory, shop, 13)
    await two.drain()
    assert second.sent == {}
    async with session_factory() as session, session.begin():
        heads = await DeliveryRepository(session).claim(10, timedelta(minutes=1), [shop.id])
    assert 13 in {head.delivery.chat_id for head in heads}  # leased as by the first, unsent
    await one.role.release()  # what its process's death does
    await two.drain()
    assert 13 in second.sent
    assert 13 not in first.sent


async def test_a_stopping_worker_hands_its_bots_over_at_once(
    session_factory, add_source, add_operator, make_worker
):
    source = await add_source()
    await add_operator([source], max_open=100)
    first, second = ScriptedTransport(), ScriptedTransport()
    one, two = make_worker(first), make_worker(second)
    await register(session_factory, source, 21)
    stop = asyncio.Event()
    running = asyncio.create_task(one.run(stop))
    await eventually(_sent_to(first, 21), "the first worker sent to chat 21", timeout=10)
    stop.set()
    await running

    await register(session_factory, source, 22)
    await two.drain()
    assert 22 in second.sent
    assert 22 not in first.sent


def _sent_to(transport: ScriptedTransport, chat: int):
    async def check() -> bool:
        return chat in transport.sent

    return check
