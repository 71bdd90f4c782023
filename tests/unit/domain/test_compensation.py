"""Compensation owed to customers, the cost of each resolution, and the seller/platform split."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from incident_builders import declare_2008, one_order_case, plan_2008

from sagwa.domain.compensation import (
    compensation_due,
    default_cost,
    resolution_cost,
    split_compensation,
    split_for_plan,
)
from sagwa.domain.contact_hours import ContactSchedule
from sagwa.domain.incident_plan import IncidentPlan
from sagwa.domain.incidents import Case
from sagwa.domain.money import CURRENCY_EXPONENTS, Money
from sagwa.errors import InvalidInput

SCHEDULE = ContactSchedule.from_mapping(
    {d: "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
)
INCIDENT = declare_2008().incident


def plan(**overrides: object) -> IncidentPlan:
    """Three options, 20% off to buy at the correct price; the deadline (Tuesday 18:00) falls
    in the centre's hours."""
    options = ["keep", "cancel_with_compensation", "buy_at_correct_price_discount"]
    return plan_2008(INCIDENT, SCHEDULE, **{"options": options, "discount_pct": 20, **overrides})


def case(units: int = 2) -> Case:
    return one_order_case(INCIDENT, units)


def test_split_rounds_the_seller_down_and_the_platform_takes_the_rest() -> None:
    assert split_compensation(Money(5_001, "KRW"), 70) == (Money(3_500, "KRW"), Money(1_501, "KRW"))
    assert split_compensation(Money(999, "USD"), 50) == (Money(499, "USD"), Money(500, "USD"))
    assert split_compensation(Money(5_000, "KRW"), 0) == (Money(0, "KRW"), Money(5_000, "KRW"))
    assert split_compensation(Money(5_000, "KRW"), 100) == (Money(5_000, "KRW"), Money(0, "KRW"))


@pytest.mark.parametrize("pct", [-1, 101, 50.5, True])
def test_split_refuses_impossible_percentages(pct: object) -> None:
    with pytest.raises(InvalidInput, match="seller share"):
        split_compensation(Money(100, "KRW"), pct)  # type: ignore[arg-type]


def test_split_refuses_negative_totals() -> None:
    with pytest.raises(InvalidInput, match="negative"):
        split_compensation(Money(-1, "KRW"), 50)


@given(
    amount=st.integers(min_value=0, max_value=10**15),
    pct=st.integers(min_value=0, max_value=100),
    currency=st.sampled_from(sorted(CURRENCY_EXPONENTS)),
)
def test_split_always_sums_to_the_total(amount: int, pct: int, currency: str) -> None:
    seller, platform = split_compensation(Money(amount, currency), pct)
    assert seller + platform == Money(amount, currency)
    assert seller.amount_minor >= 0 and platform.amount_minor >= 0
    assert 0 <= Fraction(amount * pct, 100) - seller.amount_minor < 1


def test_compensation_is_owed_only_for_cancellation_and_per_case() -> None:
    p = plan()
    assert compensation_due(case(3), p, "cancel_with_compensation") == Money(5_000, "KRW")
    assert compensation_due(case(3), p, "keep") == Money(0, "KRW")
    assert compensation_due(case(3), p, "buy_at_correct_price_discount") == Money(0, "KRW")
    with pytest.raises(InvalidInput, match="not offered"):
        compensation_due(case(), p, "talk_to_person")


def test_resolution_cost_of_each_option() -> None:
    p = plan(keep_max_units=1)
    assert resolution_cost(case(2), p, "keep") == Money(179_100, "KRW")  # one unit honoured
    assert resolution_cost(case(2), p, "cancel_with_compensation") == Money(5_000, "KRW")
    # 20% off 199,000 = 159,200; the seller gives up 39,800 per unit.
    assert resolution_cost(case(2), p, "buy_at_correct_price_discount") == Money(79_600, "KRW")


def test_default_cost_honours_every_unit_or_nothing_yet() -> None:
    assert default_cost(case(2), plan()) == case(2).exposure
    assert default_cost(case(2), plan(keep_max_units=1)) == Money(0, "KRW")  # follow-up call


def test_split_for_plan_uses_the_plans_shares() -> None:
    assert split_for_plan(Money(10_000, "KRW"), plan()) == (
        Money(7_000, "KRW"),
        Money(3_000, "KRW"),
    )
