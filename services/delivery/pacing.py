"""Pacing of the outbox: Telegram's limits (about 30 messages/s per bot, about one per second
per chat with short bursts) respected rather than provoked."""

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pacing:
    """Sending rates: a bot's a little below Telegram's 30 a second (its messages to many
    chats are in flight at once, and each reaches Telegram a little later than it left);
    a chat's exactly Telegram's one a second after a burst of three, since a chat's
    messages go one at a time and each is counted from when Telegram answered it
    (``TokenBucket.settle``), which is never earlier than when Telegram counted it."""

    bot_rate: float = 25.0
    bot_burst: float = 25.0
    chat_rate: float = 1.0
    chat_burst: float = 3.0


class TokenBucket:
    """Token bucket that may go into debt: ``rate`` tokens a second, at most ``burst`` saved."""

    def __init__(
        self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.tokens = burst
        self.stamp = clock()

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def take(self, cost: float = 1.0) -> None:
        """Spend ``cost`` tokens now, going into debt when there are not enough."""
        self._refill()
        self.tokens -= cost

    def wait_time(self, cost: float = 1.0) -> float:
        """How long until ``cost`` tokens (at most a full bucket) are saved; takes nothing."""
        self._refill()
        return max(0.0, (min(cost, self.burst) - self.tokens) / self.rate)

    def settle(self, cost: float = 1.0) -> None:
        """The ``cost`` tokens taken last were for a request answered just now: count them
        from now instead of from when it left, as if they were taken now (then the bucket
        held at most ``burst - cost``). Telegram counted the request somewhere in between,
        so the bucket is never fuller than Telegram's, however long the request took."""
        self._refill()
        self.tokens = min(self.tokens, self.burst - cost)

    def block_for(self, seconds: float) -> None:
        """Telegram said 429: the next message may go out only ``seconds`` from now."""
        self._refill()
        self.tokens = min(self.tokens, 1.0 - seconds * self.rate)


class BotLine:
    """One bot's share of Telegram's messages a second, handed out to the chats waiting for it.

    While the bucket holds enough, everyone goes at once. When it runs short, the waiters go by
    priority: the chat with the most messages still to send first (at about one a second, it
    has the longest way to go, so every slot it waits lengthens the whole burst), then in the
    order they came. A chat with one message left, such as a client's acknowledgement, fills the
    slots the busy chats cannot use while they wait for their own limit.
    """

    def __init__(self, bucket: TokenBucket) -> None:
        self.bucket = bucket
        self._waiters: list[tuple[int, int, float, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()
        self._releasing: asyncio.Task[None] | None = None

    async def turn(self, cost: float, priority: int) -> None:
        """Wait until ``cost`` messages may go, served by descending ``priority``."""
        if not self._waiters and self.bucket.wait_time(cost) == 0.0:
            self.bucket.take(cost)
            return
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (-priority, next(self._arrivals), cost, future))
        if self._releasing is None or self._releasing.done():
            self._releasing = asyncio.create_task(self._release(), name="bot-line")
        await future

    async def _release(self) -> None:
        while self._waiters:
            _, _, cost, future = self._waiters[0]
            if future.done():  # the waiter was cancelled
                heapq.heappop(self._waiters)
                continue
            # Looked at again after every pause: a more urgent chat may have come meanwhile,
            # and a 429 or a handler's answer may have spent the bucket.
            pause = self.bucket.wait_time(cost)
            if pause > 0:
                await asyncio.sleep(pause)
                continue
            heapq.heappop(self._waiters)
            self.bucket.take(cost)
            future.set_result(None)


class Pacer:
    """Per-bot lines and per-chat token buckets."""

    def __init__(self, pacing: Pacing) -> None:
        self.pacing = pacing
        self.bots: dict[int, BotLine] = {}
        self.chats: dict[tuple[int, int], TokenBucket] = {}

    def _buckets(self, source_id: int, chat_id: int) -> tuple[BotLine, TokenBucket]:
        p = self.pacing
        bot = self.bots.get(source_id)
        if bot is None:
            bot = self.bots[source_id] = BotLine(TokenBucket(p.bot_rate, p.bot_burst))
        chat = self.chats.get((source_id, chat_id))
        if chat is None:
            if len(self.chats) > 50_000:  # forget idle chats; a fresh bucket is full anyway
                self.chats.clear()
            chat = self.chats[source_id, chat_id] = TokenBucket(p.chat_rate, p.chat_burst)
        return bot, chat

    async def wait(self, source_id: int, chat_id: int, cost: int, backlog: int = 1) -> None:
        """Sleep until one more message (``cost`` for an album) may go to this chat, which has
        ``backlog`` messages pending in all (its priority in the bot's line).

        The chat's budget is spent when the message really leaves, after the bot's line: had
        it been spent before waiting for the bot, a message delayed there would leave close
        behind the chat's next one, and Telegram counts when requests arrive. The worker sends
        one message per chat at a time, so nobody else spends this chat's budget meanwhile,
        except a 429 or a handler's answer (``charge``); then the chat waits again.
        """
        bot, chat = self._buckets(source_id, chat_id)
        # Chat first: a chat that must wait should not hold a place in the bot's line.
        await asyncio.sleep(chat.wait_time(cost))
        await bot.turn(cost, backlog)
        await asyncio.sleep(chat.wait_time(cost))  # in case the chat's budget went meanwhile
        chat.take(cost)

    def settle(self, source_id: int, chat_id: int, cost: int = 1) -> None:
        """Telegram answered the message just sent to this chat (``wait`` or ``charge``);
        the chat's next one is counted from now (see ``TokenBucket.settle``)."""
        self._buckets(source_id, chat_id)[1].settle(cost)

    def charge(self, source_id: int, chat_id: int, cost: int = 1) -> None:
        """Count a message sent outside the worker (a handler's answer); the worker waits
        for it instead of Telegram answering 429. ``settle`` it once answered."""
        bot, chat = self._buckets(source_id, chat_id)
        bot.bucket.take(cost)
        chat.take(cost)

    def penalise(self, source_id: int, chat_id: int, seconds: float) -> None:
        """Apply a 429 to the chat and the bot."""
        bot, chat = self._buckets(source_id, chat_id)
        chat.block_for(seconds)
        bot.bucket.block_for(seconds)
