"""An operator with several open contacts: replies reach the right client."""

from fake_telegram import User
from tests.e2e.helpers import buttons, cards, clients, copies_from, settle, texts
from tests.harness import ADMIN
from tests.support.switchboard import Switchboard

OLGA = User(1001, "Olga", username="olga_op")
PETE = User(1002, "Pete", username="pete_op")
ANNA = User(3001, "Anna")
BEN = User(3002, "Ben", last_name="Stone", username="ben_s")


async def _two_open_contacts(switchboard: Switchboard) -> None:
    """Olga is the only operator; Anna (contact #1), then Ben (#2) write to alpha_bot."""
    await switchboard.add_operator(OLGA)
    for client in (ANNA, BEN):
        await switchboard.telegram.send_message("alpha_bot", client, f"I am {client.first_name}")
        await switchboard.idle()


def _relayed(switchboard: Switchboard, client: User) -> list[str]:
    """What Olga's answers look like in a client's chat."""
    return [
        item.plain_text or ""
        for item in copies_from(switchboard.telegram, "alpha_bot", client.id, OLGA)
    ]


async def test_replies_reach_the_client_they_answer(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _two_open_contacts(switchboard)
    (anna_copy,) = copies_from(telegram, "alpha_bot", OLGA.id, ANNA)
    (ben_copy,) = copies_from(telegram, "alpha_bot", OLGA.id, BEN)
    anna_card, ben_card = cards(telegram, "alpha_bot", OLGA.id)

    await telegram.send_message("alpha_bot", OLGA, "For Ben", reply_to=ben_copy.message_id)
    await telegram.send_message("alpha_bot", OLGA, "For Anna", reply_to=anna_copy.message_id)
    await telegram.send_message("alpha_bot", OLGA, "Anna again", reply_to=anna_card.message_id)
    await switchboard.idle()
    assert _relayed(switchboard, ANNA) == ["For Anna", "Anna again"]
    assert _relayed(switchboard, BEN) == ["For Ben"]

    # Replying to her own earlier answer works too.
    own = await telegram.send_message(
        "alpha_bot", OLGA, "Ben, one more", reply_to=ben_card.message_id
    )
    await telegram.send_message("alpha_bot", OLGA, "and this", reply_to=own["message_id"])
    await switchboard.idle()
    assert _relayed(switchboard, BEN) == ["For Ben", "Ben, one more", "and this"]


async def test_unaddressed_message_asks_which_contact(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _two_open_contacts(switchboard)

    unaddressed = await telegram.send_message("alpha_bot", OLGA, "Which of you was it?")
    await switchboard.idle()
    question = telegram.received("alpha_bot", OLGA.id)[-1]
    assert question.plain_text == "You have several open contacts here. Which one is this for?"
    assert question.reply_to == unaddressed["message_id"]
    labels = [label for label, _ in buttons(question)]
    assert labels == ["#1 Anna (id 3001)", "#2 Ben Stone @ben_s (id 3002)"]
    assert _relayed(switchboard, ANNA) == _relayed(switchboard, BEN) == []

    _, for_ben = buttons(question)[1]
    await telegram.press_button("alpha_bot", OLGA, question.message_id, for_ben)
    await telegram.wait_for(lambda: question.edited)
    await switchboard.idle()
    assert _relayed(switchboard, BEN) == ["Which of you was it?"]
    assert _relayed(switchboard, ANNA) == []
    assert question.plain_text == "Sent to contact #2."


async def test_a_second_tap_on_which_contact_says_where_the_message_went(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await _two_open_contacts(switchboard)
    await telegram.send_message("alpha_bot", OLGA, "Which of you was it?")
    await switchboard.idle()
    question = telegram.received("alpha_bot", OLGA.id)[-1]
    (_, for_anna), (_, for_ben) = buttons(question)

    # Both taps arrive before the first one has changed the question.
    await telegram.press_button("alpha_bot", OLGA, question.message_id, for_anna)
    await telegram.press_button("alpha_bot", OLGA, question.message_id, for_ben)
    await settle(switchboard)

    assert _relayed(switchboard, ANNA) == ["Which of you was it?"]
    assert _relayed(switchboard, BEN) == []
    assert question.plain_text == "This message was sent to contact #1 already."


async def test_more_open_contacts_than_buttons_offers_the_most_recently_active(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA, limit=60, bots=("alpha_bot",))
    writers = clients(52)
    for client in writers:
        await telegram.send_message("alpha_bot", client, "Hello")
    await settle(switchboard)
    # The first two write again: of the 52 contacts, #3 and #4 are now the least active.
    for client in writers[:2]:
        await telegram.send_message("alpha_bot", client, "Still there?")
    await settle(switchboard)

    await telegram.send_message("alpha_bot", OLGA, "Hello all")
    await switchboard.idle()
    question = telegram.received("alpha_bot", OLGA.id)[-1]
    assert question.plain_text == (
        "You have several open contacts here. Which one is this for?\n"
        "Only the 50 with the latest activity are listed; 2 more are open. "
        "To answer one of those, reply to one of its messages."
    )
    offered = [label.split()[0] for label, _ in buttons(question)]
    assert offered == ["#1", "#2", *(f"#{n}" for n in range(5, 53))]


async def test_close_by_reply_and_by_number(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _two_open_contacts(switchboard)
    (anna_copy,) = copies_from(telegram, "alpha_bot", OLGA.id, ANNA)

    before = len(telegram.received("alpha_bot", OLGA.id))
    await telegram.send_message("alpha_bot", OLGA, "/close", reply_to=anna_copy.message_id)
    await switchboard.idle()
    assert texts(telegram, "alpha_bot", OLGA.id, before) == ["✅ Contact #1 is closed."]
    assert texts(telegram, "alpha_bot", ANNA.id)[-1].startswith("This conversation is closed")
    assert not texts(telegram, "alpha_bot", BEN.id)[-1].startswith("This conversation is closed")

    # Answering a closed contact is refused rather than sent anywhere else.
    late = await telegram.send_message("alpha_bot", OLGA, "Bye!", reply_to=anna_copy.message_id)
    await switchboard.idle()
    refusal = telegram.received("alpha_bot", OLGA.id)[-1]
    assert refusal.plain_text == "Contact #1 is closed; your message was not sent."
    assert refusal.reply_to == late["message_id"]
    assert _relayed(switchboard, ANNA) == _relayed(switchboard, BEN) == []

    # With one open contact left, a message without a reply goes to it.
    await telegram.send_message("alpha_bot", OLGA, "Only you now")
    await switchboard.idle()
    assert _relayed(switchboard, BEN) == ["Only you now"]

    assert await switchboard.command(OLGA, "/close 99") == "There is no contact #99."
    assert await switchboard.command(OLGA, "/close 1") == "Contact #1 is closed already."
    assert await switchboard.command(OLGA, "/close soon") == (
        "Usage: /close <contact number>, or reply /close to a message."
    )
    assert await switchboard.command(OLGA, "/close") == "✅ Contact #2 is closed."
    assert await switchboard.command(OLGA, "/contacts") == "You have no open contacts."
    assert await switchboard.command(OLGA, "/close") == (
        "Usage: /close <contact number>, or reply /close to a message."
    )


async def test_operator_cannot_touch_another_operators_contact(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _two_open_contacts(switchboard)
    await switchboard.add_operator(PETE)

    assert await switchboard.command(PETE, "/close 1") == "Contact #1 is not yours."
    assert await switchboard.command(PETE, "/contacts") == "You have no open contacts."
    await telegram.send_message("alpha_bot", PETE, "Hello?")
    await switchboard.idle()
    assert texts(telegram, "alpha_bot", PETE.id)[-1] == (
        "You have no open contact in this bot to send this to."
    )
    assert _relayed(switchboard, ANNA) == _relayed(switchboard, BEN) == []
    assert not texts(telegram, "alpha_bot", ANNA.id)[-1].startswith("This conversation is closed")


async def test_answer_to_a_contact_given_to_another_operator_says_so(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await _two_open_contacts(switchboard)
    await switchboard.add_operator(PETE)
    anna_card, _ = cards(telegram, "alpha_bot", OLGA.id)
    assert await switchboard.command(ADMIN, "/assign 1 @pete_op") == (
        "Contact #1 is now with @pete_op."
    )

    late = await telegram.send_message(
        "alpha_bot", OLGA, "Here is your answer", reply_to=anna_card.message_id
    )
    await switchboard.idle()

    refusal = telegram.received("alpha_bot", OLGA.id)[-1]
    assert refusal.plain_text == (
        "Contact #1 was given to another operator; your message was not sent."
    )
    assert refusal.reply_to == late["message_id"]
    assert _relayed(switchboard, ANNA) == []


async def test_an_old_button_of_a_removed_operator_is_answered(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _two_open_contacts(switchboard)
    anna_card, _ = cards(telegram, "alpha_bot", OLGA.id)
    await switchboard.command(ADMIN, f"/delop {OLGA.id}")

    for _, data in buttons(anna_card):  # Close, Transfer
        query_id = await telegram.press_button("alpha_bot", OLGA, anna_card.message_id, data)
        await switchboard.idle()

        (answer,) = [a for a in telegram.answered_callbacks if a["callback_query_id"] == query_id]
        assert (answer["text"], answer["show_alert"]) == ("This button is no longer valid.", True)


async def test_operator_media_reaches_the_client(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _two_open_contacts(switchboard)
    (ben_copy,) = copies_from(telegram, "alpha_bot", OLGA.id, BEN)

    photo = await telegram.send_media(
        "alpha_bot", OLGA, "photo", caption="Here is the diagram", reply_to=ben_copy.message_id
    )
    voice = await telegram.send_media("alpha_bot", OLGA, "voice", reply_to=ben_copy.message_id)
    await switchboard.idle()

    relayed = copies_from(telegram, "alpha_bot", BEN.id, OLGA)
    assert [(item.method, item.content_type) for item in relayed] == [
        ("copyMessage", "photo"),
        ("copyMessage", "voice"),
    ]
    assert [item.copied_from[1] for item in relayed] == [photo["message_id"], voice["message_id"]]
    assert relayed[0].plain_text == "Here is the diagram"
    assert _relayed(switchboard, ANNA) == []


async def test_what_telegram_cannot_copy_stays_with_the_operator(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    await telegram.send_message("alpha_bot", ANNA, "Hello")
    await switchboard.idle()
    before = len(telegram.received("alpha_bot", OLGA.id))

    game = {"game": {"title": "Snake", "description": "A game", "photo": []}}
    await telegram.send_raw("alpha_bot", OLGA, game)
    timer = {"message_auto_delete_timer_changed": {"message_auto_delete_time": 86_400}}
    await telegram.send_raw("alpha_bot", OLGA, timer)
    await switchboard.idle()

    assert texts(telegram, "alpha_bot", OLGA.id, since=before) == [
        "Telegram does not let bots pass this kind of message on; it was not sent."
    ]
    assert _relayed(switchboard, ANNA) == []


async def test_an_operator_who_unblocks_a_bot_and_writes_there_gets_contacts_again(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA, bots=("alpha_bot",))
    telegram.block("alpha_bot", OLGA.id)
    await telegram.send_message("alpha_bot", ANNA, "Hello")
    await settle(switchboard)
    assert texts(telegram, "alpha_bot", ADMIN.id)[-1] == (
        "⚠️ Operator Olga (1001) blocked @alpha_bot; 1 contact from it went back to the "
        "queue. Their next message to a client through @alpha_bot, or /start there, undoes this."
    )

    telegram.unblock("alpha_bot", OLGA.id)
    await telegram.send_message("alpha_bot", OLGA, "I'm back")
    await settle(switchboard)

    (card,) = cards(telegram, "alpha_bot", OLGA.id)
    assert "Client: Anna (id 3001)" in card.plain_text
