"""The tripwire's reasons (the draft incident's cause) say which price change they are about —
old → new, and when, in Korea time — and how many customers placed the orders: one customer
placing five orders read like five customers, and the cause never named the price."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sagwa.priceguard.tripwire import NormalRate, assess_order_velocity, count_orders
from sagwa.priceguard.tripwire_price import PriceContext

CHANGED = datetime(2026, 12, 5, 5, 3, tzinfo=UTC)  # 14:03 in Korea


def _five_orders(customers: list[int], price: PriceContext, *, counted_from=None,  # type: ignore[no-untyped-def]
                 anchor="price_change"):
    start = counted_from or CHANGED
    times = [start + timedelta(seconds=20 * n) for n in range(1, 6)]
    counts = count_orders(times, None, start=start, now=times[-1], recent_hours=1.0,
                          order_customers=customers)
    return assess_order_velocity(counts=counts, changed_at=CHANGED, counted_from=counted_from,
                                 now=times[-1], baseline_per_hour=NormalRate(0.1), price=price,
                                 anchor=anchor)


CUT = PriceContext(price=16_000, currency="KRW", since=CHANGED, before=17_700, to=16_000)


def test_the_cause_names_the_price_change_and_the_customers() -> None:
    result = _five_orders([9] * 5, CUT)
    assert result.reason_en.startswith(
        "5 orders from 1 customer in 2 min since the price change (17,700 KRW → 16,000 KRW, "
        "2026-12-05 14:03 KST), a pace of about 180 orders an hour; ")
    assert result.reason_ko.startswith(
        "12월 5일(토) 오후 2시 3분(한국 시간)에 가격을 17,700원 → 16,000원으로 바꿨습니다. 그 뒤 2분 동안 "
        "고객 1명이 5건을 주문했습니다(시간당 약 180건의 속도). ")
    many = _five_orders([1, 2, 3, 3, 4], CUT)
    assert "5 orders from 4 customers in 2 min" in many.reason_en
    assert "고객 4명이 5건을 주문했습니다" in many.reason_ko


def test_a_first_sale_a_nudge_and_a_return_to_sale_are_said_too() -> None:
    first = PriceContext(price=52_700, currency="KRW", since=CHANGED)
    result = _five_orders([1, 2, 3, 4, 5], first, anchor="first_sale")
    assert "since the listing went on sale (52,700 KRW, 2026-12-05 14:03 KST)" in result.reason_en
    assert result.reason_ko.startswith(
        "12월 5일(토) 오후 2시 3분(한국 시간)에 52,700원으로 판매를 시작했습니다. 그 뒤 ")
    nudged = PriceContext(price=15_990, currency="KRW", since=CHANGED, before=17_700, to=16_000)
    result = _five_orders([1, 2, 3, 4, 5], nudged, counted_from=CHANGED + timedelta(hours=3))
    assert result.reason_en.startswith(
        "5 orders from 5 customers in 2 min since the listing went back on sale (after the price "
        "change 17,700 KRW → 16,000 KRW, 2026-12-05 14:03 KST; 15,990 KRW now), a pace of about "
        "180 orders an hour; ")
    assert result.reason_ko.startswith(
        "12월 5일(토) 오후 2시 3분(한국 시간)에 가격을 17,700원 → 16,000원으로 바꿨습니다. 지금 가격은 "
        "15,990원입니다. 판매 재개 후 ")


def test_without_the_price_or_the_customers_the_reason_reads_as_before() -> None:
    times = [CHANGED + timedelta(seconds=20 * n) for n in range(1, 6)]
    result = assess_order_velocity(order_times=times, changed_at=CHANGED, now=times[-1],
                                   baseline_per_hour=0.1)
    assert result.reason_en.startswith("5 orders in 2 min since the price change, a pace of "
                                       "about 180 orders an hour; ")
    assert result.customers is None
