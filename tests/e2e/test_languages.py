"""Russian and English, end to end: who reads which language, /language, menus per role and
language, plural forms, and the texts each bot's admin sets with /text."""

import dataclasses
import random

import pytest

from bot.app import create_app
from fake_telegram import FakeTelegram, User
from tests.e2e.helpers import buttons, settle, texts
from tests.harness import ADMIN, FAST
from tests.support.switchboard import Switchboard

OLGA = User(1001, "Olga", username="olga_op")
IVAN = User(2001, "Иван", language_code="ru")
JANE = User(2002, "Jane", language_code="en-GB")
HANS = User(2003, "Hans", language_code="de")
NOBODY = User(2004, "Nobody", language_code=None)
GREETING = {"en": "Hello! Write your question here", "ru": "Здравствуйте! Напишите здесь"}
QUEUED = {"en": "All operators are busy right now", "ru": "Сейчас все операторы заняты"}
ASSIGNED = {"en": "An operator has your message", "ru": "Оператор получил Ваше сообщение"}


def _russian(user: User) -> User:
    return dataclasses.replace(user, language_code="ru")


@pytest.fixture
async def russian_desk(telegram: FakeTelegram, make_settings):
    """A desk whose DEFAULT_LANGUAGE is Russian."""
    app = await create_app(make_settings(default_language="ru"), rng=random.Random(7), pacing=FAST)
    running = Switchboard(app, telegram)
    await running.start()
    yield running
    await running.stop()


async def test_each_client_reads_their_telegram_language_else_the_default(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    for client in (IVAN, JANE, HANS, NOBODY):
        assert GREETING["ru" if client is IVAN else "en"] in await switchboard.command(
            client, "/start"
        )
        await telegram.send_message("alpha_bot", client, "Hello")
    await settle(switchboard)
    assert QUEUED["ru"] in texts(telegram, "alpha_bot", IVAN.id)[-1]
    for client in (JANE, HANS, NOBODY):
        assert QUEUED["en"] in texts(telegram, "alpha_bot", client.id)[-1]


async def test_the_default_language_is_a_setting(russian_desk: Switchboard):
    telegram = russian_desk.telegram
    assert GREETING["ru"] in await russian_desk.command(HANS, "/start")
    assert GREETING["en"] in await russian_desk.command(JANE, "/start")
    await telegram.send_message("alpha_bot", HANS, "Hallo")
    await settle(russian_desk)
    assert QUEUED["ru"] in texts(telegram, "alpha_bot", HANS.id)[-1]


async def test_language_is_chosen_with_buttons_and_sticks_across_restarts(
    telegram: FakeTelegram, make_settings
):
    first = Switchboard(
        await create_app(make_settings(), rng=random.Random(7), pacing=FAST), telegram
    )
    await first.start()
    assert "Choose your language" in await first.command(JANE, "/language")
    question = telegram.received("alpha_bot", JANE.id)[-1]
    labels = dict(buttons(question))
    assert set(labels) == {"English", "Русский"}
    await telegram.press_button("alpha_bot", JANE, question.message_id, labels["Русский"])
    await first.idle()
    await telegram.wait_for(lambda: "по-русски" in (question.plain_text or ""))
    # Her client menu follows, whatever Telegram's language is.
    menu = telegram.commands_of("alpha_bot", {"type": "chat", "chat_id": JANE.id})
    assert [c["description"] for c in menu][:2] == ["Что я умею", "Выбрать язык"]
    await first.stop()

    again = Switchboard(
        await create_app(make_settings(), rng=random.Random(7), pacing=FAST), telegram
    )
    await again.start()
    try:
        assert GREETING["ru"] in await again.command(JANE, "/start")
        await telegram.send_message("alpha_bot", JANE, "Hello")
        await settle(again)
        assert QUEUED["ru"] in texts(telegram, "alpha_bot", JANE.id)[-1]
    finally:
        await again.stop()


async def test_card_and_stats_follow_the_operators_and_admins_language(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    olga = _russian(OLGA)
    await switchboard.add_operator(olga)
    await telegram.send_message("alpha_bot", JANE, "Hi")
    await settle(switchboard)
    (card,) = [
        m for m in telegram.received("alpha_bot", OLGA.id) if "Новый контакт #1" in m.plain_text
    ]
    assert "Клиент: Jane (id 2002)" in card.plain_text
    assert "\nℹ️ — · язык en-GB · телефон —\n" in card.plain_text
    assert [label for label, _ in buttons(card)] == ["✅ Закрыть #1", "↪️ Передать", "🚫 Блок"]
    assert ASSIGNED["en"] in texts(telegram, "alpha_bot", JANE.id)[-1]
    assert "@alpha_bot: 1 contact, 1 open, 0 queued" in await switchboard.command(ADMIN, "/stats")

    # The admin chooses Russian: /stats and what is sent later (an alert) follow.
    await switchboard.command(ADMIN, "/language")
    question = telegram.received("alpha_bot", ADMIN.id)[-1]
    await telegram.press_button("alpha_bot", ADMIN, question.message_id, "lang:ru")
    await switchboard.idle()
    stats = await switchboard.command(ADMIN, "/stats")
    assert "@alpha_bot: 1 контакт, открыто 1, в очереди 0" in stats
    assert "Операторы (их контакты за последние 7 дней; медианы от назначения):" in stats
    # The admin's menu is Russian now, for every command they have.
    menu = telegram.commands_of("alpha_bot", {"type": "chat", "chat_id": ADMIN.id})
    assert {c["command"]: c["description"] for c in menu}["stats"] == "Статистика"


async def test_later_messages_use_the_recipients_language_not_the_senders(
    switchboard: Switchboard,
):
    """A Russian client's contact closed by an English-speaking operator: the client reads
    Russian, the operator English."""
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    await telegram.send_message("alpha_bot", IVAN, "Привет")
    await settle(switchboard)
    await telegram.send_command("alpha_bot", OLGA, "/close 1")
    await settle(switchboard)
    assert "Этот разговор закрыт" in texts(telegram, "alpha_bot", IVAN.id)[-1]
    assert texts(telegram, "alpha_bot", OLGA.id)[-1] == "✅ Contact #1 is closed."


# The contacts in the queue, in each language, for the counts a plural rule can trip on.
QUEUE_HEADS = {
    "en": {
        1: "1 contact,",
        2: "2 contacts,",
        5: "5 contacts,",
        11: "11 contacts,",
        21: "21 contacts,",
        22: "22 contacts,",
    },
    "ru": {
        1: "1 контакт,",
        2: "2 контакта,",
        5: "5 контактов,",
        11: "11 контактов,",
        21: "21 контакт,",
        22: "22 контакта,",
    },
}


@pytest.mark.slow
async def test_plural_forms_in_both_languages(switchboard: Switchboard):
    telegram = switchboard.telegram
    russian_admin = _russian(ADMIN)
    for n in range(1, 23):
        await telegram.send_message("alpha_bot", User(30_000 + n, f"Client {n}"), "Hi")
        if n in QUEUE_HEADS["en"]:
            await settle(switchboard)
            english = await switchboard.command(ADMIN, "/queue")
            assert english.startswith(f"Queue: {QUEUE_HEADS['en'][n]} oldest first:")
            russian = await switchboard.command(russian_admin, "/queue")
            assert russian.startswith(f"Очередь: {QUEUE_HEADS['ru'][n]} сначала самые давние:")


async def test_menus_per_role_and_language(switchboard: Switchboard):
    telegram = switchboard.telegram
    for language, help_text in (("en", "What I can do"), ("ru", "Что я умею")):
        menu = telegram.commands_of("alpha_bot", language_code=language)
        assert (menu[0]["command"], menu[0]["description"]) == ("help", help_text)
    await switchboard.add_operator(_russian(OLGA))
    menu = telegram.commands_of("alpha_bot", {"type": "chat", "chat_id": OLGA.id})
    assert {c["command"]: c["description"] for c in menu}["contacts"] == "Ваши открытые контакты"


async def test_an_admin_sets_a_bots_own_greeting_per_language(switchboard: Switchboard):
    telegram = switchboard.telegram
    text = "Добро пожаловать в <b>наш</b> магазин!\nПишите."
    command = "/text greeting ru Добро пожаловать в наш магазин!\nПишите."
    bold = command.index("наш")  # UTF-16 offsets: these letters take one unit each
    await telegram.send_raw(
        "alpha_bot",
        ADMIN,
        {
            "text": command,
            "entities": [
                {"type": "bot_command", "offset": 0, "length": 5},
                {"type": "bold", "offset": bold, "length": 3},
            ],
        },
    )
    await switchboard.idle()
    answer = telegram.received("alpha_bot", ADMIN.id)[-1]
    assert "greeting (ru)" in answer.plain_text and "Пишите." in answer.plain_text
    assert text in (answer.text or "")  # shown as it will be sent, formatting kept

    greeting = telegram.received
    await switchboard.command(IVAN, "/start")
    assert greeting("alpha_bot", IVAN.id)[-1].text == text
    # Not in English, not in another bot.
    assert GREETING["en"] in await switchboard.command(JANE, "/start")
    assert GREETING["ru"] in await switchboard.command(IVAN, "/start", "beta_bot")

    listing = await switchboard.command(ADMIN, "/texts")
    assert "ru (set here): Добро пожаловать в наш магазин!" in listing
    assert "en (default): Hello!" in listing

    # Back to the default.
    reset = await switchboard.command(ADMIN, "/text greeting ru")
    assert "greeting (ru)" in reset and GREETING["ru"] in reset
    assert GREETING["ru"] in await switchboard.command(IVAN, "/start")


async def test_a_bots_own_queued_text_reaches_its_clients(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.command(ADMIN, "/text queued en We are on it, <b>& wait</b>")
    await telegram.send_message("alpha_bot", JANE, "Hi")
    await telegram.send_message("beta_bot", JANE, "Hi")
    await settle(switchboard)
    assert texts(telegram, "alpha_bot", JANE.id)[-1] == "We are on it, <b>& wait</b>"
    assert QUEUED["en"] in texts(telegram, "beta_bot", JANE.id)[-1]


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/text welcome ru Hi", "there is no text welcome. The texts are: greeting, assigned"),
        ("/text greeting de Hallo", "there is no language de. The languages are: en, ru"),
        (f"/text greeting en {'x' * 5000}", "the text has 5000 characters; Telegram allows"),
        ("/text greeting", "Usage: /text <name> <language> [text…]"),
        ("/text", "Usage: /text <name> <language> [text…]"),
        ("/texts now", "Usage: /texts"),
    ],
)
async def test_bad_text_commands_are_answered_and_change_nothing(
    switchboard: Switchboard, command, answer
):
    assert answer in await switchboard.command(ADMIN, command)
    assert GREETING["en"] in await switchboard.command(JANE, "/start")
    assert "en (default): Hello!" in await switchboard.command(ADMIN, "/texts")


async def test_only_admins_set_texts(switchboard: Switchboard):
    assert (
        await switchboard.command(JANE, "/text greeting en Hi") == "Sorry, only admins can do that."
    )
    assert GREETING["en"] in await switchboard.command(JANE, "/start")
