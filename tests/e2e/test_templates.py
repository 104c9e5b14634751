"""Templates: admins keep each bot's canned replies, operators send them with /t."""

from fake_telegram import User
from tests.e2e.helpers import buttons, cards, texts
from tests.harness import ADMIN
from tests.support.switchboard import Switchboard

OLGA = User(1001, "Olga", username="olga_op")
PETE = User(1002, "Pete", username="pete_op")
ANNA = User(3001, "Anna")
# A name that is HTML if nobody escapes it.
HOSTILE = User(3002, "<b>&amp;", last_name="Smith")
GREET = "Hello {name}!\nHow can I help?"


async def _olga_has(switchboard: Switchboard, *clients: User) -> None:
    """Olga is the only operator; each client writes to alpha_bot (contacts #1, #2, …)."""
    await switchboard.add_operator(OLGA)
    for client in clients:
        await switchboard.telegram.send_message("alpha_bot", client, f"I am {client.first_name}")
        await switchboard.idle()


async def _t(switchboard: Switchboard, user: User, text: str, reply_to: int | None) -> str:
    """``user`` sends ``text`` (a /t) in alpha_bot, as a reply to ``reply_to``; the answer."""
    telegram = switchboard.telegram
    before = len(telegram.received("alpha_bot", user.id))
    await telegram.send_message("alpha_bot", user, text, reply_to=reply_to)
    await telegram.wait_received("alpha_bot", user.id, before + 1)
    await switchboard.idle()
    return "\n".join(texts(telegram, "alpha_bot", user.id, before))


async def test_admins_add_list_replace_and_remove_a_bots_templates(switchboard: Switchboard):
    assert await switchboard.command(ADMIN, "/templates") == (
        "@alpha_bot has no templates yet. Add one with /template add <name> <text…> "
        "({name} in the text becomes the client's first name)."
    )

    added = await switchboard.command(ADMIN, f"/template add greet {GREET}")
    replaced = await switchboard.command(ADMIN, "/template add greet Hi {name}")
    await switchboard.command(ADMIN, "/template add bye Goodbye!")

    assert added == (
        "Template greet of @alpha_bot added. Clients will read:\n\nHello {name}!\nHow can I help?"
    )
    assert replaced.startswith("Template greet of @alpha_bot replaced (it existed already).")
    assert await switchboard.command(ADMIN, "/templates") == (
        "2 templates of @alpha_bot (operators send one with /t <name> as a reply to a "
        "contact):\nbye\nGoodbye!\ngreet\nHi {name}"
    )
    # Each bot has its own.
    assert "has no templates yet" in await switchboard.command(ADMIN, "/templates", "beta_bot")

    assert await switchboard.command(ADMIN, "/template del bye") == "Template bye removed."
    assert await switchboard.command(ADMIN, "/template del bye") == (
        "There is no template bye here. The templates are: greet"
    )
    assert "1 template of @alpha_bot" in await switchboard.command(ADMIN, "/templates")


async def test_template_refusals_of_admins_change_nothing(switchboard: Switchboard):
    usage = "Usage: /template add <name> <text…> or /template del <name>"
    for command in ("/template", "/template add greet", "/template del", "/template put a b"):
        assert await switchboard.command(ADMIN, command) == usage, command
    assert await switchboard.command(ADMIN, "/template add Greet-1 Hi") == (
        "Nothing changed: Greet-1 is no template name (1 to 32 of a-z, 0-9 and _)."
    )
    too_long = await switchboard.command(ADMIN, "/template add long " + "x" * 4001)
    assert too_long == (
        "Nothing changed: the text has 4001 characters; Telegram allows at most 4000."
    )
    assert await switchboard.command(ADMIN, "/templates now") == "Usage: /templates"
    assert await switchboard.command(ANNA, "/template add greet Hi") == (
        "Sorry, only admins can do that."
    )
    assert "no templates yet" in await switchboard.command(ADMIN, "/templates")


async def test_an_operator_sends_a_template_with_the_clients_name_escaped(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await switchboard.command(ADMIN, f"/template add greet {GREET}")
    await _olga_has(switchboard, HOSTILE)
    (card,) = cards(telegram, "alpha_bot", OLGA.id)

    answer = await _t(switchboard, OLGA, "/t greet", card.message_id)

    assert answer == "Template sent to contact #1."
    sent = telegram.received("alpha_bot", HOSTILE.id)[-1]
    assert sent.plain_text == "Hello <b>&amp;!\nHow can I help?"
    assert sent.text == "Hello &lt;b&gt;&amp;amp;!\nHow can I help?"
    # It is the operator's answer: a reply to it reaches the client too.
    await telegram.send_message("alpha_bot", OLGA, "Anything else?", reply_to=answer_id(telegram))
    await switchboard.idle()
    assert texts(telegram, "alpha_bot", HOSTILE.id)[-1] == "Anything else?"


def answer_id(telegram) -> int:
    """The message id of Olga's latest /t in alpha_bot."""
    return [m for m in telegram.written("alpha_bot", OLGA.id) if m["text"].startswith("/t")][-1][
        "message_id"
    ]


async def test_t_alone_offers_the_templates_as_buttons(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.command(ADMIN, f"/template add greet {GREET}")
    await switchboard.command(ADMIN, "/template add bye Goodbye, {name}.")
    await _olga_has(switchboard, ANNA)
    (card,) = cards(telegram, "alpha_bot", OLGA.id)

    answer = await _t(switchboard, OLGA, "/t", card.message_id)

    assert answer == "Contact #1: which template?"
    question = telegram.received("alpha_bot", OLGA.id)[-1]
    offered = buttons(question)
    assert [label for label, _ in offered] == ["bye", "greet"]
    anna_before = len(telegram.received("alpha_bot", ANNA.id))
    # Two taps before the question is answered (both buttons, say): one template goes.
    await telegram.press_button("alpha_bot", OLGA, question.message_id, offered[0][1])
    await telegram.press_button("alpha_bot", OLGA, question.message_id, offered[1][1])
    await switchboard.idle()

    assert texts(telegram, "alpha_bot", ANNA.id, anna_before) == ["Goodbye, Anna."]
    assert telegram.received("alpha_bot", OLGA.id)[-1].plain_text in (
        "Template sent to contact #1.",
        "A template was sent to contact #1 for this /t already.",
    )
    assert buttons(telegram.received("alpha_bot", OLGA.id)[-1]) == []


async def test_with_one_open_contact_t_needs_no_reply(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.command(ADMIN, "/template add greet Hi {name}")
    await _olga_has(switchboard, ANNA)

    assert await _t(switchboard, OLGA, "/t greet", None) == "Template sent to contact #1."
    assert texts(telegram, "alpha_bot", ANNA.id)[-1] == "Hi Anna"


async def test_refusals_of_t_send_nothing(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _olga_has(switchboard, ANNA, HOSTILE)
    anna_card, hostile_card = cards(telegram, "alpha_bot", OLGA.id)
    assert await _t(switchboard, OLGA, "/t greet", anna_card.message_id) == (
        "This bot has no templates yet; an admin adds them with /template add."
    )
    assert await _t(switchboard, OLGA, "/t", anna_card.message_id) == (
        "This bot has no templates yet; an admin adds them with /template add."
    )
    await switchboard.command(ADMIN, "/template add greet Hi {name}")
    await switchboard.command(ADMIN, "/template add bye Bye")
    await switchboard.command(ADMIN, "/template add long " + "{name} " * 499 + "{name}")
    anna_before = len(telegram.received("alpha_bot", ANNA.id))
    hostile_before = len(telegram.received("alpha_bot", HOSTILE.id))

    refusals = {
        ("/t hello", anna_card.message_id): (
            "There is no template hello here. The templates are: bye, greet, long"
        ),
        # Two open contacts and no reply: which one?
        ("/t greet", None): "Send /t as a reply to a message of the contact it is for.",
        ("/t", None): "Send /t as a reply to a message of the contact it is for.",
        # 500 names and 499 spaces: with Anna's (4 characters) it fits, with "<b>&amp;" (8)
        # it does not.
        ("/t long", hostile_card.message_id): (
            "Not sent: template long would have 4499 characters; Telegram allows at most 4096."
        ),
    }
    for (command, reply_to), expected in refusals.items():
        assert await _t(switchboard, OLGA, command, reply_to) == expected, command
    assert await _t(switchboard, ANNA, "/t greet", None) == "This command is for operators."

    await switchboard.add_operator(PETE)
    assert await _t(switchboard, PETE, "/t greet", None) == (
        "You have no open contact in this bot to send this to."
    )
    await switchboard.command(ADMIN, f"/assign 2 {PETE.id}")
    assert await _t(switchboard, OLGA, "/t greet", hostile_card.message_id) == (
        "Contact #2 was given to another operator; your message was not sent."
    )
    await switchboard.command(OLGA, "/close 1")
    assert await _t(switchboard, OLGA, "/t greet", anna_card.message_id) == (
        "Contact #1 is closed; your message was not sent."
    )
    # Nothing of a template reached either client.
    for client, before in ((ANNA, anna_before), (HOSTILE, hostile_before)):
        assert not any("Hi " in text for text in texts(telegram, "alpha_bot", client.id, before))


async def test_a_template_keeps_the_formatting_its_admin_gave_it(switchboard: Switchboard):
    telegram = switchboard.telegram
    command = "/template add greet Dear {name}, your order is ready."
    ready = command.index("ready")
    await telegram.send_raw(
        "alpha_bot",
        ADMIN,
        {
            "text": command,
            "entities": [
                {"type": "bot_command", "offset": 0, "length": 9},
                {"type": "bold", "offset": ready, "length": 5},
            ],
        },
    )
    await switchboard.idle()
    await _olga_has(switchboard, HOSTILE)
    (card,) = cards(telegram, "alpha_bot", OLGA.id)

    await _t(switchboard, OLGA, "/t greet", card.message_id)

    assert telegram.received("alpha_bot", HOSTILE.id)[-1].text == (
        "Dear &lt;b&gt;&amp;amp;, your order is <b>ready</b>."
    )


async def test_editing_a_t_changes_nothing_and_says_so(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.command(ADMIN, "/template add greet Hi {name}")
    await switchboard.command(ADMIN, "/template add bye Bye")
    await _olga_has(switchboard, ANNA)
    (card,) = cards(telegram, "alpha_bot", OLGA.id)
    await _t(switchboard, OLGA, "/t greet", card.message_id)
    sent = telegram.received("alpha_bot", ANNA.id)[-1]

    await telegram.edit_message("alpha_bot", OLGA, answer_id(telegram), "/t bye")
    await telegram.wait_received(
        "alpha_bot", OLGA.id, len(telegram.received("alpha_bot", OLGA.id)) + 1
    )
    await switchboard.idle()

    assert texts(telegram, "alpha_bot", OLGA.id)[-1] == (
        "✏️ Contact #1 got the template's text, not your command: editing the command changes "
        "nothing there. Send /t again for another template."
    )
    assert not sent.edited and sent.plain_text == "Hi Anna"


async def test_a_button_of_a_removed_template_sends_nothing(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.command(ADMIN, "/template add greet Hi {name}")
    await _olga_has(switchboard, ANNA)
    (card,) = cards(telegram, "alpha_bot", OLGA.id)
    await _t(switchboard, OLGA, "/t", card.message_id)
    question = telegram.received("alpha_bot", OLGA.id)[-1]
    await switchboard.command(ADMIN, "/template del greet")
    anna_before = len(telegram.received("alpha_bot", ANNA.id))

    query = await telegram.press_button(
        "alpha_bot", OLGA, question.message_id, buttons(question)[0][1]
    )
    await switchboard.idle()

    (answer,) = [a for a in telegram.answered_callbacks if a["callback_query_id"] == query]
    assert answer["text"] == "That template was removed meanwhile; /t lists those there are now."
    assert len(telegram.received("alpha_bot", ANNA.id)) == anna_before


async def test_a_template_is_the_operators_answer_and_first_reply(api_switchboard, api):
    switchboard = api_switchboard
    await switchboard.command(ADMIN, "/template add greet Hi {name} & welcome")
    await _olga_has(switchboard, ANNA)
    status, before = await api.call("GET", "/api/v1/contacts/1")
    assert status == 200 and before["first_reply_at"] is None

    await _t(switchboard, OLGA, "/t greet", None)

    status, contact = await api.call("GET", "/api/v1/contacts/1")
    assert contact["first_reply_at"] is not None
    assert [(m["direction"], m["content_type"], m["text"]) for m in contact["messages"]] == [
        ("in", "text", "I am Anna"),
        ("out", "template", "Hi Anna & welcome"),
    ]
