"""A queue of 20 clients drains oldest first the moment capacity frees, whichever way it frees.

The harness retries the queue only every hour, so whatever drains here was driven by the event.
"""

from fake_telegram import FakeTelegram, Received, User
from tests.e2e.helpers import cards, clients, copies_from, settle, texts
from tests.harness import ADMIN
from tests.support.switchboard import Switchboard

OLGA = User(1001, "Olga", username="olga_op")
PETR = User(1002, "Petr", username="petr_op")
FIRST = User(3001, "First")  # takes Olga's only slot
QUEUED = clients(20)  # contacts #2 … #21, in this order
JOINED = "An operator has joined and is reading your messages."


def contact_numbers(telegram: FakeTelegram, operator: User) -> list[int]:
    """The contacts an operator got, by the numbers on their cards, in the order received."""
    return [
        int(card.plain_text.split("#")[1].split()[0])
        for card in cards(telegram, "alpha_bot", operator.id)
    ]


def joined(telegram: FakeTelegram) -> list[User]:
    """The queued clients who were told an operator joined, in queue order."""
    return [c for c in QUEUED if JOINED in texts(telegram, "alpha_bot", c.id)]


def assert_handed_over(telegram: FakeTelegram, operator: User, client: User, sent: list[int]):
    """The operator got the client's card and then everything the client wrote, in order."""
    received = telegram.received("alpha_bot", operator.id)
    (card,) = [c for c in cards(telegram, "alpha_bot", operator.id) if is_about(c, client)]
    copies = copies_from(telegram, "alpha_bot", operator.id, client)
    assert [copy.copied_from[1] for copy in copies] == sent
    assert all(received.index(copy) > received.index(card) for copy in copies)


def is_about(card: Received, client: User) -> bool:
    """Whether a card is about ``client``."""
    return f"(id {client.id})" in (card.plain_text or "")


async def test_queue_drains_oldest_first_on_close_new_operator_and_raised_limit(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA, limit=1, bots=("alpha_bot",))
    await telegram.send_message("alpha_bot", FIRST, "Hello")
    sent: dict[int, list[int]] = {client.id: [] for client in QUEUED}
    for text in ("Hello", "Are you there?"):  # everyone writes, then everyone writes again
        for client in QUEUED:
            message = await telegram.send_message("alpha_bot", client, f"{text} ({client.id})")
            sent[client.id].append(message["message_id"])
    await settle(switchboard)
    assert all("You are in the queue" in texts(telegram, "alpha_bot", c.id)[0] for c in QUEUED)
    assert contact_numbers(telegram, OLGA) == [1]

    # (a) Olga closes her contact: the oldest queued one takes the slot.
    await switchboard.command(OLGA, "/close 1")
    assert joined(telegram) == QUEUED[:1]
    assert contact_numbers(telegram, OLGA) == [1, 2]
    assert_handed_over(telegram, OLGA, QUEUED[0], sent[QUEUED[0].id])

    # (b) A new operator: nothing moves until he can be reached (has started the bot).
    await switchboard.command(ADMIN, f"/addop {PETR.id} 1")
    assert joined(telegram) == QUEUED[:1]
    await switchboard.command(PETR, "/start")
    assert joined(telegram) == QUEUED[:2]
    assert contact_numbers(telegram, PETR) == [3]
    assert_handed_over(telegram, PETR, QUEUED[1], sent[QUEUED[1].id])

    # (c) His limit raised to 5: the next four, oldest first.
    await switchboard.command(ADMIN, f"/limit {PETR.id} 5")
    assert joined(telegram) == QUEUED[:6]
    assert contact_numbers(telegram, PETR) == [3, 4, 5, 6, 7]
    for client in QUEUED[2:6]:
        assert_handed_over(telegram, PETR, client, sent[client.id])

    queue = await switchboard.command(ADMIN, "/queue")
    assert "Queue: 14 contacts, oldest first:" in queue
    for client in QUEUED[6:]:
        assert len(telegram.received("alpha_bot", client.id)) == 1, "only 'you are queued'"
