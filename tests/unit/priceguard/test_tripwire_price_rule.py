"""The tripwire is for wrong (low) prices: a surge at or above the product's list price, or at
or above the other sellers' median, is demand and not paused; below both (as far as they are
known) it is watched."""

from __future__ import annotations

import pytest

from sagwa.priceguard.tripwire import priced_like_a_mistake


@pytest.mark.parametrize(("price", "list_price", "others", "watched"), [
    (69_000, 69_000, [], False),                  # exactly the list price
    (75_000, 69_000, [], False),                  # above it
    (6_900, 69_000, [], True),                    # a tenth of it: the 2008 kind of mistake
    (60_000, 69_000, [58_000, 60_000, 65_000], False),  # what the other sellers ask
    (59_000, 69_000, [58_000, 60_000, 65_000], True),   # below both
    (62_000, None, [58_000, 60_000, 64_000, 66_000], False),  # an even count: median 62,000
    (61_000, None, [58_000, 60_000, 64_000, 66_000, 99_000], True),
    (1_000, None, [], True),                      # nothing to compare with: watched
])
def test_only_a_price_below_the_list_price_and_the_other_sellers_is_watched(
        price: int, list_price: int | None, others: list[int], watched: bool) -> None:
    assert priced_like_a_mistake(price_minor=price, list_price_minor=list_price,
                                 other_prices_minor=others) is watched
