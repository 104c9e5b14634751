"""A client's whole conversation, through the real bot and HTTP."""

from fake_telegram import User
from tests.support.switchboard import Switchboard

OLGA = User(1001, "Olga", username="olga_op")
HOSTILE = User(5001, "<b>&amp;", last_name="</i>", username="evil_user")


async def test_client_lifecycle(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)

    before = len(telegram.received("alpha_bot", OLGA.id))
    await telegram.send_message("alpha_bot", HOSTILE, "Hello, I need help")

    (ack,) = await telegram.wait_received("alpha_bot", HOSTILE.id, 1)
    assert "operator has your message" in ack.plain_text
    # One message: the card carries her first words.
    (card,) = (await telegram.wait_received("alpha_bot", OLGA.id, before + 1))[before:]
    assert "Client: <b>&amp; </i> (id 5001)\nℹ️ @evil_user · " in card.plain_text
    assert "@alpha_bot" in card.plain_text
    assert card.plain_text.endswith("\n\nHello, I need help")

    answer = await telegram.send_message(
        "alpha_bot", OLGA, "How can I help?", reply_to=card.message_id
    )
    _, relayed = await telegram.wait_received("alpha_bot", HOSTILE.id, 2)
    assert relayed.method == "copyMessage"
    assert relayed.copied_from == (OLGA.id, answer["message_id"])
    assert relayed.plain_text == "How can I help?"

    close_data = card.reply_markup["inline_keyboard"][0][0]["callback_data"]
    await telegram.press_button("alpha_bot", OLGA, card.message_id, close_data)
    *_, closed = await telegram.wait_received("alpha_bot", HOSTILE.id, 3)
    assert "conversation is closed" in closed.plain_text
    await switchboard.idle()
    assert "Contact #1 is closed" in telegram.received("alpha_bot", OLGA.id)[-1].plain_text


async def test_the_card_lists_the_clients_earlier_contacts_from_every_bot(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    await telegram.send_message("alpha_bot", HOSTILE, "First question")
    await switchboard.idle()
    first_card = telegram.received("alpha_bot", OLGA.id)[-1]
    assert "First contact of this client." in first_card.plain_text
    await switchboard.command(OLGA, "/close 1")

    await telegram.send_message("beta_bot", HOSTILE, "Another question, another bot")
    await switchboard.idle()

    card = telegram.received("beta_bot", OLGA.id)[-1]
    assert "New contact #2 via @beta_bot" in card.plain_text
    assert "Earlier contacts:" in card.plain_text
    assert "#1 via @alpha_bot, closed" in card.plain_text
