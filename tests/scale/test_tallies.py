"""Statistics read long-closed contacts from tallies: the figures must not change by it."""

import random
from datetime import timedelta

from sqlalchemy import func, select, update

from db.base import utcnow
from db.models import Contact, ContactStatus, SourceTally
from db.repositories import ContactRepository
from services.admin import AdminService
from services.base import Actor
from services.contacts import ContactService
from tests.support.incoming import incoming


async def _counted(session_factory) -> tuple[object, ...]:
    """What the statistics say: totals, per source, per source and operator."""
    async with session_factory() as session, session.begin():
        contacts = ContactRepository(session)
        return (
            await contacts.totals(),
            sorted(tuple(row) for row in await contacts.source_stats()),
            sorted(tuple(row) for row in await contacts.operator_stats()),
        )


async def _recounted(session_factory) -> tuple[object, ...]:
    """The same figures, counted the slow way from every contact."""
    open_, queued = Contact.status != ContactStatus.CLOSED, Contact.operator_id.is_(None)
    closed = Contact.status == ContactStatus.CLOSED
    async with session_factory() as session:
        total, open_n, queued_n, assigned, closed_n = (
            await session.execute(
                select(
                    func.count(),
                    func.count().filter(open_),
                    func.count().filter(open_, queued),
                    func.count().filter(open_, ~queued),
                    func.count().filter(closed),
                )
            )
        ).one()
        per_source = await session.execute(
            select(
                Contact.source_id,
                func.count(),
                func.count().filter(open_),
                func.count().filter(open_, queued),
            ).group_by(Contact.source_id)
        )
        per_operator = await session.execute(
            select(
                Contact.source_id, Contact.operator_id, func.count(), func.count().filter(closed)
            )
            .where(~queued)
            .group_by(Contact.source_id, Contact.operator_id)
        )
        return (
            {
                "opened": total,
                "open": open_n,
                "queued": queued_n,
                "assigned": assigned,
                "closed": closed_n,
            },
            sorted(tuple(row) for row in per_source),
            sorted(tuple(row) for row in per_operator),
        )


async def _tallied(session_factory) -> int:
    """How many closed contacts the tallies hold."""
    async with session_factory() as session:
        return await session.scalar(select(func.coalesce(func.sum(SourceTally.contacts), 0)))


async def _close(session_factory, contact_ids: list[int], ago: timedelta | None = None) -> None:
    """Close contacts now, or as if it had happened ``ago``."""
    rng = random.Random(1)
    for contact_id in contact_ids:
        async with session_factory() as session:
            await ContactService(session, rng).close(contact_id, Actor("admin", 1))
    if ago is not None:
        async with session_factory.begin() as session:
            await session.execute(
                update(Contact).where(Contact.id.in_(contact_ids)).values(closed_at=utcnow() - ago)
            )


async def test_figures_are_the_same_with_and_without_tallies(
    session_factory, add_source, add_operator, monkeypatch
):
    alpha, beta = await add_source(), await add_source()
    ann = await add_operator([alpha, beta], max_open=20)
    bob = await add_operator([alpha, beta], max_open=20)
    rng = random.Random(3)
    ids = []
    for client in range(60):
        async with session_factory() as session:
            source = alpha if client % 3 else beta
            registered = await ContactService(session, rng).register_incoming(
                incoming(source, 9_000 + client)
            )
            ids.append(registered.contact_id)
    await _close(session_factory, ids[:25], ago=timedelta(days=2))  # history
    await _close(session_factory, ids[25:30])  # just closed
    assert await _counted(session_factory) == await _recounted(session_factory)

    async with session_factory() as session:
        await AdminService(session, rng).stats()  # /stats brings the tallies up to date
    assert await _tallied(session_factory) == 25  # the just closed ones are not settled yet
    assert await _counted(session_factory) == await _recounted(session_factory)
    await _close(session_factory, ids[30:35])
    assert await _counted(session_factory) == await _recounted(session_factory)

    # A day later everything closed so far has settled into the tallies; then Bob leaves
    # (his contacts, open and closed, are unassigned).
    a_day_later = utcnow() + timedelta(days=1)
    monkeypatch.setattr("db.repositories.contacts.utcnow", lambda: a_day_later)
    async with session_factory() as session, session.begin():
        await ContactRepository(session).roll_up_closed()
    assert await _tallied(session_factory) == 35
    assert await _counted(session_factory) == await _recounted(session_factory)
    async with session_factory() as session:
        await AdminService(session, rng).remove_operator(str(bob.telegram_id))
    assert await _counted(session_factory) == await _recounted(session_factory)
    async with session_factory() as session:
        view = await AdminService(session, rng).stats()
    assert [stats.operator.id for stats in view.operators] == [ann.id]
    assert sum(stats.total for stats in view.sources) == len(ids)
