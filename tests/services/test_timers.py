"""TimerService: reminders (optionally reassigning), auto-close, queue alerts; with business
hours they count working time only."""

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from db.base import utcnow
from db.models import Contact, ContactStatus, Delivery, DistributionMode, Operator, Source
from services.contacts import ContactService, Outcome
from services.hours import DAYS
from services.timers import TimerService
from services.topic_admin import TopicService
from tests.support.incoming import incoming

ADMIN = 1


@pytest.fixture
def timers(session_factory):
    return lambda: TimerService(session_factory(), random.Random(5))


async def register(session_factory, source, user, n=1):
    service = ContactService(session_factory(), random.Random(1))
    return await service.register_incoming(incoming(source, user, n))


async def age(session_factory, *contact_ids, **values):
    """Move the timestamps of these contacts (of every contact, by default) into the past."""
    stmt = update(Contact).values(**values)
    if contact_ids:
        stmt = stmt.where(Contact.id.in_(contact_ids))
    async with session_factory() as session, session.begin():
        await session.execute(stmt)


async def reassigned_by_reminder(timers, session_factory, contact_id: int) -> int:
    """Let the contact's reminder fall due, with reassignment on: its operator then."""
    await age(session_factory, contact_id, assigned_at=utcnow() - timedelta(minutes=11))
    await timers().remind(timedelta(minutes=10), reassign=True)
    async with session_factory() as session:
        return (await session.get(Contact, contact_id)).operator_id


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


async def test_a_reminders_reassignment_keeps_to_the_contacts_topic(
    timers, session_factory, add_source, add_operator
):
    source = await add_source()
    slow = await add_operator([source])
    contact = (await register(session_factory, source, 42)).contact_id
    seller = await add_operator([source])
    # By the bot's weights the stranger would get it almost surely; the topic gives them 0.
    await add_operator([source], weight=1000)
    topics = TopicService(session_factory(), random.Random(1))
    topic, _ = await topics.add(source.id, "sales", "Sales")
    await topics.set_weights(
        source.id, "sales", [f"{slow.telegram_id}=1", f"{seller.telegram_id}=1"]
    )
    await age(session_factory, contact, topic_id=topic.id)

    assert await reassigned_by_reminder(timers, session_factory, contact) == seller.id


async def test_a_reminders_reassignment_passes_over_an_operator_off_shift(
    timers, session_factory, add_source, add_operator
):
    source = await add_source()
    await add_operator([source])  # the slow one, who has it
    contact = (await register(session_factory, source, 42)).contact_id
    # By weight the operator off shift would get it almost surely.
    off_shift = await add_operator([source], weight=1000)
    other = await add_operator([source])
    elsewhere = DAYS[(utcnow().weekday() + 3) % 7]  # never today
    async with session_factory.begin() as session:
        stmt = update(Operator).where(Operator.id == off_shift.id)
        await session.execute(stmt.values(shift=f"{elsewhere} 00:00-01:00 tz=UTC"))

    assert await reassigned_by_reminder(timers, session_factory, contact) == other.id


async def test_a_reminders_reassignment_follows_the_bots_mode(
    timers, session_factory, add_source, add_operator
):
    source = await add_source()
    await add_operator([source])  # the slow one, who has it
    contact = (await register(session_factory, source, 42)).contact_id
    # By weight the busy one would get it almost surely; least_loaded gives it to the idle one.
    busy = await add_operator([source], weight=1000)
    idle = await add_operator([source])
    async with session_factory.begin() as session:
        await session.execute(update(Operator).where(Operator.id == busy.id).values(open_count=4))
        await session.execute(
            update(Source).where(Source.id == source.id).values(mode=DistributionMode.LEAST_LOADED)
        )

    assert await reassigned_by_reminder(timers, session_factory, contact) == idle.id


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


BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = "mon-fri 09:00-18:00 tz=Europe/Berlin"


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)


async def set_hours(session_factory, source, hours, holidays=()):
    async with session_factory() as session, session.begin():
        stmt = update(Source).where(Source.id == source.id)
        await session.execute(stmt.values(hours=hours, holidays=[d.isoformat() for d in holidays]))


async def register_at(session_factory, at, source, user):
    """A client writes at ``at``: assigned when the desk is open and someone is free."""
    service = ContactService(session_factory(), random.Random(1), clock=StillClock(at))
    contact_id = (await service.register_incoming(incoming(source, user, 1))).contact_id
    await age(session_factory, contact_id, created_at=at, assigned_at=at, last_activity_at=at)
    return contact_id


def timers_at(session_factory, at: datetime) -> TimerService:
    return TimerService(session_factory(), random.Random(5), clock=StillClock(at))


async def test_a_reminder_counts_working_time_only(session_factory, add_source, add_operator):
    desk, always = await add_source(), await add_source()
    # Friday is a holiday: the next working day after Thursday is Monday.
    await set_hours(session_factory, desk, WEEKDAYS, [date(2027, 1, 8)])
    op = await add_operator([desk, always])
    thursday = berlin(2027, 1, 7, 17, 50)
    await register_at(session_factory, thursday, desk, 42)
    await register_at(session_factory, thursday, always, 43)
    after = timedelta(minutes=15)

    # Without hours the wall clock counts: reminded at 18:05. The desk closed at 18:00 after
    # 10 minutes: not at 18:05, nor overnight, on the holiday, over the weekend.
    assert await timers_at(session_factory, berlin(2027, 1, 7, 18, 5, 1)).remind(after) == 1
    for at in (berlin(2027, 1, 7, 23), berlin(2027, 1, 8, 9, 6), berlin(2027, 1, 11, 9, 4)):
        assert await timers_at(session_factory, at).remind(after) == 0
    assert await timers_at(session_factory, berlin(2027, 1, 11, 9, 5, 1)).remind(after) == 1
    assert (await keys_to(session_factory, op.telegram_id)).count("operator.reminder") == 2


async def test_a_closed_desks_contacts_do_not_hold_back_other_reminders(
    session_factory, add_source, add_operator, monkeypatch
):
    desk, always = await add_source(), await add_source()
    await set_hours(session_factory, desk, WEEKDAYS)
    await add_operator([desk, always])
    # The desk's contact is older by the wall clock but not due by working time.
    await register_at(session_factory, berlin(2027, 1, 8, 17, 55), desk, 42)
    await register_at(session_factory, berlin(2027, 1, 9, 10), always, 43)
    monkeypatch.setattr("services.timers.BATCH", 1)

    saturday = berlin(2027, 1, 9, 10, 20)
    assert await timers_at(session_factory, saturday).remind(timedelta(minutes=15)) == 1
    assert "operator.reminder" not in await keys_to(session_factory, 42)


async def test_idle_time_counts_working_hours_only(session_factory, add_source, add_operator):
    desk, always = await add_source(), await add_source()
    await set_hours(session_factory, desk, WEEKDAYS)
    await add_operator([desk, always])
    friday = berlin(2027, 1, 8, 17)
    at_desk = await register_at(session_factory, friday, desk, 42)
    await register_at(session_factory, friday, always, 43)
    day = timedelta(hours=24)

    # Over the weekend only the source without hours counts 24 hours of silence.
    assert await timers_at(session_factory, berlin(2027, 1, 11, 9, 30)).auto_close(day) == 1
    assert "client.auto_closed" not in await keys_to(session_factory, 42)
    # Friday's hour, Monday's and Tuesday's nine: 24 working hours end on Wednesday at 14:00.
    assert await timers_at(session_factory, berlin(2027, 1, 13, 13, 59)).auto_close(day) == 0
    assert await timers_at(session_factory, berlin(2027, 1, 13, 14, 1)).auto_close(day) == 1
    async with session_factory() as session:
        assert (await session.get(Contact, at_desk)).status is ContactStatus.CLOSED
    assert (await keys_to(session_factory, 42))[-1] == "client.auto_closed"


async def test_no_queue_alert_for_a_desk_closed_by_its_hours(session_factory, add_source):
    source = await add_source()
    await set_hours(session_factory, source, "mon-fri 09:00-18:00 tz=UTC")
    evening = datetime(2027, 1, 7, 20, tzinfo=UTC)  # a Thursday
    service = ContactService(session_factory(), random.Random(1), clock=StillClock(evening))
    assert (await service.register_incoming(incoming(source, 42, 1))).outcome is Outcome.QUEUED
    await age(session_factory, created_at=evening - timedelta(hours=1))
    waited = timedelta(minutes=15)

    assert not await timers_at(session_factory, evening).queue_alert(waited, [ADMIN], source.id)
    assert await timers_at(session_factory, evening).drain_open_desks() == 0
    # The night is no wait: at the opening it has waited nothing, 15 minutes later enough.
    for minutes, alerts in ((0, False), (14, False), (16, True)):
        at = datetime(2027, 1, 8, 9, minutes, tzinfo=UTC)
        assert (
            await timers_at(session_factory, at).queue_alert(waited, [ADMIN], source.id) is alerts
        )
    assert await keys_to(session_factory, 42) == ["client.out_of_hours"]
    async with session_factory() as session:
        alert = (
            await session.execute(select(Delivery).where(Delivery.chat_id == ADMIN))
        ).scalar_one()
    assert alert.payload["params"] == {"what": "queue_wait", "minutes": 16, "total": 1}


async def test_the_queue_alert_tells_the_longest_wait_in_working_time(session_factory, add_source):
    desk, always = await add_source(), await add_source()  # nobody to answer either
    await set_hours(session_factory, desk, WEEKDAYS)
    # The oldest by the wall clock waited an hour on Thursday and ten minutes on Friday ...
    await register_at(session_factory, berlin(2027, 1, 7, 17), desk, 42)
    assert not await timers_at(session_factory, berlin(2027, 1, 7, 23)).queue_alert(
        timedelta(minutes=15), [ADMIN], desk.id
    )
    # ... longer than the one without hours since 08:30.
    await register_at(session_factory, berlin(2027, 1, 8, 8, 30), always, 43)

    friday = timers_at(session_factory, berlin(2027, 1, 8, 9, 10))
    assert await friday.queue_alert(timedelta(minutes=15), [ADMIN], desk.id)
    async with session_factory() as session:
        alert = (
            await session.execute(select(Delivery).where(Delivery.chat_id == ADMIN))
        ).scalar_one()
    assert alert.payload["params"] == {"what": "queue_wait", "minutes": 70, "total": 2}
