"""The tripwire knows a listing's habits: its busy hours of the day (an evening peak is usual,
not a surge), the units its orders take (four orders of a hundred are not four orders of one)
and a declared promotion (meant to sell)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sagwa.priceguard.tripwire import (
    NormalRate,
    VelocityRules,
    assess_order_velocity,
    own_habits,
    poisson_upper_tail,
)
from sagwa.priceguard.tripwire_usual import (
    expected_between,
    hours_by_hour_of_day,
    unit_habit,
    usual_by_hour,
)
from sagwa.priceguard.tripwire_watch import hours_on_sale

T0 = datetime(2026, 10, 1, 0, 0, tzinfo=UTC)
H = timedelta(hours=1)
RULES = VelocityRules()
EVENING = range(19, 23)  # 19-23 UTC is 04-08 KST; any four hours will do


def _peaky_history(seed: int) -> tuple[list[int], list[float]]:
    """28 days on sale: half an order an hour, six an hour in four evening hours."""
    rng = np.random.default_rng(seed)
    by_hour = [int(rng.poisson(28 * (6.0 if h in EVENING else 0.5))) for h in range(24)]
    return by_hour, hours_by_hour_of_day([(T0, True)], start=T0, end=T0 + 28 * 24 * H)


def _peaky_normal(seed: int = 1) -> NormalRate:
    by_hour, hours = _peaky_history(seed)
    flat = NormalRate(sum(by_hour) / sum(hours))
    return own_habits(flat, orders_by_hour=by_hour, hours_by_hour=hours, units=sum(by_hour),
                      units_squared=sum(by_hour))


def _evening(rate: float, seed: int, changed: datetime) -> list[datetime]:
    """Orders from the change (18:00) to 23:00 at the usual rates, ``rate`` an hour at peak."""
    rng = np.random.default_rng(seed)
    out = []
    for h in range(5):
        per = rate if (changed.hour + h) in EVENING else 0.5
        n = int(rng.poisson(per))
        out += [changed + h * H + timedelta(seconds=float(s))
                for s in np.sort(rng.uniform(0, 3600, n))]
    return out


def test_hours_by_hour_of_day_add_up_to_the_hours_on_sale() -> None:
    changes = [(T0 + 90 * timedelta(minutes=1), True), (T0 + 30 * H, False),
               (T0 + 40 * H + timedelta(minutes=15), True)]
    end = T0 + 50 * H
    by_hour = hours_by_hour_of_day(changes, start=T0, end=end)
    assert abs(sum(by_hour) - hours_on_sale(changes, start=T0, end=end)) < 1e-9
    # on sale from 01:30 on day one to 06:00 on day two, and from 16:15 to 02:00 on day three
    assert by_hour[1] == 0.5 + 1.0 + 1.0
    assert by_hour[10] == 1.0  # day two's 10:00 was off sale
    assert by_hour[16] == 1.0 + 0.75


@given(st.integers(0, 10_000), st.integers(1, 5_000))
def test_hours_by_hour_of_day_always_add_up(start_min, length_min) -> None:
    start = T0 + timedelta(minutes=start_min)
    end = start + timedelta(minutes=length_min)
    by_hour = hours_by_hour_of_day([(T0, True)], start=start, end=end)
    assert abs(sum(by_hour) - length_min / 60) < 1e-6
    assert abs(expected_between([2.0] * 24, start=start, end=end) - 2 * length_min / 60) < 1e-6


def test_each_hours_usual_rate_is_shrunk_towards_the_flat_rate() -> None:
    usual = usual_by_hour([28 * 6] + [0] * 23, [28.0] * 24, flat=0.25)
    assert usual[0] == (168 + 7 * 0.25) / 35
    assert usual[1:] == (0.125,) * 23  # quiet hours are expected quiet: half the flat rate
    assert usual_by_hour([1] + [7] * 23, [28.0] * 24, flat=0.25)[1] == (7 + 1.75) / 35
    assert usual_by_hour([0] * 24, [0.0] * 24, flat=0.25) == (0.25,) * 24  # never open: flat
    # one order in an hour of the day open for one hour is no peak
    assert usual_by_hour([1] + [0] * 23, [1.0] + [28.0] * 23, flat=0.25)[0] == (1 + 1.75) / 8


def test_a_popular_listings_usual_evening_is_not_a_surge() -> None:
    """The evening peak after an 18:00 price change, on 30 different evenings: never paused
    with the listing's hours of the day; paused on most of them with a flat average."""
    changed = T0 + 28 * 24 * H + 18 * H
    flat_trips = 0
    for seed in range(30):
        normal = _peaky_normal(seed)
        orders = _evening(6.0, seed, changed)
        for at in orders:
            result = assess_order_velocity(order_times=orders, changed_at=changed, now=at,
                                           baseline_per_hour=normal)
            assert not result.tripped, (seed, at, result.reason_en)
        flat = assess_order_velocity(order_times=orders, changed_at=changed, now=orders[-1],
                                     baseline_per_hour=NormalRate(normal.per_hour))
        flat_trips += flat.tripped
    assert flat_trips >= 10  # the flat average would have paused these evenings


def test_a_surge_at_the_evening_peak_still_trips_and_says_what_it_was_compared_with() -> None:
    changed = T0 + 28 * 24 * H + 19 * H
    orders = [changed + timedelta(minutes=m) for m in range(0, 60, 2)]  # 30 in the hour
    result = assess_order_velocity(order_times=orders, changed_at=changed, now=orders[-1],
                                   baseline_per_hour=_peaky_normal())
    assert result.tripped
    assert "expected at its usual rate for these hours of the day" in result.reason_en
    assert "이 시간대의 평소 판매 속도" in result.reason_ko


def test_a_few_orders_for_many_units_trip_by_their_units() -> None:
    changed = T0
    orders = [changed + timedelta(minutes=m) for m in (5, 10, 15, 20)]
    normal = NormalRate(0.5)
    by_units = assess_order_velocity(order_times=orders, order_units=[100] * 4,
                                     changed_at=changed, now=orders[-1], baseline_per_hour=normal)
    assert by_units.tripped and by_units.units == 400
    assert ("; between them they took 400 units (300 besides the biggest order) where about "
            "0.2 were expected at one an order (this listing has no usual yet)") in by_units.reason_en
    assert ". 주문 수량은 모두 400개(가장 큰 주문을 빼도 300개)입니다. " in by_units.reason_ko
    ones = assess_order_velocity(order_times=orders, order_units=[1] * 4, changed_at=changed,
                                 now=orders[-1], baseline_per_hour=normal)
    assert not ones.tripped and ones.units == 4
    # one buyer's big order alone is not a rush, nor with two ordinary orders beside it
    one = assess_order_velocity(order_times=orders[:1], order_units=[100], changed_at=changed,
                                now=orders[0], baseline_per_hour=normal)
    assert not one.tripped
    beside = assess_order_velocity(order_times=orders[:3], order_units=[1, 50, 1],
                                   changed_at=changed, now=orders[2], baseline_per_hour=normal)
    assert not beside.tripped


def test_a_new_listings_few_multi_unit_buyers_are_not_a_rush() -> None:
    """No habit of its own yet: five buyers taking 20 each in three hours, measured against
    the launch rate, are ordinary (taken one by one, 80 units besides the biggest order where
    about 6 were due would be); the typical order stands for how much units vary."""
    changed = T0
    orders = [changed + timedelta(minutes=m) for m in (20, 60, 100, 140, 180)]
    launch = NormalRate(2.0, "launch")
    result = assess_order_velocity(order_times=orders, order_units=[20] * 5, changed_at=changed,
                                   now=orders[-1], baseline_per_hour=launch, anchor="first_sale")
    assert not result.tripped and result.units == 100


def test_a_listing_that_sells_by_the_hundred_is_not_paused_for_selling_by_the_hundred() -> None:
    per_order, spread = unit_habit(orders=20, units=2_000, units_squared=20 * 100 * 100)
    assert (per_order, spread) == (100.0, 100.0)
    changed = T0
    orders = [changed + timedelta(minutes=m) for m in (5, 10, 15, 20)]
    wholesale = NormalRate(0.5, units_per_order=per_order, units_spread=spread,
                           units_known=True)
    result = assess_order_velocity(order_times=orders, order_units=[100] * 4, changed_at=changed,
                                   now=orders[-1], baseline_per_hour=wholesale)
    assert not result.tripped


def test_habits_apply_only_to_a_listings_own_rate() -> None:
    launch = NormalRate(2.0, "launch")
    assert own_habits(launch, orders_by_hour=[5] * 24, hours_by_hour=[1.0] * 24, units=500,
                      units_squared=50_000) == launch
    own = own_habits(NormalRate(0.5), orders_by_hour=[14] * 24, hours_by_hour=[28.0] * 24,
                     units=14 * 24 * 3, units_squared=14 * 24 * 9)
    assert own.by_hour == (0.5,) * 24 and own.units_per_order == 3.0 and own.units_spread == 3.0
    assert own.units_known


def test_a_declared_promotion_may_sell_several_times_the_usual_rate() -> None:
    changed = T0
    orders = [changed + timedelta(minutes=5 * m) for m in range(1, 13)]  # 12 in an hour
    plain = assess_order_velocity(order_times=orders, changed_at=changed, now=orders[-1],
                                  baseline_per_hour=NormalRate(1.0))
    assert plain.tripped
    promo = assess_order_velocity(order_times=orders, changed_at=changed, now=orders[-1],
                                  baseline_per_hour=NormalRate(1.0, promotion_pct=30.0))
    assert not promo.tripped
    assert ("During the declared 30% promotion, up to 10 times the usual rate is allowed, "
            "10.00/h. At that rate, about 10.0 orders were expected in this time"
            in promo.reason_en)
    assert ("선언된 30% 할인 기간에는 평소의 10배인 시간당 10.00건까지 허용합니다. 이 속도라면 이 시간 동안 "
            "약 10.0건입니다."
            in promo.reason_ko)
    assert promo.expected == RULES.promotion_lift * plain.expected


def test_a_wrong_price_rush_during_a_declared_promotion_still_trips() -> None:
    """The 2008 iPod nano's '90% event': about 75 orders an hour against a usual 0.5."""
    changed = T0
    orders = [changed + timedelta(seconds=48 * m) for m in range(1, 26)]  # 25 in 20 minutes
    result = assess_order_velocity(order_times=orders, changed_at=changed, now=orders[-1],
                                   baseline_per_hour=NormalRate(0.5, promotion_pct=90.0))
    assert result.tripped and "declared 90% promotion" in result.reason_en


def _poisson(rate: float, hours: float, seed: int, start: datetime) -> list[datetime]:
    rng = np.random.default_rng(seed)
    n = int(rng.poisson(rate * hours))
    return [start + timedelta(seconds=float(s)) for s in np.sort(rng.uniform(0, hours * 3600, n))]


def test_a_rush_that_starts_late_in_a_long_watch_trips_on_its_last_hour() -> None:
    """Forty quiet hours at the usual half an order an hour, then twelve orders in half an
    hour: the whole count (about 32 against 20 expected) would not trip; the last hour does."""
    changed = T0
    quiet = _poisson(0.5, 40.0, 3, changed)
    rush = [changed + 40 * H + timedelta(minutes=2.5 * m) for m in range(1, 13)]
    result = assess_order_velocity(order_times=quiet + rush, changed_at=changed, now=rush[-1],
                                   baseline_per_hour=NormalRate(0.5))
    assert result.tripped
    assert "but 12 of them in the last 1 h where about 0.5 were expected" in result.reason_en
    assert "그러나 최근 1시간에만 12건이 주문되었습니다." in result.reason_ko
    whole = poisson_upper_tail(result.observed, result.expected)
    assert whole > RULES.alpha  # the whole count alone would have let it through


def test_three_ordinary_days_never_trip_on_any_hour() -> None:
    changed = T0
    for seed in range(20):
        orders = _poisson(2.0, 72.0, seed, changed)
        for at in orders:
            result = assess_order_velocity(order_times=orders, changed_at=changed, now=at,
                                           baseline_per_hour=NormalRate(2.0))
            assert not result.tripped, (seed, at, result.reason_en)


def test_a_promotions_allowance_covers_only_the_hours_it_ran() -> None:
    """Orders during a promotion that has just ended were expected at the promotion's rate; the
    hours after it at the usual rate: the promotion's own orders are no surge after its end."""
    changed = T0
    orders = [changed + timedelta(minutes=5 * m) for m in range(1, 13)]  # 12 in an hour
    ended = NormalRate(1.0, promotion_pct=30.0, promotion_until=changed + 55 * timedelta(
        minutes=1))
    result = assess_order_velocity(order_times=orders, changed_at=changed, now=orders[-1],
                                   baseline_per_hour=ended)
    assert not result.tripped
    assert abs(result.expected - (1.0 + (RULES.promotion_lift - 1) * 55 / 60)) < 1e-9
    never = NormalRate(1.0, promotion_pct=30.0, promotion_until=changed)
    assert assess_order_velocity(order_times=orders, changed_at=changed, now=orders[-1],
                                 baseline_per_hour=never).expected == 1.0
