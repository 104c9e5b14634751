"""OperatorService: starting bots, invites, pause, and routing replies."""

import pytest
from sqlalchemy import select

from db.models import Delivery, OperatorSource
from db.repositories import MessageKey, MessageRepository
from services.admin import AdminService
from services.contacts import ContactService, Outcome
from services.errors import InvalidInvite
from services.operators import EditedAnswer, OperatorMessage, OperatorService, RelayOutcome
from tests.support.incoming import incoming


@pytest.fixture
def operators(session_factory, rng):
    return lambda: OperatorService(session_factory(), rng)


async def sent_to(session_factory, chat_id):
    async with session_factory() as session:
        stmt = select(Delivery).where(Delivery.chat_id == chat_id).order_by(Delivery.id)
        return list((await session.execute(stmt)).scalars())


async def test_operator_gets_contacts_only_after_starting_the_bot(
    operators, contacts, add_source, add_operator
):
    source = await add_source()
    op = await add_operator([source], started=False)
    queued = await contacts().register_incoming(incoming(source, 1))
    assert queued.outcome is Outcome.QUEUED

    await operators().bot_started(op.telegram_id, source.id, "Ann_Op", "Ann")

    assert [c.contact.id for c in await operators().open_contacts(op.telegram_id)] == [
        queued.contact_id
    ]
    assert await operators().bot_started(12345, source.id, None, "client") is None


async def test_invite_is_single_use(session_factory, rng, operators, add_source):
    source = await add_source()
    code = await AdminService(session_factory(), rng).create_invite(1, 4)
    op, joined = await operators().redeem_invite(code, 900, source.id, "newbie", "New Bie")
    assert (op.max_open, joined) == (4, True)
    async with session_factory() as session:
        link = (await session.execute(select(OperatorSource))).scalar_one()
        assert (link.started, link.weight) == (True, 1)
    with pytest.raises(InvalidInvite):
        await operators().redeem_invite(code, 901, source.id, None, "late")
    with pytest.raises(InvalidInvite):
        await operators().redeem_invite("made-up", 902, source.id, None, "guess")


async def test_an_operator_opening_an_invite_starts_the_bot_and_leaves_the_link_unused(
    session_factory, rng, operators, add_source, add_operator
):
    alpha, beta = await add_source(), await add_source()
    op = await add_operator([alpha])
    queued = await ContactService(session_factory(), rng).register_incoming(incoming(beta, 1))
    code = await AdminService(session_factory(), rng).create_invite(1, 4)

    again, joined = await operators().redeem_invite(code, op.telegram_id, beta.id, None, "Op")

    assert (again.id, joined) == (op.id, False)
    # Opening a link is pressing Start: beta may now message the operator, who gets its queue.
    assert [c.contact.id for c in await operators().open_contacts(op.telegram_id)] == [
        queued.contact_id
    ]
    newcomer, joined = await operators().redeem_invite(code, 900, alpha.id, None, "New")
    assert (newcomer.max_open, joined) == (4, True)


async def test_pause_stops_new_contacts_and_resume_drains(
    operators, contacts, add_source, add_operator
):
    source = await add_source()
    op = await add_operator([source])
    await operators().set_paused(op.telegram_id, True)
    assert (await contacts().register_incoming(incoming(source, 1))).outcome is Outcome.QUEUED
    resumed = await operators().set_paused(op.telegram_id, False)
    assert (resumed.active, resumed.paused) == (True, False)
    assert (await operators().me(op.telegram_id)).operator.open_count == 1


async def test_resume_does_not_lift_an_admins_deactivation(
    session_factory, rng, operators, contacts, add_source, add_operator
):
    source = await add_source()
    op = await add_operator([source], username="ann")
    await AdminService(session_factory(), rng).set_active("@ann", False)
    await operators().set_paused(op.telegram_id, True)

    resumed = await operators().set_paused(op.telegram_id, False)
    queued = await contacts().register_incoming(incoming(source, 1))

    # Still switched off, by the admin (what the answer to /resume says), not by a pause.
    assert (resumed.active, resumed.paused) == (False, False)
    assert queued.outcome is Outcome.QUEUED
    me = (await operators().me(op.telegram_id)).operator
    assert (me.active, me.paused, me.open_count) == (False, False, 0)
    # The pause is gone all the same: activating is enough to get the queue.
    await AdminService(session_factory(), rng).set_active("@ann", True)
    assert [c.contact.id for c in await operators().open_contacts(op.telegram_id)] == [
        queued.contact_id
    ]


def reply(source, op, message_id, reply_to=None):
    return OperatorMessage(source.id, op.telegram_id, message_id, "text", "answer", reply_to)


async def test_single_open_contact_gets_the_reply(
    operators, contacts, add_source, add_operator, session_factory
):
    source = await add_source()
    op = await add_operator([source])
    contact = (await contacts().register_incoming(incoming(source, 1))).contact_id

    relay = await operators().relay(reply(source, op, 500))
    again = await operators().relay(reply(source, op, 500))

    assert (relay.outcome, relay.contact_id) == (RelayOutcome.SENT, contact)
    assert (again.outcome, again.contact_id) == (RelayOutcome.DUPLICATE, contact)
    copies = [d for d in await sent_to(session_factory, 1) if d.kind == "copy"]
    assert [(d.payload["from_chat_id"], d.payload["message_id"]) for d in copies] == [
        (op.telegram_id, 500)
    ]


async def test_two_open_contacts_need_a_reply_or_a_choice(
    operators, contacts, add_source, add_operator, session_factory
):
    source = await add_source()
    op = await add_operator([source])
    first = (await contacts().register_incoming(incoming(source, 1))).contact_id
    second = (await contacts().register_incoming(incoming(source, 2))).contact_id

    ambiguous = await operators().relay(reply(source, op, 600))
    assert ambiguous.outcome is RelayOutcome.AMBIGUOUS
    assert [c.contact_id for c in ambiguous.choices] == [first, second]

    chosen = await operators().relay(reply(source, op, 600), contact_id=second)
    assert chosen.contact_id == second

    # A Telegram reply to the copy of client 1's message routes to contact 1.
    async with session_factory() as session:
        copy = (
            await session.execute(
                select(Delivery).where(Delivery.contact_id == first, Delivery.kind == "copy")
            )
        ).scalar_one()
        copy.sent_message_id = 77
        await session.commit()
    routed = await operators().relay(reply(source, op, 601, reply_to=77))
    assert routed.contact_id == first
    # ...and a reply to the operator's own earlier message routes to that message's contact.
    own = await operators().relay(reply(source, op, 602, reply_to=600))
    assert own.contact_id == second


async def test_no_open_contact(operators, add_source, add_operator):
    source = await add_source()
    op = await add_operator([source])
    assert (await operators().relay(reply(source, op, 1))).outcome is RelayOutcome.NO_CONTACT


async def test_an_operators_edited_reply_is_not_taken_for_a_clients_edit(
    operators, contacts, add_source, add_operator, session_factory
):
    source = await add_source()
    op = await add_operator([source])
    contact = (await contacts().register_incoming(incoming(source, 1))).contact_id
    await operators().relay(reply(source, op, 500))
    staged = len(await sent_to(session_factory, op.telegram_id))

    # The client router's edit handler, reached e.g. by an operator removed since.
    assert not await contacts().register_edit(source.id, op.telegram_id, 500)
    assert len(await sent_to(session_factory, op.telegram_id)) == staged
    assert await operators().edited(source.id, op.telegram_id, 500) == EditedAnswer(contact, True)
    assert await operators().edited(source.id, op.telegram_id, 501) is None
    # The client's own message is not one the operator relayed.
    assert await operators().edited(source.id, 1, 1) is None


async def test_an_edited_photo_answer_is_not_passed_on_and_the_operator_is_to_be_told(
    operators, contacts, add_source, add_operator, session_factory
):
    source = await add_source()
    op = await add_operator([source])
    contact = (await contacts().register_incoming(incoming(source, 1))).contact_id
    photo = OperatorMessage(source.id, op.telegram_id, 500, "photo", "a caption")
    await operators().relay(photo)
    async with session_factory() as session, session.begin():
        messages = MessageRepository(session)
        stored = await messages.by_key(MessageKey(source.id, op.telegram_id, 500))
        await messages.set_copy(stored.id, 1, 77)  # the client got it as message 77
    staged = len(await sent_to(session_factory, 1))

    edited = await operators().edited(source.id, op.telegram_id, 500, "a new caption")

    assert edited == EditedAnswer(contact, passed_on=False)
    assert len(await sent_to(session_factory, 1)) == staged
