"""Races between processes that PostgreSQL lets happen and SQLite serialises away.

Each test stops one transaction at a chosen point, lets a second one run into its locks and
then commits the first, so the interleaving is forced rather than hoped for.
"""

import asyncio
import random
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.models import (
    Contact,
    Delivery,
    DeliveryStatus,
    Direction,
    Message,
    Operator,
    Source,
    Topic,
    TopicWeight,
)
from db.repositories import (
    ContactRepository,
    DeliveryRepository,
    MessageRepository,
    OperatorRepository,
)
from services.assignment import Assigner
from services.base import Actor
from services.contacts import ContactService, Outcome, Registration
from services.errors import ContactAlreadyClosed, ContactChanged
from services.operators import OperatorMessage, OperatorService, RelayOutcome
from services.timers import TimerService
from tests.harness import eventually
from tests.support.db import TEST_DATABASE_URL
from tests.support.incoming import incoming

pytestmark = pytest.mark.skipif(
    TEST_DATABASE_URL is None or not TEST_DATABASE_URL.startswith("postgresql"),
    reason="needs TEST_DATABASE_URL on PostgreSQL: SQLite runs one transaction at a time",
)


async def _first_message(
    session_factory: async_sessionmaker[AsyncSession],
    source: Source,
    client: int,
    rng: random.Random,
) -> Registration:
    """A client's first message: their contact, assigned or queued."""
    return await ContactService(session_factory(), rng).register_incoming(
        incoming(source, client, 1)
    )


async def _closing(
    session_factory: async_sessionmaker[AsyncSession], contact_id: int, operator_id: int
) -> AsyncSession:
    """A transaction of another process closing the contact, not yet committed."""
    closing = session_factory()
    await closing.begin()
    closed, _ = await ContactRepository(closing).close(contact_id, "operator", "done")
    assert closed
    await OperatorRepository(closing).release_slot(operator_id)
    return closing


async def _wait_until_blocked_by(session: AsyncSession, holder: AsyncSession) -> None:
    """Wait until some backend waits for a lock that ``holder``'s transaction holds."""
    pid = (await holder.execute(text("SELECT pg_backend_pid()"))).scalar_one()
    query = text(
        "SELECT count(*) > 0 FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"
    )

    async def blocked() -> bool:
        return (await session.execute(query, {"pid": pid})).scalar_one()

    await eventually(blocked, "the second transaction waits for the first", every=0.01)


async def test_a_message_racing_the_assignment_of_its_queued_contact_reaches_the_operator(
    session_factory, add_source, add_operator
):
    source = await add_source()
    operator = await add_operator([source], max_open=0)
    rng = random.Random(1)
    first = await _first_message(session_factory, source, 700, rng)
    assert first.outcome is Outcome.QUEUED
    async with session_factory.begin() as session:
        await session.execute(update(Operator).values(max_open=1))

    # Another process starts assigning the queued contact (it takes the row lock) ...
    assigning = session_factory()
    await assigning.begin()
    step = await Assigner(assigning, rng).assign_next(set())
    assert step is not None and step.assignment is not None
    # ... while the client's second message arrives here.
    async with session_factory() as writer, session_factory() as observer:
        second = asyncio.create_task(
            ContactService(writer, rng).register_incoming(incoming(source, 700, 2))
        )
        await _wait_until_blocked_by(observer, assigning)
        await assigning.commit()
        await assigning.close()
        outcome = await second

    assert outcome.operator_telegram_id == operator.telegram_id
    async with session_factory() as session:
        copies = (
            await session.scalars(
                select(Delivery.payload).where(
                    Delivery.chat_id == operator.telegram_id, Delivery.kind == "copy"
                )
            )
        ).all()
    assert sorted(copy["message_id"] for copy in copies) == [1, 2]


async def test_a_message_racing_the_close_of_its_contact_opens_a_new_one(
    session_factory, add_source, add_operator
):
    source = await add_source()
    operator = await add_operator([source], max_open=5)
    rng = random.Random(2)
    first = await _first_message(session_factory, source, 800, rng)
    assert first.outcome is Outcome.ASSIGNED

    # Another process is closing the contact (an operator pressed Close) ...
    closing = await _closing(session_factory, first.contact_id, operator.id)
    # ... while the client writes again.
    async with session_factory() as writer, session_factory() as observer:
        second = asyncio.create_task(
            ContactService(writer, rng).register_incoming(incoming(source, 800, 2))
        )
        await _wait_until_blocked_by(observer, closing)
        await closing.commit()
        await closing.close()
        outcome = await second

    assert outcome.outcome is Outcome.ASSIGNED
    assert outcome.contact_id != first.contact_id
    async with session_factory() as session:
        contact_of = dict(
            (await session.execute(select(Message.telegram_message_id, Message.contact_id))).all()
        )
    assert contact_of == {1: first.contact_id, 2: outcome.contact_id}


async def test_renewing_leases_skips_a_message_whose_sending_is_being_recorded(
    session_factory, add_source, add_operator
):
    source = await add_source()
    await add_operator([source], max_open=5)
    await _first_message(session_factory, source, 900, random.Random(3))
    lease = timedelta(seconds=10)
    async with session_factory() as session, session.begin():
        heads = await DeliveryRepository(session).claim(10, lease, [source.id])
        (first, _), (second, _), *_ = heads
    # The worker's loop records that the second was sent (its transaction still open) ...
    recording = session_factory()
    await recording.begin()
    await DeliveryRepository(recording).mark_sent([(second.id, 77)])
    # ... while the lease renewal runs: it must not wait for that row (waiting on rows locked
    # in another order is how the two deadlocked), and it keeps the first leased.
    async with session_factory() as renewing, renewing.begin():
        renewal = DeliveryRepository(renewing).extend_lease([first.id, second.id], lease * 6)
        await asyncio.wait_for(renewal, timeout=10)
    await recording.commit()
    await recording.close()

    async with session_factory() as session:
        rows = {
            row.id: row
            for row in (await session.execute(select(Delivery))).scalars()
            if row.id in (first.id, second.id)
        }
    assert rows[first.id].claimed_until > first.claimed_until + lease  # renewed
    assert rows[second.id].status is DeliveryStatus.SENT
    assert rows[second.id].claimed_until is None  # and not leased again


async def test_two_processes_due_for_a_queue_alert_at_once_send_it_once(
    session_factory, add_source
):
    source = await add_source()
    await _first_message(session_factory, source, 700, random.Random(1))
    async with session_factory.begin() as session:
        await session.execute(update(Contact).values(created_at=utcnow() - timedelta(hours=1)))
    waited = timedelta(minutes=15)

    # One process is staging the alert right now ...
    first = session_factory()
    await first.begin()
    assert await TimerService(first, random.Random(1)).stage_queue_alert(waited, [1], source.id)
    # ... when another one's scheduler finds the queue just as old.
    async with session_factory() as second, session_factory() as observer:
        checking = asyncio.create_task(
            TimerService(second, random.Random(2)).queue_alert(waited, [1], source.id)
        )
        await _wait_until_blocked_by(observer, first)
        await first.commit()
        await first.close()
        assert not await checking

    async with session_factory() as session:
        alerts = (await session.scalars(select(Delivery.id).where(Delivery.chat_id == 1))).all()
    assert len(alerts) == 1


async def test_an_admin_moving_a_contact_that_is_being_closed_changes_nothing(
    session_factory, add_source, add_operator
):
    source = await add_source()
    ann = await add_operator([source], max_open=5, username="ann")
    bob = await add_operator([source], max_open=5, weight=0, username="bob")
    rng = random.Random(4)
    first = await _first_message(session_factory, source, 900, rng)
    assert first.operator_telegram_id == ann.telegram_id

    # Ann's process is closing the contact ...
    closing = await _closing(session_factory, first.contact_id, ann.id)
    # ... while an admin gives it to Bob in another.
    async with session_factory() as admin, session_factory() as observer:
        moving = asyncio.create_task(ContactService(admin, rng).reassign(first.contact_id, "@bob"))
        await _wait_until_blocked_by(observer, closing)
        await closing.commit()
        await closing.close()
        with pytest.raises(ContactChanged):
            await moving

    async with session_factory() as session:
        loads = {o.id: o.open_count for o in (await session.scalars(select(Operator))).all()}
        to_bob = (
            await session.scalars(select(Delivery).where(Delivery.chat_id == bob.telegram_id))
        ).all()
    assert loads == {ann.id: 0, bob.id: 0}  # Bob's slot given back, Ann's released once
    assert to_bob == []


async def test_an_operator_message_relayed_by_two_processes_at_once_goes_out_once(
    session_factory, add_source, add_operator
):
    source = await add_source()
    ann = await add_operator([source], max_open=5)
    rng = random.Random(5)
    first = await _first_message(session_factory, source, 950, rng)
    answer = OperatorMessage(source.id, ann.telegram_id, 500, "text", "Hello!")

    # Another process is relaying the same update (a redelivery, a second tap) ...
    holding = session_factory()
    await holding.begin()
    await MessageRepository(holding).add(
        answer.key, first.contact_id, Direction.OUT, "text", "Hello!", None
    )
    # ... when this one does.
    async with session_factory() as relaying, session_factory() as observer:
        relay = asyncio.create_task(OperatorService(relaying, rng).relay(answer))
        await _wait_until_blocked_by(observer, holding)
        await holding.commit()
        await holding.close()
        outcome = await relay

    assert (outcome.outcome, outcome.contact_id) == (RelayOutcome.DUPLICATE, first.contact_id)
    async with session_factory() as session:
        copies = (
            await session.scalars(
                select(Delivery).where(Delivery.chat_id == 950, Delivery.kind == "copy")
            )
        ).all()
    assert copies == []  # the other process stages the copy, not this one


async def test_a_move_to_a_topic_racing_the_close_of_its_contact_changes_nothing(
    session_factory, add_source, add_operator
):
    source = await add_source()
    ann = await add_operator([source], max_open=5, username="ann")
    bob = await add_operator([source], max_open=5, weight=0, username="bob")
    async with session_factory.begin() as session:
        topic = Topic(source_id=source.id, name="sales", title="Sales")
        session.add(topic)
        await session.flush()
        session.add(TopicWeight(topic_id=topic.id, operator_id=bob.id, weight=1))
        await session.execute(update(Source).values(has_topics=True))
    rng = random.Random(5)
    first = await _first_message(session_factory, source, 950, rng)
    assert first.operator_telegram_id == ann.telegram_id

    # Ann's process is closing the contact ...
    closing = await _closing(session_factory, first.contact_id, ann.id)
    # ... while she moves it to Sales (Bob's) in another.
    async with session_factory() as mover, session_factory() as observer:
        actor = Actor("operator", ann.telegram_id)
        moving = asyncio.create_task(
            ContactService(mover, rng).move_to_topic(first.contact_id, actor, "sales")
        )
        await _wait_until_blocked_by(observer, closing)
        await closing.commit()
        await closing.close()
        with pytest.raises((ContactChanged, ContactAlreadyClosed)):
            await moving

    async with session_factory() as session:
        loads = {o.id: o.open_count for o in (await session.scalars(select(Operator))).all()}
        to_bob = (
            await session.scalars(select(Delivery).where(Delivery.chat_id == bob.telegram_id))
        ).all()
        topic_of = await session.scalar(
            select(Contact.topic_id).where(Contact.id == first.contact_id)
        )
    assert loads == {ann.id: 0, bob.id: 0}  # nothing taken, Ann's slot released once
    assert to_bob == []
    assert topic_of is None
