"""ContactService: registering incoming messages, closing, reassigning."""

import asyncio
import random

import pytest
from sqlalchemy import func, select

from db.models import Contact, ContactStatus, Delivery, Message, Operator
from services.base import Actor
from services.contacts import ContactService, Outcome
from services.errors import (
    ContactAlreadyClosed,
    NotYourContact,
    OperatorFull,
    UnknownContact,
    UnknownOperator,
)
from services.operators import OperatorMessage, OperatorService
from tests.support.incoming import incoming


@pytest.fixture
def service(session_factory, rng):
    """A ContactService on its own session, as the bot's middleware gives one per update."""
    sessions = []

    def make(seed: int | None = None) -> ContactService:
        session = session_factory()
        sessions.append(session)
        return ContactService(session, random.Random(seed) if seed is not None else rng)

    yield make


async def deliveries_to(session_factory, chat_id: int) -> list[Delivery]:
    async with session_factory() as session:
        stmt = select(Delivery).where(Delivery.chat_id == chat_id).order_by(Delivery.id)
        return list((await session.execute(stmt)).scalars())


async def notice_keys(session_factory, chat_id: int) -> list[str]:
    return [d.payload.get("key", "copy") for d in await deliveries_to(session_factory, chat_id)]


async def test_first_message_opens_a_contact_and_assigns_it(
    service, session_factory, add_source, add_operator
):
    source = await add_source()
    operator = await add_operator([source])

    result = await service().register_incoming(incoming(source, 42))

    assert result.outcome is Outcome.ASSIGNED
    assert result.operator_telegram_id == operator.telegram_id
    # The operator gets the card, then a copy of the message; the client one acknowledgement.
    assert await notice_keys(session_factory, operator.telegram_id) == ["operator.card", "copy"]
    assert await notice_keys(session_factory, 42) == ["client.assigned"]
    async with session_factory() as session:
        op = await session.get(Operator, operator.id)
        assert op.open_count == 1


async def test_later_messages_go_to_the_same_operator(
    service, session_factory, add_source, add_operator
):
    source = await add_source()
    await add_operator([source])
    await add_operator([source])
    first = await service().register_incoming(incoming(source, 42, 1))
    later = [await service().register_incoming(incoming(source, 42, n)) for n in range(2, 6)]

    assert {r.outcome for r in later} == {Outcome.APPENDED}
    assert {r.contact_id for r in later} == {first.contact_id}
    assert {r.operator_telegram_id for r in later} == {first.operator_telegram_id}
    keys = await notice_keys(session_factory, first.operator_telegram_id)
    assert keys == ["operator.card"] + ["copy"] * 5


async def test_nobody_eligible_queues_and_tells_the_client(
    service, session_factory, add_source, add_operator
):
    source = await add_source()
    await add_operator([source], weight=0)
    await add_operator([source], active=False)
    await add_operator([source], started=False)
    await add_operator([source], max_open=0)

    result = await service().register_incoming(incoming(source, 42))
    appended = await service().register_incoming(incoming(source, 42, 2))

    assert result.outcome is Outcome.QUEUED and result.operator_telegram_id is None
    assert appended.outcome is Outcome.APPENDED and appended.contact_id == result.contact_id
    assert await notice_keys(session_factory, 42) == ["client.queued"]


async def test_duplicate_update_changes_nothing(service, session_factory, add_source, add_operator):
    source = await add_source()
    await add_operator([source])
    await service().register_incoming(incoming(source, 42, 7))

    again = await service().register_incoming(incoming(source, 42, 7))

    assert again.outcome is Outcome.DUPLICATE
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Message)) == 1
        assert await session.scalar(select(func.count()).select_from(Delivery)) == 3


async def test_the_same_lead_has_one_contact_per_source(service, add_source, add_operator):
    one, two = await add_source(), await add_source()
    await add_operator([one, two])
    a = await service().register_incoming(incoming(one, 42))
    b = await service().register_incoming(incoming(two, 42))
    assert a.outcome is b.outcome is Outcome.ASSIGNED
    assert a.contact_id != b.contact_id


async def test_concurrent_leads_never_exceed_limits(
    service, session_factory, add_source, add_operator
):
    source = await add_source()
    for _ in range(10):
        await add_operator([source], max_open=5)

    results = await asyncio.gather(
        *(service(seed=n).register_incoming(incoming(source, 10_000 + n)) for n in range(200))
    )

    outcomes = [r.outcome for r in results]
    assert outcomes.count(Outcome.ASSIGNED) == 50
    assert outcomes.count(Outcome.QUEUED) == 150
    async with session_factory() as session:
        operators = (await session.execute(select(Operator))).scalars().all()
        assert all(op.open_count == 5 for op in operators)
        per_operator = (
            await session.execute(
                select(Contact.operator_id, func.count())
                .where(Contact.operator_id.is_not(None))
                .group_by(Contact.operator_id)
            )
        ).all()
        assert sorted(n for _, n in per_operator) == [5] * 10


async def test_concurrent_messages_of_one_lead_open_one_contact(
    service, session_factory, add_source, add_operator
):
    source = await add_source()
    await add_operator([source])

    results = await asyncio.gather(
        *(service(seed=n).register_incoming(incoming(source, 42, n)) for n in range(1, 201))
    )

    assert len({r.contact_id for r in results}) == 1
    assert [r.outcome for r in results].count(Outcome.ASSIGNED) == 1
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Contact)) == 1
        assert await session.scalar(select(func.count()).select_from(Message)) == 200


async def test_a_client_who_is_an_operator_never_gets_their_own_contact(
    service, add_source, add_operator
):
    source = await add_source()
    carla = await add_operator([source], telegram_id=3001)

    own = await service().register_incoming(incoming(source, carla.telegram_id))
    assert own.outcome is Outcome.QUEUED

    other = await add_operator([source])
    assert [a.operator_id for a in await service().assign_pending()] == [other.id]


async def test_close_frees_the_slot_for_the_oldest_queued_contact(
    service, session_factory, add_source, add_operator
):
    source = await add_source()
    operator = await add_operator([source], max_open=1)
    first = await service().register_incoming(incoming(source, 1))
    queued = [await service().register_incoming(incoming(source, n)) for n in (2, 3, 4)]
    assert [r.outcome for r in queued] == [Outcome.QUEUED] * 3
    await service().register_incoming(incoming(source, 2, 2, "still there?"))

    await service().close(first.contact_id, Actor("operator", operator.telegram_id))

    async with session_factory() as session:
        contacts = {c.id: c for c in (await session.execute(select(Contact))).scalars()}
    assert contacts[first.contact_id].status is ContactStatus.CLOSED
    assert contacts[queued[0].contact_id].operator_id == operator.id
    assert contacts[queued[1].contact_id].operator_id is None
    assert await notice_keys(session_factory, 1) == ["client.assigned", "client.closed"]
    assert await notice_keys(session_factory, 2) == ["client.queued", "client.operator_joined"]
    # The operator: first card + copy, the close confirmation, then the card of the queued
    # contact with both messages it collected while waiting.
    assert await notice_keys(session_factory, operator.telegram_id) == [
        "operator.card",
        "copy",
        "operator.contact_closed",
        "operator.card",
        "copy",
        "copy",
    ]


async def test_close_checks_who_asks(service, add_source, add_operator):
    source = await add_source()
    owner = await add_operator([source])
    other = await add_operator([source], weight=0)
    contact = (await service().register_incoming(incoming(source, 1))).contact_id

    with pytest.raises(NotYourContact):
        await service().close(contact, Actor("operator", other.telegram_id))
    with pytest.raises(UnknownContact):
        await service().close(contact + 100, Actor("admin", 1))
    await service().close(contact, Actor("operator", owner.telegram_id))
    with pytest.raises(ContactAlreadyClosed):
        await service().close(contact, Actor("admin", 1))


async def test_reassign_moves_the_contact_and_the_slot(
    service, session_factory, add_source, add_operator
):
    source = await add_source()
    first = await add_operator([source], username="first")
    second = await add_operator([source], weight=0, username="second")
    contact = (await service().register_incoming(incoming(source, 1))).contact_id

    moved = await service().reassign(contact, "@Second")

    assert moved.previous_operator_telegram_id == first.telegram_id
    async with session_factory() as session:
        assert (await session.get(Operator, first.id)).open_count == 0
        assert (await session.get(Operator, second.id)).open_count == 1
        assert (await session.get(Contact, contact)).operator_id == second.id
    assert (await notice_keys(session_factory, first.telegram_id))[-1] == (
        "operator.contact_taken_away"
    )
    assert await notice_keys(session_factory, second.telegram_id) == ["operator.card", "copy"]


async def test_reassign_gives_the_freed_slot_to_the_queue_at_once(
    service, session_factory, add_source, add_operator
):
    source = await add_source()
    first = await add_operator([source], max_open=1)
    await add_operator([source], weight=0, username="second")  # only for admins' choices
    moved = (await service().register_incoming(incoming(source, 1))).contact_id
    queued = await service().register_incoming(incoming(source, 2))
    assert queued.outcome is Outcome.QUEUED

    await service().reassign(moved, "@second")

    async with session_factory() as session:
        assert (await session.get(Contact, queued.contact_id)).operator_id == first.id


async def test_reassign_hands_over_only_the_clients_messages(
    service, session_factory, rng, add_source, add_operator
):
    source = await add_source()
    first = await add_operator([source])
    second = await add_operator([source], weight=0, username="second")
    contact = (await service().register_incoming(incoming(source, 1, 1))).contact_id
    answer = OperatorMessage(source.id, first.telegram_id, 500, "text", "answer")
    await OperatorService(session_factory(), rng).relay(answer)
    await service().register_incoming(incoming(source, 1, 2, "thanks"))

    await service().reassign(contact, "@second")

    # Copies of the first operator's answers would look like the client's own words.
    handed = await deliveries_to(session_factory, second.telegram_id)
    assert [d.payload.get("key", "copy") for d in handed] == ["operator.card", "copy", "copy"]
    assert [(d.payload["from_chat_id"], d.payload["message_id"]) for d in handed[1:]] == [
        (1, 1),
        (1, 2),
    ]


async def test_reassign_refuses_a_full_or_unknown_operator(service, add_source, add_operator):
    source = await add_source()
    await add_operator([source])
    full = await add_operator([source], max_open=0, username="full")
    contact = (await service().register_incoming(incoming(source, 1))).contact_id
    with pytest.raises(OperatorFull):
        await service().reassign(contact, str(full.telegram_id))
    with pytest.raises(UnknownOperator):
        await service().reassign(contact, "@nobody")
