"""Events for webhooks that only a service can cause directly: a contact going back to the
queue because its operator blocked the bot, or because it moved to a topic where nobody is
free (the removal of an operator is tested end to end, tests/e2e/test_webhooks.py)."""

import json
import random

import pytest
from sqlalchemy import select

from db.models import Webhook, WebhookEvent
from services.base import Actor
from services.contacts import ContactService
from services.delivery.reactions import DeliveryService
from services.topic_admin import TopicService
from tests.support.incoming import incoming


@pytest.fixture
async def subscribed(session_factory) -> None:
    """A CRM subscribed to contact.requeued."""
    async with session_factory.begin() as session:
        session.add(Webhook(url="http://crm.test/hook", events=["contact.requeued"], secret="s"))


async def requeued_events(session_factory) -> list[dict]:
    async with session_factory() as session:
        rows = await session.scalars(select(WebhookEvent).order_by(WebhookEvent.id))
        return [json.loads(row.body) for row in rows]


async def test_an_operator_blocking_the_bot_requeues_with_an_event(
    subscribed, session_factory, add_source, add_operator
):
    source = await add_source()
    operator = await add_operator([source])
    contacts = ContactService(session_factory(), random.Random(1))
    contact = (await contacts.register_incoming(incoming(source, 42, 1))).contact_id

    delivery = DeliveryService(session_factory(), random.Random(1))
    await delivery.operator_unreachable(source.id, operator.telegram_id, [])

    (event,) = await requeued_events(session_factory)
    assert event["event"] == "contact.requeued"
    assert (event["contact_id"], event["source_id"]) == (contact, source.id)
    assert event["previous_operator_telegram_id"] == operator.telegram_id
    assert event["reason"] == "operator_unreachable"


async def test_a_move_to_a_topic_where_nobody_is_free_requeues_with_an_event(
    subscribed, session_factory, add_source, add_operator
):
    source = await add_source()
    seller = await add_operator([source])
    helper = await add_operator([source], max_open=0)
    contacts = ContactService(session_factory(), random.Random(1))
    contact = (await contacts.register_incoming(incoming(source, 42, 1))).contact_id
    topics = TopicService(session_factory(), random.Random(1))
    await topics.add(source.id, "support", "Support")
    await topics.set_weights(source.id, "support", [f"{helper.telegram_id}=1"])

    move = ContactService(session_factory(), random.Random(1))
    await move.move_to_topic(contact, Actor("operator", seller.telegram_id), "support")

    (event,) = await requeued_events(session_factory)
    assert (event["contact_id"], event["reason"]) == (contact, "topic_changed")
    assert event["previous_operator_telegram_id"] == seller.telegram_id
