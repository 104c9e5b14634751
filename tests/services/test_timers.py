"""TimerService: reminders (optionally reassigning), auto-close, queue alerts."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from db.base import utcnow
from db.models import Contact, ContactStatus, Delivery, Source
from services.contacts import ContactService, Outcome
from services.timers import TimerService
from tests.support.incoming import incoming

ADMIN = 1


@pytest.fixture
def timers(session_factory):
    return lambda: TimerService(session_factory(), random.Random(5))


async def register(session_factory, source, user, n=1):
    service = ContactService(session_factory(), random.Random(1))
    return await service.register_incoming(incoming(source, user, n))


async def age(session_factory, **values):
    """Move every contact's timestamps into the past."""
    async with session_factory() as session, session.begin():
        await session.execute(update(Contact).values(**values))


async def keys_to(session_factory, chat_id):
    async with session_factory() as session:
        stmt = select(Delivery).where(Delivery.chat_id == chat_id).order_by(Delivery.id)
        return [d.payload.get("key") for d in (await session.execute(stmt)).scalars()]


async def test_reminder_once_per_contact(timers, session_factory, add_source, add_operator):
    source = await add_source()
    op = await add_operator([source])
    await register(session_factory, source, 42)
    assert await timers().remind(timedelta(minutes=10)) == 0  # not due yet

    await age(session_factory, assigned_at=utcnow() - timedelta(minutes=11))

    assert await timers().remind(timedelta(minutes=10)) == 1
    assert await timers().remind(timedelta(minutes=10)) == 0
    assert (await keys_to(session_factory, op.telegram_id))[-1] == "operator.reminder"


async def test_no_reminder_after_a_reply(timers, session_factory, add_source, add_operator):
    source = await add_source()
    await add_operator([source])
    await register(session_factory, source, 42)
    await age(
        session_factory,
        assigned_at=utcnow() - timedelta(minutes=30),
        first_reply_at=utcnow() - timedelta(minutes=29),
    )
    assert await timers().remind(timedelta(minutes=10)) == 0


async def test_reminder_can_reassign_to_a_free_operator(
    timers, session_factory, add_source, add_operator
):
    source = await add_source()
    slow = await add_operator([source])
    contact = (await register(session_factory, source, 42)).contact_id
    other = await add_operator([source])
    await age(session_factory, assigned_at=utcnow() - timedelta(minutes=11))

    await timers().remind(timedelta(minutes=10), reassign=True)

    async with session_factory() as session:
        assert (await session.get(Contact, contact)).operator_id == other.id
    assert (await keys_to(session_factory, slow.telegram_id))[-2:] == [
        "operator.reminder",
        "operator.contact_taken_away",
    ]
    assert (await keys_to(session_factory, other.telegram_id))[:1] == ["operator.card"]


async def test_idle_contacts_are_closed_and_clients_told(
    timers, session_factory, add_source, add_operator
):
    source = await add_source()
    op = await add_operator([source], max_open=1)
    first = (await register(session_factory, source, 42)).contact_id
    await age(session_factory, last_activity_at=utcnow() - timedelta(hours=25))
    queued = (await register(session_factory, source, 43)).contact_id

    assert await timers().auto_close(timedelta(hours=24)) == 1

    async with session_factory() as session:
        assert (await session.get(Contact, first)).status is ContactStatus.CLOSED
        assert (await session.get(Contact, queued)).operator_id == op.id
    assert (await keys_to(session_factory, 42))[-1] == "client.auto_closed"


async def test_queued_contacts_are_never_closed_as_idle(timers, session_factory, add_source):
    source = await add_source()  # nobody to answer
    queued = (await register(session_factory, source, 42)).contact_id
    await age(session_factory, last_activity_at=utcnow() - timedelta(hours=25))

    assert await timers().auto_close(timedelta(hours=24)) == 0

    async with session_factory() as session:
        assert (await session.get(Contact, queued)).status is ContactStatus.NEW
    assert "client.auto_closed" not in await keys_to(session_factory, 42)


async def test_a_contact_assigned_after_a_long_wait_is_not_idle(
    timers, session_factory, add_source, add_operator
):
    source = await add_source()  # nobody to answer yet
    waited = (await register(session_factory, source, 42)).contact_id
    await age(session_factory, last_activity_at=utcnow() - timedelta(hours=30))
    operator = await add_operator([source])
    await ContactService(session_factory(), random.Random(1)).assign_pending()

    assert await timers().auto_close(timedelta(hours=24)) == 0

    async with session_factory() as session:
        contact = await session.get(Contact, waited)
        assert (contact.operator_id, contact.status) == (operator.id, ContactStatus.NEW)


async def test_queue_alert_at_most_once_per_period(timers, session_factory, add_source):
    source = await add_source()
    await register(session_factory, source, 42)
    await register(session_factory, source, 43)
    assert not await timers().queue_alert(timedelta(minutes=15), [ADMIN], source.id)

    await age(session_factory, created_at=utcnow() - timedelta(minutes=16))

    assert await timers().queue_alert(timedelta(minutes=15), [ADMIN], source.id)
    assert not await timers().queue_alert(timedelta(minutes=15), [ADMIN], source.id)
    assert await keys_to(session_factory, ADMIN) == ["admin.alert"]
    async with session_factory() as session:
        alert = (
            await session.execute(select(Delivery).where(Delivery.chat_id == ADMIN))
        ).scalar_one()
    # The oldest was opened 16 minutes (and a little) before the check; both wait.
    assert alert.payload["params"] == {"what": "queue_wait", "minutes": 16, "total": 2}


class StillClock:
    """A clock standing at ``at``."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


async def test_no_queue_alert_for_a_desk_closed_by_its_hours(session_factory, add_source):
    source = await add_source()
    async with session_factory() as session, session.begin():
        hours = "mon-fri 09:00-18:00 tz=UTC"
        await session.execute(update(Source).where(Source.id == source.id).values(hours=hours))
    evening = StillClock(datetime(2027, 1, 7, 20, tzinfo=UTC))  # a Thursday
    service = ContactService(session_factory(), random.Random(1), clock=evening)
    assert (await service.register_incoming(incoming(source, 42, 1))).outcome is Outcome.QUEUED
    await age(session_factory, created_at=utcnow() - timedelta(hours=13))

    def timers(clock: StillClock) -> TimerService:
        return TimerService(session_factory(), random.Random(5), clock=clock)

    assert not await timers(evening).queue_alert(timedelta(minutes=15), [ADMIN], source.id)
    assert await timers(evening).drain_open_desks() == 0
    morning = StillClock(datetime(2027, 1, 8, 9, tzinfo=UTC))
    assert await timers(morning).queue_alert(timedelta(minutes=15), [ADMIN], source.id)
    assert await keys_to(session_factory, 42) == ["client.out_of_hours"]
