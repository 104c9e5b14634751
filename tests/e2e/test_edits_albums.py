"""A client's edits and albums reach the operator as the client meant them."""

import json

from fake_telegram import User
from tests.e2e.helpers import copies_from, settle
from tests.harness import ADMIN
from tests.support.switchboard import Switchboard

OLGA = User(1001, "Olga", username="olga_op")
ANNA = User(3001, "Anna")


async def test_an_edit_reaches_the_operator_as_a_marked_text(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    original = await telegram.send_message("alpha_bot", ANNA, "My order is 1234")
    await settle(switchboard)

    await telegram.edit_message("alpha_bot", ANNA, original["message_id"], "My order is 1243")
    await settle(switchboard)

    *_, card, notice, new_version = telegram.received("alpha_bot", OLGA.id)
    # The card carried the first message; what she first got stays as it was.
    assert card.plain_text.endswith("\n\nMy order is 1234")
    assert notice.method == "sendMessage"
    assert "edited" in notice.plain_text
    assert "#1" in notice.plain_text
    assert new_version.copied_from == (ANNA.id, original["message_id"])
    assert new_version.plain_text == "My order is 1243"


async def test_an_operators_edit_reaches_the_clients_copy_in_place(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    await telegram.send_message("alpha_bot", ANNA, "Is it in stock?")
    await settle(switchboard)
    answer = await telegram.send_message("alpha_bot", OLGA, "Yes, ten of them")
    await settle(switchboard)
    olga_before = len(telegram.received("alpha_bot", OLGA.id))
    anna_before = len(telegram.received("alpha_bot", ANNA.id))

    await telegram.edit_message("alpha_bot", OLGA, answer["message_id"], "Yes, <two> of them")
    await settle(switchboard)

    # Olga is told nothing; Anna's copy now says what Olga's message says, and nothing new came.
    assert len(telegram.received("alpha_bot", OLGA.id)) == olga_before
    assert len(telegram.received("alpha_bot", ANNA.id)) == anna_before
    (copy,) = copies_from(telegram, "alpha_bot", ANNA.id, OLGA)
    assert (copy.plain_text, copy.edits) == ("Yes, <two> of them", 1)
    (call,) = telegram.calls_of("editMessageText", "alpha_bot")
    assert int(call.params["chat_id"]) == ANNA.id


async def test_a_clients_edit_of_a_later_text_is_made_in_the_operators_copy(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    await telegram.send_message("alpha_bot", ANNA, "Hello")  # the card carries this one
    second = await telegram.send_message("alpha_bot", ANNA, "My order is 1234")
    await settle(switchboard)
    olga_before = len(telegram.received("alpha_bot", OLGA.id))

    await telegram.edit_message("alpha_bot", ANNA, second["message_id"], "My order is 1243")
    await settle(switchboard)

    assert len(telegram.received("alpha_bot", OLGA.id)) == olga_before
    *_, copy = copies_from(telegram, "alpha_bot", OLGA.id, ANNA)
    assert copy.copied_from == (ANNA.id, second["message_id"])
    assert (copy.plain_text, copy.edits) == ("My order is 1243", 1)


async def test_an_edit_to_the_longest_text_reaches_the_operator_whole(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    original = await telegram.send_message("alpha_bot", ANNA, "short")
    await settle(switchboard)

    longest = "<b>&amp; " + "x" * (4096 - 10)  # Telegram's limit, with HTML-like noise
    await telegram.edit_message("alpha_bot", ANNA, original["message_id"], longest)
    await settle(switchboard)

    *_, notice, new_version = telegram.received("alpha_bot", OLGA.id)
    assert "edited" in notice.plain_text
    assert new_version.plain_text == longest


async def test_an_album_reaches_the_operator_as_one_album(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    photos = [
        await telegram.send_media(
            "alpha_bot", ANNA, "photo", caption=f"photo {n}", media_group_id="anna-album"
        )
        for n in range(3)
    ]

    # The first photo is held back ALBUM_GATHER (1 s) so the rest can join it.
    await telegram.wait_for(lambda: len(copies_from(telegram, "alpha_bot", OLGA.id, ANNA)) == 3)

    copies = copies_from(telegram, "alpha_bot", OLGA.id, ANNA)
    assert [copy.copied_from[1] for copy in copies] == [p["message_id"] for p in photos]
    assert [copy.plain_text for copy in copies] == ["photo 0", "photo 1", "photo 2"]
    assert {copy.method for copy in copies} == {"copyMessages"}
    group = copies[0].media_group_id
    assert group is not None
    assert all(copy.media_group_id == group for copy in copies)
    (call,) = telegram.calls_of("copyMessages", "alpha_bot")
    assert json.loads(call.params["message_ids"]) == [p["message_id"] for p in photos]
    assert telegram.calls_of("copyMessage", "alpha_bot") == []


async def test_an_edit_that_changes_nothing_the_copy_shows_is_done_quietly(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    await telegram.send_message("alpha_bot", ANNA, "Hello")
    second = await telegram.send_message("alpha_bot", ANNA, "Same words")
    await settle(switchboard)
    olga_before = len(telegram.received("alpha_bot", OLGA.id))
    ada_before = len(telegram.received("alpha_bot", ADMIN.id))

    await telegram.edit_message("alpha_bot", ANNA, second["message_id"], "Same words")
    await settle(switchboard)

    (call,) = telegram.calls_of("editMessageText", "alpha_bot")
    assert call.status == 400  # Telegram: "message is not modified"
    assert len(telegram.received("alpha_bot", OLGA.id)) == olga_before
    # No "delivery failed" alert.
    assert len(telegram.received("alpha_bot", ADMIN.id)) == ada_before
