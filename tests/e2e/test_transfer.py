"""An operator passes a contact to a colleague with /transfer."""

from fake_telegram import User
from tests.e2e.helpers import CARD_MARK, buttons, cards, copies_from, texts
from tests.support.switchboard import Switchboard

OLGA = User(1001, "Olga", username="olga_op")
PETE = User(1002, "Pete", username="pete_op")
ANNA = User(3001, "Anna")
BEN = User(3002, "Ben")


async def _olga_has_anna(switchboard: Switchboard, pete_limit: int = 5) -> None:
    """Olga (limit 1) has Anna's contact #1 (two messages); Pete is free."""
    await switchboard.add_operator(OLGA, limit=1)
    await switchboard.add_operator(PETE, limit=pete_limit, bots=("alpha_bot",))
    await switchboard.command(PETE, "/pause")
    await switchboard.telegram.send_message("alpha_bot", ANNA, "My refund is late")
    await switchboard.telegram.send_message("alpha_bot", ANNA, "Order 1234")
    await switchboard.idle()
    await switchboard.command(PETE, "/resume")


async def test_a_colleague_gets_the_contact_the_note_and_the_conversation(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await _olga_has_anna(switchboard)
    # Olga is full, and Pete does not answer beta_bot: Ben waits.
    await telegram.send_message("beta_bot", BEN, "Hello?")
    await switchboard.idle()
    assert cards(telegram, "beta_bot", OLGA.id) == []
    pete_before = len(telegram.received("alpha_bot", PETE.id))

    answer = await switchboard.command(OLGA, "/transfer 1 @pete_op She was promised a call")

    assert answer == (
        "Contact #1 is now with @pete_op; the client is told that another operator continues."
    )
    note, card, *copies = telegram.received("alpha_bot", PETE.id)[pete_before:]
    assert note.plain_text == "↪️ Olga passed contact #1 to you. Their note: She was promised a call"
    assert card.plain_text.startswith(CARD_MARK + "1")
    assert [c.plain_text for c in copies] == ["My refund is late", "Order 1234"]
    assert texts(telegram, "alpha_bot", ANNA.id)[-1] == (
        "Another operator continues this conversation and has read your messages so far."
    )
    # Olga's slot is free: Ben, who waited, is hers now.
    assert "Ben" in cards(telegram, "beta_bot", OLGA.id)[-1].plain_text

    await telegram.send_message("alpha_bot", PETE, "Calling you now", reply_to=card.message_id)
    old_card = cards(telegram, "alpha_bot", OLGA.id)[0]
    await telegram.send_message("alpha_bot", OLGA, "Still me", reply_to=old_card.message_id)
    await switchboard.idle()
    assert [m.plain_text for m in copies_from(telegram, "alpha_bot", ANNA.id, PETE)] == [
        "Calling you now"
    ]
    assert copies_from(telegram, "alpha_bot", ANNA.id, OLGA) == []
    assert "given to another operator" in texts(telegram, "alpha_bot", OLGA.id)[-1]


async def test_without_a_note_the_colleague_is_told_who_passed_it(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _olga_has_anna(switchboard)
    pete_before = len(telegram.received("alpha_bot", PETE.id))

    await switchboard.command(OLGA, f"/transfer #1 {PETE.id}")

    assert texts(telegram, "alpha_bot", PETE.id, pete_before)[0] == (
        "↪️ Olga passed contact #1 to you."
    )


async def test_refusals_change_nothing(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _olga_has_anna(switchboard, pete_limit=0)  # Pete can take nothing
    client = "This command is for operators."
    assert await switchboard.command(ANNA, "/transfer 1 @pete_op") == client
    anna_before = len(telegram.received("alpha_bot", ANNA.id))
    usage = "Usage: /transfer <contact number> <op> [note for your colleague]"
    refusals = {
        (OLGA, "/transfer"): usage,
        (OLGA, "/transfer 1"): usage,
        (OLGA, "/transfer one @pete_op"): usage,
        (OLGA, "/transfer 1 @nobody"): "There is no operator @nobody.",
        (OLGA, "/transfer 1 @olga_op"): "Contact #1 is yours already.",
        (OLGA, "/transfer 9 @pete_op"): "There is no contact #9.",
        (PETE, "/transfer 1 @olga_op"): "Contact #1 is not yours.",
        (OLGA, "/transfer 1 @pete_op"): (
            "@pete_op cannot take it: inactive, paused, has not started this bot, or at the limit."
        ),
        (OLGA, "/transfer 1 @pete_op " + "x" * 1001): (
            "Nothing changed: the note has 1001 characters; at most 1000 are allowed."
        ),
    }
    for (user, command), expected in refusals.items():
        assert await switchboard.command(user, command) == expected, command

    assert len(telegram.received("alpha_bot", ANNA.id)) == anna_before
    assert (await switchboard.command(OLGA, "/contacts")).count("#1 via @alpha_bot") == 1


async def test_the_cards_button_lists_free_colleagues_and_passes_the_contact(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await _olga_has_anna(switchboard)
    (card,) = cards(telegram, "alpha_bot", OLGA.id)

    await telegram.press_button("alpha_bot", OLGA, card.message_id, "pass:1")
    await switchboard.idle()
    question = telegram.received("alpha_bot", OLGA.id)[-1]
    assert question.plain_text == ("Contact #1: to whom? (Colleagues who can take it now.)")
    assert buttons(question) == [("Pete", f"passto:1:{PETE.id}")]

    await telegram.press_button("alpha_bot", OLGA, question.message_id, f"passto:1:{PETE.id}")
    await switchboard.idle()
    assert telegram.received("alpha_bot", OLGA.id)[-1].plain_text == (
        "Contact #1 is now with Pete; the client is told that another operator continues."
    )
    assert "↪️ Olga passed contact #1 to you." in texts(telegram, "alpha_bot", PETE.id)
    assert (await switchboard.command(PETE, "/contacts")).count("#1 via @alpha_bot") == 1

    # The question lost its buttons; the card's button now answers that the contact is gone.
    assert buttons(telegram.received("alpha_bot", OLGA.id)[-1]) == []
    query = await telegram.press_button("alpha_bot", OLGA, card.message_id, "pass:1")
    await switchboard.idle()
    (answer,) = [a for a in telegram.answered_callbacks if a["callback_query_id"] == query]
    assert answer["text"] == "Contact #1 is not yours."


async def test_with_no_free_colleague_the_button_says_so_and_nothing_changes(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await _olga_has_anna(switchboard, pete_limit=0)
    (card,) = cards(telegram, "alpha_bot", OLGA.id)

    await telegram.press_button("alpha_bot", OLGA, card.message_id, "pass:1")
    await switchboard.idle()

    answer = telegram.received("alpha_bot", OLGA.id)[-1]
    assert answer.plain_text == (
        "No colleague can take contact #1 now (all are busy, paused or have not started this "
        "bot); it stays with you."
    )
    assert buttons(answer) == []
    assert (await switchboard.command(OLGA, "/contacts")).count("#1 via @alpha_bot") == 1
