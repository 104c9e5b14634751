"""The default pacing keeps a burst below Telegram's flood limits: not a single 429."""

import random
from collections.abc import AsyncIterator

import pytest

from bot.app import create_app
from fake_telegram import FakeTelegram, RateLimits
from tests.e2e.load import (
    Copies,
    check_delivered,
    clients_of,
    operators_of,
    seed_operators,
    serving,
    start_bots,
    write_burst,
)
from tests.harness import ALPHA, BETA

TOKENS = {
    "alpha_bot": ALPHA,
    "beta_bot": BETA,
    "gamma_bot": "333333:gamma-secret-token-for-tests",
    "delta_bot": "444444:delta-secret-token-for-tests",
    "epsilon_bot": "555555:epsilon-secret-token-for-tests",
}
BOTS = list(TOKENS)
STAFF = operators_of(BOTS, 20)  # each operator starts one bot
LIMIT = 2
CLIENTS = clients_of(BOTS, 40)
PER_CLIENT = 5  # 5 bots × 40 clients × 5 = 1,000 messages
# Each bot owes 40 acks, 40 cards and 200 copies: ≈11 s at 25/s. Its operators' chats (2 cards
# and 10 copies each) need ≈10 s at ≈1/s, so their messages also queue behind the bot's: a chat
# must not then get the budget it saved while waiting all at once (that gave 429s).
BOUND_SECONDS = 45


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    """Telegram enforcing its limits: 30 messages/s per bot, 1/s per chat after a burst of 3."""
    fake = FakeTelegram(limits=RateLimits())
    await fake.start()
    for username, token in TOKENS.items():
        fake.add_bot(token, username)
    yield fake
    await fake.close()


async def test_a_burst_of_1000_messages_gets_no_429(telegram: FakeTelegram, make_settings):
    settings = make_settings(bot_tokens=",".join(TOKENS.values()))
    app = await create_app(settings, rng=random.Random(7))  # the production pacing
    copies = Copies(telegram, STAFF)
    async with serving(app, telegram):
        await seed_operators(app.session_factory, STAFF, LIMIT)
        await start_bots(telegram, STAFF)
        written = await write_burst(telegram, CLIENTS, PER_CLIENT)
        await telegram.wait_for(lambda: copies.count() >= len(written), timeout=BOUND_SECONDS)

    assert len(written) == 1_000
    refused = [
        (call.method, call.params.get("chat_id"), call.at)
        for call in telegram.calls
        if call.status == 429
    ]
    assert not refused, refused
    check_delivered(written, copies.by_message())
