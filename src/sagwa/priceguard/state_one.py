"""One listing at a time: :class:`EvidenceState` read and moved for a single price, in plain
floats and a few NumPy calls (microseconds), where the state's array methods cost dozens of
NumPy calls each whatever the number of rows.

The batch walks changes in chunks that end where a change depends on an earlier one (the same
listing or product); where a product changes every few rows the chunks are a change or two
long, and it takes these instead. They answer exactly as the array methods do for one
listing: ``observe_one`` leaves the state ``observe`` of that price would, ``evidence_one``
reads what ``recent_median``, ``recent_count``, ``recent_log_range``, ``peer_stats`` and
``streak`` would (``tests/unit/priceguard/test_priceguard_state_one.py`` holds them alike on
random states).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from sagwa.priceguard.state import EvidenceState


class ListingEvidence(NamedTuple):
    """What the state knows for one change: its listing's recent prices, the other sellers'
    latest prices, and the streak its current price ends (NaN and 0: none)."""

    recent_median: float
    recent_count: int
    recent_log_range: float
    peer_median: float
    peer_count: int
    peer_low: float
    peer_high: float
    streak_start: float
    streak_moves: int


def observe_one(state: EvidenceState, listing: int, product: int, price: float,
                currency: int | None = None, at: float = math.nan) -> None:
    """``state.observe`` of one live price (``at``: when, in seconds; NaN: unknown)."""
    state.grow(listing + 1)
    if currency is not None:
        # its prices are in another currency: it starts afresh (none to forget while every
        # price seen was in this one, or came without a currency)
        if (not state.forgets_nothing(currency) and state.count[listing] > 0
                and state.currency[listing] != currency):
            state.reset(listing)
        state.set_currencies(listing, currency, [currency])
    if state.product[listing] != product:  # seen for the first time, or moved
        state.set_products(np.array([listing]), np.array([product]))
    _extend_streak(state, listing, price, at)
    count = int(state.count[listing])
    state.recent[listing, count % state.window] = price
    state.latest[listing] = price
    state.count[listing] = count + 1


def _extend_streak(state: EvidenceState, listing: int, price: float, at: float) -> None:
    """``EvidenceState._extend_streaks`` for one price: a first price (or one after none)
    starts afresh, a repeated one moves nothing, a move goes on with the stored streak when it
    is in the streak's direction and in time, else starts one from the price before."""
    before = float(state.latest[listing])
    if not before > 0:
        state.streak_moves[listing] = 0
        state.streak_start[listing] = math.nan
    elif price != before:
        start = float(state.streak_start[listing])
        in_time = not at - float(state.streak_last_at[listing]) > state.streak_max_gap
        same_way = before > start if price > before else before < start  # False without one
        if same_way and in_time:
            state.streak_moves[listing] += 1
        else:
            state.streak_moves[listing] = 1
            state.streak_start[listing] = before
    else:
        return
    state.streak_last_at[listing] = at


def evidence_one(state: EvidenceState, listing: int, product: int, currency: int | None,
                 current: float, at: float) -> ListingEvidence:
    """The state's evidence for one change of ``listing`` (under ``product``, in ``currency``)
    that moves from ``current`` (NaN: no current price) at ``at`` (seconds)."""
    state.grow(listing + 1)
    mine = currency is None or int(state.currency[listing]) == currency
    n = min(int(state.count[listing]), state.window) if mine else 0
    median = spread = math.nan
    if n:
        row = np.sort(state.recent[listing])  # its ``n`` prices first, then NaN
        median = float(0.5 * (row[(n - 1) // 2] + row[min(n // 2, state.window - 1)]))
        with np.errstate(divide="ignore", invalid="ignore"):  # a 0 among them: no range
            spread = float(np.log(row[n - 1]) - np.log(row[0]))
        spread = spread if math.isfinite(spread) else math.nan
    streak_moves = int(state.streak_moves[listing])
    known = (streak_moves > 0 and mine and float(state.latest[listing]) == current
             and not at - float(state.streak_last_at[listing]) > state.streak_max_gap)
    peers = _other_sellers(state, listing, product, currency)
    m = peers.size
    return ListingEvidence(
        median, n, spread,
        float(0.5 * (peers[(m - 1) // 2] + peers[m // 2])) if m else math.nan,
        m,
        float(peers[0]) if m else math.nan,
        float(peers[-1]) if m else math.nan,
        float(state.streak_start[listing]) if known else math.nan,
        streak_moves if known else 0,
    )


def _other_sellers(state: EvidenceState, listing: int, product: int,
                   currency: int | None) -> np.ndarray:
    """The latest prices (sorted) of the product's other listings in ``currency``."""
    members = state.listings_of(np.array([product]))
    keep = (state.product[members] == product) & (members != listing)
    prices = state.latest[members]
    keep &= ~np.isnan(prices)
    if currency is not None:
        keep &= state.currency[members] == currency
    return np.sort(prices[keep])
