"""The pure distribution choice: weighted random among eligible operators."""

import random
from collections.abc import Sequence
from typing import Protocol, TypeVar


class Candidate(Protocol):
    """What the choice needs to know about an operator for one source."""

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


C = TypeVar("C", bound=Candidate)


def is_eligible(candidate: Candidate) -> bool:
    """Whether an operator may receive a new contact now."""
    return (
        candidate.active
        and not candidate.paused
        and candidate.started
        and candidate.weight > 0
        and candidate.open_count < candidate.max_open
    )


def pick_operator(candidates: Sequence[C], rng: random.Random) -> C | None:
    """Pick one eligible candidate with probability proportional to its weight.

    One pass to sum the weights and one to find the pick: O(n), no expansion by weight.
    Returns ``None`` when nobody is eligible.
    """
    eligible = [c for c in candidates if is_eligible(c)]
    total = sum(c.weight for c in eligible)
    if total == 0:
        return None
    point = rng.randrange(total)
    for candidate in eligible:
        point -= candidate.weight
        if point < 0:
            return candidate
    raise AssertionError("unreachable: point < total")
