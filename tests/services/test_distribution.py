"""The pure weighted choice."""

import random
from collections import Counter
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from services.distribution import is_eligible, pick_operator


@dataclass(frozen=True)
class Cand:
    name: str
    weight: int
    open_count: int = 0
    max_open: int = 5
    active: bool = True
    paused: bool = False
    started: bool = True
    operator_id: int = 0
    unreachable: bool = False
    credit: float = 0.0


def test_shares_follow_weights_chi_square():
    candidates = [Cand("a", 1), Cand("b", 2), Cand("c", 3), Cand("d", 4)]
    rng = random.Random(42)
    n = 20_000
    counts = Counter(pick_operator(candidates, rng).name for _ in range(n))
    total = sum(c.weight for c in candidates)
    chi2 = sum(
        (counts[c.name] - n * c.weight / total) ** 2 / (n * c.weight / total) for c in candidates
    )
    # 3 degrees of freedom: the 99.9th percentile of chi-square is 16.27.
    assert chi2 < 16.27, (chi2, counts)


def test_shares_within_two_percentage_points():
    candidates = [Cand("a", 70), Cand("b", 20), Cand("c", 10)]
    rng = random.Random(7)
    n = 10_000
    counts = Counter(pick_operator(candidates, rng).name for _ in range(n))
    for c in candidates:
        assert abs(counts[c.name] / n - c.weight / 100) < 0.02, counts


def test_ineligible_operators_are_never_picked():
    eligible = Cand("ok", 1)
    candidates = [
        Cand("zero", 0),
        Cand("inactive", 5, active=False),
        Cand("paused", 5, paused=True),
        Cand("inactive-and-paused", 5, active=False, paused=True),
        Cand("full", 5, open_count=5, max_open=5),
        Cand("not-started", 5, started=False),
        Cand("no-limit", 5, max_open=0),
        eligible,
    ]
    rng = random.Random(1)
    assert {pick_operator(candidates, rng).name for _ in range(10_000)} == {"ok"}


def test_nobody_eligible_gives_none():
    rng = random.Random(1)
    assert pick_operator([], rng) is None
    assert pick_operator([Cand("zero", 0), Cand("full", 3, open_count=1, max_open=1)], rng) is None


cands = st.lists(
    st.builds(
        Cand,
        name=st.text(min_size=1, max_size=3),
        weight=st.integers(0, 5),
        open_count=st.integers(0, 3),
        max_open=st.integers(0, 3),
        active=st.booleans(),
        paused=st.booleans(),
        started=st.booleans(),
    ),
    max_size=8,
)


@given(cands, st.integers(0, 2**32))
def test_pick_is_eligible_or_none_exactly_when_nobody_is(candidates, seed):
    pick = pick_operator(candidates, random.Random(seed))
    if any(is_eligible(c) for c in candidates):
        assert pick is not None and is_eligible(pick)
    else:
        assert pick is None


@given(cands, st.integers(0, 2**32))
def test_an_inactive_or_paused_operator_is_never_picked(candidates, seed):
    pick = pick_operator(candidates, random.Random(seed))
    assert pick is None or (pick.active and not pick.paused)


def test_shares_among_the_others_follow_weights_when_some_are_paused_or_inactive():
    candidates = [
        Cand("a", 1),
        Cand("paused", 50, paused=True),
        Cand("b", 3),
        Cand("inactive", 50, active=False),
    ]
    rng = random.Random(11)
    n = 10_000
    counts = Counter(pick_operator(candidates, rng).name for _ in range(n))
    assert set(counts) == {"a", "b"}
    assert abs(counts["b"] / n - 0.75) < 0.02, counts
