"""A new contact costs the operator one message: the card carries the client's first one."""

from fake_telegram import User
from tests.e2e.helpers import CARD_MARK, buttons, cards, copies_from, texts
from tests.support.switchboard import Switchboard

OLGA = User(1001, "Olga", username="olga_op")
ANNA = User(3001, "Anna")
HOSTILE = User(3002, "<b>&", last_name="</i>")


async def test_a_first_text_arrives_inside_the_card_and_a_reply_to_it_reaches_the_client(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    before = len(telegram.received("alpha_bot", OLGA.id))
    await telegram.send_message("alpha_bot", ANNA, "Where is my parcel?")
    await switchboard.idle()

    (card,) = telegram.received("alpha_bot", OLGA.id)[before:]
    assert card.method == "sendMessage"
    assert card.plain_text.startswith(CARD_MARK + "1 via @alpha_bot")
    assert card.plain_text.endswith("ends it.\n\nWhere is my parcel?")
    assert buttons(card) == [
        ("✅ Close #1", "close:1"),
        ("↪️ Transfer", "pass:1"),
        ("🚫 Block", "ban:1"),
    ]

    await telegram.send_message("alpha_bot", OLGA, "On its way", reply_to=card.message_id)
    await telegram.send_message("alpha_bot", ANNA, "Thanks")
    await switchboard.idle()
    assert [m.plain_text for m in copies_from(telegram, "alpha_bot", ANNA.id, OLGA)] == [
        "On its way"
    ]
    # Her next messages are copies, as before.
    assert [m.plain_text for m in copies_from(telegram, "alpha_bot", OLGA.id, ANNA)] == [
        card.plain_text,
        "Thanks",
    ]


async def test_the_card_keeps_the_clients_formatting_and_escapes_hostile_names(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    words = "see <this> & that"
    await telegram.send_raw(
        "alpha_bot",
        HOSTILE,
        {
            "text": words,
            "entities": [
                {"type": "bold", "offset": 0, "length": 3},
                {"type": "text_link", "offset": 13, "length": 4, "url": "https://example.com/"},
            ],
        },
    )
    await switchboard.idle()

    (card,) = cards(telegram, "alpha_bot", OLGA.id)
    assert card.plain_text.endswith("\n\n" + words)
    assert "Client: <b>& </i>" in card.plain_text
    assert "<b>see</b>" in card.text
    assert '<a href="https://example.com/">that</a>' in card.text


async def test_a_photo_carries_the_card_in_its_caption(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    before = len(telegram.received("alpha_bot", OLGA.id))
    photo = await telegram.send_media("alpha_bot", ANNA, "photo", caption="the broken lid")
    await switchboard.idle()

    (copy,) = telegram.received("alpha_bot", OLGA.id)[before:]
    assert copy.method == "copyMessage"
    assert copy.copied_from == (ANNA.id, photo["message_id"])
    assert copy.plain_text.startswith(CARD_MARK + "1")
    assert copy.plain_text.endswith("\n\nthe broken lid")
    assert buttons(copy) == [
        ("✅ Close #1", "close:1"),
        ("↪️ Transfer", "pass:1"),
        ("🚫 Block", "ban:1"),
    ]

    await telegram.send_message("alpha_bot", OLGA, "We send a new one", reply_to=copy.message_id)
    await switchboard.idle()
    assert texts(telegram, "alpha_bot", ANNA.id)[-1] == "We send a new one"


async def test_what_does_not_fit_goes_as_the_card_then_the_copy_and_both_are_answerable(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    long_caption = "x" * 1000  # fits a caption alone, not with the card
    await telegram.send_media("alpha_bot", ANNA, "photo", caption=long_caption)
    long_text = "y" * 4000  # fits a message alone, not with the card
    await telegram.send_message("beta_bot", ANNA, long_text)
    await switchboard.idle()

    for bot, kind, words in (("alpha_bot", "photo", long_caption), ("beta_bot", "text", long_text)):
        card, copy = telegram.received(bot, OLGA.id)[-2:]
        assert card.plain_text.startswith(CARD_MARK)
        assert buttons(card)
        assert (copy.method, copy.content_type, copy.plain_text) == ("copyMessage", kind, words)
        await telegram.send_message(bot, OLGA, "to the card", reply_to=card.message_id)
        await telegram.send_message(bot, OLGA, "to the copy", reply_to=copy.message_id)
        await switchboard.idle()
        assert texts(telegram, bot, ANNA.id)[-2:] == ["to the card", "to the copy"]


async def test_a_sticker_comes_after_its_card(switchboard: Switchboard):
    # What has no caption cannot carry the card (an album neither: test_edits_albums).
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    sticker = await telegram.send_media("alpha_bot", ANNA, "sticker")
    await switchboard.idle()

    card, copy = telegram.received("alpha_bot", OLGA.id)[-2:]
    assert card.plain_text.startswith(CARD_MARK)
    assert copy.copied_from == (ANNA.id, sticker["message_id"])
