"""What clients send reaches operators intact: hostile names, long texts, every media type."""

from fake_telegram import User
from tests.e2e.helpers import CARD_MARK, buttons, cards, copies_from, settle, texts
from tests.harness import ADMIN
from tests.support.switchboard import Switchboard

OLGA = User(1001, "Olga", username="olga_op")
HOSTILE = User(5001, "<b>&amp;", last_name="</i>", username="evil_user")
HOSTILE_OP = User(1002, "<i>&lt;Op", last_name="&", username="evil_op")
SHOWN = "<b>&amp; </i> @evil_user (id 5001)"  # the hostile client, exactly as typed
ANNA = User(3001, "Anna")
TELEGRAM_LIMIT = 4096


async def test_hostile_client_name_renders_everywhere(switchboard: Switchboard):
    telegram = switchboard.telegram
    await telegram.send_message("alpha_bot", HOSTILE, "Hello")
    await settle(switchboard)
    assert "You are in the queue" in texts(telegram, "alpha_bot", HOSTILE.id)[0]

    queue = await switchboard.command(ADMIN, "/queue")
    assert f"#1 via @alpha_bot: {SHOWN}, waiting 0 min" in queue

    await switchboard.add_operator(OLGA)
    (card,) = cards(telegram, "alpha_bot", OLGA.id)
    # The card names them once: @username and phone are on the line under it.
    assert "Client: <b>&amp; </i> (id 5001)\nℹ️ @evil_user · " in card.plain_text
    await telegram.send_message("alpha_bot", ANNA, "Hi")
    await switchboard.idle()
    contacts = await switchboard.command(OLGA, "/contacts")
    assert f"#1 via @alpha_bot: {SHOWN}, new, " in contacts

    # Button labels are not HTML: the name must appear as typed there, too.
    await telegram.send_message("alpha_bot", OLGA, "To whom?")
    await switchboard.idle()
    question = telegram.received("alpha_bot", OLGA.id)[-1]
    assert [label for label, _ in buttons(question)] == [f"#1 {SHOWN}", "#2 Anna (id 3001)"]


async def test_hostile_operator_name_renders_in_admin_views(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(HOSTILE_OP)
    shown = "<i>&lt;Op &"
    await telegram.send_message("alpha_bot", HOSTILE, "Hello")
    await switchboard.idle()
    assert len(cards(telegram, "alpha_bot", HOSTILE_OP.id)) == 1

    operators = await switchboard.command(ADMIN, "/operators")
    assert f"{shown} (1002, @evil_op): active, 1/5" in operators
    weights = await switchboard.command(ADMIN, "/weights")
    assert f"{shown}: weight 1, share 100%" in weights
    stats = await switchboard.command(ADMIN, "/stats")
    assert f"{shown}: 1 (100%, weight share 100%)" in stats
    assert f"{shown}: 1/5 open, 1 got, 0 closed" in stats
    me = await switchboard.command(HOSTILE_OP, "/me")
    assert me.startswith(f"{shown}: active, 1 open of 5.")
    limit = await switchboard.command(ADMIN, "/limit @evil_op 2")
    assert limit == f"Limit of {shown}: 5 → 2."


async def test_long_texts_are_relayed_intact(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    # Characters that would break HTML if anything re-parsed the text on the way.
    question = ("<b>Q</b> & a ünïcødé 😀 line\n" * 200)[:TELEGRAM_LIMIT]
    assert len(question) == TELEGRAM_LIMIT
    sent = await telegram.send_message("alpha_bot", ANNA, question)
    await switchboard.idle()
    (copy,) = copies_from(telegram, "alpha_bot", OLGA.id, ANNA)
    assert copy.copied_from == (ANNA.id, sent["message_id"])
    assert copy.text == question

    answer = "A" * (TELEGRAM_LIMIT - 1) + "!"
    await telegram.send_message("alpha_bot", OLGA, answer, reply_to=copy.message_id)
    await switchboard.idle()
    relayed = telegram.received("alpha_bot", ANNA.id)[-1]
    assert relayed.method == "copyMessage"
    assert relayed.text == answer


async def test_every_media_type_reaches_the_operator(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    kinds = ("photo", "document", "voice", "video", "sticker", "location", "contact")
    sent = []
    for kind in kinds:
        caption = f"my {kind}" if kind in ("photo", "document", "voice", "video") else None
        sent.append(await telegram.send_media("alpha_bot", ANNA, kind, caption=caption))
    await switchboard.idle()

    assert len(cards(telegram, "alpha_bot", OLGA.id)) == 1, "one contact for all of them"
    copies = copies_from(telegram, "alpha_bot", OLGA.id, ANNA)
    assert [(copy.method, copy.content_type) for copy in copies] == [
        ("copyMessage", kind) for kind in kinds
    ]
    assert [copy.copied_from[1] for copy in copies] == [m["message_id"] for m in sent]
    # The first one carries the card in its caption: one message for the new contact.
    assert copies[0].plain_text.startswith(CARD_MARK)
    assert copies[0].plain_text.endswith("\n\nmy photo")
    assert buttons(copies[0]) == [
        ("✅ Close #1", "close:1"),
        ("↪️ Transfer", "pass:1"),
        ("🚫 Block", "ban:1"),
    ]
    assert [copy.plain_text for copy in copies[1:4]] == [
        "my document",
        "my voice",
        "my video",
    ]
    # Sharing one's own contact card tells the operator the phone number.
    phone = sent[-1]["contact"]["phone_number"]
    contacts = await switchboard.command(OLGA, "/contacts")
    assert f"Anna (id 3001, {phone})" in contacts


async def test_long_queue_is_split_into_messages_telegram_accepts(switchboard: Switchboard):
    telegram = switchboard.telegram
    # Telegram allows 64 characters per name; HTML-special ones make the escaped text longer.
    waiting = [
        User(
            40_000 + n,
            f"{n:03d} " + "&<Long>" * 8 + "x" * 4,
            last_name="Ü&" * 32,
            username=f"client_{n:03d}_with_a_long_name",
        )
        for n in range(120)
    ]
    for client in waiting:
        await telegram.send_message("alpha_bot", client, "Anyone there?")
    await settle(switchboard)

    before = len(telegram.received("alpha_bot", ADMIN.id))
    await switchboard.command(ADMIN, "/queue")
    pages = telegram.received("alpha_bot", ADMIN.id)[before:]
    assert len(pages) > 1
    assert all(len(page.plain_text) <= TELEGRAM_LIMIT for page in pages)
    shown = "\n".join(page.plain_text for page in pages)
    assert shown.startswith("Queue: 120 contacts, oldest first:")
    lines = shown.splitlines()[1:]
    listed = [line for line in lines if line.startswith("#")]
    assert listed[0].startswith(f"#1 via @alpha_bot: {waiting[0].first_name} {'Ü&' * 32}")
    # The oldest 50, in order, and how many more wait.
    assert [line.split()[0] for line in listed] == [f"#{n}" for n in range(1, 51)]
    assert lines[-1] == "…and 70 more."


UNSUPPORTED = "Sorry, this kind of message cannot be passed on. Please send text."
QUIZ = {
    "id": "quiz-1",
    "question": "2 + 2?",
    "options": [
        {"persistent_id": "0", "text": "4", "voter_count": 0},
        {"persistent_id": "1", "text": "5", "voter_count": 0},
    ],
    "total_voter_count": 0,
    "is_closed": False,
    "is_anonymous": True,
    "type": "quiz",
    "allows_multiple_answers": False,
    "allows_revoting": False,
    "members_only": False,
}


async def test_what_telegram_cannot_copy_gets_a_clear_answer_and_opens_nothing(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    invoice = {
        "title": "Order",
        "description": "Pay for it",
        "start_parameter": "pay",
        "currency": "EUR",
        "total_amount": 500,
    }
    await telegram.send_raw("alpha_bot", ANNA, {"invoice": invoice})
    # A forwarded quiz comes without its answer; Telegram copies a quiz only with it.
    await telegram.send_raw("alpha_bot", ANNA, {"poll": QUIZ})
    await switchboard.idle()
    assert texts(telegram, "alpha_bot", ANNA.id) == [UNSUPPORTED, UNSUPPORTED]
    assert await switchboard.command(ADMIN, "/queue") == "The queue is empty."

    await telegram.send_raw("alpha_bot", ANNA, {"poll": {**QUIZ, "correct_option_id": 0}})
    await switchboard.idle()
    assert "You are in the queue" in texts(telegram, "alpha_bot", ANNA.id)[-1]


async def test_service_messages_and_group_chats_are_not_conversations(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    before = len(telegram.calls)

    timer = {"message_auto_delete_timer_changed": {"message_auto_delete_time": 86_400}}
    await telegram.send_raw("alpha_bot", ANNA, timer)
    # A group the bot was added to: clients, operators and admins talk there among themselves.
    for user, text in ((ANNA, "Hello all"), (OLGA, "Hi"), (ADMIN, "/queue"), (ADMIN, "ok")):
        await telegram.send_group_message("alpha_bot", user, text)
    await switchboard.idle()

    sent = [call.method for call in telegram.calls[before:] if "chat_id" in call.params]
    assert sent == []
    assert await switchboard.command(ADMIN, "/queue") == "The queue is empty."
