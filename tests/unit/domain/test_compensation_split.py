"""The sellers' share of a compensation divided among several sellers: whole points, exact sums,
the same split every time, balanced ledger entries with one leg per seller."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sagwa.domain.ledger import AccountKind, credit_compensation
from sagwa.domain.money import allocate_by_weight
from sagwa.errors import InvalidInput

weights = st.dictionaries(st.integers(1, 10_000), st.integers(0, 10**9), min_size=1, max_size=6)


@given(total=st.integers(0, 10**8), weights=weights)
def test_the_parts_always_add_up_to_the_total_and_follow_the_weights(total, weights) -> None:
    parts = allocate_by_weight(total, weights)
    assert sum(parts.values()) == total and set(parts) == set(weights)
    whole = sum(weights.values())
    for key, part in parts.items():
        exact = total * (weights[key] if whole else 1) / (whole or len(weights))
        assert abs(part - exact) < 1  # never more than one unit off its exact share


def test_remainders_go_to_the_largest_fractions_then_the_lower_id() -> None:
    assert allocate_by_weight(100, {2: 1, 11: 2}) == {2: 33, 11: 67}  # 33.3 / 66.7
    assert allocate_by_weight(10, {3: 1, 1: 1, 2: 1}) == {1: 4, 2: 3, 3: 3}  # a tie: lowest id
    assert allocate_by_weight(5, {7: 0, 4: 0}) == {4: 3, 7: 2}  # no value: equal weights


@pytest.mark.parametrize(("total", "weights"), [(-1, {1: 1}), (5, {}), (5, {1: -1})])
def test_an_allocation_that_makes_no_sense_is_refused(total, weights) -> None:
    with pytest.raises(InvalidInput):
        allocate_by_weight(total, weights)


@given(points=st.integers(1, 10**7), pct=st.integers(0, 100), weights=weights)
def test_a_compensation_over_several_sellers_balances_with_one_leg_each(points, pct,
                                                                       weights) -> None:
    entry = credit_compensation(customer_id=9, points=points, memo="m", seller_weights=weights,
                                seller_share_pct=pct)
    assert sum(p.amount.amount_minor for p in entry.postings) == 0
    legs = [p for p in entry.postings if p.account.kind is AccountKind.SELLER_CHARGEBACK]
    assert len({p.account.owner_id for p in legs}) == len(legs) <= len(weights)
    assert -sum(p.amount.amount_minor for p in legs) == points * pct // 100


def test_a_customer_of_two_sellers_charges_both_in_proportion() -> None:
    entry = credit_compensation(customer_id=9, points=10_000, memo="m",
                                seller_weights={2: 37_000, 11: 18_500}, seller_share_pct=50)
    legs = {(p.account.kind, p.account.owner_id): p.amount.amount_minor for p in entry.postings}
    assert legs == {(AccountKind.CUSTOMER_POINTS, 9): 10_000,
                    (AccountKind.SELLER_CHARGEBACK, 2): -3_333,  # 3,333.3
                    (AccountKind.SELLER_CHARGEBACK, 11): -1_667,  # 1,666.7: the larger fraction
                    (AccountKind.PLATFORM_EXPENSE, None): -5_000}
