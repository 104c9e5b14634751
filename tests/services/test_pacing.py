"""Pacing: a chat's budget counts a message from when Telegram answered it; the bot's line
serves the busiest chats first when its share of Telegram's rate runs short."""

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


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_message_answered_late_counts_from_its_answer():
    clock = _Clock()
    chat = TokenBucket(rate=1, burst=3, clock=clock)
    chat.take()  # the first of a burst leaves; Telegram answers only 0.5 s later
    clock.now += 0.5
    chat.settle()
    # Telegram may have counted it just now, its bucket full until then: two more may go at
    # once, and the one after them a whole second later, not the half second that is left
    # of a second from when the first left.
    for _ in range(2):
        assert chat.wait_time() == 0.0
        chat.take()
        chat.settle()
    assert chat.wait_time() == 1.0


def test_settling_a_full_bucket_leaves_room_for_the_rest_of_the_burst_only():
    clock = _Clock()
    chat = TokenBucket(rate=1, burst=3, clock=clock)
    chat.take()
    clock.now += 5.0  # a slow answer: the bucket refilled meanwhile
    chat.settle()
    assert chat.tokens == 2.0  # not 3: the message counts as sent now
    assert chat.wait_time(2) == 0.0 and chat.wait_time(3) == 1.0
