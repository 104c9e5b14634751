"""Update delivery: getUpdates long polling, webhooks, callbacks and a full aiogram bot."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from aiogram import Dispatcher, F
from aiogram.exceptions import TelegramConflictError
from aiogram.filters import CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from fake_telegram import SECRET_HEADER
from tests.support.fake_bots import ANN, BOB


async def test_long_poll_with_nothing_to_deliver_answers_empty_after_its_timeout(fake, bot):
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == []
    waited = time.monotonic() - started
    assert 0.9 <= waited < 5  # held for its timeout, like Telegram, then answered


async def test_long_poll_returns_as_soon_as_a_user_writes(fake, bot):
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await fake.wait_for(lambda: fake.is_polling("lead_bot"))
    started = time.monotonic()

    await fake.send_message("lead_bot", ANN, "hello")
    (update,) = await asyncio.wait_for(poll, timeout=5)

    assert time.monotonic() - started < 1
    assert update.message.text == "hello"
    assert update.message.from_user.id == ANN.id


async def test_offset_confirms_updates_and_limit_caps_the_batch(fake, bot):
    for text in ("one", "two", "three"):
        await fake.send_message("lead_bot", ANN, text)

    first = await bot.get_updates(limit=2)
    again = await bot.get_updates(limit=2)
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert fake.pending_updates("lead_bot") == 1
    empty = await bot.get_updates(offset=rest[-1].update_id + 1, timeout=0)

    assert [update.message.text for update in first] == ["one", "two"]
    assert again == first  # unconfirmed updates are delivered again
    assert [update.message.text for update in rest] == ["three"]
    assert empty == []
    assert fake.pending_updates("lead_bot") == 0


async def test_raw_and_group_messages_reach_the_bot_as_given(fake, bot):
    timer = {"message_auto_delete_timer_changed": {"message_auto_delete_time": 86_400}}
    await fake.send_raw("lead_bot", ANN, timer)
    await fake.send_group_message("lead_bot", BOB, "/queue", group_id=-100_42)

    service, grouped = await bot.get_updates()
    assert service.message.content_type == "message_auto_delete_timer_changed"
    assert (service.message.chat.type, service.message.chat.id) == ("private", ANN.id)
    assert (grouped.message.chat.type, grouped.message.chat.id) == ("supergroup", -100_42)
    assert grouped.message.from_user.id == BOB.id
    assert grouped.message.entities[0].type == "bot_command"


async def test_negative_offset_keeps_only_the_latest_updates(fake, bot):
    for text in ("one", "two", "three"):
        await fake.send_message("lead_bot", ANN, text)

    (latest,) = await bot.get_updates(offset=-1)

    assert latest.message.text == "three"
    assert fake.pending_updates("lead_bot") == 1


async def test_a_second_poller_terminates_the_first(fake, bot, make_bot):
    first = asyncio.create_task(bot.get_updates(timeout=30))
    await fake.wait_for(lambda: fake.is_polling("lead_bot"))

    second = asyncio.create_task(make_bot(fake).get_updates(timeout=30))

    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, timeout=5)
    await fake.send_message("lead_bot", ANN, "for the survivor")
    assert [update.message.text for update in await second] == ["for the survivor"]


async def test_allowed_updates_filters_new_updates(fake, bot):
    await bot.get_updates(allowed_updates=["callback_query"])

    await fake.send_message("lead_bot", ANN, "ignored")

    assert fake.pending_updates("lead_bot") == 0
    await bot.get_updates(allowed_updates=[])  # back to the default set
    await fake.send_message("lead_bot", ANN, "delivered")
    assert fake.pending_updates("lead_bot") == 1


async def test_user_edits_arrive_as_edited_message(fake, bot):
    sent = await fake.send_message("lead_bot", ANN, "helo")

    await fake.edit_message("lead_bot", ANN, sent["message_id"], "hello")

    original, edited = await bot.get_updates()
    assert original.message.text == "helo"
    assert edited.edited_message.text == "hello"
    assert edited.edited_message.message_id == sent["message_id"]
    assert edited.edited_message.edit_date is not None


async def test_press_button_arrives_as_a_parsed_callback_query(fake, bot):
    await fake.send_message("lead_bot", ANN, "hi")
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Take", callback_data="take:42")]]
    )
    card = await bot.send_message(ANN.id, "Lead #42", reply_markup=markup)

    query_id = await fake.press_button("lead_bot", ANN, card.message_id, "take:42")

    query = (await bot.get_updates())[-1].callback_query
    assert (query.id, query.data, query.from_user.id) == (query_id, "take:42", ANN.id)
    assert query.message.message_id == card.message_id
    assert query.message.reply_markup.model_dump() == markup.model_dump()


async def test_aiogram_dispatcher_end_to_end(fake, bot):
    dispatcher = Dispatcher()

    @dispatcher.message(CommandStart())
    async def start(message: Message) -> None:
        markup = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="Call me", callback_data="call")]]
        )
        await message.answer(
            f"Hi, <b>{message.from_user.first_name}</b>!", parse_mode="HTML", reply_markup=markup
        )

    @dispatcher.callback_query(F.data == "call")
    async def call_me(query: CallbackQuery) -> None:
        await query.answer("Noted")
        await query.message.edit_text("We will call you")

    polling = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False))
    try:
        await fake.send_command("lead_bot", ANN, "/start ad-campaign")
        (greeting,) = await fake.wait_received("lead_bot", ANN.id, 1)
        assert greeting.plain_text == "Hi, Ann!"

        await fake.press_button("lead_bot", ANN, greeting.message_id, "call")
        await fake.wait_for(lambda: greeting.edited)
        assert greeting.plain_text == "We will call you"
        assert fake.answered_callbacks[0]["text"] == "Noted"
        await fake.wait_for(lambda: fake.pending_updates("lead_bot") == 0)
    finally:
        await dispatcher.stop_polling()
        await polling


@pytest.fixture
async def webhook_receiver():
    """A local webhook endpoint answering with queued statuses (then 200)."""
    received: list[tuple[dict, str | None]] = []
    statuses: list[int] = []
    replies: list[dict] = []

    async def handle(request: web.Request) -> web.Response:
        received.append((await request.json(), request.headers.get(SECRET_HEADER)))
        status = statuses.pop(0) if statuses else 200
        body = replies.pop(0) if replies and status == 200 else {}
        return web.json_response(body, status=status)

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/hook", received, statuses, replies
    await runner.cleanup()


async def test_webhook_push_with_secret_retries_until_200(fake, bot, webhook_receiver):
    url, received, statuses, _ = webhook_receiver
    statuses.extend([500, 502])
    await bot.set_webhook(url, secret_token="s3cr3t")

    await fake.send_message("lead_bot", ANN, "first")
    await fake.send_message("lead_bot", ANN, "second")
    await fake.wait_for(lambda: fake.pending_updates("lead_bot") == 0)

    texts = [update["message"]["text"] for update, _ in received]
    assert texts == ["first", "first", "first", "second"]  # in order, retried until 200
    assert [(item.update_id, item.error is None) for item in fake.deliveries] == [
        (1, False),
        (1, False),
        (1, True),
        (2, True),
    ]
    assert {secret for _, secret in received} == {"s3cr3t"}
    info = await bot.get_webhook_info()
    assert info.url == url
    assert info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 502 Bad Gateway"
    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await bot.get_updates()


async def test_webhook_reply_method_is_executed(fake, bot, webhook_receiver):
    url, _, _, replies = webhook_receiver
    replies.append({"method": "sendMessage", "chat_id": ANN.id, "text": "auto-reply"})
    await bot.set_webhook(url)

    await fake.send_message("lead_bot", ANN, "hello")

    (reply,) = await fake.wait_received("lead_bot", ANN.id, 1)
    assert reply.text == "auto-reply"


async def test_aiogram_webhook_answering_with_a_method(fake, bot):
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message):
        return message.answer(f"echo: {message.text}")  # returned, not awaited: webhook reply

    app = web.Application()
    SimpleRequestHandler(
        dispatcher=dispatcher, bot=bot, handle_in_background=False, secret_token="tok"
    ).register(app, path="/webhook")
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        await bot.set_webhook(
            f"http://127.0.0.1:{runner.addresses[0][1]}/webhook", secret_token="tok"
        )
        await fake.send_message("lead_bot", ANN, "ping")

        (reply,) = await fake.wait_received("lead_bot", ANN.id, 1)
    finally:
        await runner.cleanup()

    assert reply.text == "echo: ping"
    assert fake.calls_of("sendMessage")[0].params["chat_id"] == str(ANN.id)


async def test_unreachable_webhook_keeps_updates_until_deleted(fake, bot):
    await bot.set_webhook("http://127.0.0.1:9/unreachable")
    await fake.send_message("lead_bot", ANN, "lost?")
    await fake.wait_for(lambda: len(fake.deliveries) >= 2)  # failed, then retried

    await bot.delete_webhook()

    assert all(delivery.error.startswith("Connection failed") for delivery in fake.deliveries)
    (update,) = await bot.get_updates()
    assert update.message.text == "lost?"


async def test_drop_pending_updates(fake, bot):
    await fake.send_message("lead_bot", ANN, "old news")

    await bot.delete_webhook(drop_pending_updates=True)

    assert fake.pending_updates("lead_bot") == 0


async def test_wait_for_times_out_with_a_helpful_message(fake, bot):
    await bot.get_me()

    with pytest.raises(TimeoutError, match=r"still false after 0.1s; last API calls: getMe->200"):
        await fake.wait_for(lambda: False, timeout=0.1)
    with pytest.raises(TimeoutError, match=r"sent 0 of 1 expected messages"):
        await fake.wait_received("lead_bot", ANN.id, 1, timeout=0.1)


async def test_webhook_update_json_is_what_aiogram_parses(fake, bot, webhook_receiver):
    url, received, _, _ = webhook_receiver
    await bot.set_webhook(url)

    await fake.send_media("lead_bot", BOB, "voice")
    await fake.wait_for(lambda: fake.pending_updates("lead_bot") == 0)

    payload = json.dumps(received[0][0])
    assert '"voice"' in payload
    assert received[0][1] is None  # no secret header without secret_token
