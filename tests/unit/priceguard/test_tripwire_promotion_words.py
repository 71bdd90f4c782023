"""The tripwire's evidence for a listing on a declared promotion says, readably, what the
promotion allows; a declared promotion that needed no reviewer selling well on a slow listing
is left alone; and numbers that are the system's floors or too small to round are said so.

Findings: "10 times that is allowed, 0.92/h: less than 0.0001" could not be read; a 20%
promotion on a listing with 3 orders in 28 days was paused by 5 customers 45 seconds apart
(10 times a near-zero rate); "expected at the usual 0.05/h" of a listing that sold far less
(0.05/h is the floor); "about 0.0 were expected" of units."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sagwa.priceguard.tripwire import NormalRate, VelocityRules, assess_order_velocity
from sagwa.priceguard.tripwire_words import expected_count

CHANGED = datetime(2008, 6, 12, 3, 0, tzinfo=UTC)
#: A listing with 3 orders in 28 days on sale: far under the 0.05/h floor.
RARE = 3 / (28 * 24)


def _five_customers_45_seconds_apart(normal: NormalRate):  # type: ignore[no-untyped-def]
    times = [CHANGED + timedelta(seconds=45 * n) for n in range(1, 6)]
    return assess_order_velocity(order_times=times, changed_at=CHANGED, now=times[-1],
                                 baseline_per_hour=normal)


def test_a_promotion_that_needed_no_reviewer_selling_well_on_a_slow_listing_is_left_alone() -> None:
    result = _five_customers_45_seconds_apart(NormalRate(RARE, promotion_pct=20.0))
    assert not result.tripped
    assert ("During the declared 20% promotion, which needed no reviewer, orders are allowed at "
            "up to 10 an hour. Any such promotion is allowed that much, as it is announced to "
            "customers and any listing may draw them. 10 times the usual rate would be 0.50/h. "
            "At up to 10 an hour, about 0.6 orders were expected in 4 min" in result.reason_en)
    assert ("판매자가 선언해 검토 없이 적용된 20% 할인 행사 기간에는 시간당 10건까지 주문을 허용합니다."
            in result.reason_ko)
    assert "이 속도로는 4분 동안 약 0.6건입니다." in result.reason_ko
    assert abs(result.expected - VelocityRules().promotion_min_per_hour * 225 / 3600) < 1e-9


def test_a_promotion_a_reviewer_had_to_approve_gets_the_lift_alone() -> None:
    """The guard held it (the 2008 "90% event" was one): no floor; ten times the usual."""
    result = _five_customers_45_seconds_apart(NormalRate(RARE, promotion_pct=20.0,
                                                         promotion_reviewed=True))
    assert result.tripped
    assert "needed no reviewer" not in result.reason_en
    assert ("During the declared 20% promotion, up to 10 times the usual rate is allowed, "
            "0.50/h. At that rate, still fewer than 0.1 orders were expected in so short a time"
            in result.reason_en)


def test_a_rush_on_a_promotion_that_needed_no_reviewer_still_trips() -> None:
    """Thirty orders in ten minutes (180 an hour) against the floor of 10 an hour."""
    times = [CHANGED + timedelta(seconds=20 * n) for n in range(1, 31)]
    result = assess_order_velocity(order_times=times, changed_at=CHANGED, now=times[-1],
                                   baseline_per_hour=NormalRate(RARE, promotion_pct=20.0))
    assert result.tripped


def test_a_quiet_listings_promotion_says_the_lifted_rate_and_still_fewer_in_so_short_a_time(
        ) -> None:
    """Five orders in seven seconds on a listing selling 0.05 an hour, at a declared 90% off
    approved by a reviewer: the rate the promotion allows is said, and the count it makes in
    seven seconds without four decimals."""
    times = [CHANGED + timedelta(seconds=s) for s in (2, 4, 5, 6, 7)]
    result = assess_order_velocity(order_times=times, changed_at=CHANGED, now=times[-1],
                                   baseline_per_hour=NormalRate(0.05, promotion_pct=90.0,
                                                                promotion_reviewed=True))
    assert result.tripped
    assert ("fewer than 0.1 expected at the usual 0.05/h. During the declared 90% promotion, up "
            "to 10 times the usual rate is allowed, 0.50/h. At that rate, still fewer than 0.1 "
            "orders were expected in so short a time (chance" in result.reason_en)
    assert ("평소 판매 속도인 시간당 0.05건이면 이 시간 동안 예상되는 주문은 0.1건 미만입니다. 선언된 90% 할인 "
            "기간에는 평소의 10배인 시간당 0.50건까지 허용합니다. 이 속도로도 이렇게 짧은 시간에는 여전히 "
            "0.1건 미만입니다. 우연히 이만큼 주문될 확률은" in result.reason_ko)
    for text in (result.reason_en, result.reason_ko):
        assert "0.0001" not in text and "0.001" not in text


def test_the_floor_rate_is_said_as_a_floor_not_as_the_listings_usual() -> None:
    times = [CHANGED + timedelta(seconds=s) for s in (2, 4, 5, 6, 7)]
    result = assess_order_velocity(order_times=times, changed_at=CHANGED, now=times[-1],
                                   baseline_per_hour=NormalRate(RARE))
    assert ("its usual rate is at most 0.05/h, the floor used for listings that rarely sell. "
            "At that rate, fewer than 0.1 were expected" in result.reason_en)
    assert "드물게 팔려 평소 판매 속도를 최저 기준인 시간당 0.05건 이하로 잡았습니다" in result.reason_ko
    assert "at the usual 0.05/h" not in result.reason_en
    at_floor = assess_order_velocity(order_times=times, changed_at=CHANGED, now=times[-1],
                                     baseline_per_hour=NormalRate(0.05))
    assert "at the usual 0.05/h" in at_floor.reason_en  # its own rate: said as its own


def test_units_expected_are_never_said_as_zero() -> None:
    """Three orders of 100 in three seconds on a listing whose orders take 1.3 units."""
    times = [CHANGED + timedelta(seconds=s) for s in (1, 2, 3)]
    usual = NormalRate(0.5, units_per_order=1.3, units_spread=1.5, units_known=True)
    result = assess_order_velocity(order_times=times, order_units=[100] * 3, changed_at=CHANGED,
                                   now=times[-1], baseline_per_hour=usual)
    assert result.tripped
    assert "where fewer than 0.1 were expected at the usual 1.3 units an order" in result.reason_en
    assert "평소 주문당 1.3개면 예상되는 수량은 0.1개 미만이고," in result.reason_ko
    assert "0.0" not in result.reason_en.replace("0.05", "")


@pytest.mark.parametrize(("expected", "en", "ko"), [
    (2.5, "about 2.5", "약 2.5건"),
    (0.06, "about 0.1", "약 0.1건"),
    (0.049, "fewer than 0.1", "0.1건 미만"),
    (0.0, "fewer than 0.1", "0.1건 미만"),
])
def test_an_expected_count_reads_fewer_than_a_tenth_rather_than_zero(
        expected: float, en: str, ko: str) -> None:
    assert expected_count(expected) == (en, ko)
