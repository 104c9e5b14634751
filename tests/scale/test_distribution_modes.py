"""The distribution modes under concurrency: exact across processes on PostgreSQL (its credits
live in the database, locked with the slot), least_loaded's limits under many contacts at once."""

import asyncio
import random
import sys
from collections import Counter
from fractions import Fraction

import pytest
from sqlalchemy import select, update

from db.engine import create_engine, create_session_factory
from db.models import Contact, Decision, DistributionMode, Operator, Source
from services.contacts import ContactService, Outcome
from tests.support.db import TEST_DATABASE_URL
from tests.support.incoming import incoming

PROCESSES = 3
CONTACTS = 1000


async def assign_clients(url: str, source_id: int, first: int, count: int, seed: int) -> None:
    """One process's share: the first messages of clients ``first`` .. ``first + count - 1``."""
    engine = create_engine(url)
    factory = create_session_factory(engine)
    rng = random.Random(seed)
    try:
        async with factory() as session:
            source = await session.get(Source, source_id)
        for client in range(first, first + count):
            result = await ContactService(factory(), rng).register_incoming(
                incoming(source, client)
            )
            assert result.outcome is Outcome.ASSIGNED, result
    finally:
        await engine.dispose()


async def _in_processes(url: str, source_id: int, first: int, count: int) -> None:
    """``count`` clients written by ``PROCESSES`` processes at once."""
    share = count // PROCESSES
    shares = [share] * (PROCESSES - 1) + [count - share * (PROCESSES - 1)]
    starts = [first + sum(shares[:i]) for i in range(PROCESSES)]
    code = (
        "import asyncio, sys\n"
        "from tests.scale.test_distribution_modes import assign_clients\n"
        "asyncio.run(assign_clients(sys.argv[1], *map(int, sys.argv[2:])))\n"
    )
    children = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", code, url, str(source_id), str(start), str(n), str(i)
        )
        for i, (start, n) in enumerate(zip(starts, shares, strict=True))
    ]
    assert [await child.wait() for child in children] == [0] * PROCESSES


@pytest.mark.skipif(
    TEST_DATABASE_URL is None or not TEST_DATABASE_URL.startswith("postgresql"),
    reason="needs TEST_DATABASE_URL on PostgreSQL: several processes writing at once",
)
async def test_exact_1_2_3_from_3_processes_with_one_paused_for_the_middle_third(
    session_factory, add_source, add_operator
):
    source = await add_source()
    operators = [
        await add_operator([source], weight=weight, max_open=CONTACTS) for weight in (1, 2, 3)
    ]
    paused = operators[1]
    async with session_factory.begin() as session:
        await session.execute(
            update(Source).where(Source.id == source.id).values(mode=DistributionMode.EXACT)
        )
    third = CONTACTS // 3
    assert TEST_DATABASE_URL is not None
    await _in_processes(TEST_DATABASE_URL, source.id, 10_000, third)
    async with session_factory.begin() as session:
        await session.execute(update(Operator).where(Operator.id == paused.id).values(paused=True))
    await _in_processes(TEST_DATABASE_URL, source.id, 20_000, third)
    async with session_factory.begin() as session:
        await session.execute(update(Operator).where(Operator.id == paused.id).values(paused=False))
    await _in_processes(TEST_DATABASE_URL, source.id, 30_000, CONTACTS - 2 * third)

    async with session_factory() as session:
        decisions = list((await session.execute(select(Decision).order_by(Decision.id))).scalars())
    assert len(decisions) == CONTACTS
    # Each decision's target: the shares of those it found eligible, as recorded then.
    targets: dict[int, Fraction] = Counter()
    counts: Counter[int] = Counter()
    worst = Fraction(0)
    for decision in decisions:
        eligible = decision.facts["eligible"]
        total = sum(weight for _op, weight, _open, _limit in eligible)
        for operator_id, weight, _open, _limit in eligible:
            targets[operator_id] += Fraction(weight, total)
        counts[decision.operator_id] += 1
        worst = max(worst, *(abs(counts[op.id] - targets[op.id]) for op in operators))
    assert worst <= PROCESSES, float(worst)
    paused_meanwhile = decisions[third + 5 : 2 * third - 5]
    assert all(d.operator_id != paused.id for d in paused_meanwhile)


async def test_least_loaded_keeps_every_limit_under_200_contacts_at_once(
    session_factory, add_source, add_operator, rng
):
    source = await add_source()
    async with session_factory.begin() as session:
        await session.execute(
            update(Source).where(Source.id == source.id).values(mode=DistributionMode.LEAST_LOADED)
        )
    limits = (3, 10, 25, 40)
    operators = [await add_operator([source], max_open=limit) for limit in limits]

    async def first_message(client: int) -> Outcome:
        service = ContactService(session_factory(), rng)
        return (await service.register_incoming(incoming(source, client))).outcome

    outcomes = Counter(await asyncio.gather(*(first_message(40_000 + n) for n in range(200))))

    assert outcomes == {Outcome.ASSIGNED: sum(limits), Outcome.QUEUED: 200 - sum(limits)}
    async with session_factory() as session:
        open_of = Counter(
            (
                await session.execute(
                    select(Contact.operator_id).where(Contact.operator_id.is_not(None))
                )
            ).scalars()
        )
        counters = {
            op.id: op.open_count for op in (await session.execute(select(Operator))).scalars()
        }
    assert open_of == {op.id: limit for op, limit in zip(operators, limits, strict=True)}
    assert counters == open_of
