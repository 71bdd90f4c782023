"""The order-velocity tripwire trips on a surge after a price change, not on a normal day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from sagwa.priceguard import VelocityRules, assess_order_velocity
from sagwa.priceguard.tripwire import poisson_upper_tail

CHANGED = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def poisson_orders(rate_per_hour: float, hours: float, seed: int) -> list[datetime]:
    rng = np.random.default_rng(seed)
    n = rng.poisson(rate_per_hour * hours)
    offsets = np.sort(rng.uniform(0, hours * 3600, n))
    return [CHANGED + timedelta(seconds=float(s)) for s in offsets]


def test_surge_after_a_price_change_trips() -> None:
    orders = poisson_orders(rate_per_hour=60.0, hours=0.5, seed=1)  # a 90%-off typo goes viral
    result = assess_order_velocity(
        order_times=orders,
        changed_at=CHANGED,
        now=CHANGED + timedelta(minutes=30),
        baseline_per_hour=2.0,
    )
    assert result.tripped
    assert result.observed > 10 * result.expected
    # the reasons end on the evidence: the pages that show them say the listing was paused
    assert "pausing" not in result.reason_en and "중지" not in result.reason_ko


def test_a_normal_day_of_orders_never_trips() -> None:
    for seed in range(200):
        orders = poisson_orders(rate_per_hour=2.0, hours=24.0, seed=seed)
        result = assess_order_velocity(
            order_times=orders,
            changed_at=CHANGED,
            now=CHANGED + timedelta(hours=24),
            baseline_per_hour=2.0,
        )
        assert not result.tripped, (seed, result)


def test_few_orders_never_trip_even_on_a_quiet_listing() -> None:
    orders = [CHANGED + timedelta(minutes=m) for m in (1, 2, 3)]
    result = assess_order_velocity(
        order_times=orders,
        changed_at=CHANGED,
        now=CHANGED + timedelta(minutes=5),
        baseline_per_hour=0.0,
    )
    assert not result.tripped  # below the minimum count
    assert result.observed == 3


def test_orders_before_the_change_or_after_now_are_not_counted() -> None:
    orders = [
        CHANGED - timedelta(minutes=1),
        CHANGED + timedelta(minutes=1),
        CHANGED + timedelta(hours=2),
    ]
    result = assess_order_velocity(
        order_times=orders,
        changed_at=CHANGED,
        now=CHANGED + timedelta(hours=1),
        baseline_per_hour=1.0,
        rules=VelocityRules(min_orders=1),
    )
    assert result.observed == 1


def test_poisson_tail_matches_known_values() -> None:
    assert poisson_upper_tail(0, 3.0) == 1.0
    assert abs(poisson_upper_tail(1, 1.0) - (1 - np.exp(-1.0))) < 1e-12
    assert abs(poisson_upper_tail(5, 1.0) - 0.0036598468273437) < 1e-12
    assert poisson_upper_tail(200, 10.0) < 1e-150


@pytest.mark.parametrize(("p", "en", "ko"), [
    (3e-22, "less than 1 in a billion", "10억분의 1 미만"),
    (8.3e-5, "about 1 in 12,000", "약 1만 2,000분의 1"),
    (3.6e-7, "about 1 in 2,800,000", "약 280만분의 1"),
    (0.2, "20%", "20%"),
])
def test_the_chance_of_a_surge_reads_as_odds_not_scientific_notation(
        p: float, en: str, ko: str) -> None:
    from sagwa.priceguard.tripwire_words import odds

    assert odds(p) == (en, ko)
