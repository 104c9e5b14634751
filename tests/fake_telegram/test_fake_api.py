"""Bot API methods of the fake, exercised through a real aiogram Bot."""

from __future__ import annotations

import html

import aiohttp
import pytest
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
)

from fake_telegram import User
from tests.support.fake_bots import ANN, BOB, LEAD_TOKEN, OPERATOR_TOKEN


def keyboard(*data: str) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(text=item.title(), callback_data=item) for item in data]
    return InlineKeyboardMarkup(inline_keyboard=[buttons])


async def test_get_me_returns_the_registered_bot(bot):
    me = await bot.get_me()

    assert (me.id, me.username, me.first_name, me.is_bot) == (111111, "lead_bot", "Lead Bot", True)


async def test_wrong_token_is_unauthorized(fake, make_bot):
    stranger = make_bot(fake, "999:nope")

    with pytest.raises(TelegramUnauthorizedError):
        await stranger.get_me()
    assert fake.calls[-1].status == 401


async def test_unknown_method_is_404_and_names_are_case_insensitive(fake):
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{fake.base_url}/bot{LEAD_TOKEN}/sendTelepathy") as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }
        async with http.get(f"{fake.base_url}/bot{LEAD_TOKEN}/GETME") as response:
            assert (await response.json())["result"]["username"] == "lead_bot"
    assert fake.calls[-1].method == "getMe"


async def test_json_urlencoded_and_query_string_bodies_are_accepted(fake):
    await fake.send_message("lead_bot", ANN, "hi")
    url = f"{fake.base_url}/bot{LEAD_TOKEN}/sendMessage"
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json={"chat_id": ANN.id, "text": "json"}) as response:
            assert response.status == 200
        async with http.post(url, data={"chat_id": str(ANN.id), "text": "form"}) as response:
            assert response.status == 200
        async with http.get(url, params={"chat_id": str(ANN.id), "text": "query"}) as response:
            assert response.status == 200

    assert [item.text for item in fake.received("lead_bot", ANN.id)] == ["json", "form", "query"]


@pytest.mark.parametrize(
    "text",
    [
        "<b>bold</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <ins>i</ins>",
        "<s>s</s> <strike>s</strike> <del>d</del> <tg-spoiler>x</tg-spoiler>",
        '<span class="tg-spoiler">x</span> <a href="https://e.com/?a=1&b=2">link</a>',
        '<code>c</code> <pre><code class="language-python">x = 1</code></pre>',
        "<blockquote>q</blockquote> <blockquote expandable>q</blockquote>",
        '<tg-emoji emoji-id="5">🙂</tg-emoji> <tg-time unix="1700000000">now</tg-time>',
        "&lt;tag&gt; &amp; &quot; &#169; &#x1F600; 2 > 1",
    ],
)
async def test_send_message_accepts_telegram_html(fake, bot, text):
    await fake.send_message("lead_bot", ANN, "hi")

    message = await bot.send_message(ANN.id, text, parse_mode="HTML")

    received = fake.received("lead_bot", ANN.id)[-1]
    assert received.text == text
    assert message.text == received.plain_text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<b>&", 'Unescaped "&"'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", "Unmatched end tag"),
        ("x</b>", "Unexpected end tag"),
        ("a < b", 'Unsupported start tag ""'),
        ("<div>x</div>", 'Unsupported start tag "div"'),
        ("line<br/>break", 'Unsupported start tag "br/"'),
        ("Tom &amp Jerry", 'Unescaped "&"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
    ],
)
async def test_send_message_rejects_broken_html(fake, bot, text, reason):
    await fake.send_message("lead_bot", ANN, "hi")

    with pytest.raises(TelegramBadRequest, match="can't parse entities") as error:
        await bot.send_message(ANN.id, text, parse_mode="HTML")

    assert reason in error.value.message
    assert fake.received("lead_bot", ANN.id) == []


async def test_escaped_user_input_is_fine_and_plain_text_decodes_it(fake, bot):
    await fake.send_message("lead_bot", ANN, "hi")
    name = "<b>&Co</b>"

    message = await bot.send_message(ANN.id, f"<b>{html.escape(name)}</b>", parse_mode="HTML")

    assert message.text == name
    assert fake.received("lead_bot", ANN.id)[0].plain_text == name


async def test_text_length_is_counted_after_entity_parsing(fake, bot):
    await fake.send_message("lead_bot", ANN, "hi")

    await bot.send_message(ANN.id, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(ANN.id, "x" * 4097)
    # In UTF-16 code units, as Telegram counts: this emoji is two.
    await bot.send_message(ANN.id, "😀" * 2048)
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(ANN.id, "😀" * 2049)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(ANN.id, " \n ")
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(ANN.id, "<b> </b>", parse_mode="HTML")


async def test_text_is_trimmed_and_entities_shifted_like_telegram(fake, bot):
    await fake.send_message("lead_bot", ANN, "hi")

    message = await bot.send_message(ANN.id, "\n  😀 <b>bold</b>\n", parse_mode="HTML")

    assert message.text == "😀 bold"
    assert [(entity.type, entity.offset, entity.length) for entity in message.entities] == [
        ("bold", 3, 4)
    ]


async def test_chat_reachability_errors(fake, bot):
    await fake.send_message("operator_bot", BOB, "hi operator")

    with pytest.raises(TelegramForbiddenError, match="bot can't initiate conversation"):
        await bot.send_message(BOB.id, "hello")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(424242, "hello")
    with pytest.raises(TelegramForbiddenError, match="bot can't send messages to bots"):
        await bot.send_message(222222, "hello")


async def test_blocked_user_gives_forbidden_until_unblocked(fake, bot):
    await fake.send_message("lead_bot", ANN, "hi")
    fake.block("lead_bot", ANN.id)

    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(ANN.id, "still there?")
    with pytest.raises(RuntimeError, match="unblock"):
        await fake.send_message("lead_bot", ANN, "can't write while blocked")

    fake.unblock("lead_bot", ANN.id)
    await bot.send_message(ANN.id, "welcome back")
    updates = await bot.get_updates()
    statuses = [
        update.my_chat_member.new_chat_member.status for update in updates if update.my_chat_member
    ]
    assert statuses == ["kicked", "member"]


async def test_message_ids_are_shared_per_chat_and_update_ids_per_bot(fake, bot):
    first = await fake.send_message("lead_bot", ANN, "one")
    reply = await bot.send_message(ANN.id, "two")
    third = await fake.send_message("lead_bot", ANN, "three")
    other_chat = await fake.send_message("lead_bot", BOB, "bob")
    other_bot = await fake.send_message("operator_bot", ANN, "hi operator")

    assert (first["message_id"], reply.message_id, third["message_id"]) == (1, 2, 3)
    assert other_chat["message_id"] == other_bot["message_id"] == 1
    assert [update.update_id for update in await bot.get_updates()] == [1, 2, 3]


async def test_copy_message_records_content_and_source(fake, bot):
    text = await fake.send_message("lead_bot", ANN, "need help with <order> & stuff")
    photo = await fake.send_media("lead_bot", ANN, "photo", caption="my receipt")
    await fake.send_message("lead_bot", BOB, "operator here")

    copied_text = await bot.copy_message(BOB.id, ANN.id, text["message_id"])
    await bot.copy_message(BOB.id, ANN.id, photo["message_id"])
    await bot.copy_message(
        BOB.id, ANN.id, photo["message_id"], caption="<i>from Ann</i>", parse_mode="HTML"
    )

    first, second, third = fake.received("lead_bot", BOB.id)
    assert copied_text.message_id == first.message_id == 2
    assert (first.method, first.content_type, first.text) == (
        "copyMessage",
        "text",
        "need help with <order> & stuff",
    )
    assert first.copied_from == (ANN.id, text["message_id"])
    assert (second.content_type, second.text, second.plain_text) == (
        "photo",
        "my receipt",
        "my receipt",
    )
    assert (third.text, third.parse_mode, third.plain_text) == (
        "<i>from Ann</i>",
        "HTML",
        "from Ann",
    )
    with pytest.raises(TelegramBadRequest, match="message to copy not found"):
        await bot.copy_message(BOB.id, ANN.id, 999)
    with pytest.raises(TelegramBadRequest, match="message to copy not found"):
        await bot.copy_message(BOB.id, 5555, 1)


async def test_copy_messages_keeps_order_and_albums(fake, bot):
    await fake.send_media("lead_bot", ANN, "photo", caption="a", media_group_id="album-1")
    await fake.send_media("lead_bot", ANN, "photo", media_group_id="album-1")
    await fake.send_message("lead_bot", ANN, "and a note")
    await fake.send_message("lead_bot", BOB, "operator")

    ids = await bot.copy_messages(BOB.id, ANN.id, [1, 2, 3, 50])

    assert [item.message_id for item in ids] == [2, 3, 4]
    received = fake.received("lead_bot", BOB.id)
    assert [item.content_type for item in received] == ["photo", "photo", "text"]
    assert received[0].media_group_id == received[1].media_group_id is not None
    assert received[0].media_group_id != "album-1"
    assert received[2].media_group_id is None


async def test_forward_message_carries_origin(fake, bot):
    source = await fake.send_message("lead_bot", ANN, "forward me")
    await fake.send_message("lead_bot", BOB, "operator")

    forwarded = await bot.forward_message(BOB.id, ANN.id, source["message_id"])

    assert forwarded.forward_origin.sender_user.id == ANN.id
    assert forwarded.text == "forward me"
    assert fake.received("lead_bot", BOB.id)[0].method == "forwardMessage"


async def test_replies_need_an_existing_message(fake, bot):
    question = await fake.send_message("lead_bot", ANN, "question?")

    answer = await bot.send_message(
        ANN.id, "answer", reply_parameters=ReplyParameters(message_id=question["message_id"])
    )
    legacy = await bot.send_message(ANN.id, "again", reply_to_message_id=question["message_id"])

    assert answer.reply_to_message.text == "question?"
    assert [item.reply_to for item in fake.received("lead_bot", ANN.id)] == [1, 1]
    assert legacy.reply_to_message.message_id == 1
    with pytest.raises(TelegramBadRequest, match="message to be replied not found"):
        await bot.send_message(ANN.id, "x", reply_parameters=ReplyParameters(message_id=77))
    await bot.send_message(
        ANN.id,
        "x",
        reply_parameters=ReplyParameters(message_id=77, allow_sending_without_reply=True),
    )


async def test_edits_update_received_and_unchanged_edits_fail(fake, bot):
    await fake.send_message("lead_bot", ANN, "hi")
    card = await bot.send_message(ANN.id, "New lead", reply_markup=keyboard("take"))

    edited = await bot.edit_message_text(
        "Taken by <b>Bob</b>", chat_id=ANN.id, message_id=card.message_id, parse_mode="HTML"
    )

    (item,) = fake.received("lead_bot", ANN.id)
    assert edited.edit_date is not None
    assert (item.method, item.edited, item.edits, item.plain_text) == (
        "editMessageText",
        True,
        1,
        "Taken by Bob",
    )
    assert item.reply_markup is None  # editing without reply_markup drops the keyboard
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "Taken by <b>Bob</b>", chat_id=ANN.id, message_id=card.message_id, parse_mode="HTML"
        )
    await bot.edit_message_reply_markup(
        chat_id=ANN.id, message_id=card.message_id, reply_markup=keyboard("close")
    )
    assert item.reply_markup["inline_keyboard"][0][0]["callback_data"] == "close"
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await bot.edit_message_text("mine?", chat_id=ANN.id, message_id=1)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("where?", chat_id=ANN.id, message_id=99)


async def test_delete_message(fake, bot):
    await fake.send_message("lead_bot", ANN, "hi")
    sent = await bot.send_message(ANN.id, "oops")

    assert await bot.delete_message(ANN.id, sent.message_id)

    assert fake.received("lead_bot", ANN.id)[0].deleted
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(ANN.id, sent.message_id)


async def test_callback_data_longer_than_64_bytes_is_rejected(fake, bot):
    await fake.send_message("lead_bot", ANN, "hi")

    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(ANN.id, "pick", reply_markup=keyboard("x" * 65))


async def test_callback_queries_can_be_answered_once(fake, bot):
    await fake.send_message("lead_bot", ANN, "hi")
    card = await bot.send_message(ANN.id, "pick", reply_markup=keyboard("yes", "no"))

    query_id = await fake.press_button("lead_bot", ANN, card.message_id, "yes")
    await bot.answer_callback_query(query_id, text="Done", show_alert=True)

    assert fake.answered_callbacks == [
        {
            "bot_id": 111111,
            "callback_query_id": query_id,
            "text": "Done",
            "show_alert": True,
            "url": None,
            "cache_time": 0,
        }
    ]
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(ValueError, match="no button with callback_data 'maybe'"):
        await fake.press_button("lead_bot", ANN, card.message_id, "maybe")


async def test_commands_are_stored_per_scope_and_language(fake, bot):
    default = [BotCommand(command="start", description="Start")]
    chat_scope = BotCommandScopeChat(chat_id=ANN.id)

    await bot.set_my_commands(default)
    await bot.set_my_commands(
        [BotCommand(command="queue", description="Очередь")],
        scope=chat_scope,
        language_code="ru",
    )

    assert fake.commands_of("lead_bot") == [{"command": "start", "description": "Start"}]
    assert fake.commands[(111111, '{"type":"default"}', "")] == fake.commands_of("lead_bot")
    assert fake.commands_of("lead_bot", {"type": "chat", "chat_id": ANN.id}, "ru")[0][
        "command"
    ] == ("queue")
    assert [command.command for command in await bot.get_my_commands()] == ["start"]
    assert await bot.get_my_commands(scope=chat_scope) == []
    await bot.delete_my_commands()
    assert fake.commands_of("lead_bot") == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad Command", description="x")])


async def test_profile_and_housekeeping_methods_are_accepted(fake, bot):
    await fake.send_message("lead_bot", ANN, "hi")

    assert await bot.set_my_description("Help desk")
    assert await bot.set_my_short_description("Ask us")
    assert await bot.set_my_name("Support")
    assert await bot.send_chat_action(ANN.id, "typing")
    assert await bot.set_chat_menu_button()
    assert (await bot.get_my_description()).description == "Help desk"
    assert (await bot.get_my_name()).name == "Support"
    assert await bot.log_out()
    with pytest.raises(TelegramBadRequest, match="wrong parameter action"):
        await bot.send_chat_action(ANN.id, "dancing")


async def test_calls_are_recorded_with_status_and_time(fake, bot, make_bot):
    await fake.send_message("lead_bot", ANN, "hi")
    operator = make_bot(fake, OPERATOR_TOKEN)
    await bot.send_message(ANN.id, "one")
    with pytest.raises(TelegramForbiddenError):
        await operator.send_message(ANN.id, "two")

    sends = fake.calls_of("sendMessage")
    assert [(call.token, call.status) for call in sends] == [
        (LEAD_TOKEN, 200),
        (OPERATOR_TOKEN, 403),
    ]
    assert sends[0].params["text"] == "one"
    assert sends[0].at <= sends[1].at
    assert sends[1].description == "Forbidden: bot can't initiate conversation with a user"
    assert fake.calls_of("sendmessage", bot="operator_bot") == [sends[1]]


async def test_control_api_plays_users_over_http(fake, bot):
    user = {"id": 77, "first_name": "Demo"}
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{fake.base_url}/_fake/lead_bot/send_message", json={"user": user, "text": "hello"}
        ) as response:
            assert (await response.json())["result"]["text"] == "hello"
        await bot.send_message(77, "<b>hi</b> Demo", parse_mode="HTML")
        async with http.get(f"{fake.base_url}/_fake/lead_bot/received/77") as response:
            (item,) = (await response.json())["result"]
        async with http.post(
            f"{fake.base_url}/_fake/lead_bot/press_button",
            json={"user": user, "message_id": 2, "data": "nope"},
        ) as response:
            assert response.status == 400

    assert item["plain_text"] == "hi Demo"
    assert fake.received("lead_bot", 77)[0].text == "<b>hi</b> Demo"


async def test_simulation_input_is_validated(fake):
    with pytest.raises(LookupError, match="unknown bot"):
        await fake.send_message("ghost_bot", ANN, "hi")
    with pytest.raises(ValueError, match="belongs to a bot"):
        await fake.send_message("lead_bot", User(222222, "Impostor"), "hi")
    with pytest.raises(LookupError, match="never wrote"):
        await fake.press_button("lead_bot", ANN, 1, "x")
    with pytest.raises(ValueError, match="not a bot command"):
        await fake.send_command("lead_bot", ANN, "/ nothing")
