"""The pure distribution choices, one per mode, and why an operator was left out.

Nothing here touches SQL or Telegram: the assigner reads the candidates, calls :func:`choose`
and writes back what it returns (the pick and, in ``exact`` mode, the new credits).
"""

import enum
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from db.models import DistributionMode


class Candidate(Protocol):
    """What the choice needs to know about an operator for one source."""

    @property
    def operator_id(self) -> int:
        """The operator's id (ties are broken by it, lowest first)."""

    @property
    def weight(self) -> int:
        """Configured weight for the source (≥ 0)."""

    @property
    def open_count(self) -> int:
        """Open contacts now."""

    @property
    def max_open(self) -> int:
        """Limit of open contacts."""

    @property
    def active(self) -> bool:
        """Not deactivated by an admin."""

    @property
    def paused(self) -> bool:
        """Paused by the operator themselves."""

    @property
    def started(self) -> bool:
        """Has started the source's bot, so the bot can message them."""

    @property
    def unreachable(self) -> bool:
        """Telegram refused the bot's last message to them (they blocked it)."""

    @property
    def credit(self) -> float:
        """``exact`` mode: contacts the operator is owed (target minus count so far)."""


C = TypeVar("C", bound=Candidate)


class LeftOut(enum.StrEnum):
    """Why an operator of the source could not take a contact (the first reason that holds)."""

    DEACTIVATED = "deactivated"
    PAUSED = "paused"
    NOT_STARTED = "not_started"
    UNREACHABLE = "unreachable"
    WEIGHT_ZERO = "weight_zero"
    FULL = "full"
    # Outside their own shift (services.shifts).
    OFF_SHIFT = "off_shift"
    # The desk is closed, its on-duty operators take contacts, and they are not on duty.
    NOT_ON_DUTY = "not_on_duty"
    # The client is this operator: nobody answers themselves.
    CLIENT = "client"
    # Picked, but paused, deactivated or filled up by someone else meanwhile.
    CHANGED = "changed"


def left_out(candidate: Candidate) -> LeftOut | None:
    """Why an operator may not receive a new contact now; ``None`` if they may."""
    if not candidate.active:
        return LeftOut.DEACTIVATED
    if candidate.paused:
        return LeftOut.PAUSED
    if not candidate.started:
        return LeftOut.NOT_STARTED
    if candidate.unreachable:
        return LeftOut.UNREACHABLE
    if candidate.weight <= 0:
        return LeftOut.WEIGHT_ZERO
    if candidate.open_count >= candidate.max_open:
        return LeftOut.FULL
    return None


def is_eligible(candidate: Candidate) -> bool:
    """Whether an operator may receive a new contact now."""
    return left_out(candidate) is None


@dataclass(frozen=True, slots=True)
class Choice(Generic[C]):
    """One decision: the pick among the eligible, and in ``exact`` mode the credits every
    eligible operator has after it (in the order of ``eligible``; empty in other modes)."""

    pick: C | None
    eligible: Sequence[C]
    credits: tuple[float, ...] = ()


def pick_random(eligible: Sequence[C], rng: random.Random) -> C | None:
    """``random``: one candidate with probability proportional to its weight.

    One pass to sum the weights and one to find the pick: O(n), no expansion by weight.
    """
    total = sum(c.weight for c in eligible)
    if total == 0:
        return None
    point = rng.randrange(total)
    for candidate in eligible:
        point -= candidate.weight
        if point < 0:
            return candidate
    raise AssertionError("unreachable: point < total")


def _less_loaded(a: Candidate, b: Candidate) -> bool:
    """Whether ``a`` goes before ``b`` in ``least_loaded``: a lower open / limit ratio
    (compared exactly, by cross-multiplying), else a higher weight, else an older operator."""
    left, right = a.open_count * b.max_open, b.open_count * a.max_open
    if left != right:
        return left < right
    if a.weight != b.weight:
        return a.weight > b.weight
    return a.operator_id < b.operator_id


def pick_least_loaded(eligible: Sequence[C]) -> C | None:
    """``least_loaded``: the lowest open / limit ratio; of equal ratios the highest weight,
    then the oldest operator. One pass, integers only (a new contact costs no fractions)."""
    best: C | None = None
    for candidate in eligible:
        if best is None or _less_loaded(candidate, best):
            best = candidate
    return best


def pick_exact(eligible: Sequence[C]) -> tuple[C, tuple[float, ...]] | None:
    """``exact``: smooth weighted round robin (as nginx balances upstreams), in shares.

    Every eligible operator is credited their share of this contact (weight / total of the
    eligible), the most owed gets it and is debited one. An operator's credit is thus their
    target minus their count, which stays within 1 while the eligible stay the same. Whoever is
    away (paused, full, ...) is neither credited nor debited: they come back owed at most what
    they were owed when they left, so there is no burst of catch-up contacts towards them.
    """
    total = sum(c.weight for c in eligible)
    if total == 0:
        return None
    credits = [c.credit + c.weight / total for c in eligible]
    best = 0
    for i in range(1, len(credits)):
        if credits[i] > credits[best] or (
            credits[i] == credits[best] and eligible[i].operator_id < eligible[best].operator_id
        ):
            best = i
    credits[best] -= 1
    return eligible[best], tuple(credits)


def choose(mode: DistributionMode, eligible: Sequence[C], rng: random.Random) -> Choice[C]:
    """The decision of ``mode`` among operators already known to be eligible."""
    if mode is DistributionMode.EXACT:
        picked = pick_exact(eligible)
        if picked is None:
            return Choice(None, eligible)
        return Choice(picked[0], eligible, picked[1])
    if mode is DistributionMode.LEAST_LOADED:
        return Choice(pick_least_loaded(eligible), eligible)
    return Choice(pick_random(eligible, rng), eligible)


def pick_operator(
    candidates: Sequence[C], rng: random.Random, mode: DistributionMode = DistributionMode.RANDOM
) -> C | None:
    """The pick of ``mode`` among the eligible of ``candidates`` (``exact``: the most owed,
    its credits left as they are); ``None`` when nobody is eligible."""
    return choose(mode, [c for c in candidates if is_eligible(c)], rng).pick
