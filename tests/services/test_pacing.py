"""The bot's line: when its share of Telegram's rate runs short, the busiest chats go first."""

import asyncio

from services.delivery import BotLine, TokenBucket


async def _served_in_order(line: BotLine, priorities: list[int]) -> list[int]:
    served: list[int] = []

    async def wait(priority: int) -> None:
        await line.turn(1, priority)
        served.append(priority)

    await asyncio.gather(*(wait(p) for p in priorities))
    return served


async def test_while_the_budget_lasts_everyone_goes_at_once():
    line = BotLine(TokenBucket(rate=0.001, burst=3))  # no refill worth speaking of
    async with asyncio.timeout(1):
        assert await _served_in_order(line, [1, 2, 3]) == [1, 2, 3]


async def test_when_it_runs_short_the_chat_with_most_to_send_goes_first():
    line = BotLine(TokenBucket(rate=50, burst=1))
    await line.turn(1, 1)  # the bucket is empty now: the next ones wait in line
    async with asyncio.timeout(5):
        served = await _served_in_order(line, [1, 11, 4, 11, 2])
    assert served == [11, 11, 4, 2, 1]


async def test_a_waiter_that_gives_up_does_not_hold_the_line():
    line = BotLine(TokenBucket(rate=20, burst=1))
    await line.turn(1, 1)
    impatient = asyncio.create_task(line.turn(1, 9))
    await asyncio.sleep(0)  # it is in line now
    impatient.cancel()
    async with asyncio.timeout(5):
        assert await _served_in_order(line, [3, 2]) == [3, 2]
