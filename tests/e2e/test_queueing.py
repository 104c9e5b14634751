"""Operator limits: clients beyond them wait in a queue that drains as capacity frees up."""

from fake_telegram import User
from tests.e2e.helpers import cards, clients, copies_from, settle, texts
from tests.harness import ADMIN
from tests.support.switchboard import Switchboard

OLGA = User(1001, "Olga", username="olga_op")
JOINED = "An operator has joined and is reading your messages."


async def test_limit_queues_clients_and_freed_capacity_drains_the_queue(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA, limit=2)
    first, second, third, fourth, fifth = clients(5)
    for client in (first, second, third, fourth, fifth):
        await telegram.send_message("alpha_bot", client, f"Hi, {client.first_name} here")
    await settle(switchboard)

    for client in (first, second):
        assert "operator has your message" in texts(telegram, "alpha_bot", client.id)[0]
    for client in (third, fourth, fifth):
        assert "You are in the queue" in texts(telegram, "alpha_bot", client.id)[0]
    assert [card.plain_text.splitlines()[0] for card in cards(telegram, "alpha_bot", OLGA.id)] == [
        "📨 New contact #1 via @alpha_bot",
        "📨 New contact #2 via @alpha_bot",
    ]
    queue = await switchboard.command(ADMIN, "/queue")
    assert "Queue: 3 contacts, oldest first:" in queue
    assert queue.index("#3 via @alpha_bot: Client 2") < queue.index("#4 via @alpha_bot: Client 3")
    assert queue.index("#4 via") < queue.index("#5 via @alpha_bot: Client 4")

    # A queued client keeps writing; nothing reaches the operator yet.
    still = await telegram.send_message("alpha_bot", third, "Still there?")
    await switchboard.idle()
    assert copies_from(telegram, "alpha_bot", OLGA.id, third) == []

    closed = await switchboard.command(OLGA, "/close 1")
    assert closed.startswith("✅ Contact #1 is closed.")
    assert texts(telegram, "alpha_bot", first.id)[-1].startswith("This conversation is closed")
    # The oldest queued contact got the freed slot at once: card, then its whole backlog.
    assert "📨 New contact #3 via @alpha_bot" in closed
    relayed = copies_from(telegram, "alpha_bot", OLGA.id, third)
    assert [copy.copied_from[1] for copy in relayed] == [1, still["message_id"]]
    assert [copy.plain_text for copy in relayed] == ["Hi, Client 2 here", "Still there?"]
    assert texts(telegram, "alpha_bot", third.id)[-1] == JOINED
    for waiting in (fourth, fifth):
        assert len(telegram.received("alpha_bot", waiting.id)) == 1, "still only 'queued'"

    raised = await switchboard.command(ADMIN, "/limit @olga_op 4")
    assert raised == "Limit of Olga: 2 → 4."
    for client in (fourth, fifth):
        assert texts(telegram, "alpha_bot", client.id)[-1] == JOINED
    assert len(cards(telegram, "alpha_bot", OLGA.id)) == 5
    assert await switchboard.command(ADMIN, "/queue") == "The queue is empty."
    me = await switchboard.command(OLGA, "/me")
    assert me.startswith("Olga: active, 4 open of 4.")


async def test_lowering_a_limit_keeps_open_contacts_and_queues_new_ones(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA, limit=3)
    first, second, third = clients(3)
    for client in (first, second):
        await telegram.send_message("alpha_bot", client, "Hello")
    await settle(switchboard)

    assert await switchboard.command(ADMIN, "/limit @olga_op 1") == "Limit of Olga: 3 → 1."
    await telegram.send_message("alpha_bot", third, "Hello")
    await settle(switchboard)

    assert "You are in the queue" in texts(telegram, "alpha_bot", third.id)[0]
    contacts = await switchboard.command(OLGA, "/contacts")
    assert "Your open contacts (2):" in contacts
    assert "Client 0" in contacts
    assert "Client 1" in contacts
    # Closing one still leaves her at the limit: the queued client keeps waiting.
    await switchboard.command(OLGA, "/close 1")
    assert len(telegram.received("alpha_bot", third.id)) == 1
    await switchboard.command(OLGA, "/close 2")
    assert texts(telegram, "alpha_bot", third.id)[-1] == JOINED
