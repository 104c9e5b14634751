"""Fault injection and Telegram-like flood control.

Every fault is decided *before* a method runs, so a faulted call never performs its action
and also reports an error: a client that retries on error cannot create duplicates here
unless it retries after a success.
"""

from __future__ import annotations

import math
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

SEND_METHODS = frozenset(
    {
        "sendMessage",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "sendMediaGroup",
        "sendPhoto",
        "sendDocument",
        "sendVideo",
        "sendAudio",
        "sendVoice",
        "sendAnimation",
        "sendVideoNote",
        "sendSticker",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
    }
)


@dataclass(frozen=True)
class FaultPlan:
    """Probabilistic faults for ``methods``: each call rolls once (reproducible via ``seed``).

    ``rate_429`` answers 429 with ``retry_after``; ``rate_5xx`` answers 500 or 502;
    ``rate_timeout`` holds the answer for ``timeout_delay`` seconds (clients with a shorter
    timeout give up) and then answers 504.  None of them performs the action.
    """

    rate_429: float = 0
    rate_5xx: float = 0
    rate_timeout: float = 0
    retry_after: int = 1
    timeout_delay: float = 5.0
    methods: frozenset[str] = SEND_METHODS
    seed: int = 0

    def __post_init__(self) -> None:
        rates = (self.rate_429, self.rate_5xx, self.rate_timeout)
        if any(rate < 0 for rate in rates) or sum(rates) > 1:
            msg = f"fault rates must be >= 0 and sum to at most 1, got {rates}"
            raise ValueError(msg)


@dataclass(frozen=True)
class RateLimits:
    """Token buckets per bot and per (bot, chat) for ``methods``, like Telegram's limits."""

    per_bot_per_second: float = 30
    per_chat_per_second: float = 1
    chat_burst: int = 3
    bot_burst: int = 30
    methods: frozenset[str] = SEND_METHODS


@dataclass(frozen=True)
class Fault:
    """An error answer chosen instead of running a method."""

    status: int
    description: str
    retry_after: int | None = None
    delay: float = 0.0


class FaultInjector:
    """Chooses faults: queued one-off faults first, then the probabilistic plan."""

    def __init__(self, plan: FaultPlan | None) -> None:
        self._plan = plan
        self._random = random.Random(plan.seed if plan else 0)
        self._queued: dict[str, deque[Fault]] = {}
        self._outage: tuple[Fault, frozenset[str]] | None = None

    def fail_next(self, method: str, fault: Fault, count: int) -> None:
        """Answer the next ``count`` calls of ``method`` with ``fault``."""
        self._queued.setdefault(method, deque()).extend([fault] * count)

    def start_outage(self, fault: Fault, methods: frozenset[str]) -> None:
        """Answer every call of ``methods`` with ``fault`` until ``end_outage``."""
        self._outage = (fault, methods)

    def end_outage(self) -> None:
        """Back to queued faults and the plan."""
        self._outage = None

    def pick(self, method: str) -> Fault | None:
        """Return the fault for this call of ``method``, or None to let it run."""
        if self._outage is not None and method in self._outage[1]:
            return self._outage[0]
        queued = self._queued.get(method)
        if queued:
            return queued.popleft()
        plan = self._plan
        if plan is None or method not in plan.methods:
            return None
        roll = self._random.random()
        if roll < plan.rate_429:
            description = f"Too Many Requests: retry after {plan.retry_after}"
            return Fault(429, description, retry_after=plan.retry_after)
        roll -= plan.rate_429
        if roll < plan.rate_5xx:
            status, description = self._random.choice(
                ((500, "Internal Server Error"), (502, "Bad Gateway"))
            )
            return Fault(status, description)
        roll -= plan.rate_5xx
        if roll < plan.rate_timeout:
            return Fault(504, "Gateway Timeout", delay=plan.timeout_delay)
        return None


class TokenBucket:
    """Classic token bucket: ``capacity`` tokens, refilled at ``rate`` tokens per second."""

    def __init__(self, rate: float, capacity: int, now: float) -> None:
        self._rate = rate
        self._capacity = float(capacity)
        self._tokens = float(capacity)
        self._updated = now

    def wait_time(self, now: float) -> float:
        """Refill, then return seconds until one token is available (0 if available now)."""
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(self._capacity, self._tokens + elapsed * self._rate)
        self._updated = now
        return 0.0 if self._tokens >= 1 else (1 - self._tokens) / self._rate

    def take(self) -> None:
        """Consume one token (call only after ``wait_time`` returned 0)."""
        self._tokens -= 1


class RateLimiter:
    """Applies :class:`RateLimits`; a call must fit both its bot and its chat bucket."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self._limits = limits
        self._clock = clock
        self._bots: dict[int, TokenBucket] = {}
        self._chats: dict[tuple[int, int], TokenBucket] = {}

    def acquire(self, method: str, bot_id: int, chat_id: int | None) -> int | None:
        """Take a token for this call; return None if allowed, else retry_after seconds."""
        if method not in self._limits.methods:
            return None
        now = self._clock()
        limits = self._limits
        bot_bucket = self._bots.get(bot_id)
        if bot_bucket is None:
            bot_bucket = TokenBucket(limits.per_bot_per_second, limits.bot_burst, now)
            self._bots[bot_id] = bot_bucket
        buckets = [bot_bucket]
        if chat_id is not None:
            chat_bucket = self._chats.get((bot_id, chat_id))
            if chat_bucket is None:
                chat_bucket = TokenBucket(limits.per_chat_per_second, limits.chat_burst, now)
                self._chats[bot_id, chat_id] = chat_bucket
            buckets.append(chat_bucket)
        wait = max(bucket.wait_time(now) for bucket in buckets)
        if wait > 0:
            return max(1, math.ceil(wait))
        # Take from all buckets only when all allow, so a refused call costs nothing.
        for bucket in buckets:
            bucket.take()
        return None
