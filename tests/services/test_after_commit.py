"""What a commit asks for happens by itself: the worker is woken once deliveries are written,
the queue drains once capacity is freed, and a rolled back transaction asks for nothing."""

import random

import pytest
from sqlalchemy import select, update

from db.models import Contact, Operator
from services.base import Actor
from services.contacts import ContactService
from services.notices import OperatorActivated
from tests.support.incoming import incoming


class CountingSignal:
    """Counts the wake-ups of the delivery worker."""

    def __init__(self) -> None:
        self.wakeups = 0

    def notify(self) -> None:
        self.wakeups += 1


async def test_a_commit_that_staged_deliveries_wakes_the_worker(
    session_factory, add_source, add_operator
):
    source = await add_source()
    await add_operator([source])
    signal = CountingSignal()
    service = ContactService(session_factory(), random.Random(1), signal)

    await service.register_incoming(incoming(source, 42))

    assert signal.wakeups == 1


async def test_a_rolled_back_transaction_neither_wakes_the_worker_nor_drains(
    session_factory, add_source, add_operator
):
    source = await add_source()
    await add_operator([source], max_open=0)
    await ContactService(session_factory(), random.Random(1)).register_incoming(
        incoming(source, 43)
    )
    async with session_factory() as session, session.begin():
        await session.execute(update(Operator).values(max_open=1))
    signal = CountingSignal()
    service = ContactService(session_factory(), random.Random(1), signal)

    with pytest.raises(RuntimeError):
        async with service.transaction():
            service.outbox.notice(source.id, 7, OperatorActivated(), language=None)
            service.drain_queue_after_commit()
            raise RuntimeError("undone")
    # The same session goes on: its next commit asks only for what it did itself.
    async with service.transaction():
        pass

    assert signal.wakeups == 0
    async with session_factory() as session:
        queued = (await session.execute(select(Contact).where(Contact.operator_id.is_(None)))).all()
    assert len(queued) == 1


async def test_closing_drains_the_queue_after_the_commit(session_factory, add_source, add_operator):
    source = await add_source()
    operator = await add_operator([source], max_open=1)
    first = await ContactService(session_factory(), random.Random(1)).register_incoming(
        incoming(source, 42)
    )
    queued = await ContactService(session_factory(), random.Random(1)).register_incoming(
        incoming(source, 43)
    )
    signal = CountingSignal()

    await ContactService(session_factory(), random.Random(1), signal).close(
        first.contact_id, Actor("admin", 1)
    )

    async with session_factory() as session:
        contact = await session.get(Contact, queued.contact_id)
    assert contact is not None and contact.operator_id == operator.id
    assert signal.wakeups == 2  # the close's notices, then the handed-over contact's card
