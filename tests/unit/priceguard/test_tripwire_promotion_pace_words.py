"""The tripwire's reason says a declared promotion's allowance as a rate, and a short count's
pace an hour, so the two can be compared. Before: "검토 없이 적용된 50% 할인 행사(판매자 선언)
기간에는 시간당 10건까지 허용 … 9초 동안 고객 5명이 5건을 주문했습니다" — a seller read "10 an hour
allowed" and was stopped at 5."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sagwa.priceguard.tripwire import NormalRate, OrderCounts, assess_order_velocity

CHANGED = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)


def _five_customers_in_nine_seconds():  # type: ignore[no-untyped-def]
    now = CHANGED + timedelta(seconds=9)
    return assess_order_velocity(
        counts=OrderCounts(orders=5, units=5, biggest=1, typical=1.0, recent=None, customers=5),
        changed_at=CHANGED, now=now,
        baseline_per_hour=NormalRate(0.05, promotion_pct=50.0))


def test_five_orders_in_nine_seconds_are_said_as_a_pace_far_above_the_allowed_rate() -> None:
    result = _five_customers_in_nine_seconds()
    assert result.tripped
    assert ("후 9초 동안 고객 5명이 5건을 주문했습니다(시간당 약 2,000건의 속도). "
            in result.reason_ko)
    assert ("판매자가 선언해 검토 없이 적용된 50% 할인 행사 기간에는 시간당 10건까지 주문을 허용합니다."
            in result.reason_ko)
    assert "시간당 0.50건입니다. 이 속도로는 9초 동안 0.1건 미만입니다. 우연히 이만큼 주문될 확률은" in result.reason_ko
    assert "기간에는 시간당 10건까지 허용" not in result.reason_ko
    assert ("5 orders from 5 customers in 9 seconds since the price change, a pace of about "
            "2,000 orders an hour; " in result.reason_en)
    assert ("orders are allowed at up to 10 an hour. Any such promotion is allowed that much"
            in result.reason_en)
    assert ("At up to 10 an hour, fewer than 0.1 orders were expected in 9 seconds (chance"
            in result.reason_en)


def test_a_count_of_an_hour_or_more_is_not_given_a_pace() -> None:
    """"30 orders in 1.5 h" reads as a rate already."""
    times = [CHANGED + timedelta(minutes=3 * n) for n in range(1, 31)]
    result = assess_order_velocity(order_times=times, changed_at=CHANGED, now=times[-1],
                                   baseline_per_hour=NormalRate(0.5))
    assert "pace" not in result.reason_en and "속도)" not in result.reason_ko
