"""``state_one`` moves and reads the evidence state one price at a time exactly as the array
methods do: fed the same random prices — repeated prices, walks up and down, gaps longer than a
streak may have, unknown times, listings first seen late, moved to another product, switching
currency — a state fed one price at a time (``observe_one``) holds the same arrays as one fed in
random groups (``observe``), and ``evidence_one`` answers what ``recent_median``,
``recent_count``, ``recent_log_range``, ``peer_stats`` and ``streak`` answer, with the product
index rebuilt on every change, never, or in between."""

from __future__ import annotations

import math

import numpy as np
import pytest

import sagwa.priceguard.state as state_module
from sagwa.priceguard.state import EvidenceState
from sagwa.priceguard.state_one import evidence_one, observe_one

_ARRAYS = ("recent", "count", "latest", "product", "currency", "streak_moves", "streak_start",
           "streak_last_at")


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def _feed(rng: np.random.Generator, n_listings: int, n_products: int, currencies: bool,
          product_of: np.ndarray, clock: list[float], walk: np.ndarray) -> tuple:
    k = int(rng.integers(1, 10))
    listing = rng.integers(0, n_listings, k)
    if rng.random() < 0.15:  # a listing moves to another product
        product_of[listing[:1]] = rng.integers(0, n_products, 1)
    # a few price levels, so prices repeat and go up and down; or walks down, as a repricer's
    levels = np.array([1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0, 34.0])
    if rng.random() < 0.1:  # a 0 (no price), fractions, prices past 2**40 minor units
        price = rng.choice([0.0, 2.5, 2.25, 2.0**41 + 1, 2.0**41 + 3, 3.0], k)
    elif rng.random() < 0.5:
        price = levels[rng.integers(0, levels.size, k)]
    else:
        walk[listing] = np.maximum(walk[listing] - 1, 0)  # a listing twice here walks once
        price = levels[walk[listing]]
    currency = (rng.integers(0, 2, k) if rng.random() < 0.3 else np.zeros(k, dtype=np.int64)
                ) if currencies else None
    # seconds between prices, a few beyond the streak's gap (100 s)
    steps = rng.choice([0.0, 1.0, 2.0, 100.0, 500.0], k, p=[0.3, 0.4, 0.2, 0.05, 0.05])
    at = clock[0] + np.cumsum(steps)
    clock[0] = float(at[-1])
    if rng.random() < 0.1:
        at[rng.random(k) < 0.5] = np.nan  # when some went live is not known
    return listing, product_of[listing].copy(), price, currency, at


@pytest.mark.parametrize("reindex_at", [0, 3, 4_096])
def test_one_at_a_time_moves_and_reads_the_state_as_the_arrays_do(monkeypatch,
                                                                   reindex_at: int) -> None:
    monkeypatch.setattr(state_module, "_REINDEX_AT", reindex_at)
    asked_total = streaks_seen = peers_seen = long_streaks = 0
    for seed in range(250):
        rng = np.random.default_rng(seed)
        n_listings, n_products = int(rng.integers(1, 25)), int(rng.integers(1, 5))
        currencies = rng.random() < 0.6
        capacity = int(rng.integers(1, 30))
        arrays = EvidenceState(window=4, capacity=capacity, streak_max_gap=100.0)
        ones = EvidenceState(window=4, capacity=capacity, streak_max_gap=100.0)
        product_of = rng.integers(0, n_products, n_listings)
        clock = [1_000.0]
        walk = np.full(n_listings, 8)  # each listing's level on its walk down
        for _ in range(int(rng.integers(1, 12))):
            listing, product, price, currency, at = _feed(rng, n_listings, n_products,
                                                          currencies, product_of, clock, walk)
            arrays.observe(listing, product, price, currency, at)
            for i in range(listing.size):
                observe_one(ones, int(listing[i]), int(product[i]), float(price[i]),
                            None if currency is None else int(currency[i]), float(at[i]))
            size = min(arrays.latest.size, ones.latest.size)  # each grows when asked
            assert not arrays.count[size:].any() and not ones.count[size:].any()
            for name in _ARRAYS:
                want, got = getattr(arrays, name)[:size], getattr(ones, name)[:size]
                assert np.array_equal(want, got, equal_nan=True), (seed, name)
            long_streaks += int((arrays.streak_moves >= 2).sum())
            asked = rng.integers(0, n_listings + 3, int(rng.integers(1, 6)))  # some never seen
            products = np.concatenate((product_of, [0, 1, 2]))[asked]
            asked_currency = rng.integers(0, 2, asked.size) if currencies else None
            latest = np.concatenate((arrays.latest, np.full(n_listings + 3, np.nan)))[asked]
            current = np.where(rng.random(asked.size) < 0.85, latest, 7.0)
            current[rng.random(asked.size) < 0.1] = np.nan  # no current price
            # asked a little after each listing's last move: within the streak's gap, at it,
            # past it
            last = np.concatenate((arrays.streak_last_at, np.full(n_listings + 3, np.nan)))
            when = np.where(np.isnan(last[asked]), clock[0], last[asked]) + rng.choice(
                [0.0, 50.0, 100.0, 150.0], asked.size)
            want_streak = arrays.streak(asked, asked_currency, current=current, at=when)
            want_peers = arrays.peer_stats(asked, products, asked_currency)
            want_recent = (arrays.recent_median(asked, asked_currency),
                           arrays.recent_count(asked, asked_currency),
                           arrays.recent_log_range(asked, asked_currency))
            for i, me in enumerate(asked.tolist()):
                ev = evidence_one(ones, me, int(products[i]),
                                  None if asked_currency is None else int(asked_currency[i]),
                                  float(current[i]), float(when[i]))
                wanted = (want_recent[0][i], want_recent[1][i], want_recent[2][i],
                          want_peers[0][i], want_peers[1][i], want_peers[2][i],
                          want_peers[3][i], want_streak[0][i], want_streak[1][i])
                assert all(_same(float(w), float(g)) for w, g in zip(wanted, ev, strict=True)), (
                    seed, me, wanted, ev)
                asked_total += 1
                streaks_seen += ev.streak_moves > 1
                peers_seen += ev.peer_count > 1
    # the random states reached what the comparison is about
    assert asked_total > 2_000 and streaks_seen > 25 and peers_seen > 500
    assert long_streaks > 300


def test_a_price_in_another_currency_starts_the_listing_afresh() -> None:
    state = EvidenceState(window=4, capacity=2)
    for price in (100.0, 90.0, 80.0):
        observe_one(state, 0, 0, price, 0, math.nan)
    assert (state.streak_moves[0], state.streak_start[0]) == (2, 100.0)
    observe_one(state, 0, 0, 5.0, 1, math.nan)
    ev = evidence_one(state, 0, 0, 1, 5.0, math.nan)
    assert (ev.recent_count, ev.recent_median, ev.streak_moves) == (1, 5.0, 0)
    assert evidence_one(state, 0, 0, 0, 5.0, math.nan).recent_count == 0


def test_prices_without_a_currency_are_not_forgotten_when_one_comes_with_a_currency() -> None:
    """As ``observe`` of that one price: nothing was in another currency, nothing to forget."""
    arrays, ones = EvidenceState(window=4, capacity=2), EvidenceState(window=4, capacity=2)
    for state in (arrays, ones):
        state.observe(np.array([0, 0]), np.array([0, 0]), np.array([100.0, 90.0]))
    arrays.observe(np.array([0]), np.array([0]), np.array([80.0]), np.array([1]))
    observe_one(ones, 0, 0, 80.0, 1)
    for name in _ARRAYS:
        assert np.array_equal(getattr(arrays, name), getattr(ones, name), equal_nan=True), name
    assert (ones.count[0], ones.streak_moves[0]) == (3, 2)
