"""/history: a contact's whole conversation as a file, for its operator or any admin."""

import re

from bot import transport
from fake_telegram import User
from services import transcripts
from tests.e2e.helpers import cards
from tests.harness import ADMIN
from tests.support.switchboard import Switchboard

OLGA = User(1001, "Olga", username="olga_op")
PETE = User(1002, "Pete", username="pete_op")
_TIME = re.compile(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\] ")
ANNA = User(3001, "<b>Anna</b> & co", username="anna_c")


async def _conversation(switchboard: Switchboard) -> None:
    """Olga (the only operator, of alpha_bot) has contact #1 of Anna: a text, a photo with a
    caption, Olga's answer and a template; then Olga closes it."""
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA, bots=("alpha_bot",))
    await switchboard.command(ADMIN, "/template add greet Dear {name}, we are on it.")
    await telegram.send_message("alpha_bot", ANNA, "My order <1234> is late")
    await switchboard.idle()
    await telegram.send_media("alpha_bot", ANNA, "photo", caption="the box")
    await switchboard.idle()
    (card,) = cards(telegram, "alpha_bot", OLGA.id)
    await telegram.send_message("alpha_bot", OLGA, "Sorry & thanks", reply_to=card.message_id)
    await switchboard.idle()
    await telegram.send_message("alpha_bot", OLGA, "/t greet", reply_to=card.message_id)
    await switchboard.idle()
    await switchboard.command(OLGA, "/close 1")


async def _history(switchboard: Switchboard, user: User, command: str) -> tuple[str, str]:
    """``user`` sends ``command``; the caption and the text of the file that comes back."""
    telegram = switchboard.telegram
    before = len(telegram.received("alpha_bot", user.id))
    await telegram.send_message("alpha_bot", user, command)
    (sent,) = (await telegram.wait_received("alpha_bot", user.id, before + 1))[before:]
    await switchboard.idle()
    assert (sent.method, sent.content_type) == ("sendDocument", "document")
    name, content = telegram.document("alpha_bot", user.id, sent.message_id)
    assert name == "contact_1.txt"
    return sent.plain_text or "", content.decode("utf-8")


def _without_times(transcript: str) -> list[str]:
    """The transcript's lines, each message's time (checked apart) left out."""
    return [_TIME.sub("", line) for line in transcript.splitlines()]


async def test_the_operator_gets_the_whole_conversation_as_a_file(switchboard: Switchboard):
    await _conversation(switchboard)

    caption, transcript = await _history(switchboard, OLGA, "/history 1")

    assert caption == "Conversation of contact #1: <b>Anna</b> & co @anna_c (id 3001)"
    head, messages = transcript.split("\n\n", 1)
    lines = head.splitlines()
    assert lines[:4] == [
        "Contact #1 via @alpha_bot",
        "Client: <b>Anna</b> & co @anna_c (id 3001)",
        "Operator: Olga",
        "Status: closed",
    ]
    assert lines[4].startswith("Opened: 20") and lines[4].endswith(" UTC")
    assert lines[5].startswith("Closed: 20") and lines[5].endswith(" UTC")
    assert _without_times(messages) == [
        "Client: My order <1234> is late",
        "Client: [photo] the box",
        "Operator Olga: Sorry & thanks",
        "Operator Olga: Dear <b>Anna</b> & co, we are on it.",
    ]
    assert all(_TIME.match(line) for line in messages.splitlines())


async def test_any_admin_gets_it_too_in_their_language(switchboard: Switchboard):
    await _conversation(switchboard)
    await switchboard.command(ADMIN, "/language")  # the admin's chat exists; Russian below
    ru = User(ADMIN.id, ADMIN.first_name, username=ADMIN.username, language_code="ru")
    await switchboard.command(ru, "/start")

    caption, transcript = await _history(switchboard, ru, "/history #1")

    assert caption.startswith("Переписка контакта #1")
    assert "Клиент: [фото] the box" in _without_times(transcript)
    assert "Состояние: закрыт" in transcript


async def test_refusals_send_no_file(switchboard: Switchboard):
    await _conversation(switchboard)
    await switchboard.add_operator(PETE, bots=("alpha_bot",))
    usage = "Usage: /history <contact number>"
    refusals = {
        (OLGA, "/history"): usage,
        (OLGA, "/history one"): usage,
        (OLGA, "/history 1 2"): usage,
        (OLGA, "/history 99"): "There is no contact #99.",
        (PETE, "/history 1"): "Contact #1 is not yours.",
        (ANNA, "/history 1"): "This command is for operators.",
    }
    for (user, command), expected in refusals.items():
        assert await switchboard.command(user, command) == expected, command
    for user in (OLGA, PETE, ANNA):
        methods = {item.method for item in switchboard.telegram.received("alpha_bot", user.id)}
        assert "sendDocument" not in methods


async def test_a_card_points_to_the_history_of_earlier_contacts(switchboard: Switchboard):
    telegram = switchboard.telegram
    await _conversation(switchboard)
    await switchboard.command(OLGA, "/pause")
    await switchboard.add_operator(PETE, bots=("alpha_bot",))

    await telegram.send_message("alpha_bot", ANNA, "Me again")
    await switchboard.idle()

    (card,) = cards(telegram, "alpha_bot", PETE.id)
    assert "#1 via @alpha_bot, closed, " in card.plain_text
    assert ": /history 1\n" in card.plain_text
    # Pete has Anna's contact #2 now, so he may read her earlier one.
    _caption, transcript = await _history(switchboard, PETE, "/history 1")
    assert "Operator Olga: Sorry & thanks" in _without_times(transcript)


async def test_a_long_conversation_is_read_a_page_at_a_time_and_cut_to_fit(
    switchboard: Switchboard, monkeypatch
):
    await _conversation(switchboard)
    # One message per transaction: the four of them come over four pages and a last empty one.
    monkeypatch.setattr(transcripts, "TRANSCRIPT_PAGE", 1)
    _caption, whole = await _history(switchboard, OLGA, "/history 1")
    assert _without_times(whole.split("\n\n", 1)[1]) == [
        "Client: My order <1234> is late",
        "Client: [photo] the box",
        "Operator Olga: Sorry & thanks",
        "Operator Olga: Dear <b>Anna</b> & co, we are on it.",
    ]

    # A file that would grow past the limit stops after the line that reached it.
    head = whole.split("\n\n", 1)[0]
    monkeypatch.setattr(transport, "TRANSCRIPT_LIMIT", len(head.encode()) + 10)
    _caption, cut = await _history(switchboard, OLGA, "/history 1")
    assert _without_times(cut.split("\n\n", 1)[1]) == [
        "Client: My order <1234> is late",
        "[The rest of the conversation does not fit one file.]",
    ]
