"""Telegram unreachable through a bot: one schedule of probes per bot instead of every chat
retrying on its own, and when to tell the admins."""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    """How a bot whose sends fail transiently is probed: the pause after the ``n``-th failed
    probe is ``base * 2 ** (n - 1)``, at most ``cap``, less a random part of up to half of it
    (so processes and bots that failed together do not probe together); admins are told once
    the bot has failed for ``alert_after`` seconds."""

    base: float = 0.5
    cap: float = 30.0
    alert_after: float = 300.0


@dataclass(slots=True)
class Outage:
    """A bot through which Telegram has not taken a message since ``since``."""

    since: float  # the clock's time of the first failure
    failures: int = 0  # failed probes, counting the first failure
    next_probe: float = 0.0
    probing: bool = False  # a message is on its way as the probe
    alerted: bool = False  # the admins were told
    via: int | None = None  # the bot the admins were told through


class Outages:
    """Which bots are down and when each may be probed next.

    A bot is down from its first transient failure until a message goes through it again.
    While it is down the worker leases nothing of it but, when ``probe_due``, one message: the
    probe. Then Telegram sees one request per bot every ``Backoff.cap`` seconds at most, not
    one per chat, and a chat's messages wait in the outbox, in order, for as long as it takes.
    """

    def __init__(
        self,
        backoff: Backoff,
        rng: random.Random,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.backoff = backoff
        self.rng = rng
        self.clock = clock
        self._down: dict[int, Outage] = {}

    def is_down(self, source_id: int) -> bool:
        """Whether sending through this bot fails now."""
        return source_id in self._down

    def degraded(self) -> list[int]:
        """The bots down for longer than ``Backoff.alert_after`` (the admins were told)."""
        return sorted(source for source, outage in self._down.items() if outage.alerted)

    def probe_due(self, source_id: int) -> bool:
        """Whether a message of this down bot may go now as its probe; if so it is the
        probe until ``failed`` or ``succeeded`` says how it went."""
        outage = self._down.get(source_id)
        if outage is None or outage.probing or self.clock() < outage.next_probe:
            return False
        outage.probing = True
        return True

    def seconds_to_probe(self) -> float | None:
        """How long until the next probe of any down bot is due (None: no bot is down)."""
        waiting = [o.next_probe for o in self._down.values() if not o.probing]
        return max(0.0, min(waiting) - self.clock()) if waiting else None

    def unprobed(self, source_id: int) -> None:
        """The probe leased found nothing to send: probe again when something is due."""
        outage = self._down.get(source_id)
        if outage is not None:
            outage.probing = False

    def unprobe_all(self) -> None:
        """The probes just leased were not sent after all (the transaction failed)."""
        for outage in self._down.values():
            outage.probing = False

    def failed(self, source_id: int, *, probe: bool) -> Outage | None:
        """A send through this bot failed transiently; the outage if it has just lasted long
        enough to tell the admins (once per outage).

        Only the first failure and failed probes push the next probe back: the messages
        that were already on their way when the bot went down fail too, and say nothing new.
        """
        now = self.clock()
        outage = self._down.get(source_id)
        if outage is None:
            outage = self._down[source_id] = Outage(since=now)
        elif not probe:
            return None
        outage.failures += 1
        outage.probing = False
        pause = min(self.backoff.cap, self.backoff.base * 2 ** (outage.failures - 1))
        outage.next_probe = now + pause * (1 - self.rng.random() / 2)
        if not outage.alerted and now - outage.since >= self.backoff.alert_after:
            outage.alerted = True
            return outage
        return None

    def succeeded(self, source_id: int) -> Outage | None:
        """A message went through this bot; the outage it ends, if there was one."""
        return self._down.pop(source_id, None)

    def lasted(self, outage: Outage) -> float:
        """How long an outage has lasted, in seconds."""
        return self.clock() - outage.since
