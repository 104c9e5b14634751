"""Every admin command with good and bad arguments, and refusals for everyone else."""

import re

import pytest

from fake_telegram import User
from tests.e2e.helpers import cards, copies_from, texts
from tests.harness import ADMIN
from tests.support.switchboard import Switchboard

ANN = User(1001, "Ann", username="ann_op")
BOB = User(1002, "Bob", username="bob_op")
NINA = User(1003, "Nina", username="nina_new")
OSCAR = User(1004, "Oscar")
CLIENT = User(3001, "Carla")
ONLY_ADMINS = "Sorry, only admins can do that."
ONLY_OPERATORS = "This command is for operators."
ANN_AND_BOB = (
    "Ann (1001, @ann_op): active, 0/3\n"
    "   @alpha_bot: weight 1\n"
    "   @beta_bot: weight 1\n"
    "Bob (1002, @bob_op): active, 0/2\n"
    "   @alpha_bot: weight 1\n"
    "   @beta_bot: weight 1"
)


async def _ann_and_bob(switchboard: Switchboard) -> None:
    """Ann (limit 3) and Bob (limit 2), both having started both bots."""
    await switchboard.add_operator(ANN, limit=3)
    await switchboard.add_operator(BOB, limit=2)


async def test_operators_addop_and_delop(switchboard: Switchboard):
    command = switchboard.command
    assert await command(ADMIN, "/operators") == (
        "No operators yet. Add one with /addop <telegram id> [limit]."
    )
    assert await command(ADMIN, "/addop 1001 3") == (
        "Operator id 1001 added with limit 3. They get contacts from a bot once they have "
        "pressed Start there: @alpha_bot, @beta_bot"
    )
    assert await command(ADMIN, "/operators") == (
        "id 1001 (1001): active, 0/3\n"
        "   @alpha_bot: weight 1, has not started the bot\n"
        "   @beta_bot: weight 1, has not started the bot"
    )
    # Starting a bot records the operator's name and @username.
    assert await command(ANN, "/start") == "You will get contacts from @alpha_bot here."
    assert "Ann (1001, @ann_op): active, 0/3\n   @alpha_bot: weight 1\n" in (
        await command(ADMIN, "/operators")
    )

    usage = "Usage: /addop <telegram id> [limit]"
    assert await command(ADMIN, "/addop") == usage
    assert await command(ADMIN, "/addop 1 2 3") == usage
    assert await command(ADMIN, "/addop @bob_op") == usage
    assert await command(ADMIN, "/addop -5") == usage
    assert await command(ADMIN, "/addop 0") == "0 is neither a Telegram id nor an @username."
    assert await command(ADMIN, "/addop 1002 lots") == (
        "The limit must be a whole number from 0 to 1000, not lots."
    )
    assert await command(ADMIN, "/addop 1002 -1") == (
        "The limit must be a whole number from 0 to 1000, not -1."
    )
    assert await command(ADMIN, "/addop 1002 1001") == (
        "The limit must be a whole number from 0 to 1000, not 1001."
    )
    assert await command(ADMIN, "/addop 1001") == "1001 is an operator already."
    operators = await command(ADMIN, "/operators")
    assert operators.count("active, ") == 1, operators
    assert "0/3" in operators, "the existing operator is unchanged"

    assert await command(ADMIN, "/addop 1002") == (
        "Operator id 1002 added with limit 5. They get contacts from a bot once they have "
        "pressed Start there: @alpha_bot, @beta_bot"
    )
    assert await command(ADMIN, "/delop") == "Usage: /delop <op>"
    assert await command(ADMIN, "/delop @nobody") == "There is no operator @nobody."
    assert await command(ADMIN, "/delop 4242") == "There is no operator 4242."
    assert await command(ADMIN, "/delop bob!") == "bob! is neither a Telegram id nor an @username."
    assert await command(ADMIN, "/delop 1002") == (
        "Operator 1002 removed; they had no open contacts."
    )
    assert "1002" not in await command(ADMIN, "/operators")


async def test_delop_returns_open_contacts_to_the_queue(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _ann_and_bob(switchboard)
    await switchboard.command(ADMIN, "/weights @bob_op=0")
    await telegram.send_message("alpha_bot", CLIENT, "Help!")
    await switchboard.idle()
    assert len(cards(telegram, "alpha_bot", ANN.id)) == 1
    await switchboard.command(ADMIN, "/weights @bob_op=1")

    assert await switchboard.command(ADMIN, "/delop @ann_op") == (
        "Operator 1001 removed; 1 open contact went back to the queue."
    )
    assert texts(telegram, "alpha_bot", ANN.id)[-1] == (
        "↪️ Contact #1 was given to another operator."
    )
    # Redistributed at once: Bob gets the card and the client's message.
    assert len(cards(telegram, "alpha_bot", BOB.id)) == 1
    assert [c.plain_text for c in copies_from(telegram, "alpha_bot", BOB.id, CLIENT)] == ["Help!"]
    assert texts(telegram, "alpha_bot", CLIENT.id)[-1] == (
        "An operator has joined and is reading your messages."
    )


async def test_limit_activate_and_deactivate(switchboard: Switchboard):
    telegram = switchboard.telegram
    command = switchboard.command
    await _ann_and_bob(switchboard)

    assert await command(ADMIN, "/limit @ann_op 7") == "Limit of Ann: 3 → 7."
    assert await command(ADMIN, "/limit 1002 0") == "Limit of Bob: 2 → 0."
    for bad in ("-1", "many", "2.5"):
        assert await command(ADMIN, f"/limit @ann_op {bad}") == (
            f"The limit must be a whole number from 0 to 1000, not {bad}."
        )
    assert await command(ADMIN, "/limit @ghost 3") == "There is no operator @ghost."
    assert await command(ADMIN, "/limit @ann_op") == "Usage: /limit <op> <n>"
    assert await command(ADMIN, "/limit") == "Usage: /limit <op> <n>"
    operators = await command(ADMIN, "/operators")
    assert "Ann (1001, @ann_op): active, 0/7" in operators
    assert "Bob (1002, @bob_op): active, 0/0" in operators
    # Operators learn what admins changed about them (once per change).
    told_ann = len(telegram.received("alpha_bot", ANN.id))
    assert texts(telegram, "alpha_bot", BOB.id)[-1] == (
        "An admin set your limit of open contacts to 0 (it was 2)."
    )

    assert await command(ADMIN, "/deactivate @ann_op") == (
        "Ann is inactive; their open contacts stay with them."
    )
    await command(ADMIN, "/deactivate @ann_op")
    assert texts(telegram, "alpha_bot", ANN.id, since=told_ann) == [
        "⏸ An admin has deactivated you: you get no new contacts until an admin activates you "
        "again. Your open contacts stay with you."
    ]
    assert "Ann (1001, @ann_op): inactive, 0/7" in await command(ADMIN, "/operators")
    await telegram.send_message("alpha_bot", CLIENT, "Anybody?")
    await switchboard.idle()
    assert "You are in the queue" in texts(telegram, "alpha_bot", CLIENT.id)[0]
    assert cards(telegram, "alpha_bot", ANN.id) == []

    assert await command(ADMIN, "/activate @ghost") == "There is no operator @ghost."
    assert await command(ADMIN, "/activate") == "Usage: /activate <op>"
    assert await command(ADMIN, "/deactivate a b") == "Usage: /deactivate <op>"
    # Activating takes the queue at once.
    assert await command(ADMIN, "/activate 1001") == "Ann is active."
    assert "▶️ An admin has activated you: you get new contacts again." in texts(
        telegram, "alpha_bot", ANN.id, since=told_ann
    )
    assert len(cards(telegram, "alpha_bot", ANN.id)) == 1
    assert "Ann (1001, @ann_op): active, 1/7" in await command(ADMIN, "/operators")


async def test_resume_does_not_undo_an_admins_deactivate(switchboard: Switchboard):
    telegram = switchboard.telegram
    command = switchboard.command
    await switchboard.add_operator(ANN)

    assert await command(ADMIN, "/deactivate @ann_op") == (
        "Ann is inactive; their open contacts stay with them."
    )
    assert await command(ANN, "/resume") == (
        "▶️ Your pause is lifted, but an admin has deactivated you: you get no new contacts "
        "until an admin activates you again. Your open contacts stay with you."
    )
    assert "Ann (1001, @ann_op): inactive, 0/5" in await command(ADMIN, "/operators")
    assert (await command(ANN, "/me")).startswith("Ann: inactive, 0 open of 5.")
    await telegram.send_message("alpha_bot", CLIENT, "Anybody?")
    await switchboard.idle()
    assert "You are in the queue" in texts(telegram, "alpha_bot", CLIENT.id)[0]
    assert cards(telegram, "alpha_bot", ANN.id) == []

    # The admin's /activate is what lets the queued contact come.
    assert await command(ADMIN, "/activate @ann_op") == "Ann is active."
    assert len(cards(telegram, "alpha_bot", ANN.id)) == 1
    assert [c.plain_text for c in copies_from(telegram, "alpha_bot", ANN.id, CLIENT)] == [
        "Anybody?"
    ]
    assert "Ann (1001, @ann_op): active, 1/5" in await command(ADMIN, "/operators")


async def test_activate_does_not_undo_an_operators_pause(switchboard: Switchboard):
    telegram = switchboard.telegram
    command = switchboard.command
    await switchboard.add_operator(ANN)
    await command(ANN, "/pause")
    assert "Ann (1001, @ann_op): paused, 0/5" in await command(ADMIN, "/operators")
    await command(ADMIN, "/deactivate @ann_op")
    assert "Ann (1001, @ann_op): inactive and paused, 0/5" in await command(ADMIN, "/operators")
    await telegram.send_message("alpha_bot", CLIENT, "Anybody?")
    await switchboard.idle()

    assert await command(ADMIN, "/activate @ann_op") == (
        "Ann is active, but has paused themselves: they get new contacts once they /resume."
    )
    assert texts(telegram, "alpha_bot", ANN.id)[-1] == (
        "An admin has activated you; you have paused yourself, so send /resume to get new contacts."
    )
    assert (await command(ANN, "/me")).startswith("Ann: paused, 0 open of 5.")
    assert cards(telegram, "alpha_bot", ANN.id) == []
    resumed = await command(ANN, "/resume")
    assert resumed.startswith("▶️ Resumed: you get new contacts again.")
    assert "📨 New contact #1 via @alpha_bot" in resumed


async def test_weights_show_set_and_refuse_malformed(switchboard: Switchboard):
    command = switchboard.command
    assert await command(ADMIN, "/weights") == (
        "Nobody gets contacts from @alpha_bot yet. Use /weights <op>=<w>."
    )
    await _ann_and_bob(switchboard)
    assert await command(ADMIN, "/weights") == (
        "Weights in @alpha_bot:\nAnn: weight 1, share 50%\nBob: weight 1, share 50%"
    )
    set_ = "Weights in @alpha_bot:\nAnn: weight 3, share 75%\nBob: weight 1, share 25%"
    assert await command(ADMIN, "/weights @ann_op=3 @bob_op=1") == set_

    refusals = {
        "/weights @ann_op=x": (
            "Nothing changed: the weight of @ann_op must be a whole number from 0 to 1000."
        ),
        "/weights @ann_op=-2": (
            "Nothing changed: the weight of @ann_op must be a whole number from 0 to 1000."
        ),
        "/weights @ann_op=1001": (
            "Nothing changed: the weight of @ann_op must be a whole number from 0 to 1000."
        ),
        "/weights @ann_op": "Nothing changed: @ann_op is not <op>=<weight>.",
        "/weights =4": "Nothing changed: =4 is not <op>=<weight>.",
        "/weights @ghost=2": "There is no operator @ghost.",
        # All or nothing: the good pair before the bad one is not applied either.
        "/weights @bob_op=9 @ghost=2": "There is no operator @ghost.",
        "/weights @bob_op=9 @ann_op": "Nothing changed: @ann_op is not <op>=<weight>.",
        "/weights @bob_op=9 1002=8": "Nothing changed: 1002 is given twice.",
    }
    for bad, answer in refusals.items():
        assert await command(ADMIN, bad) == answer, bad
    assert await command(ADMIN, "/weights") == set_

    # Weights are per bot: beta_bot is unchanged, and 0 takes an operator out.
    assert await command(ADMIN, "/weights", "beta_bot") == (
        "Weights in @beta_bot:\nAnn: weight 1, share 50%\nBob: weight 1, share 50%"
    )
    assert await command(ADMIN, "/weights 1001=0", "beta_bot") == (
        "Weights in @beta_bot:\nAnn: weight 0, share 0%\nBob: weight 1, share 100%"
    )
    assert await command(ADMIN, "/weights") == set_


async def test_sources_queue_and_stats(switchboard: Switchboard):
    telegram = switchboard.telegram
    command = switchboard.command
    assert await command(ADMIN, "/sources") == (
        "@alpha_bot (Alpha): 0 contacts, 0 open, 0 queued, 0 operators with weight\n"
        "@beta_bot (Beta): 0 contacts, 0 open, 0 queued, 0 operators with weight"
    )
    assert await command(ADMIN, "/queue") == "The queue is empty."
    for name in ("operators", "sources", "queue"):
        assert await command(ADMIN, f"/{name} now") == f"Usage: /{name}"
    assert await command(ADMIN, "/stats 7 days") == "Usage: /stats [days], /stats chart"
    await switchboard.add_operator(ANN, limit=1, bots=("alpha_bot",))
    first, second = User(3001, "Carla"), User(3002, "Dan")
    for bot, client in (("alpha_bot", first), ("alpha_bot", second), ("beta_bot", first)):
        await telegram.send_message(bot, client, "Hello")
        await switchboard.idle()  # the two bots are polled concurrently: keep the order

    assert await command(ADMIN, "/sources") == (
        "@alpha_bot (Alpha): 2 contacts, 2 open, 1 queued, 1 operator with weight\n"
        "@beta_bot (Beta): 1 contact, 1 open, 1 queued, 1 operator with weight"
    )
    queue = await command(ADMIN, "/queue")
    assert re.fullmatch(
        r"Queue: 2 contacts, oldest first:\n"
        r"#2 via @alpha_bot: Dan \(id 3002\), waiting 0 min\n"
        r"#3 via @beta_bot: Carla \(id 3001\), waiting 0 min",
        queue,
    ), queue
    await command(ANN, "/close 1")
    assert await command(ADMIN, "/stats") == (
        "@alpha_bot: 2 contacts, 1 open, 0 queued\n"
        "   Ann: 2 (100%, weight share 100%)\n"
        "@beta_bot: 1 contact, 1 open, 1 queued\n"
        "   Ann: 0 (0%, weight share 100%)\n"
        "Operators (their contacts of the last 7 days: median times from the assignment):\n"
        "   Ann: 1/1 open, 2 got, 1 closed\n"
        "      2 contacts, 1 closed, first reply —, handled in 0 s, not rated yet"
    )


async def test_assign(switchboard: Switchboard):
    telegram = switchboard.telegram
    command = switchboard.command
    await _ann_and_bob(switchboard)
    await command(ADMIN, "/limit @bob_op 1")
    await command(ADMIN, "/weights @ann_op=0")
    await telegram.send_message("alpha_bot", CLIENT, "Question one")
    await switchboard.idle()
    assert len(cards(telegram, "alpha_bot", BOB.id)) == 1  # Bob is full now

    assert await command(ADMIN, "/assign") == "Usage: /assign <contact> <op>"
    assert await command(ADMIN, "/assign one @ann_op") == "Usage: /assign <contact> <op>"
    assert await command(ADMIN, "/assign 99 @ann_op") == "There is no contact #99."
    assert await command(ADMIN, "/assign 1 @ghost") == "There is no operator @ghost."
    other = User(3002, "Dan")
    await telegram.send_message("alpha_bot", other, "Question two")
    await switchboard.idle()
    assert "You are in the queue" in texts(telegram, "alpha_bot", other.id)[0]
    assert await command(ADMIN, "/assign 2 @bob_op") == (
        "@bob_op cannot take it: inactive, paused, has not started this bot, or at the limit."
    )
    assert "You are in the queue" in texts(telegram, "alpha_bot", other.id)[-1]

    # An explicit assignment ignores the weight of 0.
    assert await command(ADMIN, "/assign #2 @ann_op") == "Contact #2 is now with @ann_op."
    assert texts(telegram, "alpha_bot", other.id)[-1] == (
        "An operator has joined and is reading your messages."
    )
    assert [c.plain_text for c in copies_from(telegram, "alpha_bot", ANN.id, other)] == [
        "Question two"
    ]
    # Moving an assigned contact: the previous operator is told and gets the slot back.
    assert await command(ADMIN, "/assign 1 1001") == "Contact #1 is now with 1001."
    assert texts(telegram, "alpha_bot", BOB.id)[-1] == "↪️ Contact #1 was given to another operator."
    assert [c.plain_text for c in copies_from(telegram, "alpha_bot", ANN.id, CLIENT)] == [
        "Question one"
    ]
    operators = await command(ADMIN, "/operators")
    assert "Ann (1001, @ann_op): active, 2/3" in operators
    assert "Bob (1002, @bob_op): active, 0/1" in operators
    await command(ANN, "/close 1")
    assert await command(ADMIN, "/assign 1 @bob_op") == "Contact #1 is closed already."


async def test_invite_link_makes_an_operator_once(switchboard: Switchboard):
    command = switchboard.command
    assert await command(ADMIN, "/invite lots") == (
        "The limit must be a whole number from 0 to 1000, not lots."
    )
    assert await command(ADMIN, "/invite 1 2") == "Usage: /invite [limit]"
    invite = await command(ADMIN, "/invite 4")
    link = re.fullmatch(
        r"One-time invite \(limit 4\): https://t\.me/alpha_bot\?start=(\S+)\n"
        r"Whoever opens it becomes an operator\.",
        invite,
    )
    assert link is not None, invite
    code = link.group(1)

    assert await command(NINA, f"/start {code}") == (
        "Welcome, Nina! You are an operator now (limit 4). Open every bot you should answer in "
        "and press Start there, too."
    )
    assert await command(NINA, "/me") == (
        "Nina: active, 0 open of 4.\n"
        "Bots: \n"
        "   @alpha_bot: weight 1\n"
        "   @beta_bot: weight 1, has not started the bot"
    )
    assert await command(OSCAR, f"/start {code}") == (
        "This invite link is invalid or was used already."
    )
    # An operator opening an invite in a bot they had not started has started it.
    beta_invite = await command(ADMIN, "/invite 2", bot="beta_bot")
    beta_code = beta_invite.split("start=", 1)[1].split()[0]
    assert await command(NINA, f"/start {beta_code}", bot="beta_bot") == (
        "You will get contacts from @beta_bot here."
    )
    assert "@beta_bot: weight 1\n" in await command(NINA, "/me") + "\n"
    assert await command(OSCAR, "/start op_made-up") == (
        "This invite link is invalid or was used already."
    )
    # Other deep-link payloads (adverts, campaigns) are a client's ordinary start.
    assert await command(OSCAR, "/start promo2026") == (
        "Hello! Write your question here and an operator will answer."
    )
    operators = await command(ADMIN, "/operators")
    assert "Nina (1003, @nina_new): active, 0/4" in operators
    assert "1004" not in operators
    assert await command(OSCAR, "/contacts") == ONLY_OPERATORS


async def test_non_admins_are_refused_and_nothing_changes(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _ann_and_bob(switchboard)
    attempts = (
        "/operators",
        "/addop 3001 9",
        "/delop @bob_op",
        "/limit @bob_op 9",
        "/activate @bob_op",
        "/deactivate @bob_op",
        "/weights @bob_op=9",
        "/weights",
        "/sources",
        "/queue",
        "/stats",
        "/assign 1 @ann_op",
        "/invite",
    )
    for user in (CLIENT, ANN):
        for attempt in attempts:
            assert await switchboard.command(user, attempt) == ONLY_ADMINS, (user, attempt)
    assert await switchboard.command(ADMIN, "/operators") == ANN_AND_BOB
    assert "Ann: weight 1, share 50%" in await switchboard.command(ADMIN, "/weights")
    # A refused command is not a message for an operator either.
    assert await switchboard.command(ADMIN, "/queue") == "The queue is empty."
    assert cards(telegram, "alpha_bot", ANN.id) == cards(telegram, "alpha_bot", BOB.id) == []


async def test_an_admin_is_not_a_client(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _ann_and_bob(switchboard)
    before = len(telegram.received("alpha_bot", ADMIN.id))
    await telegram.send_message("alpha_bot", ADMIN, "Is this thing on?")
    *_, hint = await telegram.wait_received("alpha_bot", ADMIN.id, before + 1)
    assert "You are an admin" in hint.plain_text
    assert await switchboard.command(ADMIN, "/queue") == "The queue is empty."
    assert "0 contacts" in await switchboard.command(ADMIN, "/sources")
    assert cards(telegram, "alpha_bot", ANN.id) == cards(telegram, "alpha_bot", BOB.id) == []


async def test_clients_are_refused_operator_commands(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _ann_and_bob(switchboard)
    for attempt in ("/contacts", "/close", "/close 1", "/pause", "/resume", "/me"):
        assert await switchboard.command(CLIENT, attempt) == ONLY_OPERATORS, attempt
    assert cards(telegram, "alpha_bot", ANN.id) == cards(telegram, "alpha_bot", BOB.id) == []
    assert await switchboard.command(CLIENT, "/help") == (
        "Write your question and an operator will answer here.\n/language – choose your language"
    )
    assert await switchboard.command(CLIENT, "/start") == (
        "Hello! Write your question here and an operator will answer."
    )


async def test_help_by_role(switchboard: Switchboard):
    await switchboard.add_operator(ANN)
    operator_help = await switchboard.command(ANN, "/help")
    assert operator_help.startswith("Operator commands:\n/contacts")
    assert "Admin commands" not in operator_help
    admin_help = await switchboard.command(ADMIN, "/help")
    assert admin_help.startswith("Admin commands:\n/operators\n/addop <id> [limit]")
    assert "Operator commands" not in admin_help


async def test_pause_and_resume(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(ANN)
    assert await switchboard.command(ANN, "/pause") == (
        "⏸ Paused: you get no new contacts. Your open contacts stay with you."
    )
    await telegram.send_message("alpha_bot", CLIENT, "Hello")
    await switchboard.idle()
    assert "You are in the queue" in texts(telegram, "alpha_bot", CLIENT.id)[0]
    resumed = await switchboard.command(ANN, "/resume")
    assert resumed.startswith("▶️ Resumed: you get new contacts again.")
    assert "📨 New contact #1 via @alpha_bot" in resumed


NOT_A_REF = "{} is neither a Telegram id nor an @username."
BAD_LIMIT = "The limit must be a whole number from 0 to 1000, not {}."
BAD_WEIGHT = "Nothing changed: the weight of @ann_op must be a whole number from 0 to 1000."
TOO_BIG = "9223372036854775808"  # one more than the largest Telegram id (a signed 64-bit int)
HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "attempts",
    [
        pytest.param(
            [
                (ADMIN, "/addop ²", "Usage: /addop <telegram id> [limit]"),
                (ADMIN, "/addop ١٠٠٣", "Usage: /addop <telegram id> [limit]"),
                (ADMIN, f"/addop {TOO_BIG}", NOT_A_REF.format(TOO_BIG)),
                (ADMIN, f"/addop {HUGE} 3", NOT_A_REF.format(HUGE)),
                (ADMIN, "/delop ²", NOT_A_REF.format("²")),
                (ADMIN, "/delop --5", NOT_A_REF.format("--5")),
                (ADMIN, f"/delop {HUGE}", NOT_A_REF.format(HUGE)),
                (ADMIN, "/limit ² 3", NOT_A_REF.format("²")),
                (ADMIN, "/limit ١٠٠١ 4", NOT_A_REF.format("١٠٠١")),
                (ADMIN, f"/limit {HUGE} 3", NOT_A_REF.format(HUGE)),
                (ADMIN, f"/deactivate {TOO_BIG}", NOT_A_REF.format(TOO_BIG)),
            ],
            id="telegram id",
        ),
        pytest.param(
            [
                (ADMIN, "/addop 1003 ²", BAD_LIMIT.format("²")),
                (ADMIN, "/limit @ann_op ²", BAD_LIMIT.format("²")),
                (ADMIN, "/limit @ann_op ٥", BAD_LIMIT.format("٥")),
                (ADMIN, "/limit @ann_op +3", BAD_LIMIT.format("+3")),
                (ADMIN, f"/limit @ann_op {HUGE}", BAD_LIMIT.format(HUGE)),
                (ADMIN, "/invite ²", BAD_LIMIT.format("²")),
                (ADMIN, "/invite ٣", BAD_LIMIT.format("٣")),
            ],
            id="limit",
        ),
        pytest.param(
            [
                (ADMIN, "/weights @ann_op=²", BAD_WEIGHT),
                (ADMIN, "/weights @ann_op=١", BAD_WEIGHT),
                (ADMIN, f"/weights @ann_op={HUGE}", BAD_WEIGHT),
                (ADMIN, "/weights @bob_op=2 ²=1", NOT_A_REF.format("²")),
                (ADMIN, f"/weights @bob_op=2 {TOO_BIG}=1", NOT_A_REF.format(TOO_BIG)),
            ],
            id="weights",
        ),
        pytest.param(
            [
                (ADMIN, "/assign ² @bob_op", "Usage: /assign <contact> <op>"),
                (ADMIN, "/assign #١ @bob_op", "Usage: /assign <contact> <op>"),
                (ADMIN, f"/assign {HUGE} @bob_op", f"There is no contact #{HUGE}."),
                (ADMIN, f"/assign #{TOO_BIG} @bob_op", f"There is no contact #{TOO_BIG}."),
                (ADMIN, "/assign 1 ²", NOT_A_REF.format("²")),
            ],
            id="contact number",
        ),
        pytest.param(
            [
                (ANN, "/close ²", "Usage: /close <contact number>, or reply /close to a message."),
                (ANN, "/close #١", "Usage: /close <contact number>, or reply /close to a message."),
                (
                    ANN,
                    "/close --1",
                    "Usage: /close <contact number>, or reply /close to a message.",
                ),
                (ANN, f"/close {HUGE}", f"There is no contact #{HUGE}."),
                (ANN, f"/close #{TOO_BIG}", f"There is no contact #{TOO_BIG}."),
            ],
            id="operator close",
        ),
    ],
)
async def test_malformed_numbers_are_refused_and_change_nothing(switchboard: Switchboard, attempts):
    """Only ASCII digits are numbers, and only those a Telegram id or our database can hold:
    anything else gets the usage line or a clear refusal, never an internal error."""
    command = switchboard.command
    await _ann_and_bob(switchboard)
    await command(ADMIN, "/weights @bob_op=0")
    await switchboard.telegram.send_message("alpha_bot", CLIENT, "Help!")
    await switchboard.idle()
    before = [await command(ADMIN, "/operators"), await command(ADMIN, "/weights")]
    assert "Ann (1001, @ann_op): active, 1/3" in before[0]  # contact #1, open

    for user, attempt, answer in attempts:
        assert await command(user, attempt) == answer, attempt

    assert [await command(ADMIN, "/operators"), await command(ADMIN, "/weights")] == before
