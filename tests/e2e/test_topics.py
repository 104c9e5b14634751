"""Topics: a bot offers them, clients pick one (before or after they write), each topic has
its own operators and weights, and operators move contacts between them."""

from sqlalchemy import select

from db.models import Operator
from fake_telegram import User
from tests.e2e.helpers import CARD_MARK, buttons, cards, texts
from tests.harness import ADMIN
from tests.support.switchboard import Switchboard

ANN = User(1001, "Ann", username="ann")
BOB = User(1002, "Bob", username="bob")
CLARA = User(3001, "Clara")
DAN = User(3002, "Dan")
EVE = User(3003, "Eve")

TOPICS = "What is it about? Pick a topic, and your conversation goes to the right people."


async def _desk(switchboard: Switchboard, ann_limit: int = 5, bob_limit: int = 5) -> None:
    """alpha_bot has topics Sales (@ann=1) and Support (@bob=1)."""
    await switchboard.add_operator(ANN, limit=ann_limit, bots=("alpha_bot",))
    await switchboard.add_operator(BOB, limit=bob_limit, bots=("alpha_bot",))
    assert await switchboard.command(ADMIN, "/topic add sales Sales") == "Topic sales added: Sales"
    await switchboard.command(ADMIN, "/topic add support Support")
    await switchboard.command(ADMIN, "/weights sales @ann=1")
    await switchboard.command(ADMIN, "/weights support @bob=1")


async def _pick(switchboard: Switchboard, client: User, title: str) -> str:
    """``client`` taps the topic ``title`` under the last message offering topics; the
    answer of the tap."""
    telegram = switchboard.telegram
    offer = [m for m in telegram.received("alpha_bot", client.id) if buttons(m)][-1]
    (data,) = [data for label, data in buttons(offer) if label == title]
    query = await telegram.press_button("alpha_bot", client, offer.message_id, data)
    await switchboard.idle()
    (answer,) = [a for a in telegram.answered_callbacks if a["callback_query_id"] == query]
    return answer.get("text") or ""


async def _open_count(switchboard: Switchboard, user: User) -> int:
    async with switchboard.app.session_factory() as session:
        stmt = select(Operator.open_count).where(Operator.telegram_id == user.id)
        return (await session.execute(stmt)).scalar_one()


async def test_a_client_who_picks_support_goes_to_bob_and_a_move_to_sales_gives_it_to_ann(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await _desk(switchboard, bob_limit=1)

    await switchboard.command(CLARA, "/start")
    greeting = telegram.received("alpha_bot", CLARA.id)[-1]
    assert [label for label, _ in buttons(greeting)] == ["Sales", "Support"]

    answer = await _pick(switchboard, CLARA, "Support")
    assert answer == "Support: an operator will answer here. Write your question."
    (card,) = cards(telegram, "alpha_bot", BOB.id)
    assert "🏷 Topic: Support" in card.plain_text
    assert cards(telegram, "alpha_bot", ANN.id) == []
    await telegram.send_message("alpha_bot", CLARA, "I want to buy ten printers")
    await switchboard.idle()
    assert texts(telegram, "alpha_bot", BOB.id)[-1] == "I want to buy ten printers"

    ann_before = len(telegram.received("alpha_bot", ANN.id))
    moved = await switchboard.command(BOB, "/move 1 sales")

    assert moved.startswith("Contact #1 is now in Sales, with Ann.")
    ann_card, *copies = telegram.received("alpha_bot", ANN.id)[ann_before:]
    assert ann_card.plain_text.startswith(CARD_MARK + "1")
    assert "🏷 Topic: Sales" in ann_card.plain_text
    assert [c.plain_text for c in copies] == ["I want to buy ten printers"]
    assert texts(telegram, "alpha_bot", BOB.id)[-1] == "↪️ Contact #1 was given to another operator."
    assert await _open_count(switchboard, BOB) == 0
    # Bob's one slot is free again: the next Support client is his.
    await switchboard.command(DAN, "/start")
    await _pick(switchboard, DAN, "Support")
    assert "Dan" in cards(telegram, "alpha_bot", BOB.id)[-1].plain_text


async def test_a_client_who_writes_first_gets_the_topics_and_may_pick_one_after(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await _desk(switchboard)
    # Without a topic the bot's weights apply: Bob.
    await switchboard.command(ADMIN, "/weights @ann=0 @bob=1")

    await telegram.send_message("alpha_bot", CLARA, "Hello, a question about prices")
    await switchboard.idle()

    assert "Clara" in cards(telegram, "alpha_bot", BOB.id)[-1].plain_text
    offer = telegram.received("alpha_bot", CLARA.id)[-1]
    assert offer.plain_text == TOPICS
    assert [label for label, _ in buttons(offer)] == ["Sales", "Support"]

    answer = await _pick(switchboard, CLARA, "Sales")

    assert answer == "Sales: your conversation went to the right people."
    ann_card = cards(telegram, "alpha_bot", ANN.id)[-1]
    assert "🏷 Topic: Sales" in ann_card.plain_text
    assert texts(telegram, "alpha_bot", ANN.id)[-1] == "Hello, a question about prices"
    assert await _open_count(switchboard, BOB) == 0

    # Once Ann has answered, a later pick is noted and the contact stays with her.
    await telegram.send_message("alpha_bot", ANN, "Hi Clara", reply_to=ann_card.message_id)
    await switchboard.idle()
    answer = await _pick(switchboard, CLARA, "Support")
    assert answer == "Support: noted; an operator is already on your question."
    assert await _open_count(switchboard, ANN) == 1
    assert await _open_count(switchboard, BOB) == 0


async def test_a_queued_contact_waits_for_its_topic_and_others_go_on(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _desk(switchboard, ann_limit=1)
    for client in (CLARA, DAN):
        await switchboard.command(client, "/start")
        await _pick(switchboard, client, "Sales")
    assert len(cards(telegram, "alpha_bot", ANN.id)) == 1  # Dan waits: Bob is not in Sales
    assert cards(telegram, "alpha_bot", BOB.id) == []

    # Dan waits first, but Eve's Support contact goes to Bob all the same.
    await switchboard.command(EVE, "/start")
    await _pick(switchboard, EVE, "Support")
    assert "Eve" in cards(telegram, "alpha_bot", BOB.id)[-1].plain_text

    await switchboard.command(ANN, "/close 1")

    assert "Dan" in cards(telegram, "alpha_bot", ANN.id)[-1].plain_text
    assert len(cards(telegram, "alpha_bot", BOB.id)) == 1


async def test_a_topic_without_weights_takes_the_bots(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _desk(switchboard)
    await switchboard.command(ADMIN, "/topic add billing Billing & invoices")
    await switchboard.command(ADMIN, "/weights @ann=0 @bob=1")

    await switchboard.command(CLARA, "/start")
    await _pick(switchboard, CLARA, "Billing & invoices")

    assert "🏷 Topic: Billing & invoices" in cards(telegram, "alpha_bot", BOB.id)[-1].plain_text
    assert cards(telegram, "alpha_bot", ANN.id) == []


async def test_topics_lists_them_and_del_keeps_the_contacts(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _desk(switchboard)
    await switchboard.command(ADMIN, "/topic add hostile <b>&amp; me")

    listed = await switchboard.command(ADMIN, "/topics")

    assert listed == (
        "Topics of @alpha_bot (clients pick one before or after they write):\n"
        "• sales – Sales: Ann=1\n"
        "• support – Support: Bob=1\n"
        "• hostile – <b>&amp; me: the bot's weights (/weights <topic> @op=N gives it its own)"
    )
    await switchboard.command(CLARA, "/start")
    await _pick(switchboard, CLARA, "Support")
    await telegram.send_message("alpha_bot", DAN, "Hello")
    await switchboard.idle()

    stats = await switchboard.command(ADMIN, "/stats")
    assert stats.endswith(
        "@alpha_bot by topic:\nSupport: 1 contacts, 1 open\nno topic: 1 contacts, 1 open"
    )

    assert await switchboard.command(ADMIN, "/topic del support") == (
        "Topic support removed; its contacts stay, without a topic."
    )
    assert "support" not in await switchboard.command(ADMIN, "/topics")
    # Adding a topic of a name there is retitles it; its weights stay.
    assert await switchboard.command(ADMIN, "/topic add SALES Buying  and   prices") == (
        "Topic sales now reads: Buying and prices"
    )
    assert "• sales – Buying and prices: Ann=1" in await switchboard.command(ADMIN, "/topics")
    # Clara's contact stays with Bob, without a topic.
    await telegram.send_message("alpha_bot", CLARA, "Still there?")
    await switchboard.idle()
    assert texts(telegram, "alpha_bot", BOB.id)[-1] == "Still there?"
    # A button of the removed topic changes nothing.
    offer = next(m for m in telegram.received("alpha_bot", CLARA.id) if buttons(m))
    query = await telegram.press_button("alpha_bot", CLARA, offer.message_id, "topic:2")
    await switchboard.idle()
    (answer,) = [a for a in telegram.answered_callbacks if a["callback_query_id"] == query]
    assert "removed" in (answer.get("text") or "")


async def test_bad_input_is_refused_and_changes_nothing(switchboard: Switchboard):
    await _desk(switchboard)
    before = await switchboard.command(ADMIN, "/topics")
    usage = "Usage: /topic add <name> <title…> or /topic del <name>"
    refusals = {
        "/topic": usage,
        "/topic add sales": usage,
        "/topic del": usage,
        "/topic del sales extra": usage,
        "/topic rename sales x": usage,
        "/topic add bad!name Title": (
            "Nothing changed: bad!name is no topic name (1 to 32 of a-z, 0-9, _ and -)."
        ),
        "/topic add " + "x" * 33 + " Title": (
            "Nothing changed: " + "x" * 33 + " is no topic name (1 to 32 of a-z, 0-9, _ and -)."
        ),
        "/topic add long " + "y" * 65: (
            "Nothing changed: a topic's title has 1 to 64 characters (this one 65)."
        ),
        "/topic del nope": (
            "Nothing changed: there is no topic nope here. The topics are: sales, support"
        ),
        "/topic del <b>&": (
            "Nothing changed: <b>& is no topic name (1 to 32 of a-z, 0-9, _ and -)."
        ),
        "/weights sales @ann=x": (
            "Nothing changed: the weight of @ann must be a whole number from 0 to 1000."
        ),
        "/weights sales ann": "Nothing changed: ann is not <op>=<weight>.",
        "/weights sales @nobody=1": "There is no operator @nobody.",
        "/weights sales @bob=2 @nobody=1": "There is no operator @nobody.",
        "/weights sales @ann=1 @ann=2": "Nothing changed: @ann is given twice.",
        "/weights sales <b>&=1": "<b>& is neither a Telegram id nor an @username.",
        "/topics now": "Usage: /topics",
    }
    for command, expected in refusals.items():
        answer = await switchboard.command(ADMIN, command)
        assert answer.startswith(expected), (command, answer)
        assert answer != before
    assert await switchboard.command(ADMIN, "/topics") == before
    assert await switchboard.command(CLARA, "/topic add x y") == "Sorry, only admins can do that."
    assert await switchboard.command(CLARA, "/move 1 sales") == "This command is for operators."
    await switchboard.command(CLARA, "/start")
    await _pick(switchboard, CLARA, "Support")
    move_usage = "Usage: /move <contact number> <topic>"
    moves = {
        "/move": move_usage,
        "/move 1": move_usage,
        "/move x sales": move_usage,
        "/move 1 nope": "Nothing changed: there is no topic nope here.",
        "/move 1 <b>&": "Nothing changed: <b>& is no topic name",
    }
    for command, expected in moves.items():
        answer = await switchboard.command(BOB, command)
        assert answer.startswith(expected), (command, answer)
    assert (await switchboard.command(ANN, "/move 1 sales")).startswith("Contact #1 is not yours")
    assert await _open_count(switchboard, BOB) == 1
    assert await _open_count(switchboard, ANN) == 0


async def test_the_cards_topic_button_moves_the_contact_and_why_names_the_topic(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await _desk(switchboard)
    await switchboard.command(CLARA, "/start")
    await _pick(switchboard, CLARA, "Support")
    (card,) = cards(telegram, "alpha_bot", BOB.id)
    assert ("Topic…", "mv:1") in buttons(card)

    await telegram.press_button("alpha_bot", BOB, card.message_id, "mv:1")
    await switchboard.idle()
    question = telegram.received("alpha_bot", BOB.id)[-1]
    assert question.plain_text == "Which topic should contact #1 move to?"
    assert buttons(question) == [("Sales", "mvto:1:sales"), ("Support", "mvto:1:support")]
    await telegram.press_button("alpha_bot", BOB, question.message_id, "mvto:1:sales")
    await switchboard.idle()

    assert "Contact #1 is now in Sales, with Ann." in texts(telegram, "alpha_bot", BOB.id)
    assert "🏷 Topic: Sales" in cards(telegram, "alpha_bot", ANN.id)[-1].plain_text
    why = await switchboard.command(ADMIN, "/why 1")
    assert "Topic: Sales (its weights apply, or the bot's if it has none)." in why
    # A card of a bot without topics has no such button.
    await switchboard.command(ANN, "/start", "beta_bot")
    await telegram.send_message("beta_bot", DAN, "Hello")
    await switchboard.idle()
    (plain_card,) = cards(telegram, "beta_bot", ANN.id)
    assert [data for _, data in buttons(plain_card) if data.startswith("mv")] == []
