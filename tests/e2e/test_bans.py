"""Blocking a client (/ban, the card's Block, /unban, /banned) and the slow-down of a client
who sends too many messages a minute."""

import random

from sqlalchemy import select

from bot.app import create_app
from db.models import Message
from fake_telegram import User
from tests.e2e.helpers import CARD_MARK, buttons, cards, texts
from tests.harness import ADMIN, FAST
from tests.support.api import Api
from tests.support.switchboard import Switchboard

OLGA = User(1001, "Olga", username="olga_op")
PETE = User(1002, "Pete", username="pete_op")
ANNA = User(3001, "Anna")
BEN = User(3002, "Ben")
CARL = User(3003, "Carl")


async def _olga_is_full(switchboard: Switchboard) -> None:
    """Olga (limit 1) has Anna's #1 in alpha_bot; Ben's #2 (alpha_bot) and Anna's #3
    (beta_bot) wait in the queue; Pete, paused, takes nothing."""
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA, limit=1)
    await switchboard.add_operator(PETE, bots=("alpha_bot",))
    await switchboard.command(PETE, "/pause")
    await telegram.send_message("alpha_bot", ANNA, "Buy cheap watches")
    await switchboard.idle()
    await telegram.send_message("alpha_bot", BEN, "My order is late")
    await switchboard.idle()
    await telegram.send_message("beta_bot", ANNA, "Buy cheap watches again")
    await switchboard.idle()


def _everything(switchboard: Switchboard) -> int:
    """How many messages anyone received from either bot so far."""
    telegram = switchboard.telegram
    return sum(
        len(telegram.received(bot, user.id))
        for bot in ("alpha_bot", "beta_bot")
        for user in (OLGA, PETE, ANNA, BEN, ADMIN)
    )


async def test_a_ban_closes_every_open_contact_frees_the_slot_and_the_client_hears_nothing(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await _olga_is_full(switchboard)
    anna_alpha = len(telegram.received("alpha_bot", ANNA.id))
    anna_beta = len(telegram.received("beta_bot", ANNA.id))

    answer = await switchboard.command(OLGA, "/ban 1")

    # With it comes Ben's card (the freed slot), in either order; no notice of the close.
    assert "🚫 Anna (id 3001) is blocked. Closed 2 contacts: #1, #3." in answer.splitlines()
    assert "✅" not in answer
    # Olga's slot went to Ben, who waited; Anna's queued #3 is gone with it.
    assert "Ben" in cards(telegram, "alpha_bot", OLGA.id)[-1].plain_text
    contacts = await switchboard.command(OLGA, "/contacts")
    assert "#2 via @alpha_bot" in contacts and "#1 " not in contacts
    assert "#3" not in await switchboard.command(ADMIN, "/queue")
    # Anna is told nothing, then or later, and nothing she sends reaches anyone.
    assert len(telegram.received("alpha_bot", ANNA.id)) == anna_alpha
    assert len(telegram.received("beta_bot", ANNA.id)) == anna_beta
    before = _everything(switchboard)
    await telegram.send_message("alpha_bot", ANNA, "Hello? Cheap watches!")
    await telegram.send_message("beta_bot", ANNA, "Anyone?")
    for command in ("/start", "/help", "/language"):
        await telegram.send_command("alpha_bot", ANNA, command)
    await switchboard.idle()
    assert _everything(switchboard) == before
    assert "Anna" not in await switchboard.command(ADMIN, "/queue")


async def test_an_unban_restores_normal_behaviour_and_banned_lists_who_is_blocked(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await _olga_is_full(switchboard)
    await switchboard.command(ADMIN, "/ban 2")  # an admin blocks any contact's client

    listed = await switchboard.command(ADMIN, "/banned")
    assert listed.startswith("1 blocked client:\n🚫 Ben (id 3002), since ")
    assert listed.endswith(f", by {ADMIN.id}: /unban 3002")
    await switchboard.command(OLGA, "/ban 1")
    listed = await switchboard.command(ADMIN, "/banned")
    assert listed.startswith("2 blocked clients:\n🚫 Anna (id 3001), since ")
    assert ", by Olga: /unban 3001" in listed

    answer = await switchboard.command(ADMIN, "/unban 3001")

    assert answer == "3001 is no longer blocked: their next message opens a contact as before."
    assert "Anna" not in await switchboard.command(ADMIN, "/banned")
    await telegram.send_message("alpha_bot", ANNA, "Sorry, a real question now")
    await switchboard.idle()
    assert "Anna" in cards(telegram, "alpha_bot", OLGA.id)[-1].plain_text
    assert texts(telegram, "alpha_bot", ANNA.id)[-1].startswith("Thank you! An operator")
    await switchboard.command(ADMIN, "/unban 3002")
    assert await switchboard.command(ADMIN, "/banned") == "Nobody is blocked."
    assert (await switchboard.command(BEN, "/start")).startswith("Hello! Write your question")


async def test_the_cards_block_button_asks_first_and_can_be_cancelled(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _olga_is_full(switchboard)
    (card,) = cards(telegram, "alpha_bot", OLGA.id)
    assert ("🚫 Block", "ban:1") in buttons(card)

    await telegram.press_button("alpha_bot", OLGA, card.message_id, "ban:1")
    await switchboard.idle()
    question = telegram.received("alpha_bot", OLGA.id)[-1]
    assert question.plain_text.startswith("Block the client of contact #1? Their open contacts")
    assert buttons(question) == [
        ("🚫 Block the client of #1", "banyes:1"),
        ("Cancel", "banno:1"),
    ]
    await telegram.press_button("alpha_bot", OLGA, question.message_id, "banno:1")
    await switchboard.idle()
    assert telegram.received("alpha_bot", OLGA.id)[-1].plain_text == (
        "Not blocked: contact #1 stays as it was."
    )
    assert "#1 via @alpha_bot" in await switchboard.command(OLGA, "/contacts")

    await telegram.press_button("alpha_bot", OLGA, card.message_id, "ban:1")
    await switchboard.idle()
    question = telegram.received("alpha_bot", OLGA.id)[-1]
    await telegram.press_button("alpha_bot", OLGA, question.message_id, "banyes:1")
    await switchboard.idle()
    (answer,) = [
        m for m in telegram.received("alpha_bot", OLGA.id) if m.message_id == question.message_id
    ]
    assert answer.plain_text == "🚫 Anna (id 3001) is blocked. Closed 2 contacts: #1, #3."
    assert buttons(answer) == []
    assert "Ben" in cards(telegram, "alpha_bot", OLGA.id)[-1].plain_text


async def test_refusals_say_why_and_change_nothing(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _olga_is_full(switchboard)
    await telegram.send_message("alpha_bot", CARL, "I will be an operator soon")  # #4, queued
    await switchboard.idle()
    await switchboard.command(ADMIN, f"/addop {CARL.id} 0")
    refusals = {
        (OLGA, "/ban"): "Usage: /ban <contact number>",
        (OLGA, "/ban abc"): "Usage: /ban <contact number>",
        (OLGA, "/ban 2 3"): "Usage: /ban <contact number>",
        (OLGA, "/ban 99"): "There is no contact #99.",
        (PETE, "/ban 1"): "Contact #1 is not yours.",
        (
            ADMIN,
            "/ban 4",
        ): "The client of contact #4 is an operator or an admin and is not blocked.",
        (ANNA, "/ban 1"): "This command is for operators.",
        (OLGA, "/unban 3001"): "Sorry, only admins can do that.",
        (OLGA, "/banned"): "Sorry, only admins can do that.",
        (ADMIN, "/unban 3001"): "3001 is not blocked.",
        (ADMIN, "/unban abc"): "Usage: /unban <client's Telegram id>",
        (ADMIN, "/banned now"): "Usage: /banned",
    }
    for (user, command), expected in refusals.items():
        assert await switchboard.command(user, command) == expected, command
    assert "Anna" in await switchboard.command(OLGA, "/contacts")
    assert await switchboard.command(ADMIN, "/banned") == "Nobody is blocked."
    await switchboard.command(OLGA, "/ban 1")
    assert await switchboard.command(ADMIN, "/ban 3") == (
        "The client of contact #3 is blocked already."
    )


async def test_a_client_past_the_messages_a_minute_is_told_once_and_nothing_is_lost(
    telegram, make_settings
):
    settings = make_settings(client_messages_per_minute=3)
    switchboard = Switchboard(
        await create_app(settings, rng=random.Random(7), pacing=FAST), telegram
    )
    await switchboard.start()
    try:
        await switchboard.add_operator(OLGA)
        for n in range(1, 8):
            await telegram.send_message("alpha_bot", ANNA, f"Message {n}")
            await switchboard.idle()
        olga = [m.plain_text for m in telegram.received("alpha_bot", OLGA.id)]
        anna = texts(telegram, "alpha_bot", ANNA.id)
        async with switchboard.app.session_factory() as session:
            query = select(Message.text).where(Message.contact_id == 1).order_by(Message.id)
            stored = list((await session.execute(query)).scalars())
    finally:
        await switchboard.stop()
    card, *rest = olga[-4:]
    assert card.startswith(CARD_MARK + "1") and card.endswith("Message 1")
    assert rest == [
        "Message 2",
        "Message 3",
        "⏳ The client of contact #1 is sending more than 3 messages a minute. The rest of this "
        "minute's are stored but not passed on one by one: /history 1 shows them all.",
    ]
    slowed = "You are sending messages too fast; wait a moment. Nothing you sent is lost"
    assert sum(text.startswith(slowed) for text in anna) == 1
    assert stored == [f"Message {n}" for n in range(1, 8)]


async def test_the_card_shows_the_clients_context_with_a_hostile_name_escaped(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    evil = User(3005, "<b>&", username="evil_user", language_code="ru")
    await switchboard.add_operator(OLGA)
    await telegram.send_message("alpha_bot", evil, "First")
    await switchboard.idle()
    (first,) = cards(telegram, "alpha_bot", OLGA.id)
    assert "\nℹ️ @evil_user · language ru · phone —\nFirst contact" in first.plain_text
    assert "Client: <b>& (id 3005)\n" in first.plain_text

    await switchboard.command(OLGA, "/close 1")
    await telegram.send_message("alpha_bot", evil, "Again")
    await switchboard.idle()
    second = cards(telegram, "alpha_bot", OLGA.id)[-1]
    assert (
        "ℹ️ @evil_user · language ru · phone — · 1 earlier contact, the last closed by the "
        "operator" in second.plain_text
    )
    # The answers of /ban and /banned show the name as typed, too.
    assert await switchboard.command(OLGA, "/ban 2") == "🚫 <b>& (id 3005) is blocked. Closed: #2."
    listed = await switchboard.command(ADMIN, "/banned")
    assert listed.startswith("1 blocked client:\n🚫 <b>& @evil_user (id 3005), since ")


async def test_a_forms_lead_is_not_blocked_and_the_answer_says_why(
    api: Api, api_switchboard: Switchboard
):
    switchboard = api_switchboard
    body = {"telegram_id": OLGA.id, "name": "Olga", "limit": 3}
    assert (await api.call("POST", "/api/v1/operators", body))[0] == 201
    await switchboard.command(OLGA, "/start")
    status, source = await api.call("POST", "/api/v1/sources", {"name": "site_form"})
    assert status == 201, source
    request = {"source_id": source["id"], "external_id": "crm-1", "message": "Call me"}
    status, contact = await api.call("POST", "/api/v1/contacts", request)
    assert (status, contact["operator_telegram_id"]) == (201, OLGA.id), contact
    await switchboard.idle()
    card = switchboard.telegram.received("alpha_bot", OLGA.id)[-1]
    assert [data for _, data in buttons(card)] == [
        f"close:{contact['id']}",
        f"pass:{contact['id']}",
    ]

    answer = await switchboard.command(OLGA, f"/ban {contact['id']}")

    assert answer == (
        f"Contact #{contact['id']} came through a form: only Telegram clients can be blocked."
    )
    assert f"#{contact['id']} via @site_form" in await switchboard.command(OLGA, "/contacts")


async def test_a_colleague_who_takes_a_fast_client_over_gets_everything_and_is_told_too(
    telegram, make_settings
):
    settings = make_settings(client_messages_per_minute=2)
    switchboard = Switchboard(
        await create_app(settings, rng=random.Random(7), pacing=FAST), telegram
    )
    await switchboard.start()
    try:
        await switchboard.add_operator(OLGA)
        await switchboard.add_operator(PETE, bots=("alpha_bot",))
        await switchboard.command(PETE, "/pause")
        for n in range(1, 5):
            await telegram.send_message("alpha_bot", ANNA, f"Message {n}")
            await switchboard.idle()
        await switchboard.command(PETE, "/resume")
        pete_before = len(telegram.received("alpha_bot", PETE.id))
        await switchboard.command(OLGA, f"/transfer 1 {PETE.id}")
        await telegram.send_message("alpha_bot", ANNA, "Message 5")
        await switchboard.idle()
        pete = [m.plain_text for m in telegram.received("alpha_bot", PETE.id)[pete_before:]]
        anna = texts(telegram, "alpha_bot", ANNA.id)
    finally:
        await switchboard.stop()
    # The backlog has every message so far, the slowed ones too; the next one is held back,
    # and Pete, who was not told before, is told now; Anna was told once, in Olga's time.
    assert pete[0].startswith("↪️ Olga passed contact #1 to you.")
    assert [text for text in pete[2:] if text.startswith("Message")] == [
        f"Message {n}" for n in range(1, 5)
    ]
    assert pete[-1].startswith("⏳ The client of contact #1 is sending more than 2 messages")
    slowed = "You are sending messages too fast; wait a moment. Nothing you sent is lost"
    assert sum(text.startswith(slowed) for text in anna) == 1


async def test_the_api_says_whether_a_lead_is_blocked(api: Api, api_switchboard: Switchboard):
    switchboard = api_switchboard
    await switchboard.add_operator(OLGA)
    await switchboard.telegram.send_message("alpha_bot", ANNA, "Buy cheap watches")
    await switchboard.idle()
    status, page = await api.call("GET", "/api/v1/leads", params={"q": str(ANNA.id)})
    assert status == 200 and page["items"][0]["blocked_at"] is None
    lead_id = page["items"][0]["id"]

    await switchboard.command(OLGA, "/ban 1")

    status, lead = await api.call("GET", f"/api/v1/leads/{lead_id}")
    assert status == 200 and lead["blocked_at"] is not None, lead
    await switchboard.command(ADMIN, f"/unban {ANNA.id}")
    status, lead = await api.call("GET", f"/api/v1/leads/{lead_id}")
    assert lead["blocked_at"] is None
