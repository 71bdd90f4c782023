"""The tripwire is for wrong (low) prices: a surge at, above or a little under (within 5%)
*every* reference there is (the product's list price, the other sellers' median) is demand or
competition and not paused; further below either it is watched. Other sellers at this very
price (a second seller copying a wrong price) are no reference for it."""

from __future__ import annotations

import pytest

from sagwa.priceguard.tripwire import priced_like_a_mistake


@pytest.mark.parametrize(("price", "list_price", "others", "watched"), [
    (69_000, 69_000, [], False),                  # exactly the list price
    (75_000, 69_000, [], False),                  # above it
    (6_900, 69_000, [], True),                    # a tenth of it: the 2008 kind of mistake
    (69_000, 69_000, [58_000, 60_000, 65_000], False),  # at the list price, above the others
    (60_000, 69_000, [58_000, 60_000, 65_000], True),   # what the others ask, 13% under the list
    (65_550, 69_000, [], False),                  # 5% under the list: still competition
    (65_500, 69_000, [], True),                   # just past it
    (62_000, None, [58_000, 60_000, 64_000, 66_000], False),  # an even count: median 62,000
    (61_000, None, [50_000, 55_000, 64_000, 70_000, 99_000], False),  # 4.7% under the median
    (60_700, None, [50_000, 55_000, 64_000, 70_000, 99_000], True),   # 5.2% under it
    (199_000, 199_000, [204_000, 206_000, 208_000, 212_000], False),  # a walkthrough's 2% cut
    (1_000, None, [], True),                      # nothing to compare with: watched
    (99_000, 199_000, [99_000], True),            # a second seller copied the wrong price
    (99_000, None, [99_000, 99_500], True),       # only copies: nothing to compare with
    (100_000, 100_000, [200_000, 210_000], True),  # a stale low list price vouches for nothing
])
def test_only_a_price_at_above_or_just_under_every_reference_is_spared(
        price: int, list_price: int | None, others: list[int], watched: bool) -> None:
    assert priced_like_a_mistake(price_minor=price, list_price_minor=list_price,
                                 other_prices_minor=others) is watched
