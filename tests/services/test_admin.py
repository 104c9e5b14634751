"""AdminService: operators, limits, weights, stats; bad input changes nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from db.base import utcnow
from db.models import Contact, Operator, OperatorSource
from db.repositories import ContactRepository
from services.admin import AdminService
from services.contacts import Outcome
from services.errors import (
    AmbiguousOperator,
    InvalidDays,
    InvalidLimit,
    InvalidOperatorRef,
    InvalidWeights,
    OperatorExists,
    UnknownOperator,
)
from services.operators import OperatorService
from tests.support.incoming import incoming


@pytest.fixture
def admin(session_factory, rng):
    return lambda: AdminService(session_factory(), rng)


async def snapshot(session_factory):
    async with session_factory() as session:
        ops = [
            (o.telegram_id, o.active, o.max_open, o.open_count)
            for o in (await session.execute(select(Operator).order_by(Operator.id))).scalars()
        ]
        links = [
            (link.operator_id, link.source_id, link.weight)
            for link in (await session.execute(select(OperatorSource))).scalars()
        ]
        return ops, sorted(links)


async def test_add_operator_links_every_source_with_weight_one(admin, add_source):
    one, two = await add_source(), await add_source()
    view = await admin().add_operator("777", "3")
    assert view.operator.telegram_id == 777 and view.operator.max_open == 3
    assert [(link.source.id, link.weight, link.started) for link in view.links] == [
        (one.id, 1, False),
        (two.id, 1, False),
    ]
    assert [s.id for s in view.not_started] == [one.id, two.id]
    with pytest.raises(OperatorExists):
        await admin().add_operator("777", "3")


@pytest.mark.parametrize(
    ("telegram_id", "limit", "error"),
    [
        ("abc", "3", InvalidOperatorRef),
        ("@ann", "3", InvalidOperatorRef),
        ("-5", "3", InvalidOperatorRef),
        ("0", "3", InvalidOperatorRef),
        ("5", "-1", InvalidLimit),
        ("5", "x", InvalidLimit),
        ("5", "1001", InvalidLimit),
    ],
)
async def test_add_operator_rejects_bad_input(
    admin, add_source, session_factory, telegram_id, limit, error
):
    await add_source()
    before = await snapshot(session_factory)
    with pytest.raises(error) as info:
        await admin().add_operator(telegram_id, limit)
    assert str(info.value)  # a clear message for the user
    assert await snapshot(session_factory) == before


async def test_bad_weights_change_nothing(admin, add_source, add_operator, session_factory):
    source = await add_source()
    await add_operator([source], username="ann", weight=2)
    await add_operator([source], username="bob", weight=3)
    before = await snapshot(session_factory)
    for pairs, error in [
        (["@ann=5", "@bob=-1"], InvalidWeights),
        (["@ann=5", "@bob=1.5"], InvalidWeights),
        (["@ann=5", "bob"], InvalidWeights),
        (["@ann=5", "@nobody=1"], UnknownOperator),
        (["@ann=5", "@ANN=1"], InvalidWeights),
        ([], InvalidWeights),
    ]:
        with pytest.raises(error):
            await admin().set_weights(source.id, pairs)
        assert await snapshot(session_factory) == before


async def test_set_weights_reports_shares(admin, add_source, add_operator):
    source = await add_source()
    ann = await add_operator([source], username="ann")
    bob = await add_operator([source], username="bob")
    view = await admin().set_weights(source.id, ["@ann=3", f"{bob.telegram_id}=1"])
    shares = {row.operator.id: (row.weight, row.share) for row in view.rows}
    assert shares == {ann.id: (3, 0.75), bob.id: (1, 0.25)}


async def test_negative_limit_and_unknown_operator_change_nothing(
    admin, add_source, add_operator, session_factory
):
    source = await add_source()
    await add_operator([source], username="ann")
    before = await snapshot(session_factory)
    with pytest.raises(InvalidLimit):
        await admin().set_limit("@ann", "-1")
    with pytest.raises(UnknownOperator):
        await admin().set_limit("@zed", "3")
    with pytest.raises(InvalidOperatorRef):
        await admin().set_limit("ann bob", "3")
    assert await snapshot(session_factory) == before


async def test_a_username_two_operators_were_known_by_needs_the_id(
    admin, add_source, add_operator, session_factory
):
    source = await add_source()
    # Ann was @ann_op, renamed herself without starting a bot since; Bob took the name.
    ann = await add_operator([source], username="ann_op")
    bob = await add_operator([source], username="Ann_Op")
    before = await snapshot(session_factory)

    with pytest.raises(AmbiguousOperator) as refused:
        await admin().remove_operator("@ann_op")

    assert refused.value.params["ids"] == f"{ann.telegram_id}, {bob.telegram_id}"
    assert await snapshot(session_factory) == before
    await admin().remove_operator(str(bob.telegram_id))


async def test_raising_a_limit_assigns_queued_contacts_at_once(
    admin, contacts, add_source, add_operator, session_factory
):
    source = await add_source()
    await add_operator([source], username="ann", max_open=0)
    results = [await contacts().register_incoming(incoming(source, n)) for n in range(1, 4)]
    assert {r.outcome for r in results} == {Outcome.QUEUED}

    ann, previous = await admin().set_limit("@ann", "2")

    assert previous == 0
    assert (ann.open_count, ann.max_open) == (2, 2)  # the load the admin is shown
    async with session_factory() as session:
        assigned = [
            c.id
            for c in (await session.execute(select(Contact).order_by(Contact.id))).scalars()
            if c.operator_id is not None
        ]
    assert assigned == [results[0].contact_id, results[1].contact_id]  # oldest first


async def test_activating_and_adding_weight_drain_the_queue(
    admin, contacts, add_source, add_operator
):
    source = await add_source()
    await add_operator([source], username="ann", active=False, max_open=1)
    await add_operator([source], username="bob", weight=0)
    for n in (1, 2):
        await contacts().register_incoming(incoming(source, n))
    await admin().set_active("@ann", True)
    assert (await admin().queue()).total == 1
    await admin().set_weights(source.id, ["@bob=1"])
    assert (await admin().queue()).total == 0


async def test_activating_does_not_lift_the_operators_own_pause(
    admin, contacts, add_source, add_operator, session_factory, rng
):
    source = await add_source()
    ann = await add_operator([source], username="ann", paused=True)
    queued = await contacts().register_incoming(incoming(source, 1))
    await admin().set_active("@ann", False)

    activated = await admin().set_active("@ann", True)

    assert (activated.active, activated.paused) == (True, True)
    assert [item.contact.id for item in (await admin().queue()).items] == [queued.contact_id]
    (view,) = await admin().list_operators()
    assert (view.operator.active, view.operator.paused) == (True, True)
    # The operator's /resume is what lets the contacts come.
    await OperatorService(session_factory(), rng).set_paused(ann.telegram_id, False)
    assert (await admin().queue()).total == 0


async def test_deactivate_and_lower_limit_keep_open_contacts(
    admin, contacts, add_source, add_operator, session_factory
):
    source = await add_source()
    ann = await add_operator([source], username="ann", max_open=3)
    for n in (1, 2):
        await contacts().register_incoming(incoming(source, n))
    await admin().set_limit("@ann", "1")
    await admin().set_active("@ann", False)
    async with session_factory() as session:
        kept = (await session.execute(select(Contact).where(Contact.operator_id == ann.id))).all()
        assert len(kept) == 2
    assert (await contacts().register_incoming(incoming(source, 3))).outcome is Outcome.QUEUED


async def test_removing_an_operator_requeues_and_redistributes(
    admin, contacts, add_source, add_operator, session_factory
):
    source = await add_source()
    ann = await add_operator([source], username="ann", max_open=2)
    for n in (1, 2):
        await contacts().register_incoming(incoming(source, n))
    bob = await add_operator([source], username="bob", max_open=1)

    removed = await admin().remove_operator("@ann")

    assert removed.requeued == 2
    async with session_factory() as session:
        owners = [
            c.operator_id
            for c in (await session.execute(select(Contact).order_by(Contact.id))).scalars()
        ]
        assert owners == [bob.id, None]
        assert await session.get(Operator, ann.id) is None
    queue = await admin().queue()
    assert queue.total == 1 and queue.items[0].lead.telegram_id == 2


async def test_a_requeued_contact_waits_from_its_requeueing(
    admin, contacts, add_source, add_operator, session_factory
):
    source = await add_source()
    await add_operator([source], username="ann")
    await contacts().register_incoming(incoming(source, 1))
    async with session_factory() as session, session.begin():  # handled for two days
        await session.execute(update(Contact).values(created_at=utcnow() - timedelta(days=2)))

    await admin().remove_operator("@ann")

    (item,) = (await admin().queue()).items
    assert item.waited < timedelta(minutes=1)
    async with session_factory() as session:
        oldest = await ContactRepository(session).oldest_queued_at()
    assert oldest is not None and utcnow() - oldest < timedelta(minutes=1)


async def test_stats_compare_shares_with_weights(admin, contacts, add_source, add_operator, rng):
    source = await add_source()
    ann = await add_operator([source], weight=3, max_open=1000)
    bob = await add_operator([source], weight=1, max_open=1000)
    for n in range(400):
        await contacts().register_incoming(incoming(source, 1000 + n))

    stats = await admin().stats()

    (source_stats,) = stats.sources
    assert (source_stats.total, source_stats.open, source_stats.queued) == (400, 400, 0)
    shares = {s.operator.id: s for s in source_stats.shares}
    assert shares[ann.id].configured_share == 0.75
    # 400 draws with p = 0.75: the standard deviation of the share is about 0.022.
    assert abs(shares[ann.id].share - 0.75) < 0.07
    assert shares[ann.id].assigned + shares[bob.id].assigned == 400
    per_op = {s.operator.id: (s.assigned, s.closed) for s in stats.operators}
    assert per_op[ann.id][1] == per_op[bob.id][1] == 0


async def test_list_sources_and_operators(admin, contacts, add_source, add_operator):
    one, two = await add_source(), await add_source()
    await add_operator([one], username="ann", max_open=1)
    await contacts().register_incoming(incoming(one, 1))
    await contacts().register_incoming(incoming(one, 2))
    await contacts().register_incoming(incoming(two, 3))
    views = {v.source.id: v for v in await admin().list_sources()}
    assert (views[one.id].total, views[one.id].open, views[one.id].queued) == (2, 2, 1)
    assert (views[two.id].total, views[two.id].queued, views[two.id].operators) == (1, 1, 0)
    (ann,) = await admin().list_operators()
    assert ann.operator.open_count == 1 and [link.source.id for link in ann.links] == [one.id]


async def test_stats_give_each_operators_median_first_reply_and_handling_in_the_window(
    admin, contacts, add_source, add_operator, session_factory
):
    source = await add_source()
    ann = await add_operator([source], max_open=100)
    for n in range(4):
        await contacts().register_incoming(incoming(source, 1000 + n))
    now = utcnow()
    # Assigned 10 h ago; first replies after 1, 2 and 9 minutes (one never), closed after 1 h
    # and 3 h (two still open); and one contact of 10 days ago, outside a week.
    timings = {
        1: (timedelta(hours=10), timedelta(minutes=1), timedelta(hours=1)),
        2: (timedelta(hours=10), timedelta(minutes=2), timedelta(hours=3)),
        3: (timedelta(hours=10), timedelta(minutes=9), None),
        4: (timedelta(days=10), None, None),
    }
    async with session_factory.begin() as session:
        for contact_id, (ago, reply, close) in timings.items():
            assigned = now - ago
            await session.execute(
                update(Contact)
                .where(Contact.id == contact_id)
                .values(
                    assigned_at=assigned,
                    first_reply_at=assigned + reply if reply else None,
                    closed_at=assigned + close if close else None,
                )
            )

    (week,) = (await admin().stats()).operators
    (fortnight,) = (await admin().stats("14")).operators

    assert week.operator.id == ann.id
    assert week.performance.contacts == 3 and week.performance.closed == 2
    assert week.performance.first_reply == timedelta(minutes=2)
    assert week.performance.handling == timedelta(hours=2)
    assert fortnight.performance.contacts == 4
    for days in ("0", "367", "x", "-1"):
        with pytest.raises(InvalidDays):
            await admin().stats(days)
