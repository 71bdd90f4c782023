"""One rule for a reviewer's reason: approving a held change and releasing a listing held at
publication both need one when the price is half or less, or twice or more, of what it is
compared with."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.domain.money import Money
from sagwa.domain.price_moves import (
    PriceReference,
    check_release_reason,
    first_price_reference,
    is_big_move,
    release_needs_reason,
)
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.errors import InvalidInput
from sagwa.services.price_review import approval_needs_reason

BOUNDARIES = [(100_000, 50_000, True), (100_000, 50_001, False), (100_000, 199_999, False),
              (100_000, 200_000, True), (100_000, 100_000, False), (100_000, 1, True)]


@pytest.mark.parametrize(("compared", "price", "big"), BOUNDARIES)
def test_half_or_less_and_twice_or_more_are_big_moves(compared: int, price: int,
                                                      big: bool) -> None:
    assert is_big_move(compared, price) is big


@pytest.mark.parametrize(("compared", "price", "big"), BOUNDARIES)
def test_an_approval_and_a_release_follow_the_same_rule(compared: int, price: int,
                                                        big: bool) -> None:
    change = PriceChangeRecord(1, 3, Money(compared, "KRW"), Money(price, "KRW"), "seller:a",
                               datetime(2008, 6, 13, tzinfo=UTC), None, PriceChangeStatus.HELD,
                               None, None)
    reference = PriceReference(compared, "list_price")
    assert approval_needs_reason(change) is big
    assert release_needs_reason(Money(price, "KRW"), reference) is big


def test_the_reference_is_the_list_price_else_the_other_sellers_median_else_none() -> None:
    assert first_price_reference(199_000, [10, 20, 30]) == PriceReference(199_000, "list_price")
    assert first_price_reference(None, [100, 101]) == PriceReference(100, "other_sellers")  # 100.5
    assert first_price_reference(None, [300, 100, 200]) == PriceReference(200, "other_sellers")
    assert first_price_reference(None, []) is None


def test_a_first_price_with_nothing_to_compare_it_with_needs_a_reason() -> None:
    assert release_needs_reason(Money(199_000, "KRW"), None)
    with pytest.raises(InvalidInput) as refused:
        check_release_reason(7, Money(199_000, "KRW"), None, "  ")
    assert refused.value.details == {"field": "reason", "reason": "release_needs_reason"}
    check_release_reason(7, Money(199_000, "KRW"), None, "출시가 확인")  # a reason: allowed
