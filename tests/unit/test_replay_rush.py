"""The 2008 replay's afternoon rush keeps 2008's pace, whatever ``--customers`` says."""

from __future__ import annotations

import random

import pytest

from sagwa.replay.market_2008 import PRICE_CHANGED_AT, RUSH_HOURS, order_surge, rush_hours


@pytest.mark.parametrize("customers", [10, 20, 150, 300])
def test_a_smaller_replay_has_a_shorter_rush_not_a_thinner_one(customers: int) -> None:
    """Ten customers over four hours came at 2.5 an hour, an ordinary promotion's pace the
    tripwire rightly lets be (and ``--customers 10`` crashed); 2008 had about 75 an hour."""
    surge = order_surge(random.Random(2008), PRICE_CHANGED_AT, list(range(customers)),
                        rush_hours(customers))
    last = max(moment for moment, _, _ in surge)
    assert (last - PRICE_CHANGED_AT).total_seconds() / 3600 <= customers / 75


def test_a_larger_replay_fits_the_afternoon_before_the_seller_noticed() -> None:
    assert rush_hours(20_000) == RUSH_HOURS == 4.0


def test_the_figures_keys_it_had_come_first_in_their_order() -> None:
    """JSON keys are only ever appended: a tool reading the replay finds the keys it knew first,
    as they were (new keys had been merged in between them)."""
    from sagwa.replay.aladin_2008 import in_key_order

    figures = {"units_at_wrong_price": 6, "incident_id": 1, "orders_at_wrong_price": 5,
               "price_change_verdict": "hold", "orders_refused_after_pause": 295,
               "compensation_points": 10_000}
    assert list(in_key_order(figures, "with_desk")) == [
        "orders_at_wrong_price", "compensation_points", "orders_refused_after_pause",
        "incident_id", "units_at_wrong_price", "price_change_verdict"]
    assert list(in_key_order(figures, "with_guard"))[:3] == [
        "orders_at_wrong_price", "compensation_points", "price_change_verdict"]
