"""Telegram down for longer than the old give-up time (8 tries, about a minute): every message
waits and goes out, in order, once it is back; only a message Telegram refuses is given up."""

import random
import time
from collections import Counter

from sqlalchemy import select

from bot.app import App, create_app
from db.models import Delivery, DeliveryStatus
from fake_telegram import FakeTelegram, User
from tests.e2e.load import (
    Copies,
    all_sent,
    check_delivered,
    clients_of,
    operators_of,
    outbox,
    seed_operators,
    serving,
    start_bots,
    write_burst,
)
from tests.harness import ADMIN, eventually

BOTS = ["alpha_bot", "beta_bot"]
STAFF = operators_of(BOTS, 5)  # each operator starts one bot and takes one contact
CLIENTS = clients_of(BOTS, 5)
# A bot is tried again at most every 0.2 s (30 s in production) and the admins are told after
# 1 s (5 minutes): an outage of 3 s is 15 and more tries, well beyond the old 8.
OUTAGE = {"send_retry_max_seconds": 0.2, "outage_alert_seconds": 1}
OUTAGE_SECONDS = 3.0


def admin_alerts(telegram: FakeTelegram, bot: str) -> list[str]:
    """What the admin read from ``bot`` about bots being down and back."""
    return [
        item.plain_text
        for item in telegram.received(bot, ADMIN.id)
        if "Telegram has taken no message" in item.plain_text or "sends again" in item.plain_text
    ]


async def start_everyone(app: App, telegram: FakeTelegram, staff: dict[str, list[User]]) -> None:
    """The operators of ``staff`` are made operators and start their bots; the admin starts
    every bot (a bot can only write to people who have)."""
    await seed_operators(app.session_factory, staff, limit=1)
    await start_bots(telegram, {bot: [*staff.get(bot, []), ADMIN] for bot in BOTS})


async def outage_lasts(app: App, seconds: float) -> None:
    """Wait until every bot is reported degraded and the outage has lasted ``seconds``."""
    began = time.monotonic()

    async def degraded_long_enough() -> bool:
        down = app.worker.outages.degraded()
        return len(down) == len(BOTS) and time.monotonic() - began >= seconds

    await eventually(degraded_long_enough, "every bot degraded for the whole outage", timeout=60)


async def answer_each_client(telegram: FakeTelegram) -> set[str]:
    """Every operator answers their one contact (no reply needed); the answers."""
    answers = set()
    for bot, group in STAFF.items():
        for operator in group:
            answers.add(f"Answer of {operator.first_name}")
            await telegram.send_message(bot, operator, f"Answer of {operator.first_name}")
    return answers


def answers_received(telegram: FakeTelegram) -> list[list[str]]:
    """The operators' answers each client received."""
    return [
        [
            i.plain_text
            for i in telegram.received(bot, client.id)
            if i.plain_text.startswith("Answer")
        ]
        for bot, group in CLIENTS.items()
        for client in group
    ]


def check_answered(telegram: FakeTelegram, answers: set[str]) -> None:
    """Each client got one answer, and each answer reached one client."""
    got = answers_received(telegram)
    assert all(len(one) == 1 for one in got), got
    assert sorted(one[0] for one in got) == sorted(answers)


async def check_nothing_failed_and_told_once(app: App, telegram: FakeTelegram) -> None:
    assert set(await outbox(app.session_factory)) == {DeliveryStatus.SENT}
    for bot in BOTS:
        alerts = admin_alerts(telegram, bot)
        # The other bot was down too, so each bot told of itself, first down, then back.
        assert len(alerts) == 2, alerts
        assert f"through @{bot}" in alerts[0]
        assert alerts[1].startswith(f"✅ @{bot} sends again")
    assert app.worker.outages.degraded() == []


async def test_telegram_answering_502_for_longer_than_the_old_give_up_loses_nothing(
    telegram: FakeTelegram, make_settings
):
    app = await create_app(make_settings(**OUTAGE), rng=random.Random(7))
    copies = Copies(telegram, STAFF)
    async with serving(app, telegram):
        await start_everyone(app, telegram, STAFF)
        telegram.start_outage(502, "Bad Gateway")
        # Telegram still delivers updates: what clients and operators write is stored.
        written = await write_burst(telegram, CLIENTS, 3)
        await telegram.wait_for(lambda: all(telegram.pending_updates(b) == 0 for b in BOTS))
        answers = await answer_each_client(telegram)
        await outage_lasts(app, OUTAGE_SECONDS)
        assert copies.count() == 0
        probes = Counter(call.token for call in telegram.calls if call.status == 502)
        await telegram.end_outage()
        await telegram.wait_for(lambda: copies.count() >= len(written), timeout=60)
        await all_sent(app.session_factory, timeout=60)
        await check_nothing_failed_and_told_once(app, telegram)

    check_delivered(written, copies.by_message())
    check_answered(telegram, answers)
    # One schedule of tries per bot, not one per chat: 15 chats per bot wait, and a bot is
    # tried about every 0.1-0.2 s (plus what was on its way when the outage began).
    assert all(count <= 2 * OUTAGE_SECONDS / 0.1 for count in probes.values()), probes


async def test_telegram_refusing_connections_for_a_while_loses_nothing(
    telegram: FakeTelegram, make_settings
):
    # The default pacing: each operator's 7 messages take about 4 s, so the outage begins
    # with most of them still to send.
    app = await create_app(make_settings(**OUTAGE), rng=random.Random(7))
    copies = Copies(telegram, STAFF)
    async with serving(app, telegram):
        await start_everyone(app, telegram, STAFF)
        written = await write_burst(telegram, CLIENTS, 6)
        await telegram.wait_for(lambda: all(telegram.pending_updates(b) == 0 for b in BOTS))
        await telegram.refuse_connections()
        sent_before = copies.count()
        assert sent_before < len(written), "the outage came too late to interrupt the burst"
        written += await write_burst(telegram, CLIENTS, 1)  # waits at Telegram meanwhile
        await outage_lasts(app, OUTAGE_SECONDS)
        await telegram.end_outage()
        await telegram.wait_for(lambda: copies.count() >= len(written), timeout=60)
        answers = await answer_each_client(telegram)
        await eventually(_answered(telegram), "every client answered", timeout=60)
        await all_sent(app.session_factory, timeout=60)
        await check_nothing_failed_and_told_once(app, telegram)

    check_delivered(written, copies.by_message())
    check_answered(telegram, answers)


def _answered(telegram: FakeTelegram):
    async def check() -> bool:
        return all(answers_received(telegram))

    return check


async def test_a_message_telegram_refuses_is_given_up_after_one_try_and_the_admins_told(
    telegram: FakeTelegram, make_settings
):
    app = await create_app(make_settings(**OUTAGE), rng=random.Random(7))
    operator, client = User(700_001, "Olga"), User(800_001, "Ann")
    async with serving(app, telegram):
        await start_everyone(app, telegram, {"alpha_bot": [operator]})
        copies = Copies(telegram, {"alpha_bot": [operator]})
        await telegram.send_message("alpha_bot", client, "Hello")  # the card carries it
        await telegram.wait_for(lambda: len(copies.by_message()) == 1)
        telegram.fail_next("copyMessage", 400, "Bad Request: message to copy not found")
        await telegram.send_message("alpha_bot", client, "Still there?")
        *_greeting, alert = await telegram.wait_received("alpha_bot", ADMIN.id, 2)
        await telegram.send_message("alpha_bot", client, "Anybody?")
        await telegram.wait_for(lambda: len(copies.by_message()) == 2)

    assert "could not be delivered" in alert.plain_text
    assert "message to copy not found" in alert.plain_text
    assert len(telegram.calls_of("copyMessage")) == 2  # the refused one once, the next one
    async with app.session_factory() as session:
        failed = (
            (
                await session.execute(
                    select(Delivery).where(Delivery.status == DeliveryStatus.FAILED)
                )
            )
            .scalars()
            .all()
        )
    assert [(d.chat_id, d.attempts) for d in failed] == [(operator.id, 1)]
