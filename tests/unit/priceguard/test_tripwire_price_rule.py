"""The tripwire is for wrong (low) prices: a surge at, above or a little under (within 5%)
*every* reference there is (the product's list price, the other sellers' median) is demand or
competition and not paused; further below either it is watched. Other sellers at this very
price (a second seller copying a wrong price) are no reference for it."""

from __future__ import annotations

import pytest

from sagwa.priceguard.tripwire_price import priced_like_a_mistake


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


@pytest.mark.parametrize(("price", "own", "list_price", "others", "watched"), [
    (12_800, 12_600, 14_000, [], False),          # an operator's raise (a tester's listing 366)
    (18_200, 17_700, 20_200, [17_600], False),    # a raise above the other sellers (374)
    (16_800, 17_700, 20_200, [], True),           # a cut of 5.1% from its own price: watched
    (17_000, 17_700, 20_200, [], False),          # a seller's 4% step: not a mistake
    (189_000, 199_000, 199_000, [195_000, 193_000], True),  # the 5% cut under list
])
def test_a_price_must_be_meaningfully_below_its_own_price_before_as_well(
        price: int, own: int, list_price: int, others: list[int], watched: bool) -> None:
    """A rise, or a step within 5% of the listing's own price before the watch, is not a
    mistake, whatever the list price says."""
    assert priced_like_a_mistake(price_minor=price, list_price_minor=list_price,
                                 other_prices_minor=others, own_price_minor=own) is watched


@pytest.mark.parametrize(("category", "price", "watched"), [
    ("books/novel", 13_500, False),     # the law's 10% under its 15,000 list price: its going price
    ("books/novel", 12_800, True),      # 5.2% under that
    ("books", 13_000, False),           # 3.7% under it
    ("electronics/mp3", 13_500, True),  # 10% under list is a cut for anything else
    ("bookshelves", 13_500, True),      # a category named like books is not books
])
def test_a_book_at_the_fixed_book_price_discount_is_at_its_going_price(
        category: str, price: int, watched: bool) -> None:
    """Korea's fixed book price law lets books sell 10% under list, and they do: on its first
    day (no price of its own before), a book at that discount, other sellers at the same price
    (left out as copies), is not a possible mistake."""
    from sagwa.priceguard.tripwire import VelocityRules

    discount = VelocityRules().list_discount(category)
    assert priced_like_a_mistake(price_minor=price, list_price_minor=15_000,
                                 other_prices_minor=[price, price], list_discount=discount
                                 ) is watched


@pytest.mark.parametrize(("price", "before", "list_price", "others", "far"), [
    (52_700, 527_000, 599_000, [], True),     # a tenth (a tester's listing 526)
    (52_700, None, 599_000, [520_000], True),  # a first price a tenth of the market
    (263_500, 527_000, None, [], True),       # exactly half
    (270_000, 527_000, None, [], False),      # a deep sale, not half
    (52_700, 527_000, 60_000, [], False),     # near a (stale) list price: not far below all
    (52_700, None, None, [52_700], False),    # nothing to compare with but a copy
])
def test_a_price_far_below_every_reference_is_half_or_less_of_each(
        price: int, before: int | None, list_price: int | None, others: list[int],
        far: bool) -> None:
    from sagwa.priceguard.tripwire_price import PriceContext

    context = PriceContext(price=price, currency="KRW", before=before, list_price=list_price,
                           others=tuple(others))
    assert context.far_below() is far
