"""The streaming state never compares prices in different currencies.

Asked with a currency, it answers from evidence in that currency only: a listing's prices in
another currency are no history, other sellers in another currency are no other sellers. A
listing that goes live in a new currency starts its recent prices afresh, however the prices
arrive (in one batch or several).
"""

from __future__ import annotations

import numpy as np
import pytest

from sagwa.priceguard import EvidenceState

USD, KRW = 0, 1


def arr(*values: float) -> np.ndarray:
    return np.array(values)


def ints(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def test_a_listings_history_in_another_currency_is_no_history() -> None:
    state = EvidenceState(window=4, capacity=4)
    state.observe(ints(0, 0), ints(0, 0), arr(1000.0, 1000.0), ints(USD, USD))
    asked = ints(0, 0)
    median = state.recent_median(asked, ints(USD, KRW))
    assert median[0] == 1000.0 and np.isnan(median[1])
    assert list(state.recent_count(asked, ints(USD, KRW))) == [2, 0]
    assert np.isnan(state.recent_log_range(asked, ints(KRW, KRW))[0])


def test_other_sellers_in_another_currency_are_not_peers() -> None:
    state = EvidenceState(capacity=8)
    listings, product = ints(0, 1, 2, 3), ints(0, 0, 0, 0)
    state.observe(
        listings, product, arr(1000.0, 1050.0, 990.0, 1_300_000.0), ints(USD, USD, USD, KRW)
    )
    med, count, low, high = state.peer_stats(ints(0, 9, 9), ints(0, 0, 0), ints(KRW, USD, KRW))
    assert list(count) == [1, 3, 1]
    assert med[0] == 1_300_000.0 and med[1] == 1000.0 and med[2] == 1_300_000.0
    assert low[1] == 990.0 and high[1] == 1050.0


def test_without_currencies_the_state_answers_as_before() -> None:
    state = EvidenceState(capacity=8)
    state.observe(ints(0, 1, 2), ints(0, 0, 0), arr(100.0, 200.0, 300.0))
    med, count = state.peer_median(ints(0), ints(0))
    assert med[0] == 250.0 and count[0] == 2
    assert state.recent_median(ints(2))[0] == 300.0


def test_a_listing_that_changes_currency_starts_its_recent_prices_afresh() -> None:
    state = EvidenceState(window=4, capacity=2)
    state.observe(ints(0, 0), ints(0, 0), arr(1000.0, 1100.0), ints(USD, USD))
    state.observe(ints(0), ints(0), arr(1_400_000.0), ints(KRW))
    assert state.recent_median(ints(0), ints(KRW))[0] == 1_400_000.0
    assert np.isnan(state.recent_median(ints(0), ints(USD))[0])
    assert state.recent_count(ints(0), ints(KRW))[0] == 1
    # its latest price is now a KRW price: no longer another USD seller's price
    _, count = state.peer_median(ints(5), ints(0), ints(USD))
    assert count[0] == 0


@pytest.mark.parametrize("batches", [[slice(0, 5)], [slice(0, 2), slice(2, 3), slice(3, 5)]])
def test_a_currency_switch_gives_the_same_state_in_one_batch_or_several(
    batches: list[slice],
) -> None:
    listing, product = ints(0, 1, 0, 0, 1), ints(0, 0, 0, 0, 0)
    price, currency = arr(10.0, 20.0, 9_000.0, 11.0, 21.0), ints(USD, USD, KRW, USD, USD)
    state = EvidenceState(window=4, capacity=2)
    for part in batches:
        state.observe(listing[part], product[part], price[part], currency[part])
    assert state.recent_median(ints(0, 1), ints(USD, USD)).tolist() == [11.0, 20.5]
    assert state.recent_count(ints(0, 1), ints(USD, USD)).tolist() == [1, 2]
