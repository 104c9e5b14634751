"""Fault injection and flood control: errors are faithful and never half-performed."""

from __future__ import annotations

import time

import pytest
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError

from fake_telegram import FaultPlan, RateLimits
from fake_telegram.faults import RateLimiter
from tests.support.fake_bots import ANN, BOB


async def test_fail_next_429_raises_retry_after_without_sending(fake, bot):
    await fake.send_message("lead_bot", ANN, "hi")
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)

    with pytest.raises(TelegramRetryAfter) as error:
        await bot.send_message(ANN.id, "first try")
    await bot.send_message(ANN.id, "second try")

    assert error.value.retry_after == 7
    assert [item.text for item in fake.received("lead_bot", ANN.id)] == ["second try"]
    assert fake.too_many_requests == fake.too_many_requests_of("lead_bot") == 1
    assert fake.too_many_requests_of("operator_bot") == 0


async def test_fail_next_server_error_counts_and_skips_the_action(fake, bot):
    await fake.send_message("lead_bot", ANN, "hi")
    fake.fail_next("copymessage", 502, "Bad Gateway", count=2)

    for _ in range(2):
        with pytest.raises(TelegramServerError, match="Bad Gateway"):
            await bot.copy_message(ANN.id, ANN.id, 1)
    await bot.copy_message(ANN.id, ANN.id, 1)

    assert [call.status for call in fake.calls_of("copyMessage")] == [502, 502, 200]
    assert len(fake.received("lead_bot", ANN.id)) == 1
    with pytest.raises(ValueError, match="unknown Bot API method"):
        fake.fail_next("sendPigeon", 500, "Internal Server Error")


async def test_an_outage_answers_every_send_until_it_ends_and_performs_none(fake, bot):
    await fake.send_message("lead_bot", ANN, "hi")
    fake.start_outage(502, "Bad Gateway")

    for _ in range(3):
        with pytest.raises(TelegramServerError, match="Bad Gateway"):
            await bot.send_message(ANN.id, "during")
    assert (await bot.get_me()).username == "lead_bot"  # only sending is down by default
    await fake.end_outage()
    await bot.send_message(ANN.id, "after")

    assert [item.text for item in fake.received("lead_bot", ANN.id)] == ["after"]
    assert [call.status for call in fake.calls_of("sendMessage")] == [502, 502, 502, 200]


async def test_refused_connections_reach_nothing_until_the_outage_ends(fake, bot):
    await fake.send_message("lead_bot", ANN, "hi")
    await bot.send_message(ANN.id, "before")  # a connection is open: it is cut off too
    await fake.refuse_connections()

    with pytest.raises(TelegramNetworkError):
        await bot.send_message(ANN.id, "during")
    with pytest.raises(TelegramNetworkError):
        await bot.get_me()
    await fake.end_outage()
    await bot.send_message(ANN.id, "after")

    assert [item.text for item in fake.received("lead_bot", ANN.id)] == ["before", "after"]


async def test_chat_rate_limit_answers_429_beyond_the_burst(make_fake, make_bot):
    fake = await make_fake(limits=RateLimits(per_chat_per_second=1, chat_burst=3))
    bot = make_bot(fake)
    await fake.send_message("lead_bot", ANN, "hi")
    await fake.send_message("lead_bot", BOB, "hi")

    for index in range(3):
        await bot.send_message(ANN.id, f"burst {index}")
    with pytest.raises(TelegramRetryAfter) as error:
        await bot.send_message(ANN.id, "one too many")
    await bot.send_message(BOB.id, "other chats are not affected")
    await bot.get_me()  # not a sending method

    assert error.value.retry_after == 1
    assert len(fake.received("lead_bot", ANN.id)) == 3
    assert fake.too_many_requests_of("lead_bot") == 1


async def test_bot_rate_limit_spans_chats(make_fake, make_bot):
    limits = RateLimits(per_bot_per_second=0.5, bot_burst=2, chat_burst=10)
    fake = await make_fake(limits=limits)
    bot = make_bot(fake)
    for user in (ANN, BOB):
        await fake.send_message("lead_bot", user, "hi")

    await bot.send_message(ANN.id, "one")
    await bot.send_message(BOB.id, "two")
    with pytest.raises(TelegramRetryAfter) as error:
        await bot.send_message(ANN.id, "three")

    assert error.value.retry_after == 2  # ceil(1 token / 0.5 per second)


def test_token_buckets_refill_over_time():
    now = [100.0]
    limiter = RateLimiter(RateLimits(per_chat_per_second=2, chat_burst=1), clock=lambda: now[0])

    assert limiter.acquire("sendMessage", 1, 10) is None
    assert limiter.acquire("sendMessage", 1, 10) == 1
    now[0] += 0.5
    assert limiter.acquire("sendMessage", 1, 10) is None
    assert limiter.acquire("getMe", 1, 10) is None


async def test_fault_plan_only_touches_configured_methods(make_fake, make_bot):
    fake = await make_fake(faults=FaultPlan(rate_5xx=1.0))
    bot = make_bot(fake)
    await fake.send_message("lead_bot", ANN, "hi")

    with pytest.raises(TelegramServerError):
        await bot.send_message(ANN.id, "never arrives")
    assert (await bot.get_me()).username == "lead_bot"
    assert await bot.get_updates()

    assert fake.received("lead_bot", ANN.id) == []


async def test_fault_plan_is_reproducible_with_a_seed(make_fake, make_bot):
    outcomes = []
    for _ in range(2):
        fake = await make_fake(faults=FaultPlan(rate_429=0.3, rate_5xx=0.3, seed=42))
        bot = make_bot(fake)
        await fake.send_message("lead_bot", ANN, "hi")
        run = []
        for index in range(12):
            try:
                await bot.send_message(ANN.id, f"message {index}")
                run.append(200)
            except TelegramRetryAfter:
                run.append(429)
            except TelegramServerError:
                run.append(500)
        outcomes.append(run)
        sent = [item.text for item in fake.received("lead_bot", ANN.id)]
        assert len(sent) == run.count(200)

    assert outcomes[0] == outcomes[1]
    assert {200, 429, 500} <= set(outcomes[0])


async def test_timeout_fault_holds_the_answer_and_performs_nothing(make_fake, make_bot):
    fake = await make_fake(faults=FaultPlan(rate_timeout=1.0, timeout_delay=30))
    bot = make_bot(fake)
    await fake.send_message("lead_bot", ANN, "hi")

    with pytest.raises(TelegramNetworkError, match="timeout"):
        await bot.send_message(ANN.id, "slow", request_timeout=0.3)
    started = time.monotonic()
    await fake.close()  # the held request ends at once instead of after 30 s

    assert time.monotonic() - started < 5
    assert fake.received("lead_bot", ANN.id) == []


async def test_short_timeout_fault_answers_504(make_fake, make_bot):
    fake = await make_fake(faults=FaultPlan(rate_timeout=1.0, timeout_delay=0.05))
    bot = make_bot(fake)
    await fake.send_message("lead_bot", ANN, "hi")

    with pytest.raises(TelegramServerError, match="Gateway Timeout"):
        await bot.send_message(ANN.id, "slow")


def test_fault_rates_are_validated():
    with pytest.raises(ValueError, match="sum to at most 1"):
        FaultPlan(rate_429=0.7, rate_5xx=0.7)
