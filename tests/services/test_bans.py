"""ContactService: a blocked client's messages, and the burst of messages a minute counted in
the lead's upsert, across concurrent sessions and without a query of its own."""

import asyncio
import random
from typing import Any

from sqlalchemy import event, func, select

from db.models import Delivery, Message
from services.base import Actor
from services.contacts import ContactService, Outcome
from tests.support.incoming import incoming


async def _count(session_factory, stmt) -> int:
    async with session_factory() as session:
        return int(await session.scalar(stmt) or 0)


async def test_concurrent_messages_past_the_limit_are_all_stored_and_told_once(
    session_factory, add_source, add_operator
):
    source = await add_source()
    operator = await add_operator([source])
    first = await ContactService(session_factory(), random.Random(1)).register_incoming(
        incoming(source, 42, 1), per_minute=5
    )
    assert first.outcome is Outcome.ASSIGNED

    results = await asyncio.gather(
        *(
            ContactService(session_factory(), random.Random(n)).register_incoming(
                incoming(source, 42, n), per_minute=5
            )
            for n in range(2, 21)
        )
    )

    # Whichever session took which message, exactly messages 2-5 were passed on.
    outcomes = [r.outcome for r in results]
    assert (outcomes.count(Outcome.APPENDED), outcomes.count(Outcome.SLOWED)) == (4, 15)
    assert await _count(session_factory, select(func.count()).select_from(Message)) == 20
    to_operator = select(Delivery.kind, Delivery.payload).where(
        Delivery.chat_id == operator.telegram_id
    )
    async with session_factory() as session:
        sent = list(await session.execute(to_operator))
    kinds = [payload.get("key", kind) for kind, payload in sent]
    assert kinds.count("copy") == 5  # the first (with the card) and 2-5
    assert kinds.count("operator.client_slowed") == 1
    to_client = select(func.count()).where(
        Delivery.chat_id == 42, Delivery.payload["key"].as_string() == "client.slowed_down"
    )
    assert await _count(session_factory, to_client) == 1


async def test_the_checks_cost_an_appended_message_no_statement(
    engine, session_factory, add_source, add_operator
):
    source = await add_source()
    await add_operator([source])
    await ContactService(session_factory(), random.Random(1)).register_incoming(
        incoming(source, 42, 1)
    )
    seen: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", on_execute)
    try:
        appended = await ContactService(session_factory(), random.Random(2)).register_incoming(
            incoming(source, 42, 2)
        )
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", on_execute)

    assert appended.outcome is Outcome.APPENDED
    # The lead's upsert is the only statement that touches leads.
    assert [s.split(maxsplit=1)[0] for s in seen if "leads" in s] == ["INSERT"]


async def test_a_blocked_clients_message_is_dropped_unstored(
    session_factory, add_source, add_operator
):
    source = await add_source()
    operator = await add_operator([source])
    first = await ContactService(session_factory(), random.Random(1)).register_incoming(
        incoming(source, 42, 1)
    )
    assert first.contact_id is not None
    actor = Actor("operator", operator.telegram_id)
    banned = await ContactService(session_factory(), random.Random(2)).ban(
        first.contact_id, actor, frozenset()
    )
    assert banned.closed == [first.contact_id]

    later = await ContactService(session_factory(), random.Random(3)).register_incoming(
        incoming(source, 42, 2)
    )

    assert later == type(later)(Outcome.BLOCKED)
    assert await _count(session_factory, select(func.count()).select_from(Message)) == 1
