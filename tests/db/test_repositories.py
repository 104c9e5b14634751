"""Repositories that update tables, not entities, keep the entities a session loaded true;
the operators' switches hold in the statements that hand out contacts."""

from db.models import Lead
from db.repositories import ContactRepository, OperatorRepository
from services.distribution import is_eligible


async def test_a_taken_slot_and_an_assignment_show_on_the_loaded_entities(
    session_factory, add_source, add_operator
):
    source = await add_source()
    operator = await add_operator([source], max_open=1)
    async with session_factory.begin() as session:
        lead = Lead(telegram_id=77)
        session.add(lead)
        await session.flush()
        contacts, operators = ContactRepository(session), OperatorRepository(session)
        contact_id = await contacts.open(lead.id, source.id)
        assert contact_id is not None
        row = await contacts.get_full(contact_id)
        assert row is not None
        contact = row[0]
        loaded = await operators.get(operator.id)
        assert loaded is not None and loaded.open_count == 0

        assert await operators.take_slot(operator.id)
        assert await contacts.assign(contact_id, operator.id)
        assert loaded.open_count == 1
        assert contact.operator_id == operator.id
        assert contact.assigned_at is not None

        # At the limit, and no longer queued: refused, and the entities stay as they are.
        assigned_at = contact.assigned_at
        assert not await operators.take_slot(operator.id)
        assert not await contacts.assign(contact_id, operator.id + 1)
        assert loaded.open_count == 1
        assert (contact.operator_id, contact.assigned_at) == (operator.id, assigned_at)


async def test_only_an_active_operator_who_has_not_paused_is_a_candidate_or_gets_a_slot(
    session_factory, add_source, add_operator
):
    source = await add_source()
    ready = await add_operator([source])
    paused = await add_operator([source], paused=True)
    inactive = await add_operator([source], active=False)
    both = await add_operator([source], active=False, paused=True)
    async with session_factory.begin() as session:
        operators = OperatorRepository(session)

        candidates = [c for c in await operators.candidates(source.id) if is_eligible(c)]
        # The slot is refused also to one picked before they paused or were deactivated.
        slots = {op.id: await operators.take_slot(op.id) for op in (ready, paused, inactive, both)}

    assert [c.operator_id for c in candidates] == [ready.id]
    assert slots == {ready.id: True, paused.id: False, inactive.id: False, both.id: False}
