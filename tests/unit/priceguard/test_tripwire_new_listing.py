"""A new listing is watched on its first day on sale, against the rate the product's other sellers
sell at: a launch like theirs never trips, a rush far above theirs does, and the reasons say
what the orders were compared with."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sagwa.priceguard.tripwire import (
    NormalRate,
    VelocityRules,
    assess_order_velocity,
    baseline_rate,
    busiest_other_seller,
    normal_rate,
)

ON_SALE = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)
RULES = VelocityRules()


def poisson_orders(rate_per_hour: float, hours: float, seed: int) -> list[datetime]:
    rng = np.random.default_rng(seed)
    n = rng.poisson(rate_per_hour * hours)
    offsets = np.sort(rng.uniform(0, hours * 3600, n))
    return [ON_SALE + timedelta(seconds=float(s)) for s in offsets]


def _assess(orders: list[datetime], now: datetime, normal: NormalRate):
    return assess_order_velocity(order_times=orders, changed_at=ON_SALE, now=now,
                                 baseline_per_hour=normal, anchor="first_sale")


def test_other_sellers_count_only_with_a_days_history_and_the_busiest_one_sets_the_rate() -> None:
    others = [(48, 48.0), (24, 48.0), (100, 10.0), (0, 30.0)]  # 1/h, 0.5/h, too new, none
    assert busiest_other_seller(others, rules=RULES) == (1.0, 3)
    assert busiest_other_seller([(100, 10.0)], rules=RULES) is None
    assert busiest_other_seller([], rules=RULES) is None


def test_a_listing_without_a_days_history_is_compared_with_the_other_sellers() -> None:
    busiest = busiest_other_seller([(120, 48.0), (24, 48.0)], rules=RULES)  # 2.5/h and 0.5/h
    assert normal_rate(orders=0, hours=0.0, rules=RULES,
                       busiest=busiest) == NormalRate(2.5, "other_sellers", 2, 2.5)
    # its own short history, if busier, is still the busiest plausible rate
    busy = normal_rate(orders=30, hours=10.0, rules=RULES, busiest=busiest)
    assert busy == NormalRate(3.0, "other_sellers", 2, 2.5)
    # a day of its own: its own rate, whatever the others sell
    assert normal_rate(orders=24, hours=48.0, rules=RULES, busiest=busiest) == NormalRate(0.5)


def test_slow_other_sellers_never_set_the_bar_below_the_launch_rate() -> None:
    """One other seller selling 0.09 an hour must not make a new listing's first day twenty
    times stricter than having no other seller at all."""
    slow = normal_rate(orders=0, hours=0.0, rules=RULES, busiest=(0.09, 1))
    assert slow == NormalRate(RULES.launch_rate_per_hour, "other_sellers", 1, 0.09)
    assert slow.per_hour == normal_rate(orders=0, hours=0.0, rules=RULES).per_hour


def test_with_no_other_seller_to_go_by_the_launch_rate_or_its_own_if_higher() -> None:
    first_day = normal_rate(orders=0, hours=0.0, rules=RULES)
    assert first_day == NormalRate(RULES.launch_rate_per_hour, "launch")
    # a price change on the first day is judged by the same rule, not the 0.05 floor
    assert normal_rate(orders=1, hours=0.5, rules=RULES) == first_day
    busy = normal_rate(orders=15, hours=3.0, rules=RULES)  # 5 an hour of its own so far
    assert busy == NormalRate(baseline_rate(orders=15, hours=3.0, rules=RULES), "own_short")
    assert busy.per_hour == 5.0


def test_a_launch_day_like_the_other_sellers_never_trips() -> None:
    like_them = NormalRate(3.0, "other_sellers", 3, 3.0)
    for seed in range(100):
        orders = poisson_orders(rate_per_hour=3.0, hours=24.0, seed=seed)
        for at in orders:  # the tripwire runs on every order, not only at the end of the day
            result = _assess(orders, at, like_them)
            assert not result.tripped, (seed, at, result.reason_en)


def test_a_rush_far_above_the_other_sellers_trips_within_minutes() -> None:
    orders = poisson_orders(rate_per_hour=60.0, hours=0.25, seed=7)  # a wrong first price
    result = _assess(orders, ON_SALE + timedelta(minutes=15), NormalRate(2.0, "other_sellers",
                                                                         3, 2.0))
    assert result.tripped and result.anchor == "first_sale"
    assert result.normal == NormalRate(2.0, "other_sellers", 3, 2.0)
    assert ("since the listing went on sale, a pace of about 64 orders an hour; other sellers of "
            "this product sold about 2.00 an hour (the busiest of 3 on sale for 24 h or more)"
            ) in result.reason_en
    assert "판매 시작 후" in result.reason_ko
    assert "같은 상품의 다른 판매자는 시간당 약 2.00건 판매했습니다(24시간 이상 판매한 3곳 중 최대)." in \
        result.reason_ko
    assert result.reason_en.endswith(")")  # on the evidence: the page says it paused


def test_the_reasons_say_when_no_other_seller_was_there_to_compare_with() -> None:
    orders = [ON_SALE + timedelta(minutes=m) for m in range(1, 11)]
    result = _assess(orders, ON_SALE + timedelta(minutes=10),
                     normal_rate(orders=0, hours=0.0, rules=RULES))
    assert result.tripped
    assert "no other seller of this product had 24 h on sale to compare with" in result.reason_en
    assert "rate assumed for a new listing, 2.00/h" in result.reason_en
    assert "다른 판매자가 없어" in result.reason_ko and "시간당 2.00건" in result.reason_ko
    one = _assess(orders, ON_SALE + timedelta(minutes=10), NormalRate(0.5, "other_sellers", 1, 0.5))
    assert "(1 seller on sale for 24 h or more)" in one.reason_en
    assert "(24시간 이상 판매한 1곳)" in one.reason_ko


def test_a_plain_rate_still_reads_as_the_listings_own() -> None:
    orders = [ON_SALE + timedelta(minutes=m) for m in range(1, 11)]
    result = assess_order_velocity(order_times=orders, changed_at=ON_SALE,
                                   now=ON_SALE + timedelta(minutes=10), baseline_per_hour=0.5)
    assert result.normal == NormalRate(0.5) and result.anchor == "price_change"
    assert "since the price change" in result.reason_en and "the usual 0.50/h" in result.reason_en


@given(st.lists(st.tuples(st.integers(0, 500), st.floats(0.0, 672.0)), max_size=8),
       st.integers(0, 50), st.floats(0.0, 23.9))
def test_the_rate_compared_with_is_never_below_any_counted_seller_nor_the_launch_rate(
        others, orders, hours) -> None:
    normal = normal_rate(orders=orders, hours=hours, rules=RULES,
                         busiest=busiest_other_seller(others, rules=RULES))
    counted = [o / h for o, h in others if h >= RULES.min_history_hours]
    assert all(normal.per_hour >= rate for rate in counted)
    assert normal.per_hour >= baseline_rate(orders=orders, hours=hours, rules=RULES)
    assert normal.per_hour >= RULES.launch_rate_per_hour


def test_the_reasons_say_why_the_bar_is_above_slow_other_sellers() -> None:
    orders = [ON_SALE + timedelta(minutes=m) for m in range(1, 11)]
    slow = normal_rate(orders=0, hours=0.0, rules=RULES, busiest=(0.25, 2))
    result = _assess(orders, ON_SALE + timedelta(minutes=10), slow)
    assert ("other sellers of this product sold about 0.25 an hour (the busiest of 2 on sale for "
            "24 h or more); this listing is measured against the higher of the rate assumed for "
            "a new listing and its own so far, 2.00/h: about 0.3 expected") in result.reason_en
    assert ("같은 상품의 다른 판매자는 시간당 약 0.25건 판매했습니다(24시간 이상 판매한 2곳 중 최대). 이 상품은 "
            "새 상품 기본값과 지금까지의 판매 속도 중 높은 쪽인 시간당 2.00건을 기준으로 하며, 이 시간 동안 "
            "예상되는 주문은 약 0.3건입니다.") in result.reason_ko


def test_other_sellers_who_sold_next_to_nothing_are_not_said_to_sell_0_00_an_hour() -> None:
    orders = [ON_SALE + timedelta(minutes=m) for m in range(1, 11)]
    idle = normal_rate(orders=0, hours=0.0, rules=RULES, busiest=(0.001, 2))
    result = _assess(orders, ON_SALE + timedelta(minutes=10), idle)
    assert "sold under 0.01 an hour" in result.reason_en
    assert "시간당 0.01건 미만 판매" in result.reason_ko
    assert "0.00" not in result.reason_en + result.reason_ko
