"""The tripwire's windows follow the listing's sale history: the normal rate is measured over the
hours it was on sale, and the count starts at its last return to sale after the price change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sagwa.priceguard.tripwire import (
    VelocityRules,
    assess_order_velocity,
    baseline_rate,
    count_from,
)
from sagwa.priceguard.tripwire_watch import hours_on_sale

T0 = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
H = timedelta(hours=1)


def test_draft_time_before_publishing_is_not_on_sale() -> None:
    published = T0 + 29 * 24 * H
    changes = [(published, True)]
    assert hours_on_sale(changes, start=T0, end=published + 48 * H) == 48.0


def test_pauses_are_left_out_and_the_window_clips_the_history() -> None:
    changes = [(T0, True), (T0 + 10 * H, False), (T0 + 20 * H, True), (T0 + 25 * H, False),
               (T0 + 30 * H, True)]
    assert hours_on_sale(changes, start=T0 + 5 * H, end=T0 + 40 * H) == 5 + 5 + 10
    assert hours_on_sale(changes, start=T0 + 12 * H, end=T0 + 18 * H) == 0.0
    assert hours_on_sale([], start=T0, end=T0 + 40 * H) == 0.0


def test_a_change_after_the_window_ends_does_not_count() -> None:
    changes = [(T0, True), (T0 + 50 * H, False), (T0 + 60 * H, True)]
    assert hours_on_sale(changes, start=T0, end=T0 + 24 * H) == 24.0


def test_the_baseline_is_orders_per_hour_on_sale() -> None:
    rules = VelocityRules()
    assert baseline_rate(orders=48, hours=48.0, rules=rules) == 1.0


def test_short_history_assumes_the_busiest_plausible_rate() -> None:
    rules = VelocityRules()
    assert baseline_rate(orders=0, hours=3.0, rules=rules) == rules.min_rate_per_hour
    assert baseline_rate(orders=6, hours=3.0, rules=rules) == 2.0
    assert baseline_rate(orders=2, hours=0.0, rules=rules) == 2.0


def test_count_starts_at_the_last_return_to_sale_after_the_change() -> None:
    changed = T0 + 10 * H
    changes = [(T0, True), (changed + H, False), (changed + 3 * H, True)]
    assert count_from(changes, changed_at=changed, now=changed + 5 * H) == changed + 3 * H
    assert count_from(changes[:1], changed_at=changed, now=changed + 5 * H) == changed


def test_orders_before_the_return_to_sale_are_not_counted_again() -> None:
    changed = T0
    resumed = T0 + 2 * H
    surge = [changed + timedelta(minutes=m) for m in range(0, 20, 2)]
    later = [resumed + timedelta(minutes=30)]
    result = assess_order_velocity(order_times=surge + later, changed_at=changed,
                                   counted_from=resumed, now=resumed + H,
                                   baseline_per_hour=0.1)
    assert not result.tripped
    assert result.observed == 1 and abs(result.hours - 1.0) < 1e-9
    assert "went back on sale" in result.reason_en and "판매 재개" in result.reason_ko
    fresh = [resumed + timedelta(minutes=m) for m in range(1, 30, 2)]
    again = assess_order_velocity(order_times=fresh, changed_at=changed, counted_from=resumed,
                                  now=resumed + timedelta(minutes=30), baseline_per_hour=0.1)
    assert again.tripped  # a real surge after the return still trips
