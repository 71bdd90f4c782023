"""Streaks: the moves in one direction a listing's live prices made in a row.

``streak_of`` (one listing's prices, the proposal path) and ``EvidenceState`` (the batch, many
listings at once, in chunks) must give the same start and count for the same prices, whatever
the chunks and however the listings' prices interleave.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sagwa.priceguard.state import EvidenceState
from sagwa.priceguard.streak import streak_of

DERANDOMIZED = settings(derandomize=True, database=None, deadline=None)


def ints(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.int64)


@pytest.mark.parametrize(("prices", "expected"), [
    ((), (None, 0)),
    ((500,), (None, 0)),
    ((500, 500, 500), (None, 0)),  # a repeated price moves nothing
    ((500, 485, 470), (500, 2)),
    ((500, 485, 485, 470), (500, 2)),  # ... and does not break a streak either
    ((500, 600, 485, 470), (600, 2)),  # a move the other way starts a new one
    ((400, 500, 600, 700), (400, 3)),
    ((400, 0, 500, 600), (500, 1)),  # a 0 is no price: afresh after it
    ((400, 300, 0), (400, 2)),  # a cut to 0 is a move
])
def test_streak_of(prices: tuple[int, ...], expected: tuple[int | None, int]) -> None:
    assert streak_of(prices) == expected


def test_the_state_carries_a_streak_across_calls() -> None:
    state = EvidenceState(window=3, capacity=2)
    for price in (1000, 970, 941, 913, 886, 859):  # one at a time: past the ring of 3
        state.observe(ints(1), ints(0), np.array([float(price)]))
    start, moves = state.streak(ints(1, 0))
    assert start[0] == 1000 and moves[0] == 5
    assert np.isnan(start[1]) and moves[1] == 0  # a listing never seen


def test_a_price_in_another_currency_starts_the_streak_afresh() -> None:
    state = EvidenceState(window=4)
    state.observe(ints(0, 0, 0), ints(0, 0, 0), np.array([1000.0, 900.0, 800.0]), ints(0, 0, 0))
    assert state.streak(ints(0), ints(0))[1][0] == 2
    state.observe(ints(0), ints(0), np.array([700_000.0]), ints(1))  # now in another currency
    start, moves = state.streak(ints(0), ints(1))
    assert np.isnan(start[0]) and moves[0] == 0
    state.observe(ints(0), ints(0), np.array([650_000.0]), ints(1))
    assert [state.streak(ints(0), ints(1))[k][0] for k in (0, 1)] == [700_000.0, 1]
    assert state.streak(ints(0), ints(0))[1][0] == 0  # asked in the old currency: none


HOUR = 3600.0


@settings(DERANDOMIZED, max_examples=300)
@given(
    walks=st.lists(st.lists(st.tuples(st.sampled_from([90, 95, 100, 100, 105, 110, 120, 300]),
                                      st.sampled_from([1, 5, 30, 80, 200])),
                            min_size=1, max_size=20), min_size=1, max_size=4),
    cuts=st.lists(st.integers(min_value=0, max_value=60), max_size=5),
    later=st.sampled_from([1, 50, 100]),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_the_state_matches_streak_of_whatever_the_chunks(
    walks: list[list[tuple[int, int]]], cuts: list[int], later: int, seed: int
) -> None:
    """Listings' prices (each some hours after the one before) interleaved in a random order
    and fed in random chunks, a 72-hour gap: every listing's streak in the state, asked
    ``later`` hours after its last price, is ``streak_of`` its prices."""
    rng = np.random.default_rng(seed)
    timed = [list(zip([p for p, _ in walk], np.cumsum([h * HOUR for _, h in walk]),
                      strict=True)) for walk in walks]
    turns = [listing for listing, walk in enumerate(timed) for _ in walk]
    rng.shuffle(turns)  # a random interleaving that keeps each listing's own order
    queues = {listing: iter(walk) for listing, walk in enumerate(timed)}
    stream = [(listing, *next(queues[listing])) for listing in turns]
    state = EvidenceState(window=3, capacity=1, streak_max_gap=72 * HOUR)
    bounds = sorted({0, len(stream), *(min(c, len(stream)) for c in cuts)})
    for lo, hi in itertools.pairwise(bounds):
        part = stream[lo:hi]
        state.observe(ints(*(listing for listing, _, _ in part)), ints(*(0 for _ in part)),
                      np.array([float(p) for _, p, _ in part]),
                      at=np.array([t for _, _, t in part]))
    ids = ints(*range(len(walks)))
    now = np.array([walk[-1][1] + later * HOUR for walk in timed])
    start, moves = state.streak(ids, at=now)
    for listing, walk in enumerate(timed):
        want_start, want_moves = streak_of([p for p, _ in walk], [t for _, t in walk],
                                           max_gap=72 * HOUR, now=float(now[listing]))
        assert moves[listing] == want_moves, (listing, walk)
        if want_start is None:
            assert np.isnan(start[listing])
        else:
            assert start[listing] == want_start, (listing, walk)


def test_a_move_long_after_the_last_starts_a_streak_of_its_own() -> None:
    """Six weekly rises from a promotion's low are a price coming back, not a repricer: with a
    72-hour gap each rise starts afresh; six rises an hour apart are one streak of six."""
    weekly = [(104, 0.0), *((104 + 80 * k, k * 168 * HOUR) for k in range(1, 7))]
    prices, times = [p for p, _ in weekly], [t for _, t in weekly]
    assert streak_of(prices, times, max_gap=72 * HOUR) == (504, 1)
    hourly = [k * HOUR for k in range(7)]
    assert streak_of(prices, hourly, max_gap=72 * HOUR) == (104, 6)
    # ... and a change proposed four days after the last of them continues none
    assert streak_of(prices, hourly, max_gap=72 * HOUR, now=hourly[-1] + 96 * HOUR) == (None, 0)


def test_a_running_promotion_bridges_the_gap_while_it_runs() -> None:
    """A promotion (day 0, running 14 days) then, four days later, a cut on top of it: one run
    of two cuts while the promotion runs, two runs of one once it is over; a change proposed
    days after it continues the run only while the promotion still runs (``math.inf``: a
    promotion without an end)."""
    prices, times = [1000, 410, 168], [None, 0.0, 96 * HOUR]
    running = [None, 14 * 24 * HOUR, None]
    over = [None, 72 * HOUR, None]
    assert streak_of(prices, times, max_gap=72 * HOUR) == (410, 1)
    assert streak_of(prices, times, max_gap=72 * HOUR, runs_until=running) == (1000, 2)
    assert streak_of(prices, times, max_gap=72 * HOUR, runs_until=over) == (410, 1)
    assert streak_of(prices, times, max_gap=72 * HOUR,
                     runs_until=[None, math.inf, None]) == (1000, 2)
    # only the price moved from counts: a promotion price moved to bridges nothing before it
    assert streak_of(prices, times, max_gap=72 * HOUR, runs_until=[None, None, math.inf]) == (
        410, 1)
    # the change to judge, four days after the promotion began
    two, at2 = [1000, 410], [None, 0.0]
    assert streak_of(two, at2, max_gap=72 * HOUR, now=96 * HOUR) == (None, 0)
    assert streak_of(two, at2, max_gap=72 * HOUR, now=96 * HOUR,
                     runs_until=[None, 14 * 24 * HOUR]) == (1000, 1)
    assert streak_of(two, at2, max_gap=72 * HOUR, now=15 * 24 * HOUR,
                     runs_until=[None, 14 * 24 * HOUR]) == (None, 0)
    # a rise on top of a promotion continues no run of cuts
    assert streak_of([1000, 410, 500], times, max_gap=72 * HOUR, runs_until=running) == (410, 1)


def test_a_change_from_another_price_than_the_last_live_one_continues_no_streak() -> None:
    """The batch's changes say what they move from; after a held change that is not the live
    price, and the state's streak (of live prices) is not the one the change continues."""
    state = EvidenceState(window=4)
    state.observe(ints(0, 0, 0), ints(0, 0, 0), np.array([80.0, 160.0, 304.0]))
    start, moves = state.streak(ints(0, 0), current=np.array([304.0, 356.0]))
    assert start[0] == 80.0 and moves[0] == 2
    assert np.isnan(start[1]) and moves[1] == 0
